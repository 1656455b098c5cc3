// Hostile input beyond the stack-file corpus (tests/fixtures/bad): names crafted to forge or hide
// rows in what reviewers read, names that would climb out of --out, names that reach an object's
// prototype, and member stack outputs that claim roles the member program would never export.
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { IdentityConfig } from "../components/config";
import { resolveFederatedRoles } from "../components/federatedRolesFromMembers";
import { accessMarkdown } from "../tools/report/access";
import { accessDiffMarkdown } from "../tools/report/accessDiffMarkdown";
import { diffPlans } from "../tools/report/accessDiff";
import { markdownCell } from "../tools/report/markdown";
import { oktaApiBudget } from "../tools/plan/oktaBudget";
import { AccessRow, Plan, PlanResult } from "../tools/plan/model";
import { buildPlan } from "../tools/plan/build";
import { fileNameOf } from "../tools/shared/files";
import { writePlanFiles } from "../tools/report/outFiles";
import { verdictRow, verdictTableHeader } from "../tools/verification/report";
import { grantChange, grantsOf } from "../tools/plan/grants";
import { BadCase, writePatchedStackFiles } from "./badCases";
import { shippedConfig, shippedPlan } from "./harness";

/** The cells of a Markdown table line, split on the `|` that are not backslash-escaped. */
function cellsOf(line: string): string[] {
    const cells: string[] = [];
    let cell = "";
    for (let i = 0; i < line.length; i++) {
        if (line[i] === "\\") {
            cell += line[i] + (line[i + 1] ?? "");
            i++;
        } else if (line[i] === "|") {
            cells.push(cell.trim());
            cell = "";
        } else {
            cell += line[i];
        }
    }
    return [...cells, cell.trim()].slice(1, -1);
}

const crafted = "ops | user | Nothing | - | - | - |\n\n### Access lost\n\nNone.\n<!-- <img src=x onerror=alert(1)>";

function row(principal: string, principalType: "user" | "group", samlRole: string): AccessRow {
    return {
        principal,
        principalType,
        samlRole,
        samlRoleArn: `arn:aws:iam::671250594556:role/${samlRole}`,
        targetAccountId: "881102293469",
        targetAccountLabel: "Sales",
        targetRoleArn: "arn:aws:iam::881102293469:role/EC2_Admins",
        policyArns: ["arn:aws:iam::aws:policy/AmazonEC2FullAccess"],
    };
}

/** Every table line has its header's cells and no raw HTML, and each row of the report is there once. */
function expectIntactTables(markdown: string, rows: AccessRow[]): void {
    const lines = markdown.split("\n");
    const tableLines = lines.filter((line) => line.startsWith("|"));
    let headerCells = 0;
    lines.forEach((line, i) => {
        if (line.startsWith("|")) {
            headerCells = lines[i - 1]?.startsWith("|") ? headerCells : cellsOf(line).length;
            expect(cellsOf(line), line).to.have.length(headerCells);
        }
    });
    expect(markdown).to.not.match(/<!--|<img/);
    for (const r of rows) {
        const cells = (line: string) => cellsOf(line).slice(0, 4).join(" ");
        const wanted = [r.principal, r.principalType, r.via ?? "", r.samlRole].map(markdownCell).join(" ");
        expect(tableLines.filter((line) => cells(line) === wanted)).to.have.length(1);
    }
}

describe("hostile input", () => {
    it("markdownCell: pipes, line breaks, comments, tags and Markdown punctuation are shown, never acted upon", () => {
        expect(markdownCell("a|b")).to.equal("a\\|b");
        expect(markdownCell("x\ny\r")).to.equal("x\\\\u000ay\\\\u000d");
        expect(markdownCell("<!-- <img src=x>")).to.equal("&lt;!-- &lt;img src=x&gt;");
        expect(markdownCell("&#124; `code` *b* _i_ [l](u) ~s~ $m$ \\")).to.equal(
            "&amp;#124; \\`code\\` \\*b\\* \\_i\\_ \\[l\\](u) \\~s\\~ \\$m\\$ \\\\",
        );
    });

    it("a name crafted to forge rows and hide a grant hides nothing: access.md, the access diff and the verification", () => {
        const rows = [row(crafted, "group", "Sales-EC2-Admins"), row("jane@acmecorp.me", "user", "Sales-EC2-Admins")];
        expectIntactTables(accessMarkdown({ stacks: {}, access: rows }), rows);
        const empty: Plan = { project: "okta-aws", stacks: {}, access: [], oktaApiBudget: oktaApiBudget([], []) };
        const diff = accessDiffMarkdown(diffPlans(empty, { ...empty, access: rows }), "main", crafted);
        expectIntactTables(diff, rows);
        expect(diff.split("\n").filter((line) => line.startsWith("### "))).to.deep.equal([
            "### Access gained",
            "### Access lost",
            "### Resources and outputs",
        ]);
        expect(diff.split("\n")[0]).to.match(/^\*\*Access diff\*\* \(main → ops \\\| user .*\): \+2 access \(/);
        const verdicts = [
            ...verdictTableHeader,
            verdictRow({
                subject: crafted,
                samlRole: "Sales-EC2-Admins",
                step: "SAML sign-in",
                request: "x",
                expected: "allowed",
                actual: "allowed",
                reason: "",
            }),
        ].join("\n");
        expect(verdicts).to.not.match(/<!--|<img/);
        expect(
            verdicts
                .split("\n")
                .filter((line) => line.startsWith("|"))
                .map((line) => cellsOf(line).length),
        ).to.deep.equal([6, 6, 6]);
    });

    it("access.md of a real plan: a group named with | and <!-- is one escaped row, and the grant after it shows", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-hostile-"));
        const name = "ops | user | Nothing | - | - | - | <!--";
        writePatchedStackFiles(
            {
                patch: {
                    identity: { set: { "okta-aws:groups": [{ name, samlRoles: ["Sales-EC2-Admins"], members: ["jane@acmecorp.me"] }] } },
                },
            },
            dir,
        );
        const { plan } = await buildPlan(dir);
        expectIntactTables(accessMarkdown(plan), plan.access);
        expect(plan.access.map((r) => [r.principal, r.samlRole])).to.deep.include.members([
            [name, "Sales-EC2-Admins"],
            ["jane@acmecorp.me", "Retail-S3-Admins"],
        ]);
    });

    it("profile files stay in out/aws-config/ whatever the login, even one that bypassed validation", async () => {
        for (const [name, file] of [
            ["john@acmecorp.me", "john@acmecorp.me"],
            ["../../../escape/pwn@evil.io", "%2E.%2F..%2F..%2Fescape%2Fpwn@evil.io"],
            [".bashrc", "%2Ebashrc"],
            ["..", "%2E."],
            ["a\\b\n@x.io", "a%5Cb%0A@x.io"],
        ]) {
            expect(fileNameOf(name)).to.equal(file);
        }
        const shipped = await shippedPlan();
        const identity = shipped.evaluations.find((e) => e.config.kind === "identity")!;
        const forged: PlanResult = {
            ...shipped,
            evaluations: [
                {
                    ...identity,
                    reference: {
                        ...identity.reference,
                        outputs: { ...identity.reference.outputs, awsCliProfiles: { "../../../escape/pwn@evil.io": "x" } },
                    },
                },
            ],
        };
        const outDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-out-")), "out");
        const written = writePlanFiles(forged, outDir);
        expect(written.files.map((f) => path.relative(outDir, f))).to.deep.equal(["plan.json", "access.md"]);
        expect(fs.readdirSync(written.profiles.dir)).to.deep.equal(["%2E.%2F..%2F..%2Fescape%2Fpwn@evil.io.ini"]);
        expect(written.profiles.dir).to.equal(path.join(outDir, "aws-config"));
        expect(fs.existsSync(path.join(outDir, "..", "..", "escape"))).to.equal(false);
    });

    it("keeps users and groups apart in the assignments output, whatever the group is named", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-hostile-"));
        const groups = ["__proto__", "constructor", "john@acmecorp.me"].map((name) => ({ name, samlRoles: ["Retail-S3-Admins"] }));
        const badCase: BadCase = {
            name: "group-names",
            fails: "",
            expect: [],
            patch: { identity: { set: { "okta-aws:groups": groups } } },
        };
        writePatchedStackFiles(badCase, dir);
        const { evaluations } = await buildPlan(dir);
        expect(evaluations.find((e) => e.config.kind === "identity")!.outputs.assignments).to.deep.equal({
            users: [
                { login: "jane@acmecorp.me", samlRoles: ["Retail-S3-Admins"] },
                { login: "john@acmecorp.me", samlRoles: ["Retail-EC2-Admins", "Sales-EC2-Admins"] },
            ],
            groups: [
                { name: "__proto__", samlRoles: ["Retail-S3-Admins"] },
                { name: "constructor", samlRoles: ["Retail-S3-Admins"] },
                { name: "john@acmecorp.me", samlRoles: ["Retail-S3-Admins"] },
            ],
        });
    });

    it("an Okta custom domain is its own key, handed to okta-aws-cli and the legacy tool, never the API scope grant's issuer", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-hostile-"));
        const badCase: BadCase = {
            name: "custom-domain",
            fails: "",
            expect: [],
            patch: { identity: { set: { "okta-aws:oktaCustomDomain": "login.acmecorp.example" } } },
        };
        writePatchedStackFiles(badCase, dir);
        const identity = (await buildPlan(dir)).evaluations.find((e) => e.config.kind === "identity")!;
        expect((identity.outputs.oktaAwsCli as Record<string, string>).OKTA_AWSCLI_ORG_DOMAIN).to.equal("login.acmecorp.example");
        const properties = (identity.reference.outputs.introspection as { configProperties: string }).configProperties;
        expect(properties.split("\n")[0]).to.equal("OKTA_ORG=login.acmecorp.example");
        // The API scope grant names the org authorization server by the org's own URL, not the custom domain.
        const grant = identity.resources.find((r) => r.type === "okta:index/appOauthApiScope:AppOauthApiScope")!;
        expect(grant.inputs.issuer).to.equal("https://acmecorp.okta.com");
    });

    describe("member stack outputs the identity stack trusts only as the member program writes them", () => {
        const config = shippedConfig<IdentityConfig>("identity");
        const sales = (role: Record<string, unknown>) => [
            {
                stack: "sales",
                outputs: {
                    accountId: "881102293469",
                    accountLabel: "Sales",
                    identityAccountId: "671250594556",
                    crossAccountRoles: [
                        {
                            name: "EC2_Admins",
                            arn: "arn:aws:iam::881102293469:role/EC2_Admins",
                            federatedRoleName: "Sales-EC2-Admins",
                            assumePolicyName: "allow-assume-sales-ec2-admins-role",
                            policyArns: ["arn:aws:iam::aws:policy/AmazonEC2FullAccess"],
                            switchRoleUrl: "https://signin.aws.amazon.com/switchrole?account=881102293469&roleName=EC2_Admins",
                            ...role,
                        },
                    ],
                },
            },
        ];
        const problemsOf = (role: Record<string, unknown>) => {
            try {
                resolveFederatedRoles({ ...config, users: [], groups: [] }, sales(role));
                return [];
            } catch (error) {
                return (error as { problems: string[] }).problems;
            }
        };
        const expected =
            "; a member stack of account 881102293469 exports arn:aws:iam::881102293469:role/EC2_Admins, https://signin.aws.amazon.com/switchrole?account=881102293469&roleName=EC2_Admins and policies of partition aws";

        it("accepts what the member program exports", () => {
            expect(problemsOf({})).to.deep.equal([]);
        });

        for (const [what, role] of [
            ["a role ARN in another account", { arn: "arn:aws:iam::999999999999:role/EC2_Admins" }],
            ["a role ARN in another partition", { arn: "arn:aws-cn:iam::881102293469:role/EC2_Admins" }],
            [
                "a switch-role link to another site",
                { switchRoleUrl: "https://evil.example/switchrole?account=881102293469&roleName=EC2_Admins" },
            ],
            ["a policy of another partition", { policyArns: ["arn:aws-us-gov:iam::aws:policy/AdministratorAccess"] }],
        ] as const) {
            it(`rejects ${what}`, () => {
                const forged = { ...sales({})[0].outputs.crossAccountRoles[0], ...role };
                expect(problemsOf(role)).to.deep.equal([
                    `Pulumi.identity.yaml: okta-aws:memberStacks[0]: "sales" — its role "EC2_Admins" is exported as ${JSON.stringify(forged.arn)} with switch-role link ${JSON.stringify(forged.switchRoleUrl)}${expected}`,
                ]);
            });
        }
    });

    describe("issue 30: widenings and removals that read as nothing", function () {
        this.timeout(60000);
        it("a team group deleted in group mapping mode: the access its rule gave is never reported gone while Okta keeps it", async () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-hostile-"));
            const globex = path.join(__dirname, "fixtures", "globex");
            const write = (team: boolean) => {
                for (const file of fs.readdirSync(globex)) {
                    let text = fs
                        .readFileSync(path.join(globex, file), "utf8")
                        .replace("joinAllRoles: true }", "joinAllRoles: true, roleAssignment: groupMapping }");
                    if (!team) {
                        text = text.replace(/ {2}okta-aws:groups:\n(?: {4}.*\n)+/, "  okta-aws:groups: []\n");
                    }
                    fs.writeFileSync(path.join(dir, file), text);
                }
            };
            write(true);
            const withTeam = (await buildPlan(dir)).plan;
            write(false);
            const withoutTeam = (await buildPlan(dir)).plan;
            // As deployed by a program that did not set removeAssignedUsers (the provider's default).
            const deployed: Plan = structuredClone(withTeam);
            delete deployed.stacks.hub.resources.find((r) => r.type === "okta:group/rule:Rule")!.inputs.removeAssignedUsers;
            const diff = diffPlans(deployed, withoutTeam);
            const people = (rows: AccessRow[]) =>
                rows.filter((r) => r.via === "aws-data-engineers").map((r) => `${r.principal} ${r.samlRole}`);
            expect(people(diff.lost)).to.deep.equal([]);
            expect(people(diff.stays.access)).to.deep.equal([
                "frank@globex.example Data-Eng=Writers-Lake",
                "marge@globex.example Data-Analysts.Read@Lake",
                "marge@globex.example Data-Eng=Writers-Lake",
            ]);
        });

        const document = (action: string, resource: string) => ({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: action, Resource: resource }],
        });
        // Each pair: a pattern before and one that matches more after; no pair may read as "no change" or "narrowed".
        for (const [before, after] of [
            [document("s3:GetObject", "arn:aws:s3:::acme-artifacts-?/*"), document("s3:GetObject", "arn:aws:s3:::acme-artifacts-*/*")],
            [document("s3:Get?", "*"), document("s3:Get*", "*")],
            [document("s3:GetObject", "arn:aws:s3:::a?"), document("s3:GetObject", "arn:aws:s3:::a??")],
            [document("s3:GetObject", "arn:aws:s3:::a*b"), document("s3:GetObject", "arn:aws:s3:::a*")],
            [document("s3:GetObject", "arn:aws:s3:::a-?-*"), document("s3:GetObject", "arn:aws:s3:::a-*-?")],
            [
                { Statement: [{ Effect: "Allow", NotAction: "s3:*", Resource: "*" }] },
                { Statement: [{ Effect: "Allow", NotAction: "s3:Get*", Resource: "*" }] },
            ],
        ] as const) {
            it(`${JSON.stringify(before.Statement[0])} → ${JSON.stringify(after.Statement[0])} is a widening`, () => {
                expect(grantChange(grantsOf(before)!, grantsOf(after)!)).to.be.oneOf(["widened", "changed"]);
            });
        }
    });
});
