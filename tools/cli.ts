#!/usr/bin/env node
// `okta-aws <command> [flags]`: the package's one command (package.json `bin`). Each subcommand is a
// command's `main(argv)` of tools/commands/, loaded only when named; this repository's npm scripts
// call the same entry points. `okta-aws --help` lists them; `okta-aws <command> --help` describes
// every flag of one.
import "./shared/lazySdkDependencies";
import { UsageError } from "../components/errors";
import { CommandMain, runCommand } from "./shared/commandLine";
import type { Subcommand } from "./shared/invocation";

/** The subcommands: what each does, and its module (loaded on use, so one command never loads another's code). */
const subcommands: Record<Subcommand, { summary: string; load: () => Promise<{ main: CommandMain }> }> = {
    new: { summary: "write a configuration repository of your own organisation", load: () => import("./commands/new") },
    preview: {
        summary: "the offline preview: what would deploy, who can reach what, policy pack, verification",
        load: () => import("./commands/preview"),
    },
    verify: { summary: "replay every sign-in of the offline plan with independent judges", load: () => import("./commands/verify") },
    "access-diff": { summary: "what a change between two revisions does to access", load: () => import("./commands/accessDiff") },
    deploy: {
        summary: "pulumi up of every member stack, then of the identity stack (--dry-run prints the commands)",
        load: () => import("./commands/deploy"),
    },
    audit: { summary: "read the live organisation read-only and compare it with the code", load: () => import("./commands/audit") },
};

const usage = `usage: okta-aws <${Object.keys(subcommands).join("|")}> [flags]  (okta-aws <command> --help describes its flags)`;

/** The help of `okta-aws` itself: the usage line and every subcommand. */
function helpText(): string {
    const width = Math.max(...Object.keys(subcommands).map((name) => name.length));
    return [
        usage,
        "",
        "Okta → AWS SAML federation as a Pulumi program, with its offline review tools.",
        "",
        "commands:",
        ...Object.entries(subcommands).map(([name, { summary }]) => `  ${name.padEnd(width)}  ${summary}`),
    ].join("\n");
}

/** Runs the subcommand `argv[0]` with the rest of `argv`. */
export async function main(argv: string[]): Promise<number> {
    const [name, ...rest] = argv;
    if (name === "--help" || name === "-h") {
        console.log(helpText());
        return 0;
    }
    const subcommand = name === undefined ? undefined : Object.hasOwn(subcommands, name) ? subcommands[name as Subcommand] : undefined;
    if (subcommand === undefined) {
        throw new UsageError(`${name === undefined ? "a command is required" : `unknown command ${JSON.stringify(name)}`}\n${usage}`);
    }
    return (await subcommand.load()).main(rest);
}

if (require.main === module) {
    runCommand(main);
}
