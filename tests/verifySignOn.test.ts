// The verification's Okta and IAM judges beyond the chain: the AWS app's sign-on policy evaluated
// as Okta does (first matching rule by priority), and member roles' own documents and boundaries.
import { expect } from "chai";
import * as path from "path";
import { mockIdpKey } from "../tools/mock/idp";
import { buildPlan } from "../tools/plan/build";
import type { Plan, PlannedResource } from "../tools/plan/model";
import { verifyPlan } from "../tools/verification/checks";
import { evaluateSignOn, oktaVerifyPush, password, plannedSignOnPolicy, securityKey } from "../tools/verification/signOn";
import { Check, checkPassed } from "../tools/verification/simulator";
import { projectRoot, shippedPlan, testIdpKeyFile } from "./harness";

const key = () => mockIdpKey(testIdpKeyFile).privateKeyPem;
const initechDir = path.join(projectRoot, "tests", "fixtures", "initech");

/** A check as a reviewer reads it in verification.md. */
const row = (c: Check) => `${checkPassed(c) ? "✓" : "✗"} ${c.subject} | ${c.step} | ${c.request} | ${c.actual}`;

const identityOf = (plan: Plan) => Object.values(plan.stacks).find((s) => s.kind === "identity")!;
const ruleNamed = (plan: Plan, name: string) =>
    identityOf(plan).resources.find((r) => r.type === "okta:index/appSignonPolicyRule:AppSignonPolicyRule" && r.inputs.name === name)!;

function rule(name: string, priority: number, inputs: Record<string, unknown>): PlannedResource {
    return {
        urn: `urn:${name}`,
        type: "okta:index/appSignonPolicyRule:AppSignonPolicyRule",
        name,
        parent: null,
        protect: false,
        inputs: { policyId: "rst1", name, priority, ...inputs },
    };
}
const app: PlannedResource = {
    urn: "urn:app",
    type: "okta:app/saml:Saml",
    name: "app",
    parent: null,
    protect: false,
    inputs: { authenticationPolicy: "rst1" },
};
const policy = (catchAll: boolean): PlannedResource => ({
    urn: "urn:policy",
    type: "okta:index/appSignonPolicy:AppSignonPolicy",
    name: "policy",
    parent: null,
    protect: false,
    inputs: { catchAll },
});

describe("Okta sign-on as the verification judges it", () => {
    it("applies the first matching rule by priority, whatever order the rules were written in", () => {
        const resources = [
            policy(false),
            rule("Deny everything else", 3, { access: "DENY" }),
            rule("Two factors", 2, { access: "ALLOW", factorMode: "2FA" }),
            rule("Emergency", 1, {
                access: "ALLOW",
                factorMode: "2FA",
                groupsIncluded: ["00g-emergency"],
                constraints: ['{"possession":{"phishingResistant":"REQUIRED"}}'],
            }),
        ];
        const signOn = plannedSignOnPolicy(resources, app)!;
        const decide = (groupIds: string[], authenticators = [password, oktaVerifyPush]) =>
            evaluateSignOn(signOn, { groupIds, authenticators });
        expect(decide([])).to.deep.equal({ decision: "allowed", reason: 'rule "Two factors" (priority 2): its authenticators are met' });
        expect(decide([], [password])).to.deep.equal({
            decision: "denied",
            reason: 'rule "Two factors" (priority 2): it requires two factor types and the sign-in presents one',
        });
        // The emergency group's rule matches first and does not fall through to the laxer rule.
        expect(decide(["00g-emergency"])).to.deep.equal({
            decision: "denied",
            reason: 'rule "Emergency" (priority 1): it requires a phishing-resistant authenticator',
        });
        expect(decide(["00g-emergency"], [password, securityKey]).decision).to.equal("allowed");
    });

    it("takes the provider's defaults for what a rule leaves out: ALLOW, two factors, anywhere", () => {
        const signOn = plannedSignOnPolicy([policy(false), rule("Bare", 1, {})], app)!;
        expect(evaluateSignOn(signOn, { groupIds: [], authenticators: [password] }).decision).to.equal("denied");
        expect(evaluateSignOn(signOn, { groupIds: [], authenticators: [password, oktaVerifyPush] }).decision).to.equal("allowed");
    });

    it("falls to the catch-all when no rule matches: allowed with one factor unless catchAll is false", () => {
        const zoned = rule("Office only", 1, { networkConnection: "ZONE", networkIncludes: ["nzo-office"] });
        const outside = { groupIds: [], authenticators: [password] };
        expect(evaluateSignOn(plannedSignOnPolicy([policy(true), zoned], app)!, outside)).to.deep.equal({
            decision: "allowed",
            reason: "no rule matches; the catch-all rule allows one factor",
        });
        expect(evaluateSignOn(plannedSignOnPolicy([policy(false), zoned], app)!, outside)).to.deep.equal({
            decision: "denied",
            reason: "no rule matches; the catch-all rule denies",
        });
    });

    it("skips inactive rules, and refuses to judge a rule with a condition it does not model", () => {
        const inactive = plannedSignOnPolicy(
            [policy(false), rule("Off", 1, { factorMode: "1FA", status: "INACTIVE" }), rule("On", 2, {})],
            app,
        )!;
        expect(evaluateSignOn(inactive, { groupIds: [], authenticators: [password] }).reason).to.equal(
            'rule "On" (priority 2): it requires two factor types and the sign-in presents one',
        );
        const device = plannedSignOnPolicy([policy(false), rule("Managed devices", 1, { deviceIsManaged: true })], app)!;
        expect(() => evaluateSignOn(device, { groupIds: [], authenticators: [password, securityKey] })).to.throw(
            'rule "Managed devices" has conditions this evaluator does not model (deviceIsManaged)',
        );
    });

    it("reads only the rules of the policy the app is assigned, and nothing when it is assigned none", () => {
        const other = {
            ...rule("Other policy", 1, { factorMode: "1FA" }),
            inputs: { policyId: "rst-other", name: "Other policy", priority: 1, factorMode: "1FA" },
        };
        expect(plannedSignOnPolicy([policy(false), other], app)!.rules).to.deep.equal([]);
        expect(plannedSignOnPolicy([policy(false), other], { ...app, inputs: {} })).to.equal(undefined);
    });
});

describe("verification of sign-on, own documents and boundaries (tests/fixtures/initech)", function () {
    this.timeout(60000);
    let plan: Plan;
    let checks: Check[];
    before(async () => {
        plan = (await buildPlan(initechDir, testIdpKeyFile)).plan;
        checks = await verifyPlan(plan, key());
    });

    it("refuses one factor and a factor that is not phishing-resistant, from the office zone and outside it", () => {
        expect(checks.filter((c) => c.subject === "peter@initech.example" && c.step === "Okta sign-on").map(row)).to.deep.equal([
            "✓ peter@initech.example | Okta sign-on | password only | denied",
            "✓ peter@initech.example | Okta sign-on | password + Okta Verify push | denied",
            "✓ peter@initech.example | Okta sign-on | password + FIDO2 security key | allowed",
            "✓ peter@initech.example | Okta sign-on | password + FIDO2 security key, from outside network zones nzo1initechoffice0a7 | denied",
        ]);
        expect(checks.find((c) => c.subject === "peter@initech.example" && c.request === "password only")!.reason).to.equal(
            'Okta: rule "Two factors, phishing-resistant" (priority 2): it requires two factor types and the sign-in presents one',
        );
    });

    it("signs in whoever is put in an emergency group, under its own rule, all the way to the member role", () => {
        const breakGlass = checks.filter((c) => c.subject === "member-of-aws_314159265358_Payments-Break-Glass");
        expect(breakGlass.map(row)).to.deep.equal([
            "✓ member-of-aws_314159265358_Payments-Break-Glass | Okta sign-on | password only | denied",
            "✓ member-of-aws_314159265358_Payments-Break-Glass | Okta sign-on | password + Okta Verify push | denied",
            "✓ member-of-aws_314159265358_Payments-Break-Glass | Okta sign-on | password + FIDO2 security key | allowed",
            "✓ member-of-aws_314159265358_Payments-Break-Glass | Okta sign-on | password + FIDO2 security key, from outside network zones nzo1initechoffice0a7 | denied",
            "✓ member-of-aws_314159265358_Payments-Break-Glass | SAML sign-in | Role pairs exactly {arn:aws:iam::314159265358:saml-provider/Okta,arn:aws:iam::314159265358:role/Payments-Break-Glass} | allowed",
            "✓ member-of-aws_314159265358_Payments-Break-Glass | AssumeRoleWithSAML | sts:AssumeRoleWithSAML arn:aws:iam::314159265358:role/Payments-Break-Glass | allowed",
            "✓ member-of-aws_314159265358_Payments-Break-Glass | AssumeRole | sts:AssumeRole arn:aws:iam::271828182845:role/Break_Glass | allowed",
            "✓ member-of-aws_314159265358_Payments-Break-Glass | permission | iam:ListRoles * (AdministratorAccess) | allowed",
        ]);
        expect(breakGlass[1].reason).to.equal(
            'Okta: rule "Emergency Payments-Break-Glass" (priority 1): it requires a phishing-resistant authenticator',
        );
    });

    it("grants each action of each Allow statement of a role's own documents, on a resource of a type it applies to, keeps out what the boundary does, and denies other services", () => {
        expect(checks.filter((c) => c.subject === "samir@initech.example" && c.step === "permission").map(row)).to.deep.equal([
            "✓ samir@initech.example | permission | ec2:DescribeInstances * (AmazonEC2ReadOnlyAccess) | allowed",
            "✓ samir@initech.example | permission | lambda:UpdateFunctionCode arn:aws:lambda:us-west-2:271828182845:function:payments-okta-aws-verification (payments-deploy DeployPaymentsFunctions) | allowed",
            "✓ samir@initech.example | permission | lambda:GetFunction arn:aws:lambda:us-west-2:271828182845:function:payments-okta-aws-verification (payments-deploy DeployPaymentsFunctions) | allowed",
            "✓ samir@initech.example | permission | s3:GetObject arn:aws:s3:::initech-payments-artifacts/okta-aws-verification (payments-deploy ReadArtifacts) | allowed",
            "✓ samir@initech.example | permission | ec2:GetSecurityGroupsForVpc arn:aws:ec2:us-west-2:271828182845:vpc/okta-aws-verification (allowed by AmazonEC2ReadOnlyAccess, outside the boundary payments-deployers-boundary) | denied",
            "✓ samir@initech.example | permission | iam:ListRoles * (not granted: AdministratorAccess is not attached) | denied",
        ]);
        expect(checks.filter((c) => !checkPassed(c)).map(row)).to.deep.equal([]);
    });

    it("expects a statement the boundary does not cover to be denied; without the boundary, claims no cap", async () => {
        // The Deployers' boundary without lambda: the deploy statement is capped.
        const narrowed = structuredClone(plan);
        const payments = narrowed.stacks.payments;
        const boundary = payments.resources.find(
            (r) => r.type === "aws:iam/policy:Policy" && r.inputs.name === "payments-deployers-boundary",
        )!;
        const document = JSON.parse(boundary.inputs.policy as string) as { Statement: { Action: string[] }[] };
        document.Statement[0].Action = document.Statement[0].Action.filter((a) => a !== "lambda:*");
        boundary.inputs.policy = JSON.stringify(document);
        const capped = (await verifyPlan(narrowed, key())).filter(
            (c) => c.subject === "samir@initech.example" && c.request.startsWith("lambda:"),
        );
        expect(capped.map(row)).to.deep.equal([
            "✓ samir@initech.example | permission | lambda:UpdateFunctionCode arn:aws:lambda:us-west-2:271828182845:function:payments-okta-aws-verification (payments-deploy DeployPaymentsFunctions, outside the boundary payments-deployers-boundary) | denied",
            "✓ samir@initech.example | permission | lambda:GetFunction arn:aws:lambda:us-west-2:271828182845:function:payments-okta-aws-verification (payments-deploy DeployPaymentsFunctions, outside the boundary payments-deployers-boundary) | denied",
        ]);
        const unbounded = structuredClone(plan);
        const deployers = unbounded.stacks.payments.resources.find((r) => r.type === "aws:iam/role:Role" && r.inputs.name === "Deployers")!;
        delete deployers.inputs.permissionsBoundary;
        const requests = (await verifyPlan(unbounded, key())).filter(
            (c) => c.subject === "samir@initech.example" && c.step === "permission",
        );
        expect(requests.map(row)).to.deep.equal([
            "✓ samir@initech.example | permission | ec2:DescribeInstances * (AmazonEC2ReadOnlyAccess) | allowed",
            "✓ samir@initech.example | permission | lambda:UpdateFunctionCode arn:aws:lambda:us-west-2:271828182845:function:payments-okta-aws-verification (payments-deploy DeployPaymentsFunctions) | allowed",
            "✓ samir@initech.example | permission | lambda:GetFunction arn:aws:lambda:us-west-2:271828182845:function:payments-okta-aws-verification (payments-deploy DeployPaymentsFunctions) | allowed",
            "✓ samir@initech.example | permission | s3:GetObject arn:aws:s3:::initech-payments-artifacts/okta-aws-verification (payments-deploy ReadArtifacts) | allowed",
            "✓ samir@initech.example | permission | iam:ListRoles * (not granted: AdministratorAccess is not attached) | denied",
        ]);
    });
});

describe("verification of a weakened sign-on policy (the shipped organisation)", function () {
    this.timeout(60000);

    it("fails every person's one-factor check when the two-factor rule asks for one factor", async () => {
        const { plan } = await shippedPlan();
        ruleNamed(plan, "Two factors").inputs.factorMode = "1FA";
        const failed = (await verifyPlan(plan, key())).filter((c) => !checkPassed(c));
        expect(failed.map((c) => `${row(c)} | ${c.reason}`)).to.deep.equal([
            '✗ jane@acmecorp.me | Okta sign-on | password only | allowed | Okta: rule "Two factors" (priority 1): its authenticators are met',
            '✗ john@acmecorp.me | Okta sign-on | password only | allowed | Okta: rule "Two factors" (priority 1): its authenticators are met',
        ]);
    });

    it("fails them too when the explicit DENY rule is gone and the catch-all was left to allow", async () => {
        const { plan } = await shippedPlan();
        const identity = identityOf(plan);
        identity.resources = identity.resources.filter((r) => r.inputs.name !== "Deny everything else");
        identity.resources.find((r) => r.type === "okta:index/appSignonPolicy:AppSignonPolicy")!.inputs.catchAll = true;
        // Every ALLOW rule still asks two factors, so a one-factor sign-in is refused by them: the
        // catch-all is reached only by a sign-in no rule matches, such as one outside the zones.
        const failed = (await verifyPlan(plan, key())).filter((c) => !checkPassed(c));
        expect(failed).to.deep.equal([]);
        ruleNamed(plan, "Two factors").inputs.networkConnection = "ZONE";
        ruleNamed(plan, "Two factors").inputs.networkIncludes = ["nzo-somewhere-else"];
        const leaked = (await verifyPlan(plan, key())).filter((c) => !checkPassed(c) && c.step === "Okta sign-on");
        expect(leaked.map((c) => `${row(c)} | ${c.reason}`)).to.include(
            "✗ john@acmecorp.me | Okta sign-on | password only | allowed | Okta: no rule matches; the catch-all rule allows one factor",
        );
    });
});
