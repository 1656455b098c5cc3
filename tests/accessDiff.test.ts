// The access diff on a throwaway git repository: a base commit, a commit that changes access, a
// commit that only reorders users.
import { expect } from "chai";
import { execFileSync } from "child_process";
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
        fs.symlinkSync(path.join(projectRoot, "node_modules"), path.join(repo, "node_modules"), "dir");
        // A deployed organisation: the roles are imported, so access changes are assignment changes.
        const identityFile = path.join(repo, "Pulumi.identity.yaml");
        fs.writeFileSync(identityFile, fs.readFileSync(identityFile, "utf8").replace("rolesImported: false", "rolesImported: true"));
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
        expect(outputs.map((c) => [c.input, c.path])).to.deep.equal([
            ["assignments", "users[0].samlRoles[0]"],
            ["assignments", "users[0].samlRoles[1]"],
            ["assignments", "users[1].samlRoles[1]"],
            ["awsCliProfiles", '["jane@acmecorp.me"]'],
            ["awsCliProfiles", '["john@acmecorp.me"]'],
            ["samlRolesByUser", '["jane@acmecorp.me"][0]'],
            ["samlRolesByUser", '["jane@acmecorp.me"][1]'],
            ["samlRolesByUser", '["john@acmecorp.me"][1]'],
            ["switchRoleLinks", '["jane@acmecorp.me"][0].samlRole'],
            ["switchRoleLinks", '["jane@acmecorp.me"][0].url'],
            ["switchRoleLinks", '["jane@acmecorp.me"][1]'],
            ["switchRoleLinks", '["john@acmecorp.me"][1]'],
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
        expect(logs[0].split("\n")[0]).to.equal("+0 access, −0 access, no resource changes");
        expect(JSON.parse(fs.readFileSync(path.join(outDir, "access-diff.json"), "utf8"))).to.deep.equal({
            summary: "+0 access, −0 access, no resource changes",
            gained: [],
            lost: [],
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
            /^npm start --silent -- --out .* failed \(1\):\nInvalid stack configuration \(1 problem\):\n {2}Pulumi\.identity\.yaml: okta-aws:memberStacks\[2\]: "ghost" — /,
        );
        expect(git("worktree", "list").split("\n")).to.have.length(1);
        // Only what access-diff makes (Node 24 keeps its own compile cache there too).
        expect(fs.readdirSync(temporary).filter((f) => f.startsWith("okta-aws-"))).to.deep.equal([]);
        expect(fs.readdirSync(outDir)).to.deep.equal([]);
    });
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
