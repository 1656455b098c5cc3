// Adopting an organisation built by hand from the guide (tests/fixtures/acme-guide: its stack files
// with okta-aws:adopt, and existing.json, what AWS and Okta hold before the first pulumi up): every
// existing object is imported by its documented id and nothing that exists is created; the changes
// the program then makes in place are exactly the guide's differences; the import file agrees with
// the import options; a wrong id, a name the guide did not use, or no adoption at all fails clearly.
import * as aws from "@pulumi/aws";
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { diffPlans } from "../tools/report/accessDiff";
import { diffSummary } from "../tools/report/accessDiffMarkdown";
import { importFileOf, ImportFileEntry } from "../tools/plan/importFile";
import { checkImport, ExistingObject, readExistingOrganisation } from "../tools/mock/existing";
import { buildPlan } from "../tools/plan/build";
import { Plan, StackPlan } from "../tools/plan/model";
import { policyVerdicts } from "../tools/report/policyPack";
import { SamlRoleAssignments } from "../components/samlRoleAssignments";
import { cloud, parsedPolicy, projectRoot, runPreview, settled, shippedPlan, testIdpKeyFile, useStack } from "./harness";

const guideDir = path.join(projectRoot, "tests", "fixtures", "acme-guide");
const keyCache = testIdpKeyFile;

/** The @pulumi/aws SDK's version: its plugin's, which the import file pins. */
const awsVersion = (JSON.parse(fs.readFileSync(require.resolve("@pulumi/aws/package.json"), "utf8")) as { version: string }).version;

const app = "0oa1acmeaws0guide0a7";
const john = "00u1johndoe00acme0a7";
const jane = "00u1janedye00acme0a7";

/** `name → import id` of a stack's adopted resources. */
function importsOf(plan: StackPlan): Record<string, string> {
    return Object.fromEntries(plan.resources.filter((r) => r.import !== undefined).map((r) => [r.name, r.import!]));
}

/** `type name` of a stack's custom resources that are created rather than imported. */
function createdOf(plan: StackPlan): string[] {
    return plan.resources
        .filter((r) => r.import === undefined && r.type.includes("/"))
        .map((r) => `${r.type} ${r.name}`)
        .sort();
}

/** A copy of the guide fixture with each stack's config edited. */
function editedGuide(edit: (stack: string, config: Record<string, unknown>) => void): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-guide-"));
    for (const file of fs.readdirSync(guideDir)) {
        const text = fs.readFileSync(path.join(guideDir, file), "utf8");
        const stack = /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1];
        if (!stack) {
            fs.writeFileSync(path.join(dir, file), text);
            continue;
        }
        const document = parse(text) as { config: Record<string, unknown> };
        edit(stack, document.config);
        fs.writeFileSync(path.join(dir, file), stringify(document));
    }
    return dir;
}

/** A copy of the guide fixture with its existing.json edited (and its stack files, when `editStack` is given). */
function guideWithExisting(
    edit: (existing: { aws: Record<string, ExistingObject[]>; okta: Record<string, ExistingObject[]> }) => void,
    editStack?: (stack: string, config: Record<string, unknown>) => void,
): string {
    const dir = editedGuide(editStack ?? (() => undefined));
    const file = path.join(dir, "existing.json");
    const existing = JSON.parse(fs.readFileSync(file, "utf8")) as Parameters<typeof edit>[0];
    edit(existing);
    fs.writeFileSync(file, JSON.stringify(existing));
    return dir;
}

/** The preview's failure message, which must fail. */
async function previewFailure(dir: string): Promise<string> {
    return buildPlan(dir, keyCache).then(
        () => expect.fail("the preview should fail"),
        (error: Error) => error.message,
    );
}

/** The URN `pulumi import` gives an import file entry: its parent's type chain, its type and name (import.go). */
function urnOfEntry(stack: string, entry: ImportFileEntry, entries: ImportFileEntry[]): string {
    const typeChain = (e: ImportFileEntry): string => {
        const parent = e.parent === undefined ? undefined : entries.find((other) => other.name === e.parent);
        return parent ? `${typeChain(parent)}$${e.type}` : e.type;
    };
    return `urn:pulumi:${stack}::okta-aws::${typeChain(entry)}::${entry.name}`;
}

describe("adopting the organisation the guide built by hand (tests/fixtures/acme-guide)", () => {
    let plan: Plan;
    before(async () => {
        ({ plan } = await buildPlan(guideDir, keyCache));
    });

    it("imports every existing object by the id its provider documents", () => {
        expect(importsOf(plan.stacks.sales)).to.deep.equal({
            "EC2_Admins-role": "EC2_Admins",
            "EC2_Admins-AmazonEC2FullAccess": "EC2_Admins/arn:aws:iam::aws:policy/AmazonEC2FullAccess",
        });
        expect(importsOf(plan.stacks.retail)).to.deep.equal({
            "EC2_Admins-role": "EC2_Admins",
            "S3_Admins-role": "S3_Admins",
            "EC2_Admins-AmazonEC2FullAccess": "EC2_Admins/arn:aws:iam::aws:policy/AmazonEC2FullAccess",
            "S3_Admins-AmazonS3FullAccess": "S3_Admins/arn:aws:iam::aws:policy/AmazonS3FullAccess",
        });
        expect(importsOf(plan.stacks.identity)).to.deep.equal({
            "okta-aws-app-app": app,
            "saml-provider-provider": "arn:aws:iam::671250594556:saml-provider/Okta",
            "Sales-EC2-Admins-role": "Sales-EC2-Admins",
            "Sales-EC2-Admins-policy": "arn:aws:iam::671250594556:policy/allow-assume-sales-ec2-admin-role",
            "Sales-EC2-Admins-policy-attachment": "Sales-EC2-Admins/arn:aws:iam::671250594556:policy/allow-assume-sales-ec2-admin-role",
            "Retail-EC2-Admins-role": "Retail-EC2-Admins",
            "Retail-EC2-Admins-policy": "arn:aws:iam::671250594556:policy/allow-assume-retail-ec2-admin-role",
            "Retail-EC2-Admins-policy-attachment": "Retail-EC2-Admins/arn:aws:iam::671250594556:policy/allow-assume-retail-ec2-admin-role",
            "Retail-S3-Admins-role": "Retail-S3-Admins",
            "Retail-S3-Admins-policy": "arn:aws:iam::671250594556:policy/allow-assume-retail-s3-admin-role",
            "Retail-S3-Admins-policy-attachment": "Retail-S3-Admins/arn:aws:iam::671250594556:policy/allow-assume-retail-s3-admin-role",
            "okta-sso-user-user": "OktaSSO",
            "saml-role-assignments-john@acmecorp.me-user": john,
            "saml-role-assignments-john@acmecorp.me-assignment": `${app}/${john}`,
            "saml-role-assignments-jane@acmecorp.me-user": jane,
            "saml-role-assignments-jane@acmecorp.me-assignment": `${app}/${jane}`,
        });
    });

    it("creates nothing that exists: only what the program alone makes, and all of the guide's objects but two are adopted", () => {
        // The audit's read-only role is new in every account.
        const auditRole = ["aws:iam/role:Role audit-role-role", "aws:iam/rolePolicy:RolePolicy audit-role-policy"];
        expect(createdOf(plan.stacks.sales)).to.deep.equal(auditRole);
        expect(createdOf(plan.stacks.retail)).to.deep.equal(auditRole);
        expect(createdOf(plan.stacks.identity)).to.deep.equal([
            "aws:iam/accessKey:AccessKey introspection-user-access-key",
            "aws:iam/accessKey:AccessKey okta-sso-user-access-key",
            "aws:iam/group:Group introspection-user-group",
            "aws:iam/group:Group okta-sso-user-group",
            "aws:iam/groupPolicy:GroupPolicy introspection-user-group-policy",
            "aws:iam/groupPolicy:GroupPolicy okta-sso-user-group-policy",
            ...auditRole,
            "aws:iam/user:User introspection-user-user",
            "aws:iam/userGroupMembership:UserGroupMembership introspection-user-membership",
            "aws:iam/userGroupMembership:UserGroupMembership okta-sso-user-membership",
            "okta:app/oAuth:OAuth okta-aws-cli-app-app",
            "okta:app/user:User saml-role-assignments-jane@acmecorp.me-cli-assignment",
            "okta:app/user:User saml-role-assignments-john@acmecorp.me-cli-assignment",
            "okta:index/appOauthApiScope:AppOauthApiScope okta-aws-cli-app-api-scopes",
            "okta:index/appSignonPolicy:AppSignonPolicy sign-on-policy-policy",
            "okta:index/appSignonPolicyRule:AppSignonPolicyRule sign-on-policy-deny-others",
            "okta:index/appSignonPolicyRule:AppSignonPolicyRule sign-on-policy-two-factors",
            "random:index/randomId:RandomId introspection-user-key-rotation",
            "random:index/randomId:RandomId okta-sso-user-key-rotation",
        ]);
        const existing = readExistingOrganisation(guideDir)!;
        const imported = new Set(Object.values(plan.stacks).flatMap((s) => s.resources.map((r) => `${r.type} ${r.import}`)));
        const notAdopted = [...Object.values(existing.aws), ...Object.values(existing.okta)]
            .flat()
            .filter((o) => !imported.has(`${o.type} ${o.id}`))
            .map((o) => `${o.type} ${o.id}`);
        expect(notAdopted).to.deep.equal([
            "aws:iam/userPolicy:UserPolicy OktaSSO:Okta-SSO-User-Policy",
            "aws:iam/accessKey:AccessKey AKIAIOSFODNN7EXAMPLE",
        ]);
    });

    it("lists the changes in place after the import: exactly where the program differs from the guide, nothing replaced", () => {
        const changes = (stack: string) =>
            Object.fromEntries(plan.stacks[stack].resources.filter((r) => r.importChanges?.length).map((r) => [r.name, r.importChanges]));
        const memberRole = ["assumeRolePolicy", "description"];
        expect(changes("sales")).to.deep.equal({ "EC2_Admins-role": memberRole });
        expect(changes("retail")).to.deep.equal({ "EC2_Admins-role": memberRole, "S3_Admins-role": memberRole });
        expect(changes("identity")).to.deep.equal({
            // Off Okta's default authentication policy, onto the program's.
            "okta-aws-app-app": ["appSettingsJson", "authenticationPolicy"],
            "Sales-EC2-Admins-role": ["assumeRolePolicy", "description"],
            "Sales-EC2-Admins-policy": ["policy"],
            "Retail-EC2-Admins-role": ["assumeRolePolicy", "description"],
            "Retail-EC2-Admins-policy": ["policy"],
            "Retail-S3-Admins-role": ["assumeRolePolicy", "description"],
            "Retail-S3-Admins-policy": ["policy"],
        });
        // The guide's root-only trust becomes the program's, narrowed to the named federated role.
        const trust = parsedPolicy(plan.stacks.sales.resources.find((r) => r.name === "EC2_Admins-role")!.inputs.assumeRolePolicy);
        expect(trust.Statement[0].Principal).to.deep.equal({ AWS: "arn:aws:iam::671250594556:root" });
        expect(trust.Statement[0].Condition).to.deep.equal({
            ArnEquals: { "aws:PrincipalArn": "arn:aws:iam::671250594556:role/Sales-EC2-Admins" },
        });
    });

    it("passes the policy pack: the guide's inline user policy is left alone, never managed as a policy on a user", () => {
        expect(policyVerdicts(plan).map((v) => [v.policy, v.violations])).to.deep.equal([
            ["member-role-trust", []],
            ["federated-role-trust", []],
            ["saml-provider-placement", []],
            ["assume-policy-scope", []],
            ["no-user-policies", []],
            ["access-keys-for-service-users", []],
            ["audit-role-read-only", []],
            ["app-sign-on-policy", []],
            ["emergency-roles-unassigned", []],
            ["identity-resources-protected", []],
        ]);
    });

    it("names what it leaves alone in the output, and adds retiring the hand-made key to the checklist", () => {
        const outputs = plan.stacks.identity.outputs as {
            adoption: { leftAlone: { object: string }[] };
            provisioning: { checklist: string[] };
        };
        expect(outputs.adoption.leftAlone.map((item) => item.object)).to.deep.equal([
            "IAM inline policy Okta-SSO-User-Policy of user OktaSSO",
            "IAM access keys of user OktaSSO made by hand",
            'the API integration (Provisioning tab) of the Okta app "Amazon Web Services"',
        ]);
        expect(outputs.provisioning.checklist.at(-1)).to.equal(
            "Once Test API Credentials passes with the new key, deactivate and delete the OktaSSO key made by hand (aws iam list-access-keys --user-name OktaSSO).",
        );
        expect(plan.stacks.sales.outputs).to.not.have.property("adoption");
    });

    it("changes no access: the access diff from the program's own organisation shows adoption only", async () => {
        const { plan: shipped } = await shippedPlan();
        const diff = diffPlans(shipped, plan);
        expect([diff.gained, diff.lost]).to.deep.equal([[], []]);
        expect(diff.stacks.sales.adopted).to.deep.equal([
            {
                urn: "urn:pulumi:sales::okta-aws::okta-aws:member:CrossAccountRole$aws:iam/role:Role::EC2_Admins-role",
                import: "EC2_Admins",
            },
            {
                urn: "urn:pulumi:sales::okta-aws::okta-aws:member:CrossAccountRole$aws:iam/rolePolicyAttachment:RolePolicyAttachment::EC2_Admins-AmazonEC2FullAccess",
                import: "EC2_Admins/arn:aws:iam::aws:policy/AmazonEC2FullAccess",
            },
        ]);
        expect(diffSummary(diff)).to.match(/^\+0 access, −0 access, .*2 adopted in sales \(imported, no change in access\)/);
    });

    it("writes an import file per stack that agrees with the import options", () => {
        for (const [stack, stackPlan] of Object.entries(plan.stacks)) {
            const file = importFileOf(stackPlan)!;
            const byUrn = new Map(stackPlan.resources.map((r) => [r.urn, r]));
            for (const entry of file.resources) {
                const resource = byUrn.get(urnOfEntry(stack, entry, file.resources));
                expect(resource, `${stack}: ${entry.name}`).to.not.equal(undefined);
                expect(entry.component ? undefined : entry.id).to.equal(resource!.import);
            }
            const imported = stackPlan.resources.filter((r) => r.import !== undefined).map((r) => r.urn);
            const entries = file.resources.filter((e) => !e.component).map((e) => urnOfEntry(stack, e, file.resources));
            expect(entries.sort()).to.deep.equal(imported.sort());
        }
        expect(importFileOf(plan.stacks.sales)).to.deep.equal({
            resources: [
                { type: "okta-aws:member:CrossAccountRole", name: "EC2_Admins", component: true },
                {
                    type: "aws:iam/role:Role",
                    name: "EC2_Admins-role",
                    id: "EC2_Admins",
                    version: awsVersion,
                    parent: "EC2_Admins",
                },
                {
                    type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
                    name: "EC2_Admins-AmazonEC2FullAccess",
                    id: "EC2_Admins/arn:aws:iam::aws:policy/AmazonEC2FullAccess",
                    version: awsVersion,
                    parent: "EC2_Admins",
                },
            ],
        });
    });

    it("previews with = import markers, to-import counts, the changes in place, and writes out/import/", async () => {
        const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-adopt-out-"));
        const { code, stdout } = await runPreview(["--config-dir", guideDir, "--out", outDir, "--no-verify", "--verbose"]);
        expect(code).to.equal(0);
        const lines = stdout.split("\n");
        expect(lines).to.include("Stack identity (identity, account 671250594556): 48 resources: 32 to create, 16 to import");
        expect(lines).to.include("       2 aws:iam/user:User (1 to create, 1 to import)");
        expect(lines).to.include("  Adoption: 4 existing objects imported (=), 2 of them then changed in place (~), none replaced");
        expect(lines.find((l) => l.includes(" EC2_Admins-role ") && l.includes("[import"))?.trim()).to.match(
            /^=\s+aws:iam\/role:Role\s+EC2_Admins-role {2}\[import EC2_Admins\] {2}\[then ~ assumeRolePolicy, description\]$/,
        );
        const written = JSON.parse(fs.readFileSync(path.join(outDir, "import", "identity.json"), "utf8")) as unknown;
        const planned = JSON.parse(fs.readFileSync(path.join(outDir, "plan.json"), "utf8")) as Plan;
        expect(written).to.deep.equal(importFileOf(planned.stacks.identity));
        expect(fs.readdirSync(path.join(outDir, "import")).sort()).to.deep.equal(["identity.json", "retail.json", "sales.json"]);
    });
});

describe("adopting the guide's organisation into group mapping", () => {
    it("imports the app, the people and the AWS objects, and leaves the OktaSSO user and the SAML User Roles alone", async () => {
        const dir = editedGuide((stack, config) => {
            if (stack === "identity") {
                Object.assign(config["okta-aws:oktaApp"] as Record<string, unknown>, { roleAssignment: "groupMapping" });
            }
        });
        const { plan } = await buildPlan(dir, keyCache);
        const imported = Object.keys(importsOf(plan.stacks.identity));
        expect(imported).to.include.members(["okta-aws-app-app", "saml-role-assignments-john@acmecorp.me-user", "Sales-EC2-Admins-role"]);
        expect(imported.filter((name) => name.startsWith("okta-sso-user") || name.endsWith("-assignment"))).to.deep.equal([]);
        const outputs = plan.stacks.identity.outputs as { adoption: { leftAlone: { object: string }[] } };
        expect(outputs.adoption.leftAlone.map((item) => item.object)).to.deep.equal([
            "IAM user OktaSSO with its inline policy Okta-SSO-User-Policy and access keys",
            'the SAML User Roles on people\'s assignments to the Okta app "Amazon Web Services"',
        ]);
    });
});

describe("SamlRoleAssignments adopting Okta users and groups", () => {
    it("imports users and groups with an oktaId and their assignments; uses a login-only user's id instead of looking it up", async () => {
        await useStack("identity");
        const ops = "00u1opsteam00acme0a7";
        const auditors = "00g1auditors0acme0a7";
        new SamlRoleAssignments("assign", {
            appId: app,
            cliAppId: "0oa1cliapp000acme0a7",
            adoptAppId: app,
            mode: "samlUserRoles",
            rolesImported: true,
            users: [
                { login: "john@acmecorp.me", firstName: "John", lastName: "Doe", oktaId: john, samlRoles: ["Sales-EC2-Admins"] },
                { login: "ops@acmecorp.me", oktaId: ops, samlRoles: ["Retail-S3-Admins"] },
                { login: "new@acmecorp.me", firstName: "New", lastName: "Hire", samlRoles: ["Retail-S3-Admins"] },
            ],
            groups: [{ name: "aws-auditors", oktaId: auditors, samlRoles: ["Retail-S3-Admins"], members: ["ops@acmecorp.me"] }],
        });
        await settled();
        expect(cloud.calls).to.deep.equal([]);
        expect(Object.fromEntries(cloud.resources.filter((r) => r.custom).map((r) => [r.name, r.importId ?? "+ create"]))).to.deep.equal({
            "assign-john@acmecorp.me-user": john,
            "assign-john@acmecorp.me-assignment": `${app}/${john}`,
            "assign-john@acmecorp.me-cli-assignment": "+ create",
            "assign-ops@acmecorp.me-assignment": `${app}/${ops}`,
            "assign-ops@acmecorp.me-cli-assignment": "+ create",
            "assign-new@acmecorp.me-user": "+ create",
            "assign-new@acmecorp.me-assignment": "+ create",
            "assign-new@acmecorp.me-cli-assignment": "+ create",
            "assign-aws-auditors-group": auditors,
            "assign-aws-auditors-assignment": `${app}/${auditors}`,
            "assign-aws-auditors-cli-assignment": "+ create",
            "assign-aws-auditors-members": "+ create",
        });
        const opsAssignment = cloud.resources.find((r) => r.name === "assign-ops@acmecorp.me-assignment")!;
        expect(opsAssignment.inputs.userId).to.equal(ops);
    });
});

describe("adoption that cannot work fails the preview, naming the resource", () => {
    it("without okta-aws:adopt, the first create collides with what the guide built", async () => {
        const dir = editedGuide((stack, config) => {
            delete config["okta-aws:adopt"];
            if (stack === "identity") {
                // The app's id stays: with the roles imported it says where the integration's credentials are read.
                for (const user of config["okta-aws:users"] as Record<string, unknown>[]) {
                    delete user.oktaId;
                }
            }
        });
        await buildPlan(dir, keyCache).then(
            () => expect.fail("the preview should fail"),
            (error: Error) =>
                expect(error.message).to.contain(
                    'mock cloud: EC2_Admins-role (aws:iam/role:Role): creating "EC2_Admins" fails: "EC2_Admins" exists already (set okta-aws:adopt to import it)',
                ),
        );
    });

    it("a policy name the guide did not use imports nothing", async () => {
        const dir = editedGuide((stack, config) => {
            if (stack === "sales") {
                delete (config["okta-aws:crossAccountRoles"] as Record<string, unknown>[])[0].assumePolicyName;
            }
        });
        await buildPlan(dir, keyCache).then(
            () => expect.fail("the preview should fail"),
            (error: Error) =>
                expect(error.message).to.contain(
                    'mock cloud: Sales-EC2-Admins-policy (aws:iam/policy:Policy): importing "arn:aws:iam::671250594556:policy/allow-assume-sales-ec2-admins-role": no such object exists',
                ),
        );
    });

    it("an import id in the wrong format", async () => {
        await useStack("probe");
        const role = new aws.iam.Role(
            "guide-role",
            { name: "EC2_Admins", assumeRolePolicy: "{}" },
            { import: "arn:aws:iam::111111111111:role/EC2_Admins" },
        );
        await (role.urn as unknown as { promise(): Promise<string> }).promise().then(
            () => expect.fail("the registration should fail"),
            (error: Error) =>
                expect(error.message).to.equal(
                    'failed to register new resource guide-role [aws:iam/role:Role]: mock cloud: guide-role (aws:iam/role:Role): import id "arn:aws:iam::111111111111:role/EC2_Admins" is not in the documented format <role name>',
                ),
        );
    });

    // Issue 32 item 7: the update after an import sends the whole object the provider builds, so
    // adoption is judged on every attribute of the live object, not only the keys the program sends.
    it("an adopted Okta user whose profile holds more than the program sets: refused, naming each attribute the full-profile update would clear", async () => {
        const dir = guideWithExisting((existing) => {
            const johnUser = existing.okta["acmecorp.okta.com"].find((o) => o.id === john)!;
            Object.assign(johnUser.inputs, { department: "Sales", title: "Engineer", managerId: "00u1boss000000acme0a7", mobilePhone: "" });
        });
        const message = await previewFailure(dir);
        const reason =
            "adopting saml-role-assignments-john@acmecorp.me-user (okta:user/user:User): the update after the import would clear it: the provider updates a user with a full-profile PUT built from the configured attributes only (populateUserProfile), which clears every other profile attribute. Give the user no firstName and lastName in the stack file: the program then looks the existing user up and assigns them, and never updates their profile";
        expect(message.split("\n").filter((line) => line.startsWith("  existing.json:"))).to.deep.equal([
            `  existing.json: ${john}.inputs.department: "Sales" — ${reason}`,
            `  existing.json: ${john}.inputs.managerId: "00u1boss000000acme0a7" — ${reason}`,
            `  existing.json: ${john}.inputs.title: "Engineer" — ${reason}`,
        ]);
        // The way out: John looked up by his login, his profile never written.
        const lookedUp = guideWithExisting(
            (existing) => {
                const johnUser = existing.okta["acmecorp.okta.com"].find((o) => o.id === john)!;
                Object.assign(johnUser.inputs, { department: "Sales", title: "Engineer" });
            },
            (stack, config) => {
                if (stack === "identity") {
                    const person = (config["okta-aws:users"] as Record<string, unknown>[]).find((u) => u.login === "john@acmecorp.me")!;
                    delete person.firstName;
                    delete person.lastName;
                }
            },
        );
        const { plan: adopted } = await buildPlan(lookedUp, keyCache);
        expect(adopted.stacks.identity.resources.filter((r) => r.type === "okta:user/user:User").map((r) => r.import)).to.deep.equal([
            jane,
        ]);
    });

    it("an adopted app whose settings differ from the provider's defaults: refused, naming each setting the update would reset, with every other refusal at once", async () => {
        const dir = guideWithExisting((existing) => {
            const guideApp = existing.okta["acmecorp.okta.com"].find((o) => o.id === app)!;
            Object.assign(guideApp.inputs, { hideWeb: true, userNameTemplate: "${source.email}", accessibilitySelfService: true });
            // Refused with the app, every problem at once.
            existing.okta["acmecorp.okta.com"].find((o) => o.id === jane)!.inputs.title = "Analyst";
        });
        const message = await previewFailure(dir);
        const reset = (key: string, value: string, to: string) =>
            `  existing.json: ${app}.inputs.${key}: ${value} — adopting okta-aws-app-app (okta:app/saml:Saml): the program does not set ${key}, so the update after the import would reset it to the provider's default ${to}. Set it to the provider's default in Okta before adopting, since the program manages the object with that value`;
        expect(message.split("\n").filter((line) => line.startsWith("  existing.json:"))).to.deep.equal([
            `  existing.json: ${jane}.inputs.title: "Analyst" — adopting saml-role-assignments-jane@acmecorp.me-user (okta:user/user:User): the update after the import would clear it: the provider updates a user with a full-profile PUT built from the configured attributes only (populateUserProfile), which clears every other profile attribute. Give the user no firstName and lastName in the stack file: the program then looks the existing user up and assigns them, and never updates their profile`,
            reset("accessibilitySelfService", "true", "false"),
            reset("hideWeb", "true", "false"),
            reset("userNameTemplate", '"${source.email}"', '"${source.login}"'),
        ]);
        expect(message.split("\n")[0]).to.equal("Invalid stack configuration (4 problems):");
    });

    it("an adopted IAM role whose path is not /: refused, as the update would replace it", async () => {
        const dir = guideWithExisting((existing) => {
            const role = existing.aws["881102293469"].find((o) => o.type === "aws:iam/role:Role")!;
            role.inputs.path = "/teams/";
        });
        expect(await previewFailure(dir)).to.contain(
            '  existing.json: EC2_Admins.inputs.path: "/teams/" — adopting EC2_Admins-role (aws:iam/role:Role): the update after the import would replace it (path forces a new object: "/"), deleting what exists. IAM cannot move a role or policy to another path: recreate it at path / by hand before adopting, or give the program\'s object another name and retire this one by hand',
        );
    });

    const existingApp: ExistingObject = {
        type: "okta:app/saml:Saml",
        id: app,
        inputs: { label: "AWS", preconfiguredApp: "amazon_aws" },
    };

    it("an import the update after it would replace", () => {
        const request = { type: "okta:app/saml:Saml", name: "okta-aws-app-app", importId: app, ignoreChanges: [] };
        expect(
            checkImport({ ...request, inputs: { label: "Amazon Web Services", preconfiguredApp: "amazon_aws" } }, [existingApp]),
        ).to.deep.equal(["label"]);
        expect(() => checkImport({ ...request, inputs: { label: "AWS", preconfiguredApp: "aws_console" } }, [existingApp])).to.throw(
            `existing.json: ${app}.inputs.preconfiguredApp: "amazon_aws" — adopting okta-aws-app-app (okta:app/saml:Saml): the update after the import would replace it (preconfiguredApp forces a new object: "aws_console"), deleting what exists. Give the existing object's value in the stack file, or leave it out of adoption`,
        );
    });

    it("a policy's description, which IAM cannot change, never counts (ignoreChanges)", () => {
        const policy: ExistingObject = {
            type: "aws:iam/policy:Policy",
            id: "arn:aws:iam::671250594556:policy/allow-assume-sales-ec2-admin-role",
            inputs: { name: "allow-assume-sales-ec2-admin-role", description: "typed by hand", policy: '{"Version":"2012-10-17"}' },
        };
        const request = {
            type: policy.type,
            name: "Sales-EC2-Admins-policy",
            importId: policy.id,
            inputs: {
                name: "allow-assume-sales-ec2-admin-role",
                description: "Allows switching into …",
                policy: '{ "Version": "2012-10-17" }',
            },
        };
        expect(checkImport({ ...request, ignoreChanges: ["description"] }, [policy])).to.deep.equal([]);
        expect(() => checkImport({ ...request, ignoreChanges: [] }, [policy])).to.throw(
            'existing.json: arn:aws:iam::671250594556:policy/allow-assume-sales-ec2-admin-role.inputs.description: "typed by hand" — adopting Sales-EC2-Admins-policy (aws:iam/policy:Policy): the update after the import would replace it (description forces a new object: "Allows switching into …")',
        );
    });
});
