// Every expected failure, in one place, and the one handler that turns a failure into the line a
// command prints and its exit code (changesets `packages/errors`). Bad configuration is ConfigError
// (./config/problems.ts); what the program and the tools read from files, the command line and the
// live organisation fails with the types below. A command's main throws them; runCommand prints.
import { ConfigError } from "./config/problems";

/** A command-line or file-system mistake: printed as it is, without a stack trace. */
export class UsageError extends Error {}

/** `--help` or `-h` on a command line: not a failure; the command prints the help (the message) and exits 0. */
export class HelpRequested extends Error {}

/** A file that is not a regular file: what it is instead. */
export class NotRegularFile extends Error {
    constructor(readonly kind: string) {
        super(`is ${kind}`);
    }
}

/** Why a file is not read: where in it (`(file)`, `line 3 column 7`), the value to show, and the reason. */
export class UnreadableFile extends Error {
    constructor(readonly problems: { where: string; value: unknown; reason: string }[]) {
        super(problems.map((each) => each.reason).join("; "));
    }
}

/**
 * The one failure the audit's readers throw: the live organisation could not be read (unreachable,
 * no or refused credentials, an answer it cannot use). Printed as one line.
 */
export class LiveReadError extends Error {
    constructor(
        message: string,
        /** The HTTP status of the answer that could not be used, when there was one. */
        readonly status?: number,
    ) {
        super(message);
    }
}

/** A failure of a command whose exit code on failure is not 1 (the audit's 2): the cause and that code. */
class CommandFailure extends Error {
    constructor(
        readonly failure: unknown,
        readonly exitCode: number,
    ) {
        super(failureMessage(failure));
    }
}

/** Runs a command's work; whatever it throws is thrown on with `exitCode` as the command's exit code. */
export async function failingWith<T>(exitCode: number, work: () => Promise<T>): Promise<T> {
    try {
        return await work();
    } catch (error) {
        if (error instanceof HelpRequested) {
            throw error;
        }
        throw new CommandFailure(error, exitCode);
    }
}

/** What a command prints when it fails: the message of an expected failure, one line otherwise. */
export function failureMessage(error: unknown): string {
    if (error instanceof CommandFailure) {
        return failureMessage(error.failure);
    }
    if (error instanceof ConfigError || error instanceof UsageError || error instanceof LiveReadError) {
        return error.message;
    }
    // A file's problems are turned into ConfigError or UsageError where the file is named; one that
    // escapes, or an unexpected error, is one line.
    return `error: ${error instanceof Error ? error.message : String(error)}`;
}

/** The exit code of a failed command: its own (failingWith), else 1. */
export function failureExitCode(error: unknown): number {
    return error instanceof CommandFailure ? error.exitCode : 1;
}
