// The access diff of a configuration repository (`okta-aws new`): both revisions are built by the
// okta-aws package the BASE revision installs; a revision with no lock file, and one whose lock
// file installs no okta-aws package, are refused with one line that says what to do, never npm's
// usage text.
import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { mockIdpKey } from "../tools/mock/idp";
import { commitOf, planAt, plansAt } from "../tools/plan/atRevision";
import { projectRoot } from "./harness";

describe("access diff of a configuration repository: what it needs of a revision", () => {
    let repo: string;
    const git = (...args: string[]) => execFileSync("git", ["-C", repo, "-c", "user.name=t", "-c", "user.email=t@example.com", ...args]);
    beforeEach(() => {
        repo = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-config-repo-"));
        git("init", "--quiet");
        for (const stack of ["identity", "sales", "retail"]) {
            fs.copyFileSync(path.join(projectRoot, `Pulumi.${stack}.yaml`), path.join(repo, `Pulumi.${stack}.yaml`));
        }
        fs.writeFileSync(path.join(repo, "package.json"), `${JSON.stringify({ name: "acme-aws", private: true })}\n`);
    });
    afterEach(() => fs.rmSync(repo, { recursive: true, force: true }));

    const planOfHead = async () => {
        git("add", "-A");
        git("commit", "--quiet", "-m", "stack files");
        const commit = commitOf(repo, "HEAD");
        return {
            commit,
            error: await planAt(repo, commit, mockIdpKey()).then(
                () => undefined,
                (error: Error) => error.message,
            ),
        };
    };

    it("a revision with no package-lock.json: commit the lock file, not npm ci's usage text", async () => {
        const { commit, error } = await planOfHead();
        expect(error).to.equal(
            `access-diff: ${commit.slice(0, 12)} has no package-lock.json: the diff installs each revision's dependencies from its lock file; commit the one \`npm install\` writes`,
        );
    });

    it("a revision whose dependencies hold no okta-aws package: no tools to build it with", async () => {
        fs.writeFileSync(
            path.join(repo, "package-lock.json"),
            `${JSON.stringify({ name: "acme-aws", lockfileVersion: 3, packages: {} })}\n`,
        );
        // The working tree's node_modules serve a revision with its lock file: nothing is installed.
        fs.mkdirSync(path.join(repo, "node_modules"));
        fs.writeFileSync(path.join(repo, ".gitignore"), "node_modules/\n");
        const { commit, error } = await planOfHead();
        expect(error).to.equal(
            `access-diff: ${commit.slice(0, 12)} installs no okta-aws package: a configuration repository depends on it (package.json and its lock file, as \`okta-aws new\` writes them), and the diff builds both revisions with the base revision's`,
        );
    });

    it("builds both revisions with the okta-aws the base revision installs, never the head's own (it starts Node) @slow", async () => {
        // The base's lock file is the working tree's, whose node_modules hold an okta-aws whose plan
        // builder only says who ran it; the head's lock file is this checkout's, whose node_modules
        // hold no okta-aws at all. Nothing is installed.
        const baseLock = `${JSON.stringify({ name: "acme-aws", lockfileVersion: 3, packages: { "node_modules/okta-aws": { version: "0.1.0" } } })}\n`;
        const worker = path.join(repo, "node_modules", "okta-aws", "dist", "tools", "plan", "revisionWorker.js");
        fs.mkdirSync(path.dirname(worker), { recursive: true });
        fs.writeFileSync(
            path.join(repo, "node_modules", "okta-aws", "package.json"),
            `${JSON.stringify({ name: "okta-aws", version: "0.1.0" })}\n`,
        );
        fs.writeFileSync(
            worker,
            [
                'const fs = require("fs");',
                "const flag = (name) => process.argv[process.argv.indexOf(name) + 1];",
                'fs.writeFileSync(flag("--out"), JSON.stringify({ builtBy: __filename, lockFile: fs.readFileSync(flag("--dir") + "/package-lock.json", "utf8").length }));',
            ].join("\n"),
        );
        // What the worker is started with (`-r sucrase/register/ts`), from beside it, as in the package.
        fs.symlinkSync(path.join(projectRoot, "node_modules", "sucrase"), path.join(repo, "node_modules", "sucrase"), "dir");
        fs.writeFileSync(path.join(repo, ".gitignore"), "node_modules/\n");
        fs.writeFileSync(path.join(repo, "package-lock.json"), baseLock);
        git("add", "-A");
        git("commit", "--quiet", "-m", "base");
        const checkoutLock = fs.readFileSync(path.join(projectRoot, "package-lock.json"), "utf8");
        fs.writeFileSync(path.join(repo, "package-lock.json"), checkoutLock);
        git("commit", "--quiet", "-am", "head: another lock file");
        fs.writeFileSync(path.join(repo, "package-lock.json"), baseLock);
        const plans = await plansAt(repo, commitOf(repo, "HEAD~1"), commitOf(repo, "HEAD"), mockIdpKey());
        const builtBy = fs.realpathSync(worker);
        // A lock file is code: the head is planned with the base's, never installing its own.
        expect(checkoutLock.length).to.not.equal(baseLock.length);
        expect(plans).to.deep.equal([
            { builtBy, lockFile: baseLock.length },
            { builtBy, lockFile: baseLock.length },
        ]);
        // Built by its own tools, the head revision has none: the check above would fail.
        expect(await planAt(repo, commitOf(repo, "HEAD"), mockIdpKey()).then(String, (error: Error) => error.message)).to.match(
            /installs no okta-aws package/,
        );
    });
});
