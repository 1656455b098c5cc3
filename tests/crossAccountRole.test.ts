// CrossAccountRole on its own: its children and its trust policy, exactly.
import { expect } from "chai";
import { CrossAccountRole } from "../components/crossAccountRole";
import { cloud, named, ofType, settled, useStack, valueOf } from "./harness";

describe("CrossAccountRole", () => {
    beforeEach(() => useStack("retail", { accountId: "253541269580" }));

    it("creates the role, trusting only the named federated role of the identity account", async () => {
        const component = new CrossAccountRole("EC2_Admins", {
            roleName: "EC2_Admins",
            accountId: "253541269580",
            identityAccountId: "671250594556",
            federatedRoleName: "Retail-EC2-Admins",
            managedPolicies: ["AmazonEC2FullAccess", "arn:aws:iam::253541269580:policy/team/ec2-extra"],
            partition: "aws",
        });
        expect(await valueOf(component.arn)).to.equal("arn:aws:iam::253541269580:role/EC2_Admins");
        await settled();

        const componentUrn = named("EC2_Admins").urn;
        expect(named("EC2_Admins").type).to.equal("okta-aws:member:CrossAccountRole");
        expect(cloud.resources.map((r) => [r.type, r.name, r.parent])).to.deep.equal([
            ["okta-aws:member:CrossAccountRole", "EC2_Admins", undefined],
            ["aws:iam/role:Role", "EC2_Admins-role", componentUrn],
            ["aws:iam/rolePolicyAttachment:RolePolicyAttachment", "EC2_Admins-AmazonEC2FullAccess", componentUrn],
            ["aws:iam/rolePolicyAttachment:RolePolicyAttachment", "EC2_Admins-ec2-extra", componentUrn],
        ]);

        const role = named("EC2_Admins-role");
        expect(role.inputs.name).to.equal("EC2_Admins");
        expect(role.inputs.maxSessionDuration).to.equal(3600);
        expect(role.inputs).to.not.have.any.keys("managedPolicyArns", "inlinePolicies");
        expect(JSON.parse(role.inputs.assumeRolePolicy as string)).to.deep.equal({
            Version: "2012-10-17",
            Statement: [
                {
                    Effect: "Allow",
                    Principal: { AWS: "arn:aws:iam::671250594556:root" },
                    Action: ["sts:AssumeRole", "sts:SetSourceIdentity"],
                    Condition: { ArnEquals: { "aws:PrincipalArn": "arn:aws:iam::671250594556:role/Retail-EC2-Admins" } },
                },
            ],
        });
        expect(ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").map((a) => a.inputs)).to.deep.equal([
            { role: "EC2_Admins", policyArn: "arn:aws:iam::aws:policy/AmazonEC2FullAccess" },
            { role: "EC2_Admins", policyArn: "arn:aws:iam::253541269580:policy/team/ec2-extra" },
        ]);
        expect(component.switchRoleUrl).to.equal("https://signin.aws.amazon.com/switchrole?account=253541269580&roleName=EC2_Admins");
    });

    it("creates the team's own policies and a boundary in the member account, and attaches them", async () => {
        const readLogs = JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: "logs:GetLogEvents", Resource: "*" }],
        });
        const cap = JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: ["logs:*", "ec2:Describe*"], Resource: "*" }],
        });
        const component = new CrossAccountRole("Log_Readers", {
            roleName: "Log_Readers",
            accountId: "253541269580",
            identityAccountId: "671250594556",
            federatedRoleName: "Retail-Log-Readers",
            managedPolicies: ["AmazonEC2ReadOnlyAccess"],
            customPolicies: [{ name: "read-logs", document: readLogs }],
            permissionsBoundary: { name: "retail-boundary", document: cap },
            partition: "aws",
        });
        await settled();

        const componentUrn = named("Log_Readers").urn;
        const byName = (a: unknown[], b: unknown[]) => String(a[1]).localeCompare(String(b[1]));
        expect(cloud.resources.map((r) => [r.type, r.name, r.parent]).sort(byName)).to.deep.equal([
            ["okta-aws:member:CrossAccountRole", "Log_Readers", undefined],
            ["aws:iam/rolePolicyAttachment:RolePolicyAttachment", "Log_Readers-AmazonEC2ReadOnlyAccess", componentUrn],
            ["aws:iam/policy:Policy", "Log_Readers-boundary", componentUrn],
            ["aws:iam/policy:Policy", "Log_Readers-policy-read-logs", componentUrn],
            ["aws:iam/rolePolicyAttachment:RolePolicyAttachment", "Log_Readers-read-logs", componentUrn],
            ["aws:iam/role:Role", "Log_Readers-role", componentUrn],
        ]);
        expect(named("Log_Readers-boundary").inputs).to.deep.equal({
            name: "retail-boundary",
            description: "Permissions of Log_Readers (okta-aws)",
            policy: cap,
        });
        expect(named("Log_Readers-policy-read-logs").inputs).to.deep.equal({
            name: "read-logs",
            description: "Permissions of Log_Readers (okta-aws)",
            policy: readLogs,
        });
        expect(named("Log_Readers-role").inputs.permissionsBoundary).to.equal("arn:aws:iam::253541269580:policy/retail-boundary");
        expect(named("Log_Readers-read-logs").inputs).to.deep.equal({
            role: "Log_Readers",
            policyArn: "arn:aws:iam::253541269580:policy/read-logs",
        });
        expect(component.policyArns).to.deep.equal([
            "arn:aws:iam::aws:policy/AmazonEC2ReadOnlyAccess",
            "arn:aws:iam::253541269580:policy/read-logs",
        ]);
    });

    it("takes an existing policy as boundary by its ARN, creating nothing for it", async () => {
        new CrossAccountRole("EC2_Admins", {
            roleName: "EC2_Admins",
            accountId: "253541269580",
            identityAccountId: "671250594556",
            federatedRoleName: "Retail-EC2-Admins",
            managedPolicies: ["AmazonEC2FullAccess"],
            permissionsBoundary: { arn: "arn:aws:iam::253541269580:policy/org/workload-boundary" },
            partition: "aws",
        });
        await settled();
        expect(ofType("aws:iam/policy:Policy")).to.deep.equal([]);
        expect(named("EC2_Admins-role").inputs.permissionsBoundary).to.equal("arn:aws:iam::253541269580:policy/org/workload-boundary");
    });
});
