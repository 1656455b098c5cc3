// The configuration schema (components/config.ts): decoding, defaults, one error format for every
// problem at once, and the identity stack's checks against its members' outputs.
import { expect } from "chai";
import { ConfigError, decodeConfigValues, IdentityConfig, parseStackConfig } from "../components/config";
import { identityStack } from "../components/identityStack";
import { cloud, projectRoot, shippedConfig, useStack } from "./harness";

const member = {
    "aws:region": "us-east-1",
    "aws:allowedAccountIds": ["253541269580"],
    "okta-aws:account": { name: "retail", label: "Retail", id: "253541269580" },
    "okta-aws:identityAccountId": "671250594556",
    "okta-aws:crossAccountRoles": [{ name: "EC2_Admins", managedPolicies: ["AmazonEC2FullAccess"] }],
};

function problemsOf(stack: string, values: Record<string, unknown>): string[] {
    try {
        parseStackConfig(stack, values, new Set(), projectRoot);
    } catch (error) {
        expect(error).to.be.instanceOf(ConfigError);
        return (error as ConfigError).problems;
    }
    throw new Error("expected the configuration to be rejected");
}

describe("configuration schema", () => {
    it("decodes config as the CLI passes it", () => {
        expect(decodeConfigValues({ "a:b": "671250594556", "a:c": '["x"]', "a:d": '{"k":1}', "a:e": "false" })).to.deep.equal({
            "a:b": "671250594556",
            "a:c": ["x"],
            "a:d": { k: 1 },
            "a:e": false,
        });
    });

    it("fills in the guide's defaults for a member role", () => {
        const config = parseStackConfig("retail", member, new Set(), projectRoot);
        expect(config).to.deep.equal({
            kind: "member",
            signIn: "chained",
            stack: "retail",
            stackFile: "Pulumi.retail.yaml",
            region: "us-east-1",
            partition: "aws",
            account: { name: "retail", label: "Retail", id: "253541269580" },
            adopt: false,
            auditRole: { name: "okta-aws-audit" },
            identityAccountId: "671250594556",
            crossAccountRoles: [
                {
                    name: "EC2_Admins",
                    managedPolicies: ["AmazonEC2FullAccess"],
                    policies: [],
                    emergency: false,
                    federatedRoleName: "Retail-EC2-Admins",
                    assumePolicyName: "allow-assume-retail-ec2-admins-role",
                    maxSessionDuration: 3600,
                },
            ],
        });
    });

    it("reads the audit's keys with their defaults, and refuses an audit role trusting anything but one IAM principal", () => {
        const identity = shippedConfig<IdentityConfig>("identity");
        expect([identity.auditRole, identity.oktaSsoUser.maxKeyAgeDays, identity.oktaApp.roleGroupMembers]).to.deep.equal([
            { name: "okta-aws-audit" },
            90,
            "leftAlone",
        ]);
        const ci = "arn:aws:iam::671250594556:role/github/okta-aws-audit-ci";
        expect(
            parseStackConfig("retail", { ...member, "okta-aws:auditRole": { name: "audit", trustedPrincipal: ci } }, new Set(), projectRoot)
                .auditRole,
        ).to.deep.equal({
            name: "audit",
            trustedPrincipal: ci,
        });
        expect(
            problemsOf("retail", {
                ...member,
                "okta-aws:auditRole": { trustedPrincipal: "*", extra: true },
            }),
        ).to.deep.equal([
            'Pulumi.retail.yaml: okta-aws:auditRole.trustedPrincipal: "*" — must be the ARN of an account root, a role or a user in the aws partition (arn:aws:iam::<account>:role/<name>)',
            'Pulumi.retail.yaml: okta-aws:auditRole: {"trustedPrincipal":"*","extra":true} — unknown key extra',
        ]);
    });

    it("stops on a missing required key, naming the file and the key", () => {
        const withoutAccount: Record<string, unknown> = { ...member };
        delete withoutAccount["okta-aws:account"];
        expect(problemsOf("retail", withoutAccount)).to.deep.equal(["Pulumi.retail.yaml: okta-aws:account: (not set) — is required"]);
    });

    it("reports every problem at once", () => {
        expect(
            problemsOf("retail", {
                ...member,
                "okta-aws:account": { name: "retail", label: "Retail", id: 25354158 },
                "okta-aws:crossAccountRoles": [
                    { name: "EC2 Admins", managedPolicies: ["AmazonEC2FullAccess"] },
                    { name: "S3_Admins", managedPolicies: [], maxSessionDuration: 100 },
                ],
                "okta-aws:crossAcountRoles": [],
            }),
        ).to.deep.equal([
            "Pulumi.retail.yaml: okta-aws:crossAcountRoles: [] — unknown key; the keys are okta-aws:account, okta-aws:identityAccountId, okta-aws:crossAccountRoles, okta-aws:signIn, okta-aws:identityStack, okta-aws:memberStacks, okta-aws:samlProviderName, okta-aws:oktaApp, okta-aws:oktaSsoUser, okta-aws:introspectionUser, okta-aws:cliApp, okta-aws:users, okta-aws:groups, okta-aws:auditRole, okta-aws:protectIdentityResources, okta-aws:oktaCustomDomain, okta-aws:adopt, okta-aws:signOnPolicy, okta-aws:oktaEngine",
            "Pulumi.retail.yaml: okta-aws:account.id: 25354158 — must be a quoted string of 12 digits: YAML reads an unquoted number and drops leading zeros",
            'Pulumi.retail.yaml: okta-aws:crossAccountRoles[0] (EC2 Admins).name: "EC2 Admins" — must be 1–64 characters of A-Z a-z 0-9 + = , . @ _ - (IAM role names)',
            "Pulumi.retail.yaml: okta-aws:crossAccountRoles[1] (S3_Admins).maxSessionDuration: 100 — must be 3600–43200 seconds (IAM role maximum session duration)",
            'Pulumi.retail.yaml: okta-aws:crossAccountRoles[1] (S3_Admins): {"name":"S3_Admins","managedPolicies":[],"maxSessionDuration":100} — must attach at least one policy: name managedPolicies, or give policies of its own',
        ]);
    });

    it("refuses a stack whose allowedAccountIds would let it deploy elsewhere", () => {
        expect(problemsOf("retail", { ...member, "aws:allowedAccountIds": ["881102293469"] })).to.deep.equal([
            'Pulumi.retail.yaml: aws:allowedAccountIds: ["881102293469"] — must contain the stack\'s own account id "253541269580", so it cannot deploy into another account',
        ]);
    });
});

/** The keys every identity stack sets. */
const identityBase = {
    "aws:region": "us-east-1",
    "aws:allowedAccountIds": ["671250594556"],
    "okta:orgName": "acmecorp",
    "okta-aws:account": { name: "identity", label: "Identity", id: "671250594556" },
    "okta-aws:memberStacks": ["retail"],
};

describe("messages name the list entry they are about", () => {
    const people = Array.from({ length: 17 }, (_, i) => ({ login: `person${i}@northwind.example`, samlRoles: ["Retail-EC2-Admins"] }));

    it("names users by login and groups by name, and says where people who hold roles only through groups go", () => {
        expect(
            problemsOf("identity", {
                ...identityBase,
                "okta-aws:users": [...people, { login: "dan@northwind.example" }],
                "okta-aws:groups": [
                    { name: "Developers", samlRoles: ["Retail-EC2-Admins"] },
                    { name: "Operators", samlRoles: ["Retail-EC2-Admins"] },
                    { name: "Auditors", samlRoles: ["Retail-EC2-Admins"] },
                    { name: "Platform", samlRoles: ["Retail-EC2-Admins", "Retail-EC2-Admins"], members: ["eve@northwind"] },
                ],
            }),
        ).to.deep.equal([
            "Pulumi.identity.yaml: okta-aws:users[17] (dan@northwind.example).samlRoles: (not set) — is required: okta-aws:users lists people with roles of their own; a person who holds roles only through groups is not listed here but by login in okta-aws:groups[].members (the person must exist in Okta already)",
            'Pulumi.identity.yaml: okta-aws:groups[3] (Platform).members[0]: "eve@northwind" — must be an e-mail-like Okta login (name@example.com)',
        ]);
    });

    it("names the entries of cross-field checks: duplicates and the entry they repeat", () => {
        expect(
            problemsOf("identity", {
                ...identityBase,
                "okta-aws:users": [...people, { login: "Person3@northwind.example", samlRoles: ["Retail-EC2-Admins"] }],
                "okta-aws:groups": [
                    { name: "Developers", samlRoles: ["Retail-EC2-Admins"] },
                    { name: "Platform", samlRoles: ["Retail-EC2-Admins", "Retail-EC2-Admins"] },
                ],
            }),
        ).to.deep.equal([
            'Pulumi.identity.yaml: okta-aws:users[17] (Person3@northwind.example).login: "Person3@northwind.example" — is listed twice (Okta logins ignore case): duplicates okta-aws:users[3] (person3@northwind.example)',
            'Pulumi.identity.yaml: okta-aws:groups[1] (Platform).samlRoles[1]: "Retail-EC2-Admins" — is listed twice: duplicates okta-aws:groups[1] (Platform).samlRoles[0]',
        ]);
    });

    it("names member roles and their policies by name", () => {
        expect(
            problemsOf("retail", {
                ...member,
                "okta-aws:crossAccountRoles": [
                    { name: "EC2_Admins", managedPolicies: ["AmazonEC2FullAccess"] },
                    {
                        name: "Ops",
                        managedPolicies: ["AmazonEC2FullAccess"],
                        policies: [
                            { name: "ops-read", document: { Version: "2012-10-17", Statement: [] } },
                            { name: "ops-logs", document: "not a document" },
                        ],
                    },
                ],
            }),
        ).to.deep.equal([
            'Pulumi.retail.yaml: okta-aws:crossAccountRoles[1] (Ops).policies[1] (ops-logs).document: "not a document" — must be a JSON object (a policy document)',
        ]);
    });
});

describe("identity configuration against the member stacks", () => {
    const identity = {
        ...identityBase,
        "okta-aws:users": [
            { login: "john@acmecorp.me", firstName: "John", lastName: "Doe", samlRoles: ["Retail-EC2-Admin", "Retail-S3-Admins"] },
        ],
    };
    const retailOutputs = {
        accountId: "253541269580",
        accountLabel: "Retail",
        identityAccountId: "671250594556",
        crossAccountRoles: [
            {
                name: "EC2_Admins",
                arn: "arn:aws:iam::253541269580:role/EC2_Admins",
                federatedRoleName: "Retail-EC2-Admins",
                assumePolicyName: "allow-assume-retail-ec2-admins-role",
                policyArns: ["arn:aws:iam::aws:policy/AmazonEC2FullAccess"],
                switchRoleUrl: "https://signin.aws.amazon.com/switchrole?account=253541269580&roleName=EC2_Admins",
            },
        ],
    };

    it("stops on an unknown samlRole before registering any resource, suggesting the near one", async () => {
        const config = parseStackConfig("identity", identity, new Set(), projectRoot) as IdentityConfig;
        await useStack("identity", {
            accountId: "671250594556",
            stackOutputs: { "organization/okta-aws/retail": { outputs: retailOutputs, secretOutputNames: [] } },
        });
        let caught: unknown;
        try {
            await identityStack(config);
        } catch (error) {
            caught = error;
        }
        expect(caught).to.be.instanceOf(ConfigError);
        expect((caught as ConfigError).message).to.equal(
            [
                "Invalid stack configuration (2 problems):",
                '  Pulumi.identity.yaml: okta-aws:users[0] (john@acmecorp.me).samlRoles[0]: "Retail-EC2-Admin" — no member stack defines this federated role; did you mean "Retail-EC2-Admins"? Known roles: Retail-EC2-Admins',
                '  Pulumi.identity.yaml: okta-aws:users[0] (john@acmecorp.me).samlRoles[1]: "Retail-S3-Admins" — no member stack defines this federated role; did you mean "Retail-EC2-Admins"? Known roles: Retail-EC2-Admins',
            ].join("\n"),
        );
        expect(cloud.resources).to.deep.equal([]);
    });

    it("tells the user to deploy a member stack that has no outputs yet", async () => {
        const config = parseStackConfig("identity", identity, new Set(), projectRoot) as IdentityConfig;
        await useStack("identity", { accountId: "671250594556", stackOutputs: {} });
        let caught: unknown;
        try {
            await identityStack(config);
        } catch (error) {
            caught = error;
        }
        expect((caught as ConfigError).problems[0]).to.equal(
            'Pulumi.identity.yaml: okta-aws:memberStacks[0]: "retail" — the stack has no crossAccountRoles output: deploy the member stack first (pulumi up -s retail)',
        );
        expect(cloud.resources).to.deep.equal([]);
    });
});

describe("Okta provider settings for large organisations", () => {
    const identity = identityBase;

    it("accepts the provider's rate-limit settings within its ranges, as the CLI hands them (text)", () => {
        const config = parseStackConfig(
            "identity",
            {
                ...identity,
                "okta:maxApiCapacity": "50",
                "okta:backoff": true,
                "okta:minWaitSeconds": "30",
                "okta:maxWaitSeconds": "300",
                "okta:maxRetries": "10",
                "okta:requestTimeout": "60",
                "okta:parallelism": "4",
            },
            new Set(),
            projectRoot,
        );
        expect(config.kind).to.equal("identity");
    });

    it("refuses an OAuth service app without the sign-on policy's and the CLI grant's scopes", () => {
        const sixScopes = [
            "okta.apps.manage",
            "okta.apps.read",
            "okta.groups.manage",
            "okta.groups.read",
            "okta.users.manage",
            "okta.users.read",
        ];
        expect(problemsOf("identity", { ...identity, "okta:clientId": "0oaService", "okta:scopes": sixScopes })).to.deep.equal([
            "Pulumi.identity.yaml: okta:privateKey: (not set) — is required with the other OAuth 2.0 service-app settings (okta:clientId, okta:privateKey, okta:scopes)",
            'Pulumi.identity.yaml: okta:scopes: ["okta.apps.manage","okta.apps.read","okta.groups.manage","okta.groups.read",... — must list the scopes this program needs; missing okta.appGrants.manage, okta.appGrants.read, okta.policies.manage, okta.policies.read',
        ]);
    });

    it("refuses settings the provider would refuse, and incomplete OAuth credentials, all at once", () => {
        expect(
            problemsOf("identity", {
                ...identity,
                "okta:maxApiCapacity": "150",
                "okta:backoff": "yes",
                "okta:minWaitSeconds": "60",
                "okta:maxWaitSeconds": "30",
                "okta:maxRetries": "-1",
                "okta:requestTimeout": "301",
                "okta:parallelism": "0",
                "okta:clientId": "0oaService",
                "okta:scopes": ["okta.apps.manage", "okta.users.manage"],
            }),
        ).to.deep.equal([
            'Pulumi.identity.yaml: okta:maxApiCapacity: "150" — must be a whole number 1–100: the percentage of each per-minute rate limit the provider may use',
            'Pulumi.identity.yaml: okta:maxRetries: "-1" — must be a whole number 0–100: retries before an error',
            'Pulumi.identity.yaml: okta:requestTimeout: "301" — must be a whole number 0–300: seconds per request, 0 for no limit',
            'Pulumi.identity.yaml: okta:parallelism: "0" — must be a whole number at least 1: concurrent requests within one resource',
            'Pulumi.identity.yaml: okta:backoff: "yes" — must be true or false: whether to back off exponentially after a rate limit is hit',
            'Pulumi.identity.yaml: okta:maxWaitSeconds: "30" — must be at least okta:minWaitSeconds (60)',
            "Pulumi.identity.yaml: okta:privateKey: (not set) — is required with the other OAuth 2.0 service-app settings (okta:clientId, okta:privateKey, okta:scopes)",
            'Pulumi.identity.yaml: okta:scopes: ["okta.apps.manage","okta.users.manage"] — must list the scopes this program needs; missing okta.apps.read, okta.appGrants.manage, okta.appGrants.read, okta.groups.manage, okta.groups.read, okta.policies.manage, okta.policies.read, okta.users.read',
        ]);
    });
});
