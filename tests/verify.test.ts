// The federation chain proved offline: samlify and iam-simulate judge the plan's real documents.
import { expect } from "chai";
import * as path from "path";
import { PolicyDocument } from "../components/policies";
import { idpMetadata, mockIdpKey } from "../tools/mock/idp";
import { buildPlan } from "../tools/plan/build";
import { Plan } from "../tools/plan/model";
import { negativeTargetSample, verifyPlan } from "../tools/verification/checks";
import * as saml from "../tools/verification/saml";
import { issueLoginResponse, verifyLoginResponse, xmlShape } from "../tools/verification/saml";
import { RoundTrip, signInRoundTrip } from "../tools/verification/signInWorker";
import { Check, checkPassed } from "../tools/verification/simulator";
import { projectRoot, shippedPlan, testIdpKeyFile } from "./harness";

const keyFile = testIdpKeyFile;

function find(checks: Check[], match: Partial<Check> & { requestIncludes?: string }): Check {
    const { requestIncludes, ...fields } = match;
    const found = checks.filter(
        (c) =>
            Object.entries(fields).every(([k, v]) => c[k as keyof Check] === v) &&
            (!requestIncludes || c.request.includes(requestIncludes)),
    );
    expect(found, JSON.stringify(match)).to.have.length.greaterThan(0);
    return found[0];
}

describe("offline verification of the federation chain", function () {
    this.timeout(60000);
    let plan: Plan;
    let checks: Check[];
    before(async () => {
        plan = (await shippedPlan()).plan;
        checks = await verifyPlan(plan, mockIdpKey(keyFile).privateKeyPem);
    });

    it("passes on the shipped organisation", () => {
        expect(checks.filter((c) => !checkPassed(c))).to.deep.equal([]);
        const steps = new Map<string, number>();
        for (const check of checks) {
            const step = `${check.step}, expected ${check.expected}`;
            steps.set(step, (steps.get(step) ?? 0) + 1);
        }
        expect(Object.fromEntries(steps)).to.deep.equal({
            "Okta sign-on, expected allowed": 4,
            "Okta sign-on, expected denied": 2,
            "SAML sign-in, expected allowed": 2,
            "SAML sign-in, expected denied": 3,
            "AssumeRoleWithSAML, expected allowed": 3,
            "AssumeRoleWithSAML, expected denied": 6,
            "AssumeRole, expected allowed": 3,
            "AssumeRole, expected denied": 8,
            "permission, expected allowed": 3,
            "permission, expected denied": 3,
        });
    });

    it("john signs in to both EC2 roles and reaches EC2 in Retail and Sales", () => {
        for (const [samlRole, target] of [
            ["Retail-EC2-Admins", "arn:aws:iam::253541269580:role/EC2_Admins"],
            ["Sales-EC2-Admins", "arn:aws:iam::881102293469:role/EC2_Admins"],
        ]) {
            expect(
                find(checks, { subject: "john@acmecorp.me", step: "SAML sign-in", requestIncludes: `role/${samlRole}` }).actual,
            ).to.equal("allowed");
            expect(find(checks, { subject: "john@acmecorp.me", samlRole, step: "AssumeRoleWithSAML" }).actual).to.equal("allowed");
            expect(find(checks, { subject: "john@acmecorp.me", samlRole, step: "AssumeRole", requestIncludes: target }).actual).to.equal(
                "allowed",
            );
            expect(
                find(checks, { subject: "john@acmecorp.me", samlRole, step: "permission", requestIncludes: "ec2:DescribeInstances" })
                    .actual,
            ).to.equal("allowed");
        }
    });

    it("checks that each verified assertion carries exactly the person's role pairs, and nothing else", () => {
        const jane = find(checks, { subject: "jane@acmecorp.me", step: "SAML sign-in" });
        expect([jane.samlRole, jane.request, jane.actual]).to.deep.equal([
            "Retail-S3-Admins",
            "Role pairs exactly {arn:aws:iam::671250594556:saml-provider/Okta,arn:aws:iam::671250594556:role/Retail-S3-Admins}",
            "allowed",
        ]);
        expect(checks.filter((c) => c.subject === "jane@acmecorp.me" && c.samlRole.includes("EC2"))).to.deep.equal([]);
    });

    it("catches a role value pattern that sends another role ARN", async () => {
        const copy = JSON.parse(JSON.stringify(plan)) as Plan;
        const app = copy.stacks.identity.resources.find((r) => r.type === "okta:app/saml:Saml")!;
        const settings = JSON.parse(app.inputs.appSettingsJson as string) as { roleValuePattern: string };
        settings.roleValuePattern = settings.roleValuePattern.replace("role/${role}", "role/Okta-${role}");
        app.inputs.appSettingsJson = JSON.stringify(settings);
        const failed = (await verifyPlan(copy, mockIdpKey(keyFile).privateKeyPem)).filter((c) => !checkPassed(c));
        expect(failed.map((c) => [c.subject, c.step, c.reason])).to.deep.include([
            "jane@acmecorp.me",
            "SAML sign-in",
            "the verified assertion carries {arn:aws:iam::671250594556:saml-provider/Okta,arn:aws:iam::671250594556:role/Okta-Retail-S3-Admins}",
        ]);
    });

    it("samples three other targets per federated role for the switch negatives", () => {
        const targets = [
            "arn:aws:iam::111111111111:role/A",
            "arn:aws:iam::111111111111:role/B",
            "arn:aws:iam::222222222222:role/A",
            "arn:aws:iam::222222222222:role/C",
            "arn:aws:iam::333333333333:role/D",
        ];
        expect(negativeTargetSample(targets[0], targets)).to.deep.equal([targets[1], targets[2]]);
        expect(negativeTargetSample(targets[3], targets)).to.deep.equal([targets[2], targets[4]]);
        expect(negativeTargetSample(targets[4], targets)).to.deep.equal([targets[0]]);
    });

    it("denies every negative path", () => {
        const negatives: [string, Partial<Check> & { requestIncludes?: string }][] = [
            ["a tampered assertion", { subject: "attacker@example.com", step: "SAML sign-in", requestIncludes: "tampered" }],
            [
                "a wrong audience",
                { subject: "attacker@example.com", step: "SAML sign-in", requestIncludes: "audience urn:example:not-aws" },
            ],
            [
                "a wrong recipient",
                { subject: "attacker@example.com", step: "AssumeRoleWithSAML", requestIncludes: "SAML:aud https://example.com/saml" },
            ],
            [
                "a different SAML provider",
                { subject: "attacker@example.com", step: "AssumeRoleWithSAML", requestIncludes: "SomeoneElsesIdP" },
            ],
            [
                "another role of the identity account",
                { subject: "IdentityAccountAdmin", step: "AssumeRole", requestIncludes: "253541269580:role/EC2_Admins" },
            ],
            [
                "a federated role switching into another target",
                { samlRole: "Retail-S3-Admins", step: "AssumeRole", requestIncludes: "253541269580:role/EC2_Admins (not its target)" },
            ],
            [
                "jane trying EC2",
                { subject: "jane@acmecorp.me", samlRole: "Retail-S3-Admins", step: "permission", requestIncludes: "ec2:DescribeInstances" },
            ],
            [
                "john trying S3",
                { subject: "john@acmecorp.me", samlRole: "Retail-EC2-Admins", step: "permission", requestIncludes: "s3:ListBucket" },
            ],
        ];
        for (const [what, match] of negatives) {
            const check = find(checks, match);
            expect([what, check.expected, check.actual]).to.deep.equal([what, "denied", "denied"]);
        }
        expect(find(checks, { requestIncludes: "tampered" }).reason).to.equal("samlify: FAILED_TO_VERIFY_SIGNATURE");
    });

    it("passes on the second organisation, groups and special characters included", async () => {
        const globex = (await buildPlan(path.join(projectRoot, "tests", "fixtures", "globex"), keyFile)).plan;
        const globexChecks = await verifyPlan(globex, mockIdpKey(keyFile).privateKeyPem);
        expect(globexChecks.filter((c) => !checkPassed(c))).to.deep.equal([]);
        expect(
            find(globexChecks, { subject: "marge@globex.example", samlRole: "Data-Eng=Writers-Lake", step: "AssumeRole" }).actual,
        ).to.equal("allowed");
        expect(
            find(globexChecks, {
                subject: "hank@globex.example",
                samlRole: "Prod-Ops+Admins",
                step: "permission",
                requestIncludes: "iam:ListRoles",
            }).actual,
        ).to.equal("allowed");
    });

    it("refuses, as AWS does, a sign-in whose login is over 64 characters, and fails its checks instead of crashing", async () => {
        const copy = structuredClone(plan);
        const login = `${"j".repeat(80)}@acmecorp.me`;
        copy.access.push({ ...copy.access.find((r) => r.principal === "jane@acmecorp.me")!, principal: login });
        const failed = (await verifyPlan(copy, mockIdpKey(keyFile).privateKeyPem)).filter((c) => !checkPassed(c));
        expect(failed.map((c) => [c.subject, c.samlRole, c.step, c.actual, c.reason])).to.deep.equal([
            [
                login,
                "Retail-S3-Admins",
                "SAML sign-in",
                "denied",
                `AWS refuses the sign-in: RoleSessionName "${login}" is not 2–64 characters of A-Z a-z 0-9 + = , . @ _ -`,
            ],
        ]);
    });

    it("sends what Okta's AWS app sends: no SourceIdentity unless the plan declares its attribute statement", async () => {
        const jane = checks.filter((c) => c.subject === "jane@acmecorp.me" && (c.step === "AssumeRoleWithSAML" || c.step === "AssumeRole"));
        expect(jane.map((c) => `${c.step} | ${c.request} | ${c.actual}`)).to.deep.equal([
            "AssumeRoleWithSAML | sts:AssumeRoleWithSAML arn:aws:iam::671250594556:role/Retail-S3-Admins | allowed",
            "AssumeRole | sts:AssumeRole arn:aws:iam::253541269580:role/S3_Admins | allowed",
        ]);
        const declared = structuredClone(plan);
        const identity = Object.values(declared.stacks).find((s) => s.kind === "identity")!;
        (identity.outputs.oktaAppOptions as { sourceIdentity: boolean }).sourceIdentity = true;
        const withSourceIdentity = (await verifyPlan(declared, mockIdpKey(keyFile).privateKeyPem)).filter(
            (c) => c.subject === "jane@acmecorp.me" && (c.step === "AssumeRoleWithSAML" || c.step === "AssumeRole"),
        );
        expect(withSourceIdentity.map((c) => `${c.step} | ${c.request} | ${c.actual}`)).to.deep.equal([
            "AssumeRoleWithSAML | sts:AssumeRoleWithSAML + sts:SetSourceIdentity arn:aws:iam::671250594556:role/Retail-S3-Admins | allowed",
            "AssumeRole | sts:AssumeRole + sts:SetSourceIdentity arn:aws:iam::253541269580:role/S3_Admins | allowed",
        ]);
    });

    it("reads back only the attributes a response carries: SourceIdentity and session tags when sent", async () => {
        const key = mockIdpKey(keyFile);
        const metadata = idpMetadata(
            "http://www.okta.com/exk1",
            "https://acmecorp.okta.com/app/amazon_aws/exk1/sso/saml",
            key.certificatePem,
        );
        const roleValues = ["arn:aws:iam::671250594556:saml-provider/Okta,arn:aws:iam::671250594556:role/Retail-S3-Admins"];
        const plain = await verifyLoginResponse(
            metadata,
            issueLoginResponse(metadata, key.privateKeyPem, { login: "jane@acmecorp.me", roleValues, sessionDuration: 3600 }),
        );
        expect([plain.roleSessionName, plain.sourceIdentity, plain.principalTags]).to.deep.equal(["jane@acmecorp.me", undefined, {}]);
        const configured = await verifyLoginResponse(
            metadata,
            issueLoginResponse(metadata, key.privateKeyPem, {
                login: "jane@acmecorp.me",
                roleValues,
                sessionDuration: 3600,
                sourceIdentity: "jane@acmecorp.me",
                principalTags: { login: "jane@acmecorp.me" },
            }),
        );
        expect([configured.sourceIdentity, configured.principalTags]).to.deep.equal(["jane@acmecorp.me", { login: "jane@acmecorp.me" }]);
    });

    it("verifies one sign-in's response once per distinct provider metadata: direct members' providers holding the identity's add no verification", async () => {
        const key = mockIdpKey(keyFile);
        const idp = (certificatePem: string) =>
            idpMetadata("http://www.okta.com/exk1", "https://acmecorp.okta.com/app/amazon_aws/exk1/sso/saml", certificatePem);
        const metadata = idp(key.certificatePem);
        const stale = idp(mockIdpKey().certificatePem);
        const verified: string[] = [];
        const module = saml as { verifyLoginResponse: typeof saml.verifyLoginResponse };
        const verifyLoginResponse = module.verifyLoginResponse;
        module.verifyLoginResponse = (providerMetadata, response) => {
            verified.push(providerMetadata === metadata ? "identity's metadata" : "stale metadata");
            return verifyLoginResponse(providerMetadata, response);
        };
        let roundTrip: RoundTrip;
        try {
            roundTrip = await signInRoundTrip(
                metadata,
                key.privateKeyPem,
                {
                    login: "jane@acmecorp.me",
                    roleValues: ["arn:aws:iam::141421356237:saml-provider/Okta,arn:aws:iam::141421356237:role/Analysts"],
                    sessionDuration: 3600,
                },
                {
                    "arn:aws:iam::141421356237:saml-provider/Okta": metadata,
                    "arn:aws:iam::173205080756:saml-provider/Okta": metadata,
                    "arn:aws:iam::223606797749:saml-provider/Okta": stale,
                    "arn:aws:iam::314159265358:saml-provider/Okta": stale,
                },
            );
        } finally {
            module.verifyLoginResponse = verifyLoginResponse;
        }
        expect(verified).to.deep.equal(["identity's metadata", "stale metadata"]);
        // samlify's refusal of a response signed with a certificate the metadata does not hold.
        const staleRefusal = "ERROR_UNMATCH_CERTIFICATE_DECLARATION_IN_METADATA";
        expect((roundTrip as { providers: Record<string, true | string> }).providers).to.deep.equal({
            "arn:aws:iam::141421356237:saml-provider/Okta": true,
            "arn:aws:iam::173205080756:saml-provider/Okta": true,
            "arn:aws:iam::223606797749:saml-provider/Okta": staleRefusal,
            "arn:aws:iam::314159265358:saml-provider/Okta": staleRefusal,
        });
    });

    it("refuses a SAML response over AWS's 100,000 characters before reading it", async () => {
        const key = mockIdpKey(keyFile);
        const metadata = idpMetadata(
            "http://www.okta.com/exk1",
            "https://acmecorp.okta.com/app/amazon_aws/exk1/sso/saml",
            key.certificatePem,
        );
        const roleValues = Array.from(
            { length: 600 },
            (_, i) => `arn:aws:iam::671250594556:saml-provider/Okta,arn:aws:iam::671250594556:role/Role-${i}`,
        );
        const response = issueLoginResponse(metadata, key.privateKeyPem, {
            login: "john@acmecorp.me",
            roleValues,
            sessionDuration: 3600,
        });
        expect(response.length).to.be.greaterThan(100000);
        let refused: Error | undefined;
        await verifyLoginResponse(metadata, response).catch((error: Error) => (refused = error));
        expect(refused?.message).to.equal(`the SAML response has ${response.length} characters, over the 100000 AWS accepts`);
    });

    it("counts a run of AttributeValue elements once in a response's shape, and every other element", () => {
        const key = mockIdpKey(keyFile);
        const metadata = idpMetadata(
            "http://www.okta.com/exk1",
            "https://acmecorp.okta.com/app/amazon_aws/exk1/sso/saml",
            key.certificatePem,
        );
        const response = (roles: number, login = "john@acmecorp.me") =>
            Buffer.from(
                issueLoginResponse(metadata, key.privateKeyPem, {
                    login,
                    roleValues: Array.from({ length: roles }, (_, i) => `arn:aws:iam::1:saml-provider/Okta,arn:aws:iam::1:role/R${i}`),
                    sessionDuration: 3600,
                }),
                "base64",
            ).toString("utf8");
        const oneRole = xmlShape(response(1));
        expect(xmlShape(response(5, "jane@acmecorp.me"))).to.equal(oneRole);
        // Elements the schema allows once, or not at all, still make their own shape.
        expect(xmlShape(response(0))).to.not.equal(oneRole);
        const twoIssuers = response(1).replace(/(<saml:Assertion [^>]*>)(<saml:Issuer>[^<]*<\/saml:Issuer>)/, "$1$2$2");
        expect(twoIssuers.match(/<saml:Issuer>/g)).to.have.length(3);
        expect(xmlShape(twoIssuers)).to.not.equal(oneRole);
    });

    /** A copy of the plan with one member role's trust policy replaced. */
    function withMemberTrust(stack: string, roleName: string, edit: (trust: PolicyDocument) => void): Plan {
        const copy = JSON.parse(JSON.stringify(plan)) as Plan;
        const role = copy.stacks[stack].resources.find((r) => r.type === "aws:iam/role:Role" && r.inputs.name === roleName)!;
        const trust = JSON.parse(role.inputs.assumeRolePolicy as string) as PolicyDocument;
        edit(trust);
        role.inputs.assumeRolePolicy = JSON.stringify(trust);
        return copy;
    }

    it("catches a member trust that names the wrong federated role", async () => {
        const broken = withMemberTrust("retail", "EC2_Admins", (trust) => {
            trust.Statement[0].Condition!.ArnEquals["aws:PrincipalArn"] = "arn:aws:iam::671250594556:role/Retail-S3-Admins";
        });
        const failed = (await verifyPlan(broken, mockIdpKey(keyFile).privateKeyPem)).filter((c) => !checkPassed(c));
        // Retail-S3-Admins still cannot switch in: its own policy names only its own target, and a
        // cross-account switch needs both sides.
        expect(failed.map((c) => [c.subject, c.samlRole, c.step, c.expected, c.actual])).to.deep.equal([
            ["john@acmecorp.me", "Retail-EC2-Admins", "AssumeRole", "allowed", "denied"],
        ]);
    });

    it("catches a member trust opened to the whole identity account", async () => {
        const broken = withMemberTrust("sales", "EC2_Admins", (trust) => delete trust.Statement[0].Condition);
        const failed = (await verifyPlan(broken, mockIdpKey(keyFile).privateKeyPem)).filter((c) => !checkPassed(c));
        expect(failed.map((c) => [c.subject, c.step, c.request])).to.deep.equal([
            ["IdentityAccountAdmin", "AssumeRole", "sts:AssumeRole arn:aws:iam::881102293469:role/EC2_Admins"],
        ]);
    });
});
