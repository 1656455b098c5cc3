// Red team (rt6): the files mocha runs. tests/suite.cjs names them for `npm test` and
// `npm run test:all` alike (and so for CI, .ci/run); a test file it does not name runs nowhere, and
// nothing says so. Every `*.test.ts` under tests/ is named, in a folder of its own too, as the
// earlier `tests/**/*.test.ts` named them; the quick run leaves out only files that hold no quick test.
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { projectRoot } from "./harness";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const suite = require("./suite.cjs") as {
    holdsQuickTests(text: string): boolean;
    spec(options: { testsFolder: string; quick: boolean; durations: string }): string[];
    testFilesIn(folder: string): string[];
};

const testsFolder = path.join(projectRoot, "tests");
/** The run's spec with no durations recorded. */
const specOf = (quick: boolean) => suite.spec({ testsFolder, quick, durations: path.join(testsFolder, "no-durations-here") });

describe("the test files mocha runs (tests/suite.cjs, red team rt6)", () => {
    it("names every *.test.ts under tests/, one in a nested folder too, and nothing else", () => {
        const folder = fs.mkdtempSync(path.join(testsFolder, "nested-"));
        try {
            fs.mkdirSync(path.join(folder, "deeper"));
            fs.writeFileSync(path.join(folder, "deeper", "nested.test.ts"), "");
            fs.writeFileSync(path.join(folder, "helper.ts"), "");
            const nested = path.join("tests", path.basename(folder), "deeper", "nested.test.ts");
            for (const quick of [false, true]) {
                expect(specOf(quick).filter((file) => file.startsWith(path.join("tests", path.basename(folder))))).to.deep.equal([nested]);
            }
            const onDisk = fs
                .readdirSync(testsFolder, { recursive: true, encoding: "utf8" })
                .filter((file) => file.endsWith(".test.ts"))
                .map((file) => path.join("tests", file));
            expect([...specOf(false)].sort()).to.deep.equal(onDisk.sort());
        } finally {
            fs.rmSync(folder, { recursive: true, force: true });
        }
    });

    it("leaves a file out of the quick run only when every block it opens at its top level carries the slow tag", () => {
        const holds = (...lines: string[]) => suite.holdsQuickTests(lines.join("\n"));
        expect([
            holds('describe("the audit against the servers @slow", function () {', '    it("reads", () => {});', "});"),
            holds("describe(", '    "a title prettier put on its own line @slow",', "    () => {},", ");"),
            holds('describe.skip("skipped, and slow @slow", () => {});', 'describe("another @slow", () => {});'),
        ]).to.deep.equal([false, false, false]);
        expect([
            holds('describe("slow @slow", () => {});', 'describe("quick", () => {});'),
            holds('describe("quick", () => {', '    describe("only this block is slow @slow", () => {});', "});"),
            holds('it("a test at the top level @slow", () => {});'),
            holds("describe(title, () => {});"),
            holds("for (const size of sizes) {", "    describe(`${size} @slow`, () => {});", "}"),
            holds(""),
        ]).to.deep.equal([true, true, true, true, true, true]);
    });

    it("keeps a file whose top level does anything but import, declare and open slow-tagged blocks (red team rt7)", () => {
        const slow = 'describe("the servers @slow", () => {\n    it("reads", () => {});\n});\n';
        const beside = (text: string) => suite.holdsQuickTests(slow + text);
        expect([
            beside('if (process.platform === "linux") {\n    describe("quick, on Linux", () => {});\n}\n'),
            beside('for (const size of ["S", "M"]) {\n    it(`quick at ${size}`, () => {});\n}\n'),
            beside('["S", "M"].forEach((size) => it(`quick at ${size}`, () => {}));\n'),
            beside('registerQuickSuite("roles");\n'),
            beside('void describe("quick", () => {});\n'),
            suite.holdsQuickTests('describe("the servers @slow".replace(" @slow", ""), () => {});\n'),
            suite.holdsQuickTests('\uFEFFdescribe("quick", () => {});\n' + slow),
            suite.holdsQuickTests('describe("the servers @slow", () => {});\rdescribe("quick", () => {});\r'),
            suite.holdsQuickTests('describe(`${process.env.SLOW ? "@slow" : "quick"}`, () => {});\n'),
            suite.holdsQuickTests('describe(`${{ slow: "@slow" }.slow}`, () => {});\n'),
        ]).to.deep.equal([true, true, true, true, true, true, true, true, true, true]);
        // What the slow files hold beside their blocks leaves them out still, CRLF files too.
        const declarations = [
            'import * as fs from "fs";',
            'import {\n    a,\n    b,\n} from "./harness";',
            "// a comment",
            "/**\n * A helper.\n */",
            'const scratch = fs.mkdtempSync("okta-aws-");',
            "async function answerOf(call: Promise<unknown>): Promise<string> {\n    return String(await call);\n}",
            "interface Finding {\n    rule: string;\n}",
        ].join("\n");
        const ownLine = 'describe(\n    "a title prettier put on its own line @slow",\n    () => {},\n);\n';
        const titles = [
            'describe("a \\"quoted\\" title @slow", () => {});',
            "describe('it\\'s @slow', () => {});",
            "describe(`at ${size} @slow`, () => {});",
        ];
        expect([
            suite.holdsQuickTests(declarations + "\n" + slow + ownLine + titles.join("\n")),
            suite.holdsQuickTests((declarations + "\n" + slow + ownLine).replace(/\n/g, "\r\n")),
            suite.holdsQuickTests(declarations),
        ]).to.deep.equal([false, false, true]);
    });
});

describe("the quick run's files against mocha's own selection @slow", function () {
    this.timeout(120000);

    it("leaves out exactly the files in which mocha's --grep @slow --invert selects no test", () => {
        // mocha loads every file and lists what it would run, running nothing.
        const run = spawnSync(
            process.execPath,
            [
                path.join(projectRoot, "node_modules", "mocha", "bin", "mocha.js"),
                ...["--no-config", "--dry-run", "--grep", "@slow", "--invert", "--reporter", "json"],
                ...["-r", "sucrase/register/ts", "-r", "./tests/transpileCache.ts", "-r", "./tests/setup.ts"],
                ...suite.testFilesIn(testsFolder).map((file) => path.join("tests", file)),
            ],
            { cwd: projectRoot, encoding: "utf8", maxBuffer: 1 << 28 },
        );
        expect(run.status, run.stderr).to.equal(0);
        const selected = new Set(
            (JSON.parse(run.stdout) as { tests: { file: string }[] }).tests.map((test) => path.relative(projectRoot, test.file)),
        );
        expect([...specOf(true)].sort()).to.deep.equal([...selected].sort());
    });
});
