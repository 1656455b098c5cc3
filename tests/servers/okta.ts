// A small Okta Management API for the tests, on loopback: an in-memory org that the tests change
// as an administrator would in the Admin Console, served through exactly the read endpoints the
// audit uses, in the shapes of Okta's API reference — cursor pagination with pages small enough
// that every list has several, an injected 429 to wait out, the `SSWS` token check — recording
// every request, and refusing (and recording) every request that is not a GET.
//
// Shapes and behaviour from Okta's API reference:
// - conventions (errors, `SSWS`, `limit`/`after`, the Link header): https://developer.okta.com/docs/reference/core-okta-api/
// - rate-limit headers and the 429: https://developer.okta.com/docs/reference/rl-best-practices/
// - Apps (`GET /api/v1/apps?filter=…`, `GET /api/v1/apps/{appId}`):
//   https://developer.okta.com/docs/api/openapi/okta-management/management/tag/Application/
// - Application Users (`GET /api/v1/apps/{appId}/users`; `scope` USER or GROUP):
//   https://developer.okta.com/docs/api/openapi/okta-management/management/tag/ApplicationUsers/
// - Application Groups (`GET /api/v1/apps/{appId}/groups`; `priority`, `profile`):
//   https://developer.okta.com/docs/api/openapi/okta-management/management/tag/ApplicationGroups/
// - Users (`GET /api/v1/users/{id}`): https://developer.okta.com/docs/api/openapi/okta-management/management/tag/User/
// - Groups and their members (`GET /api/v1/groups`, `GET /api/v1/groups/{groupId}`, `…/users`):
//   https://developer.okta.com/docs/api/openapi/okta-management/management/tag/Group/
// - Key credentials (`GET /api/v1/apps/{appId}/credentials/keys`):
//   https://developer.okta.com/docs/api/openapi/okta-management/management/tag/ApplicationSSOCredentialKey/
// - SAML metadata (`GET /api/v1/apps/{appId}/sso/saml/metadata?kid=`):
//   https://developer.okta.com/docs/api/openapi/okta-management/management/tag/ApplicationSSO/
// - Policy rules (`GET /api/v1/policies/{policyId}/rules`):
//   https://developer.okta.com/docs/api/openapi/okta-management/management/tag/Policy/
import * as crypto from "crypto";
import * as http from "http";
import type { AddressInfo } from "net";
import { mockOktaId } from "../../tools/mock/providers";

/** An Okta user as the org holds it. */
export interface TestOktaUser {
    id: string;
    login: string;
    firstName: string;
    lastName: string;
    email: string;
    status: string;
}

export interface TestOktaGroup {
    id: string;
    name: string;
    description: string | null;
    /** `OKTA_GROUP` (mastered in Okta) or `APP_GROUP` (imported from a directory or app). */
    type: "OKTA_GROUP" | "APP_GROUP";
}

export interface TestOktaApp {
    id: string;
    name: string;
    label: string;
    status: "ACTIVE" | "INACTIVE";
    signOnMode: string;
    features: string[];
    /** `settings.app`, every key Okta returns for the app. */
    settings: Record<string, unknown>;
    /** The active signing key (none: an app Okta lists without `credentials.signing.kid`), and the IdP metadata document of each key the app has had. */
    signingKid?: string;
    metadata: Map<string, string>;
    /** The app's authentication (sign-on) policy, when one is assigned. */
    accessPolicyId?: string;
    /** `settings.signOn.attributeStatements` (Okta's default: none); undefined: the answer leaves the key out. */
    attributeStatements?: Record<string, unknown>[];
}

type AssignmentProfile = Record<string, unknown>;

/** A rule of a policy, in the shape `GET /api/v1/policies/{policyId}/rules` returns. */
export type TestPolicyRule = Record<string, unknown> & { id: string; name: string };

const created = "2026-01-01T00:00:00.000Z";

/**
 * The org's state. The methods are what an administrator does in the Admin Console; the audit
 * only ever reads it through the server.
 */
export class TestOktaOrg {
    readonly users = new Map<string, TestOktaUser>();
    readonly groups = new Map<string, TestOktaGroup>();
    readonly apps = new Map<string, TestOktaApp>();
    /** Per app: direct (USER scope) assignments and their profiles, by user id. */
    readonly appUsers = new Map<string, Map<string, AssignmentProfile>>();
    /** Per app: app usernames an administrator typed for a direct assignment, by user id (Okta's default: the login). */
    readonly appUserNames = new Map<string, Map<string, string>>();
    /** Per app: group assignments with their priority and profile, by group id. */
    readonly appGroups = new Map<string, Map<string, { priority: number; profile: AssignmentProfile }>>();
    /** Per group: member user ids, in the order they were added. */
    readonly members = new Map<string, Set<string>>();
    readonly policyRules = new Map<string, TestPolicyRule[]>();

    addUser(user: { login: string; firstName?: string; lastName?: string; email?: string; id?: string }): string {
        const id = user.id ?? mockOktaId("00u", user.login.toLowerCase());
        this.users.set(id, {
            id,
            login: user.login,
            firstName: user.firstName ?? user.login.split("@")[0],
            lastName: user.lastName ?? "User",
            email: user.email ?? user.login,
            status: "ACTIVE",
        });
        return id;
    }

    addGroup(group: { name: string; description?: string; type?: TestOktaGroup["type"]; id?: string }): string {
        const id = group.id ?? mockOktaId("00g", group.name);
        this.groups.set(id, { id, name: group.name, description: group.description ?? null, type: group.type ?? "OKTA_GROUP" });
        this.members.set(id, new Set());
        return id;
    }

    addMember(groupId: string, userId: string): void {
        this.known(this.members.get(groupId), "group", groupId).add(this.known(this.users.get(userId), "user", userId).id);
    }

    removeMember(groupId: string, userId: string): void {
        this.known(this.members.get(groupId), "group", groupId).delete(userId);
    }

    addApp(app: {
        name: string;
        label: string;
        settings: Record<string, unknown>;
        metadata: string;
        features?: string[];
        signOnMode?: string;
        id?: string;
    }): string {
        const id = app.id ?? mockOktaId("0oa", app.label);
        const signingKid = mockOktaId("kid", `${id}/1`);
        this.apps.set(id, {
            id,
            name: app.name,
            label: app.label,
            status: "ACTIVE",
            signOnMode: app.signOnMode ?? "SAML_2_0",
            features: app.features ?? [],
            settings: app.settings,
            signingKid,
            metadata: new Map([[signingKid, app.metadata]]),
            attributeStatements: [],
        });
        this.appUsers.set(id, new Map());
        this.appUserNames.set(id, new Map());
        this.appGroups.set(id, new Map());
        return id;
    }

    app(appId: string): TestOktaApp {
        return this.known(this.apps.get(appId), "app", appId);
    }

    /** Okta rotates the app's signing certificate: a new active key, with its own metadata. */
    rotateSigningKey(appId: string, metadata: string): string {
        const app = this.app(appId);
        const kid = mockOktaId("kid", `${appId}/${app.metadata.size + 1}`);
        app.metadata.set(kid, metadata);
        app.signingKid = kid;
        return kid;
    }

    assignUser(appId: string, userId: string, profile: AssignmentProfile = {}, userName?: string): void {
        this.known(this.users.get(userId), "user", userId);
        this.known(this.appUsers.get(appId), "app", appId).set(userId, profile);
        if (userName !== undefined) {
            this.appUserNames.get(appId)!.set(userId, userName);
        }
    }

    unassignUser(appId: string, userId: string): void {
        this.known(this.appUsers.get(appId), "app", appId).delete(userId);
        this.appUserNames.get(appId)!.delete(userId);
    }

    /**
     * Okta's key-credential clone (`POST /api/v1/apps/{appId}/credentials/keys/{keyId}/clone?targetAid=`):
     * the target app gets the source's active key, so both sign what the same certificate verifies.
     */
    cloneSigningKey(fromAppId: string, toAppId: string): void {
        const [from, to] = [this.app(fromAppId), this.app(toAppId)];
        const kid = this.known(from.signingKid, "signing key of app", fromAppId);
        to.metadata.set(kid, from.metadata.get(kid)!);
        to.signingKid = kid;
    }

    assignGroup(appId: string, groupId: string, assignment: { priority: number; profile?: AssignmentProfile }): void {
        this.known(this.groups.get(groupId), "group", groupId);
        this.known(this.appGroups.get(appId), "app", appId).set(groupId, {
            priority: assignment.priority,
            profile: assignment.profile ?? {},
        });
    }

    unassignGroup(appId: string, groupId: string): void {
        this.known(this.appGroups.get(appId), "app", appId).delete(groupId);
    }

    setAccessPolicy(appId: string, policyId: string, rules: TestPolicyRule[]): void {
        this.app(appId).accessPolicyId = policyId;
        this.policyRules.set(policyId, rules);
    }

    /** A user's id by login (Okta logins ignore case). */
    userId(login: string): string {
        const user = [...this.users.values()].find((u) => u.login.toLowerCase() === login.toLowerCase());
        return this.known(user, "user", login).id;
    }

    /** A group's id by name. */
    groupId(name: string): string {
        return this.known(
            [...this.groups.values()].find((g) => g.name === name),
            "group",
            name,
        ).id;
    }

    /**
     * The app's users as Okta lists them: each direct assignment (scope USER) and each member of an
     * assigned group not assigned directly (scope GROUP), whose profile comes from the group of
     * highest priority (the lowest number) among theirs.
     */
    listedAppUsers(appId: string): { userId: string; scope: "USER" | "GROUP"; profile: AssignmentProfile }[] {
        const direct = this.known(this.appUsers.get(appId), "app", appId);
        const viaGroups = new Map<string, { priority: number; profile: AssignmentProfile }>();
        for (const [groupId, assignment] of this.appGroups.get(appId)!) {
            for (const userId of this.members.get(groupId) ?? []) {
                const best = viaGroups.get(userId);
                if (!direct.has(userId) && (!best || assignment.priority < best.priority)) {
                    viaGroups.set(userId, assignment);
                }
            }
        }
        return [
            ...[...direct].map(([userId, profile]) => ({ userId, scope: "USER" as const, profile })),
            ...[...viaGroups].map(([userId, { profile }]) => ({ userId, scope: "GROUP" as const, profile })),
        ].sort((a, b) => a.userId.localeCompare(b.userId));
    }

    private known<T>(value: T | undefined, what: string, id: string): T {
        if (value === undefined) {
            throw new Error(`test Okta org: no ${what} ${id}`);
        }
        return value;
    }
}

/** One request the server received. */
interface RecordedRequest {
    method: string;
    /** Path and query, as sent. */
    url: string;
    status: number;
    /** When it arrived (ms since the epoch, the server's clock). */
    at: number;
}

export interface OktaServerOptions {
    /** The API token the server accepts (`Authorization: SSWS <token>`). */
    token: string;
    /** The largest page any list returns, whatever `limit` asks: small, so every list has several pages. */
    pageSize?: number;
    /** Answer the first GET whose path matches with a 429, resetting this many whole seconds after the next (default 0: at the next whole second; -1: already reset). */
    rateLimitOnce?: { path: RegExp; resetAfterSeconds?: number };
    /** A broken or hostile server: every list page whose path matches links `next` back to itself. */
    nextLinkLoop?: RegExp;
}

export interface OktaTestServer {
    /** `http://127.0.0.1:<port>`: what `--okta-url` takes. */
    url: string;
    /** Every request, in order. */
    requests: RecordedRequest[];
    /** Every request that was not a GET (refused): the audit must leave this empty. */
    writes: RecordedRequest[];
    /** The injected 429, once sent: when, and the `X-Rate-Limit-Reset` it gave (epoch seconds). */
    rateLimited?: { at: number; reset: number };
    stop(): Promise<void>;
}

class ApiError extends Error {
    constructor(
        readonly status: number,
        readonly errorCode: string,
        readonly errorSummary: string,
    ) {
        super(errorSummary);
    }
}

const notFound = (what: string) => new ApiError(404, "E0000007", `Not found: Resource not found: ${what}`);

/** Starts the server on a free loopback port. */
export async function startOktaServer(org: TestOktaOrg, options: OktaServerOptions): Promise<OktaTestServer> {
    const pageSize = options.pageSize ?? 2;
    const requests: RecordedRequest[] = [];
    const writes: RecordedRequest[] = [];
    let rateLimitPending = options.rateLimitOnce;
    const server = http.createServer();
    const state: OktaTestServer = { url: "", requests, writes, stop: () => stop() };
    server.on("request", (request: http.IncomingMessage, response: http.ServerResponse) => {
        const at = Date.now();
        const url = new URL(request.url ?? "/", "http://127.0.0.1");
        const record = (status: number) => {
            const entry = { method: request.method ?? "", url: request.url ?? "", status, at };
            requests.push(entry);
            if (request.method !== "GET") {
                writes.push(entry);
            }
        };
        const reset = Math.ceil(at / 1000) + 60;
        const send = (status: number, body: unknown, headers: Record<string, string | string[]> = {}) => {
            record(status);
            const text = typeof body === "string" ? body : JSON.stringify(body);
            response.writeHead(status, {
                // The spec's content type of SAML metadata (previewSAMLmetadataForApplication): text/xml.
                "Content-Type": typeof body === "string" ? "text/xml" : "application/json",
                "X-Rate-Limit-Limit": "100",
                "X-Rate-Limit-Remaining": "99",
                "X-Rate-Limit-Reset": String(reset),
                ...headers,
            });
            response.end(text);
        };
        const fail = (error: ApiError, headers: Record<string, string> = {}) =>
            send(
                error.status,
                {
                    errorCode: error.errorCode,
                    errorSummary: error.errorSummary,
                    errorLink: error.errorCode,
                    errorId: `oae${at}`,
                    errorCauses: [],
                },
                headers,
            );
        request.resume();
        request.on("end", () => {
            try {
                if (request.method !== "GET") {
                    // Okta would write; this server refuses, and the tests fail on any entry in `writes`.
                    throw new ApiError(405, "E0000022", `The endpoint does not support the provided HTTP method (${request.method}).`);
                }
                if (request.headers.authorization !== `SSWS ${options.token}`) {
                    throw new ApiError(401, "E0000011", "Invalid token provided");
                }
                if (rateLimitPending && rateLimitPending.path.test(url.pathname)) {
                    const resetAt = Math.ceil(at / 1000) + (rateLimitPending.resetAfterSeconds ?? 0);
                    rateLimitPending = undefined;
                    state.rateLimited = { at, reset: resetAt };
                    return fail(new ApiError(429, "E0000047", "API call exceeded rate limit due to too many requests."), {
                        "X-Rate-Limit-Remaining": "0",
                        "X-Rate-Limit-Reset": String(resetAt),
                    });
                }
                const answer = route(org, url, linksFor(state.url, url, pageSize));
                if (options.nextLinkLoop?.test(url.pathname) && answer.link) {
                    answer.link = [
                        ...answer.link.filter((l) => !l.endsWith('rel="next"')),
                        `<${state.url}${url.pathname}${url.search}>; rel="next"`,
                    ];
                }
                send(200, answer.body, answer.link ? { Link: answer.link } : {});
            } catch (error) {
                fail(error instanceof ApiError ? error : new ApiError(500, "E0000009", (error as Error).message));
            }
        });
    });

    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const stop = () =>
        new Promise<void>((resolve, reject) => {
            server.closeAllConnections();
            server.close((error) => (error ? reject(error) : resolve()));
        });
    return state;
}

/**
 * Links of one response: `_links` hrefs on the server's origin, and a list's page with its Link
 * header, `self` and (unless it is the last page) `next` carrying the cursor of its last item.
 */
function linksFor(origin: string, self: URL, pageSize: number) {
    return {
        self: (path: string) => ({ href: `${origin}${path}` }),
        page: <T extends { id: string }>(items: T[]) => {
            const limit = Math.min(Number(self.searchParams.get("limit") ?? pageSize) || pageSize, pageSize);
            const after = self.searchParams.get("after");
            const start = after === null ? 0 : items.findIndex((item) => item.id === after) + 1;
            if (after !== null && start === 0) {
                throw new ApiError(400, "E0000031", "Invalid search criteria.");
            }
            const page = items.slice(start, start + limit);
            const link = [`<${origin}${self.pathname}${self.search}>; rel="self"`];
            if (start + limit < items.length) {
                const next = new URL(self.href);
                next.searchParams.set("after", page[page.length - 1].id);
                next.searchParams.set("limit", String(limit));
                link.push(`<${origin}${next.pathname}${next.search}>; rel="next"`);
            }
            return { body: page, link };
        },
    };
}

type Links = ReturnType<typeof linksFor>;

/** Answers one GET, or throws the ApiError Okta would answer with. */
function route(org: TestOktaOrg, url: URL, links: Links): { body: unknown; link?: string[] } {
    const parts = url.pathname.split("/").slice(1).map(decodeURIComponent);
    const [api, version, collection, id, sub, ...rest] = parts;
    if (api !== "api" || version !== "v1") {
        throw notFound(url.pathname);
    }
    if (collection === "apps" && id === undefined) {
        return links.page(listApps(org, url).map((app) => appObject(app, links)));
    }
    if (collection === "apps") {
        const app = org.apps.get(id);
        if (!app) {
            throw notFound(`${id} (AppInstance)`);
        }
        if (sub === undefined) {
            return { body: appObject(app, links) };
        }
        if (sub === "users" && rest.length === 0) {
            const expand = url.searchParams.get("expand");
            if (expand !== null && expand !== "user") {
                throw new ApiError(400, "E0000001", `Api validation failed: expand: ${expand}`);
            }
            return links.page(org.listedAppUsers(id).map((assignment) => appUserObject(org, app, assignment, links, expand === "user")));
        }
        if (sub === "groups" && rest.length === 0) {
            const groups = [...org.appGroups.get(id)!].sort(([a], [b]) => a.localeCompare(b));
            return links.page(groups.map(([groupId, assignment]) => appGroupObject(app, groupId, assignment, links)));
        }
        if (sub === "credentials" && rest.join("/") === "keys") {
            // Every key the app has had, its certificate as the metadata of that key holds it.
            return { body: [...app.metadata].map(([kid, metadata]) => jsonWebKey(kid, metadata)) };
        }
        if (sub === "sso" && rest.join("/") === "saml/metadata") {
            const kid = url.searchParams.get("kid") ?? app.signingKid ?? "";
            const metadata = app.metadata.get(kid);
            if (metadata === undefined) {
                throw notFound(`${kid} (AppInstanceKey)`);
            }
            return { body: metadata };
        }
    }
    if (collection === "groups" && id === undefined) {
        // `GET /api/v1/groups`, every group of the org by id, paged (listGroups; no search or filter: the audit reads them all).
        for (const param of url.searchParams.keys()) {
            if (!["limit", "after"].includes(param)) {
                throw new ApiError(400, "E0000001", `Api validation failed: ${param} is not supported by the test server`);
            }
        }
        const groups = [...org.groups.values()].sort((a, b) => a.id.localeCompare(b.id));
        return links.page(groups.map((group) => groupObject(group, links)));
    }
    if (collection === "groups" && id !== undefined) {
        const group = org.groups.get(id);
        if (!group) {
            throw notFound(`${id} (UserGroup)`);
        }
        if (sub === undefined) {
            return { body: groupObject(group, links) };
        }
        if (sub === "users" && rest.length === 0) {
            return links.page([...org.members.get(id)!].map((userId) => userObject(org.users.get(userId)!, links)));
        }
    }
    if (collection === "users" && id !== undefined && sub === undefined) {
        const user = org.users.get(id) ?? [...org.users.values()].find((u) => u.login.toLowerCase() === id.toLowerCase());
        if (!user) {
            throw notFound(`${id} (User)`);
        }
        return { body: userObject(user, links) };
    }
    if (collection === "policies" && id !== undefined && sub === "rules" && rest.length === 0) {
        const rules = org.policyRules.get(id);
        if (!rules) {
            throw notFound(`${id} (Policy)`);
        }
        return { body: rules };
    }
    throw notFound(url.pathname);
}

/** `GET /api/v1/apps`: `filter` on `name`, `status` or `credentials.signing.kid` (`eq`, joined by `and`), `q` on name and label. */
function listApps(org: TestOktaOrg, url: URL): TestOktaApp[] {
    let apps = [...org.apps.values()].sort((a, b) => a.id.localeCompare(b.id));
    const filter = url.searchParams.get("filter");
    if (filter !== null) {
        for (const clause of filter.split(/\s+and\s+/i)) {
            const match = /^(name|status|credentials\.signing\.kid) eq "([^"]*)"$/.exec(clause.trim());
            if (!match) {
                throw new ApiError(400, "E0000031", "Invalid search criteria.");
            }
            const field = (app: TestOktaApp) =>
                match[1] === "credentials.signing.kid" ? app.signingKid : app[match[1] as "name" | "status"];
            apps = apps.filter((app) => field(app) === match[2]);
        }
    }
    const q = url.searchParams.get("q")?.toLowerCase();
    if (q) {
        apps = apps.filter((app) => app.name.toLowerCase().startsWith(q) || app.label.toLowerCase().startsWith(q));
    }
    return apps;
}

function appObject(app: TestOktaApp, links: Links) {
    return {
        id: app.id,
        name: app.name,
        label: app.label,
        status: app.status,
        lastUpdated: created,
        created,
        // The spec types the redirect URLs as strings: an app without them leaves them out.
        accessibility: { selfService: false },
        visibility: { autoLaunch: false, autoSubmitToolbar: false, hide: { iOS: false, web: false }, appLinks: { login: true } },
        features: app.features,
        signOnMode: app.signOnMode,
        credentials: {
            userNameTemplate: { template: "${source.login}", type: "BUILT_IN" },
            signing: app.signingKid === undefined ? {} : { kid: app.signingKid },
        },
        settings: {
            app: app.settings,
            notifications: { vpn: { network: { connection: "DISABLED" }, message: null, helpUrl: null } },
            signOn: {
                defaultRelayState: null,
                ssoAcsUrlOverride: null,
                audienceOverride: null,
                recipientOverride: null,
                destinationOverride: null,
                ...(app.attributeStatements !== undefined && { attributeStatements: app.attributeStatements }),
            },
        },
        _links: {
            ...(app.accessPolicyId && { accessPolicy: links.self(`/api/v1/policies/${app.accessPolicyId}`) }),
            metadata: { ...links.self(`/api/v1/apps/${app.id}/sso/saml/metadata`), type: "application/xml" },
            users: links.self(`/api/v1/apps/${app.id}/users`),
            groups: links.self(`/api/v1/apps/${app.id}/groups`),
            self: links.self(`/api/v1/apps/${app.id}`),
            deactivate: links.self(`/api/v1/apps/${app.id}/lifecycle/deactivate`),
        },
    };
}

function appUserObject(
    org: TestOktaOrg,
    app: TestOktaApp,
    assignment: { userId: string; scope: "USER" | "GROUP"; profile: AssignmentProfile },
    links: Links,
    expandUser: boolean,
) {
    const user = org.users.get(assignment.userId)!;
    return {
        id: assignment.userId,
        created,
        lastUpdated: created,
        scope: assignment.scope,
        status: "ACTIVE",
        statusChanged: created,
        passwordChanged: null,
        syncState: "DISABLED",
        credentials: { userName: org.appUserNames.get(app.id)?.get(assignment.userId) ?? user.login },
        profile: assignment.profile,
        _links: {
            app: links.self(`/api/v1/apps/${app.id}`),
            user: links.self(`/api/v1/users/${assignment.userId}`),
        },
        ...(expandUser && { _embedded: { user: userObject(user, links) } }),
    };
}

function appGroupObject(app: TestOktaApp, groupId: string, assignment: { priority: number; profile: AssignmentProfile }, links: Links) {
    return {
        id: groupId,
        lastUpdated: created,
        priority: assignment.priority,
        profile: assignment.profile,
        _links: {
            app: links.self(`/api/v1/apps/${app.id}`),
            group: links.self(`/api/v1/groups/${groupId}`),
        },
    };
}

/** A key credential (the spec's JsonWebKey) of the certificate in `metadata`. */
function jsonWebKey(kid: string, metadata: string) {
    const x5c = /<(?:ds:)?X509Certificate>([^<]+)</.exec(metadata)?.[1].replace(/\s/g, "");
    if (!x5c) {
        return { kid, kty: "RSA", use: "sig", created, lastUpdated: created, x5c: [] };
    }
    const certificate = new crypto.X509Certificate(Buffer.from(x5c, "base64"));
    const { e, n } = certificate.publicKey.export({ format: "jwk" });
    return {
        kid,
        kty: "RSA",
        use: "sig",
        created,
        lastUpdated: created,
        expiresAt: new Date(certificate.validTo).toISOString(),
        e,
        n,
        x5c: [x5c],
        "x5t#S256": crypto.createHash("sha256").update(certificate.raw).digest("base64url"),
    };
}

function groupObject(group: TestOktaGroup, links: Links) {
    return {
        id: group.id,
        created,
        lastUpdated: created,
        lastMembershipUpdated: created,
        objectClass: ["okta:user_group"],
        type: group.type,
        profile: { name: group.name, ...(group.description !== null && { description: group.description }) },
        _links: {
            users: links.self(`/api/v1/groups/${group.id}/users`),
            apps: links.self(`/api/v1/groups/${group.id}/apps`),
        },
    };
}

function userObject(user: TestOktaUser, links: Links) {
    return {
        id: user.id,
        status: user.status,
        created,
        activated: created,
        statusChanged: created,
        lastLogin: null,
        lastUpdated: created,
        passwordChanged: created,
        type: { id: "oty00000000000000000" },
        profile: {
            firstName: user.firstName,
            lastName: user.lastName,
            mobilePhone: null,
            secondEmail: null,
            login: user.login,
            email: user.email,
        },
        credentials: { provider: { type: "OKTA", name: "OKTA" } },
        _links: { self: links.self(`/api/v1/users/${user.id}`) },
    };
}
