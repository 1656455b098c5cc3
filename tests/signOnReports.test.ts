// The sign-on policy, the emergency roles, the chained-session limit and member roles' own policies
// and boundaries as every report shows them: the console summary, access.md and the access diff,
// on the initech organisation, the shipped one, a Classic-engine opt-out and edited heads.
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../tools/commands/preview";
import { buildPlan } from "../tools/plan/build";
import type { Plan, PlanResult } from "../tools/plan/model";
import { accessMarkdown } from "../tools/report/access";
import { diffPlans } from "../tools/report/accessDiff";
import { accessDiffMarkdown, diffSummary } from "../tools/report/accessDiffMarkdown";
import { renderPreview } from "../tools/report/console";
import { captureCommand, projectRoot, shippedPlan, testIdpKeyFile } from "./harness";

const initechDir = path.join(projectRoot, "tests", "fixtures", "initech");

/** A copy of an organisation's folder in a temporary one, its stack files edited (by stack, a function of the text). */
function editedOrganisation(from: string, edits: Record<string, (text: string) => string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-reports-"));
    for (const entry of fs.readdirSync(from).filter((name) => /^Pulumi\..*yaml$/.test(name) || name === "policies")) {
        fs.cpSync(path.join(from, entry), path.join(dir, entry), { recursive: true });
    }
    for (const [stack, edit] of Object.entries(edits)) {
        const file = path.join(dir, `Pulumi.${stack}.yaml`);
        const text = fs.readFileSync(file, "utf8");
        expect(edit(text), `the edit of Pulumi.${stack}.yaml changes it`).to.not.equal(text);
        fs.writeFileSync(file, edit(text));
    }
    return dir;
}

/** The lines from the one starting with `first` up to (not including) the next empty line. */
function block(lines: string[], first: string): string[] {
    const start = lines.findIndex((line) => line.startsWith(first));
    expect(start, `a line starting with ${first}`).to.be.at.least(0);
    const end = lines.indexOf("", start);
    return lines.slice(start, end === -1 ? undefined : end);
}

/** The Markdown section from its heading up to (not including) the next `## ` heading. */
function section(markdown: string, heading: string): string[] {
    const lines = markdown.split("\n");
    const start = lines.indexOf(heading);
    expect(start, heading).to.be.at.least(0);
    const end = lines.findIndex((line, i) => i > start && line.startsWith("## "));
    return lines.slice(start, end);
}

const chained =
    "Member-account sessions are role-chained (identity account role → member role): each lasts at most one hour, whatever a member role's maxSessionDuration says";
const chainingDoc = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-role-chaining";
const holding =
    "held by nobody day to day: an Okta admin adds a person to the role's Okta group at the moment of need and removes them afterwards; the program never manages the group's members";

describe("sign-on and emergency roles in the reports (console, access.md, access diff)", function () {
    this.timeout(120000);
    let initech: PlanResult;
    let shipped: PlanResult;
    before(async () => {
        initech = await buildPlan(initechDir, testIdpKeyFile);
        shipped = await shippedPlan();
    });

    it("console summary of initech: the phishing-resistant policy and its rules, the chained-session limit, the emergency role apart", () => {
        const lines = renderPreview(initech);
        expect(block(lines, "Sign-on")).to.deep.equal([
            `Sign-on (Okta app sign-on policy "Initech AWS sign-on (okta-aws)", on the AWS app and okta-aws-cli's app)`,
            "  two factors, one of them phishing-resistant; re-authentication after PT8H; only from Okta network zones nzo1initechoffice0a7; everything else denied",
        ]);
        expect(block(lines, "  priority")).to.deep.equal([
            "  priority  rule                             access  applies to                                   factors                              re-authenticate  network",
            "  1         Emergency Payments-Break-Glass   ALLOW   group aws_314159265358_Payments-Break-Glass  two factors, one phishing-resistant  every sign-in    zones nzo1initechoffice0a7",
            "  2         Two factors, phishing-resistant  ALLOW   everyone else                                two factors, one phishing-resistant  after PT8H       zones nzo1initechoffice0a7",
            "  3         Deny everything else             DENY    everyone else                                                                     after PT2H       anywhere",
        ]);
        expect(block(lines, "  samir@initech.example")).to.deep.equal([
            "  samir@initech.example    user                        Payments-Deployers    → Payments (271828182845)  Deployers    payments-deploy, AmazonEC2ReadOnlyAccess; boundary payments-deployers-boundary",
        ]);
        expect(lines.filter((line) => line.includes("role-chained"))).to.deep.equal([`  ${chained} (${chainingDoc})`]);
        expect(block(lines, "Emergency roles")).to.deep.equal([
            `Emergency roles (1, ${holding})`,
            "  federated role        Okta group                             → account                  role         policies             sign-on",
            "  Payments-Break-Glass  aws_314159265358_Payments-Break-Glass  → Payments (271828182845)  Break_Glass  AdministratorAccess  Emergency Payments-Break-Glass: two factors, one phishing-resistant, re-authenticate every sign-in",
        ]);
        // No standing access to the emergency role: it is in no access row.
        expect(lines.filter((line) => line.includes("Payments-Break-Glass") && line.includes("user"))).to.deep.equal([]);
    });

    it("access.md of initech: the sign-on rules, the emergency role with its group, target and rule, own policies and boundaries by name", () => {
        const markdown = accessMarkdown(initech.plan);
        expect(markdown.split("\n")).to.include(`${chained} ([AWS IAM: role chaining](${chainingDoc})).`);
        expect(section(markdown, "## Sign-on")).to.deep.equal([
            "## Sign-on",
            "",
            "The Okta app sign-on policy **Initech AWS sign-on (okta-aws)** guards the AWS app and okta-aws-cli's app: two factors, one of them phishing-resistant; re-authentication after PT8H; only from Okta network zones nzo1initechoffice0a7; everything else denied.",
            "",
            "| Priority | Rule | Access | Applies to | Factors | Re-authenticate | Network |",
            "| --- | --- | --- | --- | --- | --- | --- |",
            "| 1 | Emergency Payments-Break-Glass | ALLOW | group aws\\_314159265358\\_Payments-Break-Glass | two factors, one phishing-resistant | every sign-in | zones nzo1initechoffice0a7 |",
            "| 2 | Two factors, phishing-resistant | ALLOW | everyone else | two factors, one phishing-resistant | after PT8H | zones nzo1initechoffice0a7 |",
            "| 3 | Deny everything else | DENY | everyone else |  | after PT2H | anywhere |",
            "",
        ]);
        expect(section(markdown, "## Emergency roles")).to.deep.equal([
            "## Emergency roles",
            "",
            `1 emergency role, ${holding}.`,
            "",
            "| SAML role | Okta group | Target account | Target role | Policies | Sign-on |",
            "| --- | --- | --- | --- | --- | --- |",
            "| Payments-Break-Glass | aws\\_314159265358\\_Payments-Break-Glass | Payments (271828182845) | Break\\_Glass | AdministratorAccess | Emergency Payments-Break-Glass: two factors, one phishing-resistant, re-authenticate every sign-in |",
            "",
        ]);
        expect(section(markdown, "## By account and role").filter((line) => line.startsWith("| Payments"))).to.deep.equal([
            "| Payments (271828182845) | Deployers | Payments-Deployers | 2 | 1 | payments-deploy, AmazonEC2ReadOnlyAccess; boundary payments-deployers-boundary |",
            "| Payments (271828182845) | Log\\_Readers | Payments-Log-Readers | 2 | 1 | payments-read-logs; boundary payments-boundary |",
        ]);
        expect(markdown).to.contain(
            "| peter@initech.example | user |  | Payments-Log-Readers | Payments (271828182845) | Log\\_Readers | payments-read-logs; boundary payments-boundary |",
        );
    });

    it("the shipped organisation: two factors for everyone, everything else denied, no emergency role", () => {
        const lines = renderPreview(shipped);
        expect([...block(lines, "Sign-on"), ...block(lines, "  priority")]).to.deep.equal([
            `Sign-on (Okta app sign-on policy "Amazon Web Services sign-on (okta-aws)", on the AWS app and okta-aws-cli's app)`,
            "  two factors; re-authentication after PT12H; from any network; everything else denied",
            "  priority  rule                  access  applies to     factors      re-authenticate  network",
            "  1         Two factors           ALLOW   everyone       two factors  after PT12H      anywhere",
            "  2         Deny everything else  DENY    everyone else               after PT2H       anywhere",
        ]);
        expect(block(lines, "Emergency roles")).to.deep.equal(["Emergency roles: none"]);
        expect(lines.filter((line) => line.includes("role-chained"))).to.deep.equal([`  ${chained} (${chainingDoc})`]);
        const markdown = accessMarkdown(shipped.plan);
        expect(section(markdown, "## Emergency roles")).to.deep.equal(["## Emergency roles", "", "None.", ""]);
        expect(section(markdown, "## Sign-on").slice(0, 3)).to.deep.equal([
            "## Sign-on",
            "",
            "The Okta app sign-on policy **Amazon Web Services sign-on (okta-aws)** guards the AWS app and okta-aws-cli's app: two factors; re-authentication after PT12H; from any network; everything else denied.",
        ]);
    });

    it("a Classic-engine org that opts out says plainly: no MFA enforced by this program, on the console and in access.md", async () => {
        const dir = editedOrganisation(projectRoot, {
            identity: (text) =>
                text.replace(
                    "okta-aws:cliApp: { enabled: true }",
                    "okta-aws:cliApp: { enabled: false }\n  okta-aws:signOnPolicy: false\n  okta-aws:oktaEngine: classic",
                ),
        });
        const out = path.join(dir, "out");
        // Without a policy of the program's own, app-sign-on-policy cannot pass: the opt-out lowers it, as docs/policy-pack.md says.
        const packConfig = path.join(dir, "policy-pack-config.json");
        fs.writeFileSync(packConfig, JSON.stringify({ "app-sign-on-policy": "advisory" }));
        const { code, stdout } = await captureCommand(main, [
            "--config-dir",
            dir,
            "--out",
            out,
            "--no-verify",
            "--policy-pack-config",
            packConfig,
        ]);
        expect(code).to.equal(0);
        const opted =
            "no MFA enforced by this program: okta-aws:signOnPolicy is false, so the Okta org's own policies decide how people sign in to the AWS app";
        expect(stdout.split("\n").filter((line) => line.startsWith("Sign-on"))).to.deep.equal([`Sign-on: ${opted}`]);
        expect(section(fs.readFileSync(path.join(out, "access.md"), "utf8"), "## Sign-on")).to.deep.equal([
            "## Sign-on",
            "",
            `**Sign-on: ${opted}.**`,
            "",
        ]);
    });

    it("access diff: an emergency role added shows in the summary and its own section, with its group, target and rule", async () => {
        const head = (
            await buildPlan(
                editedOrganisation(projectRoot, {
                    retail: (text) => `${text}    - { name: Break_Glass, emergency: true, managedPolicies: [AdministratorAccess] }\n`,
                }),
                testIdpKeyFile,
            )
        ).plan;
        const diff = diffPlans(shipped.plan, head);
        expect(diff.emergencyRoles).to.deep.equal({
            added: [
                {
                    role: "Retail-Break-Glass",
                    group: "aws_671250594556_Retail-Break-Glass",
                    targetRoleArn: "arn:aws:iam::253541269580:role/Break_Glass",
                    targetAccountId: "253541269580",
                    targetAccountLabel: "Retail",
                    policyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"],
                    maxSessionDuration: 3600,
                    rule: {
                        name: "Emergency Retail-Break-Glass",
                        priority: 1,
                        access: "ALLOW",
                        twoFactors: true,
                        phishingResistant: true,
                        reauthenticate: "PT0S",
                        groups: ["aws_671250594556_Retail-Break-Glass"],
                    },
                },
            ],
            removed: [],
            changed: [],
        });
        expect(diff.signOn.weakened).to.deep.equal([]);
        expect(diffSummary(diff)).to.match(/^\+0 access, −0 access, sign-on policy changed, emergency role added \(Retail-Break-Glass\), /);
        const markdown = accessDiffMarkdown(diff, "main", "pr");
        expect(markdown.split("\n").filter((line) => line.startsWith("### "))).to.deep.equal([
            "### Access gained",
            "### Access lost",
            "### Sign-on policy",
            "### Emergency roles",
            "### Resources and outputs",
        ]);
        const emergency = markdown.slice(markdown.indexOf("### Emergency roles"), markdown.indexOf("### Resources")).split("\n");
        expect(emergency).to.deep.equal([
            "### Emergency roles",
            "",
            `Emergency roles are ${holding}.`,
            "",
            "Added:",
            "",
            "| SAML role | Okta group | Target account | Target role | Policies | Sign-on |",
            "| --- | --- | --- | --- | --- | --- |",
            "| Retail-Break-Glass | aws\\_671250594556\\_Retail-Break-Glass | Retail (253541269580) | Break\\_Glass | AdministratorAccess | Emergency Retail-Break-Glass: two factors, one phishing-resistant, re-authenticate every sign-in |",
            "",
            "",
        ]);
        expect(markdown).to.contain(
            '- `rules ["Emergency Retail-Break-Glass"]`: (none) → `{"access":"ALLOW","twoFactors":true,"phishingResistant":true,"reauthenticate":"PT0S","groups":["aws_671250594556_Retail-Break-Glass"]}`\n',
        );
        // The other way round, the role is removed.
        const back = diffPlans(head, shipped.plan);
        expect([back.emergencyRoles.added, back.emergencyRoles.removed.map((r) => r.role)]).to.deep.equal([[], ["Retail-Break-Glass"]]);
        expect(diffSummary(back)).to.contain(", emergency role removed (Retail-Break-Glass), ");
    });

    it("access diff: an emergency role whose target changes is changed, value by value, not hidden among resources", () => {
        const head: Plan = structuredClone(initech.plan);
        const identity = head.stacks.identity.outputs.emergencyRoles as Record<string, { targetRoleArn: string }>;
        identity["Payments-Break-Glass"].targetRoleArn = "arn:aws:iam::271828182845:role/Deployers";
        const diff = diffPlans(initech.plan, head);
        expect(diff.emergencyRoles.changed).to.deep.equal([
            {
                role: "Payments-Break-Glass",
                changes: [
                    { input: "permissionsBoundaryArn", path: "", after: "arn:aws:iam::271828182845:policy/payments-deployers-boundary" },
                    {
                        input: "policyArns",
                        path: "[0]",
                        before: "arn:aws:iam::aws:policy/AdministratorAccess",
                        after: "arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess",
                    },
                    { input: "policyArns", path: "[1]", after: "arn:aws:iam::271828182845:policy/payments-deploy" },
                    {
                        input: "targetRoleArn",
                        path: "",
                        before: "arn:aws:iam::271828182845:role/Break_Glass",
                        after: "arn:aws:iam::271828182845:role/Deployers",
                    },
                ],
            },
        ]);
        expect(diffSummary(diff)).to.equal(
            "+0 access, −0 access, emergency role changed (Payments-Break-Glass), 1 output changed in identity",
        );
        expect(accessDiffMarkdown(diff, "main", "pr")).to.contain(
            '- `Payments-Break-Glass`\n  - `permissionsBoundaryArn`: (none) → `"arn:aws:iam::271828182845:policy/payments-deployers-boundary"`\n',
        );
    });

    it("access diff: a weakened sign-on policy is the first thing the summary says, and each change is listed", async () => {
        const head = (
            await buildPlan(
                editedOrganisation(initechDir, {
                    identity: (text) =>
                        text.replace(
                            "{ assurance: phishingResistant, reauthenticate: PT8H, networkZones: [nzo1initechoffice0a7] }",
                            "{ assurance: mfa, reauthenticate: PT12H }",
                        ),
                }),
                testIdpKeyFile,
            )
        ).plan;
        const diff = diffPlans(initech.plan, head);
        expect(diff.signOn.weakened).to.deep.equal([
            "assurance phishingResistant → mfa",
            "re-authentication after PT8H → after PT12H",
            "network zones nzo1initechoffice0a7 → anywhere",
        ]);
        expect(diffSummary(diff)).to.equal(
            "sign-on weakened (assurance phishingResistant → mfa, re-authentication after PT8H → after PT12H, network zones nzo1initechoffice0a7 → anywhere), +0 access, −0 access, emergency role changed (Payments-Break-Glass), 2 resources changed in identity, 1 output changed in identity",
        );
        const markdown = accessDiffMarkdown(diff, "main", "pr");
        expect(markdown.slice(markdown.indexOf("### Sign-on policy"), markdown.indexOf("### Emergency roles")).split("\n")).to.deep.equal([
            "### Sign-on policy",
            "",
            "**Weakened:** assurance phishingResistant → mfa; re-authentication after PT8H → after PT12H; network zones nzo1initechoffice0a7 → anywhere.",
            "",
            '- `settings assurance`: `"phishingResistant"` → `"mfa"`',
            '- `settings reauthenticate`: `"PT8H"` → `"PT12H"`',
            '- `settings networkZones`: `["nzo1initechoffice0a7"]` → (none)',
            '- `rules ["Emergency Payments-Break-Glass"].networkZones`: `["nzo1initechoffice0a7"]` → (none)',
            '- `rules ["Two factors, phishing-resistant"]`: `{"access":"ALLOW","twoFactors":true,"phishingResistant":true,"reauthenticate":"PT8H","networkZones":["nzo1initechoffice0a7"],"groups":[]}` → (none)',
            '- `rules ["Two factors"]`: (none) → `{"access":"ALLOW","twoFactors":true,"phishingResistant":false,"reauthenticate":"PT12H","groups":[]}`',
            "",
            "",
        ]);
        // The reverse is a strengthening: a change, not a weakening.
        const back = diffPlans(head, initech.plan);
        expect(back.signOn.weakened).to.deep.equal([]);
        expect(diffSummary(back)).to.match(/^\+0 access, −0 access, sign-on policy changed, /);
    });

    it("access diff: switching the sign-on policy off says no MFA enforced by this program, first", () => {
        const head: Plan = structuredClone(shipped.plan);
        head.stacks.identity.outputs.signOnPolicy = { enforced: false };
        const diff = diffPlans(shipped.plan, head);
        expect(diff.signOn.weakened).to.deep.equal(["no MFA enforced by this program (okta-aws:signOnPolicy: false)"]);
        expect(diffSummary(diff)).to.match(
            /^sign-on weakened \(no MFA enforced by this program \(okta-aws:signOnPolicy: false\)\), \+0 access/,
        );
    });

    it("access diff: a member role's own policy document changes by path, and a lifted boundary adds permissions", () => {
        const head: Plan = structuredClone(initech.plan);
        const resource = (name: string) => head.stacks.payments.resources.find((r) => r.name === name)!;
        const deploy = resource("Deployers-policy-payments-deploy");
        deploy.inputs.policy = (deploy.inputs.policy as string).replace(
            "arn:aws:lambda:us-west-2:271828182845:function:payments-*",
            "arn:aws:lambda:us-west-2:271828182845:function:*",
        );
        delete resource("Deployers-role").inputs.permissionsBoundary;
        const diff = diffPlans(initech.plan, head);
        expect(diff.grants).to.deep.equal({
            trustWidened: [],
            trustNarrowed: [],
            trustChanged: [],
            permissionsAdded: ["payments/Deployers-policy-payments-deploy", "payments/Deployers-role"],
            permissionsRemoved: [],
        });
        expect(diff.stacks.payments.changed.map((c) => [c.urn.split("::").pop(), c.changes])).to.deep.equal([
            [
                "Deployers-policy-payments-deploy",
                [
                    {
                        input: "policy",
                        path: "Statement[0].Resource",
                        before: "arn:aws:lambda:us-west-2:271828182845:function:payments-*",
                        after: "arn:aws:lambda:us-west-2:271828182845:function:*",
                    },
                ],
            ],
            [
                "Deployers-role",
                [{ input: "permissionsBoundary", path: "", before: "arn:aws:iam::271828182845:policy/payments-deployers-boundary" }],
            ],
        ]);
        expect(accessDiffMarkdown(diff, "main", "pr")).to.contain(
            '  - `policy Statement[0].Resource`: `"arn:aws:lambda:us-west-2:271828182845:function:payments-*"` → `"arn:aws:lambda:us-west-2:271828182845:function:*"`\n',
        );
    });

    it("access diff: a boundary set on a role removes permissions; creating its policy is that change, not permissions added", () => {
        const base: Plan = structuredClone(initech.plan);
        base.stacks.payments.resources = base.stacks.payments.resources.filter((r) => r.name !== "Deployers-boundary");
        delete base.stacks.payments.resources.find((r) => r.name === "Deployers-role")!.inputs.permissionsBoundary;
        const diff = diffPlans(base, initech.plan);
        expect(diff.grants).to.deep.equal({
            trustWidened: [],
            trustNarrowed: [],
            trustChanged: [],
            permissionsAdded: [],
            permissionsRemoved: ["payments/Deployers-role"],
        });
        expect(diff.stacks.payments.added.map((urn) => urn.split("::").pop())).to.deep.equal(["Deployers-boundary"]);
    });
});
