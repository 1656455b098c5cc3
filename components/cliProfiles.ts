// What the CLI tools need, per user: the guide's Appendix A `~/.aws/config` profiles for the SAML
// roles Okta sends them (components/rolesOktaSends.ts), and the legacy tool's config. Plain functions.
import { chainedSessionSeconds } from "./awsSignInLimits";
import { roleNameOf } from "./names";

export interface CliRole {
    /** The SAML role as people are granted it, e.g. `Retail-EC2-Admins`. */
    samlRole: string;
    /** The member account role it reaches. */
    targetRoleArn: string;
    switchRoleUrl: string;
    /**
     * Direct sign-in (`okta-aws:signIn: direct`): the member account's own SAML provider and the
     * longest session AWS gives it; absent for a chained role, reached through a federated role.
     */
    direct?: { samlProviderArn: string; sessionSeconds: number };
}

/**
 * A profile name every AWS SDK reads: the JavaScript SDK, for one, skips sections whose names hold
 * characters outside `A-Z a-z 0-9 _ - @ + . % : /` (IAM role names may also hold `=` and `,`).
 */
function portableProfileName(name: string): string {
    return name.replace(/[^\w\-@+.%:/]/g, "-");
}

/**
 * okta-aws-cli's arguments that sign a person in to one direct role: the member account's provider
 * and role picked from the assertion's pairs (`--aws-iam-idp`, `--aws-iam-role`, which okta-aws-cli
 * otherwise asks for when several accounts' providers are in it), and the session it asks STS for
 * (`--aws-session-duration`, its default being one hour). okta/okta-aws-cli README, "Web command
 * settings" and "Global settings"; internal/webssoauth/webssoauth.go `promptForIDP`, `promptForRole`.
 */
function directSignInArguments(role: CliRole, direct: NonNullable<CliRole["direct"]>): string {
    return `--aws-iam-idp ${direct.samlProviderArn} --aws-iam-role ${role.targetRoleArn} --aws-session-duration ${direct.sessionSeconds}`;
}

/**
 * `~/.aws/config` for one person, as the guide's Appendix A lays it out. A chained role: a profile
 * named `<identity account>/<federated role>/<login>` (the credentials okta-aws-cli writes under
 * that name are its source) that switches into the member role, and a readable alias of it. A
 * direct role, where the SAML sign-in itself lands in the member role: no `source_profile` and no
 * `role_arn`, so nothing chains and the session is as long as the role allows: the profile
 * `<member account>/<role>/<login>` whose credentials okta-aws-cli writes to ~/.aws/credentials
 * (its command in a comment), and a readable alias that gets its own through okta-aws-cli as a credential process
 * (okta/okta-aws-cli README, "Process credentials provider": `--format process-credentials` needs
 * `--aws-iam-idp`, `--aws-iam-role` and `--open-browser`; the org domain and the client id come
 * from the `OKTA_AWSCLI_*` variables of the stack's `oktaAwsCli` output).
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
    // A role in migration (signIn both) has both profiles: its direct alias says so.
    const chainedRoles = new Set(roles.filter((role) => !role.direct).map((role) => role.samlRole));
    const blocks = [...roles]
        .sort((a, b) => a.samlRole.localeCompare(b.samlRole) || Number(a.direct !== undefined) - Number(b.direct !== undefined))
        .map((role) => {
            if (role.direct) {
                const memberAccountId = role.targetRoleArn.split(":")[4];
                const profile = unique(portableProfileName(`${memberAccountId}/${roleNameOf(role.targetRoleArn)}/${login}`));
                const signIn = directSignInArguments(role, role.direct);
                // The profile okta-aws-cli writes lives in ~/.aws/credentials alone: no section here, so nothing chains from it.
                return [
                    `# ${role.samlRole}: direct sign-in to account ${memberAccountId}, sessions up to ${role.direct.sessionSeconds} s.`,
                    `# okta-aws-cli writes the credentials of profile ${profile} (~/.aws/credentials):`,
                    `#   okta-aws-cli web --format aws-credentials --write-aws-credentials --profile ${profile} ${signIn}`,
                    `[profile ${unique(portableProfileName(`${role.samlRole.toLowerCase()}${chainedRoles.has(role.samlRole) ? "-direct" : ""}`))}]`,
                    `credential_process=okta-aws-cli web --format process-credentials --open-browser ${signIn}`,
                    "",
                ].join("\n");
            }
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
