// Issue 34: every usage line, hint and `FAILED:` next step names a command the user can type again:
// `okta-aws <command> …` from the installed package's bin, this repository's npm scripts in its
// checkout (tools/shared/invocation.ts). The package's own run is in tests/package.test.ts (@slow).
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { main as accessDiff } from "../tools/commands/accessDiff";
import { commandName, invocation, Subcommand, usageLine } from "../tools/shared/invocation";
import { ownPackage } from "../tools/shared/projectFolder";
import { captureCommand, projectRoot } from "./harness";

const subcommands: Subcommand[] = ["new", "preview", "verify", "access-diff", "deploy", "audit"];

/** The TypeScript files below `dir`, as paths relative to the project. */
function sourcesBelow(dir: string): string[] {
    return fs
        .readdirSync(path.join(projectRoot, dir), { recursive: true, encoding: "utf8" })
        .filter((file) => file.endsWith(".ts"))
        .map((file) => path.join(dir, file))
        .sort();
}

/**
 * Files that may spell a command: the helper itself; this repository's own tools, which the package
 * does not run (the benchmark, the docs generator); and the audit role's description, which is
 * deployed (AWS holds it; changing it updates every account's role) and no message of the tools.
 */
const notTheCommands = [
    path.join("tools", "shared", "invocation.ts"),
    path.join("tools", "commands", "bench.ts"),
    path.join("components", "auditRole.ts"),
];

describe("usage lines and hints name the command as it was typed (tools/shared/invocation.ts)", () => {
    it("the bin names okta-aws <command>; the checkout names the npm script that runs it, and okta-aws where none does", () => {
        expect(Object.fromEntries(subcommands.map((command) => [command, commandName(command, "bin")]))).to.deep.equal({
            new: "okta-aws new",
            preview: "okta-aws preview",
            verify: "okta-aws verify",
            "access-diff": "okta-aws access-diff",
            deploy: "okta-aws deploy",
            audit: "okta-aws audit",
        });
        expect(Object.fromEntries(subcommands.map((command) => [command, commandName(command, "npm scripts")]))).to.deep.equal({
            new: "okta-aws new",
            preview: "npm start",
            verify: "npm run verify",
            "access-diff": "npm run access-diff",
            deploy: "npm run deploy",
            audit: "npm run audit",
        });
        expect([usageLine("preview", "[--out DIR]", "npm scripts"), usageLine("preview", "[--out DIR]", "bin")]).to.deep.equal([
            "usage: npm start -- [--out DIR]",
            "usage: okta-aws preview [--out DIR]",
        ]);
        // Read from the scripts themselves: a script renamed is named so.
        expect(commandName("verify", "npm scripts", { check: "node -r sucrase/register/ts tools/cli.ts verify" })).to.equal(
            "npm run check",
        );
    });

    it("every npm script of this repository that runs a command is the one its checkout names", () => {
        const scripts = ownPackage.scripts ?? {};
        const running = Object.entries(scripts)
            .map(([script, text]) => [script, /tools\/cli\.ts ([a-z-]+)$/.exec(text.trim())?.[1]] as const)
            .filter((entry): entry is readonly [string, Subcommand] => entry[1] !== undefined);
        expect(running.map(([, command]) => [command, commandName(command, "npm scripts")])).to.deep.equal(
            running.map(([script, command]) => [command, script === "start" ? "npm start" : `npm run ${script}`]),
        );
        expect(invocation).to.equal("npm scripts");
    });

    it("in this checkout a command's usage line names its npm script (access-diff without --base)", async () => {
        expect(await captureCommand(accessDiff, ["--repo", projectRoot])).to.deep.equal({
            code: 1,
            stdout: "",
            stderr: "--base is required\nusage: npm run access-diff -- --base <git-ref> [--head <git-ref>] [--json] [--repo DIR] [--out DIR] [--progress]",
        });
    });

    it("no tool spells a command's npm script or bin itself: each goes through the helper", () => {
        const spelled = /\bnpm (start|run (verify|access-diff|deploy|audit))\b|\bokta-aws (new|preview|verify|access-diff|deploy|audit) \[/;
        const offenders = [...sourcesBelow("tools"), ...sourcesBelow("components")]
            .filter((file) => !notTheCommands.includes(file) && !file.startsWith(path.join("tools", "bench")))
            .flatMap((file) =>
                fs
                    .readFileSync(path.join(projectRoot, file), "utf8")
                    .split("\n")
                    .map((line, index) => ({ file, line: index + 1, text: line.trim() }))
                    // Comments and JSDoc speak of this repository's scripts; only strings reach a user.
                    .filter(({ text }) => !/^(\/\/|\/\*\*|\*)/.test(text) && spelled.test(text)),
            );
        expect(offenders).to.deep.equal([]);
    });
});
