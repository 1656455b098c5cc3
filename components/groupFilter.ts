// The Okta AWS app's group mapping, as Okta applies it: the group filter picks role groups by name
// and captures the account id and role with Okta's own `(?{{accountid}}…)`/`(?{{role}}…)` syntax,
// and the role value pattern turns them into the SAML role value AWS reads. Pure functions, so a
// wrong name, filter or pattern is caught offline.
// https://help.okta.com/en-us/content/topics/deploymentguides/aws/aws-enable-role-based.htm

/**
 * Okta's default group filter for `aws_<account id>_<role>` group names, as its help page gives
 * it; the character class is IAM's role name characters.
 */
export const defaultGroupFilter = "aws_(?{{accountid}}\\d+)_(?{{role}}[a-zA-Z0-9+=,.@\\-_]+)";

/** The role group of a federated role, named so that `defaultGroupFilter` captures both parts. */
export function roleGroupName(identityAccountId: string, federatedRoleName: string): string {
    return `aws_${identityAccountId}_${federatedRoleName}`;
}

/**
 * A group filter as a JavaScript regular expression: Okta writes a named group `(?{{name}}…)`
 * where JavaScript writes `(?<name>…)`. The filter must match the whole group name, as Java's
 * `Pattern.matches` does; without the `u` flag, escapes such as `\#` in Okta's own example keep
 * their literal meaning, as in Java.
 */
export function groupFilterRegExp(groupFilter: string): RegExp {
    const translated = groupFilter.replace(/\(\?\{\{(\w+)\}\}/g, "(?<$1>");
    if (!/\(\?<accountid>/.test(translated) || !/\(\?<role>/.test(translated)) {
        throw new Error(`group filter ${groupFilter} must capture (?{{accountid}}…) and (?{{role}}…)`);
    }
    return new RegExp(`^(?:${translated})$`);
}

/** The account id and role a group filter captures from a group name; undefined if it does not match. */
export function captureRole(groupFilter: string, groupName: string): { accountid: string; role: string } | undefined {
    const groups = groupFilterRegExp(groupFilter).exec(groupName)?.groups;
    return groups ? { accountid: groups.accountid, role: groups.role } : undefined;
}

/** Fills Okta's `${accountid}` and `${role}` placeholders of a role value pattern. */
export function renderRoleValue(roleValuePattern: string, captured: { accountid: string; role: string }): string {
    return roleValuePattern.replaceAll("${accountid}", captured.accountid).replaceAll("${role}", captured.role);
}

/** The SAML role values Okta sends for a person in these groups: one per group the filter matches. */
export function roleValuesFromGroups(groupNames: string[], groupFilter: string, roleValuePattern: string): string[] {
    return groupNames.flatMap((groupName) => {
        const captured = captureRole(groupFilter, groupName);
        return captured ? [renderRoleValue(roleValuePattern, captured)] : [];
    });
}
