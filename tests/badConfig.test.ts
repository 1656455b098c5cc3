// Every invalid stack file in tests/fixtures/bad stops the program before any resource is
// registered, with its exact messages, both in the program and through npm start.
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { badCases, runBadCase, writePatchedStackFiles } from "./badCases";
import { runPreview } from "./harness";

describe("invalid configurations (tests/fixtures/bad)", () => {
    const cases = badCases();

    it("holds only cases that name the problems they expect", () => {
        expect(cases.filter((c) => c.expect.length === 0).map((c) => c.name)).to.deep.equal([]);
    });

    for (const badCase of cases) {
        it(`${badCase.name}: stops Pulumi.${badCase.fails}.yaml before registering anything`, async () => {
            const { problems, registered } = await runBadCase(badCase);
            expect(problems).to.deep.equal(badCase.expect);
            expect(registered).to.deep.equal([]);
        });
    }

    // npm start over the whole corpus is @slow; the quick suite runs it on the case with the most
    // problems (the program's check of every case above is quick).
    const mostProblems = cases.reduce((most, c) => (c.expect.length > most.expect.length ? c : most), cases[0]);
    for (const badCase of cases) {
        it(`npm start on ${badCase.name}: exits 1 with the same messages and writes nothing${badCase === mostProblems ? "" : " @slow"}`, async () => {
            const configDir = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-bad-"));
            const outDir = path.join(configDir, "out");
            writePatchedStackFiles(badCase, configDir);
            const { code, stderr } = await runPreview(["--config-dir", configDir, "--out", outDir]);
            expect(code).to.equal(1);
            expect(stderr.split("\n").slice(1)).to.deep.equal(badCase.expect.map((m) => `  ${m}`));
            expect(fs.existsSync(outDir)).to.equal(false);
            fs.rmSync(configDir, { recursive: true, force: true });
        });
    }
});
