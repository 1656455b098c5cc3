// Whole stacks, evaluated from the shipped Pulumi.<stack>.yaml files: members first, then the
// identity stack with its StackReferences answered by the members' evaluated outputs.
import { expect } from "chai";
import { isSecret } from "@pulumi/pulumi";
import { IdentityConfig, MemberConfig } from "../components/config";
import { identityStack } from "../components/identityStack";
import { memberStack } from "../components/memberStack";
import { auditReadActions } from "../components/policies";
import { resolveOutputs, StackOutputsForReference } from "../tools/mock/outputs";
import { cloud, inventory, named, ofType, parsedPolicy, settled, shippedConfig, useStack } from "./harness";
import { expectSnapshot } from "./snapshots";

async function evaluateMember(stack: string): Promise<StackOutputsForReference> {
    const config = shippedConfig<MemberConfig>(stack);
    await useStack(stack, { accountId: config.account.id });
    const resolved = await resolveOutputs({ ...(await memberStack(config)) });
    await settled();
    return { outputs: resolved.values, secretOutputNames: resolved.secretOutputNames };
}

async function memberOutputs(): Promise<Record<string, StackOutputsForReference>> {
    return {
        "organization/okta-aws/sales": await evaluateMember("sales"),
        "organization/okta-aws/retail": await evaluateMember("retail"),
    };
}

describe("member stacks (Pulumi.sales.yaml, Pulumi.retail.yaml)", () => {
    it("retail: EC2_Admins and S3_Admins, each trusting its federated role", async () => {
        const outputs = await evaluateMember("retail");
        expectSnapshot("shipped-retail-inventory", inventory());
        expect(outputs).to.deep.equal({
            outputs: {
                outputsVersion: 2,
                accountId: "253541269580",
                accountLabel: "Retail",
                identityAccountId: "671250594556",
                crossAccountRoles: [
                    {
                        name: "EC2_Admins",
                        arn: "arn:aws:iam::253541269580:role/EC2_Admins",
                        federatedRoleName: "Retail-EC2-Admins",
                        assumePolicyName: "allow-assume-retail-ec2-admin-role",
                        policyArns: ["arn:aws:iam::aws:policy/AmazonEC2FullAccess"],
                        switchRoleUrl: "https://signin.aws.amazon.com/switchrole?account=253541269580&roleName=EC2_Admins",
                    },
                    {
                        name: "S3_Admins",
                        arn: "arn:aws:iam::253541269580:role/S3_Admins",
                        federatedRoleName: "Retail-S3-Admins",
                        assumePolicyName: "allow-assume-retail-s3-admin-role",
                        policyArns: ["arn:aws:iam::aws:policy/AmazonS3FullAccess"],
                        switchRoleUrl: "https://signin.aws.amazon.com/switchrole?account=253541269580&roleName=S3_Admins",
                    },
                ],
            },
            secretOutputNames: [],
        });
        const principals = ofType("aws:iam/role:Role")
            .filter((role) => role.name !== "audit-role-role")
            .map((role) => parsedPolicy(role.inputs.assumeRolePolicy).Statement[0].Condition!.ArnEquals["aws:PrincipalArn"]);
        expect(principals).to.deep.equal([
            "arn:aws:iam::671250594556:role/Retail-EC2-Admins",
            "arn:aws:iam::671250594556:role/Retail-S3-Admins",
        ]);
    });

    it("sales: EC2_Admins trusting Sales-EC2-Admins", async () => {
        const outputs = await evaluateMember("sales");
        expect(inventory()).to.deep.equal([
            "aws:iam/role:Role EC2_Admins-role",
            "aws:iam/role:Role audit-role-role",
            "aws:iam/rolePolicy:RolePolicy audit-role-policy",
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment EC2_Admins-AmazonEC2FullAccess",
            "okta-aws:audit:AuditRole audit-role",
            "okta-aws:member:CrossAccountRole EC2_Admins",
        ]);
        const [role] = outputs.outputs.crossAccountRoles as { arn: string; federatedRoleName: string }[];
        expect([role.arn, role.federatedRoleName]).to.deep.equal(["arn:aws:iam::881102293469:role/EC2_Admins", "Sales-EC2-Admins"]);
        expect(parsedPolicy(named("EC2_Admins-role").inputs.assumeRolePolicy).Statement[0].Condition).to.deep.equal({
            ArnEquals: { "aws:PrincipalArn": "arn:aws:iam::671250594556:role/Sales-EC2-Admins" },
        });
    });
});

describe("the audit's read-only role, in every stack", () => {
    it("trusts the identity account's root by default, or the configured principal, and allows exactly the audit's reads", async () => {
        const readOnly = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: auditReadActions, Resource: "*" }] };
        const trusting = (principal: string) => ({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { AWS: principal }, Action: "sts:AssumeRole" }],
        });
        await evaluateMember("sales");
        expect(named("audit-role-role").inputs).to.deep.include({ name: "okta-aws-audit", maxSessionDuration: 3600 });
        expect(parsedPolicy(named("audit-role-role").inputs.assumeRolePolicy)).to.deep.equal(trusting("arn:aws:iam::671250594556:root"));
        expect(named("audit-role-policy").inputs).to.deep.include({ name: "okta-aws-audit-read", role: "okta-aws-audit" });
        expect(parsedPolicy(named("audit-role-policy").inputs.policy)).to.deep.equal(readOnly);

        const ci = "arn:aws:iam::671250594556:role/okta-aws-audit-ci";
        const config = shippedConfig<MemberConfig>("retail");
        await useStack("retail", { accountId: config.account.id });
        await memberStack({ ...config, auditRole: { name: "audit", trustedPrincipal: ci } });
        await settled();
        expect(named("audit-role-role").inputs.name).to.equal("audit");
        expect(parsedPolicy(named("audit-role-role").inputs.assumeRolePolicy)).to.deep.equal(trusting(ci));
    });
});

describe("identity stack (Pulumi.identity.yaml)", () => {
    let stackOutputs: Record<string, StackOutputsForReference>;
    before(async () => {
        stackOutputs = await memberOutputs();
    });

    async function evaluateIdentity(config = shippedConfig<IdentityConfig>("identity")) {
        await useStack("identity", { accountId: config.account.id, stackOutputs });
        const exported = await identityStack(config);
        const resolved = await resolveOutputs(exported);
        await settled();
        return { exported, resolved };
    }

    it("registers exactly the federation's resources", async () => {
        await evaluateIdentity();
        expectSnapshot("shipped-identity-inventory", inventory());
    });

    it("holds back the AWS app's assignments on a fresh organisation and says what to run next", async () => {
        const { resolved } = await evaluateIdentity();
        expect(ofType("okta:app/user:User").map((u) => u.name)).to.deep.equal([
            "saml-role-assignments-john@acmecorp.me-cli-assignment",
            "saml-role-assignments-jane@acmecorp.me-cli-assignment",
        ]);
        expect(cloud.calls).to.not.include("okta:app/getSaml:getSaml");
        expect(resolved.values.pendingAssignments).to.deep.equal({
            users: 2,
            groups: 0,
            reason: "Okta accepts samlRoles values only after the AWS app's API integration has imported the roles",
            next: [
                "pulumi stack output provisioning --show-secrets: follow its checklist to enable the API integration",
                "Okta Admin Console → the AWS app → Assignments → Assign: check that the federated roles are offered as SAML User Roles",
                "set okta-aws:oktaApp.rolesImported to true in the identity stack file, then pulumi up",
            ],
        });
    });

    it("gives john exactly Retail-EC2-Admins and Sales-EC2-Admins, and jane exactly Retail-S3-Admins once the roles are imported", async () => {
        const shipped = shippedConfig<IdentityConfig>("identity");
        const { resolved } = await evaluateIdentity({
            ...shipped,
            oktaApp: { ...shipped.oktaApp, rolesImported: true, id: "0oa1awsapp0acme000a7" },
        });
        expect(resolved.values.pendingAssignments).to.equal(undefined);
        const awsAppUsers = ofType("okta:app/user:User").filter((u) => !u.name.endsWith("-cli-assignment"));
        const profiles = Object.fromEntries(
            awsAppUsers.map((u): [string, unknown] => [u.inputs.username as string, JSON.parse(u.inputs.profile as string)]),
        );
        expect(profiles).to.deep.equal({
            "jane@acmecorp.me": { role: null, samlRoles: ["Retail-S3-Admins"] },
            "john@acmecorp.me": { role: null, samlRoles: ["Retail-EC2-Admins", "Sales-EC2-Admins"] },
        });
        expect(resolved.values.assignments).to.deep.equal({
            users: [
                { login: "jane@acmecorp.me", samlRoles: ["Retail-S3-Admins"] },
                { login: "john@acmecorp.me", samlRoles: ["Retail-EC2-Admins", "Sales-EC2-Admins"] },
            ],
            groups: [],
        });
    });

    it("feeds the app's metadata to the SAML provider, and names the provider's ARN in the app", async () => {
        const { resolved } = await evaluateIdentity();
        const app = named("okta-aws-app-app");
        const provider = named("saml-provider-provider");
        const appState = cloud.newResource({ type: app.type, name: app.name, inputs: app.inputs, custom: true }).state;
        expect(provider.inputs.samlMetadataDocument).to.equal(appState.metadata);
        expect(provider.inputs.samlMetadataDocument).to.match(/<ds:X509Certificate>MII[A-Za-z0-9+/=]+<\/ds:X509Certificate>/);
        const settings = JSON.parse(app.inputs.appSettingsJson as string) as { identityProviderArn: string };
        expect(settings.identityProviderArn).to.equal(resolved.values.samlProviderArn);
        expect(resolved.values.samlProviderArn).to.equal("arn:aws:iam::671250594556:saml-provider/Okta");
    });

    it("trusts the SAML provider in every federated role and allows exactly the target role", async () => {
        const { resolved } = await evaluateIdentity();
        const role = named("Retail-EC2-Admins-role");
        expect(role.inputs.maxSessionDuration).to.equal(3600);
        expect(JSON.parse(role.inputs.assumeRolePolicy as string)).to.deep.equal({
            Version: "2012-10-17",
            Statement: [
                {
                    Effect: "Allow",
                    Principal: { Federated: "arn:aws:iam::671250594556:saml-provider/Okta" },
                    Action: "sts:AssumeRoleWithSAML",
                    Condition: { StringEquals: { "SAML:aud": "https://signin.aws.amazon.com/saml" } },
                },
                {
                    Effect: "Allow",
                    Principal: { Federated: "arn:aws:iam::671250594556:saml-provider/Okta" },
                    Action: "sts:SetSourceIdentity",
                },
            ],
        });
        const policy = named("Retail-EC2-Admins-policy");
        expect(policy.inputs.name).to.equal("allow-assume-retail-ec2-admin-role");
        expect(JSON.parse(policy.inputs.policy as string)).to.deep.equal({
            Version: "2012-10-17",
            Statement: [
                {
                    Effect: "Allow",
                    Action: ["sts:AssumeRole", "sts:SetSourceIdentity"],
                    Resource: "arn:aws:iam::253541269580:role/EC2_Admins",
                },
            ],
        });
        expect(
            ofType("aws:iam/policy:Policy")
                .map((p) => p.inputs.name)
                .sort(),
        ).to.deep.equal(["allow-assume-retail-ec2-admin-role", "allow-assume-retail-s3-admin-role", "allow-assume-sales-ec2-admin-role"]);
        expect(resolved.values.federatedRoles).to.deep.equal({
            "Retail-EC2-Admins": "arn:aws:iam::671250594556:role/Retail-EC2-Admins",
            "Retail-S3-Admins": "arn:aws:iam::671250594556:role/Retail-S3-Admins",
            "Sales-EC2-Admins": "arn:aws:iam::671250594556:role/Sales-EC2-Admins",
        });
    });

    it("closes the loop: every member trust names exactly the federated role ARN the identity stack creates", async () => {
        const { resolved } = await evaluateIdentity();
        const federatedRoles = resolved.values.federatedRoles as Record<string, string>;
        for (const member of Object.values(stackOutputs)) {
            for (const role of member.outputs.crossAccountRoles as { federatedRoleName: string }[]) {
                expect(federatedRoles[role.federatedRoleName]).to.equal(`arn:aws:iam::671250594556:role/${role.federatedRoleName}`);
            }
        }
    });

    it("protects the SAML provider, the federated roles and the sign-on policy", async () => {
        await evaluateIdentity();
        const protectedNames = cloud.resources
            .filter((r) => r.custom && r.protect)
            .map((r) => r.name)
            .sort();
        expect(protectedNames).to.deep.equal([
            "Retail-EC2-Admins-policy",
            "Retail-EC2-Admins-policy-attachment",
            "Retail-EC2-Admins-role",
            "Retail-S3-Admins-policy",
            "Retail-S3-Admins-policy-attachment",
            "Retail-S3-Admins-role",
            "Sales-EC2-Admins-policy",
            "Sales-EC2-Admins-policy-attachment",
            "Sales-EC2-Admins-role",
            "saml-provider-provider",
            "sign-on-policy-deny-others",
            "sign-on-policy-policy",
            "sign-on-policy-two-factors",
        ]);
    });

    it("keeps the access key secret in the outputs", async () => {
        const { exported, resolved } = await evaluateIdentity();
        expect(await isSecret(exported.provisioning!.secretAccessKey)).to.equal(true);
        expect(await isSecret(exported.provisioning!.accessKeyId)).to.equal(false);
        expect((resolved.redacted.provisioning as Record<string, unknown>).secretAccessKey).to.equal("[secret]");
        expect(resolved.secretOutputNames).to.deep.equal(["provisioning", "introspection"]);
    });
});
