// No runner is available here: check the pull-request workflow's structure instead.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { listStackFiles } from "../tools/stackFiles";
import { projectRoot } from "./harness";

interface Step {
    name?: string;
    uses?: string;
    run?: string;
    if?: string;
    with?: Record<string, string | number | boolean>;
}

describe("pull-request workflow (.github/workflows/pull-request.yml)", () => {
    const workflow = parse(fs.readFileSync(path.join(projectRoot, ".github", "workflows", "pull-request.yml"), "utf8")) as {
        on: Record<string, unknown>;
        permissions: Record<string, string>;
        jobs: Record<string, { needs?: string; steps: Step[] }>;
    };
    const describeStep = (step: Step) => step.run ?? step.uses!;

    it("runs on pull requests and may comment on them", () => {
        expect(workflow.on).to.have.property("pull_request");
        expect(workflow.permissions).to.include({ "pull-requests": "write", contents: "read" });
    });

    it("installs, type-checks, tests, then posts the access diff as a sticky comment", () => {
        const steps = workflow.jobs.test.steps;
        expect(steps.map(describeStep)).to.deep.equal([
            "actions/checkout@v4",
            "actions/setup-node@v4",
            "npm ci",
            "npx tsc --noEmit -p .",
            "npm run lint",
            "npm test",
            'npm run access-diff -- --base "origin/${{ github.base_ref }}"',
            "marocchino/sticky-pull-request-comment@v2",
        ]);
        expect(steps[0].with).to.deep.equal({ "fetch-depth": 0 });
        expect(steps[1].with).to.include({ "node-version": 20 });
        expect(steps[7].with).to.deep.equal({ header: "access-diff", path: "out/access-diff.md" });
    });

    it("previews every stack with pulumi/actions, members before identity, only with credentials", () => {
        const job = workflow.jobs.preview;
        expect(job.needs).to.equal("test");
        const previews = job.steps.filter((s) => s.uses?.startsWith("pulumi/actions@"));
        const stacks = previews.map((s) => String(s.with!["stack-name"]).split("/").pop());
        const files = listStackFiles(projectRoot);
        const members = files.filter((f) => f.rawConfig["okta-aws:identityAccountId"] !== undefined).map((f) => f.stack);
        const identity = files.filter((f) => f.rawConfig["okta-aws:memberStacks"] !== undefined).map((f) => f.stack);
        expect([...stacks].sort()).to.deep.equal([...members, ...identity].sort());
        expect(stacks.slice(-identity.length)).to.deep.equal(identity);
        for (const preview of previews) {
            expect(preview.with).to.include({ command: "preview", "comment-on-pr": true });
            const index = job.steps.indexOf(preview);
            expect(job.steps[index - 1].uses, `credentials before ${preview.name}`).to.equal("aws-actions/configure-aws-credentials@v4");
        }
        expect(job.steps.slice(1).every((s) => s.if === "steps.credentials.outputs.available == 'true'")).to.equal(true);
    });
});
