// Red team (rt6): the files mocha runs. `.mocharc.cjs` names them for `npm test` and
// `npm run test:all` alike (and so for CI, .ci/run); a test file it does not name runs nowhere, and
// nothing says so. Every `*.test.ts` under tests/ is named, in a folder of its own too, as the
// earlier `tests/**/*.test.ts` named them.
import { expect } from "chai";
import * as fs from "fs";
import { createRequire } from "module";
import * as path from "path";

const root = path.join(__dirname, "..");
const mocharc = path.join(root, ".mocharc.cjs");

/** The spec .mocharc.cjs gives when loaded now, as a fresh mocha process loads it. */
function specNow(): string[] {
    const durations = process.env.OKTA_AWS_TEST_DURATIONS;
    const load = createRequire(__filename);
    delete load.cache[load.resolve(mocharc)];
    try {
        return (load(mocharc) as { spec: string[] }).spec;
    } finally {
        // Loading it sets where durations are recorded: this process keeps its own setting.
        if (durations === undefined) {
            delete process.env.OKTA_AWS_TEST_DURATIONS;
        } else {
            process.env.OKTA_AWS_TEST_DURATIONS = durations;
        }
    }
}

describe("the test files mocha runs (.mocharc.cjs, red team rt6)", () => {
    it("names every *.test.ts under tests/, one in a nested folder too, and nothing else", () => {
        const folder = fs.mkdtempSync(path.join(root, "tests", "nested-"));
        try {
            fs.mkdirSync(path.join(folder, "deeper"));
            fs.writeFileSync(path.join(folder, "deeper", "nested.test.ts"), "");
            fs.writeFileSync(path.join(folder, "helper.ts"), "");
            const nested = path.join("tests", path.basename(folder), "deeper", "nested.test.ts");
            const spec = specNow();
            expect(spec.filter((file) => file.startsWith(path.join("tests", path.basename(folder))))).to.deep.equal([nested]);
            const onDisk = fs
                .readdirSync(path.join(root, "tests"), { recursive: true, encoding: "utf8" })
                .filter((file) => file.endsWith(".test.ts"))
                .map((file) => path.join("tests", file));
            expect([...spec].sort()).to.deep.equal(onDisk.sort());
        } finally {
            fs.rmSync(folder, { recursive: true, force: true });
        }
    });
});
