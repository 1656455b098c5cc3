// A run of npm start that exits 1 after writing its files ends with one line that says FAILED,
// why, and the next step; a run that exits 0 prints nothing on stderr.
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { projectRoot, runPreview } from "./harness";

describe("npm start's last line when it fails", function () {
    this.timeout(120000);
    let dir: string;
    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-failed-"));
        for (const stack of ["identity", "retail", "sales"]) {
            fs.copyFileSync(path.join(projectRoot, `Pulumi.${stack}.yaml`), path.join(dir, `Pulumi.${stack}.yaml`));
        }
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("a mandatory policy violation: FAILED, the rule, where the violations are and where its advisory setting goes", async () => {
        fs.appendFileSync(path.join(dir, "Pulumi.identity.yaml"), "  okta-aws:protectIdentityResources: false\n");
        const out = path.join(dir, "out");
        const { code, stdout, stderr } = await runPreview(["--config-dir", dir, "--out", out, "--no-verify"]);
        expect([code, stdout.split("\n").at(-1)!.startsWith("Wrote "), stderr]).to.deep.equal([
            1,
            true,
            `FAILED: mandatory policy identity-resources-protected violated (5 violations, listed above and in ${path.relative(process.cwd(), path.join(out, "access.md"))}): fix the stack files, or, for a sandbox, lower it with --policy-pack-config FILE holding {"identity-resources-protected":"advisory"} (the file \`pulumi preview --policy-pack-config\` reads)`,
        ]);
    });

    it("nothing on stderr when it passes", async () => {
        const { code, stderr } = await runPreview(["--config-dir", dir, "--out", path.join(dir, "out"), "--no-verify"]);
        expect([code, stderr]).to.deep.equal([0, ""]);
    });
});
