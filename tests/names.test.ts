// The pure name, ARN, URL and policy helpers (components/names.ts, components/policies.ts).
import { expect } from "chai";
import {
    closest,
    defaultAssumePolicyName,
    defaultFederatedRoleName,
    managedPolicyArn,
    partitionOf,
    policyNameOf,
    roleValuePattern,
    switchRoleUrl,
} from "../components/names";
import { crossAccountTrustPolicy, iamPolicySize } from "../components/policies";
import { parsedPolicy } from "./harness";

describe("names and policies", () => {
    it("derives the guide's names", () => {
        expect(defaultFederatedRoleName("Retail", "EC2_Admins")).to.equal("Retail-EC2-Admins");
        expect(defaultAssumePolicyName("Retail", "EC2_Admins")).to.equal("allow-assume-retail-ec2-admins-role");
        expect(roleValuePattern("aws", "Okta")).to.equal(
            "arn:aws:iam::${accountid}:saml-provider/Okta,arn:aws:iam::${accountid}:role/${role}",
        );
    });

    it("resolves managed policies by name or ARN", () => {
        expect(managedPolicyArn("aws", "AmazonS3FullAccess")).to.equal("arn:aws:iam::aws:policy/AmazonS3FullAccess");
        expect(managedPolicyArn("aws-cn", "AWS_ConfigRole")).to.equal("arn:aws-cn:iam::aws:policy/service-role/AWS_ConfigRole");
        expect(managedPolicyArn("aws", "arn:aws:iam::123456789012:policy/x")).to.equal("arn:aws:iam::123456789012:policy/x");
        expect(policyNameOf("arn:aws:iam::aws:policy/service-role/AWSConfigRole")).to.equal("AWSConfigRole");
    });

    it("knows the partition of a region", () => {
        expect(["us-east-1", "eu-west-3", "cn-north-1", "us-gov-west-1", "us-iso-east-1", "us-isob-east-1"].map(partitionOf)).to.deep.equal(
            ["aws", "aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b"],
        );
    });

    it("encodes role names in switch-role links", () => {
        expect(switchRoleUrl("253541269580", "Ops+Admins@x")).to.equal(
            "https://signin.aws.amazon.com/switchrole?account=253541269580&roleName=Ops%2BAdmins%40x",
        );
    });

    it("lists several federated principals sorted, and counts size without white space", () => {
        const trust = crossAccountTrustPolicy("arn:aws:iam::1:root", ["arn:aws:iam::1:role/b", "arn:aws:iam::1:role/a"]);
        expect(parsedPolicy(trust).Statement[0].Condition!.ArnEquals["aws:PrincipalArn"]).to.deep.equal([
            "arn:aws:iam::1:role/a",
            "arn:aws:iam::1:role/b",
        ]);
        expect(iamPolicySize('{ "a" : "b c" }')).to.equal(10);
    });

    it("suggests the nearest known role for a typo, and none for a stranger", () => {
        expect(closest("Retail-Ec2-Admin", ["Retail-EC2-Admins", "Sales-EC2-Admins"])).to.equal("Retail-EC2-Admins");
        expect(closest("Billing", ["Retail-EC2-Admins"])).to.equal(undefined);
    });
});
