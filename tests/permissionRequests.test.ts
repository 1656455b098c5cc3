// The verification asks IAM only what IAM would evaluate: an action on a resource of a type the
// IAM service reference says it applies to; every statement gets requests or a "grants nothing"
// finding; a failing check names the statement that decided it and the context key it read.
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { mockIdpKey } from "../tools/mock/idp";
import { buildPlan } from "../tools/plan/build";
import { verifyPlanWithFindings } from "../tools/verification/checks";
import { Check, checkPassed } from "../tools/verification/simulator";
import { SessionValues, statementRequests } from "../tools/verification/statementRequests";
import { writePatchedStackFiles } from "./badCases";
import { runPreview, testIdpKeyFile } from "./harness";

const session: SessionValues = {
    partition: "aws",
    accountId: "253541269580",
    region: "us-east-1",
    userId: "AROAEXAMPLEROLEID0001:jane@acmecorp.me",
    sourceIdentity: "jane@acmecorp.me",
    principalTags: {},
};

const payLogsRead = {
    Version: "2012-10-17",
    Statement: [
        {
            Sid: "ReadPayLogs",
            Effect: "Allow",
            Action: ["s3:GetObject", "s3:ListBucket"],
            Resource: ["arn:aws:s3:::pay-logs", "arn:aws:s3:::pay-logs/*"],
        },
    ],
};

/** The shipped stack files with the Retail roles carrying the given own policies, in a folder of their own. */
function retailWith(policies: { S3_Admins?: object[]; EC2_Admins?: object[] }): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-requests-"));
    const role = (name: string, managed: string, own: object[] | undefined, assumePolicyName: string) => ({
        name,
        managedPolicies: [managed],
        assumePolicyName,
        ...(own && { policies: own.map((document, i) => ({ name: `${name.toLowerCase().replace("_", "-")}-own-${i}`, document })) }),
    });
    writePatchedStackFiles(
        {
            patch: {
                retail: {
                    set: {
                        "okta-aws:crossAccountRoles": [
                            role("EC2_Admins", "AmazonEC2FullAccess", policies.EC2_Admins, "allow-assume-retail-ec2-admin-role"),
                            role("S3_Admins", "AmazonS3FullAccess", policies.S3_Admins, "allow-assume-retail-s3-admin-role"),
                        ],
                    },
                },
            },
        },
        dir,
    );
    return dir;
}

const row = (c: Check) => `${checkPassed(c) ? "✓" : "✗"} ${c.request} | ${c.actual}`;

describe("requests from the IAM service reference (tools/verification/statementRequests.ts)", () => {
    it("asks s3:GetObject on an object and s3:ListBucket on the bucket, never the other pairs", () => {
        expect(statementRequests(payLogsRead.Statement[0], session)).to.deep.equal({
            requests: [
                { action: "s3:GetObject", resource: "arn:aws:s3:::pay-logs/okta-aws-verification" },
                { action: "s3:ListBucket", resource: "arn:aws:s3:::pay-logs" },
            ],
            grantsNothing: [],
        });
    });

    it("finds what a statement grants nothing for, by name, instead of asking IAM what it never evaluates", () => {
        const cases = [
            { Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::pay-logs" },
            { Effect: "Allow", Action: "s3:ListBucket", Resource: "arn:aws:s3:::pay-logs/*" },
            { Effect: "Allow", Action: "s3:ListAllMyBuckets", Resource: "arn:aws:s3:::*" },
            { Effect: "Allow", Action: "eks:CreateCluster", Resource: "arn:aws:eks:*:*:cluster/*" },
            { Effect: "Allow", Action: "iam:ChangePassword", Resource: "arn:aws:iam::*:user/${aws:username}" },
            { Effect: "Allow", Action: "s3:Get*", Resource: "arn:aws:sqs:*:*:queue" },
        ];
        expect(cases.map((statement) => statementRequests(statement, session).grantsNothing)).to.deep.equal([
            ["s3:GetObject applies to accesspointobject, object, not arn:aws:s3:::pay-logs"],
            ["s3:ListBucket applies to accesspoint, bucket, not arn:aws:s3:::pay-logs/*"],
            ['s3:ListAllMyBuckets takes "*" only (it applies to no resource type), not arn:aws:s3:::*'],
            ['eks:CreateCluster takes "*" only (it applies to no resource type), not arn:aws:eks:*:*:cluster/*'],
            ["arn:aws:iam::*:user/${aws:username} names a policy variable a federated session has no value for"],
            ["no action of s3:Get* applies to arn:aws:sqs:*:*:queue"],
        ]);
    });

    it("checks a wildcard with a few actions that apply to the statement's resources, one per access level", () => {
        expect(statementRequests({ Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::pay-logs" }, session).requests).to.deep.equal([
            { action: "s3:AllowVendedLogDeliveryForResource", resource: "arn:aws:s3:::pay-logs" },
            { action: "s3:CreateBucket", resource: "arn:aws:s3:::pay-logs" },
            { action: "s3:DeleteBucketPolicy", resource: "arn:aws:s3:::pay-logs" },
        ]);
        expect(statementRequests({ Effect: "Allow", Action: "secretsmanager:*", Resource: "*" }, session).requests).to.deep.equal([
            { action: "secretsmanager:BatchGetSecretValue", resource: "*" },
            {
                action: "secretsmanager:CancelRotateSecret",
                resource: "arn:aws:secretsmanager:us-east-1:253541269580:secret:okta-aws-verification",
            },
            {
                action: "secretsmanager:DeleteResourcePolicy",
                resource: "arn:aws:secretsmanager:us-east-1:253541269580:secret:okta-aws-verification",
            },
        ]);
    });

    it("puts the session's own values in for policy variables, keeps wildcards within their ARN segment", () => {
        expect(
            statementRequests({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::home/${aws:userid}/*" }, session).requests,
        ).to.deep.equal([
            { action: "s3:GetObject", resource: "arn:aws:s3:::home/AROAEXAMPLEROLEID0001:jane@acmecorp.me/okta-aws-verification" },
        ]);
        expect(
            statementRequests({ Effect: "Allow", Action: "ec2:StartInstances", Resource: "arn:aws:ec2:*:*:instance/*" }, session).requests,
        ).to.deep.equal([{ action: "ec2:StartInstances", resource: "arn:aws:ec2:us-east-1:253541269580:instance/okta-aws-verification" }]);
    });
});

describe("permission checks of a role's own documents, through the preview", function () {
    this.timeout(120000);

    it("previews the most common S3 read policy: s3:GetObject on objects, s3:ListBucket on the bucket, both allowed", async () => {
        const dir = retailWith({ S3_Admins: [payLogsRead] });
        const { code, stderr } = await runPreview(["--config-dir", dir, "--out", path.join(dir, "out")]);
        expect([code, stderr]).to.deep.equal([0, ""]);
        const detail = fs.readFileSync(path.join(dir, "out", "verification.md"), "utf8");
        expect(detail.split("\n").filter((line) => line.includes("s3-admins-own-0"))).to.deep.equal([
            "| ✓ | jane@acmecorp.me | Retail-S3-Admins | permission | s3:GetObject arn:aws:s3:::pay-logs/okta-aws-verification (s3-admins-own-0 ReadPayLogs) | allowed |",
            "| ✓ | jane@acmecorp.me | Retail-S3-Admins | permission | s3:ListBucket arn:aws:s3:::pay-logs (s3-admins-own-0 ReadPayLogs) | allowed |",
        ]);
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("names the Deny that decides, and the context key a federated session lacks (deny unless MFA)", async () => {
        const denyUnlessMfa = {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "DenyAllExceptListedIfNoMFA",
                    Effect: "Deny",
                    NotAction: ["iam:ListVirtualMFADevices", "sts:GetSessionToken"],
                    Resource: "*",
                    Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } },
                },
            ],
        };
        const dir = retailWith({ S3_Admins: [payLogsRead, denyUnlessMfa] });
        const { plan } = await buildPlan(dir, testIdpKeyFile);
        const { checks, findings } = await verifyPlanWithFindings(plan, mockIdpKey(testIdpKeyFile).privateKeyPem);
        const own = checks.filter((c) => c.subject === "jane@acmecorp.me" && c.request.includes("s3-admins-own-"));
        expect(own.map(row)).to.deep.equal([
            "✗ s3:GetObject arn:aws:s3:::pay-logs/okta-aws-verification (s3-admins-own-0 ReadPayLogs) | denied",
            "✗ s3:ListBucket arn:aws:s3:::pay-logs (s3-admins-own-0 ReadPayLogs) | denied",
            "✓ s3:AllowVendedLogDeliveryForResource arn:aws:s3:::okta-aws-verification (denied by s3-admins-own-1 DenyAllExceptListedIfNoMFA) | denied",
            "✓ s3:AbortMultipartUpload arn:aws:s3:us-east-1:253541269580:accesspoint/okta-aws-verification/object/okta-aws-verification (denied by s3-admins-own-1 DenyAllExceptListedIfNoMFA) | denied",
            "✓ s3:AssociateAccessGrantsIdentityCenter arn:aws:s3:us-east-1:253541269580:access-grants/default (denied by s3-admins-own-1 DenyAllExceptListedIfNoMFA) | denied",
        ]);
        expect(own[0].reason).to.equal(
            "iam-simulate: ExplicitlyDenied by s3-admins-own-1 DenyAllExceptListedIfNoMFA (condition BoolIfExists aws:MultiFactorAuthPresent: not in the request's context)",
        );
        expect(findings).to.deep.equal([]);
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("gives every statement checks or a finding: wildcards, actions that take no resource, conditions, KMS keys, policy variables", async () => {
        const document = {
            Version: "2012-10-17",
            Statement: [
                { Sid: "AllOfBucket", Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::pay-logs" },
                { Sid: "Secrets", Effect: "Allow", Action: "secretsmanager:*", Resource: "*" },
                { Sid: "CreateClusters", Effect: "Allow", Action: "eks:CreateCluster", Resource: "arn:aws:eks:*:*:cluster/*" },
                { Sid: "ListBuckets", Effect: "Allow", Action: "s3:ListAllMyBuckets", Resource: "arn:aws:s3:::*" },
                { Sid: "Decrypt", Effect: "Allow", Action: "kms:Decrypt", Resource: "arn:aws:kms:us-east-1:253541269580:key/*" },
                { Sid: "OwnFolder", Effect: "Allow", Action: "s3:PutObject", Resource: "arn:aws:s3:::home/${aws:userid}/*" },
                { Sid: "OwnPassword", Effect: "Allow", Action: "iam:ChangePassword", Resource: "arn:aws:iam::*:user/${aws:username}" },
                {
                    Sid: "InHomeRegion",
                    Effect: "Allow",
                    Action: "lambda:InvokeFunction",
                    Resource: "*",
                    Condition: { StringEquals: { "aws:RequestedRegion": "us-east-1" } },
                },
            ],
        };
        const dir = retailWith({ S3_Admins: [document] });
        const { plan } = await buildPlan(dir, testIdpKeyFile);
        const { checks, findings } = await verifyPlanWithFindings(plan, mockIdpKey(testIdpKeyFile).privateKeyPem);
        expect(checks.filter((c) => c.subject === "jane@acmecorp.me" && c.request.includes("s3-admins-own-")).map(row)).to.deep.equal([
            "✓ s3:AllowVendedLogDeliveryForResource arn:aws:s3:::pay-logs (s3-admins-own-0 AllOfBucket) | allowed",
            "✓ s3:CreateBucket arn:aws:s3:::pay-logs (s3-admins-own-0 AllOfBucket) | allowed",
            "✓ s3:DeleteBucketPolicy arn:aws:s3:::pay-logs (s3-admins-own-0 AllOfBucket) | allowed",
            "✓ secretsmanager:BatchGetSecretValue * (s3-admins-own-0 Secrets) | allowed",
            "✓ secretsmanager:CancelRotateSecret arn:aws:secretsmanager:us-east-1:253541269580:secret:okta-aws-verification (s3-admins-own-0 Secrets) | allowed",
            "✓ secretsmanager:DeleteResourcePolicy arn:aws:secretsmanager:us-east-1:253541269580:secret:okta-aws-verification (s3-admins-own-0 Secrets) | allowed",
            "✓ kms:Decrypt arn:aws:kms:us-east-1:253541269580:key/okta-aws-verification (s3-admins-own-0 Decrypt, under KMS's default key policy) | allowed",
            "✓ s3:PutObject arn:aws:s3:::home/AROAZ7UXDVVGWH7GIVMY6:jane@acmecorp.me/okta-aws-verification (s3-admins-own-0 OwnFolder) | allowed",
            "✓ lambda:InvokeFunction arn:aws:lambda:us-east-1:253541269580:function:okta-aws-verification (s3-admins-own-0 InHomeRegion) | allowed",
        ]);
        expect(findings.map((f) => `${f.statement}: ${f.kind}: ${f.text}`)).to.deep.equal([
            's3-admins-own-0 CreateClusters: grants nothing: eks:CreateCluster takes "*" only (it applies to no resource type), not arn:aws:eks:*:*:cluster/*',
            's3-admins-own-0 ListBuckets: grants nothing: s3:ListAllMyBuckets takes "*" only (it applies to no resource type), not arn:aws:s3:::*',
            "s3-admins-own-0 OwnPassword: grants nothing: arn:aws:iam::*:user/${aws:username} names a policy variable a federated session has no value for",
        ]);
        fs.rmSync(dir, { recursive: true, force: true });
    });
});
