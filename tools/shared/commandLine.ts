// The one entry contract of every command: `main(argv): Promise<number>` that throws on failure,
// flags parsed with node:util's parseArgs (both `--flag value` and `--flag=value`, unknown flags
// rejected), run by runCommand only behind `require.main === module`, and every failure printed
// as one clean line, never a stack trace.
import * as os from "os";
import { parseArgs, ParseArgsConfig } from "node:util";
import { failureExitCode, failureMessage, UsageError } from "../../components/errors";

type Options = NonNullable<ParseArgsConfig["options"]>;

/** The flags of `argv`, or a UsageError naming the mistake and the usage line. */
export function parseFlags<T extends Options>(argv: string[], options: T, usage: string) {
    try {
        return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
    } catch (error) {
        throw new UsageError(`${(error as Error).message}\n${usage}`);
    }
}

/** A command's entry point: parses `argv`, does its work, and returns the exit code; throws on failure. */
export type CommandMain = (argv: string[]) => Promise<number>;

/** Runs a command's main to its exit code: what it throws is printed as one line (components/errors.ts), with its exit code. */
export async function exitCodeOf(main: CommandMain, argv: string[]): Promise<number> {
    try {
        return await main(argv);
    } catch (error) {
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
