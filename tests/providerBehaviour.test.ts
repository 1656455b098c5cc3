// The providers' removal semantics (components/providerBehaviour.ts): every type the program
// registers has its entry; group rules take the memberships they made with them; and the access
// diff names what a removal, replacement or update leaves in AWS or Okta, and access that stays.
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { providerBehaviour } from "../components/providerBehaviour";
import { buildPlan } from "../tools/plan/build";
import { Plan } from "../tools/plan/model";
import { diffPlans } from "../tools/report/accessDiff";
import { accessDiffMarkdown, diffSummary } from "../tools/report/accessDiffMarkdown";
import { projectRoot, shippedPlan } from "./harness";

const keyFile = path.join(os.tmpdir(), `okta-aws-provider-behaviour-${process.pid}.json`);
const globex = path.join(projectRoot, "tests", "fixtures", "globex");

/** globex in group mapping mode, its team group's roles replaced by `teamRoles`, in a scratch folder. */
function globexGroupMapping(teamRoles: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-removal-"));
    for (const file of fs.readdirSync(globex)) {
        const text = fs
            .readFileSync(path.join(globex, file), "utf8")
            .replace("joinAllRoles: true }", "joinAllRoles: true, roleAssignment: groupMapping }")
            .replace("samlRoles: [Data-Analysts.Read@Lake, Data-Eng=Writers-Lake]", `samlRoles: [${teamRoles}]`);
        fs.writeFileSync(path.join(dir, file), text);
    }
    return dir;
}

const ruleOf = (plan: Plan) => plan.stacks.hub.resources.find((r) => r.type === "okta:group/rule:Rule")!;

describe("the providers' removal semantics (components/providerBehaviour.ts)", function () {
    this.timeout(120000);
    let both: Plan;
    let oneRole: Plan;
    before(async () => {
        both = (await buildPlan(globexGroupMapping("Data-Analysts.Read@Lake, Data-Eng=Writers-Lake"), keyFile)).plan;
        oneRole = (await buildPlan(globexGroupMapping("Data-Analysts.Read@Lake"), keyFile)).plan;
    });

    it("has an entry for every type the program registers, in both modes and with every option the fixtures use", async () => {
        const plans = [
            (await shippedPlan()).plan,
            both,
            (await buildPlan(globex, keyFile)).plan,
            (await buildPlan(path.join(projectRoot, "tests", "fixtures", "initech"), keyFile)).plan,
        ];
        const types = new Set(plans.flatMap((plan) => Object.values(plan.stacks).flatMap((stack) => stack.resources.map((r) => r.type))));
        const cloudTypes = [...types].filter((type) => !type.startsWith("okta-aws:") && !type.startsWith("pulumi:")).sort();
        expect(cloudTypes.filter((type) => !Object.hasOwn(providerBehaviour, type))).to.deep.equal([]);
    });

    it("issue 30 item 5: a team's group rule removes the memberships it made when it is replaced or deleted", () => {
        const rule = ruleOf(both);
        expect(rule.inputs).to.deep.include({ name: "aws-roles-aws-data-engineers", status: "ACTIVE", removeAssignedUsers: true });
        // Its target groups force a new rule (terraform-provider-okta resource_okta_group_rule.go).
        expect(providerBehaviour["okta:group/rule:Rule"].replacedBy).to.deep.equal(["groupAssignments"]);
        expect(ruleOf(oneRole).inputs.groupAssignments).to.not.deep.equal(rule.inputs.groupAssignments);
    });

    it("issue 30 item 5: a role dropped from a team is access lost, and really lost, once the rule removes what it added", () => {
        const diff = diffPlans(both, oneRole);
        expect(diff.lost.map((row) => `${row.principal} ${row.samlRole} via ${row.via ?? "-"}`)).to.deep.equal([
            "aws-data-engineers Data-Eng=Writers-Lake via -",
            "frank@globex.example Data-Eng=Writers-Lake via aws-data-engineers",
            "marge@globex.example Data-Eng=Writers-Lake via aws-data-engineers",
        ]);
        expect(diff.stays).to.deep.equal({ access: [], resources: [] });
    });

    it("issue 30 item 5: a rule deployed without removeAssignedUsers keeps its members: the diff says the access stays", () => {
        const deployedBefore = structuredClone(both);
        delete ruleOf(deployedBefore).inputs.removeAssignedUsers;
        const diff = diffPlans(deployedBefore, oneRole);
        // The team no longer brings the role to anyone who joins it; the people it brought keep it.
        expect(diff.lost.map((row) => `${row.principal} ${row.samlRole} via ${row.via ?? "-"}`)).to.deep.equal([
            "aws-data-engineers Data-Eng=Writers-Lake via -",
        ]);
        expect(diff.stays.access.map((row) => `${row.principal} ${row.samlRole} via ${row.via}`)).to.deep.equal([
            "frank@globex.example Data-Eng=Writers-Lake via aws-data-engineers",
            "marge@globex.example Data-Eng=Writers-Lake via aws-data-engineers",
        ]);
        expect(diff.stays.resources).to.deep.equal([
            {
                stack: "hub",
                urn: ruleOf(both).urn,
                change: "replaced",
                leaves: "the memberships the rule made in its target groups stay: Okta keeps the people it added",
            },
        ]);
        expect(diffSummary(diff)).to.match(
            /^\+0 access, −1 access \(aws-data-engineers → Data-Eng=Writers-Lake\), 2 access stays until removed by hand \(frank@globex\.example → Data-Eng=Writers-Lake \(via aws-data-engineers\), marge@globex\.example → Data-Eng=Writers-Lake \(via aws-data-engineers\)\), 1 left behind until removed by hand \(hub\/saml-role-assignments-aws-data-engineers-rule\), /,
        );
        const markdown = accessDiffMarkdown(diff, "main", "pr").split("\n");
        expect(markdown).to.include("### Stays until removed by hand");
        expect(markdown).to.include(
            `- \`${ruleOf(both).urn}\` (replaced in hub): the memberships the rule made in its target groups stay: Okta keeps the people it added`,
        );
    });

    it("a team removed entirely: its rule is deleted, and with removeAssignedUsers nothing stays", async () => {
        const dir = globexGroupMapping("Data-Analysts.Read@Lake, Data-Eng=Writers-Lake");
        const hub = path.join(dir, "Pulumi.hub.yaml");
        const text = fs.readFileSync(hub, "utf8");
        fs.writeFileSync(
            hub,
            text.slice(0, text.indexOf("  okta-aws:groups:")) +
                "  okta-aws:groups: []\n" +
                text.slice(text.indexOf("\n", text.indexOf("members: [frank")) + 1),
        );
        const noTeam = (await buildPlan(dir, keyFile)).plan;
        const diff = diffPlans(both, noTeam);
        expect(diff.stays).to.deep.equal({ access: [], resources: [] });
        expect(diff.lost.map((row) => `${row.principal} ${row.samlRole} via ${row.via ?? "-"}`)).to.include(
            "marge@globex.example Data-Eng=Writers-Lake via aws-data-engineers",
        );
    });

    it("an access key rotated, a policy updated: what stays in Okta and in IAM is named", async () => {
        const base = (await shippedPlan()).plan;
        const head: Plan = structuredClone(base);
        const rotation = head.stacks.identity.resources.find((r) => r.type === "random:index/randomId:RandomId")!;
        rotation.inputs.keepers = { keyRotation: "2027-01" };
        const policy = head.stacks.identity.resources.find((r) => r.name === "Sales-EC2-Admins-policy")!;
        policy.inputs.policy = (policy.inputs.policy as string).replace('"sts:SetSourceIdentity"', '"sts:TagSession"');
        const diff = diffPlans(base, head);
        expect(diff.stays.resources.map(({ urn, change }) => [urn.split("::").pop(), change])).to.deep.equal([
            ["Sales-EC2-Admins-policy", "updated"],
            [rotation.name, "replaced"],
        ]);
        expect(diff.stays.resources[0].leaves).to.contain("iam:SetDefaultPolicyVersion");
        expect(diff.stays.resources[1].leaves).to.contain("API integration");
    });
});
