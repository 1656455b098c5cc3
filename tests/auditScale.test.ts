// The audit's Okta read at the target size (tools/bench/scaleOrganisation.ts L: 5,000 people, 200
// team groups, 1,000 federated roles) in both role assignment modes, against the Okta test
// server with Okta's own page sizes: the calls the audit counts are the requests the server got,
// bucket by bucket, as many as the org's size implies; the budget follows from Okta's default
// limits; and what the audit keeps of the org is a small constant per person.
import { expect } from "chai";
import { parse } from "yaml";
import { roleGroupName } from "../components/groupFilter";
import { oktaAwsAppSettings } from "../components/oktaAwsApp";
import { readLiveOkta } from "../tools/audit/liveOkta";
import { oktaRoleValues } from "../tools/audit/liveAccess";
import { oktaBucketOf, OktaReader } from "../tools/audit/okta";
import { scaleOrganisation, scaleSizes } from "../tools/bench/scaleOrganisation";
import { oktaReturnedAppSettings } from "../tools/mock/providers";
import { startOktaServer, TestOktaOrg } from "./servers/okta";

const token = "00scale-token";
const size = scaleSizes.L;
const identityAccountId = "200000000000";

interface ScaleIdentity {
    "okta-aws:users": { login: string; samlRoles: string[] }[];
    "okta-aws:groups": { name: string; samlRoles: string[]; members: string[] }[];
}

/** The L organisation's Okta side as a deploy in `mode` leaves it. */
function scaleOrg(mode: "samlUserRoles" | "groupMapping"): TestOktaOrg {
    const config = (parse(scaleOrganisation(size)["Pulumi.identity.yaml"]) as { config: ScaleIdentity }).config;
    const users = config["okta-aws:users"];
    const groups = config["okta-aws:groups"];
    const org = new TestOktaOrg();
    const settings = oktaAwsAppSettings({
        label: "Amazon Web Services",
        identityProviderArn: `arn:aws:iam::${identityAccountId}:saml-provider/Okta`,
        samlProviderName: "Okta",
        partition: "aws",
        sessionDuration: 3600,
        loginUrl: "https://console.aws.amazon.com/ec2/home",
        joinAllRoles: true,
        useGroupMapping: mode === "groupMapping",
    });
    const appId = org.addApp({
        name: "amazon_aws",
        label: "Amazon Web Services",
        settings: oktaReturnedAppSettings(settings),
        metadata: "<md/>",
    });
    const ids = new Map(users.map((u) => [u.login, org.addUser({ login: u.login })]));
    if (mode === "samlUserRoles") {
        users.forEach((u) => org.assignUser(appId, ids.get(u.login)!, { role: null, samlRoles: u.samlRoles }));
        groups.forEach((g, i) => {
            const groupId = org.addGroup({ name: g.name });
            g.members.forEach((login) => org.addMember(groupId, ids.get(login)!));
            org.assignGroup(appId, groupId, { priority: i + 1, profile: { role: null, samlRoles: g.samlRoles } });
        });
    } else {
        const members = new Map<string, Set<string>>();
        const add = (role: string, login: string) => members.set(role, (members.get(role) ?? new Set()).add(login));
        users.forEach((u) => u.samlRoles.forEach((role) => add(role, u.login)));
        groups.forEach((g) => g.samlRoles.forEach((role) => g.members.forEach((login) => add(role, login))));
        [...members.keys()].sort().forEach((role, i) => {
            const groupId = org.addGroup({ name: roleGroupName(identityAccountId, role) });
            members.get(role)!.forEach((login) => org.addMember(groupId, ids.get(login)!));
            org.assignGroup(appId, groupId, { priority: i + 1 });
        });
    }
    return org;
}

describe("audit at L size: the Okta calls it reports are the calls it makes @slow", function () {
    this.timeout(300000);
    const pages = (n: number, limit: number) => Math.max(1, Math.ceil(n / limit));

    for (const mode of ["samlUserRoles", "groupMapping"] as const) {
        it(`${mode}: ${size.people.toLocaleString("en-US")} people within the budget it reports, in bounded memory`, async () => {
            const org = scaleOrg(mode);
            const assignedGroups = org.appGroups.get([...org.apps.keys()][0])!.size;
            // Okta's page sizes, so the counts are a real org's (the audit asks 500 app users, 200 groups, 1,000 members a page).
            const server = await startOktaServer(org, { token, pageSize: 1000 });
            try {
                const reader = new OktaReader({ orgUrl: server.url, token });
                const live = await readLiveOkta(reader, { label: "Amazon Web Services" });
                const values = oktaRoleValues(live.app, identityAccountId);

                expect(values.size).to.equal(size.people);
                expect(server.writes).to.deep.equal([]);
                const received: Record<string, number> = {};
                for (const request of server.requests) {
                    const bucket = oktaBucketOf(new URL(request.url, server.url).pathname);
                    received[bucket] = (received[bucket] ?? 0) + 1;
                }
                const budget = reader.budget();
                expect(budget.calls).to.deep.equal(received);
                // apps: the list, the apps signing with its key, the app users' pages, the group assignments' pages, the metadata,
                // the app's signing keys; each assigned group read once, its members in one page; with group mapping, every
                // group of the org listed (200 a page), since the filter may match a group nobody assigned.
                expect(budget.calls).to.deep.equal({
                    "/api/v1/apps": 2 + pages(size.people, 500) + pages(assignedGroups, 200) + 1 + 1,
                    "/api/v1/apps/{id}": 1,
                    "/api/v1/groups": assignedGroups + (mode === "groupMapping" ? pages(org.groups.size, 200) : 0),
                    "/api/v1/groups/{id}": assignedGroups,
                });
                expect(budget.minutes).to.equal(Math.round(Math.max(budget.calls["/api/v1/apps"]! / 100, assignedGroups / 500) * 10) / 10);

                // What the audit keeps is each person's Okta id and login (assignments are keyed by
                // user id, never the app username) and role names, not Okta's objects (an app user
                // alone is several times this): memory grows with people by a small constant.
                expect(JSON.stringify(live).length / size.people).to.be.below(320);
            } finally {
                await server.stop();
            }
        });
    }
});
