// The one entry contract of every command: `main(argv): Promise<number>` that throws on failure,
// flags parsed with node:util's parseArgs (both `--flag value` and `--flag=value`, unknown flags
// rejected), `--help`/`-h` on every command with every flag described, run by runCommand only
// behind `require.main === module`, and every failure printed as one clean line, never a stack trace.
import * as os from "os";
import { parseArgs } from "node:util";
import { failureExitCode, failureMessage, HelpRequested, UsageError } from "../../components/errors";

/** A command's flag: what parseArgs needs, and what `--help` says of it (every flag has a description). */
type Flag = ({ type: "string"; /** The value's placeholder in the help, e.g. `DIR`. */ value: string } | { type: "boolean" }) & {
    description: string;
};

/** `--config-dir`, as every command that reads an organisation's stack files takes it. */
export const configDirFlag = {
    type: "string",
    value: "DIR",
    description: "the folder of the Pulumi.<stack>.yaml files (default: this project's)",
} as const satisfies Flag;

/** What `--help` prints: the usage line, what the command does, and every flag with its description. */
function helpText(flags: Record<string, Flag>, usage: string, summary: string): string {
    const rows: [string, string][] = [
        ...Object.entries(flags).map(([name, flag]): [string, string] => [
            flag.type === "string" ? `--${name} ${flag.value}` : `--${name}`,
            flag.description,
        ]),
        ["-h, --help", "print this help and exit"],
    ];
    const width = Math.max(...rows.map(([left]) => left.length));
    return [usage, "", summary, "", "options:", ...rows.map(([left, right]) => `  ${left.padEnd(width)}  ${right}`)].join("\n");
}

/**
 * The flags of `argv`, or a UsageError naming the mistake and the usage line; `--help`/`-h`
 * stops the command with its help (HelpRequested: printed on stdout, exit 0).
 */
export function parseFlags<T extends Record<string, Flag>>(argv: string[], flags: T, usage: string, summary: string) {
    const options = Object.fromEntries(Object.entries(flags).map(([name, flag]) => [name, { type: flag.type }])) as {
        [K in keyof T]: { type: T[K]["type"] };
    };
    let values: Record<string, string | boolean | undefined>;
    try {
        values = parseArgs({
            args: argv,
            options: { ...options, help: { type: "boolean", short: "h" } },
            strict: true,
            allowPositionals: false,
        }).values;
    } catch (error) {
        throw new UsageError(`${(error as Error).message}\n${usage}`);
    }
    if (values.help) {
        throw new HelpRequested(helpText(flags, usage, summary));
    }
    return values as { [K in keyof T]?: T[K]["type"] extends "string" ? string : boolean };
}

/** A command's entry point: parses `argv`, does its work, and returns the exit code; throws on failure. */
export type CommandMain = (argv: string[]) => Promise<number>;

/** Runs a command's main to its exit code: what it throws is printed as one line (components/errors.ts), with its exit code. */
export async function exitCodeOf(main: CommandMain, argv: string[]): Promise<number> {
    try {
        return await main(argv);
    } catch (error) {
        if (error instanceof HelpRequested) {
            console.log(error.message);
            return 0;
        }
        console.error(failureMessage(error));
        return failureExitCode(error);
    }
}

/** Runs a command's main on this process's arguments and exits with its code. */
export function runCommand(main: CommandMain): void {
    void exitCodeOf(main, process.argv.slice(2)).then((code) => process.exit(code));
}

/**
 * Runs `work`; if SIGINT or SIGTERM arrives meanwhile, runs `cleanUp`, prints one line and ends the
 * process with the signal's conventional code (128 + its number), as the default action would, but
 * with nothing left behind. A second signal during the clean-up ends the process at once.
 */
export async function cleanUpOnSignal<T>(command: string, cleanUp: () => Promise<void>, work: () => Promise<T>): Promise<T> {
    const onSignal = (signal: NodeJS.Signals) => {
        void cleanUp()
            .catch((error: unknown) => console.error(failureMessage(error)))
            .finally(() => {
                console.error(`${command}: interrupted (${signal}); its temporary folders are removed`);
                process.exit(128 + os.constants.signals[signal]);
            });
    };
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    try {
        return await work();
    } finally {
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
    }
}
