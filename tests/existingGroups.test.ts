// Groups from the directory: `groups[]` naming an existing Okta group (`existing: true`, found by
// its exact name, or `oktaId` outside adoption) is assigned to the app with its SAML roles and never
// created, changed or filled; its members are Okta's, so every view says "members managed in Okta".
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { SamlRoleAssignments } from "../components/samlRoleAssignments";
import { mockOktaId } from "../tools/mock/providers";
import { buildPlan } from "../tools/plan/build";
import type { Plan, PlanResult } from "../tools/plan/model";
import { accessMarkdown } from "../tools/report/access";
import { renderPreview } from "../tools/report/console";
import { diffPlans } from "../tools/report/accessDiff";
import { diffSummary } from "../tools/report/accessDiffMarkdown";
import { verifyPlan } from "../tools/verification/checks";
import { groupsWithMembersInOkta, VerificationReport } from "../tools/verification/report";
import { mockIdpKey } from "../tools/mock/idp";
import { runBadCase, writePatchedStackFiles } from "./badCases";
import { cloud, settled, useStack } from "./harness";

const platformId = mockOktaId("00g", "Platform");
/** An existing group named by its id (outside adoption). */
const financeId = "00g1finance0acme0a7b";
const appId = "0oa1awsapp0acme000a7";

const deployedApp = {
    label: "Amazon Web Services",
    sessionDuration: 3600,
    loginUrl: "https://console.aws.amazon.com/ec2/home",
    rolesImported: true,
    id: appId,
};
const directoryGroups = [
    { name: "Platform", existing: true, samlRoles: ["Retail-EC2-Admins", "Sales-EC2-Admins"] },
    { name: "Finance", oktaId: financeId, samlRoles: ["Retail-S3-Admins"] },
];

/** The groups the directory keeps in Okta, by name and id. */
const existingGroups: [string, string][] = [
    ["Platform", platformId],
    ["Finance", financeId],
];

describe("existing Okta groups (the directory's)", function () {
    this.timeout(120000);
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-existing-groups-"));
    const keyFile = path.join(scratch, "key.json");
    after(() => fs.rmSync(scratch, { recursive: true, force: true }));

    /** The shipped organisation, deployed (roles imported), with these groups and app settings. */
    async function resultWith(groups: unknown[], oktaApp: Record<string, unknown> = {}): Promise<PlanResult> {
        const dir = fs.mkdtempSync(path.join(scratch, "org-"));
        writePatchedStackFiles(
            { patch: { identity: { set: { "okta-aws:oktaApp": { ...deployedApp, ...oktaApp }, "okta-aws:groups": groups } } } },
            dir,
        );
        // The directory's groups as Okta returns them: a group named by oktaId is checked against its name.
        const directory = existingGroups.map(([name, id]) => ({ type: "okta:group/group:Group", id, inputs: { name } }));
        fs.writeFileSync(path.join(dir, "existing.json"), JSON.stringify({ aws: {}, okta: { "acmecorp.okta.com": directory } }));
        return buildPlan(dir, keyFile);
    }
    const planWith = async (groups: unknown[], oktaApp: Record<string, unknown> = {}): Promise<Plan> =>
        (await resultWith(groups, oktaApp)).plan;

    /** The identity stack's Okta group resources: type, name and the inputs that say which group. */
    const groupResources = (plan: Plan) =>
        plan.stacks.identity.resources
            .filter((r) => /^okta:(group|app\/groupAssignment|index\/groupMemberships)/.test(r.type))
            .map((r) => [r.type, r.name, r.inputs.groupId ?? r.inputs.name, r.inputs.profile ?? r.inputs.expressionValue ?? null]);

    it("assigns them to both apps with their SAML roles, and creates, names or fills none of them", async () => {
        const plan = await planWith(directoryGroups);
        expect(groupResources(plan)).to.deep.equal([
            [
                "okta:app/groupAssignment:GroupAssignment",
                "saml-role-assignments-Finance-assignment",
                financeId,
                '{"role":null,"samlRoles":["Retail-S3-Admins"]}',
            ],
            ["okta:app/groupAssignment:GroupAssignment", "saml-role-assignments-Finance-cli-assignment", financeId, null],
            [
                "okta:app/groupAssignment:GroupAssignment",
                "saml-role-assignments-Platform-assignment",
                platformId,
                '{"role":null,"samlRoles":["Retail-EC2-Admins","Sales-EC2-Admins"]}',
            ],
            ["okta:app/groupAssignment:GroupAssignment", "saml-role-assignments-Platform-cli-assignment", platformId, null],
        ]);
        // Neither assignment is an import: outside adoption an oktaId names a group, not one to adopt.
        expect(plan.stacks.identity.resources.filter((r) => r.import !== undefined).map((r) => r.name)).to.deep.equal([]);
        expect(plan.oktaIds?.[platformId]).to.deep.equal({ kind: "group", name: "Platform" });
    });

    it("with group mapping, each group's rule fills the role groups from the existing group's id", async () => {
        const plan = await planWith(directoryGroups, { roleAssignment: "groupMapping" });
        const rules = plan.stacks.identity.resources
            .filter((r) => r.type === "okta:group/rule:Rule")
            .map((r) => [r.name, r.inputs.expressionValue]);
        expect(rules).to.deep.equal([
            ["saml-role-assignments-Finance-rule", `isMemberOfAnyGroup("${financeId}")`],
            ["saml-role-assignments-Platform-rule", `isMemberOfAnyGroup("${platformId}")`],
        ]);
        expect(
            plan.stacks.identity.resources.filter((r) => r.type === "okta:group/group:Group").map((r) => r.inputs.name),
        ).to.not.include.members(["Platform", "Finance"]);
    });

    it("access.md, the console's totals and the access diff say its members are managed in Okta", async () => {
        const base = await planWith([]);
        const headResult = await resultWith(directoryGroups);
        const head = headResult.plan;
        const consoleLines = renderPreview(headResult).map((line) => line.trim());
        expect(consoleLines.filter((line) => line.includes("managed in Okta"))).to.deep.equal([
            "6 access grants: 2 users and 2 groups hold 3 federated roles into 2 member accounts; 2 groups with members managed in Okta (their people are unknown offline)",
            "Finance           group (members managed in Okta)       Retail-S3-Admins   → Retail (253541269580)  S3_Admins   AmazonS3FullAccess",
            "Platform          group (members managed in Okta)       Retail-EC2-Admins  → Retail (253541269580)  EC2_Admins  AmazonEC2FullAccess",
            "Platform          group (members managed in Okta)       Sales-EC2-Admins   → Sales (881102293469)   EC2_Admins  AmazonEC2FullAccess",
        ]);
        const markdown = accessMarkdown(head).split("\n");
        expect(markdown.filter((line) => /^(\*\*|\| (Finance|Platform) |.*managed in Okta)/.test(line))).to.deep.equal([
            "**6 access grants: 2 users and 2 groups hold 3 federated roles into 2 member accounts; 2 groups with members managed in Okta (their people are unknown offline).**",
            "| Retail (253541269580) | EC2\\_Admins | Retail-EC2-Admins | 1 + members managed in Okta (Platform) | 1 | AmazonEC2FullAccess |",
            "| Retail (253541269580) | S3\\_Admins | Retail-S3-Admins | 1 + members managed in Okta (Finance) | 1 | AmazonS3FullAccess |",
            "| Sales (881102293469) | EC2\\_Admins | Sales-EC2-Admins | 1 + members managed in Okta (Platform) | 1 | AmazonEC2FullAccess |",
            "| Finance | group (members managed in Okta) |  | Retail-S3-Admins | Retail (253541269580) | S3\\_Admins | AmazonS3FullAccess |",
            "| Platform | group (members managed in Okta) |  | Retail-EC2-Admins | Retail (253541269580) | EC2\\_Admins | AmazonEC2FullAccess |",
            "| Platform | group (members managed in Okta) |  | Sales-EC2-Admins | Sales (881102293469) | EC2\\_Admins | AmazonEC2FullAccess |",
        ]);
        expect(diffSummary(diffPlans(base, head)).split(", no resource")[0].split(", −0 access")[0]).to.equal(
            "+3 access (Finance (members managed in Okta) → Retail-S3-Admins, Platform (members managed in Okta) → Retail-EC2-Admins, Platform (members managed in Okta) → Sales-EC2-Admins)",
        );
    });

    it("the verification checks each group's stand-in member only, and says its people are unknown", async () => {
        const plan = await planWith(directoryGroups);
        const checks = await verifyPlan(plan, mockIdpKey(keyFile).privateKeyPem);
        const signIns = checks.filter((c) => c.step === "SAML sign-in" && c.expected === "allowed");
        expect(signIns.map((c) => [c.subject, c.samlRole, c.actual])).to.deep.equal([
            ["jane@acmecorp.me", "Retail-S3-Admins", "allowed"],
            ["john@acmecorp.me", "Retail-EC2-Admins, Sales-EC2-Admins", "allowed"],
            ["member-of-Finance", "Retail-S3-Admins", "allowed"],
            ["member-of-Platform", "Retail-EC2-Admins, Sales-EC2-Admins", "allowed"],
        ]);
        const report = new VerificationReport(undefined, groupsWithMembersInOkta(plan.access));
        checks.forEach((check) => report.add(check));
        expect(report.summaryLines()[0]).to.equal(
            "Members managed in Okta: 2 groups (Finance, Platform); their people are unknown offline, so they have no per-person sign-in checks: each group's stand-in member is checked for whoever Okta holds in it",
        );
    });

    it("refuses members and a description for an existing group, and takes an oktaId outside adoption", async () => {
        const { problems } = await runBadCase({
            name: "existing-group-members",
            fails: "identity",
            patch: {
                identity: {
                    set: {
                        "okta-aws:groups": [
                            { name: "Platform", existing: true, samlRoles: ["Retail-EC2-Admins"], members: ["jane@acmecorp.me"] },
                            { name: "Finance", oktaId: financeId, description: "Money", samlRoles: ["Retail-S3-Admins"] },
                        ],
                    },
                },
            },
            expect: [],
        });
        expect(problems).to.deep.equal([
            'Pulumi.identity.yaml: okta-aws:groups[0] (Platform).members: ["jane@acmecorp.me"] — lists members of an existing Okta group (existing: true): its members are managed in Okta, and the program never changes them; remove members, or let the program create the group (drop existing)',
            'Pulumi.identity.yaml: okta-aws:groups[1] (Finance).description: "Money" — describes an existing Okta group (oktaId without okta-aws:adopt), which the program never changes; remove it',
        ]);
    });

    describe("the look-up by exact name", () => {
        const args = {
            appId,
            users: [],
            mode: "samlUserRoles" as const,
            rolesImported: true,
            groups: [{ name: "Platform", existing: true, samlRoles: ["Retail-EC2-Admins"] }],
        };

        it("reads the group by name with okta.group.getGroup and assigns the id it finds", async () => {
            await useStack("identity", { accountId: "671250594556" });
            new SamlRoleAssignments("assign", args);
            await settled();
            expect(cloud.calls).to.deep.equal(["okta:group/getGroup:getGroup"]);
            expect(cloud.callInputs).to.deep.equal([{ name: "Platform" }]);
            expect(cloud.resources.filter((r) => r.custom).map((r) => [r.type, r.name, r.inputs.groupId])).to.deep.equal([
                ["okta:app/groupAssignment:GroupAssignment", "assign-Platform-assignment", platformId],
            ]);
        });

        it("stops when Okta's starts-with search finds only a group of a longer name", async () => {
            const dir = fs.mkdtempSync(path.join(scratch, "org-"));
            writePatchedStackFiles({ patch: { identity: { set: { "okta-aws:groups": [directoryGroups[0]] } } } }, dir);
            const longer = {
                type: "okta:group/group:Group",
                id: mockOktaId("00g", "Platform-Admins"),
                inputs: { name: "Platform-Admins" },
            };
            fs.writeFileSync(path.join(dir, "existing.json"), JSON.stringify({ aws: {}, okta: { "acmecorp.okta.com": [longer] } }));
            const failure = await buildPlan(dir, keyFile).then(
                () => "built",
                (error: Error) => error.message,
            );
            expect(failure).to.include(
                'Okta has no group named exactly "Platform" (its look-up found "Platform-Admins", a group whose name starts with it); give the group\'s exact name, or its id as oktaId',
            );
        });

        it("stops when the group an oktaId names has another name in Okta: the reports would show a label the pull request chose (red team)", async () => {
            const dir = fs.mkdtempSync(path.join(scratch, "org-"));
            writePatchedStackFiles(
                { patch: { identity: { set: { "okta-aws:groups": [{ ...directoryGroups[1], name: "Finance-Readers" }] } } } },
                dir,
            );
            const everyone = { type: "okta:group/group:Group", id: financeId, inputs: { name: "Everyone" } };
            const failure = (existing: unknown[] | undefined) => {
                if (existing) {
                    fs.writeFileSync(path.join(dir, "existing.json"), JSON.stringify({ aws: {}, okta: { "acmecorp.okta.com": existing } }));
                }
                return buildPlan(dir, keyFile).then(
                    () => "built",
                    (error: Error) => error.message,
                );
            };
            expect(await failure(undefined)).to.equal(
                `invocation of okta:group/getGroup:getGroup returned an error: the offline run cannot know the name of Okta group ${financeId} (okta-aws:groups[].oktaId): describe the directory's group in existing.json beside the stack files (docs/preview.md), as Okta would return it`,
            );
            expect(await failure([everyone])).to.include(
                `Okta group ${financeId} is named "Everyone", not "Finance-Readers" as okta-aws:groups names it: every report shows the configured name, so it must be the group's own; correct the name or the oktaId`,
            );
        });
    });
});
