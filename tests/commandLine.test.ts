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

const previewUsage = "usage: npm start -- [--config-dir DIR] [--out DIR] [--no-verify] [--verbose] [--policy-pack-config FILE]";
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

    for (const [what, argv, message] of cases) {
        it(`npm start: ${what}`, async () => {
            const args = argv();
            const expected = typeof message === "string" ? message : message(args);
            expect(await run(preview, args)).to.deep.equal({ code: 1, stderr: expected });
        });
    }

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
            stderr: "Unknown option '--config'\nusage: npm run verify -- [--config-dir DIR] [--verbose]",
        });
    });

    it("npm run access-diff: --base missing or without a value, --out naming a file", async () => {
        const usage = "usage: npm run access-diff -- --base <git-ref> [--head <git-ref>] [--json] [--repo DIR] [--out DIR]";
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

    it("npm run bench: a wrong --runs stops before timing anything, without a stack trace", () => {
        const bench = spawnSync(process.execPath, ["-r", "sucrase/register/ts", "tools/commands/bench.ts", "--runs=0"], {
            cwd: projectRoot,
            encoding: "utf8",
        });
        expect([bench.status, bench.stderr]).to.deep.equal([
            1,
            '--runs: "0" is not a positive whole number of runs\nusage: npm run bench -- [--runs N] [--scale [--sizes S,M,L] [--mode samlUserRoles|groupMapping]]\n',
        ]);
    });

    it("npm start as a process: a config error is the message alone, no stack trace", () => {
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
