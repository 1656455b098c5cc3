// The audit's AWS reader against moto_server: it assumes the audit role of an account and reads
// that account's roles, documents, SAML providers and the role-listing user's keys — with the SDK's
// own endpoint and credential chain (AWS_ENDPOINT_URL), and no action outside auditReadActions.
import {
    AttachRolePolicyCommand,
    CreateAccessKeyCommand,
    CreatePolicyCommand,
    CreatePolicyVersionCommand,
    CreateRoleCommand,
    CreateSAMLProviderCommand,
    CreateUserCommand,
    IAMClient,
    PutRolePermissionsBoundaryCommand,
    PutRolePolicyCommand,
} from "@aws-sdk/client-iam";
import { STSClient } from "@aws-sdk/client-sts";
import { expect } from "chai";
import * as net from "net";
import { idpMetadata, mockIdpKey } from "../tools/mock/idp";
import { auditReadActions } from "../components/policies";
import { assumeAuditRole, auditRoleArn, readAwsAccount } from "../tools/audit/aws";
import { LiveReadError } from "../components/errors";
import { motoIamClient, useMotoServer } from "./servers/moto";

const identityAccount = "671250594556";
const memberAccount = "253541269580";
const json = (document: object) => JSON.stringify(document);
const memberTrust = {
    Version: "2012-10-17",
    Statement: [
        {
            Effect: "Allow",
            Principal: { AWS: `arn:aws:iam::${identityAccount}:root` },
            Action: ["sts:AssumeRole", "sts:SetSourceIdentity"],
            Condition: { ArnEquals: { "aws:PrincipalArn": `arn:aws:iam::${identityAccount}:role/Retail-EC2-Admins` } },
        },
    ],
};
const auditTrust = {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "sts:AssumeRole" }],
};

/** The AWS SDK's standard chain, pointed at moto through the environment as a user would. */
function withSdkEnvironment(endpoint: string): () => void {
    const saved = { ...process.env };
    Object.assign(process.env, {
        AWS_ENDPOINT_URL: endpoint,
        AWS_ACCESS_KEY_ID: "testing",
        AWS_SECRET_ACCESS_KEY: "testing",
        AWS_REGION: "us-east-1",
        AWS_MAX_ATTEMPTS: "1",
    });
    return () => {
        for (const key of Object.keys(process.env)) {
            if (!(key in saved)) {
                delete process.env[key];
            }
        }
        Object.assign(process.env, saved);
    };
}

/** Every command an IAM client sends, by name. */
function recordCommands(client: IAMClient, into: string[]): void {
    client.middlewareStack.add(
        (next, context) => (args) => {
            into.push(context.commandName ?? "");
            return next(args);
        },
        { step: "initialize", name: "recordCommands" },
    );
}

describe("audit: the AWS reader (tools/audit/aws.ts) against moto_server @slow", function () {
    this.timeout(60000);
    const moto = useMotoServer();
    let restore: () => void = () => undefined;
    let metadata = "";

    before(async () => {
        const member = motoIamClient(moto().endpoint, memberAccount);
        await member.send(new CreateRoleCommand({ RoleName: "okta-aws-audit", AssumeRolePolicyDocument: json(auditTrust) }));
        await member.send(
            new CreateRoleCommand({ RoleName: "EC2_Admins", AssumeRolePolicyDocument: json(memberTrust), MaxSessionDuration: 3600 }),
        );
        await member.send(
            new AttachRolePolicyCommand({ RoleName: "EC2_Admins", PolicyArn: "arn:aws:iam::aws:policy/AmazonEC2FullAccess" }),
        );
        const boundary = await member.send(
            new CreatePolicyCommand({
                PolicyName: "team-boundary",
                PolicyDocument: json({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "ec2:*", Resource: "*" }] }),
            }),
        );
        await member.send(
            new CreatePolicyVersionCommand({
                PolicyArn: boundary.Policy!.Arn,
                PolicyDocument: json({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["ec2:*", "s3:*"], Resource: "*" }] }),
                SetAsDefault: true,
            }),
        );
        await member.send(new AttachRolePolicyCommand({ RoleName: "EC2_Admins", PolicyArn: boundary.Policy!.Arn }));
        await member.send(new PutRolePermissionsBoundaryCommand({ RoleName: "EC2_Admins", PermissionsBoundary: boundary.Policy!.Arn }));
        await member.send(
            new PutRolePolicyCommand({
                RoleName: "EC2_Admins",
                PolicyName: "by-hand",
                PolicyDocument: json({
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Allow", Action: "s3:ListAllMyBuckets", Resource: "*" }],
                }),
            }),
        );
        await member.send(
            new CreateRoleCommand({
                RoleName: "unrelated",
                AssumeRolePolicyDocument: json({
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
                }),
            }),
        );

        const identity = motoIamClient(moto().endpoint, identityAccount);
        await identity.send(new CreateRoleCommand({ RoleName: "okta-aws-audit", AssumeRolePolicyDocument: json(auditTrust) }));
        metadata = idpMetadata(
            "http://www.okta.com/exk1",
            "https://acmecorp.okta.com/app/amazon_aws/exk1/sso/saml",
            mockIdpKey().certificatePem,
        );
        await identity.send(new CreateSAMLProviderCommand({ Name: "Okta", SAMLMetadataDocument: metadata }));
        await identity.send(new CreateUserCommand({ UserName: "OktaSSO" }));
        await identity.send(new CreateAccessKeyCommand({ UserName: "OktaSSO" }));
        restore = withSdkEnvironment(moto().endpoint);
    });
    after(() => restore());

    it("assumes an account's audit role and reads its roles, documents and policies as they are", async () => {
        const commands: string[] = [];
        const credentials = await assumeAuditRole(new STSClient({}), auditRoleArn("aws", memberAccount, "okta-aws-audit"));
        const iam = new IAMClient({ credentials });
        recordCommands(iam, commands);
        const account = await readAwsAccount(iam, {
            accountId: memberAccount,
            relevant: (role) => JSON.stringify(role.trust).includes(identityAccount),
        });

        expect([...account.roles.keys()]).to.deep.equal([`arn:aws:iam::${memberAccount}:role/EC2_Admins`]);
        expect(account.roles.get(`arn:aws:iam::${memberAccount}:role/EC2_Admins`)).to.deep.equal({
            arn: `arn:aws:iam::${memberAccount}:role/EC2_Admins`,
            name: "EC2_Admins",
            path: "/",
            trust: memberTrust,
            attachedPolicyArns: [`arn:aws:iam::${memberAccount}:policy/team-boundary`, "arn:aws:iam::aws:policy/AmazonEC2FullAccess"],
            inlinePolicies: {
                "by-hand": { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:ListAllMyBuckets", Resource: "*" }] },
            },
            permissionsBoundaryArn: `arn:aws:iam::${memberAccount}:policy/team-boundary`,
            maxSessionDuration: 3600,
        });
        // The customer managed policy's default version, not its first.
        expect([...account.policies.values()]).to.deep.equal([
            {
                arn: `arn:aws:iam::${memberAccount}:policy/team-boundary`,
                defaultVersionId: "v2",
                document: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["ec2:*", "s3:*"], Resource: "*" }] },
            },
        ]);
        expect(account.samlProviders).to.deep.equal([]);
        expect(account.accessKeys).to.equal(undefined);

        const actions = [...new Set(commands.map((c) => `iam:${c.replace(/Command$/, "")}`))].sort();
        expect(actions.filter((action) => !auditReadActions.includes(action))).to.deep.equal([]);
        expect(actions).to.include.members(["iam:GetPolicyVersion", "iam:GetRolePolicy", "iam:ListRoles"]);
    });

    it("reads the identity account's SAML providers with their metadata and the role-listing user's keys", async () => {
        const credentials = await assumeAuditRole(new STSClient({}), auditRoleArn("aws", identityAccount, "okta-aws-audit"));
        const account = await readAwsAccount(new IAMClient({ credentials }), {
            accountId: identityAccount,
            relevant: () => false,
            keysOfUser: "OktaSSO",
        });
        expect(account.samlProviders.map((p) => [p.arn, p.metadata])).to.deep.equal([
            [`arn:aws:iam::${identityAccount}:saml-provider/Okta`, metadata],
        ]);
        expect(account.accessKeys!.map((k) => [k.status, Date.parse(k.created) <= Date.now()])).to.deep.equal([["Active", true]]);
        const noSuchUser = await readAwsAccount(new IAMClient({ credentials }), {
            accountId: identityAccount,
            relevant: () => false,
            keysOfUser: "Nobody",
        });
        expect(noSuchUser.accessKeys).to.equal(undefined);
    });

    it("fails in one line without credentials, or when AWS cannot be reached", async () => {
        const roleArn = auditRoleArn("aws", memberAccount, "okta-aws-audit");
        const anonymous = new STSClient({
            credentials: () =>
                Promise.reject(
                    Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" }),
                ),
        });
        const noCredentials = await assumeAuditRole(anonymous, roleArn).catch((e: unknown) => e);
        expect(noCredentials).to.be.instanceOf(LiveReadError);
        expect((noCredentials as Error).message).to.equal(
            `aws: no credentials for sts:AssumeRole ${roleArn}: the SDK's chain found none (AWS_PROFILE, AWS_ACCESS_KEY_ID, a web identity token, …)`,
        );

        const probe = net.createServer();
        await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
        const { port } = probe.address() as net.AddressInfo;
        await new Promise((resolve) => probe.close(resolve));
        const unreachable = await assumeAuditRole(new STSClient({ endpoint: `http://127.0.0.1:${port}` }), roleArn).catch(
            (e: unknown) => e,
        );
        expect((unreachable as Error).message).to.equal(`aws: cannot reach AWS for sts:AssumeRole ${roleArn} (ECONNREFUSED)`);
    });
});
