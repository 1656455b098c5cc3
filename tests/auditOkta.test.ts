// The audit's Okta client against the Okta test server: every page through the Link header, a 429
// waited out until its reset, one clean line for a refused token or an unreachable org, and never
// anything but a GET.
import { expect } from "chai";
import * as http from "http";
import * as net from "net";
import {
    getApp,
    getGroup,
    getSamlMetadata,
    listAppGroups,
    listAppUsers,
    listAwsApps,
    listGroupUsers,
    listPolicyRules,
    nextLink,
    OktaReader,
    oktaTokenFromEnvironment,
} from "../tools/audit/okta";
import { LiveReadError } from "../components/errors";
import { everyPages } from "../tools/shared/progress";
import { OktaTestServer, startOktaServer, TestOktaOrg } from "./servers/okta";

const token = "00test-token";

/** Five people, a group of three, the AWS app with two users and the group, and another app. */
function smallOrg(): { org: TestOktaOrg; appId: string; groupId: string; logins: string[] } {
    const org = new TestOktaOrg();
    const logins = ["ann", "bob", "cat", "dan", "eve"].map((name) => `${name}@example.com`);
    const ids = logins.map((login) => org.addUser({ login }));
    const groupId = org.addGroup({ name: "team-a" });
    ids.slice(2).forEach((id) => org.addMember(groupId, id));
    const appId = org.addApp({ name: "amazon_aws", label: "Amazon Web Services", settings: { joinAllRoles: true }, metadata: "<md/>" });
    org.addApp({ name: "bookmark", label: "Wiki", settings: {}, metadata: "<other/>" });
    org.assignUser(appId, ids[0], { role: null, samlRoles: ["Sales-EC2-Admins"] });
    org.assignUser(appId, ids[1], { role: null, samlRoles: ["Retail-S3-Admins"] });
    org.assignGroup(appId, groupId, { priority: 1, profile: { role: null, samlRoles: ["Retail-EC2-Admins"] } });
    org.setAccessPolicy(appId, "rst1", [
        { id: "rul1", name: "two factors", status: "ACTIVE" },
        { id: "rul2", name: "Catch-all Rule", status: "ACTIVE" },
    ]);
    return { org, appId, groupId, logins };
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
    const all: T[] = [];
    for await (const item of items) {
        all.push(item);
    }
    return all;
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const { port } = probe.address() as net.AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    return port;
}

describe("audit: the Okta client (tools/audit/okta.ts) against the Okta test server", () => {
    let server: OktaTestServer | undefined;
    afterEach(async () => {
        await server?.stop();
        server = undefined;
    });

    it("reads every listed endpoint, following each next link, in Okta's shapes", async () => {
        const { org, appId, groupId } = smallOrg();
        server = await startOktaServer(org, { token, pageSize: 2 });
        const reader = new OktaReader({ orgUrl: server.url, token });

        expect((await listAwsApps(reader)).map((app) => [app.id, app.name, app.label])).to.deep.equal([
            [appId, "amazon_aws", "Amazon Web Services"],
        ]);
        const app = await getApp(reader, appId);
        expect(app.settings?.app).to.deep.equal({ joinAllRoles: true });
        expect(app._links?.accessPolicy?.href).to.equal(`${server.url}/api/v1/policies/rst1`);
        expect(
            (await collect(listAppUsers(reader, appId))).map((user) => [user.credentials?.userName, user.scope, user.profile?.samlRoles]),
        ).to.deep.equal(
            // Listed by user id; the group's members are app users of scope GROUP.
            org
                .listedAppUsers(appId)
                .map((assignment) => [
                    org.users.get(assignment.userId)!.login,
                    assignment.scope,
                    assignment.scope === "USER" ? assignment.profile.samlRoles : ["Retail-EC2-Admins"],
                ]),
        );
        expect((await collect(listAppGroups(reader, appId))).map((g) => [g.id, g.priority, g.profile?.samlRoles])).to.deep.equal([
            [groupId, 1, ["Retail-EC2-Admins"]],
        ]);
        expect((await getGroup(reader, groupId)).profile.name).to.equal("team-a");
        expect((await collect(listGroupUsers(reader, groupId))).map((u) => u.profile.login)).to.deep.equal([
            "cat@example.com",
            "dan@example.com",
            "eve@example.com",
        ]);
        expect(await getSamlMetadata(reader, appId, app.credentials!.signing!.kid!)).to.equal("<md/>");
        expect((await listPolicyRules(reader, "rst1")).map((r) => r.name)).to.deep.equal(["two factors", "Catch-all Rule"]);

        // Five app users in pages of two: three requests, each after the first named by a next link.
        expect(server.requests.filter((r) => r.url.startsWith(`/api/v1/apps/${appId}/users`)).map((r) => r.url)).to.deep.equal([
            `/api/v1/apps/${appId}/users?limit=500&expand=user`,
            `/api/v1/apps/${appId}/users?limit=2&expand=user&after=${org.listedAppUsers(appId)[1].userId}`,
            `/api/v1/apps/${appId}/users?limit=2&expand=user&after=${org.listedAppUsers(appId)[3].userId}`,
        ]);
        expect(reader.budget()).to.deep.equal({
            calls: { "/api/v1 (other)": 1, "/api/v1/apps": 6, "/api/v1/apps/{id}": 1, "/api/v1/groups": 2, "/api/v1/groups/{id}": 1 },
            total: 11,
            minutes: 0.1,
        });
        expect(server.requests.length).to.equal(11);
        expect(server.writes).to.deep.equal([]);
    });

    it("counts each page it reads for the progress line: a line every hundred pages, as many as the server answered", async () => {
        const org = new TestOktaOrg();
        const groupId = org.addGroup({ name: "everyone" });
        for (let i = 0; i < 250; i++) {
            org.addMember(groupId, org.addUser({ login: `person${i}@example.com` }));
        }
        // A reset already past: the 429 is retried at once (the wait itself is the next test's).
        server = await startOktaServer(org, { token, pageSize: 1, rateLimitOnce: { path: /\/users$/, resetAfterSeconds: -1 } });
        const lines: string[] = [];
        const reader = new OktaReader({ orgUrl: server.url, token, onPage: everyPages((line) => lines.push(line), "Okta") });
        expect((await getGroup(reader, groupId)).profile.name).to.equal("everyone");
        expect(await collect(listGroupUsers(reader, groupId))).to.have.length(250);
        // One group and 250 pages of one member; the 429 is waited out, not read.
        expect(server.requests.map((r) => r.status).filter((status) => status !== 200)).to.deep.equal([429]);
        expect(reader.pagesRead).to.equal(server.requests.filter((r) => r.status === 200).length);
        expect(reader.pagesRead).to.equal(251);
        expect(lines).to.deep.equal(["read 100 Okta pages", "read 200 Okta pages"]);
    });

    it("stops a list past its page cap, or at a next link back to a page already read, in one line and without sending the token round a loop", async () => {
        const { org, appId } = smallOrg();
        server = await startOktaServer(org, { token, pageSize: 2 });
        const capped = new OktaReader({ orgUrl: server.url, token, maxPages: 2 });
        const users = `/api/v1/apps/${appId}/users`;
        let error: unknown;
        await collect(listAppUsers(capped, appId)).catch((e: unknown) => (error = e));
        expect([error instanceof LiveReadError, (error as Error).message]).to.deep.equal([
            true,
            `okta: GET ${users}: more than 2 pages: the audit stops rather than page without end`,
        ]);
        expect(server.requests.filter((r) => r.url.startsWith(users)).length).to.equal(2);
        await server.stop();

        server = await startOktaServer(org, { token, pageSize: 2, nextLinkLoop: /\/users$/ });
        error = undefined;
        await collect(listAppUsers(new OktaReader({ orgUrl: server.url, token }), appId)).catch((e: unknown) => (error = e));
        expect((error as Error).message).to.equal(
            `okta: GET ${users}: the next link leads back to a page already read (${users}?limit=500&expand=user): the list never ends`,
        );
        expect(server.requests.map((r) => r.url)).to.deep.equal([`${users}?limit=500&expand=user`]);
    });

    it("hostile answers fail the read in one line: a wrong content type, malformed JSON, no list, an answer without end", async () => {
        const answers: Record<string, (response: http.ServerResponse) => void> = {
            "/api/v1/apps/html": (r) => r.writeHead(200, { "Content-Type": "text/html" }).end("<html>login</html>"),
            "/api/v1/apps/malformed": (r) => r.writeHead(200, { "Content-Type": "application/json" }).end('{"id": [}'),
            "/api/v1/apps/object": (r) => r.writeHead(200, { "Content-Type": "application/json; charset=UTF-8" }).end('{"id": "x"}'),
            "/api/v1/apps/endless": (r) => {
                r.writeHead(200, { "Content-Type": "application/json" });
                const chunk = Buffer.alloc(64 * 1024, 32);
                const more = () => {
                    while (!r.destroyed && r.write(chunk));
                    if (!r.destroyed) r.once("drain", more);
                };
                r.on("close", () => r.removeAllListeners("drain"));
                more();
            },
        };
        const hostile = http.createServer((request, response) => answers[new URL(request.url!, "http://x").pathname](response));
        await new Promise<void>((resolve) => hostile.listen(0, "127.0.0.1", resolve));
        try {
            const reader = new OktaReader({
                orgUrl: `http://127.0.0.1:${(hostile.address() as net.AddressInfo).port}`,
                token,
                maxBodyBytes: 1024 * 1024,
            });
            const failures: string[] = [];
            for (const name of ["html", "malformed", "endless"]) {
                await getApp(reader, name).catch((e: unknown) =>
                    failures.push(e instanceof LiveReadError ? e.message : `not one line: ${String(e)}`),
                );
            }
            await collect(reader.list("/api/v1/apps/object")).catch((e: unknown) => failures.push((e as Error).message));
            expect(failures).to.deep.equal([
                "okta: GET /api/v1/apps/html: answered text/html, not application/json",
                "okta: GET /api/v1/apps/malformed: the answer is not JSON",
                "okta: GET /api/v1/apps/endless: the answer is larger than 1048576 bytes",
                "okta: GET /api/v1/apps/object answered no list",
            ]);
        } finally {
            hostile.closeAllConnections();
            await new Promise((resolve) => hostile.close(resolve));
        }
    });

    it("waits out a 429 until X-Rate-Limit-Reset, then goes on (a real wait, up to a second) @slow", async () => {
        const { org, appId } = smallOrg();
        server = await startOktaServer(org, { token, pageSize: 2, rateLimitOnce: { path: /\/users$/ } });
        const reader = new OktaReader({ orgUrl: server.url, token });
        expect(await collect(listAppUsers(reader, appId))).to.have.length(5);
        const [limited, retried] = server.requests.slice(0, 2);
        expect([limited.status, retried.status, retried.url]).to.deep.equal([429, 200, limited.url]);
        // The retry came no earlier than the reset the 429 named.
        expect(retried.at).to.be.at.least(server.rateLimited!.reset * 1000);
        expect(reader.rateLimitWaits).to.equal(1);
        expect(reader.budget().total).to.equal(4);
    });

    it("fails with one line when the rate limit resets later than it waits", async () => {
        const { org, appId } = smallOrg();
        server = await startOktaServer(org, { token, rateLimitOnce: { path: /./, resetAfterSeconds: 600 } });
        const reader = new OktaReader({ orgUrl: server.url, token, maxRateLimitWaitSeconds: 120 });
        const error = await getApp(reader, appId).catch((e: unknown) => e);
        expect(error).to.be.instanceOf(LiveReadError);
        expect((error as Error).message).to.equal(
            `okta: GET /api/v1/apps/${appId}: rate limit exceeded until ${new Date(server.rateLimited!.reset * 1000).toISOString()}, later than the audit waits (120 s)`,
        );
    });

    it("says in one line that a token is refused, or that the org cannot be reached", async () => {
        const { org } = smallOrg();
        server = await startOktaServer(org, { token });
        const refused = await listAwsApps(new OktaReader({ orgUrl: server.url, token: "wrong" })).catch((e: unknown) => e);
        expect((refused as Error).message).to.equal(
            `okta: GET /api/v1/apps: 401: Invalid token provided (E0000011) — OKTA_API_TOKEN is not a valid API token of ${server.url}`,
        );
        const port = await closedPort();
        const unreachable = await listAwsApps(new OktaReader({ orgUrl: `http://127.0.0.1:${port}`, token })).catch((e: unknown) => e);
        expect(unreachable).to.be.instanceOf(LiveReadError);
        expect((unreachable as Error).message).to.equal(`okta: cannot reach http://127.0.0.1:${port} (ECONNREFUSED)`);
        expect(() => oktaTokenFromEnvironment({})).to.throw(
            'okta: OKTA_API_TOKEN is not set: the audit reads Okta with an API token of a read-only administrator (docs/audit.md, "Credentials and least privilege")',
        );
        expect(oktaTokenFromEnvironment({ OKTA_API_TOKEN: "t" })).to.equal("t");
    });

    it("records and refuses anything but a GET", async () => {
        const { org, appId } = smallOrg();
        server = await startOktaServer(org, { token });
        const response = await fetch(`${server.url}/api/v1/apps/${appId}/users`, {
            method: "POST",
            headers: { Authorization: `SSWS ${token}` },
            body: "{}",
        });
        expect(response.status).to.equal(405);
        expect(server.writes.map((w) => [w.method, w.url])).to.deep.equal([["POST", `/api/v1/apps/${appId}/users`]]);
        expect(org.listedAppUsers(appId)).to.have.length(5);
    });

    it("reads the next link from a Link header of one or more values, and never follows one to another host", async () => {
        expect(nextLink('<https://o/api/v1/apps?limit=2>; rel="self", <https://o/api/v1/apps?after=x&limit=2>; rel="next"')).to.equal(
            "https://o/api/v1/apps?after=x&limit=2",
        );
        expect(nextLink('<https://o/a?after=y>; rel=next; title="more"')).to.equal("https://o/a?after=y");
        expect(nextLink('<https://o/a>; rel="self"')).to.equal(undefined);
        expect(nextLink(null)).to.equal(undefined);

        const elsewhere = await import("http").then(({ createServer }) =>
            createServer((_, response) => {
                response.writeHead(200, {
                    "Content-Type": "application/json",
                    Link: '<http://203.0.113.9/api/v1/apps?after=a>; rel="next"',
                });
                response.end("[]");
            }),
        );
        await new Promise<void>((resolve) => elsewhere.listen(0, "127.0.0.1", resolve));
        const url = `http://127.0.0.1:${(elsewhere.address() as net.AddressInfo).port}`;
        try {
            const error = await listAwsApps(new OktaReader({ orgUrl: url, token })).catch((e: unknown) => e);
            expect((error as Error).message).to.equal("okta: GET /api/v1/apps: the next page is on another host (http://203.0.113.9)");
        } finally {
            await new Promise((resolve) => elsewhere.close(resolve));
        }
    });
});
