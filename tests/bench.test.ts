// The benchmark's results file: each kind of run replaces its own section and keeps the others,
// and the file it writes is one `npm run lint` (prettier --check) accepts.
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as prettier from "prettier";
import { recordResults, withSection } from "../tools/bench/measure";
import { projectRoot } from "./harness";

describe("bench/results.md (npm run bench)", () => {
    it("adds a section to a new file, under the file's title", () => {
        expect(withSection("", "npm start, 2026-12-03", ["| a |"])).to.equal(
            "# Benchmark results\n\nWritten by `npm run bench`; each section is the latest run of its kind.\n\n## npm start, 2026-12-03\n\n| a |\n",
        );
    });

    it("replaces the section of the same heading and keeps the others in order", () => {
        const first = withSection(withSection("", "npm start", ["old"]), "Scale (groupMapping)", ["scale"]);
        expect(withSection(first, "npm start", ["new"])).to.equal(
            "# Benchmark results\n\nWritten by `npm run bench`; each section is the latest run of its kind.\n\n## npm start\n\nnew\n\n## Scale (groupMapping)\n\nscale\n",
        );
    });

    it("writes tables Prettier accepts with the project's settings, replacing the older run of the same kind", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-bench-results-"));
        try {
            // The project's settings apply to the file as they do to bench/results.md.
            fs.copyFileSync(path.join(projectRoot, ".prettierrc.json"), path.join(dir, ".prettierrc.json"));
            const file = path.join(dir, "results.md");
            const older = withSection(withSection("", "npm start, 2026-12-01", ["old"]), "Scale (samlUserRoles), 2026-12-01", ["scale"]);
            fs.writeFileSync(file, older);
            const text = await recordResults(file, "npm start, 2026-12-04", [
                "| variant | time |",
                "| --- | --- |",
                "| npm start (plan + verification) | 3.41 s |",
                "| npm start -- --no-verify (plan only) | 2.75 s |",
            ]);
            expect(fs.readFileSync(file, "utf8")).to.equal(text);
            expect(text.match(/^## .*$/gm)).to.deep.equal(["## npm start, 2026-12-04", "## Scale (samlUserRoles), 2026-12-01"]);
            expect(text).to.contain(
                [
                    "| variant                              | time   |",
                    "| ------------------------------------ | ------ |",
                    "| npm start (plan + verification)      | 3.41 s |",
                    "| npm start -- --no-verify (plan only) | 2.75 s |",
                ].join("\n"),
            );
            const options = await prettier.resolveConfig(file);
            expect(await prettier.check(text, { ...options, filepath: file })).to.equal(true);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
