// The plan of another revision, built by trusted tools: the revision's files but its tools/ — its
// program (index.ts, components/, Pulumi.yaml, package.json, package-lock.json), its stack files
// wherever Pulumi.yaml puts them, and the policy documents they name — are taken, as regular files,
// into a scratch folder; its dependencies are this checkout's (or the repository's) node_modules
// when the lock file is the same, else `npm ci --ignore-scripts`. For the okta-aws project itself
// this checkout's plan builder and mock run it (./revisionWorker.ts); for a configuration
// repository (`okta-aws new`), the okta-aws package the BASE revision's lock file installs runs
// both sides. Either runs in a child process with an empty environment, so the revision's code
// sees no token. Its own tools/ never run. Everything is removed again however it ends, and on
// SIGINT/SIGTERM (removeRevisionScratch).
import { ChildProcess, execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { MockIdpKey } from "../mock/idp";
import { UsageError } from "../../components/errors";
import { projectFileName } from "../../components/stackFolder";
import { isData, stackFolderOfProject } from "./dataPaths";
import type { Plan } from "./model";

/** The checkout these tools belong to: its node_modules serve a revision with the same lock file. */
const toolsRoot = path.join(__dirname, "..", "..");

/** Whether the diff takes a file of a revision: everything but its tools and dependencies. */
function isTaken(file: string): boolean {
    return !["tools", "node_modules"].some((folder) => file === folder || file.startsWith(`${folder}/`));
}

function git(repo: string, args: string[], input?: Buffer): Buffer {
    return execFileSync("git", ["-C", repo, ...args], { input, stdio: ["pipe", "pipe", "pipe"], maxBuffer: 1 << 30 });
}

/** The commit a ref names, checked before anything is created or written. */
export function commitOf(repo: string, ref: string): string {
    try {
        return git(repo, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`])
            .toString()
            .trim();
    } catch {
        throw new UsageError(`access-diff: ${JSON.stringify(ref)} is not a commit of ${repo}`);
    }
}

/**
 * The changed paths that are code (every path no row of ./dataPaths.ts allows as data) between two
 * commits, or between a commit and the working tree; sorted. The stack folder is each revision's.
 */
export function codeChanges(repo: string, base: string, head: string | undefined): string[] {
    return changedPaths(repo, base, head).code;
}

/** The changed paths between two revisions, split into code and data (./dataPaths.ts); each sorted. */
function changedPaths(repo: string, base: string, head: string | undefined): { code: string[]; data: string[] } {
    const nulSeparated = (output: Buffer) => output.toString().split("\0").filter(Boolean);
    const changed = nulSeparated(git(repo, ["diff", "--name-only", "--no-renames", "-z", base, ...(head ? [head] : []), "--"]));
    const untracked = head ? [] : nulSeparated(git(repo, ["ls-files", "--others", "--exclude-standard", "-z"]));
    const projectFileAt = (commit: string | undefined): string | undefined => {
        if (commit === undefined) {
            const file = path.join(repo, projectFileName);
            return fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
        }
        try {
            return git(repo, ["show", `${commit}:${projectFileName}`]).toString();
        } catch {
            return undefined; // no Pulumi.yaml in that revision
        }
    };
    const stackFolders = [stackFolderOfProject(projectFileAt(base)), stackFolderOfProject(projectFileAt(head))];
    const paths = [...new Set([...changed, ...untracked])].sort();
    return { code: paths.filter((file) => !isData(file, stackFolders)), data: paths.filter((file) => isData(file, stackFolders)) };
}

/**
 * Lays the data files a revision changed since `base` over `dir`, a copy of `base`: the change's
 * configuration with the base's code, so the change's own code is never run (a pull request's
 * program could otherwise do anything the review job can, such as rewrite the comment after the
 * diff ends). Deleted files are removed; a changed path that is not a regular file is refused.
 */
function overlayData(repo: string, base: string, commit: string | undefined, label: string, dir: string): void {
    for (const file of changedPaths(repo, base, commit).data.filter(isTaken)) {
        const target = path.join(dir, file);
        let content: Buffer | undefined;
        if (commit === undefined) {
            const stat = fs.lstatSync(path.join(repo, file), { throwIfNoEntry: false });
            if (stat !== undefined && !stat.isFile()) {
                refuse("the working tree", file, stat.isSymbolicLink() ? "a symbolic link" : "not a regular file");
            }
            content = stat === undefined ? undefined : fs.readFileSync(path.join(repo, file));
        } else {
            const entry = git(repo, ["ls-tree", "-z", "--full-tree", commit, "--", file]).toString().split("\0")[0];
            if (entry) {
                const [mode, type] = entry.slice(0, entry.indexOf("\t")).split(" ");
                if (type !== "blob" || !/^100[0-7]{3}$/.test(mode)) {
                    refuse(label, file, mode === "120000" ? "a symbolic link" : `not a file (git mode ${mode})`);
                }
                content = git(repo, ["cat-file", "blob", `${commit}:${file}`]);
            }
        }
        if (content === undefined) {
            fs.rmSync(target, { force: true });
        } else {
            fs.mkdirSync(path.dirname(target), { recursive: true });
            fs.writeFileSync(target, content);
        }
    }
}

const refuse = (revision: string, file: string, what: string): never => {
    throw new UsageError(`access-diff: ${revision}: ${file} is ${what}; the diff reads a revision's files as regular files only`);
};

/** Writes the taken files of a commit into `dir`: blobs only (a symbolic link or submodule is refused). */
function extractCommit(repo: string, commit: string, label: string, dir: string): void {
    const entries = git(repo, ["ls-tree", "-r", "-z", "--full-tree", commit])
        .toString()
        .split("\0")
        .filter(Boolean)
        .map((line) => {
            const [meta, file] = [line.slice(0, line.indexOf("\t")), line.slice(line.indexOf("\t") + 1)];
            const [mode, type, object] = meta.split(" ");
            return { mode, type, object, file };
        })
        .filter((entry) => isTaken(entry.file));
    for (const entry of entries) {
        if (entry.type !== "blob" || !/^100[0-7]{3}$/.test(entry.mode)) {
            refuse(label, entry.file, entry.mode === "120000" ? "a symbolic link" : `not a file (git mode ${entry.mode})`);
        }
    }
    // One `git cat-file --batch` for every blob: `<object> blob <size>\n<content>\n` each.
    const batch = git(repo, ["cat-file", "--batch"], Buffer.from(entries.map((e) => `${e.object}\n`).join("")));
    let offset = 0;
    for (const entry of entries) {
        const headerEnd = batch.indexOf(0x0a, offset);
        const size = Number(batch.subarray(offset, headerEnd).toString().split(" ")[2]);
        const target = path.join(dir, entry.file);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, batch.subarray(headerEnd + 1, headerEnd + 1 + size));
        offset = headerEnd + 1 + size + 1;
    }
}

/**
 * Copies the taken files of the working tree into `dir`: those git tracks or would track (not what
 * .gitignore leaves out, such as out/), regular files only, as for a commit.
 */
function copyWorkingTree(repo: string, dir: string): void {
    const files = git(repo, ["ls-files", "-z", "--cached", "--others", "--exclude-standard"]).toString().split("\0").filter(Boolean);
    for (const file of [...new Set(files)].filter(isTaken)) {
        const source = path.join(repo, file);
        const stat = fs.lstatSync(source, { throwIfNoEntry: false });
        if (stat === undefined) {
            continue; // deleted in the working tree
        }
        if (!stat.isFile()) {
            refuse("the working tree", file, stat.isSymbolicLink() ? "a symbolic link" : "not a regular file");
        }
        fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        fs.copyFileSync(source, path.join(dir, file));
    }
}

/** Scratch folders and child processes of plans under way, for removeRevisionScratch. */
const scratchFolders = new Set<string>();
const children = new Set<ChildProcess>();

/**
 * Runs a command to its end. `env` is all it gets: the revision's code never sees this process's
 * environment (no token of the caller's reaches it).
 */
function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<void> {
    return new Promise((resolve, reject) => {
        const child = spawn(command, args, { cwd, env, stdio: ["ignore", "ignore", "pipe"] });
        children.add(child);
        let stderr = "";
        child.stderr.on("data", (chunk) => (stderr += chunk));
        child.on("error", (error) => reject(new UsageError(`${command}: ${error.message}`)));
        child.on("close", (code, signal) => {
            children.delete(child);
            if (code === 0) {
                resolve();
            } else {
                reject(new UsageError(stderr.trim() || `${path.basename(command)} ${args.join(" ")} ended (${signal ?? code})`));
            }
        });
    });
}

/**
 * Ends the plans under way and removes their scratch folders: what an interrupted access diff does
 * before it exits. Waits for the children to end, so nothing writes into a removed folder.
 */
export async function removeRevisionScratch(): Promise<void> {
    const ended = [...children].map(
        (child) =>
            new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once("close", resolve))),
    );
    for (const child of children) {
        child.kill("SIGTERM");
    }
    await Promise.all(ended);
    for (const dir of scratchFolders) {
        fs.rmSync(dir, { recursive: true, force: true });
    }
    scratchFolders.clear();
}

/** A revision taken into a scratch folder (`dir`, below `scratch`) with its dependencies installed. */
interface PreparedRevision {
    readonly label: string;
    readonly scratch: string;
    readonly dir: string;
}

/** A file of `root`, if it has one. */
function fileOf(root: string, name: string): Buffer | undefined {
    const file = path.join(root, name);
    return fs.existsSync(file) ? fs.readFileSync(file) : undefined;
}

/**
 * Takes a commit, or the working tree (`undefined`), into a scratch folder of its own and gives it
 * its dependencies: the node_modules of this checkout or of the repository's working tree when its
 * lock file is theirs, else its own lock file installed with `npm ci --ignore-scripts`.
 */
async function prepareRevision(repo: string, commit: string | undefined, codeOf?: string): Promise<PreparedRevision> {
    const label = commit === undefined ? "the working tree" : commit.slice(0, 12);
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-diff-"));
    scratchFolders.add(scratch);
    const revision = { label, scratch, dir: path.join(scratch, "revision") };
    try {
        await installRevision(repo, commit, revision, codeOf);
        return revision;
    } catch (error) {
        removeScratch(revision);
        throw error;
    }
}

async function installRevision(
    repo: string,
    commit: string | undefined,
    { label, dir }: PreparedRevision,
    codeOf: string | undefined,
): Promise<void> {
    fs.mkdirSync(dir);
    if (codeOf !== undefined) {
        extractCommit(repo, codeOf, label, dir);
        overlayData(repo, codeOf, commit, label, dir);
    } else if (commit === undefined) {
        copyWorkingTree(repo, dir);
    } else {
        extractCommit(repo, commit, label, dir);
    }
    const revisionLock = fileOf(dir, "package-lock.json");
    if (revisionLock === undefined) {
        throw new UsageError(
            `access-diff: ${label} has no package-lock.json: the diff installs each revision's dependencies from its lock file; commit the one \`npm install\` writes`,
        );
    }
    // This checkout (the okta-aws project's own revisions) or the repository's working tree (a
    // configuration repository with its okta-aws installed) serve a revision with the same lock file.
    const installed = [toolsRoot, repo].find(
        (root) => fileOf(root, "package-lock.json")?.equals(revisionLock) && fs.existsSync(path.join(root, "node_modules")),
    );
    if (installed !== undefined) {
        fs.symlinkSync(path.join(installed, "node_modules"), path.join(dir, "node_modules"), "dir");
    } else {
        // Another lock file: its own dependencies, with no install script (the program needs
        // none) and no token of the caller's.
        await run("npm", ["ci", "--ignore-scripts", "--no-audit", "--no-fund"], dir, {
            PATH: process.env.PATH,
            HOME: os.homedir(),
        }).catch((error: Error) => {
            throw new UsageError(`access-diff: npm ci --ignore-scripts of ${label} failed:\n${error.message}`);
        });
    }
}

/**
 * The plan builder (./revisionWorker) that builds the plans: this checkout's for a revision of the
 * okta-aws project itself (its package.json's name), else the one of the okta-aws package the
 * revision installed — the base revision's for both sides of a diff, so the tools that judge a
 * change are the reviewed ones, never the change's own.
 */
function revisionWorkerOf(revision: PreparedRevision): string {
    let name: unknown;
    try {
        name = (JSON.parse(fileOf(revision.dir, "package.json")?.toString() ?? "{}") as { name?: unknown }).name;
    } catch {
        name = undefined;
    }
    if (name === okta) {
        return path.join(__dirname, `revisionWorker${path.extname(__filename)}`);
    }
    let manifest: string;
    try {
        manifest = require.resolve(`${okta}/package.json`, { paths: [revision.dir] });
    } catch {
        throw new UsageError(
            `access-diff: ${revision.label} installs no ${okta} package: a configuration repository depends on it (package.json and its lock file, as \`${okta} new\` writes them), and the diff builds both revisions with the base revision's`,
        );
    }
    return path.join(path.dirname(manifest), "dist", "tools", "plan", "revisionWorker.js");
}

/** The npm package's name: a revision named so is the project itself, any other depends on it. */
const okta = "okta-aws";

/** The plan of a prepared revision, built by `worker` in a child process with an empty environment. */
async function planOfRevision(revision: PreparedRevision, idpKey: MockIdpKey, worker: string): Promise<Plan> {
    fs.writeFileSync(path.join(revision.dir, ".mock-idp-key.json"), JSON.stringify(idpKey), { mode: 0o600 });
    const planFile = path.join(revision.scratch, "plan.json");
    // The revision's program is TypeScript (index.ts); sucrase, a dependency of the worker's package, loads it.
    const sucrase = require.resolve("sucrase/register/ts", { paths: [path.dirname(worker)] });
    await run(process.execPath, ["-r", sucrase, worker, "--dir", revision.dir, "--out", planFile], revision.dir, {}).catch(
        (error: Error) => {
            throw new UsageError(`access-diff: the plan of ${revision.label} failed:\n${error.message}`);
        },
    );
    return JSON.parse(fs.readFileSync(planFile, "utf8")) as Plan;
}

function removeScratch(revision: PreparedRevision | undefined): void {
    if (revision !== undefined) {
        fs.rmSync(revision.scratch, { recursive: true, force: true });
        scratchFolders.delete(revision.scratch);
    }
}

/** The first failure of settled promises, thrown; else their values. */
function valuesOf<T>(settled: PromiseSettledResult<T>[]): T[] {
    const failed = settled.find((each): each is PromiseRejectedResult => each.status === "rejected");
    if (failed) {
        throw failed.reason;
    }
    return settled.map((each) => (each as PromiseFulfilledResult<T>).value);
}

/**
 * The offline plans of two revisions (commits, or `undefined` for the working tree) of the
 * repository at `repo`, each of its own program and stack files, both built by the base revision's
 * tools (revisionWorkerOf). `idpKey` (the mock IdP key) is shared so that plans of the same
 * configuration carry the same SAML metadata. Whatever happens, the scratch folders are gone when
 * this settles.
 */
export async function plansAt(repo: string, base: string, head: string | undefined, idpKey: MockIdpKey): Promise<[Plan, Plan]> {
    // A head that changes code is planned with the base's code and its own data: its code is never run.
    const headCode = codeChanges(repo, base, head).length > 0 ? base : undefined;
    const prepared = await Promise.allSettled([prepareRevision(repo, base), prepareRevision(repo, head, headCode)]);
    try {
        const [baseRevision, headRevision] = valuesOf(prepared);
        const worker = revisionWorkerOf(baseRevision);
        const [basePlan, headPlan] = valuesOf(
            await Promise.allSettled([planOfRevision(baseRevision, idpKey, worker), planOfRevision(headRevision, idpKey, worker)]),
        );
        return [basePlan, headPlan];
    } finally {
        prepared.forEach((each) => removeScratch(each.status === "fulfilled" ? each.value : undefined));
    }
}

/**
 * The offline plan of one commit, or of the working tree (`undefined`), built by its own tools
 * (revisionWorkerOf), as plansAt builds each side. Whatever happens, its scratch folder is gone when this settles.
 */
export async function planAt(repo: string, commit: string | undefined, idpKey: MockIdpKey): Promise<Plan> {
    let revision: PreparedRevision | undefined;
    try {
        revision = await prepareRevision(repo, commit);
        return await planOfRevision(revision, idpKey, revisionWorkerOf(revision));
    } finally {
        removeScratch(revision);
    }
}
