// The access diff of a configuration repository (`okta-aws new`) before it builds anything: a
// revision with no lock file, and one whose lock file installs no okta-aws package, are refused
// with one line that says what to do, never npm's usage text.
import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { mockIdpKey } from "../tools/mock/idp";
import { commitOf, planAt } from "../tools/plan/atRevision";
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
});
