// Every text file the program and its tools read (stack files, Pulumi.yaml, existing.json, policy
// documents) holds only the characters that Pulumi's YAML reader, a YAML 1.2 reader, a JSON reader
// and a person all read alike (components/plainText.ts); everything else is refused with its line.
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ConfigError, configProblem, parseStackConfig } from "../components/config";
import { personName } from "../components/config/fields";
import { refusedCharacters, shownPlainly } from "../components/plainText";
import { markdownCell } from "../tools/report/markdown";
import { readExistingOrganisation } from "../tools/mock/existing";
import { readProjectFile } from "../tools/plan/projectFile";
import { listStackFiles } from "../tools/plan/stackFiles";
import { projectRoot } from "./harness";

const lineBreakReason =
    "ends a line for gopkg.in/yaml.v3, Pulumi's YAML reader (yamlprivateh.go `is_break`), but not for a YAML 1.2 reader or most viewers: a comment to one reader is a value to the other";
const directionReason =
    "changes the order in which the text is shown, so a person reads the line in another order than a parser does (CVE-2021-42574, Trojan Source)";
const invisibleReason = "is invisible: a parser reads it, a person does not see it";

function problemsOf(run: () => unknown): string[] {
    try {
        run();
    } catch (error) {
        expect(error).to.be.instanceOf(ConfigError);
        return (error as ConfigError).problems;
    }
    throw new Error("expected the file to be refused");
}

/** The reasons `refusedCharacters` gives for `text`, as `line:column reason`. */
function refusals(text: string, syntax: "yaml" | "json" = "yaml"): string[] {
    return refusedCharacters(Buffer.from(text, "utf8"), syntax).refused.map((r) => `${r.line}:${r.column} ${r.reason}`);
}

describe("plain text: the characters every reader reads alike", () => {
    let dir: string;
    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-plain-text-"));
        for (const name of fs.readdirSync(projectRoot).filter((f) => /^Pulumi\..+\.yaml$/.test(f))) {
            fs.copyFileSync(path.join(projectRoot, name), path.join(dir, name));
        }
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("refuses a comment line that Pulumi's reader breaks in two at U+2028 (a user only Pulumi sees)", () => {
        const file = path.join(dir, "Pulumi.identity.yaml");
        const jane = "    - { login: jane@acmecorp.me, firstName: Jane, lastName: Dye, samlRoles: [Retail-S3-Admins] }\n";
        const hidden =
            "    # reviewed: jane keeps S3 only\u2028    - { login: mallory@evil.example, samlRoles: [Retail-EC2-Admins, Sales-EC2-Admins] }\n";
        const text = fs.readFileSync(file, "utf8");
        expect(text).to.include(jane);
        fs.writeFileSync(file, text.replace(jane, jane + hidden));
        const line = text.slice(0, text.indexOf(jane)).split("\n").length + 1;
        expect(problemsOf(() => listStackFiles(dir))).to.deep.equal([
            configProblem(
                "Pulumi.identity.yaml",
                `line ${line} column 35`,
                hidden.replace("\n", ""),
                `U+2028 LINE SEPARATOR: ${lineBreakReason}`,
            ),
        ]);
        expect(problemsOf(() => listStackFiles(dir))[0]).to.include('"    # reviewed: jane keeps S3 only\\u2028    - { login: mallory');
    });

    it("reports every refused character of every stack file at once, each with its line and column", () => {
        const lastLine = (name: string) => fs.readFileSync(path.join(dir, name), "utf8").split("\n").length;
        fs.appendFileSync(path.join(dir, "Pulumi.sales.yaml"), "# next line\u0085  aws:region: eu-west-1\n");
        fs.appendFileSync(path.join(dir, "Pulumi.retail.yaml"), "# \u202Eadmin\u2066 \u200B\n");
        const [sales, retail] = [lastLine("Pulumi.sales.yaml") - 1, lastLine("Pulumi.retail.yaml") - 1];
        const problems = problemsOf(() => listStackFiles(dir));
        expect(problems.map((p) => p.replace(/: ".*" — /, " — "))).to.deep.equal([
            `Pulumi.retail.yaml: line ${retail} column 3 — U+202E RIGHT-TO-LEFT OVERRIDE: ${directionReason}`,
            `Pulumi.retail.yaml: line ${retail} column 9 — U+2066 LEFT-TO-RIGHT ISOLATE: ${directionReason}`,
            `Pulumi.retail.yaml: line ${retail} column 11 — U+200B ZERO WIDTH SPACE: ${invisibleReason}`,
            `Pulumi.sales.yaml: line ${sales} column 12 — U+0085 NEXT LINE (NEL): ${lineBreakReason}`,
        ]);
    });

    it("holds each class of the table: refuses what no row allows, with its reason", () => {
        expect(refusals("a: 1\u2029b: 2\n")).to.deep.equal([`1:5 U+2029 PARAGRAPH SEPARATOR: ${lineBreakReason}`]);
        expect(refusals("a: 1\rb: 2\n")).to.deep.equal([
            "1:5 U+000D CARRIAGE RETURN without a LF: ends a line for a YAML reader but not in many viewers",
        ]);
        expect(refusals("a: x\uFEFFy\n")).to.deep.equal([
            `1:5 U+FEFF BYTE ORDER MARK (ZERO WIDTH NO-BREAK SPACE) after the start: ${invisibleReason}`,
        ]);
        expect(refusals("a:\tb\n")).to.deep.equal([
            "1:3 U+0009 TAB: YAML readers disagree on where a tab may separate tokens (a YAML 1.1 reader stops at `key:<TAB>value`, a YAML 1.2 reader reads it as a mapping); indent and separate with spaces",
        ]);
        expect(refusals("a:\u00A0b\n")).to.deep.equal([
            "1:3 U+00A0 is a space or separator other than U+0020, which a person reads as white space and a parser as text",
        ]);
        expect(refusals("a: b\u{E0041}\n")).to.deep.equal([
            "1:5 U+E0041 is an invisible character: a parser reads it, a person does not see it",
        ]);
        expect(refusals("a: b\uFE0F\n")).to.deep.equal([
            "1:5 U+FE0F is an invisible character: a parser reads it, a person does not see it",
        ]);
        expect(refusals("a: \u0007\n")).to.deep.equal(["1:4 U+0007 is a control character"]);
        expect(refusals("a: \uE000\n")).to.deep.equal([
            "1:4 U+E000 is a private-use or unassigned code point, which no two readers are bound to show alike",
        ]);
        expect(refusedCharacters(Buffer.from([0x61, 0x3a, 0x20, 0xc3, 0x28, 0x0a]), "yaml").refused).to.deep.equal([
            {
                line: 1,
                column: 4,
                excerpt: "a: ",
                reason: "is not UTF-8 text: Pulumi's reader stops on it, and Node's reads U+FFFD in its place",
            },
        ]);
    });

    it("allows LF, CR LF, a leading byte-order mark, TAB in JSON, and visible letters and symbols of any script", () => {
        expect(refusals("\uFEFFa: 1\r\nb: Jürgen Ωmega 日本 ✓ 🙂\r\n")).to.deep.equal([]);
        expect(refusals('{\n\t"Version": "2012-10-17"\n}\n', "json")).to.deep.equal([]);
    });

    it("lists ten refused characters of a file and counts the rest", () => {
        const refused = refusedCharacters(Buffer.from(`a: "${"\u200B".repeat(13)}"\n`), "yaml").refused;
        expect(refused.map((r) => r.column)).to.deep.equal([5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
        expect(refused[9].reason).to.equal(`U+200B ZERO WIDTH SPACE: ${invisibleReason} (and 3 more refused characters after it)`);
    });

    it("refuses a policy document file whose text reads differently to a person", () => {
        fs.mkdirSync(path.join(dir, "policies"));
        fs.writeFileSync(
            path.join(dir, "policies", "ops.json"),
            '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::logs/\u202E*"}]}',
        );
        const config = {
            "aws:region": "us-east-1",
            "aws:allowedAccountIds": ["253541269580"],
            "okta-aws:account": { name: "retail", label: "Retail", id: "253541269580" },
            "okta-aws:identityAccountId": "671250594556",
            "okta-aws:crossAccountRoles": [{ name: "Ops", policies: [{ name: "ops", file: "policies/ops.json" }] }],
        };
        expect(problemsOf(() => parseStackConfig("retail", config, new Set(), dir))).to.deep.equal([
            configProblem(
                "Pulumi.retail.yaml",
                "okta-aws:crossAccountRoles[0] (Ops).policies[0] (ops).file",
                "policies/ops.json",
                `holds characters that readers do not all read alike: line 1 column 110 ("…etObject\\",\\"Resource\\":\\"arn:aws:s3:::logs/\\u202e*\\"}]}"): U+202E RIGHT-TO-LEFT OVERRIDE: ${directionReason}`,
            ),
        ]);
    });

    it("reads existing.json and Pulumi.yaml through the same table", () => {
        fs.writeFileSync(path.join(dir, "existing.json"), '{"aws": {}, "okta": {}}\u2028\n');
        expect(problemsOf(() => readExistingOrganisation(dir))).to.deep.equal([
            configProblem(
                "existing.json",
                "line 1 column 24",
                '{"aws": {}, "okta": {}}\u2028',
                `U+2028 LINE SEPARATOR: ${lineBreakReason}`,
            ),
        ]);
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: okta-aws\nruntime: nodejs\u0085main: evil.js\n");
        expect(problemsOf(() => readProjectFile(dir))).to.deep.equal([
            configProblem(
                "Pulumi.yaml",
                "line 2 column 16",
                "runtime: nodejs\u0085main: evil.js",
                `U+0085 NEXT LINE (NEL): ${lineBreakReason}`,
            ),
        ]);
    });

    it("shows every character that is not plain as \\uXXXX in messages and Markdown", () => {
        expect(shownPlainly("a\u2028b\u202Ec \u{E0041}")).to.equal("a\\u2028b\\u202ec \\udb40\\udc41");
        expect(configProblem("f", "k", "x\u2029y", "r")).to.equal('f: k: "x\\u2029y" — r');
        expect(markdownCell("ops\u202E|")).to.equal("ops\\\\u202e\\|");
    });

    it("refuses free text (names, labels) that holds invisible or direction-changing characters", () => {
        const read = personName.safeParse("Jo\u202Ehn");
        expect(read.success ? [] : read.error.issues.map((issue) => issue.message)).to.deep.equal([
            `may not hold U+202E RIGHT-TO-LEFT OVERRIDE: ${directionReason}`,
        ]);
    });
});
