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
    /** Federated role names this user may sign in to. */
    readonly samlRoles: string[];
    /** The user's Okta id (`00u…`): with `adoptAppId`, the user and their assignment are imported. */
    readonly oktaId?: string;
}

/** One Okta group's assignment: plain, from the identity stack's config (names children by group name). */
interface GroupAssignment {
    /** Okta group name, created and managed here. */
    readonly name: string;
    /** The group's description in Okta. */
    readonly description?: string;
    /** Federated role names the group's members may sign in to. */
    readonly samlRoles: string[];
    /** Logins of the group's members (managed here; members added elsewhere are left alone). */
    readonly members?: string[];
    /** The group's Okta id (`00g…`): with `adoptAppId`, the group and its assignment are imported. */
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
export function groupPriorities(groupNames: string[]): Map<string, number> {
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
 * a group name, a federated role name): one home for them, which the constructor and
 * `plannedChildren` share.
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
};

/** One child of SamlRoleAssignments: its kind, type and name, and the user, group or federated role it is for. */
export interface PlannedChild {
    kind: ChildKind;
    type: string;
    name: string;
    owner: { user: string } | { group: string } | { role: string };
}

/**
 * Every child the component registers for these arguments, by kind and name (the constructor's
 * own conditions), given the federated roles there are (group mapping makes a group per role),
 * which of them are emergency roles (their groups are EmergencyAccess's) and whether the CLI app is on.
 */
export function plannedChildren(
    name: string,
    args: Pick<SamlRoleAssignmentsArgs, "users" | "groups" | "mode" | "rolesImported"> & {
        cliApp: boolean;
        roles: string[];
        emergencyRoles: string[];
    },
): PlannedChild[] {
    const children: PlannedChild[] = [];
    const add = (kind: ChildKind, key: string, owner: PlannedChild["owner"]) =>
        children.push({ kind, type: childTypes[kind], name: childNames[kind](name, key), owner });
    const withProfiles = args.mode === "samlUserRoles" && args.rolesImported;
    const cliAssignments = args.cliApp && args.mode === "samlUserRoles";
    for (const { login, firstName, lastName } of args.users) {
        if (firstName !== undefined && lastName !== undefined) {
            add("user", login, { user: login });
        }
        if (withProfiles) {
            add("userAssignment", login, { user: login });
        }
        if (cliAssignments) {
            add("userCliAssignment", login, { user: login });
        }
    }
    for (const group of args.groups) {
        add("group", group.name, { group: group.name });
        if (withProfiles) {
            add("groupAssignment", group.name, { group: group.name });
        }
        if (cliAssignments) {
            add("groupCliAssignment", group.name, { group: group.name });
        }
        if (group.members && group.members.length > 0) {
            add("groupMembers", group.name, { group: group.name });
        }
    }
    if (withProfiles) {
        args.emergencyRoles.forEach((role) => add("emergencyAssignment", role, { role }));
    }
    if (args.mode === "groupMapping") {
        for (const role of args.roles) {
            if (args.emergencyRoles.includes(role)) {
                add("roleAssignment", role, { role });
                continue;
            }
            add("roleGroup", role, { role });
            add("roleAssignment", role, { role });
            if (args.cliApp) {
                add("roleCliAssignment", role, { role });
            }
            if (args.users.some((user) => user.samlRoles.includes(role))) {
                add("roleMembers", role, { role });
            }
        }
        for (const group of args.groups) {
            add("groupRule", group.name, { group: group.name });
        }
    }
    return children;
}

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
    /** The Okta id of every group made here (team groups, role groups), by group name. */
    public readonly groupIds: Record<string, pulumi.Output<string>> = {};

    constructor(name: string, args: SamlRoleAssignmentsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("okta-aws:identity:SamlRoleAssignments", name, {}, opts);
        const withProfiles = args.mode === "samlUserRoles" && args.rolesImported;

        const adopted = (oktaId: string | undefined) => (args.adoptAppId === undefined ? undefined : oktaId);
        for (const user of args.users) {
            const adoptedUserId = adopted(user.oktaId);
            const userId = this.oktaUserId(name, user, adoptedUserId);
            if (withProfiles) {
                new okta.app.User(
                    childNames.userAssignment(name, user.login),
                    { appId: args.appId, userId, username: this.usernameOf(user.login), profile: samlRolesProfile(user.samlRoles) },
                    {
                        ...this.assignmentOptions(name, user.login, "assignment"),
                        ...importOption(adoptedUserId && appAssignmentImportId(args.adoptAppId!, adoptedUserId)),
                    },
                );
            }
            if (args.cliAppId && args.mode === "samlUserRoles") {
                new okta.app.User(
                    childNames.userCliAssignment(name, user.login),
                    { appId: args.cliAppId, userId, username: this.usernameOf(user.login) },
                    this.assignmentOptions(name, user.login, "cli-assignment"),
                );
            }
        }

        const priorities = groupPriorities(args.groups.map((g) => g.name));
        const teamGroupIds = new Map<string, pulumi.Output<string>>();
        for (const group of args.groups) {
            const adoptedGroupId = adopted(group.oktaId);
            const oktaGroup = new okta.group.Group(
                childNames.group(name, group.name),
                { name: group.name, description: group.description ?? `AWS SAML roles: ${[...group.samlRoles].sort().join(", ")}` },
                { parent: this, ...importOption(adoptedGroupId) },
            );
            teamGroupIds.set(group.name, oktaGroup.id);
            this.groupIds[group.name] = oktaGroup.id;
            if (withProfiles) {
                new okta.app.GroupAssignment(
                    childNames.groupAssignment(name, group.name),
                    {
                        appId: args.appId,
                        groupId: oktaGroup.id,
                        priority: priorities.get(group.name)!,
                        profile: samlRolesProfile(group.samlRoles),
                    },
                    { parent: this, ...importOption(adoptedGroupId && appAssignmentImportId(args.adoptAppId!, adoptedGroupId)) },
                );
            }
            if (args.cliAppId && args.mode === "samlUserRoles") {
                new okta.app.GroupAssignment(
                    childNames.groupCliAssignment(name, group.name),
                    { appId: args.cliAppId, groupId: oktaGroup.id, priority: priorities.get(group.name)! },
                    { parent: this },
                );
            }
            if (group.members && group.members.length > 0) {
                new okta.GroupMemberships(
                    childNames.groupMembers(name, group.name),
                    {
                        groupId: oktaGroup.id,
                        users: [...group.members].sort().map((login) => this.oktaUserId(name, { login })),
                    },
                    { parent: this },
                );
            }
        }

        // Emergency groups rank after the team groups, so adding one renumbers no team group.
        const emergencyGroups = args.emergencyGroups ?? {};
        if (withProfiles) {
            Object.keys(emergencyGroups)
                .sort()
                .forEach((role, i) => {
                    new okta.app.GroupAssignment(
                        childNames.emergencyAssignment(name, role),
                        {
                            appId: args.appId,
                            groupId: emergencyGroups[role],
                            priority: args.groups.length + i + 1,
                            profile: samlRolesProfile([role]),
                        },
                        { parent: this },
                    );
                });
        }

        this.assignments = {
            users: args.users
                .map((u) => ({ login: u.login, samlRoles: [...u.samlRoles].sort() }))
                .sort((a, b) => a.login.localeCompare(b.login)),
            groups: args.groups
                .map((g) => ({ name: g.name, samlRoles: [...g.samlRoles].sort() }))
                .sort((a, b) => a.name.localeCompare(b.name)),
        };

        if (args.mode === "groupMapping") {
            this.roleGroups(name, args, teamGroupIds);
        } else if (!args.rolesImported && (args.users.length > 0 || args.groups.length > 0 || Object.keys(emergencyGroups).length > 0)) {
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
     * `groupMapping`: one Okta group per federated role, assigned to the AWS app (and the CLI app);
     * people join the role groups of their own roles, and a group rule adds each team group's
     * members to its roles' groups (Okta groups do not nest). Memberships added elsewhere stay.
     */
    private roleGroups(name: string, args: SamlRoleAssignmentsArgs, teamGroupIds: Map<string, pulumi.Output<string>>): void {
        const roleGroupNames = args.roleGroups ?? {};
        const roles = Object.keys(roleGroupNames).sort();
        const priorities = groupPriorities(roles.map((role) => roleGroupNames[role]));
        const roleGroupIds = new Map<string, pulumi.Output<string>>();
        const members = new Map<string, string[]>();
        for (const user of args.users) {
            for (const role of user.samlRoles) {
                members.set(role, [...(members.get(role) ?? []), user.login]);
            }
        }
        const emergencyGroups = args.emergencyGroups ?? {};
        for (const role of roles) {
            const groupName = roleGroupNames[role];
            // An emergency role's group is EmergencyAccess's, empty, and not the CLI app's.
            const emergencyGroupId = emergencyGroups[role];
            const groupId =
                emergencyGroupId ??
                new okta.group.Group(
                    childNames.roleGroup(name, role),
                    { name: groupName, description: `AWS federated role ${role} (okta-aws; the AWS app's group filter reads this name)` },
                    { parent: this },
                ).id;
            new okta.app.GroupAssignment(
                childNames.roleAssignment(name, role),
                { appId: args.appId, groupId, priority: priorities.get(groupName)! },
                { parent: this },
            );
            if (emergencyGroupId !== undefined) {
                continue;
            }
            roleGroupIds.set(role, pulumi.output(groupId));
            this.groupIds[groupName] = pulumi.output(groupId);
            if (args.cliAppId) {
                new okta.app.GroupAssignment(
                    childNames.roleCliAssignment(name, role),
                    { appId: args.cliAppId, groupId, priority: priorities.get(groupName)! },
                    { parent: this },
                );
            }
            const logins = members.get(role) ?? [];
            if (logins.length > 0) {
                new okta.GroupMemberships(
                    childNames.roleMembers(name, role),
                    { groupId, users: [...logins].sort().map((login) => this.oktaUserId(name, { login })) },
                    { parent: this },
                );
            }
        }
        // A rule's target groups cannot change in place (terraform-provider-okta
        // resource_okta_group_rule.go: group_assignments is ForceNew), and deleting a rule keeps the
        // members it added unless remove_assigned_users is set (default false): so a role taken
        // from a team, or a team removed, would stay in Okta while the plan says it is gone. With
        // removeAssignedUsers the delete takes the rule's memberships with it; deleting before the
        // replacement is created lets Okta's evaluation of the new rule (on activation) add back
        // what it still grants, rather than the old rule's removal taking it away afterwards.
        // components/providerBehaviour.ts holds these facts for the access diff.
        for (const group of args.groups) {
            new okta.group.Rule(
                childNames.groupRule(name, group.name),
                {
                    name: groupRuleName(group.name),
                    status: "ACTIVE",
                    expressionType: "urn:okta:expression:1.0",
                    expressionValue: pulumi.interpolate`isMemberOfAnyGroup("${teamGroupIds.get(group.name)!}")`,
                    groupAssignments: [...group.samlRoles].sort().map((role) => roleGroupIds.get(role)!),
                    removeAssignedUsers: true,
                },
                { parent: this, deleteBeforeReplace: true },
            );
        }
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
        user: Pick<UserAssignment, "login" | "firstName" | "lastName" | "email">,
        adoptedId?: string,
    ): pulumi.Output<string> {
        const key = normalisedLogin(user.login);
        const known = this.oktaUserIds.get(key);
        if (known) {
            return known;
        }
        const id =
            user.firstName !== undefined && user.lastName !== undefined
                ? new okta.user.User(
                      childNames.user(name, user.login),
                      { login: user.login, email: user.email ?? user.login, firstName: user.firstName, lastName: user.lastName },
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

    /** The `username` of a user's app assignment: Okta's stored login where the user was looked up. */
    private usernameOf(login: string): pulumi.Input<string> {
        return this.storedLogins.get(normalisedLogin(login)) ?? login;
    }
}
