// How a user types a command, so that every usage line, hint and `FAILED:` next step names one
// they can type again: `okta-aws <command> …` through the installed package's bin (a configuration
// repository's `npx okta-aws preview`), or this repository's npm scripts (`npm start -- …`,
// `npm run access-diff -- …`), the way its checkout runs the tools from their TypeScript source.
import { inCheckout, ownPackage } from "./projectFolder";

/** The package's bin, or the npm scripts of this repository's checkout. */
export type Invocation = "bin" | "npm scripts";

/** The subcommands of `okta-aws` (tools/cli.ts) that the usage lines and hints name. */
export type Subcommand = "new" | "preview" | "verify" | "access-diff" | "deploy" | "audit";

/** How these tools are run: the checkout has the npm scripts, the installed package only its bin. */
export const invocation: Invocation = inCheckout ? "npm scripts" : "bin";

/**
 * The npm script of `scripts` that runs `command` (`"start": "node … tools/cli.ts preview"`), as
 * npm is told to run it: `npm start` for start, `npm run <script>` for the others; undefined when
 * no script runs it.
 */
function npmScriptOf(command: Subcommand, scripts: Record<string, string>): string | undefined {
    const script = Object.keys(scripts)
        .sort()
        .find((name) => scripts[name].trim().split(/\s+/).slice(-2).join(" ") === `tools/cli.ts ${command}`);
    return script === undefined ? undefined : script === "start" ? "npm start" : `npm run ${script}`;
}

/** The command as typed, without its flags: `okta-aws preview`, or `npm start` in the checkout. */
export function commandName(command: Subcommand, how: Invocation = invocation, scripts = ownPackage.scripts ?? {}): string {
    return (how === "npm scripts" ? npmScriptOf(command, scripts) : undefined) ?? `okta-aws ${command}`;
}

/** What comes before the command's flags: `okta-aws preview`, or `npm start --` (npm passes what follows `--` on). */
function commandLine(command: Subcommand, how: Invocation = invocation, scripts = ownPackage.scripts ?? {}): string {
    const name = commandName(command, how, scripts);
    return name.startsWith("npm ") ? `${name} --` : name;
}

/** A command's usage line: `usage: okta-aws preview [--config-dir DIR] …`. */
export function usageLine(command: Subcommand, flags: string, how: Invocation = invocation): string {
    return `usage: ${commandLine(command, how)} ${flags}`;
}
