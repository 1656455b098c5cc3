// Issue 34 item 3: the access diff leads with risk. The scenario is the pull request on
// the Northwind organisation (tests/fixtures/northwind): mallory joins Platform (administrator in
// prod, staging and data), the developers get a new operator role, and MFA weakens.
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildPlan } from "../tools/plan/build";
import type { Plan } from "../tools/plan/model";
import { diffPlans } from "../tools/report/accessDiff";
import { accessDiffMarkdown, riskLines } from "../tools/report/accessDiffMarkdown";
import { commentLimit } from "../tools/report/markdown";
import { documentPrivilege, isProductionLike } from "../tools/report/privilege";
import { managedPolicyFixtures } from "../tools/verification/plannedFederation";
import { projectRoot, testIdpKeyFile } from "./harness";

const fixture = path.join(projectRoot, "tests", "fixtures", "northwind");

/** The fixture's plan after `edits` (file name → text → text), built from a copy in a temporary folder. */
async function planWith(edits: Record<string, (text: string) => string>): Promise<Plan> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-northwind-"));
    try {
        fs.cpSync(fixture, dir, { recursive: true });
        for (const [file, edit] of Object.entries(edits)) {
            const text = fs.readFileSync(path.join(dir, file), "utf8");
            expect(edit(text), `the edit of ${file} changes it`).to.not.equal(text);
            fs.writeFileSync(path.join(dir, file), edit(text));
        }
        return (await buildPlan(dir, testIdpKeyFile)).plan;
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

describe("a review that leads with risk (issue 34 item 3)", function () {
    this.timeout(120000);
    let base: Plan;
    before(async () => {
        base = await planWith({});
    });

    it("the issue's pull request: mallory's administrator grants first, production first, naming the people; the comment under 10 KB", async () => {
        const head = await planWith({
            "Pulumi.identity.yaml": (text) =>
                text
                    .replace("carol@northwind.example]", "carol@northwind.example, mallory@northwind.example]")
                    .replace("samlRoles: [Dev-Developer, Prod-ReadOnly", "samlRoles: [Dev-Developer, Dev-Operator, Prod-ReadOnly")
                    .replace("assurance: phishingResistant", "assurance: mfa"),
            "Pulumi.dev.yaml": (text) => `${text}    - name: Operator\n      managedPolicies: [AmazonEC2FullAccess]\n`,
        });
        const diff = diffPlans(base, head);
        const comment = accessDiffMarkdown(diff, "main", "pr", {
            limit: commentLimit,
            fullDiffAt: "in out/access-diff-full.md",
            brief: true,
        });
        expect(comment.split("\n").slice(0, 9)).to.deep.equal([
            "**Access diff** (main → pr): sign-on weakened (assurance phishingResistant → mfa), +13 access (mallory@northwind.example → Prod-Admin (via Platform), mallory@northwind.example → Data-Admin (via Platform), mallory@northwind.example → Staging-Admin (via Platform), dan@northwind.example → Dev-Operator (via Developers), Developers → Dev-Operator, and 8 more), −0 access, trust widened (dev/Operator-role, identity/Dev-Operator-role), permissions added (dev/Operator-AmazonEC2FullAccess, identity/Dev-Operator-policy, identity/Dev-Operator-policy-attachment), 3 resources changed in dev (3 added), 1 output changed in dev, 6 resources changed in identity (4 added, 2 updated), 7 outputs changed in identity",
            "",
            "Access gained and permissions added, riskiest first:",
            "",
            "- **administrator-equivalent, production**: prod/Admin: 1 person gains it (mallory@northwind.example) through Platform",
            "- **administrator-equivalent**: data/Admin: 1 person gains it (mallory@northwind.example) through Platform",
            "- **administrator-equivalent**: staging/Admin: 1 person gains it (mallory@northwind.example) through Platform",
            "- **write**: dev/Operator: 9 people gain it (dan@northwind.example, erin@northwind.example, frank@northwind.example, grace@northwind.example, heidi@northwind.example, and 4 more) through Developers",
            "",
        ]);
        expect(Buffer.byteLength(comment)).to.be.below(10 * 1024);
        expect(comment).to.not.contain("left out");

        // Lists compare as sets: one role added to nine people is one entry each, never a shifted list.
        const samlRolesByUser = diff.stacks.identity.outputs.filter((c) => c.input === "samlRolesByUser");
        expect(samlRolesByUser).to.deep.equal([
            ...["dan", "erin", "frank", "grace", "heidi", "ivan", "judy", "ken", "leo"].map((name) => ({
                input: "samlRolesByUser",
                path: `["${name}@northwind.example"]`,
                after: "Dev-Operator",
                entry: true,
            })),
            { input: "samlRolesByUser", path: '["mallory@northwind.example"]', after: ["Data-Admin", "Prod-Admin", "Staging-Admin"] },
        ]);
        expect(comment).to.contain(
            '  - + `"Dev-Operator"` in `["dan@northwind.example"]`, `["erin@northwind.example"]`, `["frank@northwind.example"]`, `["grace@northwind.example"]`, `["heidi@northwind.example"]`, and 4 more\n',
        );
        // Long text is "changed" in the comment, in full in the full diff.
        expect(comment).to.contain(
            '- `~` output `awsCliProfiles`\n  - text changed in `["dan@northwind.example"]`, `["erin@northwind.example"]`, `["frank@northwind.example"]`, `["grace@northwind.example"]`, `["heidi@northwind.example"]`, and 5 more; in full in out/access-diff-full.md\n',
        );
        const full = accessDiffMarkdown(diff, "main", "pr");
        expect(full).to.contain("# AWS CLI profiles for mallory@northwind.example");
        expect(full).to.contain('  - `["leo@northwind.example"]`: + `"Dev-Operator"`\n');
    });

    it("a policy attached to a role is one line naming who gains it, never equal ± lists", async () => {
        const head = await planWith({
            "Pulumi.prod.yaml": (text) =>
                text.replace("managedPolicies: [ReadOnlyAccess]", "managedPolicies: [ReadOnlyAccess, AdministratorAccess]"),
        });
        const diff = diffPlans(base, head);
        expect([diff.gained, diff.lost]).to.deep.equal([[], []]);
        expect(riskLines(diff)).to.deep.equal([
            "administrator-equivalent, production: AdministratorAccess attached to prod/ReadOnly: 18 people gain it (dan@northwind.example, erin@northwind.example, frank@northwind.example, grace@northwind.example, heidi@northwind.example, and 13 more) through Auditors, Developers, Support",
        ]);
        expect(diff.risks[0].people).to.include("olga@northwind.example");
    });

    it("ranks by the documents, not the policies' names: administrator-equivalent, write, read", () => {
        const managed = Object.fromEntries(
            [...managedPolicyFixtures()].map(([name, fixture]) => [name, documentPrivilege(fixture.document)] as const),
        );
        expect(managed).to.deep.equal({
            AdministratorAccess: "administrator-equivalent",
            AmazonAthenaFullAccess: "write",
            AmazonEC2FullAccess: "write",
            AmazonEC2ReadOnlyAccess: "read",
            AmazonS3FullAccess: "write",
            AmazonS3ReadOnlyAccess: "read",
            // NotAction leaves out iam:*: everything else, but no way to grant itself more.
            PowerUserAccess: "write",
            // AWS's own ReadOnlyAccess: its `athena:Get*`, `iot:List*`, `s3express:CreateSession`… name
            // actions the Service Authorization Reference lists as Write.
            ReadOnlyAccess: "write",
        });
        const allow = (Action: unknown, Resource: unknown) => ({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action, Resource }],
        });
        expect(
            [
                allow("iam:PassRole", "*"),
                allow("iam:Put*Policy", "*"),
                allow("IAM:*", "*"),
                allow("iam:*", "arn:aws:iam::123456789012:role/app"),
                allow("s3:Get*", "*"),
                allow(["s3:GetObject", "s3:PutObject"], "arn:aws:s3:::bucket/*"),
                allow("*", "arn:aws:s3:::bucket/*"),
                { Version: "2012-10-17", Statement: [{ Effect: "Allow", NotAction: "s3:*", Resource: "*" }] },
                // Wildcards that still reach IAM's principals and policies (the red team's finding):
                allow("*", "arn:aws:*:*:*:*"),
                allow("iam:*", "arn:aws:iam::123456789012:*"),
                allow(["iam:CreateRole", "iam:AttachRolePolicy", "iam:PassRole"], "arn:aws:iam::123456789012:role/*"),
                allow("*", "arn:*"),
            ].map(documentPrivilege),
        ).to.deep.equal([
            "administrator-equivalent",
            "administrator-equivalent",
            "administrator-equivalent",
            "write",
            "read",
            "write",
            "write",
            "administrator-equivalent",
            "administrator-equivalent",
            "administrator-equivalent",
            "administrator-equivalent",
            "administrator-equivalent",
        ]);
    });

    it("production-like: prod or production as a word of the stack's or the account's name", () => {
        expect(
            ["prod", "Prod", "eu-production", "acme_prod", "preprod", "product", "staging"].map((name) => isProductionLike(name)),
        ).to.deep.equal([true, true, true, true, false, false, false]);
    });
});
