// The policy pack's rules (policy/rules.ts) on compliant and hand-made violating resources, exact
// messages; then over the offline plans of the shipped and the test organisation, as `npm start`
// runs them.
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ConfigError } from "../components/config";
import { accountRootArn, roleArn, samlProviderArn } from "../components/names";
import {
    assumeRolePolicy,
    auditReadActions,
    auditRolePolicy,
    auditRoleTrustPolicy,
    crossAccountTrustPolicy,
    federatedTrustPolicy,
    policyJson,
} from "../components/policies";
import {
    accessKeyViolations,
    accountIdOfProvider,
    assumePolicyViolations,
    auditRoleViolations,
    federatedRoleTrustViolations,
    JudgedResource,
    memberRoleTrustViolations,
    protectionViolations,
    userPolicyViolations,
} from "../policy/rules";
import { buildPlan } from "../tools/plan/build";
import { Plan } from "../tools/plan/model";
import { policyLines, policyMarkdown, policyVerdicts, readPolicyPackConfig } from "../tools/report/policyPack";
import { parsedPolicy, projectRoot, runPreview, shippedPlan } from "./harness";

const identity = "671250594556";
const retail = "253541269580";
const federatedArn = roleArn("aws", identity, "Retail-EC2-Admins");
const providerArn = samlProviderArn("aws", identity, "Okta");

/** A resource as CrossGuard would hand it over: `qualifiedType` is `parentType$type` for a child. */
function resource(
    qualifiedType: string,
    name: string,
    inputs: Record<string, unknown>,
    options: { protect?: boolean } = {},
): JudgedResource {
    const chain = qualifiedType.split("$");
    const parentName = name.replace(/-[a-z-]+$/, "");
    return {
        type: chain[chain.length - 1],
        urn: `urn:pulumi:test::okta-aws::${qualifiedType}::${name}`,
        parent: chain.length > 1 ? `urn:pulumi:test::okta-aws::${chain.slice(0, -1).join("$")}::${parentName}` : undefined,
        protect: options.protect ?? false,
        inputs,
    };
}

const memberRole = (trust: unknown) =>
    resource("okta-aws:member:CrossAccountRole$aws:iam/role:Role", "EC2_Admins-role", { name: "EC2_Admins", assumeRolePolicy: trust });
const federatedRole = (trust: unknown, protect = true) =>
    resource(
        "okta-aws:identity:FederatedRole$aws:iam/role:Role",
        "Retail-EC2-Admins-role",
        { name: "Retail-EC2-Admins", assumeRolePolicy: trust },
        { protect },
    );
const samlProvider = (name: string, protect = true) =>
    resource(
        "okta-aws:identity:SamlProvider$aws:iam/samlProvider:SamlProvider",
        "saml-provider-provider",
        { name, samlMetadataDocument: "<md/>" },
        { protect },
    );
const assumePolicy = (document: string) =>
    resource("okta-aws:identity:FederatedRole$aws:iam/policy:Policy", "Retail-EC2-Admins-policy", {
        name: "allow-assume-retail-ec2-admins-role",
        policy: document,
    });
const statement = (fields: Record<string, unknown>) =>
    policyJson({ Version: "2012-10-17", Statement: [{ Effect: "Allow", ...fields } as never] });

describe("policy pack rules (policy/rules.ts)", () => {
    describe("member-role-trust", () => {
        it("accepts the program's trust: the identity account narrowed by ArnEquals aws:PrincipalArn", () => {
            expect(
                memberRoleTrustViolations(memberRole(crossAccountTrustPolicy(accountRootArn("aws", identity), [federatedArn]))),
            ).to.deep.equal([]);
        });

        it("ignores roles that trust no other account (a service role outside the program)", () => {
            const serviceRole = resource("aws:iam/role:Role", "ci", {
                assumeRolePolicy: statement({ Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }),
            });
            expect(memberRoleTrustViolations(serviceRole)).to.deep.equal([]);
        });

        it("rejects the identity account without the ArnEquals condition, or with a wildcard", () => {
            const root = { AWS: accountRootArn("aws", identity) };
            expect(memberRoleTrustViolations(memberRole(statement({ Principal: root, Action: "sts:AssumeRole" })))).to.deep.equal([
                "assumeRolePolicy Statement[0] has Condition none; only ArnEquals aws:PrincipalArn on the federated roles",
            ]);
            const like = { ArnLike: { "aws:PrincipalArn": `arn:aws:iam::${identity}:role/*` } };
            expect(
                memberRoleTrustViolations(memberRole(statement({ Principal: root, Action: "sts:AssumeRole", Condition: like }))),
            ).to.deep.equal([
                `assumeRolePolicy Statement[0] has Condition {"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::${identity}:role/*"}}; only ArnEquals aws:PrincipalArn on the federated roles`,
            ]);
            const wildcard = { ArnEquals: { "aws:PrincipalArn": `arn:aws:iam::${identity}:role/*` } };
            expect(
                memberRoleTrustViolations(memberRole(statement({ Principal: root, Action: "sts:AssumeRole", Condition: wildcard }))),
            ).to.deep.equal([
                `assumeRolePolicy Statement[0] ArnEquals aws:PrincipalArn "arn:aws:iam::${identity}:role/*" is not a role of the trusted account ${identity}`,
            ]);
        });

        it("rejects other principals, roles of another account, extra actions and a second account", () => {
            const hostile = resource("aws:iam/role:Role", "backdoor", {
                assumeRolePolicy: statement({ Principal: { AWS: "*" }, Action: "sts:AssumeRole" }),
            });
            expect(memberRoleTrustViolations(hostile)).to.deep.equal([
                'assumeRolePolicy Statement[0] trusts {"AWS":"*"}; only {"AWS":"arn:<partition>:iam::<identity account>:root"}',
            ]);
            const trust = parsedPolicy(crossAccountTrustPolicy(accountRootArn("aws", identity), [roleArn("aws", "999999999999", "Admin")]));
            trust.Statement[0].Action = ["sts:AssumeRole", "sts:*"];
            trust.Statement.push({
                ...trust.Statement[0],
                Principal: { AWS: accountRootArn("aws", "999999999999") },
                Action: "sts:AssumeRole",
            });
            expect(memberRoleTrustViolations(memberRole(JSON.stringify(trust)))).to.deep.equal([
                'assumeRolePolicy Statement[0] allows "sts:*"; only sts:AssumeRole, sts:SetSourceIdentity',
                `assumeRolePolicy Statement[0] ArnEquals aws:PrincipalArn "arn:aws:iam::999999999999:role/Admin" is not a role of the trusted account ${identity}`,
                `assumeRolePolicy trusts 2 accounts (${identity}, 999999999999); only the identity account`,
            ]);
        });

        it("rejects a trust that is not a JSON policy document", () => {
            expect(memberRoleTrustViolations(memberRole("{"))).to.deep.equal(["assumeRolePolicy is not valid JSON"]);
            expect(memberRoleTrustViolations(memberRole(undefined))).to.deep.equal([
                "assumeRolePolicy is not a JSON policy document (missing)",
            ]);
        });
    });

    describe("federated-role-trust", () => {
        const context = { accountId: identity };

        it("accepts the program's trust of this stack's SAML provider with SAML:aud", () => {
            expect(
                federatedRoleTrustViolations([samlProvider("Okta"), federatedRole(federatedTrustPolicy(providerArn))], context),
            ).to.deep.equal([]);
        });

        it("rejects another provider, another account's provider and a stack without a provider", () => {
            const role = federatedRole(federatedTrustPolicy(samlProviderArn("aws", identity, "Other")));
            const urn = role.urn;
            expect(federatedRoleTrustViolations([samlProvider("Okta"), role], context)).to.deep.equal(
                [0, 1].map((i) => ({
                    urn,
                    message: `assumeRolePolicy Statement[${i}] trusts "arn:aws:iam::${identity}:saml-provider/Other", not a SAML provider of this stack (saml-provider/Okta in ${identity})`,
                })),
            );
            const foreign = federatedRole(federatedTrustPolicy(samlProviderArn("aws", "999999999999", "Okta")));
            expect(federatedRoleTrustViolations([samlProvider("Okta"), foreign], context).map((v) => v.message)[0]).to.equal(
                `assumeRolePolicy Statement[0] trusts "arn:aws:iam::999999999999:saml-provider/Okta", not a SAML provider of this stack (saml-provider/Okta in ${identity})`,
            );
            expect(federatedRoleTrustViolations([federatedRole(federatedTrustPolicy(providerArn))], {}).map((v) => v.message)[0]).to.equal(
                `assumeRolePolicy Statement[0] trusts "${providerArn}", not a SAML provider of this stack (none)`,
            );
        });

        it("rejects AssumeRoleWithSAML without SAML:aud, other actions and other principals", () => {
            const noAudience = statement({ Principal: { Federated: providerArn }, Action: "sts:AssumeRoleWithSAML" });
            expect(
                federatedRoleTrustViolations([samlProvider("Okta"), federatedRole(noAudience)], context).map((v) => v.message),
            ).to.deep.equal([
                'assumeRolePolicy Statement[0] allows sts:AssumeRoleWithSAML without StringEquals SAML:aud = "https://signin.aws.amazon.com/saml" (has none)',
            ]);
            const assumeRole = statement({ Principal: { Federated: providerArn }, Action: ["sts:AssumeRoleWithSAML", "sts:AssumeRole"] });
            expect(
                federatedRoleTrustViolations([samlProvider("Okta"), federatedRole(assumeRole)], context).map((v) => v.message),
            ).to.deep.equal([
                'assumeRolePolicy Statement[0] allows "sts:AssumeRole"; only sts:AssumeRoleWithSAML, sts:SetSourceIdentity, sts:TagSession',
            ]);
            const wide = statement({ Principal: { Federated: providerArn, AWS: "*" }, Action: "sts:AssumeRoleWithSAML" });
            expect(federatedRoleTrustViolations([samlProvider("Okta"), federatedRole(wide)], context).map((v) => v.message)).to.deep.equal([
                `assumeRolePolicy Statement[0] trusts {"Federated":"${providerArn}","AWS":"*"}; only {"Federated":"<this stack's SAML provider ARN>"}`,
            ]);
        });
    });

    describe("assume-policy-scope", () => {
        const target = roleArn("aws", retail, "EC2_Admins");

        it("accepts the program's policy: one role of another account", () => {
            expect(assumePolicyViolations(assumePolicy(assumeRolePolicy(target)), { accountId: identity })).to.deep.equal([]);
        });

        it("rejects wildcards, two targets, other actions and a role of the stack's own account", () => {
            expect(assumePolicyViolations(assumePolicy(statement({ Action: "sts:AssumeRole", Resource: "*" })), {})).to.deep.equal([
                'policy Statement[0] has Resource "*"; only one role ARN without wildcards',
            ]);
            const two = parsedPolicy(assumeRolePolicy(target));
            two.Statement.push({ ...two.Statement[0], Action: "iam:PassRole", Resource: roleArn("aws", retail, "S3_Admins") });
            expect(assumePolicyViolations(assumePolicy(JSON.stringify(two)), { accountId: identity })).to.deep.equal([
                'policy Statement[1] allows "iam:PassRole"; only sts:AssumeRole, sts:SetSourceIdentity',
                `policy allows 2 role ARNs (${target}, arn:aws:iam::${retail}:role/S3_Admins); exactly one`,
            ]);
            expect(assumePolicyViolations(assumePolicy(assumeRolePolicy(target)), { accountId: retail })).to.deep.equal([
                `policy Statement[0] allows switching into "${target}" in this stack's own account ${retail}; only a member account's role`,
            ]);
        });

        it("judges only allow-assume-* policies and the federated roles' own", () => {
            const other = resource("aws:iam/policy:Policy", "ci", {
                name: "ci-deploy",
                policy: statement({ Action: "s3:*", Resource: "*" }),
            });
            expect(assumePolicyViolations(other, {})).to.deep.equal([]);
        });
    });

    describe("no-user-policies", () => {
        it("rejects every way of attaching a policy to a user, and allows groups", () => {
            expect(userPolicyViolations(resource("aws:iam/userPolicy:UserPolicy", "p", { user: "OktaSSO", policy: "{}" }))).to.deep.equal([
                'attaches an IAM policy to user "OktaSSO" directly; grant it through a group',
            ]);
            expect(
                userPolicyViolations(
                    resource("aws:iam/userPolicyAttachment:UserPolicyAttachment", "a", {
                        user: "bob",
                        policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess",
                    }),
                ),
            ).to.deep.equal(['attaches an IAM policy to user "bob" directly; grant it through a group']);
            expect(
                userPolicyViolations(resource("aws:iam/policyAttachment:PolicyAttachment", "pa", { users: ["bob"], groups: ["g"] })),
            ).to.deep.equal(['attaches an IAM policy to users ["bob"] directly; grant it through a group']);
            expect(userPolicyViolations(resource("aws:iam/policyAttachment:PolicyAttachment", "pa", { groups: ["g"] }))).to.deep.equal([]);
            expect(
                userPolicyViolations(
                    resource("aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive", "x", {
                        userName: "bob",
                        policyArns: [],
                    }),
                ),
            ).to.deep.equal([]);
            expect(userPolicyViolations(resource("aws:iam/groupPolicy:GroupPolicy", "g", { group: "g", policy: "{}" }))).to.deep.equal([]);
        });
    });

    describe("access-keys-for-service-users", () => {
        const serviceUser = "okta-aws:identity:ServiceUser";
        const user = resource(`${serviceUser}$aws:iam/user:User`, "okta-sso-user-user", { name: "OktaSSO" });

        it("accepts a ServiceUser's key for its own user", () => {
            const key = resource(`${serviceUser}$aws:iam/accessKey:AccessKey`, "okta-sso-user-access-key", { user: "OktaSSO" });
            expect(accessKeyViolations([user, key])).to.deep.equal([]);
        });

        it("rejects a key outside a ServiceUser and a ServiceUser's key for another user", () => {
            const loose = resource("aws:iam/accessKey:AccessKey", "john-key", { user: "john" });
            const misdirected = resource(`${serviceUser}$aws:iam/accessKey:AccessKey`, "okta-sso-user-access-key", { user: "admin" });
            expect(accessKeyViolations([user, loose, misdirected])).to.deep.equal([
                {
                    urn: loose.urn,
                    message: `access key for user "john" outside a ServiceUser component; only the program's service users have keys`,
                },
                { urn: misdirected.urn, message: `access key for user "admin", not its ServiceUser's own user "OktaSSO"` },
            ]);
        });
    });

    describe("audit-role-read-only", () => {
        const auditRole = (trust: string) =>
            resource("okta-aws:audit:AuditRole$aws:iam/role:Role", "audit-role-role", { name: "okta-aws-audit", assumeRolePolicy: trust });
        const readPolicy = (document: string) =>
            resource("okta-aws:audit:AuditRole$aws:iam/rolePolicy:RolePolicy", "audit-role-policy", {
                name: "okta-aws-audit-read",
                role: "okta-aws-audit",
                policy: document,
            });
        const programTrust = auditRoleTrustPolicy(accountRootArn("aws", identity));

        it("accepts the program's role, and judges it instead of member-role-trust", () => {
            const role = auditRole(programTrust);
            expect(auditRoleViolations([role, readPolicy(auditRolePolicy())])).to.deep.equal([]);
            // Its trust names no federated role: member-role-trust would refuse it.
            expect(memberRoleTrustViolations(role)).to.deep.equal([]);
        });

        it("rejects a write, a wildcard, a managed policy, and a trust beyond one AWS principal's sts:AssumeRole", () => {
            const role = auditRole(statement({ Principal: "*", Action: ["sts:AssumeRole", "sts:TagSession"] }));
            const attachment = resource(
                "okta-aws:audit:AuditRole$aws:iam/rolePolicyAttachment:RolePolicyAttachment",
                "audit-role-readonly",
                {
                    role: "okta-aws-audit",
                    policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess",
                },
            );
            const policy = readPolicy(statement({ Action: ["iam:ListRoles", "iam:*", "iam:UpdateAssumeRolePolicy"], Resource: "*" }));
            expect(auditRoleViolations([role, policy, attachment])).to.deep.equal([
                { urn: role.urn, message: 'assumeRolePolicy Statement[0] trusts "*"; only one AWS principal' },
                {
                    urn: role.urn,
                    message: 'assumeRolePolicy Statement[0] allows "sts:TagSession"; only sts:AssumeRole',
                },
                {
                    urn: policy.urn,
                    message: `policy Statement[0] allows "iam:*", "iam:UpdateAssumeRolePolicy"; only ${auditReadActions.join(", ")}`,
                },
                {
                    urn: attachment.urn,
                    message:
                        'attaches "arn:aws:iam::aws:policy/ReadOnlyAccess" to the audit role "okta-aws-audit"; it holds only its inline read policy',
                },
            ]);
        });
    });

    describe("identity-resources-protected", () => {
        it("requires protect on the SAML provider and the federated roles only", () => {
            expect(protectionViolations(samlProvider("Okta"))).to.deep.equal([]);
            expect(protectionViolations(samlProvider("Okta", false))).to.deep.equal(['SAML provider "Okta" is not protected']);
            expect(protectionViolations(federatedRole(federatedTrustPolicy(providerArn), false))).to.deep.equal([
                'federated role "Retail-EC2-Admins" is not protected',
            ]);
            expect(
                protectionViolations(memberRole(crossAccountTrustPolicy(accountRootArn("aws", identity), [federatedArn]))),
            ).to.deep.equal([]);
        });
    });

    it("reads the stack's account from the AWS provider's allowedAccountIds, a list or its JSON", () => {
        expect(accountIdOfProvider({ allowedAccountIds: `["${identity}"]` })).to.equal(identity);
        expect(accountIdOfProvider({ allowedAccountIds: [retail] })).to.equal(retail);
        expect(accountIdOfProvider({ region: "us-east-1" })).to.equal(undefined);
        expect(accountIdOfProvider(undefined)).to.equal(undefined);
    });
});

describe("policy pack over the offline plan (tools/report/policyPack.ts)", function () {
    this.timeout(60000);
    let shipped: Plan;
    before(async () => {
        shipped = (await shippedPlan()).plan;
    });

    it("passes on the shipped and the test organisation, judging every role, policy and key", async () => {
        const globex = (await buildPlan(path.join(projectRoot, "tests", "fixtures", "globex"))).plan;
        const judged = (plan: Plan) => policyVerdicts(plan).map((v) => [v.policy, v.judged, v.violations]);
        expect(judged(shipped)).to.deep.equal([
            ["member-role-trust", "3 member roles", []],
            ["federated-role-trust", "3 federated roles", []],
            ["saml-provider-placement", "1 SAML provider", []],
            ["assume-policy-scope", "3 allow-assume policies", []],
            ["no-user-policies", "0 user policy resources", []],
            ["access-keys-for-service-users", "2 access keys", []],
            ["audit-role-read-only", "3 audit roles", []],
            ["app-sign-on-policy", "2 AWS and CLI apps", []],
            ["emergency-roles-unassigned", "0 emergency groups", []],
            ["identity-resources-protected", "5 SAML providers, federated roles and sign-on policies", []],
        ]);
        expect(judged(globex)).to.deep.equal([
            ["member-role-trust", "4 member roles", []],
            ["federated-role-trust", "4 federated roles", []],
            ["saml-provider-placement", "1 SAML provider", []],
            ["assume-policy-scope", "4 allow-assume policies", []],
            ["no-user-policies", "0 user policy resources", []],
            ["access-keys-for-service-users", "1 access key", []],
            ["audit-role-read-only", "4 audit roles", []],
            ["app-sign-on-policy", "1 AWS or CLI app", []],
            ["emergency-roles-unassigned", "0 emergency groups", []],
            ["identity-resources-protected", "6 SAML providers, federated roles and sign-on policies", []],
        ]);
    });

    it("reports a widened member trust in full, on the console and in access.md", () => {
        const plan: Plan = structuredClone(shipped);
        const role = plan.stacks.retail.resources.find((r) => r.name === "EC2_Admins-role")!;
        role.inputs.assumeRolePolicy = statement({ Principal: { AWS: accountRootArn("aws", identity) }, Action: "sts:AssumeRole" });
        const verdicts = policyVerdicts(plan);
        const message = "assumeRolePolicy Statement[0] has Condition none; only ArnEquals aws:PrincipalArn on the federated roles";
        expect(verdicts[0].violations).to.deep.equal([{ stack: "retail", urn: role.urn, message }]);
        expect(policyLines(verdicts).slice(0, 3)).to.deep.equal([
            "✗ member-role-trust              mandatory  3 member roles, 1 violation",
            `    retail  ${role.urn}: ${message}`,
            "✓ federated-role-trust           mandatory  3 federated roles, no violation",
        ]);
        expect(policyLines(verdicts, 0).slice(0, 3)).to.deep.equal([
            "✗ member-role-trust              mandatory  3 member roles, 1 violation",
            "    … and 1 more violation (all in access.md; --verbose prints them)",
            "✓ federated-role-trust           mandatory  3 federated roles, no violation",
        ]);
        expect(policyMarkdown(verdicts)).to.contain(
            `| \`member-role-trust\` | retail | urn:pulumi:retail::okta-aws::okta-aws:member:CrossAccountRole\\$aws:iam/role:Role::EC2\\_Admins-role | ${message.replace("[0]", "\\[0\\]")} |`,
        );
    });

    it("makes npm start exit 1 on a mandatory violation, 0 once the sandbox's config lowers it", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-policy-"));
        try {
            for (const stack of ["identity", "retail", "sales"]) {
                fs.copyFileSync(path.join(projectRoot, `Pulumi.${stack}.yaml`), path.join(dir, `Pulumi.${stack}.yaml`));
            }
            fs.appendFileSync(path.join(dir, "Pulumi.identity.yaml"), "  okta-aws:protectIdentityResources: false\n");
            const argv = ["--config-dir", dir, "--out", path.join(dir, "out"), "--no-verify"];
            const unprotected =
                '    identity  urn:pulumi:identity::okta-aws::okta-aws:identity:SamlProvider$aws:iam/samlProvider:SamlProvider::saml-provider-provider: SAML provider "Okta" is not protected';
            const strict = await runPreview(argv);
            expect(strict.code).to.equal(1);
            expect(strict.stdout).to.contain(
                "✗ identity-resources-protected   mandatory  5 SAML providers, federated roles and sign-on policies, 5 violations",
            );
            expect(strict.stdout).to.contain(unprotected);

            const sandbox = path.join(dir, "sandbox.json");
            fs.writeFileSync(sandbox, JSON.stringify({ "identity-resources-protected": { enforcementLevel: "advisory" } }));
            const lowered = await runPreview([...argv, "--policy-pack-config", sandbox]);
            expect(lowered.code).to.equal(0);
            expect(lowered.stdout).to.contain(
                "! identity-resources-protected   advisory   5 SAML providers, federated roles and sign-on policies, 5 violations",
            );
            expect(lowered.stdout).to.contain(unprotected);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("reads a policy pack config file as CrossGuard does, and reports bad entries in the one format", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-policy-config-"));
        try {
            const file = path.join(dir, "policy.json");
            fs.writeFileSync(
                file,
                JSON.stringify({ "no-user-policies": "disabled", "member-role-trust": { enforcementLevel: "advisory" } }),
            );
            expect(readPolicyPackConfig(file)).to.deep.equal({ "no-user-policies": "disabled", "member-role-trust": "advisory" });
            const levels = policyVerdicts(shipped, readPolicyPackConfig(file)).map((v) => v.enforcementLevel);
            expect(levels).to.deep.equal([
                "advisory",
                "mandatory",
                "mandatory",
                "mandatory",
                "disabled",
                "mandatory",
                "mandatory",
                "mandatory",
                "mandatory",
                "mandatory",
            ]);
            fs.writeFileSync(file, JSON.stringify({ "member-role-trusts": "advisory", "no-user-policies": "remediate" }));
            expect(() => readPolicyPackConfig(file))
                .to.throw(ConfigError)
                .with.property("problems")
                .that.deep.equals([
                    'policy.json: member-role-trusts: "advisory" — no such policy; the policies are member-role-trust, federated-role-trust, saml-provider-placement, assume-policy-scope, no-user-policies, access-keys-for-service-users, audit-role-read-only, app-sign-on-policy, emergency-roles-unassigned, identity-resources-protected',
                    'policy.json: no-user-policies: "remediate" — the enforcement level must be mandatory, advisory, disabled',
                ]);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("the sign-on and emergency policies over a plan", function () {
    this.timeout(60000);
    let shipped: Plan;
    let initech: Plan;
    before(async () => {
        shipped = (await shippedPlan()).plan;
        initech = (await buildPlan(path.join(projectRoot, "tests", "fixtures", "initech"))).plan;
    });
    const violationsOf = (plan: Plan, policy: string) => policyVerdicts(plan).find((v) => v.policy === policy)!.violations;
    const named = (plan: Plan, stack: string, name: string) => plan.stacks[stack].resources.find((r) => r.name === name)!;

    it("the example organisation with an emergency role passes both", () => {
        const verdicts = policyVerdicts(initech).filter((v) => ["app-sign-on-policy", "emergency-roles-unassigned"].includes(v.policy));
        expect(verdicts.map((v) => [v.policy, v.judged, v.violations])).to.deep.equal([
            ["app-sign-on-policy", "2 AWS and CLI apps", []],
            ["emergency-roles-unassigned", "1 emergency group", []],
        ]);
    });

    it("an app without the policy, with another one than the AWS app's, or a policy that allows one factor or keeps the catch-all", () => {
        const plan: Plan = structuredClone(shipped);
        const awsApp = named(plan, "identity", "okta-aws-app-app");
        const cliApp = named(plan, "identity", "okta-aws-cli-app-app");
        delete awsApp.inputs.authenticationPolicy;
        expect(violationsOf(plan, "app-sign-on-policy")).to.deep.equal([
            {
                stack: "identity",
                urn: awsApp.urn,
                message: "has no authenticationPolicy: Okta gives it the org's default policy, which this program does not control",
            },
        ]);
        const tampered: Plan = structuredClone(shipped);
        named(tampered, "identity", "sign-on-policy-policy").inputs.catchAll = true;
        named(tampered, "identity", "sign-on-policy-two-factors").inputs.factorMode = "1FA";
        named(tampered, "identity", "okta-aws-cli-app-app").inputs.authenticationPolicy = "rstSomeOtherPolicy0";
        expect(violationsOf(tampered, "app-sign-on-policy").map((v) => [v.urn, v.message])).to.deep.equal([
            [awsApp.urn, "its authentication policy keeps Okta's allow-everything catch-all rule (catchAll is true, not false)"],
            [
                awsApp.urn,
                'its authentication policy\'s rule "Two factors" allows access with factorMode "1FA"; every ALLOW rule requires two factors (2FA)',
            ],
            [
                cliApp.urn,
                "carries another authentication policy than the AWS app: okta-aws-cli's token exchange fails when the AWS app's is stricter",
            ],
            [cliApp.urn, 'names authentication policy "rstSomeOtherPolicy0", which has no rules in this stack'],
        ]);
    });

    it("an emergency role assigned day to day: members in its group, a user or another group holding it", () => {
        const plan: Plan = structuredClone(initech);
        const identity = plan.stacks.identity.resources;
        const emergencyGroupId = named(plan, "identity", "sign-on-policy-emergency-Payments-Break-Glass").inputs.groupsIncluded as string[];
        const members = structuredClone(named(plan, "identity", "saml-role-assignments-aws-payments-oncall-members"));
        members.name = "extra-members";
        members.urn = `${members.urn}-extra`;
        members.inputs.groupId = emergencyGroupId[0];
        identity.push(members);
        const peter = named(plan, "identity", "saml-role-assignments-peter@initech.example-assignment");
        peter.inputs.profile = '{"role":null,"samlRoles":["Payments-Break-Glass","Payments-Log-Readers"]}';
        const oncall = named(plan, "identity", "saml-role-assignments-aws-payments-oncall-assignment");
        oncall.inputs.profile = '{"role":null,"samlRoles":["Payments-Break-Glass"]}';
        expect(violationsOf(plan, "emergency-roles-unassigned").map((v) => [v.urn, v.message])).to.deep.equal([
            [oncall.urn, "assigns emergency role Payments-Break-Glass day to day; only the emergency group may carry it"],
            [peter.urn, "assigns emergency role Payments-Break-Glass day to day; only the emergency group may carry it"],
            [
                members.urn,
                "adds members to an emergency group; nobody is in it day to day (an Okta admin adds a person at the moment of need)",
            ],
        ]);
    });
});
