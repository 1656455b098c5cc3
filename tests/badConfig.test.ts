import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildPlan } from "../tools/preview";
import { badCases, runBadCase, writePatchedStackFiles } from "./badCases";
import { projectRoot, runPreview } from "./harness";

describe("invalid configurations (tests/fixtures/bad)", () => {
    const cases = badCases();

    it("has a corpus of at least 30 cases", () => {
        expect(cases.length).to.be.at.least(30);
    });

    for (const badCase of cases) {
        it(`${badCase.name}: stops Pulumi.${badCase.fails}.yaml before registering anything`, async () => {
            const { problems, registered } = await runBadCase(badCase);
            expect(problems).to.deep.equal(badCase.expect);
            expect(registered).to.deep.equal([]);
        });
    }

    for (const name of ["member-account-id-number", "identity-unknown-saml-role", "identity-member-trusts-other-identity"]) {
        it(`npm start on ${name}: exits non-zero with the same messages and writes no plan`, async () => {
            const badCase = cases.find((c) => c.name === name)!;
            const configDir = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-bad-"));
            const outDir = path.join(configDir, "out");
            writePatchedStackFiles(badCase, configDir);
            const { code, stderr } = await runPreview(["--config-dir", configDir, "--out", outDir]);
            expect(code).to.equal(1);
            expect(stderr.split("\n").slice(1)).to.deep.equal(badCase.expect.map((m) => `  ${m}`));
            expect(fs.existsSync(path.join(outDir, "plan.json"))).to.equal(false);
        });
    }
});

describe("safety rails", () => {
    it("reordering users, groups and roles in the stack files changes no resource", async () => {
        const shuffled = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-shuffled-"));
        for (const file of fs.readdirSync(projectRoot).filter((f) => /^Pulumi\..+\.yaml$/.test(f))) {
            fs.copyFileSync(path.join(projectRoot, file), path.join(shuffled, file));
        }
        const reverseList = (file: string, startMarker: string) => {
            const lines = fs.readFileSync(path.join(shuffled, file), "utf8").split("\n");
            const start = lines.findIndex((l) => l.includes(startMarker)) + 1;
            let end = start;
            while (end < lines.length && /^\s{4}/.test(lines[end])) {
                end++;
            }
            const items: string[][] = [];
            for (const line of lines.slice(start, end)) {
                if (/^\s{4}- /.test(line)) {
                    items.push([line]);
                } else {
                    items[items.length - 1].push(line);
                }
            }
            expect(items.length).to.be.at.least(2);
            lines.splice(start, end - start, ...items.reverse().flat());
            fs.writeFileSync(path.join(shuffled, file), lines.join("\n"));
        };
        reverseList("Pulumi.identity.yaml", "okta-aws:users:");
        reverseList("Pulumi.retail.yaml", "okta-aws:crossAccountRoles:");
        fs.writeFileSync(
            path.join(shuffled, "Pulumi.identity.yaml"),
            fs.readFileSync(path.join(shuffled, "Pulumi.identity.yaml"), "utf8").replace("[sales, retail]", "[retail, sales]"),
        );

        const original = await buildPlan(projectRoot);
        const reordered = await buildPlan(shuffled);
        expect(fs.readFileSync(path.join(shuffled, "Pulumi.identity.yaml"), "utf8")).to.match(/jane@acmecorp\.me[\s\S]*john@acmecorp\.me/);
        for (const stack of Object.keys(original.plan.stacks)) {
            expect(reordered.plan.stacks[stack].resources).to.deep.equal(original.plan.stacks[stack].resources);
        }
        expect(reordered.plan.access).to.deep.equal(original.plan.access);
    });
});
