// The file system as every command touches it: folders named on the command line checked before
// anything runs, folders created without Node's recursive mkdir, files that appear whole or not at
// all, and folders of generated files replaced whole. Failures are UsageErrors (one clean line).
import * as fs from "fs";
import * as path from "path";
import { notShown } from "../../components/config";
import { TextSyntax } from "../../components/plainText";
import { NotRegularFile, UnreadableFile, UsageError } from "../../components/errors";
import { readRegularFileText, RefusedText } from "../../components/regularFile";

function describe(error: unknown): string {
    const code = (error as NodeJS.ErrnoException).code;
    return code === "ENOENT" ? "does not exist" : code ? `cannot be used (${code})` : String(error);
}

/**
 * The folder the user typed the command in. npm runs a package's script in the package's folder
 * and passes the folder it was started from as INIT_CWD (https://docs.npmjs.com/cli/v10/using-npm/scripts#current-lifecycle-event),
 * so `npm --prefix <project> start -- --config-dir .` means the shell's folder, not the project.
 * INIT_CWD counts only while this process runs in the folder of the package npm started
 * (npm_package_json): a child started elsewhere inherits it without meaning it.
 */
export function shellFolder(environment: NodeJS.ProcessEnv = process.env): string {
    const { INIT_CWD, npm_package_json } = environment;
    return INIT_CWD && npm_package_json && path.dirname(npm_package_json) === process.cwd() ? INIT_CWD : process.cwd();
}

/** A path given on the command line, resolved against the shell's folder (shellFolder). */
export const fromShell = (value: string): string => path.resolve(shellFolder(), value);

/** A path as the shell's folder sees it, for what a command prints (`.` for the folder itself). */
export const shownFromShell = (file: string): string => path.relative(shellFolder(), file) || ".";

/** An existing directory given by `flag`, resolved against the shell's folder; a UsageError otherwise. */
export function existingDirectory(flag: string, value: string): string {
    const dir = fromShell(value);
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
 * An output directory given by `flag`: resolved against the shell's folder and, when it exists, a directory. Checked before
 * any work so that a wrong --out fails at once; created only when there is something to write.
 */
export function outputDirectory(flag: string, value: string): string {
    const dir = fromShell(value);
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

/** A file written line by line that appears, whole, only when committed; discarded otherwise. */
export class StreamedFile {
    private readonly temporary: string;
    private readonly fd: number;

    constructor(readonly file: string) {
        makeDirectory(path.dirname(file));
        this.temporary = `${file}.${process.pid}.tmp`;
        this.fd = fs.openSync(this.temporary, "w");
    }

    write(line: string): void {
        fs.writeSync(this.fd, `${line}\n`);
    }

    commit(): void {
        fs.closeSync(this.fd);
        fs.renameSync(this.temporary, this.file);
    }

    /** Removes the unfinished file (a run that failed halfway leaves no `.tmp` behind). */
    discard(): void {
        fs.closeSync(this.fd);
        fs.rmSync(this.temporary, { force: true });
    }
}

/** The lock file of a folder a run writes into. */
export const lockFileName = ".okta-aws.lock";

/** Whether process `pid` is running (signal 0 checks without signalling; EPERM: running as another user). */
function isRunning(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (error) {
        return (error as NodeJS.ErrnoException).code === "EPERM";
    }
}

const releaseSignals = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/**
 * Takes `dir` for this run: a lock file created only if none exists (O_EXCL) holding this
 * process's id, so a second run into the same folder stops with "another run is writing DIR"
 * instead of racing it (files renamed over each other, ENOTEMPTY). A lock whose process has
 * ended is taken over. The lock goes on release, at exit and on SIGINT, SIGTERM and SIGHUP;
 * `dir` is created if missing and removed again on release if nothing else was written into it.
 */
export function lockDirectory(dir: string): () => void {
    const created = !fs.existsSync(dir);
    makeDirectory(dir);
    const lock = path.join(dir, lockFileName);
    const take = (): boolean => {
        try {
            fs.writeFileSync(lock, `${process.pid}\n`, { flag: "wx" });
            return true;
        } catch (error) {
            if ((error as NodeJS.ErrnoException).code === "EEXIST") {
                return false;
            }
            throw new UsageError(`${dir}: cannot lock it: ${(error as Error).message}`);
        }
    };
    const holder = (): number => Number(fs.readFileSync(lock, { encoding: "utf8", flag: "r" }).trim());
    const busy = (pid: number) => new UsageError(`another run is writing ${dir} (process ${pid}); wait for it to end`);
    if (!take()) {
        const pid = holder();
        if (Number.isInteger(pid) && pid > 0 && isRunning(pid)) {
            throw busy(pid);
        }
        fs.rmSync(lock, { force: true }); // its process has ended: take it over
        if (!take()) {
            throw busy(holder());
        }
    }
    let released = false;
    const release = () => {
        if (released) {
            return;
        }
        released = true;
        process.removeListener("exit", release);
        releaseSignals.forEach((signal) => process.removeListener(signal, onSignal));
        try {
            if (holder() === process.pid) {
                fs.rmSync(lock, { force: true });
            }
        } catch {
            // removed already
        }
        if (created && fs.readdirSync(dir).length === 0) {
            fs.rmdirSync(dir);
        }
    };
    const onSignal = (signal: NodeJS.Signals) => {
        release();
        // With the lock gone, the signal does what it would have done: end the process.
        process.kill(process.pid, signal);
    };
    process.once("exit", release);
    releaseSignals.forEach((signal) => process.once(signal, onSignal));
    return release;
}

/**
 * Replaces a directory of files whole: the new files are written beside it and swapped in, so a
 * person removed from the organisation loses their file and a failed run leaves the old set.
 * A file whose text has not changed since the last run is hard-linked from the old set instead
 * of written again: linking is far cheaper than creating a file, and at thousands of people
 * creating files is most of a re-run's writing.
 */
export function replaceDirectory(dir: string, files: Map<string, string>): void {
    const fresh = `${dir}.${process.pid}.tmp`;
    const stale = `${dir}.${process.pid}.old`;
    fs.rmSync(fresh, { recursive: true, force: true });
    makeDirectory(fresh);
    for (const [name, content] of files) {
        if (!linkUnchanged(path.join(dir, name), content, path.join(fresh, name))) {
            fs.writeFileSync(path.join(fresh, name), content);
        }
    }
    if (fs.existsSync(dir)) {
        fs.renameSync(dir, stale);
    }
    fs.renameSync(fresh, dir);
    fs.rmSync(stale, { recursive: true, force: true });
}

/**
 * The text of `file`, a regular file of its own folder (a link may point within the folder only,
 * or an error message could print another file's lines; a FIFO or device is refused unopened,
 * components/regularFile.ts) holding only characters every reader reads alike
 * (components/plainText.ts). Throws UnreadableFile; `what` names the file in the reasons
 * ("stack file", "stack files") and its syntax.
 */
export function readRegularFile(file: string, what: { one: string; many: string; syntax: TextSyntax }): string {
    const whole = (value: unknown, reason: string) => new UnreadableFile([{ where: "(file)", value, reason }]);
    let real: string;
    try {
        real = fs.realpathSync(file);
        if (path.dirname(real) !== fs.realpathSync(path.dirname(path.resolve(file)))) {
            throw whole(notShown, `links to a file outside its folder; ${what.many} are read from their own folder only`);
        }
        return readRegularFileText(real, what.syntax);
    } catch (error) {
        if (error instanceof UnreadableFile) {
            throw error;
        }
        if (error instanceof NotRegularFile) {
            throw whole(file, `is ${error.kind}, not a ${what.one}`);
        }
        if (error instanceof RefusedText) {
            throw new UnreadableFile(
                error.refused.map(({ line, column, excerpt, reason }) => ({
                    where: `line ${line} column ${column}`,
                    value: excerpt,
                    reason,
                })),
            );
        }
        throw whole(file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
}

/** Links `previous` as `target` if it holds exactly `content`; false if it does not, or cannot be linked. */
function linkUnchanged(previous: string, content: string, target: string): boolean {
    try {
        if (fs.readFileSync(previous, "utf8") !== content) {
            return false;
        }
        fs.linkSync(previous, target);
        return true;
    } catch {
        return false; // not there yet, or a file system without hard links: written instead
    }
}

/**
 * A file name that stays in its folder whatever the name it stands for: `/`, `\\`, control and
 * other unusual characters and a leading dot are percent-encoded (logins are validated too; this
 * does not rely on it).
 */
export function fileNameOf(name: string): string {
    const encoded = name.replace(/[^\w@.+=,-]|^\./gu, (c) =>
        [...Buffer.from(c)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`).join(""),
    );
    return encoded || "%";
}
