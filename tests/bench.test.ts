// The benchmark's results file: each kind of run replaces its own section and keeps the others.
import { expect } from "chai";
import { withSection } from "../tools/bench/measure";

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
});
