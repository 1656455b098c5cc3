// The okta-aws package as a team uses it (@slow: it builds and packs the project): `npm pack`, then
// `okta-aws new` from the packed package, the package installed into the new repository, and there
// the offline preview, a commit that adds a person to an admin group, the access diff between the
// two commits, and the deploy's dry run — each run through the package's bin, with exact lines.
// The install links this checkout's installed dependencies (the packed package's `dependencies`
// only, so one missing from them fails here) instead of fetching them: no network.
import { expect } from "chai";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { codeChanges } from "../tools/plan/atRevision";
import { projectRoot } from "./harness";

interface LockEntry {
    version?: string;
    dev?: boolean;
    dependencies?: Record<string, string>;
}
const ownLock = JSON.parse(fs.readFileSync(path.join(projectRoot, "package-lock.json"), "utf8")) as {
    packages: Record<string, LockEntry>;
};
const ownPackage = JSON.parse(fs.readFileSync(path.join(projectRoot, "package.json"), "utf8")) as { version: string };

/** A command's exit code and output lines. */
function run(command: string, args: string[], cwd: string): { code: number | null; stdout: string[]; stderr: string } {
    const { PATH, HOME } = process.env;
    const result = spawnSync(command, args, { cwd, env: { PATH, HOME }, encoding: "utf8", maxBuffer: 1 << 26 });
    return { code: result.status, stdout: result.stdout.trimEnd().split("\n"), stderr: result.stderr.trim() };
}

/**
 * Installs the packed package into `folder`/node_modules as npm would lay it out: the tarball
 * extracted to node_modules/okta-aws with its bin, and beside it the packages its `dependencies`
 * bring (the entries of this project's lock file that are not dev-only) and those the repository's
 * own devDependencies name, linked to this checkout's copies.
 */
function installPacked(folder: string, tarball: string, devDependencies: string[]): void {
    const modules = path.join(folder, "node_modules");
    fs.mkdirSync(path.join(modules, "okta-aws"), { recursive: true });
    execFileSync("tar", ["xzf", tarball, "-C", path.join(modules, "okta-aws"), "--strip-components=1"]);
    for (const [entry, locked] of Object.entries(ownLock.packages)) {
        const name = entry.slice("node_modules/".length);
        if (!entry.startsWith("node_modules/") || name.includes("/node_modules/") || (locked.dev && !devDependencies.includes(name))) {
            continue;
        }
        fs.mkdirSync(path.dirname(path.join(modules, name)), { recursive: true });
        fs.symlinkSync(path.join(projectRoot, entry), path.join(modules, name), "dir");
    }
    fs.mkdirSync(path.join(modules, ".bin"));
    fs.symlinkSync(path.join("..", "okta-aws", "dist", "tools", "cli.js"), path.join(modules, ".bin", "okta-aws"));
}

/** The lock file `npm install` writes for the repository: its package.json, okta-aws from the tarball, and the versions of this project's lock. */
function lockFileFor(repo: string, tarballSpec: string): string {
    const manifest = JSON.parse(fs.readFileSync(path.join(repo, "package.json"), "utf8")) as Record<string, Record<string, string>> & {
        name: string;
    };
    const packages: Record<string, unknown> = {
        "": { name: manifest.name, dependencies: manifest.dependencies, devDependencies: manifest.devDependencies },
        "node_modules/okta-aws": { version: ownPackage.version, resolved: tarballSpec, dependencies: ownLock.packages[""].dependencies },
    };
    for (const [entry, locked] of Object.entries(ownLock.packages)) {
        if (entry !== "" && (!locked.dev || Object.keys(manifest.devDependencies).includes(entry.slice("node_modules/".length)))) {
            packages[entry] = locked;
        }
    }
    return `${JSON.stringify({ name: manifest.name, lockfileVersion: 3, requires: true, packages }, null, 2)}\n`;
}

describe("the okta-aws package in a configuration repository of its own @slow", function () {
    this.timeout(900000);
    let tmp: string;
    let repo: string;
    const git = (...args: string[]) =>
        execFileSync("git", ["-C", repo, "-c", "user.name=Platform", "-c", "user.email=platform@acme.example", ...args]);
    const okta = (...args: string[]) => run(path.join(repo, "node_modules", ".bin", "okta-aws"), args, repo);

    before(() => {
        tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-package-")));
        // npm pack runs prepack (npm run build): dist/ compiled from this checkout.
        const packed = run("npm", ["pack", "--silent", "--pack-destination", tmp], projectRoot);
        expect([packed.code, packed.stdout.at(-1)]).to.deep.equal([0, `okta-aws-${ownPackage.version}.tgz`]);
        const tarball = path.join(tmp, `okta-aws-${ownPackage.version}.tgz`);
        // `npx okta-aws new`: the packed package's command, from a folder it is installed in.
        const tools = path.join(tmp, "tools");
        installPacked(tools, tarball, []);
        const scaffolded = run(
            path.join(tools, "node_modules", ".bin", "okta-aws"),
            [
                "new",
                "acme-aws",
                "--identity-account",
                "111111111111",
                "--members",
                "sales=222222222222,prod=333333333333",
                "--okta-org",
                "acme.okta.com",
                "--region",
                "eu-west-1",
                "--package",
                `file:${tarball}`,
            ],
            tmp,
        );
        expect([scaffolded.code, scaffolded.stdout[0], scaffolded.stderr]).to.deep.equal([
            0,
            "Wrote acme-aws: Pulumi.yaml, index.ts, package.json, tsconfig.json, Pulumi.identity.yaml, Pulumi.sales.yaml, Pulumi.prod.yaml, policies/README.md, .gitignore, README.md",
            "",
        ]);
        repo = path.join(tmp, "acme-aws");
        const { devDependencies } = JSON.parse(fs.readFileSync(path.join(repo, "package.json"), "utf8")) as Record<string, object>;
        installPacked(repo, tarball, Object.keys(devDependencies));
        fs.writeFileSync(path.join(repo, "package-lock.json"), lockFileFor(repo, `file:${tarball}`));
        // The team's organisation: an administrator role in prod, reached through the Platform group.
        fs.appendFileSync(path.join(repo, "Pulumi.prod.yaml"), "    - name: Admin\n      managedPolicies: [AdministratorAccess]\n");
        const identityFile = path.join(repo, "Pulumi.identity.yaml");
        fs.writeFileSync(
            identityFile,
            fs
                .readFileSync(identityFile, "utf8")
                .replace(
                    "  okta-aws:users: []\n  okta-aws:groups: []\n",
                    [
                        "  okta-aws:users:",
                        "    - { login: alice@acme.example, firstName: Alice, lastName: Smith, samlRoles: [Sales-ReadOnly] }",
                        "    - { login: mallory@acme.example, firstName: Mallory, lastName: Jones, samlRoles: [Sales-ReadOnly] }",
                        "  okta-aws:groups:",
                        "    - { name: Platform, samlRoles: [Prod-Admin], members: [alice@acme.example] }",
                        "",
                    ].join("\n"),
                ),
        );
        git("init", "--quiet");
    });
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("previews the repository's organisation with the package's program and verifies it, writing into its out/", () => {
        const { code, stdout, stderr } = okta("preview");
        expect({ code, stderr, first: stdout[0], last: stdout.at(-1) }).to.deep.equal({
            code: 0,
            stderr: "",
            first: `Offline preview of okta-aws: 3 stacks from ${repo} (mock runtime; nothing is sent to AWS or Okta)`,
            last: "Wrote out/plan.json, out/access.md, out/verification.md, out/aws-config/ (2 files)",
        });
    });

    it("diffs two commits — a person added to the admin group — with the base revision's installed tools", () => {
        git("add", "-A");
        git("commit", "--quiet", "-m", "Our okta-aws configuration");
        const identityFile = path.join(repo, "Pulumi.identity.yaml");
        fs.writeFileSync(
            identityFile,
            fs
                .readFileSync(identityFile, "utf8")
                .replace("members: [alice@acme.example]", "members: [alice@acme.example, mallory@acme.example]"),
        );
        git("commit", "--quiet", "-am", "Mallory joins Platform");
        const { code, stdout, stderr } = okta("access-diff", "--base", "HEAD~1", "--head", "HEAD");
        expect({ code, stdout, stderr }).to.deep.equal({
            code: 0,
            stdout: [
                "+1 access (mallory@acme.example → Prod-Admin (via Platform)), −0 access, 1 resource changed in identity, 3 outputs changed in identity",
                "- administrator-equivalent, production: prod/Admin: 1 person gains it (mallory@acme.example) through Platform",
                "Wrote out/access-diff.md, out/access-diff-full.md, out/access-diff.json",
            ],
            stderr: "",
        });
        expect(
            fs
                .readFileSync(path.join(repo, "out", "access-diff.md"), "utf8")
                .split("\n")
                .slice(0, 8),
        ).to.deep.equal([
            "**Access diff** (HEAD\\~1 → HEAD): +1 access (mallory@acme.example → Prod-Admin (via Platform)), −0 access, 1 resource changed in identity, 3 outputs changed in identity",
            "",
            "Access gained and permissions added, riskiest first:",
            "",
            "- **administrator-equivalent, production**: prod/Admin: 1 person gains it (mallory@acme.example) through Platform",
            "",
            "### Access gained",
            "",
        ]);
    });

    it("counts a change of the package version (the lock file) as code", () => {
        const lockFile = path.join(repo, "package-lock.json");
        const lock = JSON.parse(fs.readFileSync(lockFile, "utf8")) as { packages: Record<string, LockEntry> };
        lock.packages["node_modules/okta-aws"].version = "0.2.0";
        fs.writeFileSync(lockFile, `${JSON.stringify(lock, null, 2)}\n`);
        expect(codeChanges(repo, git("rev-parse", "HEAD").toString().trim(), undefined)).to.deep.equal(["package-lock.json"]);
        git("checkout", "--", "package-lock.json");
    });

    it("names its own command in a usage line, okta-aws <command>, never this repository's npm scripts", () => {
        expect(okta("access-diff")).to.deep.equal({
            code: 1,
            stdout: [""],
            stderr: "--base is required\nusage: okta-aws access-diff --base <git-ref> [--head <git-ref>] [--json] [--repo DIR] [--out DIR] [--progress]",
        });
        expect(okta("preview", "--verbos").stderr.split("\n").at(-1)).to.equal(
            "usage: okta-aws preview [--config-dir DIR] [--out DIR] [--no-verify] [--verbose] [--policy-pack-config FILE] [--progress]",
        );
    });

    it("its README's links open the installed package's documentation", () => {
        const links = [...fs.readFileSync(path.join(repo, "README.md"), "utf8").matchAll(/\]\(([^)]+)\)/g)].map(([, target]) => target);
        expect(links).to.include("node_modules/okta-aws/docs/configuration.md");
        expect(links.filter((link) => !fs.statSync(path.join(repo, link), { throwIfNoEntry: false })?.isFile())).to.deep.equal([]);
    });

    it("refuses a folder of stack files alone: the package lends it no project file", () => {
        const folder = path.join(tmp, "stack-files");
        fs.mkdirSync(folder);
        for (const stack of ["identity", "sales", "prod"]) {
            fs.copyFileSync(path.join(repo, `Pulumi.${stack}.yaml`), path.join(folder, `Pulumi.${stack}.yaml`));
        }
        expect(okta("preview", "--config-dir", folder, "--no-verify")).to.deep.equal({
            code: 1,
            stdout: [""],
            stderr: `Invalid stack configuration (1 problem):\n  Pulumi.yaml: (file): "${folder}" — has no Pulumi.yaml: a configuration repository holds its project file beside the stack files (\`okta-aws new\` writes one)`,
        });
    });

    it("prints the deploy's commands, run in the repository with the package's policy pack", () => {
        const { code, stdout, stderr } = okta("deploy", "--dry-run");
        const up = (stack: string) =>
            `     PULUMI_NODEJS_TRANSPILE_ONLY=true pulumi up --yes --stack ${stack} --policy-pack node_modules/okta-aws/dist/policy`;
        expect({ code, stdout, stderr }).to.deep.equal({
            code: 0,
            stdout: [
                `Deploy order of okta-aws from ${repo} (okta-aws:memberStacks of Pulumi.identity.yaml); dry run, nothing is deployed`,
                `The commands run in ${repo}, the project folder.`,
                "1. member stacks, in parallel: sales, prod",
                up("sales"),
                up("prod"),
                "2. then the identity stack, which reads the members' outputs: identity",
                up("identity"),
            ],
            stderr: "",
        });
        expect(fs.existsSync(path.join(repo, "node_modules", "okta-aws", "dist", "policy", "PulumiPolicy.yaml"))).to.equal(true);
    });
});

// Red team (rt6): what `files` ships besides dist/ is an allow-list, the documentation pages. With
// `docs/` whole, whatever lands in the folder (a key saved beside a page, a .env, a plan in out/) was
// published with the package.
describe("the package ships docs/*.md and nothing else of docs/ @slow", function () {
    this.timeout(120000);
    const strays = ["okta-api-token.txt", ".env", path.join("out", "plan.json"), "okta-aws-sso.pem"];

    after(() => {
        for (const stray of strays) {
            fs.rmSync(path.join(projectRoot, "docs", stray), { force: true });
        }
        fs.rmSync(path.join(projectRoot, "docs", "out"), { recursive: true, force: true });
    });

    it("packs the pages of docs/, not files left beside them (a token, a key, out/)", () => {
        fs.mkdirSync(path.join(projectRoot, "docs", "out"), { recursive: true });
        for (const stray of strays) {
            fs.writeFileSync(path.join(projectRoot, "docs", stray), "stray\n");
        }
        const [packed] = JSON.parse(
            execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: projectRoot, encoding: "utf8", stdio: "pipe" }),
        ) as { files: { path: string }[] }[];
        const pages = fs
            .readdirSync(path.join(projectRoot, "docs"))
            .filter((name) => name.endsWith(".md"))
            .map((name) => `docs/${name}`);
        expect(
            packed.files
                .map((file) => file.path)
                .filter((file) => file.startsWith("docs/"))
                .sort(),
        ).to.deep.equal(pages.sort());
    });
});
