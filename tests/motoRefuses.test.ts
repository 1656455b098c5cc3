// The invalid policies of the bad-configuration corpus (tests/fixtures/bad), sent to moto_server's
// IAM as CreatePolicy and AttachRolePolicy calls: what moto refuses as AWS does, and, where moto
// accepts, that the program is the stricter one (its refusal is then the only one before AWS's).
import { AttachRolePolicyCommand, CreatePolicyCommand, CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { expect } from "chai";
import { badCases } from "./badCases";
import { motoIamClient, useMotoServer } from "./servers/moto";

const accountId = "253541269580";

const describeInstances = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Action: "ec2:DescribeInstances", Resource: "*" }],
});

/** A corpus case's first role's first own policy document (or its boundary's), as the provider sends it. */
function corpusDocument(caseName: string): string {
    const badCase = badCases().find((c) => c.name === caseName);
    if (!badCase) throw new Error(`no bad case ${caseName}`);
    const [role] = badCase.patch.retail.set!["okta-aws:crossAccountRoles"] as {
        policies?: { document: unknown }[];
        permissionsBoundary?: { document: unknown };
    }[];
    const document = (role.policies?.[0] ?? role.permissionsBoundary)!.document;
    return typeof document === "string" ? document : JSON.stringify(document);
}

/** moto's answer to a call: `accepted`, or `<error name>: <message>` as the SDK reports it. */
async function answerOf(call: Promise<unknown>): Promise<string> {
    try {
        await call;
        return "accepted";
    } catch (error) {
        const { name, message } = error as Error;
        return `${name}: ${message}`;
    }
}

describe("moto_server's IAM on the corpus's invalid policies @slow", function () {
    this.timeout(120000);
    const moto = useMotoServer();
    let iam: IAMClient;
    before(() => {
        iam = motoIamClient(moto().endpoint, accountId);
    });

    const createPolicy = (name: string, document: string) =>
        answerOf(iam.send(new CreatePolicyCommand({ PolicyName: name, PolicyDocument: document })));

    it("refuses as MalformedPolicyDocument every document the corpus refuses for its grammar", async () => {
        const grammarCases = [
            "member-policy-document-not-object",
            "member-policy-no-version",
            "member-policy-wrong-version",
            "member-policy-no-effect",
            "member-policy-no-action",
            "member-policy-no-resource",
            "member-policy-empty-action",
            "member-policy-boundary-document-problem",
        ];
        const answers: Record<string, string> = {};
        for (const name of grammarCases) {
            answers[name] = await createPolicy(name, corpusDocument(name));
        }
        expect(answers).to.deep.equal({
            "member-policy-document-not-object": "MalformedPolicyDocumentException: Syntax errors in policy.",
            "member-policy-no-version": "MalformedPolicyDocumentException: Policy document must be version 2012-10-17 or greater.",
            "member-policy-wrong-version": "MalformedPolicyDocumentException: Syntax errors in policy.",
            "member-policy-no-effect": "MalformedPolicyDocumentException: Syntax errors in policy.",
            "member-policy-no-action": "MalformedPolicyDocumentException: Policy statement must contain actions.",
            "member-policy-no-resource": "MalformedPolicyDocumentException: Policy statement must contain resources.",
            "member-policy-empty-action": "MalformedPolicyDocumentException: Policy statement must contain actions.",
            "member-policy-boundary-document-problem": "MalformedPolicyDocumentException: Syntax errors in policy.",
        });
    });

    // The program is stricter than moto here: AWS refuses a managed policy over 6,144 characters
    // without white space (LimitExceeded, "IAM and AWS STS quotas"); moto does not measure it.
    it("accepts the oversize document (member-policy-too-large)", async () => {
        expect(await createPolicy("too-large", corpusDocument("member-policy-too-large"))).to.equal("accepted");
    });

    // The program is stricter than moto here: AWS refuses a Principal in a permission policy
    // (MalformedPolicyDocument, "Policy document should not specify a principal"); moto takes it.
    it("accepts a permission policy that names a Principal (member-policy-principal)", async () => {
        expect(await createPolicy("principal", corpusDocument("member-policy-principal"))).to.equal("accepted");
    });

    // The program is stricter than moto here: AWS compares policy names ignoring case ("IAM
    // identifiers"); moto refuses only the very same name again.
    it("accepts two policy names that differ only in case, and refuses the same name twice", async () => {
        expect({
            ops: await createPolicy("ops", describeInstances),
            OPS: await createPolicy("OPS", describeInstances),
            "ops again": await createPolicy("ops", describeInstances),
        }).to.deep.equal({
            ops: "accepted",
            OPS: "accepted",
            "ops again": "EntityAlreadyExistsException: A policy called ops already exists. Duplicate names are not allowed.",
        });
    });

    // AWS accepts this too (the customer policy's ARN is the account's, not aws's): the program
    // refuses it because a role's attachments are named by policy name, and two would share one.
    it("accepts a customer policy named as an AWS managed policy", async () => {
        expect(await createPolicy("AmazonEC2ReadOnlyAccess", describeInstances)).to.equal("accepted");
    });

    // The program is stricter than moto here: AWS attaches at most 10 managed policies to a role
    // by default (LimitExceeded, "IAM and AWS STS quotas"); moto attaches an 11th.
    it("attaches an 11th managed policy to a role (member-policy-too-many-attached)", async () => {
        const trust = JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::671250594556:root" }, Action: "sts:AssumeRole" }],
        });
        await iam.send(new CreateRoleCommand({ RoleName: "Ops", AssumeRolePolicyDocument: trust }));
        const answers: string[] = [];
        for (const policy of ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"]) {
            await iam.send(new CreatePolicyCommand({ PolicyName: `Ops-${policy}`, PolicyDocument: describeInstances }));
            const arn = `arn:aws:iam::${accountId}:policy/Ops-${policy}`;
            answers.push(await answerOf(iam.send(new AttachRolePolicyCommand({ RoleName: "Ops", PolicyArn: arn }))));
        }
        expect(answers).to.deep.equal(Array(11).fill("accepted"));
    });
});
