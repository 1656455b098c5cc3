// Every AWS call of every organisation the tests build, sent to moto_server (an AWS API emulator)
// as the AWS provider would send it on a first `pulumi up`: AWS's own validation, not ours.
import { GetSAMLProviderCommand, ListSAMLProvidersCommand } from "@aws-sdk/client-iam";
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { readExistingOrganisation } from "../tools/mock/existing";
import { buildPlan } from "../tools/plan/build";
import type { Plan } from "../tools/plan/model";
import { scaleSizes, writeScaleOrganisation } from "../tools/bench/scaleOrganisation";
import { rehearsePlan, SentCall } from "./awsRehearsal";
import { projectRoot } from "./harness";
import { motoIamClient, useMotoServer } from "./servers/moto";

const fixtures = path.join(projectRoot, "tests", "fixtures");
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-rehearsal-"));

/** The organisations of tests/fixtures (every folder of stack files but the bad-case corpus). */
const fixtureOrganisations = fs
    .readdirSync(fixtures)
    .filter((name) => name !== "bad" && fs.readdirSync(path.join(fixtures, name)).some((f) => /^Pulumi\..+\.yaml$/.test(f)))
    .sort();

/** The customer managed policies a fixture attaches by ARN without creating them (they exist beforehand). */
const assumedPolicies: Record<string, string[]> = { globex: ["arn:aws:iam::012345678901:policy/deploy/ci-extras"] };

/** A copy of a fixture organisation with its identity stack's `okta-aws:oktaApp` extended by `extra`. */
function variantOf(fixture: string, extra: string): string {
    const dir = fs.mkdtempSync(path.join(scratch, `${fixture}-`));
    for (const file of fs.readdirSync(path.join(fixtures, fixture))) {
        const text = fs.readFileSync(path.join(fixtures, fixture, file), "utf8");
        fs.writeFileSync(path.join(dir, file), text.replace("joinAllRoles: true }", `joinAllRoles: true, ${extra} }`));
    }
    return dir;
}

function scaleOrganisationDir(): string {
    const dir = fs.mkdtempSync(path.join(scratch, "scale-S-"));
    writeScaleOrganisation(dir, scaleSizes.S);
    return dir;
}

/** The plan's AWS resources that no call was sent for, as `<stack> <type> <name>`. */
function unrehearsed(plan: Plan, calls: SentCall[]): string[] {
    const sent = new Set(calls.map((c) => `${c.stack} ${c.resource}`));
    return Object.entries(plan.stacks).flatMap(([stack, { resources }]) =>
        resources
            .filter((r) => r.type.startsWith("aws:"))
            .map((r) => `${stack} ${r.type} ${r.name}`)
            .filter((key) => !sent.has(key)),
    );
}

/** `operation` → how many times, over the whole rehearsal. */
function operationCounts(calls: { operation: string }[]): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const { operation } of calls) {
        counts[operation] = (counts[operation] ?? 0) + 1;
    }
    return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

describe("AWS rehearsal against moto_server @slow", function () {
    this.timeout(120000);
    const moto = useMotoServer();
    const keyCache = path.join(scratch, "idp-key.json");
    let shipped: Plan;
    before(async () => {
        shipped = (await buildPlan(projectRoot, keyCache)).plan;
    });
    after(() => {
        fs.rmSync(scratch, { recursive: true, force: true });
    });

    it("the shipped organisation: every call accepted, exactly the calls its AWS resources need", async () => {
        const { calls, refused, assumed } = await rehearsePlan(shipped, moto());
        expect(refused).to.deep.equal([]);
        expect(assumed).to.deep.equal([]);
        expect(operationCounts(calls)).to.deep.equal({
            AddUserToGroup: 2,
            AttachRolePolicy: 6,
            CreateAccessKey: 2,
            CreateGroup: 2,
            CreatePolicy: 3,
            CreateRole: 9,
            CreateSAMLProvider: 1,
            CreateUser: 2,
            PutGroupPolicy: 2,
            PutRolePolicy: 3,
            UpdateAssumeRolePolicy: 9,
        });
        expect(calls.filter((c) => c.stack === "retail").map((c) => `${c.operation} ${c.resource}`)).to.deep.equal([
            "CreateRole aws:iam/role:Role audit-role-role",
            "UpdateAssumeRolePolicy aws:iam/role:Role audit-role-role",
            "CreateRole aws:iam/role:Role EC2_Admins-role",
            "UpdateAssumeRolePolicy aws:iam/role:Role EC2_Admins-role",
            "CreateRole aws:iam/role:Role S3_Admins-role",
            "UpdateAssumeRolePolicy aws:iam/role:Role S3_Admins-role",
            "PutRolePolicy aws:iam/rolePolicy:RolePolicy audit-role-policy",
            "AttachRolePolicy aws:iam/rolePolicyAttachment:RolePolicyAttachment EC2_Admins-AmazonEC2FullAccess",
            "AttachRolePolicy aws:iam/rolePolicyAttachment:RolePolicyAttachment S3_Admins-AmazonS3FullAccess",
        ]);
    });

    for (const fixture of fixtureOrganisations.filter((name) => name !== "hooli")) {
        it(`tests/fixtures/${fixture}: every call accepted`, async () => {
            const dir = path.join(fixtures, fixture);
            const { plan } = await buildPlan(dir, keyCache);
            const { calls, refused, assumed } = await rehearsePlan(plan, moto(), readExistingOrganisation(dir));
            expect(refused).to.deep.equal([]);
            expect(unrehearsed(plan, calls)).to.deep.equal([]);
            expect(assumed).to.deep.equal(assumedPolicies[fixture] ?? []);
        });
    }

    it("tests/fixtures/hooli (direct sign-in): each direct member's SAML provider in its own account, none in the chained one, every call accepted", async () => {
        const { plan } = await buildPlan(path.join(fixtures, "hooli"), keyCache);
        const { calls, refused, assumed } = await rehearsePlan(plan, moto());
        expect(refused).to.deep.equal([]);
        expect(assumed).to.deep.equal([]);
        expect(unrehearsed(plan, calls)).to.deep.equal([]);
        // Each account's providers as IAM lists them after the rehearsal, with the metadata each holds.
        const providers: Record<string, string[]> = {};
        const metadata = new Set<string>();
        for (const { accountId } of Object.values(plan.stacks)) {
            const iam = motoIamClient(moto().endpoint, accountId);
            const { SAMLProviderList = [] } = await iam.send(new ListSAMLProvidersCommand({}));
            providers[accountId] = SAMLProviderList.map((p) => p.Arn!).sort();
            for (const { Arn } of SAMLProviderList) {
                metadata.add((await iam.send(new GetSAMLProviderCommand({ SAMLProviderArn: Arn }))).SAMLMetadataDocument!);
            }
            iam.destroy();
        }
        expect(providers).to.deep.equal({
            "141421356237": ["arn:aws:iam::141421356237:saml-provider/Okta"],
            "161803398874": ["arn:aws:iam::161803398874:saml-provider/Okta"],
            "173205080756": ["arn:aws:iam::173205080756:saml-provider/Okta"],
            "223606797749": [],
        });
        // One metadata document, the Okta app's, in every account.
        expect(metadata.size).to.equal(1);
        // The provider before the roles that trust it, in each direct member.
        expect(
            calls
                .filter((c) => c.stack === "search")
                .map((c) => `${c.operation} ${c.resource}`)
                .slice(0, 3),
        ).to.deep.equal([
            "CreateSAMLProvider aws:iam/samlProvider:SamlProvider saml-provider-provider",
            "CreateRole aws:iam/role:Role audit-role-role",
            "UpdateAssumeRolePolicy aws:iam/role:Role audit-role-role",
        ]);
    });

    it("globex in groupMapping mode with session tags: every call accepted", async () => {
        const { plan } = await buildPlan(variantOf("globex", "roleAssignment: groupMapping, sessionTags: true"), keyCache);
        const { calls, refused } = await rehearsePlan(plan, moto());
        expect(refused).to.deep.equal([]);
        expect(unrehearsed(plan, calls)).to.deep.equal([]);
        // Group mapping needs no role-listing user.
        expect(calls.filter((c) => c.operation === "CreateUser")).to.deep.equal([]);
    });

    it("the benchmark's S organisation: every call accepted", async () => {
        const { plan } = await buildPlan(scaleOrganisationDir(), keyCache);
        const { calls, refused } = await rehearsePlan(plan, moto());
        expect(refused).to.deep.equal([]);
        expect(unrehearsed(plan, calls)).to.deep.equal([]);
    });

    it("adopting the guide's organisation reads each object by its import id and updates it in place", async () => {
        const dir = path.join(fixtures, "acme-guide");
        const { plan } = await buildPlan(dir, keyCache);
        const { calls } = await rehearsePlan(plan, moto(), readExistingOrganisation(dir));
        const retail = calls.filter((c) => c.stack === "retail").map((c) => `${c.operation} ${c.resource}`);
        expect(retail).to.deep.equal([
            // The audit's role is new: created, not adopted.
            "CreateRole aws:iam/role:Role audit-role-role",
            "UpdateAssumeRolePolicy aws:iam/role:Role audit-role-role",
            "GetRole aws:iam/role:Role EC2_Admins-role",
            "UpdateAssumeRolePolicy aws:iam/role:Role EC2_Admins-role",
            "UpdateRoleDescription aws:iam/role:Role EC2_Admins-role",
            "GetRole aws:iam/role:Role S3_Admins-role",
            "UpdateAssumeRolePolicy aws:iam/role:Role S3_Admins-role",
            "UpdateRoleDescription aws:iam/role:Role S3_Admins-role",
            "PutRolePolicy aws:iam/rolePolicy:RolePolicy audit-role-policy",
            "ListAttachedRolePolicies aws:iam/rolePolicyAttachment:RolePolicyAttachment EC2_Admins-AmazonEC2FullAccess",
            "ListAttachedRolePolicies aws:iam/rolePolicyAttachment:RolePolicyAttachment S3_Admins-AmazonS3FullAccess",
        ]);
    });

    it("reports what moto refuses, with the API's error: an unknown managed policy, a trust with a permission action", async () => {
        const tampered = structuredClone(shipped);
        const retail = tampered.stacks.retail.resources;
        retail.find((r) => r.name === "S3_Admins-AmazonS3FullAccess")!.inputs.policyArn = "arn:aws:iam::aws:policy/AmazonS3FullAccessTypo";
        const role = retail.find((r) => r.name === "EC2_Admins-role")!;
        role.inputs.assumeRolePolicy = (role.inputs.assumeRolePolicy as string).replace('"sts:AssumeRole",', '"s3:GetObject",');
        const { refused } = await rehearsePlan(tampered, moto());
        expect(refused).to.deep.equal([
            {
                stack: "retail",
                accountId: "253541269580",
                resource: "aws:iam/role:Role EC2_Admins-role",
                operation: "UpdateAssumeRolePolicy",
                error: "MalformedPolicyDocumentException: Trust Policy statement actions can only be sts:AssumeRole, sts:AssumeRoleWithSAML,  and sts:AssumeRoleWithWebIdentity",
            },
            {
                stack: "retail",
                accountId: "253541269580",
                resource: "aws:iam/rolePolicyAttachment:RolePolicyAttachment S3_Admins-AmazonS3FullAccess",
                operation: "AttachRolePolicy",
                error: "NoSuchEntityException: Policy arn:aws:iam::aws:policy/AmazonS3FullAccessTypo does not exist or is not attachable.",
            },
        ]);
    });
});
