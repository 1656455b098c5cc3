// The Okta API budget of the identity stack: how many Okta management API calls a first
// `pulumi up`, a no-change `pulumi preview` and a `pulumi refresh` make, per rate-limit bucket, and
// the least wall time Okta's default per-minute limits allow for them. Okta's rate limits, not
// CPU, bound a real deploy of a large organisation.
//
// Calls per resource follow terraform-provider-okta v6 (okta/services/idaas/resource_okta_*.go):
// each create is followed by the provider's read, a refresh is one read per resource, and a
// preview without --refresh calls only the program's look-ups (data sources).
import type { OktaApiBudget, OktaBucket, OktaOperationBudget, PlannedResource } from "./model";
import { plural } from "../shared/numbers";

/**
 * Okta's management rate-limit buckets and their default per-minute limits for a **Workforce
 * Identity** org (developer.okta.com/docs/reference/rl-global-mgmt/, "Management rate limits";
 * okta/okta-developer-docs packages/@okta/vuepress-site/docs/reference/rl-global-mgmt/index.md).
 * Paths under `/api/v1/apps/{id}/…` (app users, group assignments, keys, metadata) count to the
 * apps bucket, which only `/api/v1/apps/{id}` itself leaves; likewise for groups.
 */
const oktaRateLimits = {
    "/api/v1/apps": 100,
    "/api/v1/apps/{id}": 500,
    "/api/v1/groups": 500,
    "/api/v1/groups/{id}": 1000,
    "GET, POST /api/v1/users": 600,
    "GET /api/v1/users/{idOrLogin}": 2000,
    "/api/v1 (other)": 1200,
} as const satisfies Record<OktaBucket, number>;

type Calls = Partial<Record<OktaBucket, number>>;

/** Okta's page size for list calls the provider makes (terraform-provider-okta utils.DefaultPaginationLimit). */
const pageSize = 200;
const pages = (n: number) => Math.max(1, Math.ceil(n / pageSize));

/** Calls added up, bucket by bucket. */
function add(a: Calls, b: Calls): Calls {
    const sum: Calls = { ...a };
    for (const [bucket, n] of Object.entries(b) as [OktaBucket, number][]) {
        sum[bucket] = (sum[bucket] ?? 0) + n;
    }
    return sum;
}

/**
 * After creating an app the provider assigns its authentication policy (UpdateApplicationPolicy,
 * under /api/v1/apps); without `authenticationPolicy` it first lists the ACCESS_POLICY policies to
 * find Okta's default (app_authentication_policy.go `createOrUpdateAuthenticationPolicy`).
 */
function authenticationPolicyCalls(resource: PlannedResource): Calls {
    return resource.inputs.authenticationPolicy === undefined ? { "/api/v1/apps": 1, "/api/v1 (other)": 1 } : { "/api/v1/apps": 1 };
}

/** The calls of one resource: create (with the read that follows it) and a refresh (one read). */
function resourceCalls(resource: PlannedResource): { create: Calls; read: Calls } | undefined {
    switch (resource.type) {
        case "okta:app/saml:Saml":
            // CreateApplication, the app's authentication policy; read: GetApplication, then its signing keys and metadata.
            return {
                create: add({ "/api/v1/apps": 3, "/api/v1/apps/{id}": 1 }, authenticationPolicyCalls(resource)),
                read: { "/api/v1/apps": 2, "/api/v1/apps/{id}": 1 },
            };
        case "okta:app/oAuth:OAuth":
            // CreateApplication, the app's authentication policy; read: GetApplication.
            return {
                create: add({ "/api/v1/apps": 1, "/api/v1/apps/{id}": 1 }, authenticationPolicyCalls(resource)),
                read: { "/api/v1/apps/{id}": 1 },
            };
        case "okta:index/appSignonPolicy:AppSignonPolicy":
            // CreatePolicy, ListPolicyRules for the default rule's id, and with catchAll false
            // ListPolicyRules and ReplacePolicyRule to set the catch-all to DENY; read: GetPolicy,
            // ListPolicyRules (resource_okta_app_signon_policy.go). Policies have no bucket of their own.
            return {
                create: { "/api/v1 (other)": resource.inputs.catchAll === false ? 4 : 2 },
                read: { "/api/v1 (other)": 2 },
            };
        case "okta:index/appSignonPolicyRule:AppSignonPolicyRule":
            // CreatePolicyRule; read: GetPolicyRule.
            return { create: { "/api/v1 (other)": 2 }, read: { "/api/v1 (other)": 1 } };
        case "okta:index/appOauthApiScope:AppOauthApiScope":
            // ListScopeConsentGrants, GrantConsentToScope per scope; read: ListScopeConsentGrants.
            return { create: { "/api/v1/apps": 2 + (resource.inputs.scopes as string[]).length }, read: { "/api/v1/apps": 1 } };
        case "okta:app/user:User":
            // GetApplication, AssignUserToApplication; read: GetApplication, GetApplicationUser.
            return { create: { "/api/v1/apps/{id}": 2, "/api/v1/apps": 2 }, read: { "/api/v1/apps/{id}": 1, "/api/v1/apps": 1 } };
        case "okta:app/groupAssignment:GroupAssignment":
            // CreateApplicationGroupAssignment; read: GetApplicationGroupAssignment.
            return { create: { "/api/v1/apps": 2 }, read: { "/api/v1/apps": 1 } };
        case "okta:user/user:User":
            // CreateUser; read: GetUser.
            return {
                create: { "GET, POST /api/v1/users": 1, "GET /api/v1/users/{idOrLogin}": 1 },
                read: { "GET /api/v1/users/{idOrLogin}": 1 },
            };
        case "okta:group/group:Group":
            // CreateGroup, GetGroup; read: GetGroup.
            return { create: { "/api/v1/groups": 1, "/api/v1/groups/{id}": 2 }, read: { "/api/v1/groups/{id}": 1 } };
        case "okta:group/rule:Rule":
            // CreateGroupRule, ActivateGroupRule; read: GetGroupRule.
            return { create: { "/api/v1/groups": 3 }, read: { "/api/v1/groups": 1 } };
        case "okta:index/groupMemberships:GroupMemberships": {
            // One AddUserToGroup per user, then ListGroupUsers; read: ListGroupUsers twice
            // (checkIfUsersHaveChanged, checkIfUsersHaveBeenRemoved).
            const users = (resource.inputs.users as unknown[]).length;
            return { create: { "/api/v1/groups": users + 2 * pages(users) }, read: { "/api/v1/groups": 2 * pages(users) } };
        }
        default:
            return undefined;
    }
}

/** The look-ups the program makes on every preview, up and refresh (data sources). */
function invokeCalls(token: string): Calls {
    switch (token) {
        case "okta:user/getUser:getUser":
            // ListUsers with a search; skipRoles and skipGroups spare the per-person role and group lists.
            return { "GET, POST /api/v1/users": 1 };
        case "okta:group/getGroup:getGroup":
            // ListGroups with q (the data source's look-up by name; include_users off).
            return { "/api/v1/groups": 1 };
        case "okta:app/getSaml:getSaml":
            // ListApplications by label (skipUsers, skipGroups).
            return { "/api/v1/apps": 1 };
        default:
            return {};
    }
}

/** The calls of an operation added up per bucket, and the least minutes the default limits allow them. */
export function operationBudget(parts: Calls[]): OktaOperationBudget {
    const calls: Calls = {};
    for (const part of parts) {
        for (const [bucket, n] of Object.entries(part) as [OktaBucket, number][]) {
            calls[bucket] = (calls[bucket] ?? 0) + n;
        }
    }
    const sorted = Object.fromEntries(Object.entries(calls).sort(([a], [b]) => a.localeCompare(b))) as Calls;
    const minutes = Math.max(0, ...Object.entries(sorted).map(([bucket, n]) => n / oktaRateLimits[bucket as OktaBucket]));
    return { calls: sorted, total: Object.values(sorted).reduce((a, b) => a + b, 0), minutes: Math.round(minutes * 10) / 10 };
}

/** The budget of the identity stack's Okta resources and look-ups. */
export function oktaApiBudget(resources: PlannedResource[], invokes: string[]): OktaApiBudget {
    const perResource = resources.map(resourceCalls).filter((calls) => calls !== undefined);
    const lookups = invokes.map(invokeCalls);
    return {
        limits: oktaLimits,
        firstUp: operationBudget([...lookups, ...perResource.map((calls) => calls.create)]),
        preview: operationBudget(lookups),
        refresh: operationBudget([...lookups, ...perResource.map((calls) => calls.read)]),
    };
}

/** The limits the budgets assume: the default per-minute limits of a Workforce Identity org. */
export const oktaLimits = {
    orgType: "Workforce Identity",
    source: "https://developer.okta.com/docs/reference/rl-global-mgmt/",
    perMinute: oktaRateLimits,
};

/** One operation's budget in a line: its calls, least minutes and slowest bucket. */
export function operationLine(name: string, op: OktaOperationBudget): string {
    const slowest = Object.entries(op.calls).sort(
        ([a, n], [b, m]) => m / oktaRateLimits[b as OktaBucket] - n / oktaRateLimits[a as OktaBucket],
    )[0];
    return `${name}: ${plural(op.total, "call")}, at least ${op.minutes} min${slowest ? ` (slowest bucket ${slowest[0]}: ${slowest[1].toLocaleString("en-US")} at ${oktaRateLimits[slowest[0] as OktaBucket]}/min)` : ""}`;
}

/** The budget in a few lines for the console. */
export function oktaBudgetLines(budget: OktaApiBudget): string[] {
    const line = operationLine;
    return [
        `Okta API budget (identity stack; default limits of a ${budget.limits.orgType} org, ${budget.limits.source})`,
        `  ${line("first pulumi up", budget.firstUp)}`,
        `  ${line("pulumi preview, no change", budget.preview)}`,
        `  ${line("pulumi refresh", budget.refresh)}`,
    ];
}
