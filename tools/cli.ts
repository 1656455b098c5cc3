// What every command shares at its edge: flags parsed with node:util's parseArgs (both
// `--flag value` and `--flag=value`, unknown flags rejected), the folders they name checked before
// anything runs, output folders created without Node's recursive mkdir, and every failure printed
// as one clean line, never a stack trace.
import * as fs from "fs";
import * as path from "path";
import { parseArgs, ParseArgsConfig } from "node:util";
import { ConfigError } from "../components/config";

/** A command-line or file-system mistake: printed as it is, without a stack trace. */
export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig["options"]>;

/** The flags of `argv`, or a UsageError naming the mistake and the usage line. */
export function parseFlags<T extends Options>(argv: string[], options: T, usage: string) {
    try {
        return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
    } catch (error) {
        throw new UsageError(`${(error as Error).message}\n${usage}`);
    }
}

function describe(error: unknown): string {
    const code = (error as NodeJS.ErrnoException).code;
    return code === "ENOENT" ? "does not exist" : code ? `cannot be used (${code})` : String(error);
}

/** An existing directory given by `flag`, resolved; a UsageError otherwise. */
export function existingDirectory(flag: string, value: string): string {
    const dir = path.resolve(value);
    let stat: fs.Stats;
    try {
        stat = fs.statSync(dir);
    } catch (error) {
        throw new UsageError(`${flag}: ${dir}: ${describe(error)}`);
    }
    if (!stat.isDirectory()) {
        throw new UsageError(`${flag}: ${dir}: is not a directory`);
    }
    return dir;
}

/**
 * An output directory given by `flag`: resolved and, when it exists, a directory. Checked before
 * any work so that a wrong --out fails at once; created only when there is something to write.
 */
export function outputDirectory(flag: string, value: string): string {
    const dir = path.resolve(value);
    if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) {
        throw new UsageError(`${flag}: ${dir}: is a file, not a directory`);
    }
    return dir;
}

/**
 * `mkdir -p`, one level at a time. Node's own `{ recursive: true }` never returns for a path under
 * /proc: procfs answers ENOENT for a child it cannot hold, which Node reads as "parent missing",
 * creates the (existing) parent and retries forever. Here the first failure is final.
 */
export function makeDirectory(dir: string): void {
    const missing: string[] = [];
    let existing = path.resolve(dir);
    while (!fs.existsSync(existing) && path.dirname(existing) !== existing) {
        missing.unshift(existing);
        existing = path.dirname(existing);
    }
    try {
        if (!fs.statSync(existing).isDirectory()) {
            throw new UsageError(`${dir}: ${existing} is not a directory`);
        }
        for (const each of missing) {
            fs.mkdirSync(each);
        }
    } catch (error) {
        throw error instanceof UsageError ? error : new UsageError(`${dir}: cannot create it: ${(error as Error).message}`);
    }
}

/** Writes a file whole or not at all, creating its folder; failures as one clean line. */
export function writeAtomically(file: string, content: string, mode?: number): void {
    makeDirectory(path.dirname(file));
    const temporary = `${file}.${process.pid}.tmp`;
    try {
        fs.writeFileSync(temporary, content, { mode });
        fs.renameSync(temporary, file);
    } catch (error) {
        fs.rmSync(temporary, { force: true });
        throw new UsageError(`${file}: cannot write it: ${(error as Error).message}`);
    }
}

/** What a command prints when it fails: the message of an expected failure, one line otherwise. */
export function failureMessage(error: unknown): string {
    if (error instanceof ConfigError || error instanceof UsageError) {
        return error.message;
    }
    return `error: ${error instanceof Error ? error.message : String(error)}`;
}

/** Runs a command's main and exits with its code; nothing it throws escapes as a stack trace. */
export function runCommand(main: (argv: string[]) => Promise<number>): void {
    void main(process.argv.slice(2))
        .catch((error: unknown) => {
            console.error(failureMessage(error));
            return 1;
        })
        .then((code) => process.exit(code));
}
