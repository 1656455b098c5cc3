// Hostile and careless command lines and config folders: every one ends with exit code 1 and a
// clean message (the config format where it is about a stack file), never a stack trace or a
// hang, and nothing is written.
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main as accessDiff } from "../tools/commands/accessDiff";
import { main as preview } from "../tools/commands/preview";
import { main as verify } from "../tools/commands/verify";
import type { CommandMain } from "../tools/shared/commandLine";
import { captureCommand, projectRoot } from "./harness";

/** A command's exit code and what it printed on stderr. */
async function run(main: CommandMain, argv: string[]): Promise<{ code: number; stderr: string }> {
    const { code, stderr } = await captureCommand(main, argv);
    return { code, stderr };
}

/** A folder with the shipped stack files, then `edit` applied to it. */
function configFolder(edit: (dir: string) => void = () => undefined): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-cli-"));
    for (const stack of ["identity", "sales", "retail"]) {
        fs.copyFileSync(path.join(projectRoot, `Pulumi.${stack}.yaml`), path.join(dir, `Pulumi.${stack}.yaml`));
    }
    edit(dir);
    return dir;
}

/** Appends lines to a stack file of a config folder. */
const append = (dir: string, stack: string, ...lines: string[]) =>
    fs.appendFileSync(path.join(dir, `Pulumi.${stack}.yaml`), `${lines.join("\n")}\n`);

/** Replaces text in a stack file of a config folder (the text must be there). */
function replaceIn(dir: string, stack: string, from: string, to: string): void {
    const file = path.join(dir, `Pulumi.${stack}.yaml`);
    const text = fs.readFileSync(file, "utf8");
    expect(text).to.include(from);
    fs.writeFileSync(file, text.replace(from, to));
}

const pulumiReader = "Pulumi's YAML reader (gopkg.in/yaml.v3)";

const previewUsage =
    "usage: npm start -- [--config-dir DIR] [--out DIR] [--no-verify] [--verbose] [--policy-pack-config FILE] [--progress]";
const invalid = (...problems: string[]) =>
    [`Invalid stack configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):`, ...problems.map((p) => `  ${p}`)].join(
        "\n",
    );

describe("command lines and config folders (npm start, verify, access-diff, bench)", () => {
    let scratch: string;
    let out: string;
    beforeEach(() => {
        scratch = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-cli-out-"));
        out = path.join(scratch, "out");
    });
    afterEach(() => {
        // Nothing is written by a command that fails.
        expect(fs.existsSync(out)).to.equal(false);
        fs.rmSync(scratch, { recursive: true, force: true });
    });

    const cases: [string, () => string[], string | ((args: string[]) => string)][] = [
        [
            "--config-dir without a value",
            () => ["--out", out, "--config-dir"],
            `Option '--config-dir <value>' argument missing\n${previewUsage}`,
        ],
        [
            "--config-dir followed by another flag",
            () => ["--config-dir", "--out", out],
            `Option '--config-dir' argument is ambiguous.\nDid you forget to specify the option argument for '--config-dir'?\nTo specify an option argument starting with a dash use '--config-dir=-XYZ'.\n${previewUsage}`,
        ],
        [
            "--config-dir that does not exist",
            () => ["--config-dir", "/no/such/dir", "--out", out],
            "--config-dir: /no/such/dir: does not exist",
        ],
        [
            "--config-dir=DIR that does not exist",
            () => ["--config-dir=/no/such/dir", "--out", out],
            "--config-dir: /no/such/dir: does not exist",
        ],
        [
            "--config-dir naming a file",
            () => ["--config-dir", path.join(projectRoot, "Pulumi.yaml"), "--out", out],
            `--config-dir: ${path.join(projectRoot, "Pulumi.yaml")}: is not a directory`,
        ],
        ["an unknown flag", () => ["--outdir", out], `Unknown option '--outdir'\n${previewUsage}`],
        [
            "a positional argument",
            () => ["--out", out, "identity"],
            `Unexpected argument 'identity'. This command does not take positional arguments\n${previewUsage}`,
        ],
        [
            "--no-verify with a value",
            () => ["--out", out, "--no-verify=yes"],
            `Option '--no-verify' does not take an argument\n${previewUsage}`,
        ],
        [
            "a YAML syntax error",
            () => [
                "--out",
                out,
                "--config-dir",
                configFolder((d) => fs.appendFileSync(path.join(d, "Pulumi.retail.yaml"), "  okta-aws:x: [1\n")),
            ],
            invalid(
                'Pulumi.retail.yaml: line 15: "" — is not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
            ),
        ],
        [
            "a duplicate key",
            () => [
                "--out",
                out,
                "--config-dir",
                configFolder((d) => fs.appendFileSync(path.join(d, "Pulumi.sales.yaml"), "  aws:region: us-west-2\n")),
            ],
            invalid('Pulumi.sales.yaml: line 12: "  aws:region: us-west-2" — is not valid YAML: Map keys must be unique'),
        ],
        [
            "an alias bomb",
            () => [
                "--out",
                out,
                "--config-dir",
                configFolder((d) =>
                    fs.writeFileSync(
                        path.join(d, "Pulumi.sales.yaml"),
                        [
                            "a: &a [x, x, x, x, x, x, x, x, x, x]",
                            ..."bcdefgh".split("").map((c, i) => `${c}: &${c} [${Array(10).fill(`*${"abcdefgh"[i]}`).join(", ")}]`),
                            "config: {}",
                        ].join("\n"),
                    ),
                ),
            ],
            invalid(
                "Pulumi.sales.yaml: (file): (value not shown) — is not valid YAML: Excessive alias count indicates a resource exhaustion attack",
            ),
        ],
        [
            "a directory named like a stack file",
            () => ["--out", out, "--config-dir", configFolder((d) => fs.mkdirSync(path.join(d, "Pulumi.x.yaml")))],
            (args) => invalid(`Pulumi.x.yaml: (file): "${path.join(args[3], "Pulumi.x.yaml")}" — is a directory, not a stack file`),
        ],
        [
            "a stack file name that is not a stack name",
            () => [
                "--out",
                out,
                "--config-dir",
                configFolder((d) => fs.copyFileSync(path.join(d, "Pulumi.retail.yaml"), path.join(d, "Pulumi.Retail Prod;$(id).yaml"))),
            ],
            invalid(
                'Pulumi.Retail Prod;$(id).yaml: (file name): "Retail Prod;$(id)" — is not a Pulumi stack name (letters, digits, - _ and ., at most 100, not starting with a dot); rename the file',
            ),
        ],
        [
            "config that is a list",
            () => [
                "--out",
                out,
                "--config-dir",
                configFolder((d) => fs.writeFileSync(path.join(d, "Pulumi.sales.yaml"), "config: [aws:region]\n")),
            ],
            invalid(
                'Pulumi.sales.yaml: config: ["aws:region"] — must be a mapping of config keys to values (config: { aws:region: us-east-1, … })',
            ),
        ],
        [
            "a stack file linking to a file outside its folder",
            () => ["--out", out, "--config-dir", configFolder((d) => fs.symlinkSync("/etc/passwd", path.join(d, "Pulumi.evil.yaml")))],
            invalid(
                "Pulumi.evil.yaml: (file): (value not shown) — links to a file outside its folder; stack files are read from their own folder only",
            ),
        ],
        [
            "a dangling link named like a stack file",
            () => ["--out", out, "--config-dir", configFolder((d) => fs.symlinkSync("/no/such/file", path.join(d, "Pulumi.gone.yaml")))],
            (args) => invalid(`Pulumi.gone.yaml: (file): "${path.join(args[3], "Pulumi.gone.yaml")}" — cannot be read (ENOENT)`),
        ],
        [
            "a folder without stack files",
            () => ["--out", out, "--config-dir", scratch],
            () =>
                invalid(
                    `${scratch}: (stack files): [] — has no Pulumi.<stack>.yaml; --config-dir names the folder of an organisation's stack files`,
                ),
        ],
        [
            "two identity stacks",
            () => [
                "--out",
                out,
                "--config-dir",
                configFolder((d) => fs.copyFileSync(path.join(d, "Pulumi.identity.yaml"), path.join(d, "Pulumi.identity2.yaml"))),
            ],
            (args) =>
                invalid(
                    `${args[3]}: okta-aws:memberStacks: ["Pulumi.identity.yaml","Pulumi.identity2.yaml"] — exactly one stack file, the identity stack's, sets it; 2 do`,
                ),
        ],
    ];

    // Stack files that Pulumi's own reader (Go's gopkg.in/yaml.v3) would read otherwise than a YAML
    // 1.2 reader: each is refused with one line, never reinterpreted (issue 19).
    const yamlCases: [string, (dir: string) => void, string[]][] = [
        [
            "a group hidden behind an anchor and a merge key",
            (d) => {
                replaceIn(d, "identity", "  okta-aws:groups: []\n", "");
                const file = path.join(d, "Pulumi.identity.yaml");
                fs.writeFileSync(
                    file,
                    `notes:reviewed: &note { okta-aws:groups: [{ name: Admins, samlRoles: [Sales-EC2-Admins], members: [mallory@evil.example] }] }\n${fs.readFileSync(file, "utf8")}  <<: *note\n`,
                );
            },
            [
                `Pulumi.identity.yaml: config.<<: "*note" — is a YAML merge key: ${pulumiReader} copies the keys of the mapping it names into this one (decode.go \`merge\`), out of a reviewer's sight; write the keys out`,
                // The mapping the anchor names sits under a key Pulumi ignores: refused too (red team rt6).
                'Pulumi.identity.yaml: notes:reviewed: {"okta-aws:groups":[{"name":"Admins","samlRoles":["Sales-EC2-Admins"],"member... — is not a key of a stack file: Pulumi reads config, environment, secretsprovider, encryptedkey and encryptionsalt (sdk/go/common/workspace/project.go `ProjectStack`) and ignores any other, so a reviewer would read it for nothing; remove it or spell it as one of these',
            ],
        ],
        [
            "a leading-zero number (octal in YAML 1.1)",
            (d) => replaceIn(d, "identity", "sessionDuration: 3600", "sessionDuration: 07200"),
            [
                `Pulumi.identity.yaml: okta-aws:oktaApp.sessionDuration: "07200" — is the number 3712 to ${pulumiReader} and 7200 to YAML 1.2, since it is written with a leading 0, octal in YAML 1.1; write it in plain decimal digits, or quote it if it is text`,
            ],
        ],
        [
            "an account id in exponent form",
            (d) => replaceIn(d, "sales", 'okta-aws:identityAccountId: "671250594556"', "okta-aws:identityAccountId: 6.71250594556e11"),
            [
                'Pulumi.sales.yaml: okta-aws:identityAccountId: "6.71250594556e11" — is a number in exponent form: YAML 1.1 reads it as text, YAML 1.2 as 671250594556; write the number out in digits, or quote it if it is text',
            ],
        ],
        [
            "digit separators, a binary and a hexadecimal number",
            (d) => append(d, "retail", "  okta-aws:a: 1_000", "  okta-aws:b: 0b101", "  okta-aws:c: 0x1F"),
            [
                `Pulumi.retail.yaml: okta-aws:a: "1_000" — is the number 1000 to ${pulumiReader} and the text "1_000" to YAML 1.2, since it is written with digit separators (_), which only YAML 1.1 allows; write it in plain decimal digits, or quote it if it is text`,
                `Pulumi.retail.yaml: okta-aws:b: "0b101" — is the number 5 to ${pulumiReader} and the text "0b101" to YAML 1.2, since it is written with a base prefix (0b, 0o, 0x); write it in plain decimal digits, or quote it if it is text`,
                `Pulumi.retail.yaml: okta-aws:c: "0x1F" — is written with a base prefix (0b, 0o, 0x), which YAML readers do not all read alike (Pulumi's, gopkg.in/yaml.v3, reads it as 31); write it in plain decimal digits, or quote it if it is text`,
            ],
        ],
        [
            "an unquoted date",
            (d) =>
                replaceIn(
                    d,
                    "identity",
                    "okta-aws:oktaSsoUser: { name: OktaSSO }",
                    "okta-aws:oktaSsoUser: { name: OktaSSO, keyRotation: 2025-06-01 }",
                ),
            [
                `Pulumi.identity.yaml: okta-aws:oktaSsoUser.keyRotation: "2025-06-01" — is a timestamp to ${pulumiReader}, which hands the program "2025-06-01 00:00:00 +0000 UTC", and text as written to YAML 1.2: quote it`,
            ],
        ],
        [
            "an unknown tag and a YAML 1.1 tag",
            (d) => append(d, "sales", "  okta-aws:a: !foo bar", "  okta-aws:b: !!binary aGk="),
            [
                `Pulumi.sales.yaml: okta-aws:a: "bar" — has the explicit YAML tag !foo: ${pulumiReader} resolves tags its own way (it decodes !!binary, keeps unknown ones as text); remove the tag, and quote a value that is text`,
                `Pulumi.sales.yaml: okta-aws:b: "aGk=" — has the explicit YAML tag !!binary: ${pulumiReader} resolves tags its own way (it decodes !!binary, keeps unknown ones as text); remove the tag, and quote a value that is text`,
            ],
        ],
        [
            "a key without a value, and keys that are not text",
            (d) => append(d, "sales", "  okta-aws:samlProviderName:", "  ~: x", "  okta-aws:account2: { 1: x }"),
            [
                `Pulumi.sales.yaml: config: "~" — has a mapping key that is not text, and Pulumi stops on one ("expected only string keys"): quote it`,
                `Pulumi.sales.yaml: okta-aws:account2: "1" — has a mapping key that ${pulumiReader} reads as a number, and Pulumi stops on keys that are not text ("expected only string keys"): quote it`,
                "Pulumi.sales.yaml: okta-aws:samlProviderName: null — has no value: Pulumi passes an empty string for it today and null in a future version (workspace/loaders.go `checkForEmptyConfig`); give it a value or remove it",
            ],
        ],
        [
            "one key spelled as Pulumi's three forms, and a key Pulumi cannot parse",
            (d) => append(d, "identity", "  samlProviderName: Okta2", "  okta-aws:config:samlProviderName: Okta3", "  a:b:c: x"),
            [
                'Pulumi.identity.yaml: samlProviderName: "Okta2" — is "okta-aws:samlProviderName" again: Pulumi reads both as okta-aws:samlProviderName, and which one it keeps is not defined; keep one',
                'Pulumi.identity.yaml: okta-aws:config:samlProviderName: "Okta3" — is "okta-aws:samlProviderName" again: Pulumi reads both as okta-aws:samlProviderName, and which one it keeps is not defined; keep one',
                'Pulumi.identity.yaml: a:b:c: "x" — is not a configuration key Pulumi can read (config/key.go: configuration keys should be of the form `<namespace>:<name>`)',
            ],
        ],
        [
            "an ESC environment",
            (d) => append(d, "identity", "environment:", "  - acme/okta-admins"),
            [
                'Pulumi.identity.yaml: environment: ["acme/okta-admins"] — imports Pulumi ESC environments, whose values Pulumi merges into the stack\'s configuration at every preview and update (pkg/workspace/config.go `mergeConfig`); they cannot be read offline, so the offline preview and the access diff stop here: move the values into the stack file, or preview with the Pulumi CLI',
            ],
        ],
        [
            "a second YAML document",
            (d) => append(d, "retail", "---", "config: { okta-aws:adopt: true }"),
            [
                "Pulumi.retail.yaml: (file): (value not shown) — holds 2 YAML documents: Pulumi reads the first one only, so keep one document (no second ---)",
            ],
        ],
    ];
    // Project files (Pulumi.yaml) beside the stack files: what Pulumi applies from them to every stack.
    const project = (d: string, ...lines: string[]) =>
        fs.writeFileSync(path.join(d, "Pulumi.yaml"), ["name: okta-aws", "runtime: nodejs", ...lines, ""].join("\n"));
    const projectCases: [string, (dir: string) => void, string[]][] = [
        [
            "project-level configuration",
            (d) =>
                project(
                    d,
                    "config:",
                    "  okta-aws:groups:",
                    "    default: [{ name: Admins, samlRoles: [Sales-EC2-Admins] }]",
                    "  aws:region: us-east-1",
                ),
            [
                'Pulumi.yaml: config.okta-aws:groups: {"default":[{"name":"Admins","samlRoles":["Sales-EC2-Admins"]}]} — is project-level configuration, which Pulumi applies to every stack whose file does not set the key (pkg/workspace/config.go `mergeConfig`); the offline preview and the access diff read each stack\'s configuration from its own file: set it in the stack files',
                'Pulumi.yaml: config.aws:region: "us-east-1" — is project-level configuration, which Pulumi applies to every stack whose file does not set the key (pkg/workspace/config.go `mergeConfig`); the offline preview and the access diff read each stack\'s configuration from its own file: set it in the stack files',
            ],
        ],
        [
            "another program as main, and another project name",
            (d) => fs.writeFileSync(path.join(d, "Pulumi.yaml"), "name: okta\nruntime: nodejs\nmain: tools/other.ts\n"),
            [
                "Pulumi.yaml: name: \"okta\" — must be okta-aws: Pulumi namespaces the stack files' bare keys with the project's name, and the program reads okta-aws:<key>",
                'Pulumi.yaml: main: "tools/other.ts" — makes Pulumi run tools/other.ts, but the offline preview and the access diff run index.ts: their plan would not be what deploys; remove main',
            ],
        ],
        [
            "stack files outside the project folder",
            (d) => project(d, "stackConfigDir: ../elsewhere"),
            [
                'Pulumi.yaml: stackConfigDir: "../elsewhere" — must be a folder inside the project folder: the stack files are part of the project\'s review',
            ],
        ],
        [
            "stack files that Pulumi does not read (stackConfigDir)",
            (d) => {
                project(d, "stackConfigDir: deploy");
                fs.mkdirSync(path.join(d, "deploy"));
                for (const stack of ["identity", "sales", "retail"]) {
                    fs.copyFileSync(path.join(d, `Pulumi.${stack}.yaml`), path.join(d, "deploy", `Pulumi.${stack}.yaml`));
                }
            },
            ["identity", "retail", "sales"].map(
                (stack) =>
                    `Pulumi.${stack}.yaml: (file): "deploy" — is not read by Pulumi, which reads the stack files of Pulumi.yaml's stackConfigDir (deploy/Pulumi.${stack}.yaml): delete it, or move it there`,
            ),
        ],
    ];
    for (const [what, edit, problems] of projectCases) {
        cases.push([`a project file with ${what}`, () => ["--out", out, "--config-dir", configFolder(edit)], invalid(...problems)]);
    }

    for (const [what, edit, problems] of yamlCases) {
        cases.push([`a stack file with ${what}`, () => ["--out", out, "--config-dir", configFolder(edit)], invalid(...problems)]);
    }

    for (const [what, argv, message] of cases) {
        it(`npm start: ${what}`, async () => {
            const args = argv();
            const expected = typeof message === "string" ? message : message(args);
            expect(await run(preview, args)).to.deep.equal({ code: 1, stderr: expected });
        });
    }

    it("npm start: a FIFO named like a stack file is refused without being opened, so nothing hangs", async () => {
        const dir = configFolder((d) => expect(spawnSync("mkfifo", [path.join(d, "Pulumi.pipe.yaml")]).status).to.equal(0));
        expect(await run(preview, ["--out", out, "--config-dir", dir])).to.deep.equal({
            code: 1,
            stderr: invalid(`Pulumi.pipe.yaml: (file): "${path.join(dir, "Pulumi.pipe.yaml")}" — is a FIFO (named pipe), not a stack file`),
        });
    });

    it("npm start: a FIFO named as a role's policy document file is refused without being opened", async () => {
        const dir = configFolder((d) => {
            fs.mkdirSync(path.join(d, "policies"));
            expect(spawnSync("mkfifo", [path.join(d, "policies", "pipe.json")]).status).to.equal(0);
            replaceIn(
                d,
                "retail",
                "      managedPolicies: [AmazonS3FullAccess]",
                "      managedPolicies: [AmazonS3FullAccess]\n      policies: [{ name: pipe-policy, file: policies/pipe.json }]",
            );
        });
        expect(await run(preview, ["--out", out, "--config-dir", dir])).to.deep.equal({
            code: 1,
            stderr: invalid(
                'Pulumi.retail.yaml: okta-aws:crossAccountRoles[1] (S3_Admins).policies[0] (pipe-policy).file: "policies/pipe.json" — is a FIFO (named pipe), not a policy file',
            ),
        });
    });

    it("npm start: a device named like a stack file is refused without being read", async function () {
        const dir = configFolder();
        const device = path.join(dir, "Pulumi.zero.yaml");
        // /dev/zero's numbers; making a device node takes root, which CI has.
        if (spawnSync("mknod", [device, "c", "1", "5"]).status !== 0) {
            this.skip();
        }
        expect(await run(preview, ["--out", out, "--config-dir", dir])).to.deep.equal({
            code: 1,
            stderr: invalid(`Pulumi.zero.yaml: (file): "${device}" — is a character device, not a stack file`),
        });
    });

    it("npm start: an existing.json that links out of its folder, or is not JSON, is refused without showing its text", async () => {
        const linked = configFolder((d) => fs.symlinkSync("/etc/passwd", path.join(d, "existing.json")));
        expect(await run(preview, ["--out", out, "--config-dir", linked])).to.deep.equal({
            code: 1,
            stderr: invalid(
                "existing.json: (file): (value not shown) — links to a file outside its folder; existing.json and the stack files are read from their own folder only",
            ),
        });
        const garbled = configFolder((d) => fs.writeFileSync(path.join(d, "existing.json"), "root:x:0:0:root:/root:/bin/bash\n"));
        expect(await run(preview, ["--out", out, "--config-dir", garbled])).to.deep.equal({
            code: 1,
            stderr: invalid("existing.json: (file): (value not shown) — is not valid JSON"),
        });
        const wrongShape = configFolder((d) => fs.writeFileSync(path.join(d, "existing.json"), '{ "aws": [] }'));
        expect(await run(preview, ["--out", out, "--config-dir", wrongShape])).to.deep.equal({
            code: 1,
            stderr: invalid(
                'existing.json: (file): (value not shown) — must be a JSON object { "aws": { <account id>: [objects] }, "okta": { <org host>: [objects] } } (tools/mock/existing.ts)',
            ),
        });
    });

    it("npm start: --out naming a file", async () => {
        const file = path.join(scratch, "file");
        fs.writeFileSync(file, "");
        expect(await run(preview, ["--out", file])).to.deep.equal({ code: 1, stderr: `--out: ${file}: is a file, not a directory` });
    });

    it("npm start: --out under /proc fails at once instead of spinning", async function () {
        if (!fs.existsSync("/proc/self")) {
            this.skip();
        }
        expect(await run(preview, ["--out", "/proc/okta-aws-test/out", "--no-verify"])).to.deep.equal({
            code: 1,
            stderr: "/proc/okta-aws-test/out: cannot create it: ENOENT: no such file or directory, mkdir '/proc/okta-aws-test'",
        });
    });

    it("npm run verify -- --config-dir=/x checks /x, not the shipped organisation", async () => {
        expect(await run(verify, ["--config-dir=/no/such/dir"])).to.deep.equal({
            code: 1,
            stderr: "--config-dir: /no/such/dir: does not exist",
        });
        expect(await run(verify, ["--config", "x"])).to.deep.equal({
            code: 1,
            stderr: "Unknown option '--config'\nusage: npm run verify -- [--config-dir DIR] [--verbose] [--progress]",
        });
    });

    it("npm run access-diff: --base missing or without a value, --out naming a file", async () => {
        const usage = "usage: npm run access-diff -- --base <git-ref> [--head <git-ref>] [--json] [--repo DIR] [--out DIR] [--progress]";
        expect(await run(accessDiff, ["--out", out])).to.deep.equal({ code: 1, stderr: `--base is required\n${usage}` });
        expect(await run(accessDiff, ["--out", out, "--base"])).to.deep.equal({
            code: 1,
            stderr: `Option '--base <value>' argument missing\n${usage}`,
        });
        const file = path.join(scratch, "file");
        fs.writeFileSync(file, "");
        expect(await run(accessDiff, ["--base=HEAD", `--out=${file}`])).to.deep.equal({
            code: 1,
            stderr: `--out: ${file}: is a file, not a directory`,
        });
    });

    it("npm run bench: a wrong --runs stops before timing anything, without a stack trace @slow", () => {
        const bench = spawnSync(process.execPath, ["-r", "sucrase/register/ts", "tools/commands/bench.ts", "--runs=0"], {
            cwd: projectRoot,
            encoding: "utf8",
        });
        expect([bench.status, bench.stderr]).to.deep.equal([
            1,
            '--runs: "0" is not a positive whole number of runs\nusage: npm run bench -- [--runs N] [--scale [--sizes S,M,L] [--mode samlUserRoles|groupMapping] [--direct-share SHARE]]\n',
        ]);
    });

    it("npm start as a process: a config error is the message alone, no stack trace @slow", () => {
        const dir = configFolder((d) => fs.appendFileSync(path.join(d, "Pulumi.sales.yaml"), "  aws:region: us-west-2\n"));
        const started = spawnSync(
            process.execPath,
            ["-r", "sucrase/register/ts", "tools/commands/preview.ts", "--config-dir", dir, "--out", out],
            {
                cwd: projectRoot,
                encoding: "utf8",
            },
        );
        expect([started.status, started.stderr]).to.deep.equal([
            1,
            `${invalid('Pulumi.sales.yaml: line 12: "  aws:region: us-west-2" — is not valid YAML: Map keys must be unique')}\n`,
        ]);
    });
});
