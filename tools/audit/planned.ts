// What the code says the live organisation holds, from the offline plan and the configuration it
// was built from: per account the roles (trust, attachments, inline policies, boundary), the
// customer managed policies and SAML providers; in Okta the AWS app's settings, its assignments or
// role groups and their members; and each person's access. The audit compares the live
// organisation against this, never against Okta ids or the mock's ARNs of things AWS names itself.
import { customerPolicyArn, roleArn, samlProviderArn } from "../../components/names";
import type { IdentityConfig, StackConfig } from "../../components/config";
import type { IdentityOutputs } from "../../components/outputs";
import { effectiveSamlRoles, joinsAllRoles } from "../../components/rolesOktaSends";
import { oktaAwsAppSettings } from "../../components/oktaAwsApp";
import { assignmentChildren, ChildKind, samlRoleAssignmentsName } from "../../components/samlRoleAssignments";
import type { AccessRow, PlanResult, PlannedResource } from "../plan/model";
import { isDirect } from "../report/planView";
import { PlannedSignOn, plannedSignOn } from "./signOn";
import { CodeOktaIds, idTranslation, oktaIdsOf } from "./stateIds";

export interface PlannedIamRole {
    accountId: string;
    arn: string;
    name: string;
    trust: object;
    attachedPolicyArns: string[];
    inlinePolicies: Record<string, object>;
    permissionsBoundaryArn?: string;
    /** Seconds; IAM's default (3600) when the program sets none. */
    maxSessionDuration: number;
}

export interface PlannedAccount {
    stack: string;
    accountId: string;
    label: string;
    kind: "identity" | "member";
    /** The read-only role the audit assumes in the account (`okta-aws:auditRole.name`). */
    auditRoleName: string;
    roles: Map<string, PlannedIamRole>;
    /** Customer managed policies the stack creates, by ARN. */
    policies: Map<string, object>;
    /** SAML providers the stack creates, by ARN. */
    samlProviders: string[];
    /** IAM users the stack creates (Okta's role-listing user, the introspection user), with what they may do, by name. */
    users: Map<string, PlannedUser>;
}

/** An IAM user of the code: its own policies, and its groups with theirs. */
interface PlannedUser {
    attachedPolicyArns: string[];
    inlinePolicies: Record<string, object>;
    groups: Record<string, { attachedPolicyArns: string[]; inlinePolicies: Record<string, object> }>;
}

/** One Okta group of the code, with the members the code puts in it. */
interface PlannedGroup {
    name: string;
    /** The group's Okta id in the code's state (its assignment's `groupId`), for a group assigned to the app. */
    id?: string;
    /**
     * A team group of `okta-aws:groups`, (groupMapping) the role group of one federated role, or
     * the empty group of an emergency role, whose members are held access, never the code's.
     */
    kind: "team" | "role" | "emergency";
    /** samlUserRoles: the roles of its assignment to the AWS app; groupMapping role groups: the one role. */
    samlRoles: string[];
    /** Priority of its assignment to the AWS app; undefined for a group the app is not assigned to. */
    priority?: number;
    members: string[];
    /** A team group that exists in Okta (`groups[].existing`, `oktaId`): its members are Okta's, never drift. */
    existing?: true;
}

interface PlannedOkta {
    /** The AWS app's Okta id in the code's state. */
    appId?: string;
    appLabel: string;
    /** The okta-aws-cli app's Okta id in the code's state, when the code makes one. */
    cliAppId?: string;
    /** The app's settings the code decides (without the API integration's credentials). */
    settings: Record<string, unknown>;
    mode: "samlUserRoles" | "groupMapping";
    rolesImported: boolean;
    /** groupMapping: whether members of the role groups added elsewhere count as drift. */
    roleGroupMembersManaged: boolean;
    /** People assigned to the AWS app directly, by Okta user id, with their SAML roles (samlUserRoles, once the roles are imported). */
    assignedUsers: { id: string; login: string; samlRoles: string[] }[];
    /** Groups assigned to the AWS app (team groups, or role groups), and team groups that only feed role groups. */
    groups: PlannedGroup[];
    /** groupMapping: the role group of each federated role. */
    roleGroups: Record<string, string>;
    /** Each emergency role's group and the member role it reaches, by role. */
    emergencyRoles: NonNullable<IdentityOutputs["emergencyRoles"]>;
    /** What `okta-aws:oktaApp` says an administrator configured on the app by hand: the SourceIdentity and session tag attribute statements. */
    declaredAttributes: { sourceIdentity: boolean; sessionTags: boolean };
    /** The code's sign-on policy and the apps that use it; undefined when the code makes none. */
    signOn?: PlannedSignOn;
}

export interface PlannedOrganisation {
    partition: string;
    identityAccountId: string;
    samlProviderArn: string;
    accounts: PlannedAccount[];
    okta: PlannedOkta;
    /** The Okta role-listing IAM user and the age its key may reach (samlUserRoles only). */
    roleListingUser?: { name: string; maxKeyAgeDays: number };
    /** Each person's access once the code's assignments are made, one row per person and role, by login. */
    access: AccessRow[];
    /** Assignments the code holds back until the roles are imported (samlUserRoles, rolesImported false). */
    pendingAssignments: number;
}

const inputsOf = (resources: PlannedResource[], type: string) => resources.filter((r) => r.type === type).map((r) => r.inputs);

/** One stack's account as the code makes it. */
function plannedAccount(config: StackConfig, resources: PlannedResource[]): PlannedAccount {
    const { partition } = config;
    const accountId = config.account.id;
    const attachments = new Map<string, string[]>();
    for (const attachment of inputsOf(resources, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")) {
        attachments.set(String(attachment.role), [...(attachments.get(String(attachment.role)) ?? []), String(attachment.policyArn)]);
    }
    const inline = new Map<string, Record<string, object>>();
    for (const policy of inputsOf(resources, "aws:iam/rolePolicy:RolePolicy")) {
        inline.set(String(policy.role), {
            ...inline.get(String(policy.role)),
            [String(policy.name)]: JSON.parse(String(policy.policy)) as object,
        });
    }
    const roles = new Map<string, PlannedIamRole>();
    for (const role of inputsOf(resources, "aws:iam/role:Role")) {
        // The program sets no IAM paths: every ARN is `…:role/<name>`, `…:policy/<name>`.
        const name = String(role.name);
        const arn = roleArn(partition, accountId, name);
        roles.set(arn, {
            accountId,
            arn,
            name,
            trust: JSON.parse(String(role.assumeRolePolicy)) as object,
            attachedPolicyArns: [...(attachments.get(name) ?? [])].sort(),
            inlinePolicies: inline.get(name) ?? {},
            permissionsBoundaryArn: typeof role.permissionsBoundary === "string" ? role.permissionsBoundary : undefined,
            // IAM API Reference, CreateRole: MaxSessionDuration defaults to 3600 seconds.
            maxSessionDuration: typeof role.maxSessionDuration === "number" ? role.maxSessionDuration : 3600,
        });
    }
    const policies = new Map(
        inputsOf(resources, "aws:iam/policy:Policy").map((policy) => [
            customerPolicyArn(partition, accountId, String(policy.name)),
            JSON.parse(String(policy.policy)) as object,
        ]),
    );
    const named = (type: string, key: string) => {
        const found = new Map<string, { arns: string[]; inline: Record<string, object> }>();
        for (const inputs of inputsOf(resources, type)) {
            found.set(String(inputs[key]), found.get(String(inputs[key])) ?? { arns: [], inline: {} });
        }
        return found;
    };
    const groupsOfCode = named("aws:iam/group:Group", "name");
    for (const policy of inputsOf(resources, "aws:iam/groupPolicy:GroupPolicy")) {
        groupsOfCode.get(String(policy.group))!.inline[String(policy.name)] = JSON.parse(String(policy.policy)) as object;
    }
    for (const attachment of inputsOf(resources, "aws:iam/groupPolicyAttachment:GroupPolicyAttachment")) {
        groupsOfCode.get(String(attachment.group))!.arns.push(String(attachment.policyArn));
    }
    const usersOfCode = named("aws:iam/user:User", "name");
    for (const policy of inputsOf(resources, "aws:iam/userPolicy:UserPolicy")) {
        usersOfCode.get(String(policy.user))!.inline[String(policy.name)] = JSON.parse(String(policy.policy)) as object;
    }
    for (const attachment of inputsOf(resources, "aws:iam/userPolicyAttachment:UserPolicyAttachment")) {
        usersOfCode.get(String(attachment.user))!.arns.push(String(attachment.policyArn));
    }
    const memberships = inputsOf(resources, "aws:iam/userGroupMembership:UserGroupMembership");
    const users = new Map(
        [...usersOfCode].map(([name, own]): [string, PlannedUser] => [
            name,
            {
                attachedPolicyArns: own.arns.sort(),
                inlinePolicies: own.inline,
                groups: Object.fromEntries(
                    memberships
                        .filter((m) => m.user === name)
                        .flatMap((m) => m.groups as string[])
                        .map((group) => [
                            group,
                            {
                                attachedPolicyArns: [...(groupsOfCode.get(group)?.arns ?? [])].sort(),
                                inlinePolicies: groupsOfCode.get(group)?.inline ?? {},
                            },
                        ]),
                ),
            },
        ]),
    );
    const samlProviders = inputsOf(resources, "aws:iam/samlProvider:SamlProvider").map((provider) =>
        samlProviderArn(partition, accountId, String(provider.name)),
    );
    return {
        stack: config.stack,
        kind: config.kind,
        accountId,
        label: config.account.label,
        auditRoleName: config.auditRole.name,
        roles,
        policies,
        samlProviders,
        users,
    };
}

/**
 * The code's organisation, from a built plan; its Okta objects known by the ids of the code's
 * state (the identity stack's outputs), or offline by the plan's own.
 */
export function plannedOrganisation({ plan, evaluations }: PlanResult, state?: CodeOktaIds): PlannedOrganisation {
    const identityEvaluation = evaluations.find((e) => e.config.kind === "identity")!;
    const config = identityEvaluation.config as IdentityConfig;
    const partition = config.partition;
    const accounts = evaluations.map((evaluation) => plannedAccount(evaluation.config, plan.stacks[evaluation.stack].resources));
    const providerArn = samlProviderArn(partition, config.account.id, config.samlProviderName);
    const groupMapping = config.oktaApp.roleAssignment === "groupMapping";
    const roleGroups = identityEvaluation.reference.outputs.roleGroups ?? {};
    // The role groups of the direct path (aws_<member account>_<member role>), by SAML role.
    const directRoleGroups = identityEvaluation.reference.outputs.directRoleGroups ?? {};
    const withProfiles = !groupMapping && config.oktaApp.rolesImported;
    const emergencyRoles = identityEvaluation.reference.outputs.emergencyRoles ?? {};
    const emergencyGroup = new Set(Object.values(emergencyRoles).map((e) => e.group));
    const identityResources = plan.stacks[identityEvaluation.stack].resources;
    // The plan's ids are the mock's; each is translated into the state's id of the same object.
    const planIds = oktaIdsOf(identityEvaluation.reference.outputs, `the plan of stack ${identityEvaluation.stack}`);
    const stateIds = state ?? planIds;
    const stateId = idTranslation(planIds, stateIds);
    const planAppId = planIds.appId;
    const appId = stateIds.appId;
    const cliAppId = stateIds.cliAppId;

    // What SamlRoleAssignments registers: the priorities it gives and the memberships it makes.
    const children = new Map(
        assignmentChildren(samlRoleAssignmentsName, {
            users: config.users,
            groups: config.groups,
            mode: config.oktaApp.roleAssignment,
            rolesImported: config.oktaApp.rolesImported,
            cliApp: config.cliApp?.enabled ?? false,
            roleGroups: groupMapping ? roleGroups : {},
            ...(groupMapping && { directRoleGroups }),
            emergencyRoles: Object.keys(emergencyRoles).sort(),
        }).map((child) => [`${child.kind} ${child.key}`, child]),
    );
    const child = (kind: ChildKind, key: string) => children.get(`${kind} ${key}`);
    const groups: PlannedGroup[] = [];
    for (const group of config.groups) {
        groups.push({
            name: group.name,
            kind: "team",
            samlRoles: [...group.samlRoles].sort(),
            priority: child("groupAssignment", group.name)?.priority,
            members: child("groupMembers", group.name)?.members ?? [],
            ...(group.existing && { existing: true as const }),
        });
    }
    if (groupMapping) {
        // A role group's members: the people holding its role, and the members of every team
        // group whose rule adds them.
        // The chained path's groups, then the direct path's (a role in migration has both).
        const paths = [
            ...Object.entries(roleGroups).map(
                ([role, name]) => ({ role, name, members: "roleMembers", assignment: "roleAssignment" }) as const,
            ),
            ...Object.entries(directRoleGroups).map(
                ([role, name]) => ({ role, name, members: "directRoleMembers", assignment: "directRoleAssignment" }) as const,
            ),
        ];
        for (const path of paths.sort((a, b) => a.role.localeCompare(b.role))) {
            const { role, name } = path;
            const members = new Set([
                ...(child(path.members, role)?.members ?? []),
                ...config.groups
                    .filter((g) => child("groupRule", g.name)?.samlRoles?.includes(role))
                    .flatMap((g) => child("groupMembers", g.name)?.members ?? []),
            ]);
            const kind = emergencyGroup.has(name) ? "emergency" : "role";
            groups.push({ name, kind, samlRoles: [role], priority: child(path.assignment, role)?.priority, members: [...members].sort() });
        }
    } else {
        Object.keys(emergencyRoles)
            .sort()
            .forEach((role) =>
                groups.push({
                    name: emergencyRoles[role].group,
                    kind: "emergency",
                    samlRoles: [role],
                    priority: child("emergencyAssignment", role)?.priority,
                    members: [],
                }),
            );
    }

    const sentSettings = oktaAwsAppSettings({
        label: config.oktaApp.label,
        identityProviderArn: providerArn,
        samlProviderName: config.samlProviderName,
        partition,
        sessionDuration: config.oktaApp.sessionDuration,
        loginUrl: config.oktaApp.loginUrl,
        joinAllRoles: config.oktaApp.joinAllRoles,
        useGroupMapping: groupMapping,
    });

    // Each person's roles once assigned, joined as Okta joins them; the targets from the plan's rows.
    const delivered = groupMapping || config.oktaApp.rolesImported;
    // A SAML role's target, per path: a member in migration (signIn both) is reached both ways.
    const byRole = new Map<string, Map<boolean, AccessRow>>();
    for (const row of plan.access) {
        byRole.set(row.samlRole, (byRole.get(row.samlRole) ?? new Map<boolean, AccessRow>()).set(isDirect(row), row));
    }
    const access = Object.entries(effectiveSamlRoles(config.users, config.groups, joinsAllRoles(config.oktaApp))).flatMap(
        ([login, samlRoles]) =>
            delivered
                ? samlRoles.flatMap((samlRole) =>
                      [...(byRole.get(samlRole)?.values() ?? [])].map((row): AccessRow => ({
                          ...row,
                          principal: login,
                          principalType: "user",
                      })),
                  )
                : [],
    );

    for (const group of groups) {
        // By the id the state gives the group's name: a group merely named like it is another group.
        group.id = stateIds.groups[group.name];
    }
    const assignedUsers = inputsOf(identityResources, "okta:app/user:User")
        .filter((assignment) => assignment.appId === planAppId && assignment.profile !== undefined)
        .map((assignment) => ({
            id: stateId(String(assignment.userId)) ?? `(no id in the code's state for ${String(assignment.username)})`,
            login: String(assignment.username),
            samlRoles: [...((JSON.parse(String(assignment.profile)) as { samlRoles?: string[] }).samlRoles ?? [])].sort(),
        }));
    const pending = identityEvaluation.reference.outputs.pendingAssignments;

    return {
        partition,
        identityAccountId: config.account.id,
        samlProviderArn: providerArn,
        accounts,
        okta: {
            appId,
            appLabel: config.oktaApp.label,
            cliAppId,
            settings: sentSettings,
            mode: config.oktaApp.roleAssignment,
            rolesImported: config.oktaApp.rolesImported,
            roleGroupMembersManaged: config.oktaApp.roleGroupMembers === "managed",
            assignedUsers: withProfiles ? assignedUsers : [],
            groups,
            roleGroups,
            emergencyRoles,
            declaredAttributes: { sourceIdentity: config.oktaApp.sourceIdentity, sessionTags: config.oktaApp.sessionTags },
            signOn: plannedSignOn(identityResources, { saml: appId, cli: cliAppId }, stateId),
        },
        roleListingUser: groupMapping ? undefined : { name: config.oktaSsoUser.name, maxKeyAgeDays: config.oktaSsoUser.maxKeyAgeDays },
        access: access.sort(accessOrder),
        // As the preview counts them (the identity stack's output), emergency groups included.
        pendingAssignments: pending ? pending.users + pending.groups : 0,
    };
}

/** Rows by person, then role and target. */
export function accessOrder(a: AccessRow, b: AccessRow): number {
    return (
        a.principal.toLowerCase().localeCompare(b.principal.toLowerCase()) ||
        a.samlRole.localeCompare(b.samlRole) ||
        a.targetRoleArn.localeCompare(b.targetRoleArn)
    );
}

/**
 * What makes two rows the same access, whatever group or policies: the person, the SAML role, the
 * role reached and whether the sign-in lands in it directly (a member in migration has both).
 */
export function sameAccessKey(row: AccessRow): string {
    return JSON.stringify([row.principal.toLowerCase(), row.samlRole, row.targetAccountId, row.targetRoleArn, isDirect(row)]);
}
