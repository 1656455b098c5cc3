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

const initech = path.join(projectRoot, "tests", "fixtures", "initech");

/** initech in a scratch folder, each stack file's text edited (by stack name). */
function initechEdited(edits: Record<string, (text: string) => string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-rename-"));
    fs.cpSync(initech, dir, { recursive: true });
    for (const [stack, edit] of Object.entries(edits)) {
        const file = path.join(dir, `Pulumi.${stack}.yaml`);
        const text = fs.readFileSync(file, "utf8");
        const edited = edit(text);
        expect(edited, `the edit of ${stack} changes nothing`).to.not.equal(text);
        fs.writeFileSync(file, edited);
    }
    return dir;
}

/** `stack physical name: Pulumi name` of each change the diff refuses to deploy. */
const refused = (plan: Plan, head: Plan) =>
    diffPlans(plan, head).failsToDeploy.map((f) => `${f.stack} ${f.physicalName}: ${f.urn.split("::").pop()}`);

// Issue 32 item 9: a physical name kept across a change of Pulumi name (or a replacement) fails with
// EntityAlreadyExists part way through `pulumi up`; each case is two plans, the deployed one and the next.
describe("changes pulumi up cannot deploy: a physical name two objects would hold (components/providerBehaviour.ts)", function () {
    this.timeout(120000);
    let deployed: Plan;
    before(async () => {
        deployed = (await buildPlan(initech, keyFile)).plan;
    });

    it("a member role with its own policies and boundary renamed: the policies keep their names, so their creates fail", async () => {
        // Same federated role, so the identity stack's people keep it: only the member role's name changes.
        const renamed = initechEdited({
            payments: (text) =>
                text.replace("    - name: Log_Readers\n", "    - name: Log_Viewers\n      federatedRoleName: Payments-Log-Readers\n"),
        });
        const head = (await buildPlan(renamed, keyFile)).plan;
        const diff = diffPlans(deployed, head);
        expect(refused(deployed, head)).to.deep.equal([
            "payments payments-boundary: Log_Viewers-boundary",
            "payments payments-read-logs: Log_Viewers-policy-payments-read-logs",
        ]);
        expect(diff.failsToDeploy[1]).to.deep.include({
            why: "the policy payments-read-logs is created under a new Pulumi name (Log_Readers-policy-payments-read-logs → Log_Viewers-policy-payments-read-logs) while the one of the same name still exists: Pulumi deletes Log_Readers-policy-payments-read-logs only after every create, and AWS refuses a second policy named payments-read-logs (EntityAlreadyExists)",
            wayOut: "give the policy a new name in the same change (the old one is deleted once the new one exists), or keep the names that derive its Pulumi name (Log_Readers-policy-payments-read-logs)",
        });
        expect(diffSummary(diff)).to.match(/^fails to deploy \(payments\/payments-boundary, payments\/payments-read-logs\), /);
        expect(accessDiffMarkdown(diff, "main", "pr").split("\n").slice(1, 4)).to.deep.equal(["", "### Fails to deploy", ""]);

        // The way out: the policies renamed with the role; the old ones go once the new ones exist.
        const wayOut = initechEdited({
            payments: (text) =>
                text
                    .replace("    - name: Log_Readers\n", "    - name: Log_Viewers\n      federatedRoleName: Payments-Log-Readers\n")
                    .replace("- name: payments-read-logs", "- name: payments-view-logs")
                    .replace("{ name: payments-boundary,", "{ name: payments-viewers-boundary,"),
        });
        expect(refused(deployed, (await buildPlan(wayOut, keyFile)).plan)).to.deep.equal([]);
    });

    it("federatedRoleName changed while assumePolicyName stays: the allow-assume policy's create fails", async () => {
        const roles = deployed.stacks.payments.outputs.crossAccountRoles as { name: string; assumePolicyName: string }[];
        const assumePolicyName = roles.find((r) => r.name === "Deployers")!.assumePolicyName;
        const renamed = (policyName: string) =>
            initechEdited({
                payments: (text) =>
                    text.replace(
                        "    - name: Deployers\n",
                        `    - name: Deployers\n      federatedRoleName: Payments-Release-Deployers\n      assumePolicyName: ${policyName}\n`,
                    ),
                identity: (text) => text.replaceAll("Payments-Deployers", "Payments-Release-Deployers"),
            });
        const head = (await buildPlan(renamed(assumePolicyName), keyFile)).plan;
        expect(refused(deployed, head)).to.deep.equal([`identity ${assumePolicyName}: Payments-Release-Deployers-policy`]);
        // The way out: a new policy name in the same change.
        expect(refused(deployed, (await buildPlan(renamed("allow-assume-payments-release-deployers"), keyFile)).plan)).to.deep.equal([]);
    });

    it("a replacement that keeps the name deletes first: refused where that signs people out (a federated role), allowed elsewhere", () => {
        const head: Plan = structuredClone(deployed);
        const federated = head.stacks.identity.resources.find((r) => r.name === "Payments-Deployers-role")!;
        federated.inputs.path = "/federated/";
        const member = head.stacks.payments.resources.find((r) => r.name === "Deployers-role")!;
        member.inputs.path = "/teams/";
        expect(diffPlans(deployed, head).failsToDeploy).to.deep.equal([
            {
                stack: "identity",
                urn: federated.urn,
                physicalName: "Payments-Deployers",
                why: "changing path replaces the role Payments-Deployers under the same name, so the provider deletes it before it creates the new one: people sign in to this federated role: deleting it first signs them out of AWS until the new one exists",
                wayOut: "give the new role a name of its own (the old one is deleted once the new one exists), or leave path as it was",
            },
        ]);
    });
});
