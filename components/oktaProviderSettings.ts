// The Okta provider's settings that matter for a large organisation — its rate-limit handling and
// OAuth 2.0 service-app credentials — checked at start-up with the same ranges the provider
// enforces (terraform-provider-okta okta/provider/provider.go), so a typo stops the program with
// the one error format instead of a provider error halfway through a deploy.

/**
 * The Okta management API scopes this program needs when the provider signs in as an OAuth 2.0
 * service app, one entry per resource type it registers (Okta Management API reference, each
 * operation's "OAuth 2.0 scopes"; okta/okta-management-openapi-spec `x-okta-scopes`). A scope
 * missing is a 403 part way through the first `pulumi up`, after what came before it was created.
 */
const oktaServiceAppScopes = [
    // okta.app.Saml, okta.app.OAuth, app user and group assignments, getSaml: /api/v1/apps
    "okta.apps.manage",
    "okta.apps.read",
    // okta.AppOauthApiScope: POST /api/v1/apps/{appId}/grants takes okta.appGrants.manage, not okta.apps.manage
    "okta.appGrants.manage",
    "okta.appGrants.read",
    // okta.group.Group, okta.GroupMemberships, okta.group.Rule: /api/v1/groups, /api/v1/groups/rules
    "okta.groups.manage",
    "okta.groups.read",
    // okta.AppSignonPolicy and okta.AppSignonPolicyRule (on by default): POST /api/v1/policies, /api/v1/policies/{id}/rules
    "okta.policies.manage",
    "okta.policies.read",
    // okta.user.User and okta.user.getUser: /api/v1/users
    "okta.users.manage",
    "okta.users.read",
];

type Reporter = (key: string, value: unknown, reason: string) => void;

/** Whole-number settings and their ranges (the provider's `intBetween`/`intAtMost`). */
const integerSettings: Record<string, { min: number; max?: number; what: string }> = {
    "okta:maxApiCapacity": { min: 1, max: 100, what: "the percentage of each per-minute rate limit the provider may use" },
    "okta:minWaitSeconds": { min: 0, what: "seconds to wait at least after a rate limit is hit" },
    "okta:maxWaitSeconds": { min: 0, what: "seconds to wait at most after a rate limit is hit" },
    "okta:maxRetries": { min: 0, max: 100, what: "retries before an error" },
    "okta:requestTimeout": { min: 0, max: 300, what: "seconds per request, 0 for no limit" },
    "okta:parallelism": { min: 1, what: "concurrent requests within one resource" },
};

/** Reads a whole number the way the CLI hands config to the program: as text, or already a number. */
function wholeNumber(value: unknown): number | undefined {
    const text = typeof value === "number" ? String(value) : value;
    return typeof text === "string" && /^\d+$/.test(text) ? Number(text) : undefined;
}

/** Checks the Okta provider's rate-limit settings and OAuth credentials of a stack's config. */
export function checkOktaProviderSettings(values: Record<string, unknown>, report: Reporter): void {
    for (const [key, rule] of Object.entries(integerSettings)) {
        const value = values[key];
        if (value === undefined) {
            continue;
        }
        const n = wholeNumber(value);
        const range = rule.max === undefined ? `at least ${rule.min}` : `${rule.min}–${rule.max}`;
        if (n === undefined || n < rule.min || (rule.max !== undefined && n > rule.max)) {
            report(key, value, `must be a whole number ${range}: ${rule.what}`);
        }
    }
    const backoff = values["okta:backoff"];
    if (backoff !== undefined && backoff !== true && backoff !== false) {
        report("okta:backoff", backoff, "must be true or false: whether to back off exponentially after a rate limit is hit");
    }
    const minWait = wholeNumber(values["okta:minWaitSeconds"]);
    const maxWait = wholeNumber(values["okta:maxWaitSeconds"]);
    if (minWait !== undefined && maxWait !== undefined && maxWait < minWait) {
        report("okta:maxWaitSeconds", values["okta:maxWaitSeconds"], `must be at least okta:minWaitSeconds (${minWait})`);
    }

    // OAuth 2.0 service app: client id, private key (a secret, checked with the other credentials)
    // and the scopes granted to it.
    const oauthKeys = ["okta:clientId", "okta:privateKey", "okta:scopes"];
    if (oauthKeys.some((key) => values[key] !== undefined)) {
        for (const key of oauthKeys.filter((k) => values[k] === undefined)) {
            report(
                key,
                undefined,
                "is required with the other OAuth 2.0 service-app settings (okta:clientId, okta:privateKey, okta:scopes)",
            );
        }
        const scopes = values["okta:scopes"];
        if (scopes !== undefined) {
            const list = Array.isArray(scopes) ? scopes : undefined;
            const missing = oktaServiceAppScopes.filter((scope) => !list?.includes(scope));
            if (!list || missing.length > 0) {
                report("okta:scopes", scopes, `must list the scopes this program needs; missing ${missing.join(", ")}`);
            }
        }
    }
}
