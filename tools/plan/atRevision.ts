// A plan of another revision: a git worktree of the commit, its dependencies (this checkout's
// node_modules when the lock file is the same, `npm ci` otherwise), its `npm start` into a scratch
// folder, and everything removed again however it ends.
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { MockIdpKey } from "../mock/idp";
import { UsageError } from "../shared/commandLine";
import type { Plan } from "./model";

function git(repo: string, ...args: string[]): string {
    return execFileSync("git", ["-C", repo, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

function run(command: string, args: string[], cwd: string): Promise<void> {
    return new Promise((resolve, reject) => {
        const child = spawn(command, args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
        let stderr = "";
        child.stderr.on("data", (chunk) => (stderr += chunk));
        child.on("close", (code) =>
            code === 0 ? resolve() : reject(new UsageError(`${command} ${args.join(" ")} in ${cwd} failed (${code}):\n${stderr.trim()}`)),
        );
    });
}

/** The commit a ref names, checked before anything is created or written. */
export function commitOf(repo: string, ref: string): string {
    try {
        return git(repo, "rev-parse", "--verify", "--quiet", `${ref}^{commit}`);
    } catch {
        throw new UsageError(`access-diff: ${JSON.stringify(ref)} is not a commit of ${repo}`);
    }
}

/**
 * The offline plan of a commit or of the working tree (`undefined`), built by that revision's own
 * program. A revision with the same package-lock.json borrows this checkout's node_modules;
 * another one gets `npm ci`. `idpKey` (the mock IdP key) is shared so that plans of the same
 * configuration carry the same SAML metadata. Whatever happens, the worktree and the scratch
 * folder are gone when this settles, and no process it started is left running.
 */
export async function planAt(repo: string, commit: string | undefined, idpKey: MockIdpKey): Promise<Plan> {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-diff-"));
    const outDir = path.join(scratch, "out");
    let dir = repo;
    try {
        fs.mkdirSync(outDir);
        fs.writeFileSync(path.join(outDir, ".mock-idp-key.json"), JSON.stringify(idpKey), { mode: 0o600 });
        if (commit !== undefined) {
            dir = path.join(scratch, "worktree");
            git(repo, "worktree", "add", "--detach", "--quiet", dir, commit);
            const lock = (root: string) =>
                fs.existsSync(path.join(root, "package-lock.json")) ? fs.readFileSync(path.join(root, "package-lock.json"), "utf8") : "";
            if (fs.existsSync(path.join(dir, "node_modules"))) {
                // Committed by mistake (a symlink); use it as it is.
            } else if (lock(dir) === lock(repo) && fs.existsSync(path.join(repo, "node_modules"))) {
                fs.symlinkSync(path.join(repo, "node_modules"), path.join(dir, "node_modules"), "dir");
            } else {
                await run("npm", ["ci", "--no-audit", "--no-fund"], dir);
            }
        }
        const scripts = (JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { scripts?: Record<string, string> })
            .scripts;
        if (!scripts?.start) {
            throw new UsageError(`${commit ?? "the working tree"} has no offline preview (npm start) to build a plan with`);
        }
        try {
            // The revision's own `npm start`, so it runs with the loader and flags it was written for.
            await run("npm", ["start", "--silent", "--", "--out", outDir, "--no-verify"], dir);
        } catch (error) {
            // A plan that breaks a policy is written, then reported with exit 1: still diff it.
            if (!fs.existsSync(path.join(outDir, "plan.json"))) {
                throw error;
            }
        }
        return JSON.parse(fs.readFileSync(path.join(outDir, "plan.json"), "utf8")) as Plan;
    } finally {
        if (dir !== repo) {
            try {
                git(repo, "worktree", "remove", "--force", dir);
            } catch {
                // Removed with the scratch folder below; prune forgets it in git.
            }
        }
        fs.rmSync(scratch, { recursive: true, force: true });
        if (dir !== repo) {
            git(repo, "worktree", "prune");
        }
    }
}
