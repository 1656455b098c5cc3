// Pure decisions of the identity stack: which federated roles exist (from the member stacks'
// outputs) and whether every SAML role the config hands out names one of them.
import { samlResponseLimit } from "./awsSignInLimits";
import { ConfigError, configKey, configProblem, IdentityConfig, projectName, SignInPath } from "./config";
import { emergencyGroupName } from "./emergencyAccess";
import { defaultGroupFilter, roleGroupName, roleValuesFromGroups } from "./groupFilter";
import { closest, managedPolicyArn, roleArn, roleValuePattern, samlProviderArn, switchRoleUrl } from "./names";
import { memberOutputs, outputsVersion } from "./outputs";
import { ambiguousGroupRoles, effectiveSamlRoles, joinsAllRoles } from "./rolesOktaSends";
import { assumeRolePolicy, federatedTrustPolicy, iamPolicySize, iamSizeLimits } from "./policies";
import { assignmentChildren, ChildKind, collidingChildren, PlannedChild, samlRoleAssignmentsName } from "./samlRoleAssignments";

/** What the identity stack reads from one member stack. */
export interface MemberStackReading {
    /** As written in `okta-aws:memberStacks`. */
    stack: string;
    /** Output name → value; `undefined` when the stack has no such output. */
    outputs: Record<string, unknown>;
}

/**
 * One member role as the identity stack federates it. Its `name` is the SAML role people are given
 * (`samlRoles`): the federated role's name, which a direct role keeps as its name in the
 * configuration although no federated role exists for it, so that a migration between the
 * topologies changes no person's assignment.
 */
export interface FederatedRoleSpec {
    /** Federated role name, e.g. `Retail-EC2-Admins`. */
    name: string;
    memberStack: string;
    targetAccountId: string;
    targetAccountLabel: string;
    targetRoleName: string;
    targetRoleArn: string;
    targetPolicyArns: string[];
    /** The console link into the target role. */
    targetSwitchRoleUrl: string;
    assumePolicyName: string;
    /** Held by nobody day to day: reached only through its Okta emergency group. */
    emergency: boolean;
    /** The federated role's maximum session, in seconds. */
    maxSessionDuration: number;
    /**
     * How people reach the target: `chained` through the federated role `name`; `direct` with
     * `sts:AssumeRoleWithSAML` into the target itself (no federated role); `both`, the migration's deploy.
     */
    signIn: SignInPath;
    /** direct or both: the member account's SAML provider, which the target role trusts. */
    targetSamlProviderArn?: string;
    /** direct or both: the target role's own maximum session, which a direct sign-in may use in full. */
    targetMaxSessionDuration?: number;
}

/**
 * The role groups of group mapping, by SAML role: the chained path's `aws_<identity account>_<federated
 * role>` and the direct path's `aws_<member account>_<member role>`, both read by the app's one group
 * filter and turned by its one role value pattern into `<that account's provider>,<that account's
 * role>` (Okta, "Integrate multiple AWS instances"). A role on `both` (a migration's deploy) has both;
 * an emergency role keeps its one group, on the chained path until its member is direct.
 */
export function roleGroupsOf(
    identityAccountId: string,
    specs: readonly FederatedRoleSpec[],
): { roleGroups: Record<string, string>; directRoleGroups: Record<string, string> } {
    return {
        roleGroups: Object.fromEntries(
            specs.filter((spec) => spec.signIn !== "direct").map((spec) => [spec.name, roleGroupName(identityAccountId, spec.name)]),
        ),
        directRoleGroups: Object.fromEntries(
            specs
                .filter((spec) => spec.signIn === "direct" || (spec.signIn === "both" && !spec.emergency))
                .map((spec) => [spec.name, roleGroupName(spec.targetAccountId, spec.targetRoleName)]),
        ),
    };
}

/** Whether people reach the spec's target through its federated role (signIn chained or both). */
export function hasFederatedRole(spec: FederatedRoleSpec): boolean {
    return spec.signIn !== "direct";
}

/**
 * An emergency role's session lasts at most an hour: after it, whoever broke the glass signs in
 * again, through the emergency rule's phishing-resistant re-authentication.
 */
const emergencyMaxSessionDuration = 3600;

/**
 * A federated role's maximum session: it must cover the Okta app's session, since AWS refuses a
 * SAML sign-in whose SessionDuration exceeds the role's MaxSessionDuration ("the value can range
 * from 900 seconds up to the maximum session duration setting for the role", IAM User Guide,
 * "Configure SAML assertions for the authentication response"); IAM's floor is one hour.
 */
function federatedMaxSessionDuration(emergency: boolean, appSessionDuration: number): number {
    return emergency ? emergencyMaxSessionDuration : Math.max(3600, appSessionDuration);
}

// The published member schema, output by output: a member deployed by an older release, without
// `outputsVersion`, is still read.
const {
    outputsVersion: versionOutput,
    accountId: accountIdOutput,
    identityAccountId: identityAccountIdOutput,
    crossAccountRoles: crossAccountRolesOutput,
} = memberOutputs.shape;

/**
 * One member stack's federated roles, read from its outputs: only what the member program itself
 * would export for a member of this identity account. Reports why not and returns undefined when
 * the stack cannot be read.
 */
function readMemberRoles(
    config: IdentityConfig,
    readings: MemberStackReading[],
    i: number,
    report: (key: string, value: unknown, reason: string) => void,
): FederatedRoleSpec[] | undefined {
    const { stack, outputs } = readings[i];
    const key = `${projectName}:memberStacks[${i}]`;
    const deployFirst = `deploy the member stack first (pulumi up -s ${stack})`;
    if (outputs.crossAccountRoles === undefined) {
        report(key, stack, `the stack has no crossAccountRoles output: ${deployFirst}`);
        return undefined;
    }
    // A member deployed by an older release exports no version; its outputs are checked as they are.
    if (outputs.outputsVersion !== undefined && !versionOutput.safeParse(outputs.outputsVersion).success) {
        report(
            key,
            stack,
            `the stack exports outputs version ${JSON.stringify(outputs.outputsVersion)}, but this program reads version ${outputsVersion}: deploy both from the same release`,
        );
        return undefined;
    }
    const accountId = accountIdOutput.safeParse(outputs.accountId);
    const identityAccountId = identityAccountIdOutput.safeParse(outputs.identityAccountId);
    const crossAccountRoles = crossAccountRolesOutput.safeParse(outputs.crossAccountRoles);
    if (!accountId.success || !identityAccountId.success || !crossAccountRoles.success) {
        report(
            key,
            stack,
            `the stack's outputs are not those of an ${projectName} member stack (accountId, identityAccountId, crossAccountRoles)`,
        );
        return undefined;
    }
    const memberAccount = accountId.data;
    const otherStack = readings.slice(0, i).find((other) => other.outputs.accountId === memberAccount);
    if (memberAccount === config.account.id || otherStack) {
        report(
            key,
            stack,
            otherStack
                ? `deploys into account ${memberAccount}, as member stack ${otherStack.stack} does: one member stack per account, or their roles and trust would overwrite each other`
                : `deploys into account ${memberAccount}, the identity account of this stack: the identity account holds the federated roles only; give the member its own account`,
        );
        return undefined;
    }
    if (identityAccountId.data !== config.account.id) {
        report(
            key,
            stack,
            `the member trusts identity account "${identityAccountId.data}", but this identity stack is account "${config.account.id}": set okta-aws:identityAccountId in Pulumi.${stack.split("/").pop()}.yaml`,
        );
        return undefined;
    }
    // The member's outputs decide what federated roles may reach: accept only what the member
    // program itself would export (its own account and partition, the link it builds).
    const forged = crossAccountRoles.data.find(
        (role) =>
            role.arn !== roleArn(config.partition, memberAccount, role.name) ||
            role.switchRoleUrl !== switchRoleUrl(memberAccount, role.name) ||
            role.policyArns.some((p) => !managedPolicyArn(config.partition, p).startsWith(`arn:${config.partition}:iam::`)),
    );
    // A role people reach directly trusts this account's provider of the identity's name: what the
    // app's one role value pattern pairs with it.
    const memberProvider = samlProviderArn(config.partition, memberAccount, config.samlProviderName);
    const strayDirect = crossAccountRoles.data.find(
        (role) =>
            (role.signIn === undefined || role.signIn === "chained") !== (role.samlProviderArn === undefined) ||
            (role.samlProviderArn !== undefined && (role.samlProviderArn !== memberProvider || role.maxSessionDuration === undefined)),
    );
    if (!forged && strayDirect) {
        report(
            key,
            stack,
            `its role ${JSON.stringify(strayDirect.name)} is exported with signIn ${JSON.stringify(strayDirect.signIn ?? "chained")}, SAML provider ${JSON.stringify(strayDirect.samlProviderArn)} and maximum session ${JSON.stringify(strayDirect.maxSessionDuration)}; a member of this identity stack signed in to directly trusts ${memberProvider} (okta-aws:samlProviderName of this stack) and exports its maximum session: deploy the member stack again (pulumi up -s ${stack})`,
        );
        return undefined;
    }
    if (forged) {
        report(
            key,
            stack,
            `its role ${JSON.stringify(forged.name)} is exported as ${JSON.stringify(forged.arn)} with switch-role link ${JSON.stringify(forged.switchRoleUrl)}; a member stack of account ${memberAccount} exports ${roleArn(config.partition, memberAccount, forged.name)}, ${switchRoleUrl(memberAccount, forged.name)} and policies of partition ${config.partition}`,
        );
        return undefined;
    }
    return crossAccountRoles.data.map((role) => ({
        name: role.federatedRoleName,
        memberStack: stack,
        targetAccountId: memberAccount,
        targetAccountLabel: typeof outputs.accountLabel === "string" ? outputs.accountLabel : stack,
        targetRoleName: role.name,
        targetRoleArn: role.arn,
        targetPolicyArns: role.policyArns.map((p) => managedPolicyArn(config.partition, p)),
        targetSwitchRoleUrl: role.switchRoleUrl,
        assumePolicyName: role.assumePolicyName,
        emergency: role.emergency ?? false,
        maxSessionDuration: federatedMaxSessionDuration(role.emergency ?? false, config.oktaApp.sessionDuration),
        signIn: role.signIn ?? "chained",
        ...(role.samlProviderArn && { targetSamlProviderArn: role.samlProviderArn }),
        ...(role.maxSessionDuration !== undefined && { targetMaxSessionDuration: role.maxSessionDuration }),
    }));
}

/**
 * Turns the member stacks' outputs into federated roles and checks the identity config against
 * them. Throws ConfigError naming every problem; nothing is registered before this returns.
 */
export function resolveFederatedRoles(config: IdentityConfig, readings: MemberStackReading[]): FederatedRoleSpec[] {
    const problems: string[] = [];
    const report = (key: string, value: unknown, reason: string) => problems.push(configProblem(config.stackFile, key, value, reason));
    const perMember = readings.map((_, i) => readMemberRoles(config, readings, i, report));
    const unreadMembers = perMember.filter((memberRoles) => memberRoles === undefined).length;
    const roles = perMember.flatMap((memberRoles) => memberRoles ?? []);

    const stackKey = (stack: string) => `${projectName}:memberStacks[${readings.findIndex((r) => r.stack === stack)}]`;
    const byName = new Map<string, FederatedRoleSpec>();
    const trust = federatedTrustPolicy(
        samlProviderArn(config.partition, config.account.id, config.samlProviderName),
        config.oktaApp.sessionTags,
    );
    for (const role of roles) {
        const other = byName.get(role.name.toLowerCase());
        if (other) {
            report(
                stackKey(role.memberStack),
                role.memberStack,
                `its role ${role.targetRoleName} wants the federated role "${role.name}", which ${other.memberStack}/${other.targetRoleName} has already; set federatedRoleName on one of them`,
            );
        } else {
            byName.set(role.name.toLowerCase(), role);
        }
        const policy = assumeRolePolicy(role.targetRoleArn);
        if (iamPolicySize(trust) > iamSizeLimits.trustPolicy || iamPolicySize(policy) > iamSizeLimits.managedPolicy) {
            report(
                stackKey(role.memberStack),
                role.memberStack,
                `a generated policy of federated role "${role.name}" exceeds IAM's size limits`,
            );
        }
    }
    const policyNames = new Map<string, FederatedRoleSpec>();
    for (const role of roles.filter(hasFederatedRole)) {
        const other = policyNames.get(role.assumePolicyName.toLowerCase());
        if (other && other.name !== role.name) {
            report(
                stackKey(role.memberStack),
                role.memberStack,
                `its role ${role.targetRoleName} wants the policy name "${role.assumePolicyName}", which ${other.memberStack}/${other.targetRoleName} has already; set assumePolicyName on one of them`,
            );
        }
        policyNames.set(role.assumePolicyName.toLowerCase(), role);
    }

    const known = [...byName.values()].map((r) => r.name).sort();
    const knownSet = new Set(known);
    const emergencyRoles = new Set(roles.filter((r) => r.emergency).map((r) => r.name));
    const checkRoles = (list: "users" | "groups", i: number, samlRoles: string[]) =>
        samlRoles.forEach((samlRole, j) => {
            const key = configKey([list, i, "samlRoles", j], config);
            if (emergencyRoles.has(samlRole)) {
                report(
                    key,
                    samlRole,
                    `is an emergency role: nobody holds it day to day; an Okta admin adds a person to its group ${emergencyGroupName(config.account.id, samlRole)} at the moment of need`,
                );
            } else if (!knownSet.has(samlRole)) {
                const suggestion = closest(samlRole, known);
                report(
                    key,
                    samlRole,
                    `no member stack defines this federated role${suggestion ? `; did you mean "${suggestion}"?` : "."} Known roles: ${known.join(", ") || "(none)"}`,
                );
            }
        });
    // With a member stack unread, its roles are unknown: checking SAML roles would only add noise.
    if (unreadMembers === 0) {
        config.users.forEach((user, i) => checkRoles("users", i, user.samlRoles));
        config.groups.forEach((group, i) => checkRoles("groups", i, group.samlRoles));
    }
    const ambiguous = ambiguousGroupRoles(config);
    if (ambiguous.length > 0) {
        report(
            `${projectName}:oktaApp.joinAllRoles`,
            false,
            `${ambiguous.join(", ")} get${ambiguous.length === 1 ? "s" : ""} different SAML roles from several groups and none of their own: with joinAllRoles off Okta picks one group by priority, which drifts (okta/terraform-provider-okta #377, #736); turn joinAllRoles on or give them their own samlRoles`,
        );
    }

    reportDirectSignInProblems(config, [...byName.values()], report);
    if (unreadMembers === 0) {
        reportOversizedSignIns(config, [...byName.values()], report);
        reportCollidingChildren(config, [...byName.values()], stackKey, report);
    }
    reportEmergencyProblems(config, [...byName.values()], report);

    if (problems.length > 0) {
        throw new ConfigError(problems);
    }
    return roles.sort((a, b) => a.name.localeCompare(b.name));
}

/** Okta's page for connecting several AWS accounts: only through group mapping. */
const oktaMultipleAccounts = "https://help.okta.com/oie/en-us/Content/Topics/DeploymentGuides/AWS/aws-multiple-architecture.htm";

/**
 * Direct sign-in needs group mapping, and the app's session may not outlast the maximum of a role
 * people reach directly (a chained path's federated role is sized to the session; a member role
 * keeps its own maximum, and AWS refuses a longer SessionDuration).
 */
function reportDirectSignInProblems(
    config: IdentityConfig,
    roles: FederatedRoleSpec[],
    report: (key: string, value: unknown, reason: string) => void,
): void {
    const direct = roles.filter((role) => role.signIn !== "chained");
    const directStacks = [...new Set(direct.map((role) => role.memberStack))];
    if (directStacks.length > 0 && config.oktaApp.roleAssignment !== "groupMapping") {
        report(
            `${projectName}:oktaApp.roleAssignment`,
            config.oktaApp.roleAssignment,
            `member stack${directStacks.length === 1 ? "" : "s"} ${directStacks.join(", ")} sign${directStacks.length === 1 ? "s" : ""} people in directly (okta-aws:signIn direct or both), which needs groupMapping: Okta connects several AWS accounts only through group mapping ("Connecting multiple Amazon Web Services (AWS) accounts using the API isn't supported", Okta, Integrate multiple AWS instances, ${oktaMultipleAccounts}); set groupMapping`,
        );
    }
    const shorter = direct.filter((role) => (role.targetMaxSessionDuration ?? 3600) < config.oktaApp.sessionDuration);
    if (shorter.length > 0) {
        report(
            `${projectName}:oktaApp.sessionDuration`,
            config.oktaApp.sessionDuration,
            `exceeds the maximum session of role${shorter.length === 1 ? "" : "s"} people sign in to directly: ${shorter.map((r) => `${r.memberStack}/${r.targetRoleName} (${r.targetMaxSessionDuration} s)`).join(", ")}: AWS refuses a SAML sign-in whose SessionDuration exceeds the role's maximum; set at most ${Math.min(...shorter.map((r) => r.targetMaxSessionDuration ?? 3600))}, or raise the role's maxSessionDuration`,
        );
    }
}

/** What each kind of SamlRoleAssignments child is, as a person names it. */
const childWhat: Record<ChildKind, string> = {
    user: "Okta user",
    userAssignment: "AWS app assignment",
    userCliAssignment: "CLI app assignment",
    group: "Okta group",
    groupAssignment: "AWS app assignment",
    groupCliAssignment: "CLI app assignment",
    groupMembers: "memberships",
    groupRule: "group rule",
    roleGroup: "role group",
    roleAssignment: "AWS app assignment of the role group",
    roleCliAssignment: "CLI app assignment of the role group",
    roleMembers: "memberships of the role group",
    emergencyAssignment: "AWS app assignment of the emergency group",
    directRoleGroup: "direct sign-in role group",
    directRoleAssignment: "AWS app assignment of the direct sign-in role group",
    directRoleCliAssignment: "CLI app assignment of the direct sign-in role group",
    directRoleMembers: "memberships of the direct sign-in role group",
};

/**
 * Users, groups and federated roles whose Okta resources would share a name, and so a URN: child
 * names join a key and a suffix (`Ops` + `-cli-assignment`, `Ops-cli` + `-assignment`), and the
 * engine stops mid-update at the second resource ("Duplicate resource URN"). Checked as if the
 * roles were imported, so that turning `rolesImported` on, the documented next step, cannot
 * collide either; renaming later would replace Okta groups and assignments. Reported at the user
 * or group when one of the two is one (the easier to rename).
 */
function reportCollidingChildren(
    config: IdentityConfig,
    roles: FederatedRoleSpec[],
    stackKey: (stack: string) => string,
    report: (key: string, value: unknown, reason: string) => void,
): void {
    const children = assignmentChildren(samlRoleAssignmentsName, {
        users: config.users,
        groups: config.groups,
        mode: config.oktaApp.roleAssignment,
        rolesImported: true,
        cliApp: config.cliApp?.enabled ?? false,
        ...(config.oktaApp.roleAssignment === "groupMapping" ? roleGroupsOf(config.account.id, roles) : { roleGroups: {} }),
        emergencyRoles: roles
            .filter((role) => role.emergency)
            .map((role) => role.name)
            .sort(),
    });
    const ownerOf = ({ owner }: PlannedChild) => {
        if ("user" in owner) {
            const key = configKey(["users", config.users.findIndex((u) => u.login === owner.user), "login"], config);
            return { key, value: owner.user, text: `${key} ${JSON.stringify(owner.user)}` };
        }
        if ("group" in owner) {
            const key = configKey(["groups", config.groups.findIndex((g) => g.name === owner.group), "name"], config);
            return { key, value: owner.group, text: `${key} ${JSON.stringify(owner.group)}` };
        }
        const role = roles.find((r) => r.name === owner.role)!;
        return {
            key: stackKey(role.memberStack),
            value: role.memberStack,
            role,
            text: `${role.memberStack}/${role.targetRoleName} (federated role ${role.name})`,
        };
    };
    for (const [first, second] of collidingChildren(children)) {
        const [reported, other] = "role" in second.owner && !("role" in first.owner) ? [first, second] : [second, first];
        const [owner, otherOwner] = [ownerOf(reported), ownerOf(other)];
        const subject = owner.role
            ? `the ${childWhat[reported.kind]} of its role ${owner.role.targetRoleName} (federated role ${owner.role.name})`
            : `its ${childWhat[reported.kind]}`;
        report(
            owner.key,
            owner.value,
            `${subject} and the ${childWhat[other.kind]} of ${otherOwner.text} would both be the resource ${second.name}: Pulumi refuses a second resource with one URN ("Duplicate resource URN"); ${owner.role && otherOwner.role ? "set federatedRoleName on one of the roles" : "rename one of them"}`,
        );
    }
}

/**
 * Emergency roles need the sign-on policy (their group's own rule) and joinAllRoles (or their group's
 * role is not joined to a person's own), and the app's session may not
 * outlast a federated role's maximum, or AWS refuses the sign-in: for an emergency role, at the
 * moment of need.
 */
function reportEmergencyProblems(
    config: IdentityConfig,
    roles: FederatedRoleSpec[],
    report: (key: string, value: unknown, reason: string) => void,
): void {
    const emergency = roles.filter((role) => role.emergency).map((role) => role.name);
    if (emergency.length > 0 && config.signOnPolicy === false) {
        report(
            `${projectName}:signOnPolicy`,
            false,
            `emergency role${emergency.length === 1 ? "" : "s"} ${emergency.join(", ")} need${emergency.length === 1 ? "s" : ""} the sign-on policy: its own rule makes its group re-authenticate, phishing-resistant, at every sign-in`,
        );
    }
    // Okta documents joinAllRoles for SAML user roles only: off, a person with an assignment of
    // their own gets only that assignment's roles (one with none, one group's by priority), so an
    // emergency group's role would reach nobody who already has AWS access. With group mapping
    // Okta documents nothing either way: emergency roles are accepted with it on, the proven case.
    // https://help.okta.com/en-us/content/topics/deploymentguides/aws/aws-configure-aws-app.htm ("Join all roles")
    if (emergency.length > 0 && !config.oktaApp.joinAllRoles) {
        report(
            `${projectName}:oktaApp.joinAllRoles`,
            false,
            `emergency role${emergency.length === 1 ? "" : "s"} ${emergency.join(", ")} need${emergency.length === 1 ? "s" : ""} joinAllRoles: with it off Okta sends a person with an assignment of their own only that assignment's roles (Okta's "Join all roles"), so breaking the glass gives nothing to anyone who already has AWS access; turn joinAllRoles on`,
        );
    }
    // A role reached only directly has no federated role: its own maximum is checked with the direct roles'.
    const shorter = roles.filter((role) => hasFederatedRole(role) && role.maxSessionDuration < config.oktaApp.sessionDuration);
    if (shorter.length > 0) {
        report(
            `${projectName}:oktaApp.sessionDuration`,
            config.oktaApp.sessionDuration,
            `exceeds the maximum session of federated role${shorter.length === 1 ? "" : "s"} ${shorter.map((r) => `${r.name} (${r.maxSessionDuration} s${r.emergency ? ", an emergency role" : ""})`).join(", ")}: AWS refuses a SAML sign-in whose SessionDuration exceeds the role's maximum; set at most ${Math.min(...shorter.map((r) => r.maxSessionDuration))}`,
        );
    }
}

/**
 * An upper estimate of the base64 SAML response Okta sends for these role values: Okta's envelope
 * (signed response and assertion, its certificate, the other attributes) and, per role, the value
 * inside an `AttributeValue` element with its own namespace declarations, as Okta writes them.
 */
function samlResponseEstimate(roleValues: string[]): number {
    const envelope = 8000;
    const perValue = 160;
    const xml = envelope + roleValues.reduce((sum, value) => sum + value.length + perValue, 0);
    return Math.ceil(xml / 3) * 4;
}

/**
 * Every person whose sign-in would carry more roles than AWS accepts in one SAML response. Okta
 * sends one value per role group of a person's SAML role (roleGroupsOf), rendered by the app's
 * group filter and role value pattern: the chained path's `<identity provider>,<federated role>`,
 * the direct path's `<member account's provider>,<member role>`, both during a migration's deploy.
 */
function reportOversizedSignIns(
    config: IdentityConfig,
    roles: FederatedRoleSpec[],
    report: (key: string, value: unknown, reason: string) => void,
): void {
    const { roleGroups, directRoleGroups } = roleGroupsOf(config.account.id, roles);
    const pattern = roleValuePattern(config.partition, config.samlProviderName);
    const valuesByRole = new Map<string, string[]>();
    const roleValues = (samlRole: string): string[] => {
        let values = valuesByRole.get(samlRole);
        if (values === undefined) {
            values = roleValuesFromGroups(
                // A role no member defines (reported on its own) counts as the chained path would send it.
                Object.hasOwn(roleGroups, samlRole) || Object.hasOwn(directRoleGroups, samlRole)
                    ? [roleGroups[samlRole], directRoleGroups[samlRole]].filter((group) => group !== undefined)
                    : [roleGroupName(config.account.id, samlRole)],
                defaultGroupFilter,
                pattern,
            );
            valuesByRole.set(samlRole, values);
        }
        return values;
    };
    // A person's key: their user entry, else their first group membership.
    const keyOf = new Map(config.users.map((u, i) => [u.login, configKey(["users", i, "login"], config)]));
    config.groups.forEach((g, i) =>
        g.members?.forEach((login, j) => keyOf.set(login, keyOf.get(login) ?? configKey(["groups", i, "members", j], config))),
    );
    for (const [login, samlRoles] of Object.entries(effectiveSamlRoles(config.users, config.groups, joinsAllRoles(config.oktaApp)))) {
        const values = samlRoles.flatMap(roleValues);
        const size = samlResponseEstimate(values);
        if (size > samlResponseLimit) {
            // A role of a member on `signIn: both` is sent twice, once per path.
            const sent =
                values.length === samlRoles.length ? "" : ` (${values.length} role values: both paths of the members on signIn: both)`;
            report(
                keyOf.get(login)!,
                login,
                `gets ${samlRoles.length} SAML roles${sent}: Okta's SAML response would be about ${size} characters, over the ${samlResponseLimit} AWS accepts (AssumeRoleWithSAML SAMLAssertion); split the roles over fewer people or groups`,
            );
        }
    }
}
