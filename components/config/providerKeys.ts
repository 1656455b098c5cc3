// The AWS and Okta provider settings a stack file may hold, by allow-list: each key with the reason
// it cannot send the deploy's credentials elsewhere, change the account or the Okta org, or change
// what is deployed out of the review's sight. A stack file is edited in pull requests; a provider
// key on no row (a proxy, endpoints, an assumed role, other credential files, skipped checks, a
// key added in a later provider version) is refused. Settings a deploy truly needs beyond these
// (a corporate proxy) belong to the deploy's own environment, which a pull request cannot edit.
import { closest } from "../names";
import { plainLineProblem } from "../plainText";

/** Where a provider key may be set: every stack, or only the identity stack (which alone uses Okta). */
type Stacks = "every" | "identity";

interface ProviderKey {
    readonly stacks: Stacks;
    /** Only as a `pulumi config set --secret` value (a credential). */
    readonly secretOnly?: true;
    readonly reason: string;
}

/**
 * The provider keys accepted, as the Pulumi providers name them (@pulumi/aws `config/vars.d.ts`,
 * @pulumi/okta `config/vars.d.ts`; terraform-provider-okta okta/provider/provider.go).
 */
export const providerKeys: Readonly<Record<string, ProviderKey>> = {
    "aws:region": {
        stacks: "every",
        reason: "the region of the stack's resources; checked against @pulumi/aws's regions and the commercial partition",
    },
    "aws:allowedAccountIds": {
        stacks: "every",
        reason: "required: the provider refuses credentials of any other account, so the stack cannot deploy elsewhere",
    },
    "aws:forbiddenAccountIds": {
        stacks: "every",
        reason: "can only refuse accounts, never add one",
    },
    "aws:profile": {
        stacks: "every",
        reason: "picks per-stack credentials from the deploying machine's own AWS config, which no pull request edits; the account stays pinned by aws:allowedAccountIds",
    },
    "aws:accessKey": { stacks: "every", secretOnly: true, reason: "a credential, as an encrypted secret; the account stays pinned" },
    "aws:secretKey": { stacks: "every", secretOnly: true, reason: "a credential, as an encrypted secret; the account stays pinned" },
    "aws:token": { stacks: "every", secretOnly: true, reason: "a credential, as an encrypted secret; the account stays pinned" },
    "aws:maxRetries": {
        stacks: "every",
        reason: "how often a throttled AWS call is retried; changes no resource",
    },
    "okta:orgName": {
        stacks: "identity",
        reason: "the Okta org; with okta:baseUrl it is the only place the Okta credentials go (https://<orgName>.<baseUrl>)",
    },
    "okta:baseUrl": {
        stacks: "identity",
        reason: "checked to be one of Okta's own domains (okta.com, oktapreview.com, okta-emea.com, …)",
    },
    "okta:apiToken": { stacks: "identity", secretOnly: true, reason: "the Okta API token, as an encrypted secret" },
    "okta:accessToken": { stacks: "identity", secretOnly: true, reason: "an Okta OAuth access token, as an encrypted secret" },
    "okta:privateKey": { stacks: "identity", secretOnly: true, reason: "the OAuth 2.0 service app's private key, as an encrypted secret" },
    "okta:privateKeyId": { stacks: "identity", reason: "names which of the service app's keys signs; goes to the same org" },
    "okta:clientId": { stacks: "identity", reason: "the OAuth 2.0 service app that signs in; checked with its scopes" },
    "okta:scopes": { stacks: "identity", reason: "the scopes the service app asks for; checked to hold the ones the program needs" },
    "okta:maxApiCapacity": {
        stacks: "identity",
        reason: "the share of Okta's rate limits the provider uses; checked within the provider's range",
    },
    "okta:backoff": { stacks: "identity", reason: "whether to back off after a rate limit; changes no resource" },
    "okta:minWaitSeconds": { stacks: "identity", reason: "a wait after a rate limit; checked within the provider's range" },
    "okta:maxWaitSeconds": { stacks: "identity", reason: "a wait after a rate limit; checked within the provider's range" },
    "okta:maxRetries": { stacks: "identity", reason: "retries before an error; checked within the provider's range" },
    "okta:requestTimeout": { stacks: "identity", reason: "seconds per request; checked within the provider's range" },
    "okta:parallelism": { stacks: "identity", reason: "concurrent requests within one resource; checked within the provider's range" },
};

/**
 * Why some well-known keys on no row are dangerous, so a message says more than "not accepted".
 * (The refusal does not depend on this table: every key on no row of providerKeys is refused.)
 */
const refusedBecause: Readonly<Record<string, string>> = {
    "okta:httpProxy":
        "sends every Okta API call, with the API token, to the URL it names (terraform-provider-okta okta/api/idaas.go takes it as the org URL)",
    "okta:logLevel": "writes the provider's requests to the deploy's logs",
    "aws:endpoints": "sends the AWS calls, signed with the deploy's credentials, to the URLs it names",
    "aws:assumeRole": "makes the deploy act as another role, possibly in another account",
    "aws:assumeRoleWithWebIdentity": "makes the deploy act as another role, possibly in another account",
    "aws:sharedConfigFiles": "reads AWS configuration (credentials, endpoints, processes to run) from files a pull request may add",
    "aws:sharedCredentialsFiles": "reads AWS credentials from files a pull request may add",
    "aws:customCaBundle": "trusts the certificate authority it names, so a proxy can read the deploy's AWS calls",
    "aws:httpProxy": "sends the AWS calls through the proxy it names",
    "aws:httpsProxy": "sends the AWS calls through the proxy it names",
    "aws:insecure": "turns off TLS certificate checks for the AWS calls",
    "aws:defaultTags": "adds tags to every resource, which the offline preview does not show",
    "aws:ignoreTags": "hides tags from the plan",
};

/** The credentials: refused in clear text (config/parse.ts), so they are only ever Pulumi secrets. */
export const credentialKeys = Object.keys(providerKeys).filter((key) => providerKeys[key].secretOnly);

/** Why a provider key (`aws:…`, `okta:…`) of a stack is refused, or undefined when it is accepted. */
export function providerKeyProblem(key: string, isIdentity: boolean): string | undefined {
    const accepted = Object.keys(providerKeys).filter((k) => k.startsWith(key.slice(0, key.indexOf(":") + 1)));
    if (!Object.hasOwn(providerKeys, key)) {
        const why = Object.hasOwn(refusedBecause, key)
            ? refusedBecause[key]
            : /^aws:skip/.test(key)
              ? "skips a check the AWS provider makes of its credentials or account"
              : undefined;
        const suggestion = why ? undefined : closest(key, accepted);
        return `is not a provider setting a stack file may hold${why ? `: it ${why}` : suggestion ? ` (did you mean ${suggestion}?)` : ""}; the accepted ones are ${accepted.join(", ")} (docs/allow-lists.md, "Provider settings of a stack file"); a deploy that needs another sets it in the deploy's environment, which pull requests cannot edit`;
    }
    if (providerKeys[key].stacks === "identity" && !isIdentity) {
        return "is an Okta setting, and a member stack registers nothing in Okta and holds no Okta credentials: remove it";
    }
    return undefined;
}

/**
 * Why a provider setting's value is refused, or undefined: each text in it (a list's entries too)
 * is one line of plain characters, as the reports and the access diff show it. The settings the
 * program does not otherwise check (`aws:profile`, `okta:clientId`, …) are any text YAML can spell.
 * Not asked of a credential (a private key's PEM has line breaks): it is only ever shown as a fingerprint.
 */
export function providerValueProblem(value: unknown): string | undefined {
    const texts = typeof value === "string" ? [value] : Array.isArray(value) ? value.filter((each) => typeof each === "string") : [];
    const problem = texts.map(plainLineProblem).find((each) => each !== undefined);
    return problem && `${problem}: a provider setting is one line of plain characters, as the reports show it`;
}
