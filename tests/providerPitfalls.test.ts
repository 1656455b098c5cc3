// The Okta and AWS provider pitfalls a first real `pulumi up` and the ones after it would hit,
// each shown against the mock: what the provider does (ported from its source in
// tools/mock/providers.ts) and what the program sends.
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, IdentityConfig, parseStackConfig } from "../components/config";
import { FederatedRole } from "../components/federatedRole";
import { ambiguousGroupRoles } from "../components/rolesOktaSends";
import { OktaAwsApp, oktaAwsAppSettings } from "../components/oktaAwsApp";
import { OktaCliApp } from "../components/oktaCliApp";
import { federatedTrustPolicy } from "../components/policies";
import { SamlRoleAssignments, SamlRoleAssignmentsArgs, samlRolesProfile } from "../components/samlRoleAssignments";
import { mockApiIntegrationCredentials, oktaReturnedAppSettings } from "../tools/mock/providers";
import { oktaReturnedAppUserProfile, providerReadSettings, providerSeesNoChange } from "./providerModel";
import {
    cloud,
    exampleAppSettingsArgs,
    named,
    ofType,
    parsedPolicy,
    projectRoot,
    settled,
    shippedConfig,
    useStack,
    valueOf,
} from "./harness";

const appArgs = exampleAppSettingsArgs;

const assignmentArgs: SamlRoleAssignmentsArgs = {
    appId: "0oaApp",
    cliAppId: "0oaCli",
    users: [{ login: "John.Doe@AcmeCorp.me", firstName: "John", lastName: "Doe", samlRoles: ["Retail-EC2-Admins"] }],
    groups: [
        { name: "zeta-team", samlRoles: ["Retail-S3-Admins"] },
        { name: "Alpha-team", samlRoles: ["Retail-EC2-Admins"] },
        { name: "beta-team", samlRoles: ["Sales-EC2-Admins"] },
    ],
    mode: "samlUserRoles",
    rolesImported: true,
};

describe("provider pitfalls", () => {
    beforeEach(() => useStack("identity", { accountId: "671250594556" }));

    it("okta.app.User: a new app or user replaces the assignment (the provider would update it in place)", async () => {
        new SamlRoleAssignments("assign", assignmentArgs);
        await settled();
        const users = ofType("okta:app/user:User");
        expect(users.map((u) => u.name).sort()).to.deep.equal([
            "assign-john.doe@acmecorp.me-assignment",
            "assign-john.doe@acmecorp.me-cli-assignment",
        ]);
        expect(users.filter((u) => JSON.stringify(u.replaceOnChanges) !== '["appId","userId"]')).to.deep.equal([]);
    });

    it("okta.app.GroupAssignment: explicit unique priorities from 1, by name, whatever the stack file's order", async () => {
        new SamlRoleAssignments("assign", assignmentArgs);
        await settled();
        const priorities = () =>
            Object.fromEntries(
                ofType("okta:app/groupAssignment:GroupAssignment")
                    .filter((a) => a.inputs.appId === "0oaApp")
                    .map((a) => [a.name, a.inputs.priority]),
            );
        const first = priorities();
        expect(first).to.deep.equal({
            "assign-Alpha-team-assignment": 1,
            "assign-beta-team-assignment": 2,
            "assign-zeta-team-assignment": 3,
        });
        await useStack("identity", { accountId: "671250594556" });
        new SamlRoleAssignments("assign", { ...assignmentArgs, groups: [...assignmentArgs.groups].reverse() });
        await settled();
        expect(priorities()).to.deep.equal(first);
    });

    it("with joinAllRoles off, a person's roles may not depend on group priorities", () => {
        const shipped = shippedConfig<IdentityConfig>("identity");
        const config: IdentityConfig = {
            ...shipped,
            oktaApp: { ...shipped.oktaApp, joinAllRoles: false },
            groups: [
                { name: "ec2", samlRoles: ["Retail-EC2-Admins"], members: ["eve@acmecorp.me", "john@acmecorp.me", "sam@acmecorp.me"] },
                { name: "s3", samlRoles: ["Retail-S3-Admins"], members: ["eve@acmecorp.me", "john@acmecorp.me"] },
                { name: "ec2-too", samlRoles: ["Retail-EC2-Admins"], members: ["sam@acmecorp.me"] },
            ],
        };
        // eve has no roles of her own and two groups that differ; john has his own; sam's groups agree.
        expect(ambiguousGroupRoles(config)).to.deep.equal(["eve@acmecorp.me"]);
        expect(ambiguousGroupRoles({ ...config, oktaApp: { ...config.oktaApp, joinAllRoles: true } })).to.deep.equal([]);
    });

    it("okta.app.User profile: exactly the keys Okta returns for the AWS app, so it does not diff forever", async () => {
        new SamlRoleAssignments("assign", assignmentArgs);
        await settled();
        const sent = named("assign-john.doe@acmecorp.me-assignment").inputs.profile as string;
        expect(providerSeesNoChange(oktaReturnedAppUserProfile(sent), sent)).to.equal(true);
        // What the program sent before: Okta's `role: null` comes back and is a change every time.
        const before = JSON.stringify({ samlRoles: ["Retail-EC2-Admins"] });
        expect(providerSeesNoChange(oktaReturnedAppUserProfile(before), before)).to.equal(false);
        expect(samlRolesProfile(["Retail-EC2-Admins"])).to.equal('{"role":null,"samlRoles":["Retail-EC2-Admins"]}');
    });

    it("names from the normalised login, with an alias for the name as written", async () => {
        new SamlRoleAssignments("assign", assignmentArgs);
        await settled();
        const user = named("assign-john.doe@acmecorp.me-user");
        expect(user.inputs.login).to.equal("John.Doe@AcmeCorp.me");
        expect(user.aliases).to.deep.equal([
            "urn:pulumi:identity::okta-aws::okta-aws:identity:SamlRoleAssignments$okta:user/user:User::assign-John.Doe@AcmeCorp.me-user",
        ]);
        expect(named("assign-john.doe@acmecorp.me-assignment").aliases).to.deep.equal([
            "urn:pulumi:identity::okta-aws::okta-aws:identity:SamlRoleAssignments$okta:app/user:User::assign-John.Doe@AcmeCorp.me-assignment",
        ]);
        // A change of case alone keeps the same resources.
        await useStack("identity", { accountId: "671250594556" });
        new SamlRoleAssignments("assign", { ...assignmentArgs, users: [{ ...assignmentArgs.users[0], login: "john.doe@acmecorp.me" }] });
        await settled();
        expect(named("assign-john.doe@acmecorp.me-user").aliases).to.deep.equal([]);
    });

    it("okta.user.getUser: looks an existing user up without their admin roles and groups", async () => {
        new SamlRoleAssignments("assign", { ...assignmentArgs, users: [{ login: "ops@acmecorp.me", samlRoles: ["Retail-S3-Admins"] }] });
        await settled();
        expect(cloud.callInputs).to.deep.equal([
            { searches: [{ name: "profile.login", value: "ops@acmecorp.me", comparison: "eq" }], skipRoles: true, skipGroups: true },
        ]);
    });

    it("allow-assume policy: a description that names nothing that can change, and never a replacement for it", async () => {
        const args = {
            roleName: "Retail-EC2-Admins",
            samlProviderArn: "arn:aws:iam::671250594556:saml-provider/Okta",
            assumePolicyName: "allow-assume-retail-ec2-admin-role",
            maxSessionDuration: 3600,
        };
        new FederatedRole("before", { ...args, targetRoleArn: "arn:aws:iam::253541269580:role/EC2_Admins" });
        new FederatedRole("after", { ...args, targetRoleArn: "arn:aws:iam::253541269580:role/EC2_Operators" });
        await settled();
        const [before, after] = [named("before-policy"), named("after-policy")];
        expect(before.inputs.description).to.equal("Lets Retail-EC2-Admins switch into its member account role (okta-aws)");
        expect(after.inputs.description).to.equal(before.inputs.description);
        expect(before.inputs.policy).to.not.equal(after.inputs.policy);
        expect(before.ignoreChanges).to.deep.equal(["description"]);
    });

    it("the AWS app before the API integration: settings as decided, nothing looked up", async () => {
        const app = new OktaAwsApp("aws", { ...appArgs, apiIntegration: false });
        await settled();
        expect(cloud.calls).to.deep.equal([]);
        const sent = named("aws-app").inputs.appSettingsJson as string;
        expect(JSON.parse(sent)).to.deep.equal(await valueOf(app.settings));
        // Okta returns every key, null when unset: the provider drops them and sees no change.
        expect(
            providerSeesNoChange(providerReadSettings(oktaReturnedAppSettings(JSON.parse(sent) as Record<string, unknown>)), sent),
        ).to.equal(true);
    });

    it("the AWS app after the API integration: Okta's credentials sent back as they are, secret, and no perpetual diff", async () => {
        const app = new OktaAwsApp("aws", { ...appArgs, apiIntegration: true, appId: "0oa1awsapp0acme000a7" });
        const sentOutput = app.app.appSettingsJson;
        expect(await pulumi.isSecret(sentOutput)).to.equal(true);
        const sent = await valueOf(sentOutput);
        await settled();
        expect(cloud.calls).to.deep.equal(["okta:app/getSaml:getSaml"]);
        // By id: a label search (/api/v1/apps?q=) is a starts-with match that may find another app first.
        expect(cloud.callInputs).to.deep.equal([{ id: "0oa1awsapp0acme000a7", skipUsers: true, skipGroups: true }]);
        expect(named("aws-app").inputs.appSettingsJson).to.equal("[secret]");
        expect(JSON.parse(sent!)).to.deep.equal({ ...oktaAwsAppSettings(appArgs), ...mockApiIntegrationCredentials });

        // What Okta returns after the step, as the provider keeps it in state.
        const afterIntegration = providerReadSettings(
            oktaReturnedAppSettings({ ...oktaAwsAppSettings(appArgs), ...mockApiIntegrationCredentials }),
        );
        expect(providerSeesNoChange(afterIntegration, sent!)).to.equal(true);
        // Without the credentials (what the program sent before), every preview shows a change and
        // every update sends settings without them, clearing the integration's key.
        const withoutCredentials = JSON.stringify(oktaAwsAppSettings(appArgs));
        expect(providerSeesNoChange(afterIntegration, withoutCredentials)).to.equal(false);
        expect(Object.keys(JSON.parse(withoutCredentials) as Record<string, unknown>)).to.not.include.members([
            "accessKey",
            "secretKeyEnc",
        ]);
    });

    it("session tags: sts:TagSession joins the federated trust only when asked", () => {
        const provider = "arn:aws:iam::671250594556:saml-provider/Okta";
        expect(parsedPolicy(federatedTrustPolicy(provider)).Statement[1].Action).to.equal("sts:SetSourceIdentity");
        expect(parsedPolicy(federatedTrustPolicy(provider, true)).Statement[1]).to.deep.equal({
            Effect: "Allow",
            Principal: { Federated: provider },
            Action: ["sts:SetSourceIdentity", "sts:TagSession"],
        });
    });

    it("okta-aws-cli's OIDC app is granted okta.users.read.self on the org authorization server", async () => {
        new OktaCliApp("cli", { label: "AWS CLI", oktaOrgHost: "acmecorp.okta.com" });
        await settled();
        const scopes = named("cli-api-scopes");
        expect(scopes.type).to.equal("okta:index/appOauthApiScope:AppOauthApiScope");
        expect(scopes.inputs.issuer).to.equal("https://acmecorp.okta.com");
        expect(scopes.inputs.scopes).to.deep.equal(["okta.users.read.self"]);
    });

    // Issue 32 item 10: what the provider adds on its own, chosen on purpose and shown in the plan.
    it("a created Okta user's status is sent as chosen: ACTIVE (the activation e-mail) by default, STAGED on request", async () => {
        new SamlRoleAssignments("assign", {
            ...assignmentArgs,
            users: [
                { login: "new@acmecorp.me", firstName: "New", lastName: "Hire", samlRoles: ["Retail-S3-Admins"] },
                { login: "later@acmecorp.me", firstName: "Later", lastName: "Start", status: "STAGED", samlRoles: ["Retail-S3-Admins"] },
            ],
        });
        await settled();
        expect(Object.fromEntries(ofType("okta:user/user:User").map((u) => [u.inputs.login, u.inputs.status]))).to.deep.equal({
            "new@acmecorp.me": "ACTIVE",
            "later@acmecorp.me": "STAGED",
        });
    });

    it("a status for a user the program only looks up is refused: the existing user keeps theirs", () => {
        const values = {
            "aws:region": "us-east-1",
            "aws:allowedAccountIds": ["671250594556"],
            "okta:orgName": "acmecorp",
            "okta-aws:account": { name: "identity", label: "Identity", id: "671250594556" },
            "okta-aws:memberStacks": ["retail"],
            "okta-aws:users": [{ login: "ops@acmecorp.me", status: "STAGED", samlRoles: ["Retail-S3-Admins"] }],
        };
        expect(() => parseStackConfig("identity", values, new Set(), projectRoot))
            .to.throw(ConfigError)
            .with.property("problems")
            .that.deep.equals([
                'Pulumi.identity.yaml: okta-aws:users[0] (ops@acmecorp.me).status: "STAGED" — status is chosen for a user the program creates (with firstName and lastName); an existing user keeps theirs',
            ]);
    });

    it("with no sign-on policy of the program's, both apps skip the authentication policy, so no update reassigns Okta's default", async () => {
        new OktaAwsApp("aws", { ...appArgs, apiIntegration: false });
        new OktaCliApp("cli", { label: "AWS CLI", oktaOrgHost: "acmecorp.okta.com" });
        new OktaAwsApp("guarded", { ...appArgs, apiIntegration: false, authenticationPolicy: "rst1policy0000acme0a7" });
        await settled();
        const policyInputs = (name: string) => {
            const { authenticationPolicy, skipAuthenticationPolicy } = named(name).inputs;
            return { authenticationPolicy, skipAuthenticationPolicy };
        };
        expect(policyInputs("aws-app")).to.deep.equal({ authenticationPolicy: undefined, skipAuthenticationPolicy: true });
        expect(policyInputs("cli-app")).to.deep.equal({ authenticationPolicy: undefined, skipAuthenticationPolicy: true });
        expect(policyInputs("guarded-app")).to.deep.equal({
            authenticationPolicy: "rst1policy0000acme0a7",
            skipAuthenticationPolicy: undefined,
        });
    });
});
