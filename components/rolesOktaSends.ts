// The one rule for the SAML roles Okta sends a person: which of their assignments (their own, their
// groups') Okta joins into the assertion. Every reader of "who gets which role" asks it: the size
// check and the ambiguity check of the identity stack, its samlRolesByUser and CLI profiles, the
// plan's access rows, the audit's planned and live access. Plain functions.
import type { RoleAssignmentMode } from "./config/schema";

/** The Okta AWS app settings the rule reads. */
export interface RoleJoinSettings {
    /** Okta's "Join all roles". */
    joinAllRoles: boolean;
    roleAssignment: RoleAssignmentMode;
}

/** One person's own assignment. */
export interface PrincipalRoles {
    login: string;
    samlRoles: readonly string[];
}

/** A group's assignment and its members. */
export interface GroupRoles {
    name: string;
    samlRoles: readonly string[];
    members?: readonly string[];
}

/**
 * Whether Okta joins a person's own roles with every group's: with `joinAllRoles`, and with group
 * mapping, where every role group a person is in sends its role (Okta, "Connect Okta to multiple
 * AWS instances using groups").
 * https://help.okta.com/en-us/content/topics/deploymentguides/aws/aws-configure-aws-app.htm ("Join all roles")
 */
export function joinsAllRoles(settings: RoleJoinSettings): boolean {
    return settings.joinAllRoles || settings.roleAssignment === "groupMapping";
}

const sameRoles = (a: readonly string[], b: readonly string[]) =>
    JSON.stringify([...new Set(a)].sort()) === JSON.stringify([...new Set(b)].sort());

/**
 * Of one person's assignments, those whose roles Okta sends. Joined: their own and every group's.
 * Not joined: their own if they have one; else the group of highest priority (the first of
 * `groupsByPriority`) — and any other group that gives the same roles, an equally true path.
 */
export function assignmentsOktaSends<G extends { samlRoles: readonly string[] }>(
    hasOwn: boolean,
    groupsByPriority: readonly G[],
    joined: boolean,
): { own: boolean; groups: G[] } {
    if (joined) {
        return { own: hasOwn, groups: [...groupsByPriority] };
    }
    if (hasOwn || groupsByPriority.length === 0) {
        return { own: hasOwn, groups: [] };
    }
    const first = groupsByPriority[0];
    return { own: false, groups: groupsByPriority.filter((group) => sameRoles(group.samlRoles, first.samlRoles)) };
}

/**
 * Each person of the config (by login, sorted): their own roles and the groups Okta sends them
 * roles through. `joined`: `joinsAllRoles` of the app.
 */
export function groupsSendingRoles<G extends GroupRoles>(
    users: readonly PrincipalRoles[],
    groups: readonly G[],
    joined: boolean,
): Map<string, { own: readonly string[] | undefined; groups: G[] }> {
    // Maps keyed by login: no login, whatever it is, can reach an object's prototype.
    const own = new Map(users.map((u) => [u.login, u.samlRoles]));
    const groupsOf = new Map<string, G[]>();
    for (const group of groups) {
        for (const login of group.members ?? []) {
            groupsOf.set(login, [...(groupsOf.get(login) ?? []), group]);
        }
    }
    const logins = [...new Set([...own.keys(), ...groupsOf.keys()])].sort();
    return new Map(
        logins.map((login) => {
            const sent = assignmentsOktaSends(own.has(login), groupsOf.get(login) ?? [], joined);
            return [login, { own: own.get(login), groups: sent.groups }];
        }),
    );
}

/**
 * The SAML roles Okta sends each person (by login): joined (`joinsAllRoles`), their own assignment
 * with every group's they belong to; not joined, their own assignment if they have one, else their
 * groups' (the identity stack refuses groups that would give different roles: Okta would pick one
 * by priority).
 */
export function effectiveSamlRoles(
    users: readonly PrincipalRoles[],
    groups: readonly GroupRoles[],
    joined: boolean,
): Record<string, string[]> {
    return Object.fromEntries(
        [...groupsSendingRoles(users, groups, joined)].map(([login, sent]) => [
            login,
            [...new Set([...(sent.own ?? []), ...sent.groups.flatMap((group) => group.samlRoles)])].sort(),
        ]),
    );
}

/**
 * People whose SAML roles would depend on Okta's group priorities: roles not joined, no roles of
 * their own, and groups that give different roles. Okta then sends one group's roles, chosen by a
 * priority Okta may not keep, so the program refuses rather than guess. Logins in lower case.
 */
export function ambiguousGroupRoles(config: {
    users: readonly PrincipalRoles[];
    groups: readonly GroupRoles[];
    oktaApp: RoleJoinSettings;
}): string[] {
    const joined = joinsAllRoles(config.oktaApp);
    const own = new Set(config.users.map((u) => u.login.toLowerCase()));
    const groupsOf = new Map<string, GroupRoles[]>();
    for (const group of config.groups) {
        for (const login of group.members ?? []) {
            const key = login.toLowerCase();
            groupsOf.set(key, [...(groupsOf.get(key) ?? []), group]);
        }
    }
    return [...groupsOf]
        .filter(
            ([login, memberOf]) =>
                !joined && !own.has(login) && assignmentsOktaSends(false, memberOf, joined).groups.length < memberOf.length,
        )
        .map(([login]) => login)
        .sort();
}
