// Access reaches people through groups too: a group's members (and, in groupMapping mode, the
// group rule that puts them in the role groups) get access rows of their own, marked `via` the
// group; the access diff, access.md and the verification count them by login, and the diff names
// the people behind Okta ids and shows changed stack outputs.
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { mockOktaId } from "../tools/mock/providers";
import { buildPlan } from "../tools/plan/build";
import type { Plan } from "../tools/plan/model";
import { accessMarkdown } from "../tools/report/access";
import { diffPlans } from "../tools/report/accessDiff";
import { accessDiffMarkdown, diffSummary } from "../tools/report/accessDiffMarkdown";
import { verifyPlan } from "../tools/verification/checks";
import { mockIdpKey } from "../tools/mock/idp";
import { writePatchedStackFiles } from "./badCases";

const allRoles = ["Retail-EC2-Admins", "Retail-S3-Admins", "Sales-EC2-Admins"];
const mallory = "mallory@evil.example";

describe("access through groups, per person", function () {
    this.timeout(120000);
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-groups-"));
    const keyFile = path.join(scratch, "key.json");
    after(() => fs.rmSync(scratch, { recursive: true, force: true }));

    /** The shipped organisation, deployed (roles imported), with `Admins` holding every role and these members. */
    async function planWith(members: string[], set: Record<string, unknown> = {}, oktaApp: Record<string, unknown> = {}): Promise<Plan> {
        const dir = fs.mkdtempSync(path.join(scratch, "org-"));
        writePatchedStackFiles(
            {
                patch: {
                    identity: {
                        set: {
                            "okta-aws:oktaApp": {
                                label: "Amazon Web Services",
                                sessionDuration: 3600,
                                loginUrl: "https://console.aws.amazon.com/ec2/home",
                                rolesImported: true,
                                id: "0oa1awsapp0acme000a7",
                                ...oktaApp,
                            },
                            "okta-aws:groups": [{ name: "Admins", samlRoles: allRoles, members }],
                            ...set,
                        },
                    },
                },
            },
            dir,
        );
        return (await buildPlan(dir, keyFile)).plan;
    }

    const viaRows = (plan: Plan, login: string) =>
        plan.access.filter((r) => r.principal === login).map((r) => [r.principalType, r.via, r.samlRole]);

    it("adding a member to a group that holds every role is +3 access naming the person, and the id names them too", async () => {
        const base = await planWith(["jane@acmecorp.me"]);
        const head = await planWith(["jane@acmecorp.me", mallory]);
        const diff = diffPlans(base, head);
        expect(diffSummary(diff)).to.equal(
            `+3 access (${mallory} → Retail-EC2-Admins (via Admins), ${mallory} → Retail-S3-Admins (via Admins), ${mallory} → Sales-EC2-Admins (via Admins)), −0 access, 1 resource changed in identity, 4 outputs changed in identity`,
        );
        expect(diff.gained.map((r) => [r.principal, r.principalType, r.via, r.samlRole, r.targetRoleArn])).to.deep.equal([
            [mallory, "user", "Admins", "Retail-EC2-Admins", "arn:aws:iam::253541269580:role/EC2_Admins"],
            [mallory, "user", "Admins", "Retail-S3-Admins", "arn:aws:iam::253541269580:role/S3_Admins"],
            [mallory, "user", "Admins", "Sales-EC2-Admins", "arn:aws:iam::881102293469:role/EC2_Admins"],
        ]);
        const malloryId = mockOktaId("00u", mallory);
        expect(diff.stacks.identity.changed).to.deep.equal([
            {
                urn: "urn:pulumi:identity::okta-aws::okta-aws:identity:SamlRoleAssignments$okta:index/groupMemberships:GroupMemberships::saml-role-assignments-Admins-members",
                changes: [{ input: "users", path: "[1]", after: malloryId, ids: { [malloryId]: { kind: "user", name: mallory } } }],
            },
        ]);
        expect(diff.stacks.identity.outputs.map((c) => [c.input, c.path])).to.deep.equal([
            ["awsCliProfiles", `["${mallory}"]`],
            // The state now owns the id of the user it adds: the audit knows her by it.
            ["oktaObjectIds", `users["${mallory}"]`],
            ["samlRolesByUser", `["${mallory}"]`],
            ["switchRoleLinks", `["${mallory}"]`],
        ]);
        const markdown = accessDiffMarkdown(diff, "main", "pr").split("\n");
        expect(markdown).to.include(
            `| ${mallory} | user | Admins | Retail-EC2-Admins | Retail (253541269580) | EC2\\_Admins | AmazonEC2FullAccess |`,
        );
        expect(markdown).to.include(`  - \`users [1]\`: (none) → \`"${malloryId}"\` (\`${malloryId}\` is Okta user ${mallory})`);
        expect(markdown).to.include(`- \`~\` output \`samlRolesByUser\``);
        expect(markdown).to.include(`  - \`["${mallory}"]\`: (none) → \`${JSON.stringify(allRoles)}\``);
    });

    it("in groupMapping mode the group rule's members are people with rows of their own too", async () => {
        const groupMapping = { roleAssignment: "groupMapping" };
        const base = await planWith(["jane@acmecorp.me"], {}, groupMapping);
        const head = await planWith(["jane@acmecorp.me", mallory], {}, groupMapping);
        const diff = diffPlans(base, head);
        expect(diff.gained.map((r) => [r.principal, r.via, r.samlRole])).to.deep.equal(allRoles.map((role) => [mallory, "Admins", role]));
        expect(diff.lost).to.deep.equal([]);
        // The team group's membership is what changes; its rule puts the members into the role groups.
        expect(diff.stacks.identity.changed.map((c) => c.urn.split("::").pop())).to.deep.equal(["saml-role-assignments-Admins-members"]);
    });

    it("with joinAllRoles off a member with an assignment of their own gets only that, as Okta sends it", async () => {
        const plan = await planWith(["jane@acmecorp.me", mallory], {}, { joinAllRoles: false });
        expect(viaRows(plan, "jane@acmecorp.me")).to.deep.equal([["user", undefined, "Retail-S3-Admins"]]);
        expect(viaRows(plan, mallory)).to.deep.equal(allRoles.map((role) => ["user", "Admins", role]));
    });

    it("access.md and the verification count people by login, however their access reaches them", async () => {
        const plan = await planWith(["jane@acmecorp.me", mallory]);
        const markdown = accessMarkdown(plan);
        expect(markdown).to.contain("**12 access grants: 3 users and 1 group hold 3 federated roles into 2 member accounts.**");
        // Sales-EC2-Admins: john directly, jane and mallory through Admins; and the group itself.
        expect(markdown).to.contain("| Sales (881102293469) | EC2\\_Admins | Sales-EC2-Admins | 3 | 1 | AmazonEC2FullAccess |");
        const signIns = (await verifyPlan(plan, mockIdpKey(keyFile).privateKeyPem)).filter(
            (c) => c.step === "SAML sign-in" && c.expected === "allowed",
        );
        expect(signIns.map((c) => [c.subject, c.samlRole, c.actual])).to.deep.equal([
            ["jane@acmecorp.me", allRoles.join(", "), "allowed"],
            ["john@acmecorp.me", "Retail-EC2-Admins, Sales-EC2-Admins", "allowed"],
            [mallory, allRoles.join(", "), "allowed"],
            ["member-of-Admins", allRoles.join(", "), "allowed"],
        ]);
    });

    it("a changed Okta custom domain (where okta-aws-cli users sign in) is an output change", async () => {
        const base = await planWith([]);
        const head = await planWith([], { "okta-aws:oktaCustomDomain": "login.evil.example" });
        const diff = diffPlans(base, head);
        expect(diff.stacks.identity.outputs).to.deep.equal([
            { input: "oktaAwsCli", path: "OKTA_AWSCLI_ORG_DOMAIN", before: "acmecorp.okta.com", after: "login.evil.example" },
        ]);
        expect(diffSummary(diff)).to.match(/, 1 output changed in identity$/);
        expect(accessDiffMarkdown(diff, "main", "pr").split("\n")).to.include.members([
            "- `~` output `oktaAwsCli`",
            '  - `OKTA_AWSCLI_ORG_DOMAIN`: `"acmecorp.okta.com"` → `"login.evil.example"`',
        ]);
    });
});
