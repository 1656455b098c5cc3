// Cross-field checks: what no single key can tell (duplicates across lists, logins in two letter
// cases, adoption ids without adoption, the identity stack listing itself, derived names and
// documents that IAM would refuse), and the member and identity configurations they produce.
import {
    accountRootArn,
    customerPolicyArn,
    defaultAssumePolicyName,
    defaultFederatedRoleName,
    managedPolicyArn,
    memberRoleChildNames,
    policyNameOf,
    roleArn,
    stackReferenceParts,
} from "../names";
import { captureRole, defaultGroupFilter } from "../groupFilter";
import { crossAccountTrustPolicy, iamPolicySize, iamSizeLimits } from "../policies";
import { iamPolicyName, iamRoleName, isoDurationSeconds, managedPolicy, oktaDomains } from "./fields";
import { customPolicyDocument } from "./policyDocuments";
import { projectName } from "./problems";
import type {
    CommonConfig,
    CrossAccountRoleConfig,
    CustomPolicyConfig,
    IdentityConfig,
    KeyValue,
    MemberConfig,
    OktaAwsNamespace,
} from "./schema";

/** IAM's default quota of managed policies attached to one role ("IAM and AWS STS quotas"). */
const managedPoliciesPerRole = 10;

export type Reporter = (key: string, value: unknown, reason: string) => void;

export function parseMember(
    common: CommonConfig,
    namespace: OktaAwsNamespace,
    report: Reporter,
    stackFolder: string,
): MemberConfig | undefined {
    const { identityAccountId, crossAccountRoles: roles } = namespace;
    if (roles === undefined) {
        report(
            `${projectName}:crossAccountRoles`,
            undefined,
            "is required in a member stack: list the roles the identity account may switch into",
        );
    }
    if (!roles || !identityAccountId) {
        return undefined;
    }
    const crossAccountRoles = roles.map(({ policies, permissionsBoundary, ...role }, i): CrossAccountRoleConfig => ({
        ...role,
        managedPolicies: role.managedPolicies ?? [],
        ...ownPolicies(
            stackFolder,
            common.partition,
            `${projectName}:crossAccountRoles[${i}]`,
            { ...role, policies, permissionsBoundary },
            report,
        ),
        federatedRoleName: role.federatedRoleName ?? defaultFederatedRoleName(common.account.label, role.name),
        assumePolicyName: role.assumePolicyName ?? defaultAssumePolicyName(common.account.label, role.name),
        maxSessionDuration: role.maxSessionDuration ?? 3600,
    }));
    reportOwnPolicyClashes(common, crossAccountRoles, report);
    reportCollidingRoleChildren(crossAccountRoles, report);
    crossAccountRoles.forEach((role, i) => {
        const key = `${projectName}:crossAccountRoles[${i}]`;
        if (!iamRoleName.safeParse(role.federatedRoleName).success) {
            report(
                `${key}.federatedRoleName`,
                role.federatedRoleName,
                "the derived federated role name is not a valid IAM role name (1–64 characters); set federatedRoleName",
            );
        } else if (role.federatedRoleName.includes(",")) {
            // Okta sends each SAML role as "<provider ARN>,<role ARN>"; AWS splits it on the comma.
            report(
                `${key}.federatedRoleName`,
                role.federatedRoleName,
                'a federated role name cannot contain a comma: AWS reads each SAML role as "<provider ARN>,<role ARN>"; set federatedRoleName',
            );
        }
        if (!iamPolicyName.safeParse(role.assumePolicyName).success) {
            report(
                `${key}.assumePolicyName`,
                role.assumePolicyName,
                "the derived policy name is not a valid IAM policy name (1–128 characters); set assumePolicyName",
            );
        }
        const trust = crossAccountTrustPolicy(accountRootArn(common.partition, identityAccountId), [
            roleArn(common.partition, identityAccountId, role.federatedRoleName),
        ]);
        if (iamPolicySize(trust) > iamSizeLimits.trustPolicy) {
            report(`${key}`, role.name, `its trust policy has ${iamPolicySize(trust)} characters, over IAM's ${iamSizeLimits.trustPolicy}`);
        }
        // Attachments are keyed by policy name, so two policies may not share one.
        reportDuplicates(
            role.managedPolicies,
            (p) => policyNameOf(p),
            `${key}.managedPolicies`,
            "",
            "names a policy whose name is listed already",
            report,
        );
    });
    reportDuplicates(
        crossAccountRoles,
        (r) => r.name.toLowerCase(),
        `${projectName}:crossAccountRoles`,
        "name",
        "role names must be unique in an account (IAM ignores case)",
        report,
    );
    reportDuplicates(
        crossAccountRoles,
        (r) => r.federatedRoleName.toLowerCase(),
        `${projectName}:crossAccountRoles`,
        "federatedRoleName",
        "two roles would share one federated role",
        report,
    );
    return { ...common, kind: "member", identityAccountId, crossAccountRoles };
}

/**
 * A role's own policies and boundary with their documents read and checked; an entry with a
 * problem is reported and left out (the run stops on the report anyway).
 */
function ownPolicies(
    stackFolder: string,
    partition: string,
    key: string,
    role: KeyValue<"crossAccountRoles"> extends (infer R)[] | undefined ? R : never,
    report: Reporter,
): Pick<CrossAccountRoleConfig, "policies" | "permissionsBoundary"> {
    const read = (entryKey: string, entry: { name: string; document?: Record<string, unknown>; file?: string }) => {
        const result = customPolicyDocument(stackFolder, entry);
        if ("problems" in result) {
            result.problems.forEach((p) => report(`${entryKey}${p.at}`, p.value, p.reason));
            return undefined;
        }
        return { name: entry.name, document: result.document };
    };
    const policies = (role.policies ?? []).flatMap((entry, j) => read(`${key}.policies[${j}]`, entry) ?? []);
    const boundary = role.permissionsBoundary;
    let permissionsBoundary: CrossAccountRoleConfig["permissionsBoundary"];
    if (typeof boundary === "string") {
        const parsed = managedPolicy.safeParse(boundary);
        if (parsed.success) {
            permissionsBoundary = { arn: managedPolicyArn(partition, boundary) };
        } else {
            parsed.error.issues.forEach((issue) => report(`${key}.permissionsBoundary`, boundary, issue.message));
        }
    } else if (boundary !== undefined) {
        permissionsBoundary = read(`${key}.permissionsBoundary`, boundary);
    }
    const attached = (role.managedPolicies?.length ?? 0) + (role.policies?.length ?? 0);
    if (attached > managedPoliciesPerRole) {
        report(
            key,
            role.name,
            `attaches ${attached} managed policies (${role.managedPolicies?.length ?? 0} named in managedPolicies, ${role.policies?.length ?? 0} created in policies); IAM's default quota is ${managedPoliciesPerRole} per role (IAM and AWS STS quotas)`,
        );
    }
    // Attachments are keyed by policy name: a created policy may not share a name with a named one.
    const named = new Set((role.managedPolicies ?? []).map((p) => policyNameOf(p).toLowerCase()));
    (role.policies ?? []).forEach((entry, j) => {
        if (named.has(entry.name.toLowerCase())) {
            report(
                `${key}.policies[${j}].name`,
                entry.name,
                "is the name of a policy in managedPolicies too; give the role's own policy another name",
            );
        }
    });
    return { policies, ...(permissionsBoundary && { permissionsBoundary }) };
}

/**
 * Two roles whose children would have one name, and so one URN: names join the role's name and a
 * policy's (`Ops` attaching `…/Team-Read` and `Ops-Team` attaching `…/Read` both give the
 * attachment `Ops-Team-Read`), and the engine stops mid-update at the second ("Duplicate resource
 * URN"). Within one role, two policies of one name are reported as duplicates already.
 */
function reportCollidingRoleChildren(roles: CrossAccountRoleConfig[], report: Reporter): void {
    const children = roles.flatMap((role, i) => {
        const key = `${projectName}:crossAccountRoles[${i}]`;
        const { boundary, policy, attachment } = memberRoleChildNames;
        return [
            ...(role.permissionsBoundary && "name" in role.permissionsBoundary
                ? [
                      {
                          role: i,
                          type: "policy",
                          name: boundary(role.name),
                          key: `${key}.permissionsBoundary`,
                          value: role.permissionsBoundary.name,
                      },
                  ]
                : []),
            ...role.managedPolicies.map((arn, j) => ({
                role: i,
                type: "attachment",
                name: attachment(role.name, policyNameOf(arn)),
                key: `${key}.managedPolicies[${j}]`,
                value: arn,
            })),
            ...role.policies.flatMap((own, j) => [
                { role: i, type: "policy", name: policy(role.name, own.name), key: `${key}.policies[${j}].name`, value: own.name },
                { role: i, type: "attachment", name: attachment(role.name, own.name), key: `${key}.policies[${j}].name`, value: own.name },
            ]),
        ];
    });
    const first = new Map<string, (typeof children)[number]>();
    for (const child of children) {
        const earlier = first.get(`${child.type} ${child.name}`);
        if (!earlier) {
            first.set(`${child.type} ${child.name}`, child);
        } else if (earlier.role !== child.role) {
            report(
                child.key,
                child.value,
                `gives role ${roles[child.role].name} the ${child.type} ${child.name}, which ${earlier.key} ${JSON.stringify(earlier.value)} gives role ${roles[earlier.role].name} too: Pulumi refuses a second resource with one URN ("Duplicate resource URN"); rename one of the roles`,
            );
        }
    }
}

/**
 * The policies a member stack creates share one account, where IAM policy names are unique
 * ignoring case ("IAM identifiers": names are not distinguished by case). A policy this stack
 * creates is attached through its own role's entry: naming it by ARN elsewhere could attach it
 * before it exists.
 */
function reportOwnPolicyClashes(common: CommonConfig, roles: CrossAccountRoleConfig[], report: Reporter): void {
    const created: { key: string; policy: CustomPolicyConfig }[] = roles.flatMap((role, i) => [
        ...role.policies.map((policy, j) => ({ key: `${projectName}:crossAccountRoles[${i}].policies[${j}].name`, policy })),
        ...(role.permissionsBoundary && "name" in role.permissionsBoundary
            ? [{ key: `${projectName}:crossAccountRoles[${i}].permissionsBoundary.name`, policy: role.permissionsBoundary }]
            : []),
    ]);
    const first = new Map<string, { key: string; policy: CustomPolicyConfig }>();
    for (const entry of created) {
        const seen = first.get(entry.policy.name.toLowerCase());
        if (!seen) {
            first.set(entry.policy.name.toLowerCase(), entry);
        } else {
            report(
                entry.key,
                entry.policy.name,
                seen.policy.name === entry.policy.name
                    ? `is created by ${seen.key.replace(/\.name$/, "")} already; IAM policy names are unique in an account (a role takes another's boundary by ARN only if the policy exists beforehand)`
                    : `differs from ${seen.key} "${seen.policy.name}" only in letter case; IAM policy names are unique in an account ignoring case`,
            );
        }
    }
    const createdArns = new Map(
        [...first.values()].map((entry) => [
            customerPolicyArn(common.partition, common.account.id, entry.policy.name).toLowerCase(),
            entry.key,
        ]),
    );
    roles.forEach((role, i) => {
        const references = [
            ...role.managedPolicies.map((policy, j) => ({ key: `managedPolicies[${j}]`, arn: managedPolicyArn(common.partition, policy) })),
            ...(role.permissionsBoundary && "arn" in role.permissionsBoundary
                ? [{ key: "permissionsBoundary", arn: role.permissionsBoundary.arn }]
                : []),
        ];
        for (const { key, arn } of references) {
            const creator = createdArns.get(arn.toLowerCase());
            if (creator) {
                report(
                    `${projectName}:crossAccountRoles[${i}].${key}`,
                    arn,
                    `names a policy this stack creates (${creator.replace(/\.name$/, "")}): it could be attached before it exists; give this role the document too, under another name`,
                );
            }
        }
    });
}

/**
 * The Okta org host people and okta-aws-cli sign in to: the custom domain when one is set, else
 * `<okta:orgName>.<okta:baseUrl>` from the provider's config or, as the provider allows, its environment.
 */
export function oktaOrgDomainOf(values: Record<string, unknown>, customDomain: string | undefined, report: Reporter): string | undefined {
    const orgName = values["okta:orgName"] ?? process.env.OKTA_ORG_NAME;
    const baseUrl = values["okta:baseUrl"] ?? process.env.OKTA_BASE_URL ?? "okta.com";
    if (typeof orgName !== "string" || !/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(orgName)) {
        report("okta:orgName", orgName, "must be the Okta org's name (acmecorp for acmecorp.okta.com); set it or OKTA_ORG_NAME");
        return undefined;
    }
    if (typeof baseUrl !== "string" || !oktaDomains.includes(baseUrl)) {
        report(
            "okta:baseUrl",
            baseUrl,
            `must be one of Okta's domains (${oktaDomains.join(", ")}): the Okta API token and people's Okta passwords go to <okta:orgName>.<okta:baseUrl>; for an Okta custom domain set okta-aws:oktaCustomDomain`,
        );
        return undefined;
    }
    return customDomain ?? `${orgName}.${baseUrl}`;
}

export function parseIdentity(
    common: CommonConfig,
    namespace: OktaAwsNamespace,
    report: Reporter,
    oktaOrgDomain: string | undefined,
): IdentityConfig | undefined {
    const {
        memberStacks,
        samlProviderName,
        oktaApp,
        oktaSsoUser,
        users,
        groups,
        protectIdentityResources,
        introspectionUser,
        cliApp,
        signOnPolicy,
        oktaEngine,
    } = namespace;
    reportSignOnProblems(signOnPolicy, oktaEngine, cliApp?.enabled ?? false, report);
    if (introspectionUser && oktaSsoUser && introspectionUser.name.toLowerCase() === oktaSsoUser.name.toLowerCase()) {
        report(
            `${projectName}:introspectionUser.name`,
            introspectionUser.name,
            "is the okta-aws:oktaSsoUser name too; IAM user names are unique (ignoring case)",
        );
    }
    reportAdoptionIds(common.adopt, oktaApp, users, groups, report);
    if (memberStacks) {
        reportMemberStacks(memberStacks, common.stack, report);
    }
    reportLoginCaseClashes(users, groups, report);
    reportDuplicates(
        users,
        (u) => u.login.toLowerCase(),
        `${projectName}:users`,
        "login",
        "is listed twice (Okta logins ignore case)",
        report,
    );
    users.forEach((u, i) => reportDuplicates(u.samlRoles, (r) => r, `${projectName}:users[${i}].samlRoles`, "", "is listed twice", report));
    if (oktaApp.roleAssignment === "groupMapping") {
        reportRoleMintingGroups(groups, report);
    }
    reportDuplicates(
        groups,
        (g) => g.name.toLowerCase(),
        `${projectName}:groups`,
        "name",
        "is listed twice (Okta group names ignore case)",
        report,
    );
    groups.forEach((g, i) => {
        reportDuplicates(g.samlRoles, (r) => r, `${projectName}:groups[${i}].samlRoles`, "", "is listed twice", report);
        reportDuplicates(g.members ?? [], (m) => m, `${projectName}:groups[${i}].members`, "", "is listed twice", report);
    });
    if (!memberStacks || !oktaOrgDomain) {
        return undefined;
    }
    return {
        ...common,
        kind: "identity",
        oktaOrgDomain,
        memberStacks,
        samlProviderName,
        oktaApp,
        oktaSsoUser,
        introspectionUser,
        cliApp,
        users,
        groups,
        protectIdentityResources,
        signOnPolicy,
        oktaEngine,
    };
}

/**
 * What the sign-on policy cannot be: Classic Engine has no public API for app sign-on policies
 * (okta.AppSignonPolicy: "only available as a part of the Okta Identity Engine … not compatible with
 * Classic orgs"), so it must be switched off there explicitly; okta-aws-cli needs Identity Engine
 * (its web command's Device Authorization grant); and a policy that re-authenticates at every
 * sign-in breaks okta-aws-cli's token exchange ("'every attempt' is hit and miss", okta-aws-cli #153).
 */
function reportSignOnProblems(
    signOnPolicy: KeyValue<"signOnPolicy">,
    oktaEngine: KeyValue<"oktaEngine">,
    cliAppEnabled: boolean,
    report: Reporter,
): void {
    if (oktaEngine === "classic" && signOnPolicy !== false) {
        report(
            `${projectName}:oktaEngine`,
            oktaEngine,
            `Okta Classic Engine has no API for app sign-on policies: set ${projectName}:signOnPolicy: false (reports then say no MFA is enforced by this program) and require MFA in the org's Okta sign-on policy, or move the org to Identity Engine`,
        );
    }
    if (oktaEngine === "classic" && cliAppEnabled) {
        report(
            `${projectName}:cliApp.enabled`,
            true,
            "okta-aws-cli signs in with Okta Identity Engine's Device Authorization grant; on a Classic Engine org set cliApp.enabled: false",
        );
    }
    if (signOnPolicy !== false && cliAppEnabled && isoDurationSeconds(signOnPolicy.reauthenticate) === 0) {
        report(
            `${projectName}:signOnPolicy.reauthenticate`,
            signOnPolicy.reauthenticate,
            "re-authenticates at every sign-in, which okta-aws-cli's token exchange cannot meet (okta-aws-cli #153); give a duration such as PT1H",
        );
    }
}

/**
 * With group mapping, Okta turns the name of every Okta group a person is in that matches the
 * app's group filter into a role value (components/groupFilter.ts): a team group named
 * `aws_<account id>_<role>` would hand its members that role in that account, beside the role
 * groups the program manages and outside what the stacks configure and the verification proves.
 */
function reportRoleMintingGroups(groups: { name: string }[], report: Reporter): void {
    groups.forEach((group, i) => {
        const captured = captureRole(defaultGroupFilter, group.name);
        if (captured) {
            report(
                `${projectName}:groups[${i}].name`,
                group.name,
                `matches the AWS app's group filter (aws_<account id>_<role>): with group mapping Okta would send its members the role ${captured.role} of account ${captured.accountid}, by its name alone, outside the role groups the program manages and the verification proves; rename the group`,
            );
        }
    });
}

/**
 * Member stacks as `pulumi stack select` reads their names (stackReferenceParts): each one a stack
 * of this project, deployed from its own `Pulumi.<stack>.yaml` and listed once however it is
 * spelled. A name that reaches this identity stack in any form (`identity`,
 * `<org>/identity`, `<org>/okta-aws/identity`) would make the deploy run it as a member, outside
 * the identity stack's environment gate.
 */
function reportMemberStacks(memberStacks: string[], identityStack: string, report: Reporter): void {
    const first = new Map<string, number>();
    memberStacks.forEach((member, i) => {
        const key = `${projectName}:memberStacks[${i}]`;
        const { project, stack } = stackReferenceParts(member);
        const earlier = first.get(stack);
        if (stack === identityStack) {
            report(
                key,
                member,
                member === stack
                    ? "is this identity stack itself; list the member stacks"
                    : `is this identity stack itself (${member} names the stack ${stack} of this project); list the member stacks`,
            );
        } else if (project !== undefined && project !== projectName) {
            report(
                key,
                member,
                `names a stack of project ${project}: member stacks are stacks of this project (${projectName}), each deployed from its Pulumi.<stack>.yaml (Pulumi stops on another: "provided project name doesn't match Pulumi.yaml")`,
            );
        } else if (earlier !== undefined) {
            report(
                key,
                member,
                memberStacks[earlier] === member
                    ? `is listed twice: duplicates ${projectName}:memberStacks[${earlier}]`
                    : `names the stack of Pulumi.${stack}.yaml, as ${projectName}:memberStacks[${earlier}] ${JSON.stringify(memberStacks[earlier])} does: list each member once`,
            );
        } else {
            first.set(stack, i);
        }
    });
}

/**
 * Okta logins ignore case: `John@AcmeCorp.ME` and `john@acmecorp.me` are one person. Every login,
 * as a user or a group member, must be spelled one way, or the program would build two profiles
 * and under-report what that person can reach.
 */
function reportLoginCaseClashes(users: { login: string }[], groups: { members?: string[] }[], report: Reporter): void {
    const first = new Map<string, { key: string; login: string }>();
    const logins = [
        ...users.map((u, i) => ({ key: `${projectName}:users[${i}].login`, login: u.login })),
        ...groups.flatMap((g, i) => (g.members ?? []).map((login, j) => ({ key: `${projectName}:groups[${i}].members[${j}]`, login }))),
    ];
    for (const { key, login } of logins) {
        const seen = first.get(login.toLowerCase());
        if (!seen) {
            first.set(login.toLowerCase(), { key, login });
        } else if (seen.login !== login && !key.endsWith(".login")) {
            // Two users in other letter case are reported as duplicates already.
            report(
                key,
                login,
                `is ${seen.key} "${seen.login}" in other letter case; Okta logins ignore case, so spell one person's login one way everywhere`,
            );
        }
    }
}

/**
 * Okta ids say which existing objects to import, so they belong to adoption only: without
 * `okta-aws:adopt` they would be silently ignored, and with it the app must be named, or the
 * program would create a second *Amazon Web Services* app beside the guide's.
 */
function reportAdoptionIds(
    adopt: boolean,
    oktaApp: { id?: string },
    users: { oktaId?: string }[],
    groups: { oktaId?: string }[],
    report: Reporter,
): void {
    const ids = [
        { key: `${projectName}:oktaApp.id`, id: oktaApp.id },
        ...users.map((u, i) => ({ key: `${projectName}:users[${i}].oktaId`, id: u.oktaId })),
        ...groups.map((g, i) => ({ key: `${projectName}:groups[${i}].oktaId`, id: g.oktaId })),
    ];
    if (!adopt) {
        for (const { key, id } of ids.filter((entry) => entry.id !== undefined)) {
            report(
                key,
                id,
                `is read only while ${projectName}:adopt is true; once the object is in the stack's state (after the first successful pulumi up), remove it`,
            );
        }
    } else if (oktaApp.id === undefined) {
        report(
            `${projectName}:oktaApp.id`,
            undefined,
            `${projectName}:adopt is true: give the id of the existing Amazon Web Services app (Okta Admin Console → Applications → the app; its URL ends in 0oa…), or the program creates a second app beside it`,
        );
    }
}

function reportDuplicates<T>(
    items: T[],
    keyOf: (item: T) => string,
    listKey: string,
    field: string,
    reason: string,
    report: Reporter,
): void {
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
        const k = keyOf(item);
        const first = seen.get(k);
        if (first === undefined) {
            seen.set(k, i);
        } else {
            const key = `${listKey}[${i}]${field ? `.${field}` : ""}`;
            const value = field ? (item as Record<string, unknown>)[field] : item;
            report(key, value, `${reason}: duplicates ${listKey}[${first}]`);
        }
    });
}
