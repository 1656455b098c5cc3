// Direct sign-in to member accounts (okta-aws:signIn, docs/topologies.md): the fixture organisation
// tests/fixtures/hooli (two direct members, one chained) previewed, verified and judged by the
// policy pack; the configuration's refusals; the migration chained → both → direct and back as a
// sequence of plans; a metadata rotation reaching every provider in one deploy.
import type { MockResourceArgs, MockResourceResult } from "@pulumi/pulumi/runtime";
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ConfigError } from "../components/config";
import { roleValuesFromGroups } from "../components/groupFilter";
import { mockIdpKey } from "../tools/mock/idp";
import { MockCloud } from "../tools/mock/providers";
import { buildPlan } from "../tools/plan/build";
import { evaluateStack } from "../tools/plan/evaluate";
import { readOrganisation } from "../tools/plan/organisation";
import { deployOrder } from "../tools/plan/deployOrder";
import type { Plan, StackEvaluation, StackPlan } from "../tools/plan/model";
import { accessMarkdown } from "../tools/report/access";
import { diffPlans } from "../tools/report/accessDiff";
import { policyVerdicts } from "../tools/report/policyPack";
import { verifyPlan } from "../tools/verification/checks";
import { checkPassed } from "../tools/verification/simulator";
import { samlProviderPlacementViolations } from "../policy/rules";
import { projectRoot, testIdpKeyFile } from "./harness";

const hooli = path.join(projectRoot, "tests", "fixtures", "hooli");
const key = () => mockIdpKey(testIdpKeyFile).privateKeyPem;
const resource = (stack: StackPlan, type: string, name: string) => stack.resources.find((r) => r.type === type && r.name === name);
const inputs = (stack: StackPlan, type: string, name: string) => resource(stack, type, name)!.inputs as Record<string, string>;
const identityOf = (plan: Plan) => Object.values(plan.stacks).find((s) => s.kind === "identity")!;

/** A copy of the fixture whose stack files `edit` changes, for one test. */
function fixtureCopy(edit: (files: Record<string, string>) => void): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-hooli-"));
    const files = Object.fromEntries(fs.readdirSync(hooli).map((f) => [f, fs.readFileSync(path.join(hooli, f), "utf8")]));
    edit(files);
    for (const [name, text] of Object.entries(files)) {
        fs.writeFileSync(path.join(dir, name), text);
    }
    return dir;
}

async function refusal(dir: string): Promise<string[]> {
    try {
        await buildPlan(dir, testIdpKeyFile);
    } catch (error) {
        expect(error).to.be.instanceOf(ConfigError);
        return (error as ConfigError).problems;
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
    throw new Error("expected the organisation to be refused");
}

const directTrust = (account: string) => ({
    Version: "2012-10-17",
    Statement: [
        {
            Effect: "Allow",
            Principal: { Federated: `arn:aws:iam::${account}:saml-provider/Okta` },
            Action: "sts:AssumeRoleWithSAML",
            Condition: { StringEquals: { "SAML:aud": "https://signin.aws.amazon.com/saml" } },
        },
        { Effect: "Allow", Principal: { Federated: `arn:aws:iam::${account}:saml-provider/Okta` }, Action: "sts:SetSourceIdentity" },
    ],
});
const chainedStatement = (identity: string, federated: string) => ({
    Effect: "Allow",
    Principal: { AWS: `arn:aws:iam::${identity}:root` },
    Action: ["sts:AssumeRole", "sts:SetSourceIdentity"],
    Condition: { ArnEquals: { "aws:PrincipalArn": `arn:aws:iam::${identity}:role/${federated}` } },
});

describe("direct sign-in: tests/fixtures/hooli (Ads and Search direct, Legacy chained)", function () {
    this.timeout(600000);
    let plan: Plan;
    before(async () => {
        plan = (await buildPlan(hooli, testIdpKeyFile)).plan;
    });

    it("gives each direct member a SAML provider holding the identity app's metadata, and roles trusting only it", () => {
        const ads = plan.stacks.ads;
        expect(ads.resources.map((r) => `${r.type} ${r.name}`).sort()).to.deep.equal([
            "aws:iam/role:Role Analysts-role",
            "aws:iam/role:Role Break_Glass-role",
            "aws:iam/role:Role audit-role-role",
            "aws:iam/rolePolicy:RolePolicy audit-role-policy",
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment Analysts-AmazonAthenaFullAccess",
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment Break_Glass-AdministratorAccess",
            "aws:iam/samlProvider:SamlProvider saml-provider-provider",
            "okta-aws:audit:AuditRole audit-role",
            "okta-aws:member:CrossAccountRole Analysts",
            "okta-aws:member:CrossAccountRole Break_Glass",
            "okta-aws:member:SamlProvider saml-provider",
            "pulumi:pulumi:Stack okta-aws-ads",
        ]);
        const identityMetadata = inputs(
            identityOf(plan),
            "aws:iam/samlProvider:SamlProvider",
            "saml-provider-provider",
        ).samlMetadataDocument;
        for (const [stack, account] of [
            ["ads", "141421356237"],
            ["search", "173205080756"],
        ]) {
            expect(inputs(plan.stacks[stack], "aws:iam/samlProvider:SamlProvider", "saml-provider-provider")).to.deep.equal({
                name: "Okta",
                samlMetadataDocument: identityMetadata,
            });
            expect(plan.stacks[stack].outputs.samlProviderArn).to.equal(`arn:aws:iam::${account}:saml-provider/Okta`);
        }
        expect(JSON.parse(inputs(ads, "aws:iam/role:Role", "Analysts-role").assumeRolePolicy)).to.deep.equal(directTrust("141421356237"));
        expect(inputs(ads, "aws:iam/role:Role", "Analysts-role")).to.include({
            maxSessionDuration: 28800,
            description: "Okta SAML sign-in through arn:aws:iam::141421356237:saml-provider/Okta",
        });
        // The chained member is as before: no provider, the federated role's switch.
        expect(plan.stacks.legacy.resources.filter((r) => r.type === "aws:iam/samlProvider:SamlProvider")).to.deep.equal([]);
        expect(JSON.parse(inputs(plan.stacks.legacy, "aws:iam/role:Role", "Operators-role").assumeRolePolicy)).to.deep.equal({
            Version: "2012-10-17",
            Statement: [chainedStatement("161803398874", "Legacy-Operators")],
        });
    });

    it("gives the identity account a federated role only for the chained member, and role groups named for each path's account", () => {
        const identity = identityOf(plan);
        expect(identity.resources.filter((r) => r.type === "aws:iam/role:Role").map((r) => r.inputs.name)).to.deep.equal([
            "okta-aws-audit",
            "Legacy-Operators",
        ]);
        expect(identity.outputs.federatedRoles).to.deep.equal({ "Legacy-Operators": "arn:aws:iam::161803398874:role/Legacy-Operators" });
        expect(identity.outputs.roleGroups).to.deep.equal({ "Legacy-Operators": "aws_161803398874_Legacy-Operators" });
        expect(identity.outputs.directRoleGroups).to.deep.equal({
            "Ads-Analysts": "aws_141421356237_Analysts",
            "Ads-Break-Glass": "aws_141421356237_Break_Glass",
            "Search-Engineers": "aws_173205080756_Engineers",
        });
        // One group filter and one role value pattern give exactly the pairs of both topologies.
        const settings = identity.outputs.oktaAppSettings!;
        expect(
            roleValuesFromGroups(
                [...Object.values(identity.outputs.roleGroups!), ...Object.values(identity.outputs.directRoleGroups!), "aws-search-oncall"],
                settings.groupFilter,
                settings.roleValuePattern,
            ),
        ).to.deep.equal([
            "arn:aws:iam::161803398874:saml-provider/Okta,arn:aws:iam::161803398874:role/Legacy-Operators",
            "arn:aws:iam::141421356237:saml-provider/Okta,arn:aws:iam::141421356237:role/Analysts",
            "arn:aws:iam::141421356237:saml-provider/Okta,arn:aws:iam::141421356237:role/Break_Glass",
            "arn:aws:iam::173205080756:saml-provider/Okta,arn:aws:iam::173205080756:role/Engineers",
        ]);
        // The direct path's role group has what a chained one has: the AWS and CLI app assignments, the members.
        expect(
            identity.resources
                .filter((r) => r.name.startsWith("saml-role-assignments-direct-Ads-Analysts-"))
                .map((r) => `${r.type} ${r.name}`),
        ).to.deep.equal([
            "okta:app/groupAssignment:GroupAssignment saml-role-assignments-direct-Ads-Analysts-assignment",
            "okta:app/groupAssignment:GroupAssignment saml-role-assignments-direct-Ads-Analysts-cli-assignment",
            "okta:group/group:Group saml-role-assignments-direct-Ads-Analysts-group",
            "okta:index/groupMemberships:GroupMemberships saml-role-assignments-direct-Ads-Analysts-members",
        ]);
        // The team group's rule fills the direct path's role groups; switch-role links only for the chained role.
        const rule = identity.resources.find((r) => r.type === "okta:group/rule:Rule")!;
        expect(rule.inputs.groupAssignments).to.have.length(2);
        expect(identity.outputs.switchRoleLinks).to.deep.equal({
            "dinesh@hooli.example": [],
            "gavin@hooli.example": [
                { samlRole: "Legacy-Operators", url: "https://signin.aws.amazon.com/switchrole?account=223606797749&roleName=Operators" },
            ],
            "richard@hooli.example": [],
        });
        expect(identity.outputs.emergencyRoles).to.deep.equal({
            "Ads-Break-Glass": {
                group: "aws_141421356237_Break_Glass",
                targetRoleArn: "arn:aws:iam::141421356237:role/Break_Glass",
                maxSessionDuration: 3600,
            },
        });
    });

    it("shows each grant by its path: the member role itself for a direct role, the federated role for a chained one", () => {
        expect(
            plan.access.filter((r) => r.principal === "gavin@hooli.example").map((r) => [r.samlRole, r.samlRoleArn, r.targetRoleArn]),
        ).to.deep.equal([
            ["Ads-Analysts", "arn:aws:iam::141421356237:role/Analysts", "arn:aws:iam::141421356237:role/Analysts"],
            ["Legacy-Operators", "arn:aws:iam::161803398874:role/Legacy-Operators", "arn:aws:iam::223606797749:role/Operators"],
        ]);
    });

    it("names a direct member's emergency role in access.md by its SAML role: it has no federated role", () => {
        const markdown = accessMarkdown(plan).split("\n");
        const start = markdown.indexOf("## Emergency roles");
        expect(markdown.slice(markdown.indexOf("", start + 3) + 1, markdown.indexOf("## By account and role") - 1)).to.deep.equal([
            "| SAML role | Okta group | Target account | Target role | Policies | Sign-on |",
            "| --- | --- | --- | --- | --- | --- |",
            "| Ads-Break-Glass | aws\\_141421356237\\_Break\\_Glass | Ads (141421356237) | Break\\_Glass | AdministratorAccess | Emergency Ads-Break-Glass: two factors, one phishing-resistant, re-authenticate every sign-in |",
        ]);
    });

    it("passes the policy pack, including its member-side rules", () => {
        const verdicts = policyVerdicts(plan);
        expect(verdicts.filter((v) => v.violations.length > 0).map((v) => v.policy)).to.deep.equal([]);
        expect(verdicts.map((v) => v.policy)).to.include.members(["saml-provider-placement", "federated-role-trust", "member-role-trust"]);
    });

    it("verifies every sign-in as expected, direct ones against their own account's provider, with the direct negatives", async () => {
        const checks = await verifyPlan(plan, key());
        expect(checks.filter((c) => !checkPassed(c)).map((c) => `${c.subject} ${c.step} ${c.request}: ${c.reason}`)).to.deep.equal([]);
        const requests = (subject: string, step: string) =>
            checks.filter((c) => c.subject === subject && c.step === step).map((c) => `${c.request} — ${c.actual}`);
        expect(requests("gavin@hooli.example", "AssumeRoleWithSAML")).to.deep.equal([
            "sts:AssumeRoleWithSAML arn:aws:iam::141421356237:role/Analysts through arn:aws:iam::141421356237:saml-provider/Okta — allowed",
            "sts:AssumeRoleWithSAML arn:aws:iam::161803398874:role/Legacy-Operators — allowed",
        ]);
        expect(
            checks
                .filter((c) => c.subject === "attacker@example.com" && c.samlRole === "Search-Engineers")
                .map((c) => `${c.step}: ${c.request} — ${c.actual}`),
        ).to.deep.equal([
            "AssumeRoleWithSAML: arn:aws:iam::173205080756:role/Engineers from another account's provider arn:aws:iam::161803398874:saml-provider/Okta — denied",
            "AssumeRoleWithSAML: arn:aws:iam::173205080756:role/Engineers from another account's provider arn:aws:iam::141421356237:saml-provider/Okta — denied",
            "AssumeRoleWithSAML: arn:aws:iam::173205080756:role/Engineers with SAML:aud https://example.com/saml — denied",
            "AssumeRoleWithSAML: arn:aws:iam::173205080756:role/Engineers with SessionDuration 14401 s (the role's maximum is 14400 s) — denied",
            "SAML sign-in: assertion for Ads-Analysts edited to claim arn:aws:iam::173205080756:role/Engineers (a role the person does not hold) — denied",
        ]);
    });

    it("deploys the direct members again after the identity stack, and a metadata rotation reaches every provider in that one deploy", async () => {
        expect(deployOrder(hooli)).to.deep.equal({
            members: [
                { name: "ads", stack: "ads" },
                { name: "search", stack: "search" },
                { name: "legacy", stack: "legacy" },
            ],
            identity: { name: "identity", stack: "identity" },
            afterIdentity: [
                { name: "ads", stack: "ads" },
                { name: "search", stack: "search" },
            ],
        });
        // A new signing key (Okta's certificate rollover) changes the app's metadata: every provider of the plan holds the new one.
        const rotatedKey = path.join(os.tmpdir(), `okta-aws-rotated-idp-${process.pid}.json`);
        try {
            const rotated = (await buildPlan(hooli, rotatedKey)).plan;
            const metadataOf = (p: Plan, stack: string) =>
                inputs(p.stacks[stack], "aws:iam/samlProvider:SamlProvider", "saml-provider-provider").samlMetadataDocument;
            const after = ["identity", "ads", "search"].map((stack) => metadataOf(rotated, stack));
            expect(new Set(after).size).to.equal(1);
            expect(after[0]).to.not.equal(metadataOf(plan, "identity"));
            expect(diffPlans(plan, rotated).lost).to.deep.equal([]);
        } finally {
            fs.rmSync(rotatedKey, { force: true });
        }
    });
});

describe("direct sign-in: what the offline plan evaluates, and what crosses a direct member's StackReference", function () {
    this.timeout(600000);

    it("runs each direct member twice and the others once, and answers a direct member with only the identity outputs it reads", async () => {
        // The identity stack's other outputs (every person's CLI profiles, assignments, object ids)
        // grow with the organisation: handed to each direct member's StackReference, they made a
        // large organisation's plan several times slower than the same one chained.
        const events: string[] = [];
        const { newResource } = MockCloud.prototype as { newResource: (this: MockCloud, args: MockResourceArgs) => MockResourceResult };
        MockCloud.prototype.newResource = function (this: MockCloud, args: MockResourceArgs) {
            const result = newResource.call(this, args);
            if (args.type === "pulumi:pulumi:Stack") {
                events.push(`${this.options.accountId} runs`);
            } else if (args.type === "pulumi:pulumi:StackReference") {
                const outputs = Object.keys((result.state as { outputs: Record<string, unknown> }).outputs).sort();
                events.push(
                    `${this.options.accountId} reads ${String((args.inputs as { name: unknown }).name)}: ${outputs.join(", ") || "(nothing)"}`,
                );
            }
            return result;
        };
        let evaluations: StackEvaluation[];
        try {
            ({ evaluations } = await buildPlan(hooli, testIdpKeyFile));
        } finally {
            MockCloud.prototype.newResource = newResource;
        }
        const chainedMember = "accountId, accountLabel, crossAccountRoles, identityAccountId, outputsVersion";
        const directMember = "accountId, accountLabel, crossAccountRoles, identityAccountId, outputsVersion, samlProviderArn, signIn";
        // Members first (ads and search direct, legacy chained), the identity stack, the direct members again.
        expect(events).to.deep.equal([
            "141421356237 runs",
            "141421356237 reads organization/okta-aws/identity: oktaAppOptions, samlProviderArn",
            "223606797749 runs",
            "173205080756 runs",
            "173205080756 reads organization/okta-aws/identity: oktaAppOptions, samlProviderArn",
            "161803398874 runs",
            `161803398874 reads organization/okta-aws/ads: ${directMember}`,
            `161803398874 reads organization/okta-aws/search: ${directMember}`,
            `161803398874 reads organization/okta-aws/legacy: ${chainedMember}`,
            "141421356237 runs",
            "141421356237 reads organization/okta-aws/identity: oktaAppOptions, samlMetadata, samlProviderArn",
            "173205080756 runs",
            "173205080756 reads organization/okta-aws/identity: oktaAppOptions, samlMetadata, samlProviderArn",
        ]);
        // Those outputs are all a direct member reads: with every output of the identity stack, as a
        // real StackReference has them, it plans exactly the same.
        const identity = evaluations.find((e) => e.config.kind === "identity")!;
        for (const { file } of readOrganisation(hooli).members.filter((m) => m.file.stack !== "legacy")) {
            const full = await evaluateStack(file, { "organization/okta-aws/identity": identity.reference }, testIdpKeyFile);
            const planned = evaluations.find((e) => e.stack === file.stack)!;
            expect({ resources: full.resources, outputs: full.outputs }).to.deep.equal({
                resources: planned.resources,
                outputs: planned.outputs,
            });
        }
    });
});

describe("direct sign-in: what the configuration refuses", function () {
    this.timeout(600000);

    it("refuses direct sign-in without groupMapping, citing Okta's page", async () => {
        const problems = await refusal(
            fixtureCopy((files) => {
                files["Pulumi.identity.yaml"] = files["Pulumi.identity.yaml"].replace(
                    "roleAssignment: groupMapping",
                    "roleAssignment: samlUserRoles",
                );
            }),
        );
        expect(problems).to.deep.equal([
            'Pulumi.identity.yaml: okta-aws:oktaApp.roleAssignment: "samlUserRoles" — member stacks ads, search sign people in directly (okta-aws:signIn direct or both), which needs groupMapping: Okta connects several AWS accounts only through group mapping ("Connecting multiple Amazon Web Services (AWS) accounts using the API isn\'t supported", Okta, Integrate multiple AWS instances, https://help.okta.com/oie/en-us/Content/Topics/DeploymentGuides/AWS/aws-multiple-architecture.htm); set groupMapping',
        ]);
    });

    it("refuses an app session longer than a directly reached role allows", async () => {
        const problems = await refusal(
            fixtureCopy((files) => {
                files["Pulumi.search.yaml"] = files["Pulumi.search.yaml"].replace("maxSessionDuration: 14400", "maxSessionDuration: 7200");
            }),
        );
        expect(problems).to.deep.equal([
            "Pulumi.identity.yaml: okta-aws:oktaApp.sessionDuration: 14400 — exceeds the maximum session of role people sign in to directly: search/Engineers (7200 s): AWS refuses a SAML sign-in whose SessionDuration exceeds the role's maximum; set at most 7200, or raise the role's maxSessionDuration",
        ]);
    });

    it("needs the identity stack's name for a direct member, and refuses it for a chained one", async () => {
        const problems = await refusal(
            fixtureCopy((files) => {
                files["Pulumi.ads.yaml"] = files["Pulumi.ads.yaml"].replace("  okta-aws:identityStack: identity\n", "");
                files["Pulumi.legacy.yaml"] += "  okta-aws:identityStack: identity\n";
            }),
        );
        expect(problems).to.deep.equal([
            "Pulumi.ads.yaml: okta-aws:identityStack: (not set) — is required with okta-aws:signIn direct: this account's SAML provider holds the Okta app's metadata, which the identity stack exports (samlMetadata)",
            'Pulumi.legacy.yaml: okta-aws:identityStack: "identity" — is read only with okta-aws:signIn direct or both (a chained member has no SAML provider of its own); remove it',
        ]);
    });

    it("refuses an identity stack other than the one beside it: its metadata would be trusted unseen (red team)", async () => {
        const problems = await refusal(
            fixtureCopy((files) => {
                files["Pulumi.ads.yaml"] = files["Pulumi.ads.yaml"].replace(
                    "okta-aws:identityStack: identity",
                    "okta-aws:identityStack: identity-old",
                );
                files["Pulumi.search.yaml"] = files["Pulumi.search.yaml"].replace(
                    "okta-aws:identityStack: identity",
                    "okta-aws:identityStack: acme/other-project/identity",
                );
            }),
        );
        expect(problems).to.deep.equal([
            'Pulumi.ads.yaml: okta-aws:identityStack: "identity-old" — is not this organisation\'s identity stack (identity, Pulumi.identity.yaml): a member signed in to directly takes the Okta app metadata of the stack it names, so it must be the one beside it',
            'Pulumi.search.yaml: okta-aws:identityStack: "acme/other-project/identity" — is not this organisation\'s identity stack (identity, Pulumi.identity.yaml): a member signed in to directly takes the Okta app metadata of the stack it names, so it must be the one beside it',
        ]);
    });
});

describe("direct sign-in: an emergency role during a migration's deploy", function () {
    this.timeout(600000);

    it("keeps its one Okta group on the chained path until its member is direct, and verifies", async () => {
        const dir = fixtureCopy((files) => {
            files["Pulumi.ads.yaml"] = files["Pulumi.ads.yaml"].replace("okta-aws:signIn: direct", "okta-aws:signIn: both");
            // Its federated role is an emergency role's again, whose session lasts an hour: so does the app's.
            files["Pulumi.identity.yaml"] = files["Pulumi.identity.yaml"].replace("sessionDuration: 14400", "sessionDuration: 3600");
        });
        try {
            const plan = (await buildPlan(dir, testIdpKeyFile)).plan;
            const identity = identityOf(plan);
            expect(identity.outputs.emergencyRoles!["Ads-Break-Glass"].group).to.equal("aws_161803398874_Ads-Break-Glass");
            expect(identity.outputs.directRoleGroups).to.not.have.property("Ads-Break-Glass");
            const checks = await verifyPlan(plan, key());
            expect(checks.filter((c) => !checkPassed(c)).map((c) => `${c.subject} ${c.step} ${c.request}: ${c.reason}`)).to.deep.equal([]);
            expect(
                checks
                    .filter((c) => c.samlRole === "Ads-Break-Glass" && c.step === "SAML sign-in" && c.expected === "allowed")
                    .map((c) => c.request),
            ).to.deep.equal([
                "Role pairs exactly {arn:aws:iam::161803398874:saml-provider/Okta,arn:aws:iam::161803398874:role/Ads-Break-Glass}",
            ]);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("the policy pack's SAML provider placement", () => {
    const provider = { type: "aws:iam/samlProvider:SamlProvider", urn: "urn:provider", protect: false, inputs: { name: "Okta" } };
    const role = (principal: string) => ({
        type: "aws:iam/role:Role",
        urn: "urn:role",
        protect: false,
        inputs: {
            assumeRolePolicy: JSON.stringify({
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Principal: { Federated: principal }, Action: "sts:AssumeRoleWithSAML" }],
            }),
        },
    });

    it("accepts a member's provider its own roles trust, and refuses one no role of the stack trusts", () => {
        expect(
            samlProviderPlacementViolations([provider, role("arn:aws:iam::141421356237:saml-provider/Okta")], {
                accountId: "141421356237",
            }),
        ).to.deep.equal([]);
        const idle = [
            {
                urn: "urn:provider",
                message:
                    'SAML provider "Okta" is in a stack without the Okta AWS app and no role of the stack trusts it: only the identity stack and members signed in to directly (okta-aws:signIn direct or both) hold one',
            },
        ];
        expect(samlProviderPlacementViolations([provider], { accountId: "141421356237" })).to.deep.equal(idle);
        // A role trusting another account's provider of that name does not make this one used.
        expect(
            samlProviderPlacementViolations([provider, role("arn:aws:iam::161803398874:saml-provider/Okta")], {
                accountId: "141421356237",
            }),
        ).to.deep.equal(idle);
    });
});

describe("moving a member from chained to direct and back, as a sequence of plans @slow", function () {
    this.timeout(900000);
    const legacyRole = "arn:aws:iam::223606797749:role/Operators";
    const federatedRole = "arn:aws:iam::161803398874:role/Legacy-Operators";
    const atStep = (signIn: string) =>
        fixtureCopy((files) => {
            // A direct sign-in lasts the app's session (four hours here): the role must allow it at every step.
            files["Pulumi.legacy.yaml"] = files["Pulumi.legacy.yaml"].replace(
                "managedPolicies: [ReadOnlyAccess]",
                "managedPolicies: [ReadOnlyAccess]\n      maxSessionDuration: 14400",
            );
            if (signIn !== "chained") {
                files["Pulumi.legacy.yaml"] += `  okta-aws:signIn: ${signIn}\n  okta-aws:identityStack: identity\n`;
            }
        });
    const planAt = async (signIn: string) => {
        const dir = atStep(signIn);
        try {
            return (await buildPlan(dir, testIdpKeyFile)).plan;
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    };
    /** Gavin's paths into Legacy's role, as access.md and the access diff read them. */
    const gavinsPaths = (plan: Plan) =>
        plan.access.filter((r) => r.principal === "gavin@hooli.example" && r.targetRoleArn === legacyRole).map((r) => r.samlRoleArn);

    it("keeps one working path at every deploy: both paths for one deploy, then the old one removed; back the same way", async () => {
        const steps = ["chained", "both", "direct", "both", "chained"];
        const plans: Plan[] = [];
        for (const step of steps) {
            plans.push(await planAt(step));
        }
        expect(plans.map(gavinsPaths)).to.deep.equal([
            [federatedRole],
            [federatedRole, legacyRole],
            [legacyRole],
            [federatedRole, legacyRole],
            [federatedRole],
        ]);
        // In the deploy of both, the member role trusts the federated role's switch and its own provider.
        expect(JSON.parse(inputs(plans[1].stacks.legacy, "aws:iam/role:Role", "Operators-role").assumeRolePolicy)).to.deep.equal({
            Version: "2012-10-17",
            Statement: [chainedStatement("161803398874", "Legacy-Operators"), ...directTrust("223606797749").Statement],
        });
        expect(identityOf(plans[1]).outputs.roleGroups).to.deep.include({ "Legacy-Operators": "aws_161803398874_Legacy-Operators" });
        expect(identityOf(plans[1]).outputs.directRoleGroups).to.deep.include({ "Legacy-Operators": "aws_223606797749_Operators" });
        for (const [i, plan] of plans.entries()) {
            const checks = await verifyPlan(plan, key());
            expect(checks.filter((c) => !checkPassed(c)).map((c) => `${steps[i]}: ${c.subject} ${c.request}`)).to.deep.equal([]);
            expect(
                policyVerdicts(plan)
                    .filter((v) => v.violations.length > 0)
                    .map((v) => `${steps[i]}: ${v.policy}`),
            ).to.deep.equal([]);
        }
        // No step takes anyone's access: each deploy keeps a path the next one still has.
        for (let i = 1; i < plans.length; i++) {
            expect(diffPlans(plans[i - 1], plans[i]).lost, `${steps[i - 1]} → ${steps[i]}`).to.deep.equal([]);
        }
        // The step to direct removes the chained path: the federated role and its role group go.
        const toDirect = diffPlans(plans[1], plans[2]);
        expect(toDirect.stacks.identity.removed.filter((urn) => urn.includes("Legacy-Operators"))).to.deep.equal([
            "urn:pulumi:identity::okta-aws::okta-aws:identity:FederatedRole$aws:iam/policy:Policy::Legacy-Operators-policy",
            "urn:pulumi:identity::okta-aws::okta-aws:identity:FederatedRole$aws:iam/role:Role::Legacy-Operators-role",
            "urn:pulumi:identity::okta-aws::okta-aws:identity:FederatedRole$aws:iam/rolePolicyAttachment:RolePolicyAttachment::Legacy-Operators-policy-attachment",
            "urn:pulumi:identity::okta-aws::okta-aws:identity:FederatedRole::Legacy-Operators",
            "urn:pulumi:identity::okta-aws::okta-aws:identity:SamlRoleAssignments$okta:app/groupAssignment:GroupAssignment::saml-role-assignments-role-Legacy-Operators-assignment",
            "urn:pulumi:identity::okta-aws::okta-aws:identity:SamlRoleAssignments$okta:app/groupAssignment:GroupAssignment::saml-role-assignments-role-Legacy-Operators-cli-assignment",
            "urn:pulumi:identity::okta-aws::okta-aws:identity:SamlRoleAssignments$okta:group/group:Group::saml-role-assignments-role-Legacy-Operators-group",
            "urn:pulumi:identity::okta-aws::okta-aws:identity:SamlRoleAssignments$okta:index/groupMemberships:GroupMemberships::saml-role-assignments-role-Legacy-Operators-members",
        ]);
        expect(identityOf(plans[2]).outputs.federatedRoles).to.not.have.property("Legacy-Operators");
        expect(identityOf(plans[2]).outputs.roleGroups).to.not.have.property("Legacy-Operators");
    });
});
