// Cross-field checks: what no single key can tell (duplicates across lists, logins in two letter
// cases, adoption ids without adoption, the identity stack listing itself, derived names and
// documents that IAM would refuse), and the member and identity configurations they produce.
import { accountRootArn, defaultAssumePolicyName, defaultFederatedRoleName, policyNameOf, roleArn, stackReferenceParts } from "../names";
import { crossAccountTrustPolicy, iamPolicySize, iamSizeLimits } from "../policies";
import { iamPolicyName, iamRoleName, oktaDomains } from "./fields";
import { projectName } from "./problems";
import type { CommonConfig, IdentityConfig, KeyValue, MemberConfig, oktaAwsKeys } from "./schema";

export type Getter = <K extends keyof typeof oktaAwsKeys>(key: K) => KeyValue<K> | undefined;
export type Reporter = (key: string, value: unknown, reason: string) => void;

export function parseMember(common: CommonConfig, get: Getter, report: Reporter, rawRoles: unknown): MemberConfig | undefined {
    const identityAccountId = get("identityAccountId");
    const roles = get("crossAccountRoles");
    if (roles === undefined && rawRoles === undefined) {
        report(
            `${projectName}:crossAccountRoles`,
            undefined,
            "is required in a member stack: list the roles the identity account may switch into",
        );
    }
    if (!roles || !identityAccountId || !common.account) {
        return undefined;
    }
    const crossAccountRoles = roles.map((role) => ({
        ...role,
        federatedRoleName: role.federatedRoleName ?? defaultFederatedRoleName(common.account.label, role.name),
        assumePolicyName: role.assumePolicyName ?? defaultAssumePolicyName(common.account.label, role.name),
        maxSessionDuration: role.maxSessionDuration ?? 3600,
    }));
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
            policyNameOf,
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
    get: Getter,
    report: Reporter,
    oktaOrgDomain: string | undefined,
): IdentityConfig | undefined {
    const memberStacks = get("memberStacks");
    const samlProviderName = get("samlProviderName");
    const oktaApp = get("oktaApp");
    const oktaSsoUser = get("oktaSsoUser");
    const users = get("users");
    const groups = get("groups");
    const protectIdentityResources = get("protectIdentityResources");
    const introspectionUser = get("introspectionUser");
    const cliApp = get("cliApp");
    if (introspectionUser && oktaSsoUser && introspectionUser.name.toLowerCase() === oktaSsoUser.name.toLowerCase()) {
        report(
            `${projectName}:introspectionUser.name`,
            introspectionUser.name,
            "is the okta-aws:oktaSsoUser name too; IAM user names are unique (ignoring case)",
        );
    }
    if (oktaApp && users && groups) {
        reportAdoptionIds(common.adopt, oktaApp, users, groups, report);
    }
    if (memberStacks) {
        reportMemberStacks(memberStacks, common.stack, report);
    }
    if (users && groups) {
        reportLoginCaseClashes(users, groups, report);
    }
    if (users) {
        reportDuplicates(
            users,
            (u) => u.login.toLowerCase(),
            `${projectName}:users`,
            "login",
            "is listed twice (Okta logins ignore case)",
            report,
        );
        users.forEach((u, i) =>
            reportDuplicates(u.samlRoles, (r) => r, `${projectName}:users[${i}].samlRoles`, "", "is listed twice", report),
        );
    }
    if (groups) {
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
    }
    if (
        !memberStacks ||
        !samlProviderName ||
        !oktaApp ||
        !oktaSsoUser ||
        !users ||
        !groups ||
        protectIdentityResources === undefined ||
        !common.account ||
        !oktaOrgDomain
    ) {
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
    };
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
