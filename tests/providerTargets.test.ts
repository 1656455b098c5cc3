// Red team (issue 34): a pull request that only edits a stack file can point the deploy at another
// Okta org (`okta:orgName`), another AWS profile or other credentials. The plan hardly moves (a few
// URLs; nothing at all for a profile) and the change is data, so the access diff must lead with it:
// every provider setting's change but the ordinary ones (tools/report/providerTargets.ts).
import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { codeChanges } from "../tools/plan/atRevision";
import { buildPlan } from "../tools/plan/build";
import type { Plan } from "../tools/plan/model";
import { diffPlans } from "../tools/report/accessDiff";
import { providerTargetChanges } from "../tools/report/providerTargets";
import { readStackFile } from "../tools/plan/stackFiles";
import { ConfigError } from "../components/config";
import { accessDiffMarkdown, diffSummary } from "../tools/report/accessDiffMarkdown";
import { projectRoot, testIdpKeyFile } from "./harness";

describe("the access diff leads with a changed provider target (red team: a data-only change of okta:orgName)", function () {
    this.timeout(120000);
    let repo: string;
    const git = (...args: string[]) =>
        execFileSync("git", ["-C", repo, "-c", "user.name=test", "-c", "user.email=test@example.com", ...args])
            .toString()
            .trim();
    /** The repository's plan as its working tree holds it now. */
    const plan = async (): Promise<Plan> => (await buildPlan(repo, testIdpKeyFile)).plan;
    /** The comment section's heading and lead, before its list. */
    const targetSection = [
        "### Provider target changed",
        "",
        "Where the deploy's credentials go, or which they are: a change the offline plan cannot show, on no row of the ordinary ones (docs/allow-lists.md); check it by hand.",
        "",
    ];
    /** The configuration problems that stop the plan (none when it builds). */
    const refusals = async (): Promise<string[]> => {
        try {
            await plan();
            return [];
        } catch (error) {
            expect(error).to.be.instanceOf(ConfigError);
            return (error as ConfigError).problems;
        }
    };
    const edit = (file: string, from: string, to: string) => {
        const text = fs.readFileSync(path.join(repo, file), "utf8");
        expect(text, `${file} holds ${from}`).to.contain(from);
        fs.writeFileSync(path.join(repo, file), text.replace(from, to));
    };

    before(() => {
        repo = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-provider-targets-"));
        for (const file of fs.readdirSync(projectRoot).filter((f) => /^Pulumi\.[a-z]+\.yaml$/.test(f))) {
            fs.copyFileSync(path.join(projectRoot, file), path.join(repo, file));
        }
        fs.copyFileSync(path.join(projectRoot, "Pulumi.yaml"), path.join(repo, "Pulumi.yaml"));
        // One process for the three: a spawn from this (large) process costs more than their work.
        execFileSync(
            "sh",
            ["-c", "git init -q -b main && git add -A && git -c user.name=test -c user.email=test@example.com commit -qm base"],
            {
                cwd: repo,
            },
        );
    });
    after(() => fs.rmSync(repo, { recursive: true, force: true }));

    it("okta:orgName and aws:profile changed in a data-only commit: first in the summary and the comment; a retry setting is ordinary", async () => {
        const base = await plan();
        edit("Pulumi.identity.yaml", "okta:orgName: acmecorp", "okta:orgName: evil");
        edit("Pulumi.identity.yaml", "okta:baseUrl: okta.com", "okta:baseUrl: okta.com\n  okta:maxRetries: 3");
        edit("Pulumi.sales.yaml", "aws:region: us-east-1", "aws:region: us-east-1\n  aws:profile: admin");
        git("commit", "-qam", "head");
        // Data only: no path of the change is code.
        expect(codeChanges(repo, "HEAD~1", "HEAD")).to.deep.equal([]);
        const diff = diffPlans(base, await plan());
        expect(diff.providerTargets).to.deep.equal([
            { stack: "identity", file: "Pulumi.identity.yaml", key: "okta:orgName", before: "acmecorp", after: "evil" },
            { stack: "sales", file: "Pulumi.sales.yaml", key: "aws:profile", before: undefined, after: "admin" },
        ]);
        expect(diffSummary(diff)).to.equal(
            "provider targets changed: Pulumi.identity.yaml okta:orgName acmecorp → evil, Pulumi.sales.yaml aws:profile (not set) → admin, +0 access, −0 access, 2 resources changed in identity, 3 outputs changed in identity",
        );
        expect(accessDiffMarkdown(diff, "main", "pr", { brief: true }).split("\n").slice(0, 7)).to.deep.equal([
            "**Access diff** (main → pr): provider targets changed: Pulumi.identity.yaml okta:orgName acmecorp → evil, Pulumi.sales.yaml aws:profile (not set) → admin, +0 access, −0 access, 2 resources changed in identity, 3 outputs changed in identity",
            "",
            ...targetSection,
            "- `Pulumi.identity.yaml` `okta:orgName`: `acmecorp` → `evil`",
        ]);
    });

    it("a secret's new ciphertext shows as a new fingerprint, never its value", async () => {
        edit("Pulumi.identity.yaml", "okta:baseUrl: okta.com", "okta:baseUrl: okta.com\n  okta:apiToken:\n    secure: v1:AAAA:first");
        const before = await plan();
        edit("Pulumi.identity.yaml", "secure: v1:AAAA:first", "secure: v1:AAAA:second");
        const diff = diffPlans(before, await plan());
        expect(diff.providerTargets.map((c) => [c.key, c.before, c.after])).to.deep.equal([
            ["okta:apiToken", "[secret 90e90d76283c]", "[secret 110e3d114660]"],
        ]);
        expect(JSON.stringify(diff)).to.not.contain("v1:AAAA");
    });
    // Red team (rt6): the stack file's own secrets provider. Pulumi decrypts the stack's secrets with
    // the provider its `secretsprovider:` names (pkg/cmd/pulumi crypto.go `getStackSecretsManager`),
    // and an awskms URL's `endpoint` sends the deploy's signed KMS calls where it says
    // (gocloud.dev aws/aws.go `ConfigFromURLParams`).
    it("the stack file's secretsprovider changed (an awskms URL's endpoint): a provider target, in a data-only change", async () => {
        edit("Pulumi.identity.yaml", "\nconfig:\n", "\nsecretsprovider: awskms://alias/okta-aws?region=us-east-1\nconfig:\n");
        const before = await plan();
        git("commit", "-qam", "a secrets provider");
        edit("Pulumi.identity.yaml", "region=us-east-1\n", "region=us-east-1&endpoint=https://kms.evil.example\n");
        git("commit", "-qam", "its endpoint");
        expect(codeChanges(repo, "HEAD~1", "HEAD")).to.deep.equal([]);
        expect(diffPlans(before, await plan()).providerTargets).to.deep.equal([
            {
                stack: "identity",
                file: "Pulumi.identity.yaml",
                key: "secretsprovider",
                before: "awskms://alias/okta-aws?region=us-east-1",
                after: "awskms://alias/okta-aws?region=us-east-1&endpoint=https://kms.evil.example",
            },
        ]);
    });

    it("a stack file's top-level key that is none of Pulumi's (a misspelt secretsProvider) is refused, in the one message format", () => {
        const folder = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-stack-keys-"));
        try {
            const file = path.join(folder, "Pulumi.sales.yaml");
            fs.writeFileSync(file, "secretsProvider: awskms://alias/x\nconfig:\n  aws:region: us-east-1\nencryptionsalt: v1:abc\n");
            expect(() => readStackFile(file))
                .to.throw(ConfigError)
                .with.property("problems")
                .that.deep.equals([
                    'Pulumi.sales.yaml: secretsProvider: "awskms://alias/x" — is not a key of a stack file: Pulumi reads config, environment, secretsprovider, encryptedkey and encryptionsalt (sdk/go/common/workspace/project.go `ProjectStack`) and ignores any other, so a reviewer would read it for nothing; remove it or spell it as one of these',
                ]);
        } finally {
            fs.rmSync(folder, { recursive: true, force: true });
        }
    });

    it("a stack new in the head: every provider target of its file is new (the profile, the account, the region)", async () => {
        const head = await plan();
        const base: Plan = { ...head, stacks: { ...head.stacks } };
        delete base.stacks.sales;
        expect(providerTargetChanges(base, head)).to.deep.equal([
            { stack: "sales", file: "Pulumi.sales.yaml", key: "aws:allowedAccountIds", before: undefined, after: '["881102293469"]' },
            { stack: "sales", file: "Pulumi.sales.yaml", key: "aws:profile", before: undefined, after: "admin" },
            { stack: "sales", file: "Pulumi.sales.yaml", key: "aws:region", before: undefined, after: "us-east-1" },
        ]);
    });

    // The offline plan answers a StackReference from the stack file beside it, whatever organisation
    // the name gives; the deploy reads the stack of the organisation it names (components/names.ts
    // `qualifiedStackName`), so its outputs (the roles the identity stack trusts) come from there.
    it("a member stack named in another Pulumi organisation, in a data-only change: a provider target, though the plan is the same", async () => {
        const before = await plan();
        edit("Pulumi.identity.yaml", "okta-aws:memberStacks: [sales, retail]", "okta-aws:memberStacks: [other-org/sales, retail]");
        edit("Pulumi.identity.yaml", "okta:orgName: evil", "okta-aws:oktaCustomDomain: login.evil.example\n  okta:orgName: evil");
        git("commit", "-qam", "member stacks");
        expect(codeChanges(repo, "HEAD~1", "HEAD")).to.deep.equal([]);
        const diff = diffPlans(before, await plan());
        expect(diff.providerTargets).to.deep.equal([
            {
                stack: "identity",
                file: "Pulumi.identity.yaml",
                key: "okta-aws:memberStacks",
                before: undefined,
                after: '["other-org/sales"]',
            },
            {
                stack: "identity",
                file: "Pulumi.identity.yaml",
                key: "okta-aws:oktaCustomDomain",
                before: undefined,
                after: "login.evil.example",
            },
        ]);
    });
    // Red team (rt6): a provider setting the program does not otherwise check (aws:profile) is any
    // text YAML can spell, line breaks included ("x\n\n<!--"): in the comment's list it ended the code
    // span, and a line starting with <!-- opens an HTML block that hides the rest of the comment.
    it("a provider target's value is shown on its one line, in the comment and the summary, whatever it holds", async () => {
        const diff = diffPlans(await plan(), await plan());
        const hostile = "x\n\n<!-- hidden\u001b[2J";
        const withTarget = {
            ...diff,
            providerTargets: [{ stack: "sales", file: "Pulumi.sales.yaml", key: "aws:profile", before: undefined, after: hostile }],
        };
        expect(diffSummary(withTarget).split(", +0 access")[0]).to.equal(
            "provider target changed: Pulumi.sales.yaml aws:profile (not set) → x\\u000a\\u000a<!-- hidden\\u001b[2J",
        );
        expect(accessDiffMarkdown(withTarget, "main", "pr", { brief: true }).split("\n").slice(2, 7)).to.deep.equal([
            ...targetSection,
            "- `Pulumi.sales.yaml` `aws:profile`: `(not set)` → `x\\u000a\\u000a<!-- hidden\\u001b[2J`",
        ]);
    });

    it("a provider setting's text with a line break or a control character stops the preview, in the one message format", async () => {
        edit("Pulumi.sales.yaml", "aws:profile: admin", 'aws:profile: "admin\\n\\n<!-- hidden"');
        expect(await refusals()).to.deep.equal([
            'Pulumi.sales.yaml: aws:profile: "admin\\n\\n<!-- hidden" — may not hold control characters or line breaks: a provider setting is one line of plain characters, as the reports show it',
        ]);
        edit("Pulumi.sales.yaml", 'aws:profile: "admin\\n\\n<!-- hidden"', "aws:profile: admin");
    });
    // Red team (rt6): a provider target stored as a secret shows in the diff only as a fingerprint,
    // so a reviewer cannot see where it now points: only a credential may be a secret.
    it("a provider setting that is no credential, stored as a secret (aws:profile), stops the preview", async () => {
        edit("Pulumi.sales.yaml", "aws:profile: admin", "aws:profile:\n    secure: v1:AAAA:profile");
        expect(await refusals()).to.deep.equal([
            "Pulumi.sales.yaml: aws:profile: (value not shown) — is stored as a secret, but it is no credential: the access diff would show a reviewer only its fingerprint, not where the deploy now goes; set it in clear text (only aws:accessKey, aws:secretKey, aws:token, okta:apiToken, okta:accessToken and okta:privateKey are secrets)",
        ]);
        edit("Pulumi.sales.yaml", "aws:profile:\n    secure: v1:AAAA:profile", "aws:profile: admin");
    });
});
