// What the CLI tools need, per user: the guide's Appendix A `~/.aws/config` profiles for the SAML
// roles Okta sends them (components/rolesOktaSends.ts), and the legacy tool's config. Plain functions.

export interface CliRole {
    /** The federated role, e.g. `Retail-EC2-Admins`. */
    samlRole: string;
    /** The member account role it switches into. */
    targetRoleArn: string;
    switchRoleUrl: string;
}

/** Role chaining (federated session → member role) caps a session at one hour. */
const chainedSessionSeconds = 3600;

/**
 * A profile name every AWS SDK reads: the JavaScript SDK, for one, skips sections whose names hold
 * characters outside `A-Z a-z 0-9 _ - @ + . % : /` (IAM role names may also hold `=` and `,`).
 */
function portableProfileName(name: string): string {
    return name.replace(/[^\w\-@+.%:/]/g, "-");
}

/**
 * `~/.aws/config` for one person, as the guide's Appendix A lays it out: per SAML role, a profile
 * named `<identity account>/<federated role>/<login>` (the credentials okta-aws-cli writes under
 * that name are its source) that switches into the member role, and a readable alias of it.
 */
export function awsCliConfig(login: string, identityAccountId: string, roles: CliRole[]): string {
    const used = new Set<string>();
    const unique = (name: string) => {
        let candidate = name;
        for (let n = 2; used.has(candidate.toLowerCase()); n++) {
            candidate = `${name}-${n}`;
        }
        used.add(candidate.toLowerCase());
        return candidate;
    };
    const blocks = [...roles]
        .sort((a, b) => a.samlRole.localeCompare(b.samlRole))
        .map((role) => {
            const sourceProfile = unique(portableProfileName(`${identityAccountId}/${role.samlRole}/${login}`));
            return [
                `[profile ${sourceProfile}]`,
                `role_arn=${role.targetRoleArn}`,
                `source_profile=${sourceProfile}`,
                "",
                `[profile ${unique(portableProfileName(role.samlRole.toLowerCase()))}]`,
                `role_arn=${role.targetRoleArn}`,
                `source_profile=${sourceProfile}`,
                `role_session_name=${login}`,
                `duration_seconds=${chainedSessionSeconds}`,
                "",
            ].join("\n");
        });
    return [`# AWS CLI profiles for ${login} (okta-aws; identity account ${identityAccountId})`, "", ...blocks].join("\n");
}

/** The legacy okta-aws-cli-assume-role tool's `config.properties` (it holds a secret key). */
export function legacyConfigProperties(oktaOrg: string, appUrl: string, accessKeyId: string, secretAccessKey: string): string {
    return [
        `OKTA_ORG=${oktaOrg}`,
        `OKTA_AWS_APP_URL=${appUrl}`,
        `AWS_IAM_KEY=${accessKeyId}`,
        `AWS_IAM_SECRET=${secretAccessKey}`,
        "",
    ].join("\n");
}
