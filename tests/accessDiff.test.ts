// The access diff on a throwaway git repository: a base commit, a commit that changes access, a
// commit that only reorders users; heads that bring tools of their own, no tools, a program that
// looks for tokens, a dependency with an install script; and an interrupted run.
import { expect } from "chai";
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { accessDiffMarkdown, diffSummary } from "../tools/report/accessDiffMarkdown";
import { commitOf, planAt } from "../tools/plan/atRevision";
import { diffPlans } from "../tools/report/accessDiff";
import { main } from "../tools/commands/accessDiff";
import { markdownCell } from "../tools/report/markdown";
import { Plan } from "../tools/plan/model";
import { mockIdpKey } from "../tools/mock/idp";
import { captureCommand, parsedPolicy, projectRoot, shippedPlan } from "./harness";

describe("access diff (npm run access-diff) @slow", function () {
    this.timeout(120000);
    let repo: string;
    const git = (...args: string[]) => execFileSync("git", ["-C", repo, ...args], { encoding: "utf8" }).trim();
    const identityFile = () => path.join(repo, "Pulumi.identity.yaml");
    const commit = (message: string, edit: (text: string) => string) => {
        fs.writeFileSync(identityFile(), edit(fs.readFileSync(identityFile(), "utf8")));
        git("commit", "-qam", message);
    };

    before(() => {
        repo = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-repo-"));
        const tracked = execFileSync("git", ["-C", projectRoot, "ls-files"], { encoding: "utf8" }).split("\n").filter(Boolean);
        for (const file of tracked.filter((f) => fs.existsSync(path.join(projectRoot, f)))) {
            fs.mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
            fs.copyFileSync(path.join(projectRoot, file), path.join(repo, file));
        }
        // A deployed organisation: the roles are imported, so access changes are assignment changes.
        const identityFile = path.join(repo, "Pulumi.identity.yaml");
        fs.writeFileSync(
            identityFile,
            fs.readFileSync(identityFile, "utf8").replace("rolesImported: false", "rolesImported: true, id: 0oa1awsapp0acme000a7"),
        );
        git("init", "-q", "-b", "main");
        git("-c", "user.name=test", "-c", "user.email=test@example.com", "add", "-A");
        git("-c", "user.name=test", "-c", "user.email=test@example.com", "commit", "-qm", "base");
        git("config", "user.name", "test");
        git("config", "user.email", "test@example.com");
        commit("jane gains Retail-EC2-Admins, john loses Sales-EC2-Admins", (text) =>
            text
                .replace("samlRoles: [Retail-S3-Admins]", "samlRoles: [Retail-S3-Admins, Retail-EC2-Admins]")
                .replace("samlRoles: [Retail-EC2-Admins, Sales-EC2-Admins]", "samlRoles: [Retail-EC2-Admins]"),
        );
        commit("reorder users", (text) => {
            const lines = text.split("\n");
            const john = lines.findIndex((l) => l.includes("login: john@"));
            [lines[john], lines[john + 1]] = [lines[john + 1], lines[john]];
            return lines.join("\n");
        });
    });

    after(() => fs.rmSync(repo, { recursive: true, force: true }));

    it("shows exactly the access gained and lost, and the assignments that change", async () => {
        const key = mockIdpKey();
        const [base, head] = await Promise.all([planAt(repo, commitOf(repo, "HEAD~2"), key), planAt(repo, commitOf(repo, "HEAD~1"), key)]);
        const diff = diffPlans(base, head);
        expect(diffSummary(diff)).to.equal(
            "+1 access (jane@acmecorp.me → Retail-EC2-Admins), −1 access (john@acmecorp.me → Sales-EC2-Admins), 2 resources changed in identity, 4 outputs changed in identity",
        );
        expect(diff.gained).to.deep.equal([
            {
                principal: "jane@acmecorp.me",
                principalType: "user",
                samlRole: "Retail-EC2-Admins",
                samlRoleArn: "arn:aws:iam::671250594556:role/Retail-EC2-Admins",
                targetAccountId: "253541269580",
                targetAccountLabel: "Retail",
                targetRoleArn: "arn:aws:iam::253541269580:role/EC2_Admins",
                policyArns: ["arn:aws:iam::aws:policy/AmazonEC2FullAccess"],
            },
        ]);
        expect(diff.lost.map((r) => [r.principal, r.samlRole, r.targetRoleArn])).to.deep.equal([
            ["john@acmecorp.me", "Sales-EC2-Admins", "arn:aws:iam::881102293469:role/EC2_Admins"],
        ]);
        expect(Object.keys(diff.stacks)).to.deep.equal(["identity"]);
        const { outputs, ...resources } = diff.stacks.identity;
        // Lists compare as sets (issue 34): an entry added or removed, never a shift by position.
        expect(outputs.filter((c) => c.input !== "awsCliProfiles")).to.deep.equal([
            { input: "assignments", path: "users", before: { login: "jane@acmecorp.me", samlRoles: ["Retail-S3-Admins"] }, entry: true },
            {
                input: "assignments",
                path: "users",
                before: { login: "john@acmecorp.me", samlRoles: ["Retail-EC2-Admins", "Sales-EC2-Admins"] },
                entry: true,
            },
            {
                input: "assignments",
                path: "users",
                after: { login: "jane@acmecorp.me", samlRoles: ["Retail-EC2-Admins", "Retail-S3-Admins"] },
                entry: true,
            },
            { input: "assignments", path: "users", after: { login: "john@acmecorp.me", samlRoles: ["Retail-EC2-Admins"] }, entry: true },
            { input: "samlRolesByUser", path: '["jane@acmecorp.me"]', after: "Retail-EC2-Admins", entry: true },
            { input: "samlRolesByUser", path: '["john@acmecorp.me"]', before: "Sales-EC2-Admins", entry: true },
            {
                input: "switchRoleLinks",
                path: '["jane@acmecorp.me"]',
                after: {
                    samlRole: "Retail-EC2-Admins",
                    url: "https://signin.aws.amazon.com/switchrole?account=253541269580&roleName=EC2_Admins",
                },
                entry: true,
            },
            {
                input: "switchRoleLinks",
                path: '["john@acmecorp.me"]',
                before: {
                    samlRole: "Sales-EC2-Admins",
                    url: "https://signin.aws.amazon.com/switchrole?account=881102293469&roleName=EC2_Admins",
                },
                entry: true,
            },
        ]);
        expect(outputs.filter((c) => c.input === "awsCliProfiles").map((c) => c.path)).to.deep.equal([
            '["jane@acmecorp.me"]',
            '["john@acmecorp.me"]',
        ]);
        expect({ identity: resources }).to.deep.equal({
            identity: {
                added: [],
                removed: [],
                changed: [
                    {
                        urn: "urn:pulumi:identity::okta-aws::okta-aws:identity:SamlRoleAssignments$okta:app/user:User::saml-role-assignments-jane@acmecorp.me-assignment",
                        changes: [
                            { input: "profile", path: "samlRoles[0]", before: "Retail-S3-Admins", after: "Retail-EC2-Admins" },
                            { input: "profile", path: "samlRoles[1]", after: "Retail-S3-Admins" },
                        ],
                    },
                    {
                        urn: "urn:pulumi:identity::okta-aws::okta-aws:identity:SamlRoleAssignments$okta:app/user:User::saml-role-assignments-john@acmecorp.me-assignment",
                        changes: [{ input: "profile", path: "samlRoles[1]", before: "Sales-EC2-Admins" }],
                    },
                ],
                adopted: [],
            },
        });
    });

    it("reports nothing for a commit that only reorders users, through the command line", async () => {
        const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-diff-out-"));
        const logs: string[] = [];
        const { log } = console;
        console.log = (message: string) => logs.push(message);
        let code: number;
        try {
            code = await main(["--repo", repo, "--base", "HEAD~1", "--head", "HEAD", "--json", "--out", outDir]);
        } finally {
            console.log = log;
        }
        expect(code).to.equal(0);
        // --json: the JSON alone on stdout, the same as the file the command writes by default.
        expect(logs).to.have.length(1);
        expect(`${logs[0]}\n`).to.equal(fs.readFileSync(path.join(outDir, "access-diff.json"), "utf8"));
        expect(JSON.parse(logs[0])).to.deep.equal({
            summary: "+0 access, −0 access, no resource changes",
            codeChanges: [],
            providerTargets: [],
            risks: [],
            gained: [],
            lost: [],
            failsToDeploy: [],
            stays: { access: [], resources: [] },
            signOn: { weakened: [], changes: [] },
            emergencyRoles: { added: [], removed: [], changed: [] },
            grants: { trustWidened: [], trustNarrowed: [], trustChanged: [], permissionsAdded: [], permissionsRemoved: [] },
            stacks: {},
        });
        expect(fs.readFileSync(path.join(outDir, "access-diff.md"), "utf8")).to.match(
            /^\*\*Access diff\*\* \(HEAD\\~1 → HEAD\): \+0 access, −0 access, no resource changes\n/,
        );
        expect(git("worktree", "list").split("\n")).to.have.length(1);
    });

    it("diffs a revision whose preview fails a policy (identity resources unprotected), then resets", async () => {
        commit("unprotect the identity resources", (text) => `${text}  okta-aws:protectIdentityResources: false\n`);
        try {
            const key = mockIdpKey();
            const [base, head] = await Promise.all([
                planAt(repo, commitOf(repo, "HEAD~1"), key),
                planAt(repo, commitOf(repo, "HEAD"), key),
            ]);
            const diff = diffPlans(base, head);
            // The SAML provider, the three federated role components and the sign-on policy's, and
            // every child that inherits protect.
            expect(diffSummary(diff)).to.equal("+0 access, −0 access, 18 resources changed in identity");
            expect(
                diff.stacks.identity.changed
                    .filter((c) => c.urn.includes("SignOnPolicy"))
                    .map((c) => c.urn.split("::").pop())
                    .sort(),
            ).to.deep.equal(["sign-on-policy", "sign-on-policy-deny-others", "sign-on-policy-policy", "sign-on-policy-two-factors"]);
            expect(diff.stacks.identity.changed.map((c) => c.changes)).to.deep.equal(
                Array.from({ length: 18 }, () => [{ input: "(protect)", path: "", before: true, after: false }]),
            );
        } finally {
            git("reset", "-q", "--hard", "HEAD~1");
        }
    });

    it("fails with a clear message on an unknown revision, before writing anything", async () => {
        const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-x-"));
        const { code, stderr } = await captureCommand(main, ["--repo", repo, "--base", "no-such-ref", "--out", outDir]);
        expect(code).to.equal(1);
        expect(stderr).to.equal(`access-diff: "no-such-ref" is not a commit of ${repo}`);
        expect(fs.readdirSync(outDir)).to.deep.equal([]);
    });

    it("leaves no worktree, scratch folder or output behind when one revision's plan fails", async () => {
        // A revision whose own preview fails: the identity stack lists a member that is not there.
        commit("a member stack that does not exist", (text) => text.replace("[sales, retail]", "[sales, retail, ghost]"));
        const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-x-"));
        // A temp folder of its own, so that what is left there is this command's alone.
        const temporary = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-tmp-"));
        const { TMPDIR } = process.env;
        process.env.TMPDIR = temporary;
        let stderr: string;
        try {
            const result = await captureCommand(main, ["--repo", repo, "--base", "HEAD~1", "--head", "HEAD", "--out", outDir]);
            expect(result.code).to.equal(1);
            stderr = result.stderr;
        } finally {
            if (TMPDIR === undefined) {
                delete process.env.TMPDIR;
            } else {
                process.env.TMPDIR = TMPDIR;
            }
            git("reset", "-q", "--hard", "HEAD~1");
        }
        expect(stderr).to.match(
            /^access-diff: the plan of [0-9a-f]{12} failed:\nInvalid stack configuration \(1 problem\):\n {2}Pulumi\.identity\.yaml: okta-aws:memberStacks\[2\]: "ghost" — /,
        );
        expect(git("worktree", "list").split("\n")).to.have.length(1);
        // Only what access-diff makes (Node 24 keeps its own compile cache there too).
        expect(fs.readdirSync(temporary).filter((f) => f.startsWith("okta-aws-"))).to.deep.equal([]);
        expect(fs.readdirSync(outDir)).to.deep.equal([]);
    });
    /** Commits whatever `edit` does to the repository, runs the command on HEAD~1 → HEAD, then drops the commit. */
    async function diffOfCommit(edit: () => void, env: Record<string, string> = {}, options: string[] = []) {
        edit();
        git("add", "-A");
        git("commit", "-qm", "head under test");
        const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-diff-out-"));
        const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
        Object.assign(process.env, env);
        try {
            const result = await captureCommand(main, ["--repo", repo, "--base", "HEAD~1", "--head", "HEAD", "--out", outDir, ...options]);
            const json =
                result.code === 0
                    ? (JSON.parse(fs.readFileSync(path.join(outDir, "access-diff.json"), "utf8")) as Record<string, unknown>)
                    : {};
            const markdown = result.code === 0 ? fs.readFileSync(path.join(outDir, "access-diff.md"), "utf8") : "";
            return { ...result, json, markdown };
        } finally {
            for (const [name, value] of Object.entries(saved)) {
                if (value === undefined) {
                    delete process.env[name];
                } else {
                    process.env[name] = value;
                }
            }
            git("reset", "-q", "--hard", "HEAD~1");
            git("clean", "-qfdx");
        }
    }
    const mallory = "mallory@evil.example";
    const grantMallory = () =>
        fs.writeFileSync(
            identityFile(),
            fs
                .readFileSync(identityFile(), "utf8")
                .replace(
                    "  okta-aws:groups: []",
                    `  okta-aws:groups:\n    - { name: Admins, samlRoles: [Retail-EC2-Admins, Retail-S3-Admins, Sales-EC2-Admins], members: [${mallory}] }`,
                ),
        );

    it("never runs a head's own code: a program that would act during the review is planned as the base's, and named as code (red team)", async () => {
        const marker = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-head-ran-")), "ran");
        const program = path.join(repo, "index.ts");
        const { code, json, stderr } = await diffOfCommit(
            () => {
                grantMallory();
                // What a hostile program could do with the review job's rights: here, leave a mark.
                fs.appendFileSync(program, `\nrequire("fs").writeFileSync(${JSON.stringify(marker)}, "ran");\n`);
            },
            {},
            ["--progress"],
        );
        expect(code).to.equal(0);
        // The progress line says which program plans the head, as it is: the base's.
        expect(stderr.split("\n")[0]).to.equal(
            "progress: planning HEAD~1 with its program and HEAD with HEAD~1's program, each with its own stack files",
        );
        expect(fs.existsSync(marker)).to.equal(false);
        expect(json.codeChanges).to.deep.equal(["index.ts"]);
        // The head's data still counts: mallory's grants are shown, planned with the base's program.
        expect(
            (json.gained as { principal: string; via?: string }[]).filter((r) => r.principal === mallory).map((r) => r.via),
        ).to.deep.equal(["Admins", "Admins", "Admins"]);
        fs.rmSync(path.dirname(marker), { recursive: true, force: true });
    });

    it("judges the head with these tools: a head whose tools/ filter out an admin grant still shows the grant, and the comment says tools changed", async () => {
        const builder = path.join(repo, "tools", "plan", "build.ts");
        const { code, stdout, json, markdown } = await diffOfCommit(() => {
            grantMallory();
            const text = fs.readFileSync(builder, "utf8");
            const filtered = text.replace(
                "    return rows.sort(",
                `    return rows.filter((r) => r.principal !== "${mallory}" && r.principal !== "Admins").sort(`,
            );
            expect(filtered).to.not.equal(text);
            fs.writeFileSync(builder, filtered);
        });
        expect(code).to.equal(0);
        expect(json.codeChanges).to.deep.equal(["tools/plan/build.ts"]);
        expect(String(json.summary)).to.match(new RegExp(`^\\+6 access \\(Admins → Retail-EC2-Admins, .*${mallory}`));
        expect(
            (json.gained as { principal: string; via?: string }[]).filter((r) => r.principal === mallory).map((r) => r.via),
        ).to.deep.equal(["Admins", "Admins", "Admins"]);
        const warning =
            "This change edits code, not only configuration (tools/plan/build.ts): the diff never runs it (its stack files and policies were planned with the base's code and tools), so what the code changes is not shown; that code needs a human review.";
        expect(markdown.split("\n")[0]).to.equal(`> **⚠ ${warning}**`);
        expect(stdout.split("\n")[0]).to.equal(`Warning: ${warning}`);
    });

    it("exits 1 with a FAILED line when pulumi up would stop part way through (an allow-assume policy name kept by a renamed federated role)", async () => {
        git("checkout", "-q", "-b", "collision");
        const sales = path.join(repo, "Pulumi.sales.yaml");
        fs.writeFileSync(
            sales,
            fs
                .readFileSync(sales, "utf8")
                .replace("    - name: EC2_Admins\n", "    - name: EC2_Admins\n      federatedRoleName: Sales-EC2-Operators\n"),
        );
        git("commit", "-qam", "Sales-EC2-Admins renamed, its allow-assume policy's name kept");
        git("checkout", "-q", "main");
        const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-diff-out-"));
        const logs: string[] = [];
        const errors: string[] = [];
        const { log, error } = console;
        console.log = (message: string) => logs.push(message);
        console.error = (message: string) => errors.push(message);
        let code: number;
        try {
            code = await main(["--repo", repo, "--base", "main", "--head", "collision", "--out", outDir]);
        } finally {
            Object.assign(console, { log, error });
        }
        expect(code).to.equal(1);
        expect(logs.join("\n")).to.match(
            /^error: identity: urn:pulumi:identity::okta-aws::.*::Sales-EC2-Operators-policy: .*allow-assume-sales-ec2-admin-role.*\. Way out: .*\.$/m,
        );
        expect(errors).to.deep.equal([
            `FAILED: pulumi up would stop part way through on this change (the error lines above, and "Fails to deploy" in ${path.relative(process.cwd(), path.join(outDir, "access-diff.md"))}): take the way out each names in the same change`,
        ]);
    });

    it("works when the head has no tools/ at all", async () => {
        const { code, json } = await diffOfCommit(() => {
            grantMallory();
            git("rm", "-rq", "tools");
        });
        expect(code).to.equal(0);
        expect(
            (json.gained as { principal: string; samlRole: string }[]).filter((r) => r.principal === mallory).map((r) => r.samlRole),
        ).to.deep.equal(["Retail-EC2-Admins", "Retail-S3-Admins", "Sales-EC2-Admins"]);
        expect((json.codeChanges as string[]).every((file) => file.startsWith("tools/"))).to.equal(true);
        expect(json.codeChanges).to.include("tools/plan/build.ts");
    });

    it("takes the policy documents a head's stack files name, as Pulumi would read them", async () => {
        const retail = path.join(repo, "Pulumi.retail.yaml");
        const { code, json, stderr } = await diffOfCommit(
            () => {
                fs.mkdirSync(path.join(repo, "policies"));
                fs.writeFileSync(
                    path.join(repo, "policies", "s3-audit.json"),
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [{ Effect: "Allow", Action: "s3:GetBucketPolicy", Resource: "*" }],
                    }),
                );
                const text = fs.readFileSync(retail, "utf8");
                const edited = text.replace(
                    "      managedPolicies: [AmazonS3FullAccess]\n",
                    "      managedPolicies: [AmazonS3FullAccess]\n      policies: [{ name: s3-audit, file: policies/s3-audit.json }]\n",
                );
                expect(edited).to.not.equal(text);
                fs.writeFileSync(retail, edited);
            },
            {},
            ["--progress"],
        );
        expect(code).to.equal(0);
        expect(stderr.split("\n")[0]).to.equal(
            "progress: planning HEAD~1 with its program and HEAD with its own program, each with its own stack files",
        );
        expect(json.codeChanges).to.deep.equal([]);
        expect((json.grants as Record<string, string[]>).permissionsAdded).to.deep.equal([
            "retail/S3_Admins-policy-s3-audit",
            "retail/S3_Admins-s3-audit",
        ]);
    });

    it("runs the head's program with an empty environment: no token of the caller's reaches it", async () => {
        const index = path.join(repo, "index.ts");
        const { code, stderr, json } = await diffOfCommit(
            () =>
                fs.writeFileSync(
                    index,
                    `if (Object.keys(process.env).length > 0) {\n    throw new Error(\`the program sees \${Object.keys(process.env).join(", ")}\`);\n}\n${fs.readFileSync(index, "utf8")}`,
                ),
            { OKTA_API_TOKEN: "00deploy-grade-okta-token", PULUMI_ACCESS_TOKEN: "pul-deploy-grade-token" },
        );
        expect(stderr).to.equal("");
        expect(code).to.equal(0);
        expect(json.codeChanges).to.deep.equal(["index.ts"]);
        expect(json.summary).to.equal("+0 access, −0 access, no resource changes");
    });

    it("installs a base revision's other dependencies with no install script (a head's are never installed)", async () => {
        // A dependency whose postinstall would leave a marker; the head's lock file names it alone.
        const packages = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-package-"));
        const marker = path.join(packages, "postinstall-ran");
        fs.mkdirSync(path.join(packages, "with-postinstall"));
        fs.writeFileSync(
            path.join(packages, "with-postinstall", "package.json"),
            JSON.stringify({
                name: "with-postinstall",
                version: "1.0.0",
                scripts: { postinstall: `node -e "require('fs').writeFileSync('${marker}', 'ran')"` },
            }),
        );
        execFileSync("npm", ["pack", "--silent", "--pack-destination", packages], { cwd: path.join(packages, "with-postinstall") });
        const project = path.join(packages, "project");
        fs.mkdirSync(project);
        fs.writeFileSync(
            path.join(project, "package.json"),
            JSON.stringify({
                name: "okta-aws",
                version: "0.1.0",
                private: true,
                dependencies: { "with-postinstall": `file:${path.join(packages, "with-postinstall-1.0.0.tgz")}` },
            }),
        );
        execFileSync("npm", ["install", "--package-lock-only", "--ignore-scripts", "--no-audit", "--no-fund"], {
            cwd: project,
            stdio: "ignore",
        });
        // The base names it: a head's lock file is code, planned with the base's (never installed).
        for (const file of ["package.json", "package-lock.json"]) {
            fs.copyFileSync(path.join(project, file), path.join(repo, file));
        }
        git("add", "-A");
        git("commit", "-qm", "base with another lock file");
        try {
            const { code, stderr } = await diffOfCommit(() => fs.appendFileSync(path.join(repo, "Pulumi.sales.yaml"), "# a data change\n"));
            // The install went through without running the script; the program then misses its SDK.
            expect(code).to.equal(1);
            expect(stderr).to.match(/^access-diff: the plan of [0-9a-f]{12} failed:\nerror: Cannot find module '@pulumi\/pulumi'/);
            expect(fs.existsSync(marker)).to.equal(false);
        } finally {
            git("reset", "-q", "--hard", "HEAD~1");
            fs.rmSync(packages, { recursive: true, force: true });
        }
    });

    it("plans a head with another lock file with the base's dependencies: its lock file is code, never installed", async () => {
        const { code, json } = await diffOfCommit(() => {
            for (const file of ["package.json", "package-lock.json"]) {
                const document = JSON.parse(fs.readFileSync(path.join(repo, file), "utf8")) as {
                    version: string;
                    packages?: Record<string, { version?: string }>;
                };
                document.version = "0.1.1";
                if (document.packages) {
                    document.packages[""].version = "0.1.1";
                }
                fs.writeFileSync(path.join(repo, file), `${JSON.stringify(document, null, 4)}\n`);
            }
        });
        expect(code).to.equal(0);
        expect(json.codeChanges).to.deep.equal(["package-lock.json", "package.json"]);
        expect(json.summary).to.equal("+0 access, −0 access, no resource changes");
    });

    it("refuses a head whose stack file is a symbolic link, naming it", async () => {
        const { code, stderr } = await diffOfCommit(() => {
            fs.rmSync(path.join(repo, "Pulumi.sales.yaml"));
            fs.symlinkSync("/etc/hostname", path.join(repo, "Pulumi.sales.yaml"));
        });
        expect(code).to.equal(1);
        expect(stderr).to.match(
            /^access-diff: [0-9a-f]{12}: Pulumi\.sales\.yaml is a symbolic link; the diff reads a revision's files as regular files only$/,
        );
    });

    for (const signal of ["SIGINT", "SIGTERM"] as const) {
        it(`removes its scratch folders and ends its plans when interrupted (${signal})`, async () => {
            const temporary = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-tmp-"));
            const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-x-"));
            const child = spawn(
                process.execPath,
                [
                    "-r",
                    "sucrase/register/ts",
                    path.join(projectRoot, "tools", "commands", "accessDiff.ts"),
                    "--repo",
                    repo,
                    "--base",
                    "HEAD~1",
                    "--head",
                    "HEAD",
                    "--out",
                    outDir,
                ],
                { cwd: projectRoot, env: { ...process.env, TMPDIR: temporary }, stdio: ["ignore", "ignore", "pipe"] },
            );
            let stderr = "";
            child.stderr.on("data", (chunk) => (stderr += chunk));
            const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
            // Once a revision's plan is under way (its worker gets the mock IdP key just before it starts).
            const underWay = () =>
                fs
                    .readdirSync(temporary)
                    .some(
                        (f) => f.startsWith("okta-aws-diff-") && fs.existsSync(path.join(temporary, f, "revision", ".mock-idp-key.json")),
                    );
            while (!underWay() && child.exitCode === null) {
                await new Promise((resolve) => setTimeout(resolve, 20));
            }
            child.kill(signal);
            expect(await exited).to.equal(128 + os.constants.signals[signal]);
            expect(stderr.trim().split("\n").pop()).to.equal(`access-diff: interrupted (${signal}); its temporary folders are removed`);
            expect(fs.readdirSync(temporary).filter((f) => f.startsWith("okta-aws-"))).to.deep.equal([]);
            expect(execFileSync("ps", ["-eo", "args"], { encoding: "utf8" })).to.not.contain(temporary);
            expect(git("worktree", "list").split("\n")).to.have.length(1);
            expect(fs.readdirSync(outDir).filter((f) => !f.startsWith("."))).to.deep.equal([]);
        });
    }
});

describe("access diff of documents (diffPlans, accessDiffMarkdown)", function () {
    this.timeout(60000);
    let base: Plan;
    before(async () => {
        base = (await shippedPlan()).plan;
    });
    const retailRole = (plan: Plan) => plan.stacks.retail.resources.find((r) => r.name === "EC2_Admins-role")!;
    const admins = "arn:aws:iam::671250594556:role/Retail-EC2-Admins";
    const operators = "arn:aws:iam::671250594556:role/Retail-EC2-Operators";

    it("names the path and both values of a trust change in full, and calls the trust changed", () => {
        const head: Plan = structuredClone(base);
        const role = retailRole(head);
        role.inputs.assumeRolePolicy = (role.inputs.assumeRolePolicy as string).replace(admins, operators);
        const diff = diffPlans(base, head);
        expect(diffSummary(diff)).to.equal("+0 access, −0 access, trust changed (retail/EC2_Admins-role), 1 resource changed in retail");
        expect(diff.stacks.retail.changed).to.deep.equal([
            {
                urn: role.urn,
                changes: [
                    {
                        input: "assumeRolePolicy",
                        path: "Statement[0].Condition.ArnEquals.aws:PrincipalArn",
                        before: admins,
                        after: operators,
                    },
                ],
            },
        ]);
        expect(accessDiffMarkdown(diff, "main", "pr").split("\n")).to.include(
            `  - \`assumeRolePolicy Statement[0].Condition.ArnEquals.aws:PrincipalArn\`: \`"${admins}"\` → \`"${operators}"\``,
        );
    });

    it("calls out widened trust and added permissions", () => {
        const head: Plan = structuredClone(base);
        const trust = parsedPolicy(retailRole(head).inputs.assumeRolePolicy);
        delete trust.Statement[0].Condition;
        retailRole(head).inputs.assumeRolePolicy = JSON.stringify(trust);
        const policy = head.stacks.identity.resources.find((r) => r.name === "Sales-EC2-Admins-policy")!;
        policy.inputs.policy = (policy.inputs.policy as string).replace(
            "arn:aws:iam::881102293469:role/EC2_Admins",
            "arn:aws:iam::881102293469:role/*",
        );
        const diff = diffPlans(base, head);
        expect(diff.grants).to.deep.equal({
            trustWidened: ["retail/EC2_Admins-role"],
            trustNarrowed: [],
            trustChanged: [],
            permissionsAdded: ["identity/Sales-EC2-Admins-policy"],
            permissionsRemoved: [],
        });
        expect(diffSummary(diff)).to.equal(
            "+0 access, −0 access, trust widened (retail/EC2_Admins-role), permissions added (identity/Sales-EC2-Admins-policy), 1 resource changed in identity, 1 resource changed in retail",
        );
        expect(diff.stacks.retail.changed[0].changes).to.deep.equal([
            {
                input: "assumeRolePolicy",
                path: "Statement[0].Condition",
                before: { ArnEquals: { "aws:PrincipalArn": admins } },
            },
        ]);
    });

    it("issue 30 item 6: a Resource widened from `?` to `*` is permissions added, never no change", () => {
        const withResource = (resource: string) => {
            const plan: Plan = structuredClone(base);
            const policy = plan.stacks.identity.resources.find((r) => r.name === "Sales-EC2-Admins-policy")!;
            policy.inputs.policy = (policy.inputs.policy as string).replace("arn:aws:iam::881102293469:role/EC2_Admins", resource);
            return plan;
        };
        const diff = diffPlans(
            withResource("arn:aws:iam::881102293469:role/EC2_Admin?"),
            withResource("arn:aws:iam::881102293469:role/EC2_Admin*"),
        );
        expect(diff.grants.permissionsAdded).to.deep.equal(["identity/Sales-EC2-Admins-policy"]);
        expect(diffSummary(diff)).to.equal(
            "+0 access, −0 access, permissions added (identity/Sales-EC2-Admins-policy), 1 resource changed in identity",
        );
    });

    it("keeps the summary and access rows within the comment limit and says what it left out", () => {
        const head: Plan = structuredClone(base);
        for (const resource of head.stacks.identity.resources) {
            resource.inputs.description = "x".repeat(500);
        }
        const diff = diffPlans(base, head);
        const full = accessDiffMarkdown(diff, "main", "pr");
        const comment = accessDiffMarkdown(diff, "main", "pr", { limit: 4000, fullDiffAt: "in the artifact" });
        expect(full.length).to.be.greaterThan(4000);
        expect(comment.length).to.be.at.most(4000);
        expect(comment.startsWith(full.slice(0, full.indexOf("### Resources")))).to.equal(true);
        const kept = comment.slice(0, comment.indexOf("\n> **")).split("\n").length;
        const leftOut = full.split("\n").length - kept;
        expect(comment).to.match(
            new RegExp(
                `\\n> \\*\\*${leftOut} lines \\(\\d+ characters\\) of this diff left out\\*\\* to keep this comment under GitHub's limit; the full diff is in the artifact\\.\\n$`,
            ),
        );
        expect(accessDiffMarkdown(diff, "main", "pr", { limit: full.length })).to.equal(full);
    });

    it("cuts the access rows too when they alone pass the limit, never the summary", () => {
        const head: Plan = structuredClone(base);
        head.access = Array.from({ length: 200 }, (_, i) => ({ ...base.access[0], principal: `person${i}@acmecorp.me` }));
        const diff = diffPlans(base, head);
        const comment = accessDiffMarkdown(diff, "main", "pr", { limit: 4000, fullDiffAt: "in the artifact" });
        expect(comment.length).to.be.at.most(4000);
        expect(diffSummary(diff)).to.equal(
            "+200 access (person0@acmecorp.me → Retail-S3-Admins, person1@acmecorp.me → Retail-S3-Admins, person2@acmecorp.me → Retail-S3-Admins, person3@acmecorp.me → Retail-S3-Admins, person4@acmecorp.me → Retail-S3-Admins, and 195 more), −3 access (jane@acmecorp.me → Retail-S3-Admins, john@acmecorp.me → Retail-EC2-Admins, john@acmecorp.me → Sales-EC2-Admins), no resource changes",
        );
        expect(comment.split("\n")[0]).to.equal(`**Access diff** (main → pr): ${markdownCell(diffSummary(diff))}`);
        expect(comment).to.contain("| person0@acmecorp.me | user |");
        expect(comment).not.to.contain("person199@acmecorp.me");
        expect(comment).to.match(/\n> \*\*\d+ lines \(\d+ characters\) of this diff left out\*\*/);
    });
});
