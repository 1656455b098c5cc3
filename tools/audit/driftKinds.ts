// Every kind of drift the audit reports, riskiest first, with what the audit reads to find it and
// what it means: one table, which the report orders rows by and docs/audit.md shows
// (tests/docs.test.ts fails when the two disagree).

interface DriftKindEntry {
    kind: string;
    /** What the audit reads to find it. */
    reads: string;
    /** What a row of this kind means. */
    means: string;
}

/** The kinds, riskiest first. */
const driftKindTable = [
    {
        kind: "unverified",
        reads: "any check that cannot run",
        means: "a blind spot: the check could not run (no signing key id, an API the credentials may not read, a document that is not XML); `ok` is false",
    },
    {
        kind: "emergency-access-held",
        reads: "members of the emergency group (by its Okta id from the code's state)",
        means: "someone holds an emergency role now",
    },
    {
        kind: "emergency-role-not-sent",
        reads: "members of the emergency group, and the roles the live app would send each (its joinAllRoles and their own assignments)",
        means: "a person in an emergency role's group whom Okta does not send the role: breaking the glass gave them nothing",
    },
    {
        kind: "shadow-certificate",
        reads: "every `X509Certificate` element of each code SAML provider's metadata, parsed as XML, and every signing key the code's app has had",
        means: "the provider trusts a certificate the code's Okta app does not sign with: its key's holder signs in to every role trusting the provider",
    },
    {
        kind: "shadow-provider",
        reads: "every SAML and OpenID Connect provider of every account",
        means: "an identity provider the code did not make",
    },
    {
        kind: "shadow-app",
        reads: "every `amazon_aws` app whatever its label, and every app signing with the code's app's key",
        means: "an Okta app the code did not make that can sign in to AWS",
    },
    {
        kind: "shadow-group",
        reads: "with group mapping, every group of the org (Groups API), through the live app's group filter",
        means: "a group the code did not make whose name the group filter matches: Okta sends its role to every member the app is assigned to, assigned group or not",
    },
    {
        kind: "group-renamed",
        reads: "the name of every group the code assigns to the app, by its Okta id from the code's state",
        means: "a group renamed in Okta: under group mapping the app's filter may read the new name as another role; the report's name for its members is no longer Okta's",
    },
    {
        kind: "shadow-role",
        reads: "every role of every account whose trust admits a principal from outside the account",
        means: "a way in the code did not make",
    },
    {
        kind: "shadow-user",
        reads: "every IAM user of every account, and its access keys",
        means: "an IAM user the code did not make: a password or access keys into the account that bypass Okta",
    },
    {
        kind: "trust-changed",
        reads: "the trust policy of each role of the code",
        means: "who may take the role changed",
    },
    {
        kind: "sign-on-weakened",
        reads: "the authentication policy of the code's apps and its rules in priority order",
        means: "a sign-on rule differs from the code's, or the app uses another policy",
    },
    {
        kind: "assignment-outside-code",
        reads: "the app's assignments by Okta user id and group id, and the code's groups' members",
        means: "a person or group assigned, or a member added, not by the code",
    },
    {
        kind: "assignment-roles-changed",
        reads: "the SAML roles of each assignment of the code (users and groups, the emergency group's included)",
        means: "an assignment carries other roles than the code gives it",
    },
    {
        kind: "policy-changed",
        reads: "the default version of each customer managed policy, inline policies, permission boundaries; the code's IAM users' own and group policies and groups",
        means: "what a role, or an IAM user of the code, may do changed",
    },
    {
        kind: "attachment-added",
        reads: "managed policies attached to each role of the code",
        means: "a managed policy attached by hand",
    },
    {
        kind: "session-length-changed",
        reads: "`MaxSessionDuration` of each role of the code",
        means: "a role's sessions may last longer or shorter than the code says",
    },
    {
        kind: "app-settings-changed",
        reads: "the code's app's status and `settings.app`",
        means: "a setting of the AWS app edited in the Admin Console",
    },
    {
        kind: "missing",
        reads: "each role, policy, provider, user, app, assignment and member of the code",
        means: "something the code makes does not exist",
    },
    {
        kind: "attachment-removed",
        reads: "managed policies attached to each role of the code",
        means: "a managed policy detached by hand",
    },
    {
        kind: "metadata-mismatch",
        reads: "the code's SAML provider's certificates against the app's current metadata",
        means: "the provider holds none of the app's current certificates: sign-in fails",
    },
    {
        kind: "api-integration-off",
        reads: "the app's provisioning features",
        means: "Okta no longer imports the roles",
    },
    {
        kind: "roles-not-imported",
        reads: "the SAML roles the app's assignments hold",
        means: "a role the code assigns that Okta has not imported",
    },
    {
        kind: "key-age",
        reads: "the role-listing user's access keys",
        means: "a key older than `okta-aws:oktaSsoUser.maxKeyAgeDays`",
    },
] as const satisfies readonly DriftKindEntry[];

export type DriftKind = (typeof driftKindTable)[number]["kind"];

/** Every kind of drift, in the order the report lists them. */
export const driftKinds: readonly DriftKind[] = driftKindTable.map((entry) => entry.kind);

/** The table as docs/audit.md shows it. */
export function driftKindsMarkdown(): string {
    return [
        "| Kind | What the audit reads | What it means |",
        "| --- | --- | --- |",
        ...driftKindTable.map((entry) => `| \`${entry.kind}\` | ${entry.reads} | ${entry.means} |`),
    ].join("\n");
}
