// Who gets which federated role in Okta, in one of two modes: SAML User Roles on every user and
// group assignment of the AWS app (`samlUserRoles`, the guide's way), or one Okta group per role
// that the app's group filter reads (`groupMapping`, Okta's way for many accounts and people).
import * as crypto from "crypto";
import * as okta from "@pulumi/okta";
import * as pulumi from "@pulumi/pulumi";
import { appAssignmentImportId, importOption } from "./adoption";
import type { IdentityOutputs } from "./outputs";
import type { RoleAssignmentMode } from "./config";

/** One person's assignment: plain, from the identity stack's config (names children by login). */
export interface UserAssignment {
    /** Okta login (user name), e.g. `john@acmecorp.me`. */
    readonly login: string;
    /** With `lastName`: create and manage the user in Okta. Without: the user exists and is looked up. */
    readonly firstName?: string;
    /** With `firstName`: create and manage the user in Okta. */
    readonly lastName?: string;
    /** Defaults to the login. */
    readonly email?: string;
    /**
     * A created user's status: `ACTIVE` (default) sends Okta's activation e-mail at creation,
     * `STAGED` creates them without one. Sent always, so the plan shows what the provider does.
     */
    readonly status?: "ACTIVE" | "STAGED";
    /** Federated role names this user may sign in to. */
    readonly samlRoles: string[];
    /** The user's Okta id (`00u…`): with `adoptAppId`, the user and their assignment are imported. */
    readonly oktaId?: string;
}

/** One Okta group's assignment: plain, from the identity stack's config (names children by group name). */
interface GroupAssignment {
    /** Okta group name: created and managed here, unless `existing`. */
    readonly name: string;
    /** The description of a group created here. */
    readonly description?: string;
    /** Federated role names the group's members may sign in to. */
    readonly samlRoles: string[];
    /** Logins of the members of a group created here (members added elsewhere are left alone). */
    readonly members?: string[];
    /**
     * The group exists in Okta (a directory's): named by `oktaId`, else looked up by its exact name.
     * It is assigned to the app (and, with group mapping, its rule fills the role groups) and never
     * created, changed or filled here: its members are Okta's.
     */
    readonly existing?: boolean;
    /** The group's Okta id (`00g…`): an `existing` group's, or with `adoptAppId` the group to import with its assignment. */
    readonly oktaId?: string;
}

/**
 * The arguments of SamlRoleAssignments. The people and groups are plain, so every assignment is a
 * child known at preview, named by login or group name; the app ids are Inputs (the apps' outputs).
 */
export interface SamlRoleAssignmentsArgs {
    /** The Okta AWS app the users and groups are assigned to. */
    readonly appId: pulumi.Input<string>;
    /** The okta-aws-cli OIDC app, assigned to the same users and groups (without a profile). */
    readonly cliAppId?: pulumi.Input<string>;
    /** People assigned to the app, each with their SAML roles. */
    readonly users: UserAssignment[];
    /** Okta groups assigned to the app, each with its SAML roles and members. */
    readonly groups: GroupAssignment[];
    /** How roles reach people; plain, since it decides which resources exist. */
    readonly mode: RoleAssignmentMode;
    /**
     * `samlUserRoles` only: whether the app's API integration has imported the roles. Okta accepts
     * `samlRoles` values only then, so the AWS app's assignments wait until it is true.
     */
    readonly rolesImported: boolean;
    /** `groupMapping` only: the role group of each federated role, by role name. */
    readonly roleGroups?: Record<string, string>;
    /** `groupMapping` only: the direct path's role group of each SAML role people reach directly, by role name. */
    readonly directRoleGroups?: Record<string, string>;
    /**
     * The id of the adopted AWS app (the guide's, `0oa…`): users and groups with an `oktaId`, and
     * their assignments to it (`<app id>/<user or group id>`), exist and are imported.
     */
    readonly adoptAppId?: string;
    /**
     * The Okta group of each emergency federated role, by role (EmergencyAccess): assigned to the
     * AWS app with that role only, never to the CLI app, and given no members.
     */
    readonly emergencyGroups?: Record<string, pulumi.Input<string>>;
}

/**
 * The app profile Okta keeps per assignment of the AWS app, with exactly the keys Okta returns for
 * it — `role` (the single-role attribute, unused with SAML 2.0) and `samlRoles`, sorted — since the
 * provider compares the profile it reads back with the one sent as whole JSON documents
 * (terraform-provider-okta `NoChangeInObjectFromUnmarshaledJSON`), so a missing key would show as a
 * change on every preview. https://help.okta.com/en-us/content/topics/deploymentguides/aws/aws-about-integration.htm
 */
export function samlRolesProfile(samlRoles: string[]): string {
    return JSON.stringify({ role: null, samlRoles: [...samlRoles].sort() });
}

/** A login as Okta compares it (case-insensitively): the stable part of resource names. */
function normalisedLogin(login: string): string {
    return login.toLowerCase();
}

/**
 * Okta group assignment priorities of the AWS app: unique, from 1 (the provider never sends a
 * priority of 0), in the order of the group names ignoring case — not the stack file's order, so
 * reordering the file changes nothing. Okta decides a person's roles by priority only with
 * `joinAllRoles` off; the config check refuses that case when it would matter.
 */
function groupPriorities(groupNames: string[]): Map<string, number> {
    const sorted = [...groupNames].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()) || a.localeCompare(b));
    return new Map(sorted.map((name, i) => [name, i + 1]));
}

/** Okta group rule names have at most 50 characters; a long group name is shortened with a digest. */
function groupRuleName(groupName: string): string {
    const name = `aws-roles-${groupName}`;
    if (name.length <= 50) {
        return name;
    }
    const digest = crypto.createHash("sha256").update(groupName).digest("hex").slice(0, 8);
    return `${name.slice(0, 41)}-${digest}`;
}

/**
 * Resources named after a login use its normalised form, so a change of case alone is not a new
 * Okta user (Okta logins ignore case). Earlier versions used the login as written: an alias keeps
 * that state.
 */
function loginAlias(name: string, login: string, suffix: string): { aliases?: pulumi.Alias[] } {
    return login === normalisedLogin(login) ? {} : { aliases: [{ name: `${name}-${login}-${suffix}` }] };
}

/** The component's name in the identity stack: the start of every child's name. */
export const samlRoleAssignmentsName = "saml-role-assignments";

/**
 * The name of each kind of child, from the component's name and a stable key (a normalised login,
 * a group name, a federated role name).
 */
const childNames = {
    user: (name: string, login: string) => `${name}-${normalisedLogin(login)}-user`,
    userAssignment: (name: string, login: string) => `${name}-${normalisedLogin(login)}-assignment`,
    userCliAssignment: (name: string, login: string) => `${name}-${normalisedLogin(login)}-cli-assignment`,
    group: (name: string, group: string) => `${name}-${group}-group`,
    groupAssignment: (name: string, group: string) => `${name}-${group}-assignment`,
    groupCliAssignment: (name: string, group: string) => `${name}-${group}-cli-assignment`,
    groupMembers: (name: string, group: string) => `${name}-${group}-members`,
    groupRule: (name: string, group: string) => `${name}-${group}-rule`,
    roleGroup: (name: string, role: string) => `${name}-role-${role}-group`,
    roleAssignment: (name: string, role: string) => `${name}-role-${role}-assignment`,
    roleCliAssignment: (name: string, role: string) => `${name}-role-${role}-cli-assignment`,
    roleMembers: (name: string, role: string) => `${name}-role-${role}-members`,
    emergencyAssignment: (name: string, role: string) => `${name}-emergency-${role}-assignment`,
    // The direct path's role group (`aws_<member account>_<member role>`), by SAML role: its own
    // names, so that a migration adds or removes one path without touching the other's groups.
    directRoleGroup: (name: string, role: string) => `${name}-direct-${role}-group`,
    directRoleAssignment: (name: string, role: string) => `${name}-direct-${role}-assignment`,
    directRoleCliAssignment: (name: string, role: string) => `${name}-direct-${role}-cli-assignment`,
    directRoleMembers: (name: string, role: string) => `${name}-direct-${role}-members`,
};

export type ChildKind = keyof typeof childNames;

const childTypes: Record<ChildKind, string> = {
    user: "okta:user/user:User",
    userAssignment: "okta:app/user:User",
    userCliAssignment: "okta:app/user:User",
    group: "okta:group/group:Group",
    groupAssignment: "okta:app/groupAssignment:GroupAssignment",
    groupCliAssignment: "okta:app/groupAssignment:GroupAssignment",
    groupMembers: "okta:index/groupMemberships:GroupMemberships",
    groupRule: "okta:group/rule:Rule",
    roleGroup: "okta:group/group:Group",
    roleAssignment: "okta:app/groupAssignment:GroupAssignment",
    roleCliAssignment: "okta:app/groupAssignment:GroupAssignment",
    roleMembers: "okta:index/groupMemberships:GroupMemberships",
    emergencyAssignment: "okta:app/groupAssignment:GroupAssignment",
    directRoleGroup: "okta:group/group:Group",
    directRoleAssignment: "okta:app/groupAssignment:GroupAssignment",
    directRoleCliAssignment: "okta:app/groupAssignment:GroupAssignment",
    directRoleMembers: "okta:index/groupMemberships:GroupMemberships",
};

/**
 * What SamlRoleAssignments creates, as plain data known at preview: the one description its
 * constructor registers from (assignmentChildren) and the identity checks and the audit read.
 */
export interface AssignmentsDescription {
    readonly users: readonly Pick<UserAssignment, "login" | "firstName" | "lastName" | "samlRoles">[];
    readonly groups: readonly Pick<GroupAssignment, "name" | "samlRoles" | "members" | "existing">[];
    readonly mode: RoleAssignmentMode;
    readonly rolesImported: boolean;
    /** Whether the okta-aws-cli app is assigned too. */
    readonly cliApp: boolean;
    /** `groupMapping`: the role group of each federated role, by role name (else empty). */
    readonly roleGroups: Readonly<Record<string, string>>;
    /**
     * `groupMapping`: the direct path's role group (`aws_<member account>_<member role>`) of each
     * SAML role people reach directly (okta-aws:signIn direct or both), by SAML role; absent: none.
     */
    readonly directRoleGroups?: Readonly<Record<string, string>>;
    /** The emergency federated roles (their groups are EmergencyAccess's), sorted. */
    readonly emergencyRoles: readonly string[];
}

/** One child of SamlRoleAssignments: what it is, its name, whom it is for, and the data it is made of. */
export interface PlannedChild {
    kind: ChildKind;
    type: string;
    name: string;
    /** The stable key its name derives from: a login, a group name or a federated role. */
    key: string;
    owner: { user: string } | { group: string } | { role: string };
    /** App group assignments: the group's priority. */
    priority?: number;
    /** Assignments with a profile: its SAML roles; group rules: the roles whose groups it fills. */
    samlRoles?: string[];
    /** Memberships: the members' logins, sorted. */
    members?: string[];
}

/**
 * Every child SamlRoleAssignments registers for a description, in the order it registers them:
 * users and their assignments, team groups with theirs (priorities from the group names), the
 * emergency groups' assignments after the team groups, then (group mapping) the role groups and
 * the team groups' rules.
 */
export function assignmentChildren(name: string, description: AssignmentsDescription): PlannedChild[] {
    const children: PlannedChild[] = [];
    const add = (
        kind: ChildKind,
        key: string,
        owner: PlannedChild["owner"],
        data: Pick<PlannedChild, "priority" | "samlRoles" | "members"> = {},
    ) => children.push({ kind, type: childTypes[kind], name: childNames[kind](name, key), key, owner, ...data });
    const { users, groups, mode, rolesImported, cliApp, roleGroups, emergencyRoles } = description;
    const withProfiles = mode === "samlUserRoles" && rolesImported;
    const cliAssignments = cliApp && mode === "samlUserRoles";
    for (const { login, firstName, lastName, samlRoles } of users) {
        if (firstName !== undefined && lastName !== undefined) {
            add("user", login, { user: login });
        }
        if (withProfiles) {
            add("userAssignment", login, { user: login }, { samlRoles: [...samlRoles].sort() });
        }
        if (cliAssignments) {
            add("userCliAssignment", login, { user: login });
        }
    }
    const priorities = groupPriorities(groups.map((g) => g.name));
    for (const group of groups) {
        const owner = { group: group.name };
        const priority = priorities.get(group.name)!;
        // An existing group is looked up (or named by its id), never registered.
        if (!group.existing) {
            add("group", group.name, owner);
        }
        if (withProfiles) {
            add("groupAssignment", group.name, owner, { priority, samlRoles: [...group.samlRoles].sort() });
        }
        if (cliAssignments) {
            add("groupCliAssignment", group.name, owner, { priority });
        }
        if (!group.existing && group.members && group.members.length > 0) {
            add("groupMembers", group.name, owner, { members: [...group.members].sort() });
        }
    }
    // Emergency groups rank after the team groups, so adding one renumbers no team group.
    if (withProfiles) {
        emergencyRoles.forEach((role, i) =>
            add("emergencyAssignment", role, { role }, { priority: groups.length + i + 1, samlRoles: [role] }),
        );
    }
    if (mode === "groupMapping") {
        const directRoleGroups = description.directRoleGroups ?? {};
        const roles = Object.keys(roleGroups).sort();
        const directRoles = Object.keys(directRoleGroups).sort();
        // One priority order over both paths' groups: with no direct role it is today's.
        const rolePriorities = groupPriorities([
            ...roles.map((role) => roleGroups[role]),
            ...directRoles.map((role) => directRoleGroups[role]),
        ]);
        const paths = [
            ...roles.map((role) => ({ role, group: roleGroups[role], kinds: roleKinds })),
            ...directRoles.map((role) => ({ role, group: directRoleGroups[role], kinds: directRoleKinds })),
        ];
        for (const { role, group, kinds } of paths) {
            const priority = rolePriorities.get(group)!;
            // An emergency role's group is EmergencyAccess's, empty, and not the CLI app's.
            if (emergencyRoles.includes(role)) {
                add(kinds.assignment, role, { role }, { priority });
                continue;
            }
            add(kinds.group, role, { role });
            add(kinds.assignment, role, { role }, { priority });
            if (cliApp) {
                add(kinds.cliAssignment, role, { role }, { priority });
            }
            const logins = users.filter((user) => user.samlRoles.includes(role)).map((user) => user.login);
            if (logins.length > 0) {
                add(kinds.members, role, { role }, { members: logins.sort() });
            }
        }
        for (const group of groups) {
            add("groupRule", group.name, { group: group.name }, { samlRoles: [...group.samlRoles].sort() });
        }
    }
    return children;
}

/** The child kinds of one path's role group: the chained path's, and the direct path's. */
const roleKinds = { group: "roleGroup", assignment: "roleAssignment", cliAssignment: "roleCliAssignment", members: "roleMembers" } as const;
const directRoleKinds = {
    group: "directRoleGroup",
    assignment: "directRoleAssignment",
    cliAssignment: "directRoleCliAssignment",
    members: "directRoleMembers",
} as const;

/**
 * The children that would share a URN (one type and name under one parent), each with the one
 * before it: the engine stops a deployment at the second ("Duplicate resource URN").
 */
export function collidingChildren(children: PlannedChild[]): [PlannedChild, PlannedChild][] {
    const first = new Map<string, PlannedChild>();
    return children.flatMap((child): [PlannedChild, PlannedChild][] => {
        const key = `${child.type}::${child.name}`;
        const earlier = first.get(key);
        if (earlier) {
            return [[earlier, child]];
        }
        first.set(key, child);
        return [];
    });
}

/** What is held back until the roles are imported, and what to do next. */
export interface PendingAssignments {
    users: number;
    groups: number;
    reason: string;
    next: string[];
}

/**
 * Who is assigned which SAML roles, users and groups apart (a group may be named like a login) and
 * as lists rather than maps keyed by name, so that no name (`__proto__`, `constructor`) can be lost
 * or clash on its way through an output.
 */
export type AssignmentsOutput = IdentityOutputs["assignments"];

/** Assigns Okta users and groups to the AWS app with their federated roles. */
export class SamlRoleAssignments extends pulumi.ComponentResource {
    /** Okta user id per normalised login, for every user assigned or made a group member here. */
    private readonly oktaUserIds = new Map<string, pulumi.Output<string>>();
    /** Normalised logins of the users created and managed here (the description's `user` children). */
    private readonly managedLogins: Set<string>;
    /**
     * The login as Okta stores it, for users looked up rather than created: Okta matches logins
     * whatever their case (Users API, `profile.login eq`), and keeps the case it was given, so an
     * assignment's `username` taken from the stack file would differ from Okta's on every preview.
     */
    private readonly storedLogins = new Map<string, pulumi.Output<string>>();
    /** Users and groups with their sorted samlRoles, each list sorted by name. */
    public readonly assignments: AssignmentsOutput;
    /** Set when AWS app assignments wait for the roles import (`samlUserRoles` mode only). */
    public readonly pending?: PendingAssignments;
    /** The Okta id of every group made or assigned here (team groups, existing ones included; role groups), by group name. */
    public readonly groupIds: Record<string, pulumi.Output<string>> = {};

    constructor(name: string, args: SamlRoleAssignmentsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("okta-aws:identity:SamlRoleAssignments", name, {}, opts);
        const emergencyGroups = args.emergencyGroups ?? {};
        const children = assignmentChildren(name, {
            users: args.users,
            groups: args.groups,
            mode: args.mode,
            rolesImported: args.rolesImported,
            cliApp: args.cliAppId !== undefined,
            roleGroups: args.mode === "groupMapping" ? (args.roleGroups ?? {}) : {},
            ...(args.mode === "groupMapping" && args.directRoleGroups && { directRoleGroups: args.directRoleGroups }),
            emergencyRoles: Object.keys(emergencyGroups).sort(),
        });
        // Maps keyed by login and name: no key, whatever it is, can reach an object's prototype.
        const users = new Map(args.users.map((user) => [user.login, user]));
        const groups = new Map(args.groups.map((group) => [group.name, group]));
        const adopted = (oktaId: string | undefined) => (args.adoptAppId === undefined ? undefined : oktaId);
        this.managedLogins = new Set(children.filter((child) => child.kind === "user").map((child) => normalisedLogin(child.key)));
        // Every user's id first: a user managed here, an adopted one, or one looked up.
        for (const user of args.users) {
            this.oktaUserId(name, user, adopted(user.oktaId));
        }
        const teamGroupIds = new Map<string, pulumi.Output<string>>();
        for (const group of args.groups.filter((g) => g.existing)) {
            const id = this.existingGroupId(group.name, group.oktaId);
            teamGroupIds.set(group.name, id);
            this.groupIds[group.name] = id;
        }
        const roleGroupIds = new Map<string, pulumi.Input<string>>();
        const directRoleGroupIds = new Map<string, pulumi.Input<string>>();
        const membersOf = (logins: string[]) => logins.map((login) => this.oktaUserId(name, { login }));
        for (const child of children) {
            const user = users.get(child.key);
            const group = groups.get(child.key);
            switch (child.kind) {
                case "user":
                    break; // registered with the user's id, above
                case "userAssignment": {
                    const adoptedUserId = adopted(user!.oktaId);
                    new okta.app.User(
                        child.name,
                        {
                            appId: args.appId,
                            userId: this.oktaUserId(name, user!),
                            username: this.usernameOf(user!.login),
                            profile: samlRolesProfile(child.samlRoles!),
                        },
                        {
                            ...this.assignmentOptions(name, user!.login, "assignment"),
                            ...importOption(adoptedUserId && appAssignmentImportId(args.adoptAppId!, adoptedUserId)),
                        },
                    );
                    break;
                }
                case "userCliAssignment":
                    new okta.app.User(
                        child.name,
                        { appId: args.cliAppId!, userId: this.oktaUserId(name, user!), username: this.usernameOf(user!.login) },
                        this.assignmentOptions(name, user!.login, "cli-assignment"),
                    );
                    break;
                case "group": {
                    const oktaGroup = new okta.group.Group(
                        child.name,
                        {
                            name: group!.name,
                            description: group!.description ?? `AWS SAML roles: ${[...group!.samlRoles].sort().join(", ")}`,
                        },
                        { parent: this, ...importOption(adopted(group!.oktaId)) },
                    );
                    teamGroupIds.set(group!.name, oktaGroup.id);
                    this.groupIds[group!.name] = oktaGroup.id;
                    break;
                }
                case "groupAssignment": {
                    const adoptedGroupId = group!.existing ? undefined : adopted(group!.oktaId);
                    new okta.app.GroupAssignment(
                        child.name,
                        {
                            appId: args.appId,
                            groupId: teamGroupIds.get(group!.name)!,
                            priority: child.priority!,
                            profile: samlRolesProfile(child.samlRoles!),
                        },
                        { parent: this, ...importOption(adoptedGroupId && appAssignmentImportId(args.adoptAppId!, adoptedGroupId)) },
                    );
                    break;
                }
                case "groupCliAssignment":
                    new okta.app.GroupAssignment(
                        child.name,
                        { appId: args.cliAppId!, groupId: teamGroupIds.get(group!.name)!, priority: child.priority! },
                        { parent: this },
                    );
                    break;
                case "groupMembers":
                    new okta.GroupMemberships(
                        child.name,
                        { groupId: teamGroupIds.get(group!.name)!, users: membersOf(child.members!) },
                        { parent: this },
                    );
                    break;
                case "emergencyAssignment":
                    new okta.app.GroupAssignment(
                        child.name,
                        {
                            appId: args.appId,
                            groupId: emergencyGroups[child.key],
                            priority: child.priority!,
                            profile: samlRolesProfile(child.samlRoles!),
                        },
                        { parent: this },
                    );
                    break;
                case "roleGroup":
                case "directRoleGroup": {
                    const direct = child.kind === "directRoleGroup";
                    const groupName = direct ? args.directRoleGroups![child.key] : args.roleGroups![child.key];
                    const roleGroupId = new okta.group.Group(
                        child.name,
                        {
                            name: groupName,
                            description: direct
                                ? `AWS role of SAML role ${child.key}, signed in to directly (okta-aws; the AWS app's group filter reads this name)`
                                : `AWS federated role ${child.key} (okta-aws; the AWS app's group filter reads this name)`,
                        },
                        { parent: this },
                    ).id;
                    (direct ? directRoleGroupIds : roleGroupIds).set(child.key, roleGroupId);
                    this.groupIds[groupName] = roleGroupId;
                    break;
                }
                case "roleAssignment":
                case "directRoleAssignment":
                    new okta.app.GroupAssignment(
                        child.name,
                        {
                            appId: args.appId,
                            // An emergency role's group is EmergencyAccess's.
                            groupId:
                                emergencyGroups[child.key] ??
                                (child.kind === "directRoleAssignment" ? directRoleGroupIds : roleGroupIds).get(child.key)!,
                            priority: child.priority!,
                        },
                        { parent: this },
                    );
                    break;
                case "roleCliAssignment":
                case "directRoleCliAssignment":
                    new okta.app.GroupAssignment(
                        child.name,
                        {
                            appId: args.cliAppId!,
                            groupId: (child.kind === "directRoleCliAssignment" ? directRoleGroupIds : roleGroupIds).get(child.key)!,
                            priority: child.priority!,
                        },
                        { parent: this },
                    );
                    break;
                case "roleMembers":
                case "directRoleMembers":
                    new okta.GroupMemberships(
                        child.name,
                        {
                            groupId: (child.kind === "directRoleMembers" ? directRoleGroupIds : roleGroupIds).get(child.key)!,
                            users: membersOf(child.members!),
                        },
                        { parent: this },
                    );
                    break;
                case "groupRule":
                    // A rule's target groups cannot change in place (terraform-provider-okta
                    // resource_okta_group_rule.go: group_assignments is ForceNew), and deleting a rule
                    // keeps the members it added unless remove_assigned_users is set (default false):
                    // so a role taken from a team, or a team removed, would stay in Okta while the plan
                    // says it is gone. With removeAssignedUsers the delete takes the rule's memberships
                    // with it; deleting before the replacement is created lets Okta's evaluation of the
                    // new rule (on activation) add back what it still grants, rather than the old rule's
                    // removal taking it away afterwards. components/providerBehaviour.ts holds these
                    // facts for the access diff. Okta groups do not nest: the rule adds each team
                    // group's members to its roles' groups.
                    new okta.group.Rule(
                        child.name,
                        {
                            name: groupRuleName(group!.name),
                            status: "ACTIVE",
                            expressionType: "urn:okta:expression:1.0",
                            expressionValue: pulumi.interpolate`isMemberOfAnyGroup("${teamGroupIds.get(group!.name)!}")`,
                            // Every path's role group of the team's roles: both during a migration's deploy.
                            groupAssignments: child.samlRoles!.flatMap((role) =>
                                [roleGroupIds.get(role), directRoleGroupIds.get(role)].flatMap((id) =>
                                    id === undefined ? [] : [pulumi.output(id)],
                                ),
                            ),
                            removeAssignedUsers: true,
                        },
                        { parent: this, deleteBeforeReplace: true },
                    );
                    break;
            }
        }

        this.assignments = {
            users: args.users
                .map((u) => ({ login: u.login, samlRoles: [...u.samlRoles].sort() }))
                .sort((a, b) => a.login.localeCompare(b.login)),
            groups: args.groups
                .map((g) => ({ name: g.name, samlRoles: [...g.samlRoles].sort() }))
                .sort((a, b) => a.name.localeCompare(b.name)),
        };

        if (
            args.mode !== "groupMapping" &&
            !args.rolesImported &&
            (args.users.length > 0 || args.groups.length > 0 || Object.keys(emergencyGroups).length > 0)
        ) {
            this.pending = {
                users: args.users.length,
                groups: args.groups.length + Object.keys(emergencyGroups).length,
                reason: "Okta accepts samlRoles values only after the AWS app's API integration has imported the roles",
                next: [
                    "pulumi stack output provisioning --show-secrets: follow its checklist to enable the API integration",
                    "Okta Admin Console → the AWS app → Assignments → Assign: check that the federated roles are offered as SAML User Roles",
                    "set okta-aws:oktaApp.rolesImported to true in the identity stack file, then pulumi up",
                ],
            };
        }

        this.registerOutputs({ assignments: this.assignments, pending: this.pending });
    }

    /** The Okta id of every user assigned or made a group member here, by normalised login. */
    public get userIds(): Record<string, pulumi.Output<string>> {
        return Object.fromEntries([...this.oktaUserIds].sort(([a], [b]) => a.localeCompare(b)));
    }

    /**
     * Options of an app user assignment. The provider updates `appId` and `userId` in place
     * (terraform-provider-okta `resource_okta_app_user.go`: neither is `ForceNew`, unlike on
     * `okta_app_group_assignment`), so a recreated app or user would become an update of an
     * assignment that no longer exists: a change of either replaces the assignment. Names come from
     * the normalised login.
     */
    private assignmentOptions(name: string, login: string, suffix: string): pulumi.CustomResourceOptions {
        return { parent: this, replaceOnChanges: ["appId", "userId"], ...loginAlias(name, login, suffix) };
    }

    /**
     * The Okta id of a login: a user managed here (imported when `adoptedId` is given), an existing
     * one named by its adopted id, or an existing one looked up once.
     */
    private oktaUserId(
        name: string,
        user: Pick<UserAssignment, "login" | "firstName" | "lastName" | "email" | "status">,
        adoptedId?: string,
    ): pulumi.Output<string> {
        const key = normalisedLogin(user.login);
        const known = this.oktaUserIds.get(key);
        if (known) {
            return known;
        }
        const id = this.managedLogins.has(key)
            ? new okta.user.User(
                  childNames.user(name, user.login),
                  {
                      login: user.login,
                      email: user.email ?? user.login,
                      firstName: user.firstName!,
                      lastName: user.lastName!,
                      status: user.status ?? "ACTIVE",
                  },
                  { parent: this, ...loginAlias(name, user.login, "user"), ...importOption(adoptedId) },
              ).id
            : adoptedId !== undefined
              ? // The assignment is imported by this id, so its userId must be the same one.
                pulumi.output(adoptedId)
              : this.lookedUp(key, user.login);
        this.oktaUserIds.set(key, id);
        return id;
    }

    /** An existing Okta user's id, and its login as Okta stores it. */
    private lookedUp(key: string, login: string): pulumi.Output<string> {
        const found = okta.user.getUserOutput(
            {
                searches: [{ name: "profile.login", value: login, comparison: "eq" }],
                // Only the id and login are needed: no admin roles or group list per person.
                skipRoles: true,
                skipGroups: true,
            },
            { parent: this },
        );
        this.storedLogins.set(key, found.login);
        return found.id;
    }

    /**
     * An existing Okta group's id, found by its exact name. The provider's look-up (okta_group data
     * source, terraform-provider-okta okta/services/idaas/data_source_okta_group.go `findGroup`)
     * lists groups with `q`, a starts-with match, and when only one group matches it takes that one
     * even if its name is longer ("a fuzzy match is acceptable if query only returns one group"): so
     * the name it returns must be the configured one, exactly, or the program stops there rather than
     * assigning another group's people. Several groups of one name (imported APP_GROUPs may share one)
     * are told apart by `oktaId`.
     */
    /**
     * The id of a directory group the program assigns but never changes, checked against its name,
     * which every report shows: looked up by `oktaId`, the group's Okta name must be the configured
     * one (a reviewer must not read "Platform" for the id of another group); looked up by name, the
     * provider's starts-with search must have found exactly that name. (The okta_group data source
     * takes `id` or `name`, not both: terraform-provider-okta docs, data-sources/group.)
     */
    private existingGroupId(groupName: string, oktaId: string | undefined): pulumi.Output<string> {
        const found = okta.group.getGroupOutput(oktaId === undefined ? { name: groupName } : { id: oktaId }, { parent: this });
        return pulumi.all([found.id, found.name]).apply(([id, name]) => {
            if (name !== groupName) {
                throw new Error(
                    oktaId === undefined
                        ? `Okta has no group named exactly "${groupName}" (its look-up found "${name}", a group whose name starts with it); give the group's exact name, or its id as oktaId`
                        : `Okta group ${oktaId} is named "${name}", not "${groupName}" as okta-aws:groups names it: every report shows the configured name, so it must be the group's own; correct the name or the oktaId`,
                );
            }
            return id;
        });
    }

    /** The `username` of a user's app assignment: Okta's stored login where the user was looked up. */
    private usernameOf(login: string): pulumi.Input<string> {
        return this.storedLogins.get(normalisedLogin(login)) ?? login;
    }
}
