// No runner is available here: check what the workflows guarantee — who holds which secret and
// permission, which code runs where, which stacks are previewed and deployed (by running the steps
// that decide it) — not the steps they list.
import { expect } from "chai";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { listStackFiles } from "../tools/plan/stackFiles";
import { projectRoot } from "./harness";

interface Step {
    name?: string;
    id?: string;
    uses?: string;
    run?: string;
    if?: string;
    "working-directory"?: string;
    env?: Record<string, string>;
    with?: Record<string, string | number | boolean>;
}

interface Job {
    needs?: string | string[];
    if?: string;
    environment?: string;
    permissions?: Record<string, string>;
    env?: Record<string, string>;
    outputs?: Record<string, string>;
    strategy?: { "fail-fast"?: boolean; matrix: Record<string, unknown> };
    steps: Step[];
}

interface Workflow {
    on: Record<string, unknown>;
    permissions: Record<string, string>;
    concurrency?: { group: string; "cancel-in-progress": boolean };
    env?: Record<string, string>;
    jobs: Record<string, Job>;
}

const readWorkflow = (file: string) => parse(fs.readFileSync(path.join(projectRoot, ".github", "workflows", file), "utf8")) as Workflow;
const workflows = {
    "pull-request.yml": readWorkflow("pull-request.yml"),
    "deploy.yml": readWorkflow("deploy.yml"),
    "audit.yml": readWorkflow("audit.yml"),
};
const action = (step: Step) => step.uses?.split("@")[0];
/** A step by its action (version left out) or its command. */
const describeStep = (step: Step) => action(step) ?? step.run!;
const permissionsOf = (workflow: Workflow, job: string) => workflow.jobs[job].permissions ?? workflow.permissions;
const checkouts = (job: Job) => job.steps.filter((s) => action(s) === "actions/checkout");
const stackFiles = listStackFiles(projectRoot);
const members = stackFiles.filter((f) => f.rawConfig["okta-aws:identityAccountId"] !== undefined).map((f) => f.stack);
const identity = stackFiles.filter((f) => f.rawConfig["okta-aws:memberStacks"] !== undefined).map((f) => f.stack);

/**
 * The secrets a job can reach: `secrets.NAME` by name, and `secrets[format('PREFIX_{0}', …)]` as
 * `PREFIX_*` (any name with that prefix); the workflow-level env is every job's.
 */
function secretsOf(workflow: Workflow, job: Job): string[] {
    const text = JSON.stringify([workflow.env ?? {}, job]);
    return [
        ...[...text.matchAll(/secrets\.(\w+)/g)].map((m) => m[1]),
        ...[...text.matchAll(/secrets\[format\('(\w+)\{0\}'/g)].map((m) => `${m[1]}*`),
    ].sort();
}

/** Whether two secret names (or `PREFIX_*` families) can be the same secret. */
function overlap(a: string, b: string): boolean {
    const family = (name: string) => (name.endsWith("*") ? { prefix: name.slice(0, -1), exact: false } : { prefix: name, exact: true });
    const [x, y] = [family(a), family(b)];
    return x.exact && y.exact ? x.prefix === y.prefix : x.prefix.startsWith(y.prefix) || y.prefix.startsWith(x.prefix);
}

/**
 * The pull-request jobs that run the pull request's code: a checkout without `ref` is the pull
 * request's merge commit (actions/checkout's default on pull_request), and the job then runs
 * commands or actions over it.
 */
const pullRequest = workflows["pull-request.yml"];
const headCodeJobs = Object.entries(pullRequest.jobs)
    .filter(([, job]) => checkouts(job).some((step) => step.with?.ref === undefined))
    .map(([name]) => name);

for (const [file, workflow] of Object.entries(workflows)) {
    describe(`every job of ${file}`, () => {
        const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);

        it("uses actions pinned to a major version tag and no long-lived AWS keys", () => {
            expect(steps.filter((s) => s.uses && !/^[\w.-]+\/[\w.-]+@v\d+$/.test(s.uses)).map((s) => s.uses)).to.deep.equal([]);
            expect(JSON.stringify(workflow)).not.to.match(/aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY/i);
        });

        it("checks out without persisting the token, and installs without running install scripts", () => {
            expect(steps.filter((s) => action(s) === "actions/checkout" && s.with?.["persist-credentials"] !== false)).to.deep.equal([]);
            const installs = steps.filter((s) => s.run?.includes("npm ci"));
            expect(installs).to.not.deep.equal([]);
            expect(installs.filter((s) => !s.run!.includes("npm ci --ignore-scripts")).map((s) => s.run)).to.deep.equal([]);
        });

        it("passes expressions to the shell through env:, never inside run: text", () => {
            expect(steps.filter((s) => s.run?.includes("${{")).map((s) => s.run)).to.deep.equal([]);
        });

        it("asks GitHub for an OIDC token only in the jobs that exchange one (AWS roles, Pulumi Cloud)", () => {
            const oidcActions = ["aws-actions/configure-aws-credentials", "pulumi/auth-actions"];
            const byJob = Object.entries(workflow.jobs).map(([name, job]) => [
                name,
                permissionsOf(workflow, name)["id-token"] === "write",
                job.steps.some((s) => oidcActions.includes(action(s) ?? "")),
            ]);
            expect(byJob.filter(([, asks, exchanges]) => asks !== exchanges)).to.deep.equal([]);
        });
    });
}

describe("pull-request workflow (.github/workflows/pull-request.yml)", () => {
    it("grants nothing by default; only jobs that run no code of the pull request may write to it", () => {
        expect(pullRequest.on).to.have.property("pull_request");
        expect(pullRequest.permissions).to.deep.equal({});
        const writers = Object.keys(pullRequest.jobs).filter((job) => Object.values(permissionsOf(pullRequest, job)).includes("write"));
        const writersThatRunCode = writers.filter(
            (job) => permissionsOf(pullRequest, job)["id-token"] !== "write" && checkouts(pullRequest.jobs[job]).length > 0,
        );
        expect(writersThatRunCode).to.deep.equal([]);
        for (const job of ["comment", "comment-previews"]) {
            expect(permissionsOf(pullRequest, job), job).to.deep.equal({ "pull-requests": "write" });
            expect(checkouts(pullRequest.jobs[job]), job).to.deep.equal([]);
        }
    });

    it("holds no secret the deploy uses in any job that runs the pull request's code (reads both workflows)", () => {
        const deploy = workflows["deploy.yml"];
        const deploySecrets = [...new Set(Object.values(deploy.jobs).flatMap((job) => secretsOf(deploy, job)))];
        const deployEnvironments = Object.values(deploy.jobs).flatMap((job) => (job.environment ? [job.environment] : []));
        expect(deploySecrets).to.include.members(["PULUMI_ACCESS_TOKEN", "OKTA_API_TOKEN", "AWS_DEPLOY_ROLE_*"]);
        const held = headCodeJobs.flatMap((job) =>
            secretsOf(pullRequest, pullRequest.jobs[job])
                .filter((secret) => deploySecrets.some((deploySecret) => overlap(secret, deploySecret)))
                .map((secret) => `${job}: ${secret}`),
        );
        expect(held).to.deep.equal([]);
        expect(headCodeJobs).to.deep.equal(["test", "review", "preview-members", "preview-identity"]);
        expect(headCodeJobs.filter((job) => deployEnvironments.includes(pullRequest.jobs[job].environment ?? ""))).to.deep.equal([]);
        // Only the previews hold credentials at all, and those are the preview environment's own.
        expect(Object.fromEntries(headCodeJobs.map((job) => [job, secretsOf(pullRequest, pullRequest.jobs[job])]))).to.deep.equal({
            test: [],
            review: [],
            "preview-members": ["AWS_PREVIEW_ROLE_*"],
            "preview-identity": ["AWS_PREVIEW_ROLE_*", "OKTA_PREVIEW_PRIVATE_KEY"],
        });
        for (const job of ["preview-members", "preview-identity"]) {
            expect(pullRequest.jobs[job].environment, job).to.equal("preview");
        }
    });

    it("makes the access diff with the base commit's tools over the pull request's checkout", () => {
        const review = pullRequest.jobs.review;
        const diff = review.steps.find((s) => s.run?.startsWith("npm run access-diff"))!;
        const tools = checkouts(review).find((s) => s.with?.path === diff["working-directory"])!;
        expect(tools.with?.ref).to.equal("${{ github.event.pull_request.base.sha }}");
        const head = checkouts(review).find((s) => s.with?.ref === undefined)!;
        expect(diff.run).to.match(new RegExp(`--repo \\.\\./${String(head.with!.path)} --base "\\$BASE_SHA" --head "\\$HEAD_SHA"`));
        expect(diff.env).to.deep.equal({
            BASE_SHA: "${{ github.event.pull_request.base.sha }}",
            HEAD_SHA: "${{ github.event.pull_request.head.sha }}",
        });
        // The comment job posts what the review job uploaded.
        const uploaded = review.steps.find((s) => action(s) === "actions/upload-artifact")!.with!;
        expect(pullRequest.jobs.comment.needs).to.equal("review");
        expect(pullRequest.jobs.comment.steps[0].with).to.deep.equal({ name: uploaded.name });
        expect(String(uploaded.path)).to.contain(`${String(diff["working-directory"])}/out/access-diff.md`);
    });

    it("previews the stacks the deploy would deploy, a new member stack on its first pull request, members before identity @slow", () => {
        // The pull request's checkout, with a fourth member stack listed in the identity stack file.
        const runner = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-runner-"));
        const review = pullRequest.jobs.review;
        const order = review.steps.find((s) => s.id === "stacks")!;
        const head = String(checkouts(review).find((s) => s.with?.ref === undefined)!.with!.path);
        // The base checkout: this one's files (npm runs a script in its package's real folder).
        const base = path.join(runner, order["working-directory"]!);
        for (const file of execFileSync("git", ["-C", projectRoot, "ls-files"], { encoding: "utf8" }).split("\n").filter(Boolean)) {
            if (fs.existsSync(path.join(projectRoot, file))) {
                fs.mkdirSync(path.dirname(path.join(base, file)), { recursive: true });
                fs.copyFileSync(path.join(projectRoot, file), path.join(base, file));
            }
        }
        fs.symlinkSync(path.join(projectRoot, "node_modules"), path.join(base, "node_modules"), "dir");
        fs.mkdirSync(path.join(runner, head));
        for (const stack of stackFiles) {
            fs.copyFileSync(stack.file, path.join(runner, head, path.basename(stack.file)));
        }
        const identityFile = path.join(runner, head, `Pulumi.${identity[0]}.yaml`);
        fs.writeFileSync(identityFile, fs.readFileSync(identityFile, "utf8").replace("[sales, retail]", "[sales, retail, ops]"));
        fs.writeFileSync(
            path.join(runner, head, "Pulumi.ops.yaml"),
            fs
                .readFileSync(path.join(projectRoot, "Pulumi.sales.yaml"), "utf8")
                .replaceAll("881102293469", "123456789012")
                .replace("name: sales, label: Sales", "name: ops, label: Ops"),
        );
        const outputFile = path.join(runner, "output");
        execFileSync("bash", ["-e", "-c", order.run!], {
            cwd: base,
            env: { ...process.env, GITHUB_OUTPUT: outputFile },
        });
        const outputs = Object.fromEntries(
            fs
                .readFileSync(outputFile, "utf8")
                .trim()
                .split("\n")
                .map((line) => [line.slice(0, line.indexOf("=")), JSON.parse(line.slice(line.indexOf("=") + 1)) as unknown]),
        );
        fs.rmSync(runner, { recursive: true });
        expect(outputs).to.deep.equal({
            members: ["sales", "retail", "ops"].map((name) => ({ name, stack: name })),
            identity: { name: identity[0], stack: identity[0] },
            afterIdentity: [],
        });
        expect(review.outputs).to.deep.equal({
            members: "${{ steps.stacks.outputs.members }}",
            identity: "${{ steps.stacks.outputs.identity }}",
        });
        expect(pullRequest.jobs["preview-members"].strategy!.matrix).to.deep.equal({
            member: "${{ fromJSON(needs.review.outputs.members) }}",
        });
        expect(pullRequest.jobs["preview-identity"].needs).to.deep.equal(["review", "preview-members"]);
    });

    it("previews with a Pulumi team token, read-only AWS roles and Okta read scopes, never commenting itself", () => {
        for (const job of ["preview-members", "preview-identity"]) {
            const steps = pullRequest.jobs[job].steps;
            expect(steps.find((s) => action(s) === "pulumi/auth-actions")!.with, job).to.deep.include({
                "requested-token-type": "urn:pulumi:token-type:access_token:team",
                scope: "team:${{ vars.PULUMI_PREVIEW_TEAM }}",
            });
            expect(String(steps.find((s) => action(s) === "aws-actions/configure-aws-credentials")!.with!["role-to-assume"]), job).to.match(
                /^\$\{\{ secrets\[format\('AWS_PREVIEW_ROLE_\{0\}', /,
            );
            const preview = steps.find((s) => action(s) === "pulumi/actions")!;
            expect(preview.with, job).to.include({ command: "preview", policyPacks: "policy", "pulumi-version-file": ".pulumi.version" });
            expect(preview.with, job).to.not.have.property("comment-on-pr");
            expect(pullRequest.jobs[job].if, job).to.equal("vars.PULUMI_PREVIEW_TEAM != ''");
        }
        expect(pullRequest.jobs["preview-identity"].env).to.include({ OKTA_API_SCOPES: "okta.apps.read,okta.groups.read,okta.users.read" });
    });

    it("tests on exactly the Node versions package.json's engines claims, as .ci/run does", () => {
        const { engines } = JSON.parse(fs.readFileSync(path.join(projectRoot, "package.json"), "utf8")) as { engines: { node: string } };
        const majors = [...engines.node.matchAll(/\^(\d+)\./g)].map((match) => Number(match[1]));
        expect(majors).to.deep.equal([20, 24]);
        expect(pullRequest.jobs.test.strategy!.matrix.node).to.deep.equal(majors);
        const ciRun = fs.readFileSync(path.join(projectRoot, ".ci", "run"), "utf8");
        expect(ciRun).to.include("\nrun_tests node\nrun_tests npm exec --yes --package=node@24 -- node\n");
        expect(ciRun).to.include("\nnpm ci --ignore-scripts ");
    });
});

describe("CI needs moto_server (.ci/run and the pull-request workflow's test job)", () => {
    it("stops .ci/run before installing anything when moto_server is not on PATH, saying how to get it", () => {
        const withoutMoto = (process.env.PATH ?? "")
            .split(path.delimiter)
            .filter((dir) => !fs.existsSync(path.join(dir, "moto_server")))
            .join(path.delimiter);
        // A copy in a folder of its own: were the check missing, its npm ci would find no project there.
        const copy = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-ci-"));
        fs.mkdirSync(path.join(copy, ".ci"));
        fs.copyFileSync(path.join(projectRoot, ".ci", "run"), path.join(copy, ".ci", "run"));
        const run = spawnSync("bash", [path.join(copy, ".ci", "run")], { env: { PATH: withoutMoto }, encoding: "utf8" });
        fs.rmSync(copy, { recursive: true, force: true });
        expect([run.status, run.stdout, run.stderr]).to.deep.equal([
            1,
            "",
            '.ci/run: moto_server is not on PATH; install it with: pip install "moto[server]"\n',
        ]);
    });

    it("installs moto_server in the test job before the tests run", () => {
        const steps = pullRequest.jobs.test.steps;
        const install = steps.findIndex((s) => s.run === 'pip install "moto[server]==5.2.1"');
        const tests = steps.findIndex((s) => s.run === "npm run test:all");
        expect([install > 0, install < tests]).to.deep.equal([true, true]);
    });
});

describe("deploy workflow (.github/workflows/deploy.yml)", () => {
    const workflow = workflows["deploy.yml"];

    it("runs on pushes to main and by hand, one deploy at a time, never cancelled halfway", () => {
        expect(workflow.on).to.deep.equal({ push: { branches: ["main"] }, workflow_dispatch: null });
        expect(workflow.concurrency).to.deep.equal({ group: "deploy", "cancel-in-progress": false });
        expect(workflow.env).to.include({ PULUMI_NODEJS_TRANSPILE_ONLY: "true" });
    });

    it("deploys every member of the plan's list in parallel, then identity once they all succeeded, behind its environment", () => {
        expect(workflow.jobs.members.needs).to.equal("plan");
        expect(workflow.jobs.members.strategy).to.deep.equal({
            "fail-fast": false,
            matrix: { member: "${{ fromJSON(needs.plan.outputs.members) }}" },
        });
        expect(workflow.jobs.identity.needs).to.deep.equal(["plan", "members"]);
        expect(workflow.jobs.identity.environment).to.equal("identity");
        expect(workflow.jobs.identity.if, "identity waits for every member to succeed").to.equal(undefined);
        // The direct members again, once identity succeeded: their providers take its Okta app metadata.
        expect(workflow.jobs["direct-members"].needs).to.deep.equal(["plan", "identity"]);
        expect(workflow.jobs["direct-members"].strategy).to.deep.equal({
            "fail-fast": false,
            matrix: { member: "${{ fromJSON(needs.plan.outputs.afterIdentity) }}" },
        });
    });

    it("reads the matrix from the identity stack file's okta-aws:memberStacks (runs the job's step) @slow", () => {
        const order = workflow.jobs.plan.steps.find((s) => s.id === "order")!;
        const outputFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-gh-")), "output");
        execFileSync("bash", ["-e", "-c", order.run!], { cwd: projectRoot, env: { ...process.env, GITHUB_OUTPUT: outputFile } });
        const outputs = Object.fromEntries(
            fs
                .readFileSync(outputFile, "utf8")
                .trim()
                .split("\n")
                .map((line) => [line.slice(0, line.indexOf("=")), JSON.parse(line.slice(line.indexOf("=") + 1)) as unknown]),
        );
        fs.rmSync(path.dirname(outputFile), { recursive: true });
        expect(outputs).to.deep.equal({
            members: (JSON.parse(stackFiles.find((f) => f.stack === identity[0])!.rawConfig["okta-aws:memberStacks"]) as string[]).map(
                (name) => ({ name, stack: name }),
            ),
            identity: { name: identity[0], stack: identity[0] },
            afterIdentity: [],
        });
        expect(workflow.jobs.plan.outputs).to.deep.equal({
            members: "${{ steps.order.outputs.members }}",
            identity: "${{ steps.order.outputs.identity }}",
            afterIdentity: "${{ steps.order.outputs.afterIdentity }}",
        });
    });

    it("keeps every credential in an environment that only main deploys from, and runs pulumi up with the policy pack", () => {
        expect(workflow.permissions).to.deep.equal({ contents: "read" });
        const holders = Object.entries(workflow.jobs).filter(([, job]) => secretsOf(workflow, job).length > 0);
        expect(holders.map(([name, job]) => [name, job.environment, secretsOf(workflow, job)])).to.deep.equal([
            ["members", "members", ["AWS_DEPLOY_ROLE_*", "PULUMI_ACCESS_TOKEN"]],
            ["identity", "identity", ["AWS_DEPLOY_ROLE_*", "OKTA_API_TOKEN", "PULUMI_ACCESS_TOKEN"]],
            ["direct-members", "members", ["AWS_DEPLOY_ROLE_*", "PULUMI_ACCESS_TOKEN"]],
        ]);
        for (const job of ["members", "identity", "direct-members"]) {
            const up = workflow.jobs[job].steps.find((s) => action(s) === "pulumi/actions")!;
            expect(up.with).to.include({ command: "up", policyPacks: "policy", "pulumi-version-file": ".pulumi.version" });
        }
    });

    it("pins the Pulumi CLI at or above the version docs/deploy.md requires for replacementTrigger", () => {
        const required = /≥ (\d+\.\d+\.\d+) — the first with the\s+`replacementTrigger`/.exec(
            fs.readFileSync(path.join(projectRoot, "docs", "deploy.md"), "utf8"),
        )![1];
        const pinned = fs.readFileSync(path.join(projectRoot, ".pulumi.version"), "utf8").trim();
        const parts = (version: string) => version.split(".").map(Number);
        const compare =
            parts(pinned)
                .map((part, i) => part - parts(required)[i])
                .find((d) => d !== 0) ?? 0;
        expect(pinned).to.match(/^\d+\.\d+\.\d+$/);
        expect(compare, `${pinned} ≥ ${required}`).to.be.at.least(0);
    });
});

describe("audit workflow (.github/workflows/audit.yml)", () => {
    const workflow = readWorkflow("audit.yml");

    it("runs every day and by hand, one audit at a time", () => {
        expect(workflow.on).to.deep.equal({ schedule: [{ cron: "17 6 * * *" }], workflow_dispatch: null });
        expect(workflow.concurrency).to.deep.equal({ group: "audit", "cancel-in-progress": false });
    });

    it("grants nothing by default; only the audit job reads AWS (OIDC) and Okta, only the job that runs no code may comment", () => {
        expect(workflow.permissions).to.deep.equal({});
        expect(Object.fromEntries(Object.keys(workflow.jobs).map((job) => [job, permissionsOf(workflow, job)]))).to.deep.equal({
            audit: { contents: "read", "id-token": "write" },
            drift: { issues: "write" },
        });
        expect(workflow.jobs.audit.env).to.deep.equal({ OKTA_API_TOKEN: "${{ secrets.OKTA_AUDIT_API_TOKEN }}" });
        expect(workflow.jobs.drift.env ?? {}).to.deep.equal({});
        expect(JSON.stringify(workflow.jobs.drift)).not.to.match(/secrets\.|actions\/checkout|npm /);
    });

    it("reads the organisation through the audit roles, keeps the report as an artifact, and on drift comments and fails", () => {
        const audit = workflow.jobs.audit.steps;
        expect(audit.map(describeStep)).to.deep.equal([
            "actions/checkout",
            "actions/setup-node",
            "npm ci --ignore-scripts",
            "aws-actions/configure-aws-credentials",
            "pulumi/actions",
            'pulumi org set-default "$PULUMI_ORG"',
            audit[6].run,
            "actions/upload-artifact",
        ]);
        expect(audit[0].with).to.deep.equal({ "persist-credentials": false });
        expect(audit[3].with).to.deep.equal({ "role-to-assume": "${{ secrets.AWS_AUDIT_ROLE }}", "aws-region": "us-east-1" });
        // The CLI only installed (no command), at the pinned version; the audit reads the identity
        // stack's outputs with a token of its own, given only to the steps that run pulumi.
        expect(audit[4].with).to.deep.equal({ "pulumi-version-file": ".pulumi.version" });
        expect(audit[5].env).to.deep.equal({
            PULUMI_ACCESS_TOKEN: "${{ secrets.PULUMI_AUDIT_ACCESS_TOKEN }}",
            PULUMI_ORG: "${{ vars.PULUMI_ORG }}",
        });
        expect(audit[6].env).to.deep.equal({ PULUMI_ACCESS_TOKEN: "${{ secrets.PULUMI_AUDIT_ACCESS_TOKEN }}" });
        expect(audit[6].run).to.include("npm run --silent audit\n");
        expect(audit[7].if).to.equal("always()");
        expect(audit[7].with).to.deep.include({ name: "audit" });
        expect(String(audit[7].with!.path).trim().split("\n")).to.deep.equal(["out/audit.md", "out/audit.json"]);
        expect(workflow.jobs.audit.outputs).to.deep.equal({ result: "${{ steps.audit.outputs.result }}" });

        const drift = workflow.jobs.drift;
        expect([drift.needs, drift.if]).to.deep.equal(["audit", "needs.audit.outputs.result == 'drift'"]);
        expect(drift.steps.map(describeStep)).to.deep.equal(["actions/download-artifact", drift.steps[1].run, drift.steps[2].run]);
        expect(drift.steps[0].with).to.deep.equal({ name: "audit" });
        expect([drift.steps[1].if, drift.steps[1].run]).to.deep.equal([
            "vars.AUDIT_ISSUE != ''",
            'gh issue comment "$AUDIT_ISSUE" --body-file audit.md',
        ]);
        expect(drift.steps[2].run).to.match(/exit 1\s*$/);
    });

    it("names no account and no stack: the audit reads them from the stack files, as the deploy does", () => {
        const text = JSON.stringify(workflow); // what runs, comments left out
        const accounts = stackFiles.map((f) => (JSON.parse(f.rawConfig["okta-aws:account"]) as { id: string }).id);
        const named = [...accounts, ...members, ...identity].filter((name) => new RegExp(`\\b${name}\\b`).test(text));
        expect(named).to.deep.equal([]);
    });

    it("passes drift on to the next job and fails the step only when the audit could not run (runs the step) @slow", () => {
        const step = workflow.jobs.audit.steps.find((s) => s.id === "audit")!;
        const bin = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-gh-audit-"));
        const outcomes = [0, 1, 2].map((code) => {
            fs.writeFileSync(path.join(bin, "npm"), `#!/bin/sh\nexit ${code}\n`, { mode: 0o755 });
            const outputFile = path.join(bin, `output-${code}`);
            fs.writeFileSync(outputFile, "");
            let failed = false;
            try {
                execFileSync("bash", ["-e", "-c", step.run!], {
                    env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, GITHUB_OUTPUT: outputFile },
                    stdio: "ignore",
                });
            } catch {
                failed = true;
            }
            return [code, fs.readFileSync(outputFile, "utf8"), failed];
        });
        fs.rmSync(bin, { recursive: true });
        expect(outcomes).to.deep.equal([
            [0, "result=clean\n", false],
            [1, "result=drift\n", false],
            [2, "", true],
        ]);
    });
});
