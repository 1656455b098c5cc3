// Group mapping (`okta-aws:oktaApp.roleAssignment: groupMapping`): Okta's group filter capture
// syntax against Okta's own examples, the role groups, memberships and group rules the program
// registers, and the globex organisation in both modes with the same access and a passing
// verification. Session tags are proved on the same organisation.
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { captureRole, defaultGroupFilter, groupFilterRegExp, roleGroupName, roleValuesFromGroups } from "../components/groupFilter";
import { roleValuePattern } from "../components/names";
import { mockIdpKey } from "../tools/mock/idp";
import { mockOktaId } from "../tools/mock/providers";
import { buildPlan } from "../tools/plan/build";
import { Plan } from "../tools/plan/model";
import { verifyPlan } from "../tools/verification/checks";
import { Check, checkPassed } from "../tools/verification/simulator";
import { projectRoot } from "./harness";

const keyFile = path.join(os.tmpdir(), `okta-aws-group-mapping-${process.pid}.json`);
const globex = path.join(projectRoot, "tests", "fixtures", "globex");

/** globex with its identity stack's `okta-aws:oktaApp` extended by `extra`, in a scratch folder. */
function globexWith(extra: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-globex-"));
    for (const file of fs.readdirSync(globex)) {
        const text = fs.readFileSync(path.join(globex, file), "utf8");
        fs.writeFileSync(path.join(dir, file), text.replace("joinAllRoles: true }", `joinAllRoles: true, ${extra} }`));
    }
    return dir;
}

describe("Okta's group filter syntax (help.okta.com, Enable group-based role mapping)", () => {
    it("the aws#[account alias]#[role name]#[account #] example captures role and account id", () => {
        const filter = "^aws\\#\\S+\\#(?{{role}}[\\w\\-]+)\\#(?{{accountid}}\\d+)$";
        expect(captureRole(filter, "aws#acme-prod#Developer#123456789012")).to.deep.equal({ accountid: "123456789012", role: "Developer" });
        expect(captureRole(filter, "aws#acme-prod#Developer")).to.equal(undefined);
        expect(captureRole(filter, "gcp#acme-prod#Developer#123456789012")).to.equal(undefined);
    });

    it("the aws_<account id>_<role> example captures IAM's special characters and matches whole names only", () => {
        expect(defaultGroupFilter).to.equal("aws_(?{{accountid}}\\d+)_(?{{role}}[a-zA-Z0-9+=,.@\\-_]+)");
        expect(captureRole(defaultGroupFilter, "aws_098765432109_Data-Eng=Writers-Lake")).to.deep.equal({
            accountid: "098765432109",
            role: "Data-Eng=Writers-Lake",
        });
        expect(captureRole(defaultGroupFilter, "aws_098765432109_Prod-Ops+Admins")?.role).to.equal("Prod-Ops+Admins");
        expect(captureRole(defaultGroupFilter, "xaws_098765432109_Admins")).to.equal(undefined);
        expect(captureRole(defaultGroupFilter, "aws_098765432109_Team Admins")).to.equal(undefined);
        expect(() => groupFilterRegExp("aws_(?{{role}}\\w+)")).to.throw("must capture (?{{accountid}}…) and (?{{role}}…)");
    });

    it("renders the role value pattern from the captured parts, one value per matching group", () => {
        const groups = [roleGroupName("671250594556", "Retail-EC2-Admins"), "Everyone", "aws_671250594556_Sales-EC2-Admins"];
        expect(roleValuesFromGroups(groups, defaultGroupFilter, roleValuePattern("aws", "Okta"))).to.deep.equal([
            "arn:aws:iam::671250594556:saml-provider/Okta,arn:aws:iam::671250594556:role/Retail-EC2-Admins",
            "arn:aws:iam::671250594556:saml-provider/Okta,arn:aws:iam::671250594556:role/Sales-EC2-Admins",
        ]);
    });
});

describe("globex in groupMapping mode", function () {
    this.timeout(120000);
    let userRoles: Plan;
    let groupMapping: Plan;
    let checks: Check[];
    before(async () => {
        userRoles = (await buildPlan(globexWith("rolesImported: true, id: 0oa1globexaws00000a7"), keyFile)).plan;
        groupMapping = (await buildPlan(globexWith("roleAssignment: groupMapping, sessionTags: true"), keyFile)).plan;
        checks = await verifyPlan(groupMapping, mockIdpKey(keyFile).privateKeyPem);
    });

    const hubResources = (plan: Plan, type: string) => plan.stacks.hub.resources.filter((r) => r.type === type);

    it("verifies SAML User Roles too once the roles are imported (the app's settings are then a secret)", async () => {
        const app = userRoles.stacks.hub.resources.find((r) => r.type === "okta:app/saml:Saml")!;
        expect(app.inputs.appSettingsJson).to.equal("[secret]");
        const userRoleChecks = await verifyPlan(userRoles, mockIdpKey(keyFile).privateKeyPem);
        expect(userRoleChecks.filter((c) => !checkPassed(c))).to.deep.equal([]);
        expect(userRoleChecks.filter((c) => c.step === "SAML sign-in" && c.expected === "allowed").map((c) => c.subject)).to.deep.equal(
            checks.filter((c) => c.step === "SAML sign-in" && c.expected === "allowed").map((c) => c.subject),
        );
    });

    it("gives the same access, CLI profiles and switch-role links as SAML User Roles", () => {
        expect(groupMapping.access).to.deep.equal(userRoles.access);
        for (const output of ["samlRolesByUser", "awsCliProfiles", "switchRoleLinks"]) {
            expect(groupMapping.stacks.hub.outputs[output], output).to.deep.equal(userRoles.stacks.hub.outputs[output]);
        }
    });

    it("turns group mapping on with Okta-mastered groups only, and assigns the app to one group per role", () => {
        const settings = JSON.parse(hubResources(groupMapping, "okta:app/saml:Saml")[0].inputs.appSettingsJson as string) as Record<
            string,
            unknown
        >;
        expect(settings).to.deep.include({ useGroupMapping: true, appFilter: "okta", groupFilter: defaultGroupFilter });
        const roleGroups = hubResources(groupMapping, "okta:group/group:Group")
            .map((r) => r.inputs.name as string)
            .filter((name) => name.startsWith("aws_"));
        expect(roleGroups).to.deep.equal(Object.values(groupMapping.stacks.hub.outputs.roleGroups as Record<string, string>));
        expect(roleGroups.sort()).to.deep.equal([
            "aws_098765432109_Data-Analysts.Read@Lake",
            "aws_098765432109_Data-Eng=Writers-Lake",
            "aws_098765432109_Dev-Deployers",
            "aws_098765432109_Prod-Ops+Admins",
        ]);
        // The AWS app and the CLI app, each to every role group, with unique priorities from 1.
        const assignments = hubResources(groupMapping, "okta:app/groupAssignment:GroupAssignment");
        expect(assignments).to.have.length(4);
        expect(assignments.map((a) => a.inputs.priority).sort()).to.deep.equal([1, 2, 3, 4]);
        expect(assignments.filter((a) => a.inputs.profile !== undefined)).to.deep.equal([]);
        // No per-person assignment of the AWS app, and no role-listing IAM user: nothing to import.
        expect(hubResources(groupMapping, "okta:app/user:User")).to.deep.equal([]);
        expect(hubResources(groupMapping, "aws:iam/user:User").map((r) => r.inputs.name)).to.deep.equal([]);
        expect(groupMapping.stacks.hub.outputs).to.not.have.property("provisioning");
        expect(hubResources(userRoles, "aws:iam/user:User").map((r) => r.inputs.name)).to.deep.equal(["okta-role-reader"]);
    });

    it("puts people in their roles' groups and adds team members through a group rule", () => {
        const memberships = hubResources(groupMapping, "okta:index/groupMemberships:GroupMemberships").map((r) => r.name);
        expect(memberships.sort()).to.deep.equal([
            "saml-role-assignments-aws-data-engineers-members",
            "saml-role-assignments-role-Data-Analysts.Read@Lake-members",
            "saml-role-assignments-role-Dev-Deployers-members",
            "saml-role-assignments-role-Prod-Ops+Admins-members",
        ]);
        const [rule] = hubResources(groupMapping, "okta:group/rule:Rule");
        expect(rule.name).to.equal("saml-role-assignments-aws-data-engineers-rule");
        expect(rule.inputs).to.deep.include({
            name: "aws-roles-aws-data-engineers",
            status: "ACTIVE",
            expressionType: "urn:okta:expression:1.0",
        });
        expect(rule.inputs.expressionValue).to.match(/^isMemberOfAnyGroup\("00g\w+"\)$/);
        // The team's two roles' groups, by the names the mock's ids stand for.
        const groupNames = new Map(
            hubResources(groupMapping, "okta:group/group:Group").map((g) => [mockOktaId("00g", g.inputs.name as string), g.inputs.name]),
        );
        expect((rule.inputs.groupAssignments as string[]).map((id) => groupNames.get(id)).sort()).to.deep.equal([
            "aws_098765432109_Data-Analysts.Read@Lake",
            "aws_098765432109_Data-Eng=Writers-Lake",
        ]);
    });

    it("verifies every sign-in from the group names through the app's own filter and pattern, session tags included", () => {
        expect(checks.filter((c) => !checkPassed(c))).to.deep.equal([]);
        const signIn = checks.find((c) => c.step === "SAML sign-in" && c.subject === "marge@globex.example")!;
        expect(signIn.actual).to.equal("allowed");
        const tagged = checks.filter((c) => c.step === "AssumeRoleWithSAML" && c.expected === "allowed");
        expect(tagged).to.not.deep.equal([]);
        expect(tagged.filter((c) => !c.request.includes("sts:TagSession"))).to.deep.equal([]);
    });

    it("fails the sign-in when a role group's name escapes the app's group filter", async () => {
        const broken = structuredClone(groupMapping);
        const app = broken.stacks.hub.resources.find((r) => r.type === "okta:app/saml:Saml")!;
        app.inputs.appSettingsJson = JSON.stringify({
            ...(JSON.parse(app.inputs.appSettingsJson as string) as object),
            groupFilter: "^aws\\#\\S+\\#(?{{role}}[\\w\\-]+)\\#(?{{accountid}}\\d+)$",
        });
        const failed = (await verifyPlan(broken, mockIdpKey(keyFile).privateKeyPem)).filter((c) => !checkPassed(c));
        expect(failed.map((c) => c.step)).to.include("SAML sign-in");
        expect(failed[0].reason).to.include("does not match the group filter");
    });

    it("fails a tagged sign-in when the trust does not allow sts:TagSession", async () => {
        const broken = structuredClone(groupMapping);
        for (const role of broken.stacks.hub.resources.filter((r) => r.type === "aws:iam/role:Role")) {
            role.inputs.assumeRolePolicy = (role.inputs.assumeRolePolicy as string).replace(
                '["sts:SetSourceIdentity","sts:TagSession"]',
                '"sts:SetSourceIdentity"',
            );
        }
        const failed = (await verifyPlan(broken, mockIdpKey(keyFile).privateKeyPem)).filter((c) => !checkPassed(c));
        expect(failed).to.not.deep.equal([]);
        expect(failed.filter((c) => c.step !== "AssumeRoleWithSAML" || c.actual !== "denied")).to.deep.equal([]);
    });
});
