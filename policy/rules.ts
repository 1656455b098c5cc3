// The federation's security invariants as pure functions over a stack's resources. The CrossGuard
// pack (policy/index.ts) registers them for a real `pulumi preview --policy-pack policy`, and the
// offline preview (tools/report/policyPack.ts) runs the very same functions over the plan, so both judge
// alike. A function reads only the inputs it judges: at a real preview CrossGuard hands it a proxy
// that throws on a value not known yet, and our policy documents are plain strings, always known.
import { IamStatement, readIamDocument } from "../components/iamDocument";
import { awsSamlSignInUrl } from "../components/names";
import { auditReadActions } from "../components/policies";

/** A resource as a policy sees it: CrossGuard's `type`/`urn`/`props`/`opts`, or a planned resource. */
export interface JudgedResource {
    type: string;
    urn: string;
    /** The parent resource's URN, if any. */
    parent?: string;
    protect: boolean;
    /** The inputs sent to the provider (CrossGuard's `props`). */
    inputs: Record<string, unknown>;
}

/** What a policy knows about the stack beyond its resources. */
export interface StackContext {
    /**
     * The AWS account the stack deploys into, when known: the provider's `allowedAccountIds` at a
     * real preview (every stack file sets it to its own account), the stack plan's account offline.
     */
    accountId?: string;
}

export interface Violation {
    /** The resource the violation is about. */
    urn: string;
    message: string;
}

interface PolicyMetadata {
    name: string;
    /** Why the invariant matters; CrossGuard shows it beside every violation. */
    description: string;
    enforcementLevel: "mandatory";
    /** What the policy judges, one and many ("member role", "member roles"), for the offline summary. */
    subject: [one: string, many: string];
    /** Whether the policy judges this resource (a stack policy judges these within the stack). */
    judges(resource: JudgedResource): boolean;
}

/** A policy judged resource by resource (CrossGuard `validateResource`). */
interface ResourcePolicy extends PolicyMetadata {
    validateResource(resource: JudgedResource, context: StackContext): string[];
}

/** A policy that needs the whole stack, e.g. to know its SAML providers (CrossGuard `validateStack`). */
interface StackPolicy extends PolicyMetadata {
    validateStack(resources: JudgedResource[], context: StackContext): Violation[];
}

export type FederationPolicy = ResourcePolicy | StackPolicy;

const types = {
    role: "aws:iam/role:Role",
    policy: "aws:iam/policy:Policy",
    samlProvider: "aws:iam/samlProvider:SamlProvider",
    user: "aws:iam/user:User",
    accessKey: "aws:iam/accessKey:AccessKey",
    crossAccountRole: "okta-aws:member:CrossAccountRole",
    memberSamlProvider: "okta-aws:member:SamlProvider",
    federatedRole: "okta-aws:identity:FederatedRole",
    serviceUser: "okta-aws:identity:ServiceUser",
    auditRole: "okta-aws:audit:AuditRole",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    rolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    samlApp: "okta:app/saml:Saml",
    oauthApp: "okta:app/oAuth:OAuth",
    oktaCliApp: "okta-aws:identity:OktaCliApp",
    signOnPolicy: "okta:index/appSignonPolicy:AppSignonPolicy",
    signOnRule: "okta:index/appSignonPolicyRule:AppSignonPolicyRule",
    emergencyAccess: "okta-aws:identity:EmergencyAccess",
    oktaGroup: "okta:group/group:Group",
    appUser: "okta:app/user:User",
    groupAssignment: "okta:app/groupAssignment:GroupAssignment",
    groupMemberships: "okta:index/groupMemberships:GroupMemberships",
    groupRule: "okta:group/rule:Rule",
} as const;

/** The statements of a JSON policy document, or why it is not one. */
function policyStatements(value: unknown): { statements: IamStatement[] } | { error: string } {
    if (typeof value !== "string") {
        return { error: `is not a JSON policy document (${value === undefined ? "missing" : typeof value})` };
    }
    let document: unknown;
    try {
        document = JSON.parse(value);
    } catch {
        return { error: "is not valid JSON" };
    }
    const read = readIamDocument(document);
    if (!read || read.statements.length === 0 || read.notObjects.length > 0) {
        return { error: "has no statements, or one that is not an object" };
    }
    return { statements: read.statements };
}

/** A string or list of strings as a list; anything else as undefined. */
function stringList(value: unknown): string[] | undefined {
    const list = typeof value === "string" ? [value] : value;
    return Array.isArray(list) && list.every((v) => typeof v === "string") ? list : undefined;
}

const json = (value: unknown) => (value === undefined ? "none" : JSON.stringify(value));

/** The type of a resource's parent as its URN spells it (`…::parentType$type::name`). */
function parentTypeOf(urn: string): string | undefined {
    const qualifiedType = urn.split("::")[2] ?? "";
    const chain = qualifiedType.split("$");
    return chain.length > 1 ? chain[chain.length - 2] : undefined;
}

/** The principal types a role's trust names (`AWS`, `Federated`, `Service`, …; `*` for a wildcard). */
function trustPrincipalTypes(resource: JudgedResource): Set<string> {
    const parsed = policyStatements(resource.inputs.assumeRolePolicy);
    return new Set(("statements" in parsed ? parsed.statements : []).flatMap((statement) => statement.principalTypes));
}

/**
 * A member account's cross-account role: the program's, or any role that trusts another account —
 * except the audit's read-only role, which `audit-role-read-only` judges.
 */
function isMemberRole(resource: JudgedResource): boolean {
    if (resource.type !== types.role || isAuditRole(resource)) {
        return false;
    }
    const principals = trustPrincipalTypes(resource);
    return parentTypeOf(resource.urn) === types.crossAccountRole || principals.has("AWS") || principals.has("*");
}

/** An identity account's federated role: the program's, or any role that trusts a federated principal. */
function isFederatedRole(resource: JudgedResource): boolean {
    return (
        resource.type === types.role &&
        (parentTypeOf(resource.urn) === types.federatedRole || trustPrincipalTypes(resource).has("Federated"))
    );
}

const partitionPattern = "aws[a-z-]*";
const accountRootPattern = new RegExp(`^arn:${partitionPattern}:iam::(\\d{12}):root$`);
const samlProviderPattern = new RegExp(`^arn:${partitionPattern}:iam::(\\d{12}):saml-provider/(.+)$`);
// IAM role names and paths: no wildcards, so one ARN names one role.
const roleArnPattern = new RegExp(`^arn:${partitionPattern}:iam::(\\d{12}):role/[\\w+=,.@/-]+$`);

/** The single principal of a statement's Principal as `[type, value]`, if it is exactly one value of one type. */
function singlePrincipal(statement: IamStatement): [string, string] | undefined {
    const element = statement.principal;
    const [principal] = element?.principals ?? [];
    if (!element || element.not || element.types.length !== 1 || element.principals.length !== 1 || principal.form !== "typed") {
        return undefined;
    }
    return typeof principal.value === "string" ? [principal.type, principal.value] : undefined;
}

/** Actions outside `allowed`, or the statement's problem with its action list. */
function unexpectedActions(statement: IamStatement, allowed: string[]): string | undefined {
    if (statement.actions?.not) {
        return "uses NotAction";
    }
    const actions = stringList(statement.actions?.values);
    if (!actions || actions.length === 0) {
        return `has no action list (${json(statement.written.Action)})`;
    }
    const others = actions.filter((action) => !allowed.includes(action));
    return others.length ? `allows ${others.map(json).join(", ")}; only ${allowed.join(", ")}` : undefined;
}

/**
 * Member role trust: every Allow statement trusts exactly one account's root, the same account in
 * every statement, for sts:AssumeRole/sts:SetSourceIdentity only, under exactly one condition,
 * `ArnEquals aws:PrincipalArn`, on role ARNs of that account without wildcards.
 */
export function memberRoleTrustViolations(resource: JudgedResource): string[] {
    if (!isMemberRole(resource)) {
        return [];
    }
    const parsed = policyStatements(resource.inputs.assumeRolePolicy);
    if ("error" in parsed) {
        return [`assumeRolePolicy ${parsed.error}`];
    }
    const violations: string[] = [];
    const accounts = new Set<string>();
    parsed.statements.forEach((statement, index) => {
        const at = `assumeRolePolicy Statement[${index}]`;
        if (statement.effect !== "Allow") {
            return; // a Deny only narrows
        }
        if (statement.principal?.not) {
            violations.push(`${at} uses NotPrincipal; trust the identity account by its root ARN`);
            return;
        }
        const principal = singlePrincipal(statement);
        // A role people sign in to directly trusts its own account's SAML provider: federated-role-trust judges that statement.
        if (principal?.[0] === "Federated") {
            return;
        }
        const account = principal?.[0] === "AWS" ? accountRootPattern.exec(principal[1])?.[1] : undefined;
        if (!account) {
            violations.push(
                `${at} trusts ${json(statement.written.Principal)}; only {"AWS":"arn:<partition>:iam::<identity account>:root"}`,
            );
            return;
        }
        accounts.add(account);
        const actions = unexpectedActions(statement, ["sts:AssumeRole", "sts:SetSourceIdentity"]);
        if (actions) {
            violations.push(`${at} ${actions}`);
        }
        const condition = statement.condition as Record<string, Record<string, unknown>> | undefined;
        const operators = condition && typeof condition === "object" ? Object.keys(condition) : [];
        const keys = operators.length === 1 && operators[0] === "ArnEquals" ? Object.keys(condition!.ArnEquals ?? {}) : [];
        if (keys.length !== 1 || keys[0] !== "aws:PrincipalArn") {
            violations.push(`${at} has Condition ${json(statement.condition)}; only ArnEquals aws:PrincipalArn on the federated roles`);
            return;
        }
        const arns = stringList(condition!.ArnEquals["aws:PrincipalArn"]) ?? [];
        if (arns.length === 0) {
            violations.push(`${at} ArnEquals aws:PrincipalArn names no role`);
        }
        for (const arn of arns) {
            if (roleArnPattern.exec(arn)?.[1] !== account) {
                violations.push(`${at} ArnEquals aws:PrincipalArn ${json(arn)} is not a role of the trusted account ${account}`);
            }
        }
    });
    if (accounts.size > 1) {
        violations.push(`assumeRolePolicy trusts ${accounts.size} accounts (${[...accounts].join(", ")}); only the identity account`);
    }
    return violations;
}

/**
 * Federated role trust: every Allow statement's only principal is `Federated`: a SAML provider of
 * this stack (by name, in the stack's own account when known); AssumeRoleWithSAML only with
 * `StringEquals SAML:aud` = AWS sign-in; besides it only sts:SetSourceIdentity and sts:TagSession.
 */
export function federatedRoleTrustViolations(resources: JudgedResource[], context: StackContext): Violation[] {
    const providerNames = resources
        .filter((r) => r.type === types.samlProvider)
        .map((r) => r.inputs.name)
        .filter((name): name is string => typeof name === "string");
    const violations: Violation[] = [];
    for (const role of resources.filter(isFederatedRole)) {
        const report = (message: string) => violations.push({ urn: role.urn, message });
        const parsed = policyStatements(role.inputs.assumeRolePolicy);
        if ("error" in parsed) {
            report(`assumeRolePolicy ${parsed.error}`);
            continue;
        }
        const memberRole = isMemberRole(role);
        parsed.statements.forEach((statement, index) => {
            const at = `assumeRolePolicy Statement[${index}]`;
            if (statement.effect !== "Allow") {
                return;
            }
            const principal = singlePrincipal(statement);
            // A member role on signIn both (a migration's deploy) keeps its switch: member-role-trust judges that statement.
            if (memberRole && principal?.[0] === "AWS") {
                return;
            }
            const provider = principal?.[0] === "Federated" ? samlProviderPattern.exec(principal[1]) : null;
            if (!provider) {
                report(
                    `${at} trusts ${json(statement.written.Principal ?? statement.written.NotPrincipal)}; only {"Federated":"<this stack's SAML provider ARN>"}`,
                );
                return;
            }
            const [, account, name] = provider;
            if (!providerNames.includes(name) || (context.accountId !== undefined && account !== context.accountId)) {
                const own = providerNames.map((n) => `saml-provider/${n}`).join(", ") || "none";
                report(
                    `${at} trusts ${json(principal![1])}, not a SAML provider of this stack (${own}${context.accountId ? ` in ${context.accountId}` : ""})`,
                );
            }
            const actions = unexpectedActions(statement, ["sts:AssumeRoleWithSAML", "sts:SetSourceIdentity", "sts:TagSession"]);
            if (actions) {
                report(`${at} ${actions}`);
            } else if (stringList(statement.actions?.values)!.includes("sts:AssumeRoleWithSAML")) {
                const audience = (statement.condition as Record<string, Record<string, unknown>> | undefined)?.StringEquals?.["SAML:aud"];
                if (json(stringList(audience)) !== json([awsSamlSignInUrl])) {
                    report(
                        `${at} allows sts:AssumeRoleWithSAML without StringEquals SAML:aud = ${json(awsSamlSignInUrl)} (has ${json(statement.condition)})`,
                    );
                }
            }
        });
    }
    return violations;
}

/** A federated role's permission policy: named `allow-assume-*`, or the FederatedRole component's own. */
function isAssumePolicy(resource: JudgedResource): boolean {
    const name = resource.inputs.name;
    return (
        resource.type === types.policy &&
        (typeof name === "string" ? name.startsWith("allow-assume-") : parentTypeOf(resource.urn) === types.federatedRole)
    );
}

/**
 * A federated role's `allow-assume-*` policy: every Allow statement allows only sts:AssumeRole and
 * sts:SetSourceIdentity, on one role ARN without wildcards, the same in every statement, in
 * another account than the stack's own.
 */
export function assumePolicyViolations(resource: JudgedResource, context: StackContext): string[] {
    if (!isAssumePolicy(resource)) {
        return [];
    }
    const parsed = policyStatements(resource.inputs.policy);
    if ("error" in parsed) {
        return [`policy ${parsed.error}`];
    }
    const violations: string[] = [];
    const targets = new Set<string>();
    parsed.statements.forEach((statement, index) => {
        const at = `policy Statement[${index}]`;
        if (statement.effect !== "Allow") {
            return;
        }
        const actions = unexpectedActions(statement, ["sts:AssumeRole", "sts:SetSourceIdentity"]);
        if (actions) {
            violations.push(`${at} ${actions}`);
        }
        const targetsHere = statement.resources && !statement.resources.not ? stringList(statement.resources.values) : undefined;
        if (targetsHere?.length !== 1 || !roleArnPattern.test(targetsHere[0])) {
            violations.push(
                `${at} has Resource ${json(statement.written.Resource ?? statement.written.NotResource)}; only one role ARN without wildcards`,
            );
            return;
        }
        targets.add(targetsHere[0]);
        if (roleArnPattern.exec(targetsHere[0])![1] === context.accountId) {
            violations.push(
                `${at} allows switching into ${json(targetsHere[0])} in this stack's own account ${context.accountId}; only a member account's role`,
            );
        }
    });
    if (targets.size > 1) {
        violations.push(`policy allows ${targets.size} role ARNs (${[...targets].join(", ")}); exactly one`);
    }
    return violations;
}

/** User-attached policy resources, and the input that names the policies each attaches. */
const userPolicyTypes: Record<string, string | undefined> = {
    "aws:iam/userPolicy:UserPolicy": undefined,
    "aws:iam/userPolicyAttachment:UserPolicyAttachment": undefined,
    "aws:iam/userPoliciesExclusive:UserPoliciesExclusive": "policyNames",
    "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive": "policyArns",
};

const isUserPolicyResource = (resource: JudgedResource) =>
    resource.type in userPolicyTypes || resource.type === "aws:iam/policyAttachment:PolicyAttachment";

/** No IAM policy attached to a user directly: permissions come through groups (or roles). */
export function userPolicyViolations(resource: JudgedResource): string[] {
    const attached = `attaches an IAM policy to user ${json(resource.inputs.user)} directly; grant it through a group`;
    if (!isUserPolicyResource(resource)) {
        return [];
    }
    if (resource.type in userPolicyTypes) {
        const listInput = userPolicyTypes[resource.type];
        return listInput === undefined || (stringList(resource.inputs[listInput]) ?? []).length > 0 ? [attached] : [];
    }
    const users = stringList(resource.inputs.users) ?? [];
    return users.length ? [`attaches an IAM policy to users ${json(users)} directly; grant it through a group`] : [];
}

/** Access keys only for the program's service users: a key belongs to its ServiceUser's own user. */
export function accessKeyViolations(resources: JudgedResource[]): Violation[] {
    const violations: Violation[] = [];
    for (const key of resources.filter((r) => r.type === types.accessKey)) {
        const owner = json(key.inputs.user);
        if (parentTypeOf(key.urn) !== types.serviceUser) {
            violations.push({
                urn: key.urn,
                message: `access key for user ${owner} outside a ServiceUser component; only the program's service users have keys`,
            });
            continue;
        }
        const ownUsers = resources.filter((r) => r.type === types.user && r.parent === key.parent).map((r) => r.inputs.name);
        if (ownUsers.length !== 1 || ownUsers[0] !== key.inputs.user) {
            violations.push({
                urn: key.urn,
                message: `access key for user ${owner}, not its ServiceUser's own user ${ownUsers.map(json).join(", ") || "(none)"}`,
            });
        }
    }
    return violations;
}

const isIdentityResource = (resource: JudgedResource) =>
    // A direct member's provider and roles are the member's (a migration back removes them), not protected.
    !isMemberStackResource(resource) &&
    (resource.type === types.samlProvider || resource.type === types.signOnPolicy || isFederatedRole(resource));

/** A resource of a member stack's components: a cross-account role's or a direct member's SAML provider's. */
function isMemberStackResource(resource: JudgedResource): boolean {
    const parent = parentTypeOf(resource.urn);
    return parent === types.crossAccountRole || parent === types.memberSamlProvider;
}

/**
 * The SAML provider, the federated roles and the sign-on policy carry `protect`, so no update can
 * delete them (a deleted sign-on policy leaves both apps on Okta's default policy).
 */
export function protectionViolations(resource: JudgedResource): string[] {
    if (!isIdentityResource(resource) || resource.protect) {
        return [];
    }
    const what =
        resource.type === types.samlProvider ? "SAML provider" : resource.type === types.signOnPolicy ? "sign-on policy" : "federated role";
    return [`${what} ${json(resource.inputs.name)} is not protected`];
}

/** The audit's role: a role of an AuditRole component. */
function isAuditRole(resource: JudgedResource): boolean {
    return resource.type === types.role && parentTypeOf(resource.urn) === types.auditRole;
}

/**
 * The audit role is read-only: its trust lets one AWS principal call sts:AssumeRole and nothing
 * else; its permissions are inline policies of its component that allow only the audit's IAM reads
 * (no wildcard, no NotAction); no managed policy is attached in it. (A policy attached from
 * elsewhere names the role by an Output a preview may not know yet; the audit reports it live.)
 */
export function auditRoleViolations(resources: JudgedResource[]): Violation[] {
    const violations: Violation[] = [];
    for (const role of resources.filter(isAuditRole)) {
        const report = (urn: string, message: string) => violations.push({ urn, message });
        const trust = policyStatements(role.inputs.assumeRolePolicy);
        if ("error" in trust) {
            report(role.urn, `assumeRolePolicy ${trust.error}`);
        } else {
            trust.statements.forEach((statement, index) => {
                const at = `assumeRolePolicy Statement[${index}]`;
                if (statement.effect !== "Allow") {
                    return;
                }
                if (singlePrincipal(statement)?.[0] !== "AWS") {
                    report(
                        role.urn,
                        `${at} trusts ${json(statement.written.Principal ?? statement.written.NotPrincipal)}; only one AWS principal`,
                    );
                }
                const actions = unexpectedActions(statement, ["sts:AssumeRole"]);
                if (actions) {
                    report(role.urn, `${at} ${actions}`);
                }
            });
        }
        for (const policy of resources.filter((r) => r.type === types.rolePolicy && r.parent === role.parent)) {
            const parsed = policyStatements(policy.inputs.policy);
            if ("error" in parsed) {
                report(policy.urn, `policy ${parsed.error}`);
                continue;
            }
            parsed.statements.forEach((statement, index) => {
                const actions = statement.effect === "Allow" ? unexpectedActions(statement, auditReadActions) : undefined;
                if (actions) {
                    report(policy.urn, `policy Statement[${index}] ${actions}`);
                }
            });
        }
        for (const attachment of resources.filter((r) => r.type === types.rolePolicyAttachment && r.parent === role.parent)) {
            report(
                attachment.urn,
                `attaches ${json(attachment.inputs.policyArn)} to the audit role ${json(role.inputs.name)}; it holds only its inline read policy`,
            );
        }
    }
    return violations;
}

/**
 * The Okta apps that open the AWS accounts: the *Amazon Web Services* app (`amazon_aws`), and
 * okta-aws-cli's OIDC app (the program's, or any app with the token exchange grant it signs in with).
 */
function isAwsSignInApp(resource: JudgedResource): boolean {
    if (resource.type === types.samlApp) {
        return resource.inputs.preconfiguredApp === "amazon_aws";
    }
    return (
        resource.type === types.oauthApp &&
        (parentTypeOf(resource.urn) === types.oktaCliApp ||
            (stringList(resource.inputs.grantTypes) ?? []).includes("urn:ietf:params:oauth:grant-type:token-exchange"))
    );
}

/**
 * The AWS app and the CLI app carry one authentication policy of this stack, set on the app (an
 * app without one gets Okta's default, which may allow one factor), created with `catchAll: false`,
 * whose ALLOW rules all require two factors. The CLI app's is the AWS app's: okta-aws-cli's token
 * exchange fails when the AWS app's policy is stricter (okta-aws-cli #153). Rules are found by the
 * policy id they name, the one the app names too: on a first real preview that id is not known
 * yet, and CrossGuard says it cannot run the policy until `pulumi up`.
 */
function appSignOnPolicyViolations(resources: JudgedResource[]): Violation[] {
    const violations: Violation[] = [];
    const apps = resources.filter(isAwsSignInApp);
    const awsAppPolicy = apps.find((app) => app.type === types.samlApp)?.inputs.authenticationPolicy;
    for (const app of apps) {
        const report = (message: string) => violations.push({ urn: app.urn, message });
        const policyId = app.inputs.authenticationPolicy;
        if (typeof policyId !== "string") {
            report("has no authenticationPolicy: Okta gives it the org's default policy, which this program does not control");
            continue;
        }
        if (app.type === types.oauthApp && awsAppPolicy !== undefined && policyId !== awsAppPolicy) {
            report(
                "carries another authentication policy than the AWS app: okta-aws-cli's token exchange fails when the AWS app's is stricter",
            );
        }
        const rules = resources.filter((r) => r.type === types.signOnRule && r.inputs.policyId === policyId);
        if (rules.length === 0) {
            report(`names authentication policy ${json(policyId)}, which has no rules in this stack`);
            continue;
        }
        const policy = resources.find((r) => r.type === types.signOnPolicy && r.parent !== undefined && r.parent === rules[0].parent);
        if (policy?.inputs.catchAll !== false) {
            report(
                `its authentication policy keeps Okta's allow-everything catch-all rule (catchAll is ${json(policy?.inputs.catchAll)}, not false)`,
            );
        }
        for (const rule of rules) {
            if (rule.inputs.access !== "DENY" && rule.inputs.factorMode !== "2FA") {
                report(
                    `its authentication policy's rule ${json(rule.inputs.name)} allows access with factorMode ${json(rule.inputs.factorMode)}; every ALLOW rule requires two factors (2FA)`,
                );
            }
        }
    }
    return violations;
}

/** An emergency role's Okta group: the groups the sign-on policy's group-limited rules name. */
const isEmergencyGroup = (resource: JudgedResource) =>
    resource.type === types.oktaGroup && parentTypeOf(resource.urn) === types.emergencyAccess;

/** The federated roles in an app profile's `samlRoles` (JSON text). */
function profileRoles(profile: unknown): string[] {
    try {
        return stringList((JSON.parse(profile as string) as { samlRoles?: unknown }).samlRoles) ?? [];
    } catch {
        return [];
    }
}

/**
 * Nobody holds an emergency role day to day: its group (the one the sign-on policy's emergency
 * rule names) gets no members and no group rule, no user assignment carries the role, and no group
 * assignment but the emergency group's. Groups are told apart by the ids the inputs name.
 */
function emergencyAssignmentViolations(resources: JudgedResource[]): Violation[] {
    const emergencyGroupIds = new Set(
        resources.filter((r) => r.type === types.signOnRule).flatMap((r) => stringList(r.inputs.groupsIncluded) ?? []),
    );
    const emergencyRoles = new Set([
        ...resources
            .filter((r) => r.type === types.groupAssignment && emergencyGroupIds.has(r.inputs.groupId as string))
            .flatMap((r) => profileRoles(r.inputs.profile)),
        // With group mapping the role is in the group's name (aws_<account>_<role>).
        ...resources
            .filter(isEmergencyGroup)
            .map((r) => /^aws_\d+_(.+)$/.exec(r.inputs.name as string)?.[1])
            .filter((role): role is string => role !== undefined),
    ]);
    const violations: Violation[] = [];
    for (const resource of resources) {
        const report = (message: string) => violations.push({ urn: resource.urn, message });
        if (resource.type === types.groupMemberships && emergencyGroupIds.has(resource.inputs.groupId as string)) {
            report("adds members to an emergency group; nobody is in it day to day (an Okta admin adds a person at the moment of need)");
        } else if (
            resource.type === types.groupRule &&
            (stringList(resource.inputs.groupAssignments) ?? []).some((id) => emergencyGroupIds.has(id))
        ) {
            report(`adds the members of group rule ${json(resource.inputs.name)} to an emergency group; nobody is in it day to day`);
        } else if (
            resource.type === types.appUser ||
            (resource.type === types.groupAssignment && !emergencyGroupIds.has(resource.inputs.groupId as string))
        ) {
            const held = profileRoles(resource.inputs.profile).filter((role) => emergencyRoles.has(role));
            if (held.length > 0) {
                report(
                    `assigns emergency role${held.length === 1 ? "" : "s"} ${held.join(", ")} day to day; only the emergency group may carry it`,
                );
            }
        }
    }
    return violations;
}

/** The stack's own account from the AWS provider's inputs (`allowedAccountIds`, a list or its JSON). */
export function accountIdOfProvider(props: Record<string, unknown> | undefined): string | undefined {
    let ids = props?.allowedAccountIds;
    if (typeof ids === "string") {
        try {
            ids = JSON.parse(ids);
        } catch {
            return undefined;
        }
    }
    const list = stringList(ids);
    return list?.length === 1 ? list[0] : undefined;
}

/**
 * A SAML provider exists only where people sign in: in the identity stack (the one with the Okta AWS
 * app) and in a member stack whose roles trust it (okta-aws:signIn direct or both). A provider no
 * role of a member stack trusts is an idle door into the account for whoever holds the app's key.
 */
export function samlProviderPlacementViolations(resources: JudgedResource[], context: StackContext): Violation[] {
    if (resources.some(isAwsSignInApp)) {
        return [];
    }
    const trusted = new Set<string>();
    for (const role of resources.filter((r) => r.type === types.role)) {
        const parsed = policyStatements(role.inputs.assumeRolePolicy);
        for (const statement of "statements" in parsed ? parsed.statements : []) {
            const principal = singlePrincipal(statement);
            const provider = principal?.[0] === "Federated" ? samlProviderPattern.exec(principal[1]) : null;
            if (statement.effect === "Allow" && provider && (context.accountId === undefined || provider[1] === context.accountId)) {
                trusted.add(provider[2]);
            }
        }
    }
    return resources
        .filter((r) => r.type === types.samlProvider && !trusted.has(String(r.inputs.name)))
        .map((r) => ({
            urn: r.urn,
            message: `SAML provider ${json(r.inputs.name)} is in a stack without the Okta AWS app and no role of the stack trusts it: only the identity stack and members signed in to directly (okta-aws:signIn direct or both) hold one`,
        }));
}

export const federationPolicies: FederationPolicy[] = [
    {
        name: "member-role-trust",
        description:
            "A member account role trusts the identity account only through ArnEquals aws:PrincipalArn on named identity-account roles, for sts:AssumeRole/sts:SetSourceIdentity: any other principal or condition lets someone other than the federated role switch in. A role people sign in to directly trusts its own account's SAML provider instead (federated-role-trust judges that statement: this account's provider, SAML:aud).",
        enforcementLevel: "mandatory",
        subject: ["member role", "member roles"],
        judges: isMemberRole,
        validateResource: memberRoleTrustViolations,
    },
    {
        name: "federated-role-trust",
        description:
            "A federated role, or a member role people sign in to directly, trusts only a SAML provider of its own stack and account, and AssumeRoleWithSAML only for assertions addressed to AWS sign-in (SAML:aud): another provider or audience could sign people in to it.",
        enforcementLevel: "mandatory",
        subject: ["federated role", "federated roles"],
        judges: isFederatedRole,
        validateStack: federatedRoleTrustViolations,
    },
    {
        name: "saml-provider-placement",
        description:
            "A SAML provider exists only in the identity account and in member accounts people sign in to directly, where the member's roles trust it: anywhere else it is an idle door for whoever holds the Okta app's signing key.",
        enforcementLevel: "mandatory",
        subject: ["SAML provider", "SAML providers"],
        judges: (resource) => resource.type === types.samlProvider,
        validateStack: samlProviderPlacementViolations,
    },
    {
        name: "assume-policy-scope",
        description:
            "An allow-assume-* policy lets its federated role switch into exactly one role of another account, so each SAML role reaches exactly the member role the access matrix shows.",
        enforcementLevel: "mandatory",
        subject: ["allow-assume policy", "allow-assume policies"],
        judges: isAssumePolicy,
        validateResource: assumePolicyViolations,
    },
    {
        name: "no-user-policies",
        description:
            "No IAM policy is attached to a user directly: service users get their permissions through a group, so a user's access is reviewed in one place and people never hold long-lived permissions.",
        enforcementLevel: "mandatory",
        subject: ["user policy resource", "user policy resources"],
        judges: isUserPolicyResource,
        validateResource: userPolicyViolations,
    },
    {
        name: "access-keys-for-service-users",
        description:
            "Access keys exist only for the program's service users (OktaSSO, the introspection user), each for its own user: people sign in through Okta and never hold long-lived keys.",
        enforcementLevel: "mandatory",
        subject: ["access key", "access keys"],
        judges: (resource) => resource.type === types.accessKey,
        validateStack: accessKeyViolations,
    },
    {
        name: "audit-role-read-only",
        description:
            "The role npm run audit assumes in every account is read-only: exactly the audit's IAM reads, trusted by one principal, no managed policy, so the audit's credentials can change nothing.",
        enforcementLevel: "mandatory",
        subject: ["audit role", "audit roles"],
        judges: isAuditRole,
        validateStack: auditRoleViolations,
    },
    {
        name: "app-sign-on-policy",
        description:
            "The AWS app and okta-aws-cli's app carry this stack's authentication policy: created without Okta's allow-everything catch-all, every ALLOW rule requiring two factors, the same on both apps. Otherwise an Okta password alone opens the AWS accounts. An org that sets okta-aws:signOnPolicy: false (Classic Engine) lowers this policy to advisory with --policy-pack-config.",
        enforcementLevel: "mandatory",
        subject: ["AWS or CLI app", "AWS and CLI apps"],
        judges: isAwsSignInApp,
        validateStack: appSignOnPolicyViolations,
    },
    {
        name: "emergency-roles-unassigned",
        description:
            "An emergency role is held by nobody day to day: its Okta group has no members or group rules, and no other assignment carries the role, so breaking the glass is a deliberate act an Okta admin takes, seen in Okta's system log.",
        enforcementLevel: "mandatory",
        subject: ["emergency group", "emergency groups"],
        judges: isEmergencyGroup,
        validateStack: emergencyAssignmentViolations,
    },
    {
        name: "identity-resources-protected",
        description:
            "The SAML provider, the federated roles and the sign-on policy are protected: deleting them (a rename, a bad refactor) locks every federated user out until they are rebuilt, or leaves the apps on Okta's default sign-on policy. Sandboxes that set okta-aws:protectIdentityResources: false lower this policy to advisory with --policy-pack-config.",
        enforcementLevel: "mandatory",
        subject: ["SAML provider, federated role or sign-on policy", "SAML providers, federated roles and sign-on policies"],
        judges: isIdentityResource,
        validateResource: protectionViolations,
    },
];
