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
        git("init", "-q", "-b", "main");
        git("add", "-A");
        git("commit", "-qm", "base");
    });
    after(() => fs.rmSync(repo, { recursive: true, force: true }));

    it("okta:orgName and aws:profile changed in a data-only commit: first in the summary and the comment; a retry setting is ordinary", async () => {
        const base = await plan();
        edit("Pulumi.identity.yaml", "okta:orgName: acmecorp", "okta:orgName: evil");
        edit("Pulumi.identity.yaml", "okta:baseUrl: okta.com", "okta:baseUrl: okta.com\n  okta:maxRetries: 3");
        edit("Pulumi.sales.yaml", "aws:region: us-east-1", "aws:region: us-east-1\n  aws:profile: admin");
        git("commit", "-qam", "head");
        // Data only: no path of the change is code.
        expect(codeChanges(repo, git("rev-parse", "HEAD~1"), git("rev-parse", "HEAD"))).to.deep.equal([]);
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
            "### Provider target changed",
            "",
            "Where the deploy's credentials go, or which they are: a change the offline plan cannot show, on no row of the ordinary ones (docs/allow-lists.md); check it by hand.",
            "",
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
});
