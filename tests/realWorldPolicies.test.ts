// Real-world documents through the preview: permission policies from AWS's documentation examples
// (tests/fixtures/awsExamples/policies.json, each with the page it comes from; placeholders
// replaced by the Retail account, as the pages ask) and the vendored AWS managed policies, attached
// as a team's own documents. The preview must not crash, and each statement must get permission
// checks or a finding that says what it grants nothing for.
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { mockIdpKey } from "../tools/mock/idp";
import { buildPlan } from "../tools/plan/build";
import { verifyPlanWithFindings } from "../tools/verification/checks";
import { PermissionFinding } from "../tools/verification/permissionRequests";
import { managedPolicyFixtures } from "../tools/verification/plannedFederation";
import { VerificationReport } from "../tools/verification/report";
import { Check } from "../tools/verification/simulator";
import { asList, Statement, statementRequests } from "../tools/verification/statementRequests";
import { writePatchedStackFiles } from "./badCases";
import { projectRoot, testIdpKeyFile } from "./harness";

interface Example {
    name: string;
    source: string;
    document: { Version: string; Statement: Statement[] };
}

const retailAccount = "253541269580";
const examples = (
    JSON.parse(fs.readFileSync(path.join(projectRoot, "tests", "fixtures", "awsExamples", "policies.json"), "utf8")) as Example[]
).map((example) => ({
    ...example,
    document: JSON.parse(JSON.stringify(example.document).replaceAll("123456789012", retailAccount)) as Example["document"],
}));

/** The vendored AWS managed policies that fit IAM's size quota for a customer managed policy. */
const managedCopies = [...managedPolicyFixtures().entries()]
    .filter(([name]) => name !== "ReadOnlyAccess")
    .map(([name, fixture]) => ({ name: `copy-of-${name}`, document: fixture.document as Example["document"] }));

/** Up to nine documents a role (IAM's quota is ten managed policies per role). */
function rolesOf(documents: { name: string; document: object }[], prefix: string) {
    const roles = [];
    for (let i = 0; i < documents.length; i += 9) {
        roles.push({
            name: `${prefix}${roles.length + 1}`,
            policies: documents.slice(i, i + 9).map(({ name, document }) => ({ name, document })),
        });
    }
    return roles;
}

describe("real-world policy documents through the preview (AWS documentation examples, AWS managed policies) @slow", function () {
    this.timeout(300000);
    let checks: Check[];
    let findings: PermissionFinding[];
    const roles = [...rolesOf(examples, "AwsExamples"), ...rolesOf(managedCopies, "ManagedCopies")];

    before(async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-real-world-"));
        writePatchedStackFiles(
            {
                patch: {
                    retail: {
                        set: {
                            "okta-aws:crossAccountRoles": [
                                {
                                    name: "S3_Admins",
                                    managedPolicies: ["AmazonS3FullAccess"],
                                    assumePolicyName: "allow-assume-retail-s3-admin-role",
                                },
                                ...roles,
                            ],
                        },
                    },
                    identity: {
                        set: {
                            "okta-aws:users": [
                                {
                                    login: "jane@acmecorp.me",
                                    firstName: "Jane",
                                    lastName: "Dye",
                                    samlRoles: ["Retail-S3-Admins", ...roles.map((role) => `Retail-${role.name}`)],
                                },
                            ],
                        },
                    },
                },
            },
            dir,
        );
        const { plan } = await buildPlan(dir, testIdpKeyFile);
        ({ checks, findings } = await verifyPlanWithFindings(plan, mockIdpKey(testIdpKeyFile).privateKeyPem));
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("holds at least 60 examples, each with the AWS documentation page it comes from", () => {
        expect(examples.length).to.be.at.least(60);
        expect(examples.filter((e) => !e.source.startsWith("https://docs.aws.amazon.com/")).map((e) => e.name)).to.deep.equal([]);
    });

    it("gives every statement permission checks or a finding", () => {
        const labels = [...examples, ...managedCopies].flatMap(({ name, document }) =>
            asList(document.Statement).map((statement, i) => `${name} ${statement.Sid ?? `statement ${i + 1}`}`),
        );
        const checked = new Set(
            checks
                .filter((c) => c.step === "permission")
                .map((c) => /\(((?:denied by )?)(.+?)(, (?:outside|under) .*)?\)$/.exec(c.request)?.[2]),
        );
        const found = new Set(findings.map((f) => f.statement));
        expect(labels.filter((label) => !checked.has(label) && !found.has(label))).to.deep.equal([]);
    });

    it("lists by name what a statement grants nothing for, and what does not apply to a federated session", () => {
        expect(findings.map((f) => `${f.statement}: ${f.kind}: ${f.text}`)).to.deep.equal([
            "s3-cognito-bucket ReadWriteDeleteYourObjects: grants nothing: arn:aws:s3:::bucket-name/cognito/application-name/${cognito-identity.amazonaws.com:sub}/* names a policy variable a federated session has no value for",
            's3-list-all-buckets ListAllBuckets: grants nothing: s3:ListAllMyBuckets takes "*" only (it applies to no resource type), not arn:aws:s3:::*',
            "s3-require-tls RestrictToTLSRequestsOnly: does not apply: the Deny (s3:AllowVendedLogDeliveryForResource on arn:aws:s3:::amzn-s3-demo-bucket, and the like) does not apply to a federated session's request (condition Bool aws:SecureTransport: the request has true)",
            "dynamodb-specific-table SpecificTable: grants nothing: dynamodb:DescribeStream applies to stream, not arn:aws:dynamodb:*:*:table/MyTable",
            'sns-manage-prefix statement 1: grants nothing: sns:ListTopics takes "*" only (it applies to no resource type), not arn:aws:sns:*:253541269580:bob*',
            'eks-create-cluster statement 1: grants nothing: eks:CreateCluster takes "*" only (it applies to no resource type), not arn:aws:eks:us-east-1:253541269580:cluster/my-cluster',
            "cloudformation-template-url statement 1: does not apply: the Deny (cloudformation:CreateStack on arn:aws:cloudformation:us-east-1:253541269580:stack/okta-aws-verification/okta-aws-verification, and the like) does not apply to a federated session's request (condition ForAnyValue:StringLikeIfExists cloudformation:ResourceTypes: not in the request's context)",
            "iam-self-manage-mfa AllowManageOwnPasswords: grants nothing: arn:aws:iam::*:user/${aws:username} names a policy variable a federated session has no value for",
            "iam-self-manage-mfa AllowManageOwnAccessKeys: grants nothing: arn:aws:iam::*:user/${aws:username} names a policy variable a federated session has no value for",
            "iam-self-manage-mfa AllowManageOwnUserMFA: grants nothing: arn:aws:iam::*:user/${aws:username} names a policy variable a federated session has no value for",
            "abac-project-tags DenyUntagSecretsManagerReservedTags: does not apply: the Deny (secretsmanager:UntagResource on arn:aws:secretsmanager:us-east-1:253541269580:secret:okta-aws-verification, and the like) does not apply to a federated session's request (condition ForAnyValue:StringLike aws:TagKeys: not in the request's context)",
            "aws-secure-transport-deny DenyInsecure: does not apply: the Deny (s3:AllowVendedLogDeliveryForResource on arn:aws:s3:::okta-aws-verification, and the like) does not apply to a federated session's request (condition Bool aws:SecureTransport: the request has true)",
        ]);
    });

    it("puts the findings in the report", () => {
        const report = new VerificationReport();
        findings.forEach((f) => report.addFinding(f));
        const lines = report.summaryLines();
        expect(
            lines.slice(lines.indexOf("Own statements, as IAM reads them:"), lines.indexOf("Own statements, as IAM reads them:") + 2),
        ).to.deep.equal([
            "Own statements, as IAM reads them:",
            `  ${findings[0].kind}: ${findings[0].role} ${findings[0].statement}: ${findings[0].text}`,
        ]);
    });

    it("reads ReadOnlyAccess, too large for a customer policy, statement by statement without a crash", () => {
        const document = managedPolicyFixtures().get("ReadOnlyAccess")!.document as Example["document"];
        const session = { partition: "aws", accountId: retailAccount, region: "us-east-1", userId: "AROAEXAMPLE:jane", principalTags: {} };
        const empty = asList(document.Statement)
            .map((statement) => ({ sid: statement.Sid, analysis: statementRequests(statement, session) }))
            .filter(({ analysis }) => analysis.requests.length === 0);
        expect(empty.map(({ sid, analysis }) => `${sid}: ${analysis.grantsNothing.join("; ")}`)).to.deep.equal([]);
    });
});
