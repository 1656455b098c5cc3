// Emergency roles on the Okta side: one empty group per role, assigned to the AWS app with that role
// only (never to okta-aws-cli's app), in both role assignment modes; and the sign-on policy both
// apps carry.
import { expect } from "chai";
import { EmergencyAccess } from "../components/emergencyAccess";
import { OktaAwsApp } from "../components/oktaAwsApp";
import { OktaCliApp } from "../components/oktaCliApp";
import { SamlRoleAssignments } from "../components/samlRoleAssignments";
import { exampleAppSettingsArgs, inventory, named, ofType, settled, useStack, valueOf } from "./harness";

const people = {
    users: [{ login: "john@acmecorp.me", firstName: "John", lastName: "Doe", samlRoles: ["Retail-EC2-Admins"] }],
    groups: [{ name: "aws-auditors", samlRoles: ["Retail-EC2-Admins"], members: ["john@acmecorp.me"] }],
};

describe("emergency access", () => {
    beforeEach(() => useStack("identity", { accountId: "671250594556" }));

    it("EmergencyAccess: one group per role, named as a role group, with no members", async () => {
        const emergency = new EmergencyAccess("emergency", {
            identityAccountId: "671250594556",
            roles: ["Sales-Break-Glass", "Retail-Break-Glass"],
        });
        await settled();
        expect(inventory()).to.deep.equal([
            "okta-aws:identity:EmergencyAccess emergency",
            "okta:group/group:Group emergency-Retail-Break-Glass-group",
            "okta:group/group:Group emergency-Sales-Break-Glass-group",
        ]);
        expect(named("emergency-Retail-Break-Glass-group").inputs).to.deep.equal({
            name: "aws_671250594556_Retail-Break-Glass",
            description:
                "Emergency access to AWS federated role Retail-Break-Glass: empty day to day; add a person only at the moment of need, remove them afterwards (okta-aws)",
        });
        expect(emergency.groupNames).to.deep.equal({
            "Retail-Break-Glass": "aws_671250594556_Retail-Break-Glass",
            "Sales-Break-Glass": "aws_671250594556_Sales-Break-Glass",
        });
        expect(ofType("okta:index/groupMemberships:GroupMemberships")).to.deep.equal([]);
    });

    it("samlUserRoles: the AWS app is assigned each emergency group with its role, after the team groups; the CLI app is not", async () => {
        new SamlRoleAssignments("assign", {
            appId: "0oaAwsApp",
            cliAppId: "0oaCliApp",
            ...people,
            mode: "samlUserRoles",
            rolesImported: true,
            emergencyGroups: { "Retail-Break-Glass": "00gEmergencyRetail" },
        });
        await settled();
        expect(named("assign-emergency-Retail-Break-Glass-assignment").inputs).to.deep.equal({
            appId: "0oaAwsApp",
            groupId: "00gEmergencyRetail",
            priority: 2,
            profile: '{"role":null,"samlRoles":["Retail-Break-Glass"]}',
        });
        const cliGroupIds = ofType("okta:app/groupAssignment:GroupAssignment")
            .filter((a) => a.inputs.appId === "0oaCliApp")
            .map((a) => a.inputs.groupId);
        expect(cliGroupIds).to.not.include("00gEmergencyRetail");
        expect(ofType("okta:index/groupMemberships:GroupMemberships").map((m) => m.inputs.groupId)).to.not.include("00gEmergencyRetail");
    });

    it("samlUserRoles before the roles import: the emergency group's assignment waits with the others", async () => {
        const assignments = new SamlRoleAssignments("assign", {
            appId: "0oaAwsApp",
            ...people,
            mode: "samlUserRoles",
            rolesImported: false,
            emergencyGroups: { "Retail-Break-Glass": "00gEmergencyRetail" },
        });
        await settled();
        expect(ofType("okta:app/groupAssignment:GroupAssignment")).to.deep.equal([]);
        expect(assignments.pending).to.deep.include({ users: 1, groups: 2 });
    });

    it("groupMapping: the emergency group is its role's group, assigned to the AWS app only, with no members or group rules", async () => {
        new SamlRoleAssignments("assign", {
            appId: "0oaAwsApp",
            cliAppId: "0oaCliApp",
            ...people,
            mode: "groupMapping",
            rolesImported: false,
            roleGroups: {
                "Retail-EC2-Admins": "aws_671250594556_Retail-EC2-Admins",
                "Retail-Break-Glass": "aws_671250594556_Retail-Break-Glass",
            },
            emergencyGroups: { "Retail-Break-Glass": "00gEmergencyRetail" },
        });
        await settled();
        expect(ofType("okta:group/group:Group").map((g) => g.inputs.name)).to.deep.equal([
            "aws-auditors",
            "aws_671250594556_Retail-EC2-Admins",
        ]);
        const emergencyAssignments = ofType("okta:app/groupAssignment:GroupAssignment").filter(
            (a) => a.inputs.groupId === "00gEmergencyRetail",
        );
        expect(emergencyAssignments.map((a) => [a.name, a.inputs.appId, a.inputs.priority])).to.deep.equal([
            ["assign-role-Retail-Break-Glass-assignment", "0oaAwsApp", 1],
        ]);
        expect(ofType("okta:index/groupMemberships:GroupMemberships").map((m) => m.inputs.groupId)).to.not.include("00gEmergencyRetail");
        const ruleTargets = ofType("okta:group/rule:Rule").flatMap((r) => r.inputs.groupAssignments as string[]);
        expect(ruleTargets).to.not.include("00gEmergencyRetail");
    });

    it("the AWS app and okta-aws-cli's app carry the sign-on policy on the app resources themselves", async () => {
        const awsApp = new OktaAwsApp("aws", { ...exampleAppSettingsArgs, apiIntegration: false, authenticationPolicy: "rstSignOnPolicy" });
        new OktaCliApp("cli", {
            label: "AWS CLI (okta-aws-cli)",
            oktaOrgHost: "acmecorp.okta.com",
            authenticationPolicy: "rstSignOnPolicy",
        });
        await valueOf(awsApp.appId);
        await settled();
        expect(named("aws-app").inputs.authenticationPolicy).to.equal("rstSignOnPolicy");
        expect(named("cli-app").inputs.authenticationPolicy).to.equal("rstSignOnPolicy");
    });
});
