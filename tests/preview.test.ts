// npm start end to end: the plans of the shipped and a second organisation, the files it writes,
// and how it stops on invalid configuration.
import { expect } from "chai";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { generateIdpKey } from "../tools/mock/idp";
import { buildPlan } from "../tools/plan/build";
import { Plan } from "../tools/plan/model";
import { writtenFilesList } from "../tools/report/outFiles";
import { parsedPolicy, projectRoot, runPreview, shippedPlan, testIdpKeyFile } from "./harness";
import { expectSnapshot } from "./snapshots";

const fixtures = path.join(projectRoot, "tests", "fixtures");

function typesAndNames(plan: Plan, stack: string): string[] {
    return plan.stacks[stack].resources.map((r) => `${r.type} ${r.name}`).sort();
}

describe("offline preview (npm start)", () => {
    const keyCache = testIdpKeyFile;

    it("plans the shipped organisation: exact resources per stack and exact access", async () => {
        const { plan } = await shippedPlan();
        expect(Object.keys(plan.stacks)).to.deep.equal(["retail", "sales", "identity"]);
        expect(plan.stacks.sales.kind).to.equal("member");
        expect(plan.stacks.identity).to.include({ kind: "identity", accountId: "671250594556" });
        expect(typesAndNames(plan, "sales")).to.deep.equal([
            "aws:iam/role:Role EC2_Admins-role",
            "aws:iam/role:Role audit-role-role",
            "aws:iam/rolePolicy:RolePolicy audit-role-policy",
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment EC2_Admins-AmazonEC2FullAccess",
            "okta-aws:audit:AuditRole audit-role",
            "okta-aws:member:CrossAccountRole EC2_Admins",
            "pulumi:pulumi:Stack okta-aws-sales",
        ]);
        // The stack's resources are the program's below its root Stack (tests/stacks.test.ts), and the Stack.
        for (const stack of ["retail", "identity"]) {
            const root = `pulumi:pulumi:Stack okta-aws-${stack}`;
            expect(typesAndNames(plan, stack).filter((r) => r === root)).to.deep.equal([root]);
            expectSnapshot(
                `shipped-${stack}-inventory`,
                typesAndNames(plan, stack).filter((r) => r !== root),
            );
        }
        expect(plan.stacks.sales.resources.find((r) => r.name === "EC2_Admins-role")).to.deep.include({
            urn: "urn:pulumi:sales::okta-aws::okta-aws:member:CrossAccountRole$aws:iam/role:Role::EC2_Admins-role",
            parent: "urn:pulumi:sales::okta-aws::okta-aws:member:CrossAccountRole::EC2_Admins",
        });
        expect(plan.access).to.deep.equal([
            {
                principal: "jane@acmecorp.me",
                principalType: "user",
                samlRole: "Retail-S3-Admins",
                samlRoleArn: "arn:aws:iam::671250594556:role/Retail-S3-Admins",
                targetAccountId: "253541269580",
                targetAccountLabel: "Retail",
                targetRoleArn: "arn:aws:iam::253541269580:role/S3_Admins",
                policyArns: ["arn:aws:iam::aws:policy/AmazonS3FullAccess"],
            },
            {
                principal: "john@acmecorp.me",
                principalType: "user",
                samlRole: "Retail-EC2-Admins",
                samlRoleArn: "arn:aws:iam::671250594556:role/Retail-EC2-Admins",
                targetAccountId: "253541269580",
                targetAccountLabel: "Retail",
                targetRoleArn: "arn:aws:iam::253541269580:role/EC2_Admins",
                policyArns: ["arn:aws:iam::aws:policy/AmazonEC2FullAccess"],
            },
            {
                principal: "john@acmecorp.me",
                principalType: "user",
                samlRole: "Sales-EC2-Admins",
                samlRoleArn: "arn:aws:iam::671250594556:role/Sales-EC2-Admins",
                targetAccountId: "881102293469",
                targetAccountLabel: "Sales",
                targetRoleArn: "arn:aws:iam::881102293469:role/EC2_Admins",
                policyArns: ["arn:aws:iam::aws:policy/AmazonEC2FullAccess"],
            },
        ]);
        const secretKey = (plan.stacks.identity.outputs.provisioning as Record<string, unknown>).secretAccessKey;
        expect(secretKey).to.equal("[secret]");
    });

    it("plans a second organisation: three members, a group, special characters in role names", async () => {
        const { plan } = await buildPlan(path.join(fixtures, "globex"), keyCache);
        expect(Object.keys(plan.stacks)).to.deep.equal(["data", "dev", "prod", "hub"]);
        // Each member of the group has rows of their own, marked with the group they come through.
        expect(plan.access.map((r) => [r.principal, r.principalType, r.via, r.samlRole, r.targetRoleArn, r.policyArns])).to.deep.equal([
            [
                "aws-data-engineers",
                "group",
                undefined,
                "Data-Analysts.Read@Lake",
                "arn:aws:iam::223344556677:role/Analysts.Read@Lake",
                ["arn:aws:iam::aws:policy/AmazonAthenaFullAccess", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"],
            ],
            [
                "aws-data-engineers",
                "group",
                undefined,
                "Data-Eng=Writers-Lake",
                "arn:aws:iam::223344556677:role/Eng=Writers,Lake",
                ["arn:aws:iam::aws:policy/AmazonS3FullAccess"],
            ],
            [
                "frank@globex.example",
                "user",
                undefined,
                "Data-Analysts.Read@Lake",
                "arn:aws:iam::223344556677:role/Analysts.Read@Lake",
                ["arn:aws:iam::aws:policy/AmazonAthenaFullAccess", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"],
            ],
            [
                "frank@globex.example",
                "user",
                "aws-data-engineers",
                "Data-Analysts.Read@Lake",
                "arn:aws:iam::223344556677:role/Analysts.Read@Lake",
                ["arn:aws:iam::aws:policy/AmazonAthenaFullAccess", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"],
            ],
            [
                "frank@globex.example",
                "user",
                "aws-data-engineers",
                "Data-Eng=Writers-Lake",
                "arn:aws:iam::223344556677:role/Eng=Writers,Lake",
                ["arn:aws:iam::aws:policy/AmazonS3FullAccess"],
            ],
            [
                "hank@globex.example",
                "user",
                undefined,
                "Dev-Deployers",
                "arn:aws:iam::012345678901:role/Deployers",
                ["arn:aws:iam::012345678901:policy/deploy/ci-extras", "arn:aws:iam::aws:policy/PowerUserAccess"],
            ],
            [
                "hank@globex.example",
                "user",
                undefined,
                "Prod-Ops+Admins",
                "arn:aws:iam::112233445566:role/Ops+Admins",
                ["arn:aws:iam::aws:policy/AdministratorAccess"],
            ],
            [
                "marge@globex.example",
                "user",
                "aws-data-engineers",
                "Data-Analysts.Read@Lake",
                "arn:aws:iam::223344556677:role/Analysts.Read@Lake",
                ["arn:aws:iam::aws:policy/AmazonAthenaFullAccess", "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"],
            ],
            [
                "marge@globex.example",
                "user",
                "aws-data-engineers",
                "Data-Eng=Writers-Lake",
                "arn:aws:iam::223344556677:role/Eng=Writers,Lake",
                ["arn:aws:iam::aws:policy/AmazonS3FullAccess"],
            ],
        ]);
        expect(plan.access.filter((r) => r.samlRoleArn !== `arn:aws:iam::098765432109:role/${r.samlRole}`)).to.deep.equal([]);
        const federated = plan.stacks.hub.resources.find((r) => r.name === "Prod-Ops+Admins-role")!;
        expect(federated.inputs.maxSessionDuration).to.equal(7200);
        expect(parsedPolicy(federated.inputs.assumeRolePolicy).Statement[0].Principal).to.deep.equal({
            Federated: "arn:aws:iam::098765432109:saml-provider/Globex.Okta",
        });
    });

    it("writes plan.json and access.md, and byte-identical plans for the same configuration", async () => {
        const outA = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-a-"));
        const outB = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-b-"));
        fs.copyFileSync(keyCache, path.join(outB, ".mock-idp-key.json"));
        fs.copyFileSync(keyCache, path.join(outA, ".mock-idp-key.json"));
        const first = await runPreview(["--out", outA]);
        const second = await runPreview(["--out", outB]);
        expect([first.code, second.code]).to.deep.equal([0, 0]);
        expect(fs.readFileSync(path.join(outA, "plan.json"), "utf8")).to.equal(fs.readFileSync(path.join(outB, "plan.json"), "utf8"));
        expect(first.stdout).to.contain("Stack identity (identity, account 671250594556)");
        expect(first.stdout).to.match(
            /john@acmecorp\.me\s+user\s+Sales-EC2-Admins\s+→ Sales \(881102293469\)\s+EC2_Admins\s+AmazonEC2FullAccess/,
        );
        expect(first.stdout).to.not.match(/"secretAccessKey": "(?!\[secret\])/);
        const markdown = fs.readFileSync(path.join(outA, "access.md"), "utf8");
        expect(markdown).to.contain(
            "| john@acmecorp.me | user |  | Sales-EC2-Admins | Sales (881102293469) | EC2\\_Admins | AmazonEC2FullAccess |",
        );
        expect(markdown).to.contain("```mermaid\nflowchart LR\n");
    });

    it("stops on invalid configuration with the program's message and leaves the previous plan alone", async () => {
        const configDir = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-bad-"));
        for (const stack of ["identity", "sales", "retail"]) {
            fs.copyFileSync(path.join(projectRoot, `Pulumi.${stack}.yaml`), path.join(configDir, `Pulumi.${stack}.yaml`));
        }
        const retail = path.join(configDir, "Pulumi.retail.yaml");
        fs.writeFileSync(retail, fs.readFileSync(retail, "utf8").replace('id: "253541269580"', "id: 25354158"));
        const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-out-"));
        fs.writeFileSync(path.join(outDir, "plan.json"), "previous plan\n");
        fs.writeFileSync(path.join(outDir, writtenFilesList), JSON.stringify({ files: ["plan.json"] }));

        const result = await runPreview(["--config-dir", configDir, "--out", outDir]);
        expect(result.code).to.equal(1);
        expect(result.stderr).to.equal(
            [
                "Invalid stack configuration (1 problem):",
                "  Pulumi.retail.yaml: okta-aws:account.id: 25354158 — must be a quoted string of 12 digits: YAML reads an unquoted number and drops leading zeros",
            ].join("\n"),
        );
        expect(fs.readFileSync(path.join(outDir, "plan.json"), "utf8")).to.equal("previous plan\n");
    });

    // The test run reuses keys across runs (tests/idpKeyCache.ts); this is the generator itself.
    it("makes each mock IdP key new: 2048-bit RSA with a self-signed certificate of that key", () => {
        const [first, second] = [generateIdpKey(), generateIdpKey()];
        expect(first.privateKeyPem).to.not.equal(second.privateKeyPem);
        const certificate = new crypto.X509Certificate(first.certificatePem);
        const privateKey = crypto.createPrivateKey(first.privateKeyPem);
        expect(certificate.checkPrivateKey(privateKey)).to.equal(true);
        expect(certificate.verify(certificate.publicKey)).to.equal(true);
        expect(privateKey.asymmetricKeyDetails).to.deep.include({ modulusLength: 2048 });
        expect([certificate.subject, certificate.issuer, certificate.serialNumber]).to.deep.equal([
            "CN=okta-aws offline preview IdP",
            "CN=okta-aws offline preview IdP",
            "01",
        ]);
        expect([new Date(certificate.validFrom).toISOString(), new Date(certificate.validTo).toISOString()]).to.deep.equal([
            "2026-01-01T00:00:00.000Z",
            "2036-01-01T00:00:00.000Z",
        ]);
    });
});
