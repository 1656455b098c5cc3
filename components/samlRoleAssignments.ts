// Who may sign in to which federated role: Okta users and groups assigned to the AWS app with their
// SAML User Roles, group memberships, and the same people assigned to okta-aws-cli's app.
import * as okta from "@pulumi/okta";
import * as pulumi from "@pulumi/pulumi";
import type { IdentityOutputs } from "./outputs";

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
}

/** One Okta group's assignment: plain, from the identity stack's config (names children by group name). */
export interface GroupAssignment {
    /** Okta group name, created and managed here. */
    readonly name: string;
    /** The group's description in Okta. */
    readonly description?: string;
    /** Federated role names the group's members may sign in to. */
    readonly samlRoles: string[];
    /** Logins of the group's members (managed here; members added elsewhere are left alone). */
    readonly members?: string[];
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
}

/**
 * The app profile Okta keeps per assignment: the SAML User Roles, sorted and nothing else, since
 * the provider compares profiles as whole JSON documents.
 */
export function samlRolesProfile(samlRoles: string[]): string {
    return JSON.stringify({ samlRoles: [...samlRoles].sort() });
}

/**
 * Who is assigned which SAML roles, users and groups apart (a group may be named like a login) and
 * as lists rather than maps keyed by name, so that no name (`__proto__`, `constructor`) can be lost
 * or clash on its way through an output.
 */
export type AssignmentsOutput = IdentityOutputs["assignments"];

/** Assigns Okta users and groups to the AWS app with their SAML User Roles. */
export class SamlRoleAssignments extends pulumi.ComponentResource {
    /** Okta user id per login, for every user assigned or made a group member here. */
    private readonly userIds = new Map<string, pulumi.Output<string>>();
    /** Users and groups with their sorted samlRoles, each list sorted by name. */
    public readonly assignments: AssignmentsOutput;

    constructor(name: string, args: SamlRoleAssignmentsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("okta-aws:identity:SamlRoleAssignments", name, {}, opts);

        for (const user of args.users) {
            const userId = this.oktaUserId(name, user);
            new okta.app.User(
                `${name}-${user.login}-assignment`,
                { appId: args.appId, userId, username: user.login, profile: samlRolesProfile(user.samlRoles) },
                { parent: this },
            );
            if (args.cliAppId) {
                new okta.app.User(
                    `${name}-${user.login}-cli-assignment`,
                    { appId: args.cliAppId, userId, username: user.login },
                    { parent: this },
                );
            }
        }

        args.groups.forEach((group, index) => {
            const oktaGroup = new okta.group.Group(
                `${name}-${group.name}-group`,
                { name: group.name, description: group.description ?? `AWS SAML roles: ${[...group.samlRoles].sort().join(", ")}` },
                { parent: this },
            );
            // Okta's priority (0 first) follows the config's order; it decides a user's roles when
            // joinAllRoles is off and they come only through groups.
            new okta.app.GroupAssignment(
                `${name}-${group.name}-assignment`,
                { appId: args.appId, groupId: oktaGroup.id, priority: index, profile: samlRolesProfile(group.samlRoles) },
                { parent: this },
            );
            if (args.cliAppId) {
                new okta.app.GroupAssignment(
                    `${name}-${group.name}-cli-assignment`,
                    { appId: args.cliAppId, groupId: oktaGroup.id },
                    { parent: this },
                );
            }
            if (group.members && group.members.length > 0) {
                new okta.GroupMemberships(
                    `${name}-${group.name}-members`,
                    { groupId: oktaGroup.id, users: [...group.members].sort().map((login) => this.oktaUserId(name, { login })) },
                    { parent: this },
                );
            }
        });

        this.assignments = {
            users: args.users
                .map((u) => ({ login: u.login, samlRoles: [...u.samlRoles].sort() }))
                .sort((a, b) => a.login.localeCompare(b.login)),
            groups: args.groups
                .map((g) => ({ name: g.name, samlRoles: [...g.samlRoles].sort() }))
                .sort((a, b) => a.name.localeCompare(b.name)),
        };
        this.registerOutputs({ assignments: this.assignments });
    }

    /** The Okta id of a login: a user managed here, or an existing one looked up once. */
    private oktaUserId(name: string, user: Pick<UserAssignment, "login" | "firstName" | "lastName" | "email">): pulumi.Output<string> {
        const known = this.userIds.get(user.login);
        if (known) {
            return known;
        }
        const id =
            user.firstName !== undefined && user.lastName !== undefined
                ? new okta.user.User(
                      `${name}-${user.login}-user`,
                      { login: user.login, email: user.email ?? user.login, firstName: user.firstName, lastName: user.lastName },
                      { parent: this },
                  ).id
                : okta.user
                      .getUserOutput({ searches: [{ name: "profile.login", value: user.login, comparison: "eq" }] }, { parent: this })
                      .apply((found) => found.id);
        this.userIds.set(user.login, id);
        return id;
    }
}
