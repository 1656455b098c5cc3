// The identity account's components, each on its own: the Okta AWS app's settings, the SAML
// provider, the Okta SSO service user, the SAML role assignments and a federated role.
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { FederatedRole } from "../components/federatedRole";
import { OktaAwsApp, oktaAwsAppSettings } from "../components/oktaAwsApp";
import { oktaSsoPolicy } from "../components/policies";
import { ServiceUser } from "../components/serviceUser";
import { SamlProvider } from "../components/samlProvider";
import { SamlRoleAssignments, samlRolesProfile } from "../components/samlRoleAssignments";
import { mockOktaId } from "../tools/mock/providers";
import { cloud, exampleAppSettingsArgs, inventory, named, ofType, settled, useStack, valueOf } from "./harness";

const appArgs = { ...exampleAppSettingsArgs, apiIntegration: false };

describe("identity components", () => {
    beforeEach(() => useStack("identity", { accountId: "671250594556" }));

    it("OktaAwsApp: the preconfigured amazon_aws app with SAML 2.0 and complete settings", async () => {
        const app = new OktaAwsApp("aws", appArgs);
        expect(await valueOf(app.embedUrl)).to.match(/^https:\/\/acmecorp\.okta\.com\/home\/amazon_aws\/0oa\w+\/272$/);
        expect(await valueOf(app.provisioningEnabled)).to.equal(false);
        await settled();
        const saml = named("aws-app");
        expect(saml.parent).to.equal(named("aws").urn);
        expect(saml.inputs.preconfiguredApp).to.equal("amazon_aws");
        expect(saml.inputs.samlVersion).to.equal("2.0");
        expect(JSON.parse(saml.inputs.appSettingsJson as string)).to.deep.equal({
            appFilter: "okta",
            awsEnvironmentType: "aws.amazon",
            groupFilter: "aws_(?{{accountid}}\\d+)_(?{{role}}[a-zA-Z0-9+=,.@\\-_]+)",
            identityProviderArn: "arn:aws:iam::671250594556:saml-provider/Okta",
            joinAllRoles: true,
            loginURL: "https://console.aws.amazon.com/ec2/home",
            roleValuePattern: "arn:aws:iam::${accountid}:saml-provider/Okta,arn:aws:iam::${accountid}:role/${role}",
            sessionDuration: 3600,
            useGroupMapping: false,
        });
        expect(oktaAwsAppSettings({ ...appArgs, partition: "aws-us-gov" }).roleValuePattern).to.equal(
            "arn:aws-us-gov:iam::${accountid}:saml-provider/Okta,arn:aws-us-gov:iam::${accountid}:role/${role}",
        );
    });

    it("SamlProvider: named as configured, with the metadata it is given", async () => {
        const provider = new SamlProvider("saml", { providerName: "Okta", metadata: pulumi.output("<md:EntityDescriptor/>") });
        expect(await valueOf(provider.arn)).to.equal("arn:aws:iam::671250594556:saml-provider/Okta");
        await settled();
        expect(named("saml-provider").inputs).to.deep.equal({ name: "Okta", samlMetadataDocument: "<md:EntityDescriptor/>" });
        expect(named("saml-provider").parent).to.equal(named("saml").urn);
    });

    const ssoUserArgs = { userName: "OktaSSO", groupName: "OktaSSO-RoleDiscovery", policyName: "okta-list-roles", policy: oktaSsoPolicy() };

    it("ServiceUser (OktaSSO): list-roles permissions through a group only, one access key kept secret", async () => {
        const user = new ServiceUser("sso", ssoUserArgs);
        expect(await pulumi.isSecret(user.secretAccessKey)).to.equal(true);
        expect(await valueOf(user.accessKeyId)).to.match(/^AKIA[0-9A-F]{16}$/);
        await settled();
        expect(inventory()).to.deep.equal([
            "aws:iam/accessKey:AccessKey sso-access-key",
            "aws:iam/group:Group sso-group",
            "aws:iam/groupPolicy:GroupPolicy sso-group-policy",
            "aws:iam/user:User sso-user",
            "aws:iam/userGroupMembership:UserGroupMembership sso-membership",
            "okta-aws:identity:ServiceUser sso",
            "random:index/randomId:RandomId sso-key-rotation",
        ]);
        const componentUrn = named("sso").urn;
        expect(cloud.resources.filter((r) => r.name !== "sso" && r.parent !== componentUrn)).to.deep.equal([]);
        expect(ofType("aws:iam/userPolicy:UserPolicy")).to.deep.equal([]);
        expect(ofType("aws:iam/userPolicyAttachment:UserPolicyAttachment")).to.deep.equal([]);
        expect(named("sso-group").inputs.name).to.equal("OktaSSO-RoleDiscovery");
        expect(JSON.parse(named("sso-group-policy").inputs.policy as string)).to.deep.equal({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: ["iam:ListAccountAliases", "iam:ListRoles"], Resource: "*" }],
        });
        expect(named("sso-membership").inputs).to.deep.equal({ user: "OktaSSO", groups: ["OktaSSO-RoleDiscovery"] });
        expect(named("sso-access-key").inputs).to.deep.equal({ user: "OktaSSO" });
        expect(named("sso-access-key").hasReplacementTrigger).to.equal(true);
        expect(named("sso-key-rotation").inputs).to.deep.equal({ byteLength: 4, keepers: { keyRotation: "initial" } });
    });

    it("ServiceUser: a new keyRotation value changes the key's replacement trigger", async () => {
        new ServiceUser("sso", { ...ssoUserArgs, keyRotation: "2026-11" });
        await settled();
        expect(named("sso-key-rotation").inputs.keepers).to.deep.equal({ keyRotation: "2026-11" });
    });

    it("SamlRoleAssignments: a looked-up user's assignment carries the login as Okta stores it, whatever the stack file's case", async () => {
        await useStack("identity", {
            accountId: "671250594556",
            existing: [{ type: "okta:user/user:User", id: "00u1opsacme000000a7", inputs: { login: "Ops@AcmeCorp.me" } }],
        });
        new SamlRoleAssignments("assign", {
            appId: "0oaApp",
            cliAppId: "0oaCli",
            users: [{ login: "ops@acmecorp.me", samlRoles: ["Retail-S3-Admins"] }],
            groups: [],
            mode: "samlUserRoles",
            rolesImported: true,
        });
        await settled();
        expect(
            await Promise.all(
                ["assign-ops@acmecorp.me-assignment", "assign-ops@acmecorp.me-cli-assignment"].map((name) =>
                    valueOf(pulumi.output(named(name).inputs.username as string)),
                ),
            ),
        ).to.deep.equal(["Ops@AcmeCorp.me", "Ops@AcmeCorp.me"]);
    });

    it("SamlRoleAssignments: users created or looked up, groups assigned with sorted profiles", async () => {
        const assignments = new SamlRoleAssignments("assign", {
            appId: "0oaApp",
            users: [
                { login: "john@acmecorp.me", firstName: "John", lastName: "Doe", samlRoles: ["Sales-EC2-Admins", "Retail-EC2-Admins"] },
                { login: "ops@acmecorp.me", samlRoles: ["Retail-S3-Admins"] },
            ],
            groups: [{ name: "aws-auditors", samlRoles: ["Retail-S3-Admins"], members: ["ops@acmecorp.me", "eve@acmecorp.me"] }],
            mode: "samlUserRoles",
            rolesImported: true,
        });
        await settled();
        // ops@ exists already and is looked up once, though also a group member; eve@ only through the group.
        expect(cloud.calls).to.deep.equal(["okta:user/getUser:getUser", "okta:user/getUser:getUser"]);
        expect(inventory()).to.deep.equal([
            "okta-aws:identity:SamlRoleAssignments assign",
            "okta:app/groupAssignment:GroupAssignment assign-aws-auditors-assignment",
            "okta:app/user:User assign-john@acmecorp.me-assignment",
            "okta:app/user:User assign-ops@acmecorp.me-assignment",
            "okta:group/group:Group assign-aws-auditors-group",
            "okta:index/groupMemberships:GroupMemberships assign-aws-auditors-members",
            "okta:user/user:User assign-john@acmecorp.me-user",
        ]);
        expect(named("assign-john@acmecorp.me-user").inputs).to.deep.equal({
            login: "john@acmecorp.me",
            email: "john@acmecorp.me",
            firstName: "John",
            lastName: "Doe",
            // Chosen on purpose (issue 32 item 10): ACTIVE sends Okta's activation e-mail.
            status: "ACTIVE",
        });
        const groupId = await valueOf(pulumi.output(named("assign-aws-auditors-assignment").inputs.groupId as string));
        expect(named("assign-aws-auditors-assignment").inputs).to.deep.equal({
            appId: "0oaApp",
            groupId,
            priority: 1,
            profile: '{"role":null,"samlRoles":["Retail-S3-Admins"]}',
        });
        // Both members by Okta id, in login order: eve@ and ops@ from their look-ups (the mock derives ids from logins).
        expect(named("assign-aws-auditors-members").inputs.users).to.deep.equal([
            mockOktaId("00u", "eve@acmecorp.me"),
            mockOktaId("00u", "ops@acmecorp.me"),
        ]);
        expect(named("assign-john@acmecorp.me-assignment").inputs.profile).to.equal(
            '{"role":null,"samlRoles":["Retail-EC2-Admins","Sales-EC2-Admins"]}',
        );
        expect(assignments.assignments).to.deep.equal({
            users: [
                { login: "john@acmecorp.me", samlRoles: ["Retail-EC2-Admins", "Sales-EC2-Admins"] },
                { login: "ops@acmecorp.me", samlRoles: ["Retail-S3-Admins"] },
            ],
            groups: [{ name: "aws-auditors", samlRoles: ["Retail-S3-Admins"] }],
        });
    });

    it("samlRolesProfile: sorted roles and nothing else", () => {
        expect(samlRolesProfile(["b", "a"])).to.equal('{"role":null,"samlRoles":["a","b"]}');
    });
});

describe("SamlRoleAssignments: duplicate URNs", () => {
    beforeEach(() => useStack("identity", { accountId: "671250594556" }));

    it("the mock refuses a second resource with one URN as the engine does, naming both registrations", async () => {
        // Groups Ops and Ops-cli: Ops's CLI app assignment is named as Ops-cli's AWS app assignment.
        new SamlRoleAssignments("assign", {
            appId: "0oaApp",
            cliAppId: "0oaCli",
            users: [],
            groups: [
                { name: "Ops", samlRoles: ["Sales-EC2-Admins"] },
                { name: "Ops-cli", samlRoles: ["Retail-S3-Admins"] },
            ],
            mode: "samlUserRoles",
            rolesImported: true,
        });
        await settled();
        const [ops, opsCli] = ["Ops", "Ops-cli"].map((name) => mockOktaId("00g", name));
        expect(cloud.failures.map((failure) => failure.message)).to.deep.equal([
            "Duplicate resource URN 'urn:pulumi:identity::okta-aws::okta-aws:identity:SamlRoleAssignments$okta:app/groupAssignment:GroupAssignment::assign-Ops-cli-assignment'; try giving it a unique name " +
                `(registered first with inputs {"appId":"0oaCli","groupId":"${ops}","priority":1}, then with {"appId":"0oaApp","groupId":"${opsCli}","priority":2,"profile":"{\\"role\\":null,\\"samlRoles\\":[\\"Retail-S3-Admins\\"]}"})`,
        ]);
        expect(
            ofType("okta:app/groupAssignment:GroupAssignment")
                .map((r) => r.name)
                .sort(),
        ).to.deep.equal(["assign-Ops-assignment", "assign-Ops-cli-assignment", "assign-Ops-cli-cli-assignment"]);
    });
});

describe("FederatedRole", () => {
    beforeEach(() => useStack("identity", { accountId: "671250594556" }));

    it("a SAML-trusted role with one customer managed policy allowing exactly its target", async () => {
        const role = new FederatedRole("Retail-EC2-Admins", {
            roleName: "Retail-EC2-Admins",
            samlProviderArn: "arn:aws:iam::671250594556:saml-provider/Okta",
            targetRoleArn: "arn:aws:iam::253541269580:role/EC2_Admins",
            assumePolicyName: "allow-assume-retail-ec2-admin-role",
            maxSessionDuration: 7200,
        });
        expect(await valueOf(role.arn)).to.equal("arn:aws:iam::671250594556:role/Retail-EC2-Admins");
        await settled();
        const componentUrn = named("Retail-EC2-Admins").urn;
        expect(
            cloud.resources
                .filter((r) => r.parent === componentUrn)
                .map((r) => `${r.type} ${r.name}`)
                .sort(),
        ).to.deep.equal([
            "aws:iam/policy:Policy Retail-EC2-Admins-policy",
            "aws:iam/role:Role Retail-EC2-Admins-role",
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment Retail-EC2-Admins-policy-attachment",
        ]);
        expect(named("Retail-EC2-Admins-role").inputs).to.deep.include({ name: "Retail-EC2-Admins", maxSessionDuration: 7200 });
        expect(named("Retail-EC2-Admins-policy-attachment").inputs).to.deep.equal({
            role: "Retail-EC2-Admins",
            policyArn: "arn:aws:iam::671250594556:policy/allow-assume-retail-ec2-admin-role",
        });
    });
});
