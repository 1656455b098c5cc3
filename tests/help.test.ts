// `--help` and `-h` on every command: the usage line, what it does and every flag described, on
// stdout with exit 0, before any work.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import type { CommandMain } from "../tools/shared/commandLine";
import { main as cli } from "../tools/cli";
import { main as revisionWorker } from "../tools/plan/revisionWorker";
import { markdownCell } from "../tools/report/markdown";
import { main as rehearseAudit } from "./rehearseAudit";
import { captureCommand, projectRoot } from "./harness";

const commandsFolder = path.join(projectRoot, "tools", "commands");

/** Every command: each file of tools/commands/ (so a new one is covered), and the two helper entry points. */
const commands: [string, CommandMain][] = [
    ...fs
        .readdirSync(commandsFolder)
        .filter((file) => file.endsWith(".ts"))
        .sort()
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        .map((file): [string, CommandMain] => [file, (require(path.join(commandsFolder, file)) as { main: CommandMain }).main]),
    ["revisionWorker.ts", revisionWorker],
    ["rehearseAudit.ts", rehearseAudit],
];

describe("--help on every command", () => {
    it("npm start --help: the usage line, what it does and every flag", async () => {
        expect(await captureCommand(commands.find(([file]) => file === "preview.ts")![1], ["--help"])).to.deep.equal({
            code: 0,
            stdout: [
                "usage: npm start -- [--config-dir DIR] [--out DIR] [--no-verify] [--verbose] [--policy-pack-config FILE] [--progress]",
                "",
                "The offline preview of the whole organisation under Pulumi's mock runtime: what `pulumi preview` would create, who can reach what, the policy pack's verdicts and the verification of every sign-in. Nothing is sent to AWS or Okta. Exit 1 on bad configuration, a mandatory policy violation or a failed check.",
                "",
                "options:",
                "  --config-dir DIR           the folder of the Pulumi.<stack>.yaml files (default: this project's)",
                "  --out DIR                  where to write plan.json, access.md, verification.md, aws-config/ (default: out/)",
                "  --no-verify                skip the verification of every sign-in (and remove an earlier run's verification.md)",
                "  --verbose                  print every resource, policy verdict and check, not a summary",
                "  --policy-pack-config FILE  the policy pack's configuration (`pulumi preview --policy-pack-config`): a rule's enforcement level",
                "  --progress                 print progress on stderr even when it is not a terminal (on a terminal it always is)",
                "  -h, --help                 print this help and exit",
            ].join("\n"),
            stderr: "",
        });
    });

    for (const [file, main] of commands) {
        it(`${file}: -h and --help print the usage line and describe every flag it names`, async () => {
            // The usage line as a mistake prints it (the last line of an unknown flag's message).
            const mistake = await captureCommand(main, ["--no-such-flag"]);
            const usage = mistake.stderr.split("\n").at(-1)!;
            expect(usage).to.match(/^usage: /);
            for (const argv of [["--help"], ["-h"]]) {
                const { code, stdout, stderr } = await captureCommand(main, argv);
                expect({ code, stderr, first: stdout.split("\n")[0] }).to.deep.equal({ code: 0, stderr: "", first: usage });
                const described = stdout
                    .split("\n")
                    .filter((line) => line.startsWith("  -"))
                    .map((line) => line.trim().split(/\s+/)[0]);
                // The flags of this command, not of a command before it (`npm install --no-save … && npm run …`).
                const named = [
                    ...usage
                        .split("&&")
                        .at(-1)!
                        .matchAll(/--[a-z][a-z-]*/g),
                ].map(([flag]) => flag);
                expect(named.filter((flag) => !described.includes(flag))).to.deep.equal([]);
                expect(described.at(-1)).to.equal("-h,");
            }
        });
    }

    /** Each command of the package's bin: its file in tools/commands/ and the page of docs/ whose "## Options" describes its flags. */
    const commandPages: Record<string, { file: string; page: string }> = {
        new: { file: "new.ts", page: "package.md" },
        preview: { file: "preview.ts", page: "preview.md" },
        verify: { file: "verify.ts", page: "verification.md" },
        "access-diff": { file: "accessDiff.ts", page: "access-diff.md" },
        deploy: { file: "deploy.ts", page: "deploy.md" },
        audit: { file: "audit.ts", page: "audit.md" },
    };

    it("every command of okta-aws has a docs page whose Options table holds each flag of its --help, described as --help describes it", async () => {
        const help = (await captureCommand(cli, ["--help"])).stdout.split("\n");
        const listed = help.slice(help.indexOf("commands:") + 1).map((line) => line.trim().split(/\s+/)[0]);
        expect(listed).to.deep.equal(Object.keys(commandPages));
        for (const [command, { file, page }] of Object.entries(commandPages)) {
            const { stdout } = await captureCommand(commands.find(([name]) => name === file)![1], ["--help"]);
            const described = stdout
                .split("\n")
                .filter((line) => line.startsWith("  -"))
                .map((line) => /^ {2}(\S.*?) {2,}(\S.*)$/.exec(line)!.slice(1, 3).map(markdownCell));
            const text = fs.readFileSync(path.join(projectRoot, "docs", page), "utf8");
            const options = text.includes("\n## Options\n") ? text.split("\n## Options\n")[1].split("\n## ")[0] : "";
            const rows = options
                .split("\n")
                .filter((line) => line.startsWith("| "))
                .slice(2)
                .map((line) =>
                    line
                        .slice(1, -1)
                        .split(/(?<!\\)\|/)
                        .map((cell) => cell.trim()),
                );
            expect(rows, `docs/${page}, "## Options" (okta-aws ${command})`).to.deep.equal(described);
        }
    });
});
