// No runner is available here: check the workflows' structure instead — jobs, their order,
// permissions, conditions and what each step is given — not the literal action versions.
import { expect } from "chai";
import { execFileSync } from "child_process";
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
/** A step by its action (version left out) or its command. */
const describeStep = (step: Step) => (step.uses ? step.uses.split("@")[0] : step.run!);
const permissionsOf = (workflow: Workflow, job: string) => workflow.jobs[job].permissions ?? workflow.permissions;
const stackFiles = listStackFiles(projectRoot);
const members = stackFiles.filter((f) => f.rawConfig["okta-aws:identityAccountId"] !== undefined).map((f) => f.stack);
const identity = stackFiles.filter((f) => f.rawConfig["okta-aws:memberStacks"] !== undefined).map((f) => f.stack);

for (const file of ["pull-request.yml", "deploy.yml", "audit.yml"]) {
    describe(`every action of ${file}`, () => {
        it("is pinned to a major version tag and gets no long-lived AWS keys", () => {
            const steps = Object.values(readWorkflow(file).jobs).flatMap((job) => job.steps);
            for (const step of steps.filter((s) => s.uses)) {
                expect(step.uses, step.name).to.match(/^[\w.-]+\/[\w.-]+@v\d+$/);
            }
            expect(JSON.stringify(readWorkflow(file))).not.to.match(/aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY/i);
        });
    });
}

describe("pull-request workflow (.github/workflows/pull-request.yml)", () => {
    const workflow = readWorkflow("pull-request.yml");

    it("runs on pull requests, granting each job only what it needs", () => {
        expect(workflow.on).to.have.property("pull_request");
        expect(workflow.permissions).to.deep.equal({});
        expect(Object.fromEntries(Object.keys(workflow.jobs).map((job) => [job, permissionsOf(workflow, job)]))).to.deep.equal({
            // The only job that runs the pull request's own npm ci and tests: read only.
            test: { contents: "read" },
            comment: { "pull-requests": "write" },
            preview: { contents: "read", "pull-requests": "write", "id-token": "write" },
        });
        expect(workflow.jobs.test.steps[0].with).to.include({ "persist-credentials": false });
    });

    it("passes expressions to the shell through env:, never inside run: text", () => {
        for (const file of ["pull-request.yml", "deploy.yml", "audit.yml"]) {
            const runs = Object.values(readWorkflow(file).jobs).flatMap((job) => job.steps.filter((s) => s.run).map((s) => s.run!));
            expect(
                runs.filter((run) => run.includes("${{")),
                file,
            ).to.deep.equal([]);
        }
    });

    it("installs, type-checks, lints, checks licences, tests and uploads the access diff; a job that runs none of it comments", () => {
        const steps = workflow.jobs.test.steps;
        expect(steps.map(describeStep)).to.deep.equal([
            "actions/checkout",
            "actions/setup-node",
            "npm ci",
            "npm run typecheck",
            "npm run lint",
            "npm run licenses",
            "npm run test:all",
            'npm run access-diff -- --base "origin/$BASE_REF" --json',
            "actions/upload-artifact",
        ]);
        expect(steps[0].with).to.deep.equal({ "fetch-depth": 0, "persist-credentials": false });
        expect(steps[1].with).to.include({ "node-version": "${{ matrix.node }}" });
        expect((steps[7] as Step & { env: Record<string, string> }).env).to.deep.equal({ BASE_REF: "${{ github.base_ref }}" });
        expect(steps[8].with!.name).to.equal("access-diff");
        expect(String(steps[8].with!.path).trim().split("\n")).to.deep.equal([
            "out/access-diff.md",
            "out/access-diff-full.md",
            "out/access-diff.json",
        ]);
        // One access diff per pull request: only the Node 24 leg of the matrix makes and uploads it.
        expect(steps.slice(7).map((s) => s.if)).to.deep.equal(["matrix.node == 24", "matrix.node == 24"]);
        const comment = workflow.jobs.comment;
        expect(comment.needs).to.equal("test");
        expect(comment.steps.map(describeStep)).to.deep.equal(["actions/download-artifact", "marocchino/sticky-pull-request-comment"]);
        expect(comment.steps[0].with).to.deep.equal({ name: "access-diff" });
        expect(comment.steps[1].with).to.deep.equal({ header: "access-diff", path: "access-diff.md" });
    });

    it("tests on exactly the Node versions package.json's engines claims, as .ci/run does", () => {
        const { engines } = JSON.parse(fs.readFileSync(path.join(projectRoot, "package.json"), "utf8")) as { engines: { node: string } };
        const majors = [...engines.node.matchAll(/\^(\d+)\./g)].map((match) => Number(match[1]));
        expect(majors).to.deep.equal([20, 24]);
        expect(workflow.jobs.test.strategy!.matrix.node).to.deep.equal(majors);
        const ciRun = fs.readFileSync(path.join(projectRoot, ".ci", "run"), "utf8");
        expect(ciRun).to.include("\nrun_tests node\nrun_tests npm exec --yes --package=node@24 -- node\n");
    });

    it("previews every stack with the policy pack, members before identity, only with credentials", () => {
        const job = workflow.jobs.preview;
        expect(job.needs).to.equal("test");
        const previews = job.steps.filter((s) => s.uses?.startsWith("pulumi/actions@"));
        const stacks = previews.map((s) => String(s.with!["stack-name"]).split("/").pop());
        expect([...stacks].sort()).to.deep.equal([...members, ...identity].sort());
        expect(stacks.slice(-identity.length)).to.deep.equal(identity);
        for (const preview of previews) {
            expect(preview.with).to.include({
                command: "preview",
                "comment-on-pr": true,
                policyPacks: "policy",
                "pulumi-version-file": ".pulumi.version",
            });
            const index = job.steps.indexOf(preview);
            expect(describeStep(job.steps[index - 1]), `credentials before ${preview.name}`).to.equal(
                "aws-actions/configure-aws-credentials",
            );
        }
        expect(job.steps.slice(1).every((s) => s.if === "steps.credentials.outputs.available == 'true'")).to.equal(true);
    });
});

describe("deploy workflow (.github/workflows/deploy.yml)", () => {
    const workflow = readWorkflow("deploy.yml");

    it("runs on pushes to main and by hand, one deploy at a time, never cancelled halfway", () => {
        expect(workflow.on).to.deep.equal({ push: { branches: ["main"] }, workflow_dispatch: null });
        expect(workflow.concurrency).to.deep.equal({ group: "deploy", "cancel-in-progress": false });
        expect(workflow.env).to.include({ PULUMI_NODEJS_TRANSPILE_ONLY: "true" });
    });

    it("type-checks once, then deploys every member in parallel, then identity behind its environment", () => {
        expect(Object.keys(workflow.jobs)).to.deep.equal(["plan", "members", "identity"]);
        expect(workflow.jobs.plan.steps.map(describeStep)).to.deep.equal([
            "actions/checkout",
            "actions/setup-node",
            "npm ci",
            "npm run typecheck",
            'npm run --silent deploy -- --dry-run --github-output >> "$GITHUB_OUTPUT"',
        ]);
        expect(workflow.jobs.plan.outputs).to.deep.equal({
            members: "${{ steps.order.outputs.members }}",
            identity: "${{ steps.order.outputs.identity }}",
        });
        expect(workflow.jobs.members.needs).to.equal("plan");
        expect(workflow.jobs.members.strategy).to.deep.equal({
            "fail-fast": false,
            matrix: { member: "${{ fromJSON(needs.plan.outputs.members) }}" },
        });
        expect(workflow.jobs.identity.needs).to.deep.equal(["plan", "members"]);
        expect(workflow.jobs.identity.environment).to.equal("identity");
        expect(workflow.jobs.identity.if, "identity waits for every member to succeed").to.equal(undefined);
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
                .map((line) => [line.slice(0, line.indexOf("=")), JSON.parse(line.slice(line.indexOf("=") + 1))]),
        );
        fs.rmSync(path.dirname(outputFile), { recursive: true });
        expect(outputs).to.deep.equal({
            members: (JSON.parse(stackFiles.find((f) => f.stack === identity[0])!.rawConfig["okta-aws:memberStacks"]) as string[]).map(
                (name) => ({ name, stack: name }),
            ),
            identity: { name: identity[0], stack: identity[0] },
        });
    });

    it("gives OIDC credentials only to the jobs that deploy, and runs pulumi up with the policy pack", () => {
        expect(workflow.permissions).to.deep.equal({ contents: "read" });
        expect(permissionsOf(workflow, "plan")).to.deep.equal({ contents: "read" });
        for (const job of ["members", "identity"]) {
            expect(permissionsOf(workflow, job)).to.deep.equal({ contents: "read", "id-token": "write" });
            const steps = workflow.jobs[job].steps;
            expect(steps.map(describeStep)).to.deep.equal([
                "actions/checkout",
                "actions/setup-node",
                "npm ci",
                "aws-actions/configure-aws-credentials",
                "pulumi/actions",
            ]);
            expect(steps[3].with!["role-to-assume"]).to.match(/^\$\{\{ secrets\[format\('AWS_DEPLOY_ROLE_\{0\}', /);
            expect(steps[4].with).to.include({ command: "up", policyPacks: "policy", "pulumi-version-file": ".pulumi.version" });
        }
        expect(workflow.jobs.identity.env).to.have.property("OKTA_API_TOKEN");
        expect(workflow.jobs.members.env ?? {}).not.to.have.property("OKTA_API_TOKEN");
    });

    it("pins the Pulumi CLI at or above the version the README requires for replacementTrigger", () => {
        const required = /≥ (\d+\.\d+\.\d+) — the first with the\s+`replacementTrigger`/.exec(
            fs.readFileSync(path.join(projectRoot, "README.md"), "utf8"),
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
            "npm ci",
            "aws-actions/configure-aws-credentials",
            audit[4].run,
            "actions/upload-artifact",
        ]);
        expect(audit[0].with).to.deep.equal({ "persist-credentials": false });
        expect(audit[3].with).to.deep.equal({ "role-to-assume": "${{ secrets.AWS_AUDIT_ROLE }}", "aws-region": "us-east-1" });
        expect(audit[4].run).to.include("npm run --silent audit\n");
        expect(audit[5].if).to.equal("always()");
        expect(audit[5].with).to.deep.include({ name: "audit" });
        expect(String(audit[5].with!.path).trim().split("\n")).to.deep.equal(["out/audit.md", "out/audit.json"]);
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
