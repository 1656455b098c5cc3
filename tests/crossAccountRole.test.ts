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
});
