// The audit's window on Okta: the Management API, read-only, over plain fetch. Only GET requests
// leave this module; lists follow Okta's `Link: <…>; rel="next"` cursors; a 429 is waited out
// until `X-Rate-Limit-Reset` (bounded); every call is counted per rate-limit bucket, so the audit
// reports its own Okta budget; an unreachable org or a refused token is one clean line.
//
// Okta's API conventions: https://developer.okta.com/docs/reference/core-okta-api/ (Authentication:
// `Authorization: SSWS <token>`; Pagination and Link header: follow the `next` link as given, never
// build cursors); rate-limit headers: https://developer.okta.com/docs/reference/rl-best-practices/.
import type { OktaBucket, OktaOperationBudget } from "../plan/model";
import { operationBudget } from "../plan/oktaBudget";
import { LiveReadError } from "../../components/errors";

/** The environment variable the Okta provider reads its API token from (okta/terraform-provider-okta, `api_token`). */
const oktaApiTokenVariable = "OKTA_API_TOKEN";

/** Okta's error object: https://developer.okta.com/docs/reference/core-okta-api/#errors */
interface OktaErrorBody {
    errorCode?: string;
    errorSummary?: string;
}

export interface OktaReaderOptions {
    /** `https://<org>.okta.com`, or a custom domain, or a test server. */
    orgUrl: string;
    /** An API token (SSWS); a read-only administrator's is enough. */
    token: string;
    /** The longest wait for a rate limit to reset; a later reset fails the read instead. */
    maxRateLimitWaitSeconds?: number;
    /** 429s in a row one request may wait out before the read fails. */
    maxRateLimitRetries?: number;
    /** The most pages one list may take before the read fails (a server that never stops paging). */
    maxPages?: number;
    /** The largest answer read, in bytes (a server that answers without end). */
    maxBodyBytes?: number;
    /** Called after each page read (a list's page, or one object or document), with the pages read so far: the audit's progress. */
    onPage?: (pagesRead: number) => void;
}

/**
 * The rate-limit bucket a path counts to, as tools/oktaBudget.ts names them: everything under
 * `/api/v1/apps/{id}/…` counts to the apps bucket, which only `/api/v1/apps/{id}` itself leaves;
 * likewise for groups.
 */
export function oktaBucketOf(pathname: string): OktaBucket {
    if (/^\/api\/v1\/apps\/[^/]+$/.test(pathname)) {
        return "/api/v1/apps/{id}";
    }
    if (/^\/api\/v1\/apps(\/|$)/.test(pathname)) {
        return "/api/v1/apps";
    }
    if (/^\/api\/v1\/groups\/[^/]+$/.test(pathname)) {
        return "/api/v1/groups/{id}";
    }
    if (/^\/api\/v1\/groups(\/|$)/.test(pathname)) {
        return "/api/v1/groups";
    }
    if (/^\/api\/v1\/users\/[^/]+$/.test(pathname)) {
        return "GET /api/v1/users/{idOrLogin}";
    }
    if (/^\/api\/v1\/users(\/|$)/.test(pathname)) {
        return "GET, POST /api/v1/users";
    }
    return "/api/v1 (other)";
}

/** The `next` link of a Link header (RFC 8288); Okta may send `self` and `next` in one header or two. */
export function nextLink(linkHeader: string | null): string | undefined {
    for (const match of (linkHeader ?? "").matchAll(/<([^>]*)>((?:\s*;\s*[^,;<]+)*)/g)) {
        if (/;\s*rel\s*=\s*"?([^";]*\s)?next(\s[^";]*)?"?/i.test(match[2])) {
            return match[1];
        }
    }
    return undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** GET-only Okta Management API client. */
export class OktaReader {
    private readonly origin: string;
    private readonly maxWaitMs: number;
    private readonly maxRetries: number;
    private readonly maxPages: number;
    private readonly maxBodyBytes: number;
    /** Requests sent, per rate-limit bucket (a retried request counts each time: Okta counts it). */
    readonly calls: Partial<Record<OktaBucket, number>> = {};
    /** 429 responses waited out. */
    rateLimitWaits = 0;
    /** Pages read: every answer read in full (a list's page, one object, a metadata document); a 429 waited out is none. */
    pagesRead = 0;

    constructor(private readonly options: OktaReaderOptions) {
        let url: URL;
        try {
            url = new URL(options.orgUrl);
        } catch {
            throw new LiveReadError(`okta: ${JSON.stringify(options.orgUrl)} is not a URL (--okta-url, or okta:orgName and okta:baseUrl)`);
        }
        this.origin = url.origin;
        this.maxWaitMs = (options.maxRateLimitWaitSeconds ?? 120) * 1000;
        this.maxRetries = options.maxRateLimitRetries ?? 5;
        this.maxPages = options.maxPages ?? 10_000;
        this.maxBodyBytes = options.maxBodyBytes ?? 64 * 1024 * 1024;
    }

    /** The calls made, and the least minutes Okta's default per-minute limits allow for them. */
    budget(): OktaOperationBudget {
        return operationBudget([this.calls]);
    }

    /** One GET of a JSON document. */
    async json<T>(path: string, query: Record<string, string> = {}): Promise<T> {
        const url = this.url(path, query);
        return this.pageRead(await this.parsed<T>(await this.get(url, "application/json"), url));
    }

    /** One GET of a text document (SAML metadata is XML). */
    async text(path: string, query: Record<string, string>, accept: string): Promise<string> {
        const url = this.url(path, query);
        return this.pageRead(await this.body(await this.get(url, accept), url));
    }

    /** Counts one page read, tells `onPage`, and passes the page on. */
    private pageRead<T>(page: T): T {
        this.pagesRead++;
        this.options.onPage?.(this.pagesRead);
        return page;
    }

    /**
     * An answer's text, read up to `maxBodyBytes`: a server that answers without end fails the read
     * in one line instead of filling the audit's memory.
     */
    private async body(response: Response, url: string): Promise<string> {
        const reader = response.body?.getReader();
        const chunks: Uint8Array[] = [];
        let size = 0;
        for (let chunk = await reader?.read(); chunk && !chunk.done; chunk = await reader!.read()) {
            size += chunk.value.byteLength;
            if (size > this.maxBodyBytes) {
                await reader!.cancel();
                throw new LiveReadError(`okta: GET ${new URL(url).pathname}: the answer is larger than ${this.maxBodyBytes} bytes`);
            }
            chunks.push(chunk.value);
        }
        return Buffer.concat(chunks).toString("utf8");
    }

    /** An answer that must be JSON (Okta's `application/json`), parsed; anything else fails the read in one line. */
    private async parsed<T>(response: Response, url: string): Promise<T> {
        const { pathname } = new URL(url);
        const type = (response.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
        if (type !== "application/json") {
            await response.body?.cancel();
            throw new LiveReadError(`okta: GET ${pathname}: answered ${type || "no content type"}, not application/json`);
        }
        const text = await this.body(response, url);
        try {
            return JSON.parse(text) as T;
        } catch {
            throw new LiveReadError(`okta: GET ${pathname}: the answer is not JSON`);
        }
    }

    /**
     * Every item of a paged list, page by page, following each `next` link until there is none. A
     * link back to a page already read (a cycle) or more than `maxPages` pages fail the read: the
     * token is never sent round a loop.
     */
    async *list<T>(path: string, query: Record<string, string> = {}): AsyncGenerator<T> {
        let url: string | undefined = this.url(path, query);
        const visited = new Set<string>();
        while (url !== undefined) {
            if (visited.has(url)) {
                throw new LiveReadError(
                    `okta: GET ${path}: the next link leads back to a page already read (${new URL(url).pathname}${new URL(url).search}): the list never ends`,
                );
            }
            if (visited.size >= this.maxPages) {
                throw new LiveReadError(
                    `okta: GET ${path}: more than ${this.maxPages} pages: the audit stops rather than page without end`,
                );
            }
            visited.add(url);
            const response = await this.get(url, "application/json");
            const page = this.pageRead(await this.parsed<T[]>(response, url));
            if (!Array.isArray(page)) {
                throw new LiveReadError(`okta: GET ${new URL(url).pathname} answered no list`);
            }
            yield* page;
            url = nextLink(response.headers.get("link"));
            if (url !== undefined && new URL(url, this.origin).origin !== this.origin) {
                // The token goes with every request: never to another host.
                throw new LiveReadError(`okta: GET ${path}: the next page is on another host (${new URL(url, this.origin).origin})`);
            }
            url = url === undefined ? undefined : new URL(url, this.origin).href;
        }
    }

    private url(path: string, query: Record<string, string>): string {
        const url = new URL(path, this.origin);
        for (const [key, value] of Object.entries(query)) {
            url.searchParams.set(key, value);
        }
        return url.href;
    }

    private async get(url: string, accept: string): Promise<Response> {
        const { pathname } = new URL(url);
        for (let attempt = 0; ; attempt++) {
            const bucket = oktaBucketOf(pathname);
            this.calls[bucket] = (this.calls[bucket] ?? 0) + 1;
            let response: Response;
            try {
                response = await fetch(url, {
                    method: "GET",
                    headers: { Accept: accept, Authorization: `SSWS ${this.options.token}`, "User-Agent": "okta-aws-audit" },
                    redirect: "error",
                });
            } catch (error) {
                const cause = (error as { cause?: { code?: string; message?: string } }).cause;
                throw new LiveReadError(`okta: cannot reach ${this.origin} (${cause?.code ?? cause?.message ?? (error as Error).message})`);
            }
            if (response.status === 429 && attempt < this.maxRetries) {
                await this.waitForReset(response, pathname);
                continue;
            }
            if (!response.ok) {
                throw await this.failure(response, pathname);
            }
            return response;
        }
    }

    /**
     * Waits until the rate limit resets: `X-Rate-Limit-Reset` is the reset time in UTC epoch
     * seconds, read against Okta's own clock (the `Date` header) so that a skewed local clock
     * neither hammers nor stalls.
     */
    private async waitForReset(response: Response, pathname: string): Promise<void> {
        await response.body?.cancel();
        const reset = Number(response.headers.get("x-rate-limit-reset"));
        const serverNow = Date.parse(response.headers.get("date") ?? "") || Date.now();
        const waitMs = Number.isFinite(reset) && reset > 0 ? Math.max(0, reset * 1000 - serverNow) : 1000;
        if (waitMs > this.maxWaitMs) {
            throw new LiveReadError(
                `okta: GET ${pathname}: rate limit exceeded until ${new Date(reset * 1000).toISOString()}, later than the audit waits (${this.maxWaitMs / 1000} s)`,
            );
        }
        this.rateLimitWaits++;
        await sleep(waitMs);
    }

    private async failure(response: Response, pathname: string): Promise<LiveReadError> {
        const text = await response.text();
        let body: OktaErrorBody = {};
        try {
            body = JSON.parse(text) as OktaErrorBody;
        } catch {
            // Not Okta's error object: the status alone says it.
        }
        const said = body.errorSummary ? `: ${body.errorSummary}${body.errorCode ? ` (${body.errorCode})` : ""}` : "";
        const hint =
            response.status === 401
                ? ` — ${oktaApiTokenVariable} is not a valid API token of ${this.origin}`
                : response.status === 403
                  ? " — the token's administrator may not read this"
                  : "";
        return new LiveReadError(`okta: GET ${pathname}: ${response.status}${said}${hint}`, response.status);
    }
}

/** The API token from the environment, as the Okta provider reads it; a clean error when it is not set. */
export function oktaTokenFromEnvironment(environment: NodeJS.ProcessEnv = process.env): string {
    const token = environment[oktaApiTokenVariable];
    if (!token) {
        throw new LiveReadError(
            `okta: ${oktaApiTokenVariable} is not set: the audit reads Okta with an API token of a read-only administrator (docs/audit.md, "Credentials and least privilege")`,
        );
    }
    return token;
}

// ---- What the audit reads, in the shapes of Okta's API reference -------------------------------

/**
 * An app, as `GET /api/v1/apps/{appId}` returns it (the fields the audit reads).
 * https://developer.okta.com/docs/api/openapi/okta-management/management/tag/Application/#tag/Application/operation/getApplication
 */
/** A SAML attribute statement (the spec's SamlAttributeStatement: EXPRESSION or GROUP). */
export interface OktaAttributeStatement {
    type?: string;
    name?: string;
    values?: string[];
}

export interface OktaApp {
    id: string;
    name: string;
    label: string;
    status: string;
    signOnMode?: string;
    /** Provisioning features; `PUSH_NEW_USERS`, `IMPORT_NEW_USERS`, … once the API integration is on. */
    features?: string[];
    credentials?: { signing?: { kid?: string } };
    settings?: {
        app?: Record<string, unknown>;
        /** A SAML app's sign-on settings: its custom attribute statements, and those an OIN app inherits from its metadata. */
        signOn?: { attributeStatements?: OktaAttributeStatement[] | null; configuredAttributeStatements?: OktaAttributeStatement[] | null };
    };
    _links?: { accessPolicy?: { href: string } };
}

/**
 * An application user: https://developer.okta.com/docs/api/openapi/okta-management/management/tag/ApplicationUsers/#tag/ApplicationUsers/operation/listApplicationUsers
 * `scope` is `USER` for a direct assignment, `GROUP` for one through an assigned group.
 */
export interface OktaAppUser {
    id: string;
    scope: "USER" | "GROUP";
    status: string;
    /** The app username: an administrator types it freely, so it never says who the assignment is for. */
    credentials?: { userName?: string };
    profile?: { samlRoles?: string[] | null; role?: string | null };
    /** With `expand=user`: the Okta user the assignment belongs to. */
    _embedded?: { user?: OktaUser };
}

/**
 * An application group assignment: https://developer.okta.com/docs/api/openapi/okta-management/management/tag/ApplicationGroups/#tag/ApplicationGroups/operation/listApplicationGroupAssignments
 */
export interface OktaAppGroup {
    id: string;
    priority?: number;
    profile?: { samlRoles?: string[] | null; role?: string | null };
}

/** A group: https://developer.okta.com/docs/api/openapi/okta-management/management/tag/Group/#tag/Group/operation/getGroup */
export interface OktaGroup {
    id: string;
    /** `OKTA_GROUP` for groups mastered in Okta; `APP_GROUP` for imported ones (the AWS app's `appFilter`). */
    type: string;
    profile: { name: string; description?: string | null };
}

/** A member of a group: https://developer.okta.com/docs/api/openapi/okta-management/management/tag/Group/#tag/Group/operation/listGroupUsers */
export interface OktaUser {
    id: string;
    status: string;
    profile: { login: string };
}

/** A policy rule: https://developer.okta.com/docs/api/openapi/okta-management/management/tag/Policy/#tag/Policy/operation/listPolicyRules */
export interface OktaPolicyRule {
    id: string;
    name: string;
    status: string;
    priority?: number;
    system?: boolean;
    conditions?: Record<string, unknown> | null;
    actions?: Record<string, unknown>;
}

/**
 * The page size asked of each list: the most its endpoint returns per page, from the API reference
 * above (apps and app groups 200, app users 500, group members 1000), so a large org takes the
 * fewest calls.
 */
const pageLimits = { apps: "200", appGroups: "200", appUsers: "500", groupUsers: "1000", groups: "200" };

/** The org's apps of Okta's *Amazon Web Services* integration (`name eq "amazon_aws"`), whatever their label. */
export async function listAwsApps(reader: OktaReader): Promise<OktaApp[]> {
    const apps: OktaApp[] = [];
    for await (const app of reader.list<OktaApp>("/api/v1/apps", { filter: 'name eq "amazon_aws"', limit: pageLimits.apps })) {
        apps.push(app);
    }
    return apps;
}

/**
 * The org's apps that sign with the key `kid` (`credentials.signing.kid eq "<kid>"`, a filter of
 * listApplications): an app given a clone of another app's key signs assertions the same
 * certificate verifies.
 */
export async function listAppsSigningWith(reader: OktaReader, kid: string): Promise<OktaApp[]> {
    const apps: OktaApp[] = [];
    for await (const app of reader.list<OktaApp>("/api/v1/apps", {
        filter: `credentials.signing.kid eq "${kid}"`,
        limit: pageLimits.apps,
    })) {
        apps.push(app);
    }
    return apps;
}

/** A user by id: https://developer.okta.com/docs/api/openapi/okta-management/management/tag/User/#tag/User/operation/getUser */
export function getUser(reader: OktaReader, userId: string): Promise<OktaUser> {
    return reader.json<OktaUser>(`/api/v1/users/${encodeURIComponent(userId)}`);
}

export function getApp(reader: OktaReader, appId: string): Promise<OktaApp> {
    return reader.json<OktaApp>(`/api/v1/apps/${encodeURIComponent(appId)}`);
}

/** The app's users, each with its Okta user embedded (`expand=user`), so a login comes from the user, not the app username. */
export function listAppUsers(reader: OktaReader, appId: string): AsyncGenerator<OktaAppUser> {
    return reader.list<OktaAppUser>(`/api/v1/apps/${encodeURIComponent(appId)}/users`, { limit: pageLimits.appUsers, expand: "user" });
}

export function listAppGroups(reader: OktaReader, appId: string): AsyncGenerator<OktaAppGroup> {
    return reader.list<OktaAppGroup>(`/api/v1/apps/${encodeURIComponent(appId)}/groups`, { limit: pageLimits.appGroups });
}

/**
 * Every signing key the app has had, current and past, each with its certificate (`x5c`):
 * https://developer.okta.com/docs/api/openapi/okta-management/management/tag/ApplicationSSOCredentialKey/#tag/ApplicationSSOCredentialKey/operation/listApplicationKeys
 */
export function listAppKeys(reader: OktaReader, appId: string): Promise<{ kid?: string; x5c?: string[] }[]> {
    return reader.json<{ kid?: string; x5c?: string[] }[]>(`/api/v1/apps/${encodeURIComponent(appId)}/credentials/keys`);
}

/**
 * Every group of the org, paged: https://developer.okta.com/docs/api/openapi/okta-management/management/tag/Group/#tag/Group/operation/listGroups.
 * Group mapping renders a role from any group whose name the app's group filter matches, assigned
 * or not, so the audit reads them all and applies the live filter itself (an allow-list: no search
 * expression that assumes what the filter accepts).
 */
export function listGroups(reader: OktaReader): AsyncGenerator<OktaGroup> {
    return reader.list<OktaGroup>("/api/v1/groups", { limit: pageLimits.groups });
}

export function getGroup(reader: OktaReader, groupId: string): Promise<OktaGroup> {
    return reader.json<OktaGroup>(`/api/v1/groups/${encodeURIComponent(groupId)}`);
}

export function listGroupUsers(reader: OktaReader, groupId: string): AsyncGenerator<OktaUser> {
    return reader.list<OktaUser>(`/api/v1/groups/${encodeURIComponent(groupId)}/users`, { limit: pageLimits.groupUsers });
}

/**
 * The app's current IdP metadata: the document of its active signing key (`credentials.signing.kid`),
 * as terraform-provider-okta reads it. https://developer.okta.com/docs/api/openapi/okta-management/management/tag/ApplicationSSO/#tag/ApplicationSSO/operation/previewSAMLmetadataForApplication
 */
export function getSamlMetadata(reader: OktaReader, appId: string, kid: string): Promise<string> {
    // Okta's spec answers this operation as text/xml.
    return reader.text(`/api/v1/apps/${encodeURIComponent(appId)}/sso/saml/metadata`, { kid }, "text/xml");
}

export async function listPolicyRules(reader: OktaReader, policyId: string): Promise<OktaPolicyRule[]> {
    const rules: OktaPolicyRule[] = [];
    for await (const rule of reader.list<OktaPolicyRule>(`/api/v1/policies/${encodeURIComponent(policyId)}/rules`)) {
        rules.push(rule);
    }
    return rules;
}
