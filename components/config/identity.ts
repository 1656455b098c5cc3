// Cross-field checks of the identity stack: what no single key can tell (duplicates across lists,
// logins in two letter cases, adoption ids without adoption, the identity stack listing itself,
// the sign-on policy against the org's engine), and the identity configuration they produce.
import { stackReferenceParts } from "../names";
import { captureRole, defaultGroupFilter } from "../groupFilter";
import { isoDurationSeconds, oktaDomains } from "./fields";
import { configKey, projectName, reportDuplicates, Reporter } from "./problems";
import type { CommonConfig, IdentityConfig, KeyValue, OktaAwsNamespace } from "./schema";

/**
 * The Okta org host people and okta-aws-cli sign in to: the custom domain when one is set, else
 * `<okta:orgName>.<okta:baseUrl>` from the provider's config or, as the provider allows, its environment.
 */
export function oktaOrgDomainOf(
    values: Record<string, unknown>,
    customDomain: string | undefined,
    report: Reporter,
): { signIn: string; org: string } | undefined {
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
    return { signIn: customDomain ?? `${orgName}.${baseUrl}`, org: `${orgName}.${baseUrl}` };
}

export function parseIdentity(
    common: CommonConfig,
    namespace: OktaAwsNamespace,
    report: Reporter,
    oktaHosts: { signIn: string; org: string } | undefined,
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
    reportAdoptionIds(common.adopt, namespace, report);
    reportDirectoryGroups(common.adopt, namespace, report);
    if (memberStacks) {
        reportMemberStacks(memberStacks, common.stack, report);
    }
    reportLoginCaseClashes(namespace, report);
    reportDuplicates(
        users,
        (u) => u.login.toLowerCase(),
        ["users"],
        namespace,
        "login",
        "is listed twice (Okta logins ignore case)",
        report,
    );
    users.forEach((u, i) => reportDuplicates(u.samlRoles, (r) => r, ["users", i, "samlRoles"], namespace, "", "is listed twice", report));
    if (oktaApp.roleAssignment === "groupMapping") {
        reportRoleMintingGroups(namespace, report);
    }
    reportDuplicates(
        groups,
        (g) => g.name.toLowerCase(),
        ["groups"],
        namespace,
        "name",
        "is listed twice (Okta group names ignore case)",
        report,
    );
    groups.forEach((g, i) => {
        reportDuplicates(g.samlRoles, (r) => r, ["groups", i, "samlRoles"], namespace, "", "is listed twice", report);
        reportDuplicates(g.members ?? [], (m) => m, ["groups", i, "members"], namespace, "", "is listed twice", report);
    });
    if (!memberStacks || !oktaHosts) {
        return undefined;
    }
    return {
        ...common,
        kind: "identity",
        oktaOrgDomain: oktaHosts.signIn,
        oktaOrgHost: oktaHosts.org,
        memberStacks,
        samlProviderName,
        oktaApp,
        oktaSsoUser,
        introspectionUser,
        cliApp,
        users,
        // Resolved once: every reader sees a group from the directory as `existing`.
        groups: groups.map((group) => (isDirectoryGroup(group, common.adopt) ? { ...group, existing: true } : group)),
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
function reportRoleMintingGroups(namespace: OktaAwsNamespace, report: Reporter): void {
    namespace.groups.forEach((group, i) => {
        const captured = captureRole(defaultGroupFilter, group.name);
        if (captured) {
            report(
                configKey(["groups", i, "name"], namespace),
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
function reportLoginCaseClashes(namespace: OktaAwsNamespace, report: Reporter): void {
    const first = new Map<string, { key: string; login: string }>();
    const logins = [
        ...namespace.users.map((u, i) => ({ key: configKey(["users", i, "login"], namespace), login: u.login, user: true })),
        ...namespace.groups.flatMap((g, i) =>
            (g.members ?? []).map((login, j) => ({ key: configKey(["groups", i, "members", j], namespace), login, user: false })),
        ),
    ];
    for (const { key, login, user } of logins) {
        const seen = first.get(login.toLowerCase());
        if (!seen) {
            first.set(login.toLowerCase(), { key, login });
        } else if (seen.login !== login && !user) {
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
 * A group from the directory (isDirectoryGroup) is Okta's: the program assigns it and never
 * creates, changes or fills it, so what would change it is refused rather than ignored. Its
 * people are whoever Okta (or the directory that masters it) holds in it.
 */
function reportDirectoryGroups(adopt: boolean, namespace: OktaAwsNamespace, report: Reporter): void {
    namespace.groups.forEach((group, i) => {
        if (!isDirectoryGroup(group, adopt)) {
            return;
        }
        const how = group.existing ? "existing: true" : "oktaId without okta-aws:adopt";
        if (group.members !== undefined) {
            report(
                configKey(["groups", i, "members"], namespace),
                group.members,
                `lists members of an existing Okta group (${how}): its members are managed in Okta, and the program never changes them; remove members, or let the program create the group (drop ${group.existing ? "existing" : "oktaId"})`,
            );
        }
        if (group.description !== undefined) {
            report(
                configKey(["groups", i, "description"], namespace),
                group.description,
                `describes an existing Okta group (${how}), which the program never changes; remove it`,
            );
        }
    });
}

/**
 * Whether a group is one the program finds in Okta rather than creates: `existing: true` (by its
 * exact name, or by `oktaId` when given), or an `oktaId` outside adoption (with `okta-aws:adopt`,
 * an `oktaId` alone names a group to import and manage from then on).
 */
function isDirectoryGroup(group: { existing?: boolean; oktaId?: string }, adopt: boolean): boolean {
    return group.existing === true || (group.oktaId !== undefined && !adopt);
}

/**
 * Okta ids say which existing objects to import, so they belong to adoption only: without
 * `okta-aws:adopt` they would be silently ignored, and with it the app must be named, or the
 * program would create a second *Amazon Web Services* app beside the guide's.
 */
function reportAdoptionIds(adopt: boolean, namespace: OktaAwsNamespace, report: Reporter): void {
    const { oktaApp, users } = namespace;
    const ids = [
        // Once the roles are imported, the app's id also says where its integration credentials are read.
        ...(oktaApp.rolesImported ? [] : [{ key: `${projectName}:oktaApp.id`, id: oktaApp.id }]),
        ...users.map((u, i) => ({ key: configKey(["users", i, "oktaId"], namespace), id: u.oktaId })),
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
        return;
    }
    if (oktaApp.rolesImported && oktaApp.id === undefined) {
        report(
            `${projectName}:oktaApp.id`,
            undefined,
            `${projectName}:oktaApp.rolesImported is true: give the app's id (the identity stack's output oktaAppId, 0oa…), from which the API integration's credentials are read. A look-up by label (GET /api/v1/apps?q=<label>&limit=1) is a starts-with match over every app's name and label that fails when another app comes first (okta/terraform-provider-okta #2847), and after a label change it looks for the new label before the app has it`,
        );
    }
}
