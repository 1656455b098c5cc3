// Whether a policy document change widened or narrowed what it grants (tools/report/grants.ts).
import { expect } from "chai";
import { grantChange, grantsOf } from "../tools/report/grants";

const root = "arn:aws:iam::671250594556:root";
const admins = "arn:aws:iam::671250594556:role/Retail-EC2-Admins";
const operators = "arn:aws:iam::671250594556:role/Retail-EC2-Operators";

const trust = (principalArns: string | string[] | undefined, extra: object[] = []) => ({
    Version: "2012-10-17",
    Statement: [
        {
            Effect: "Allow",
            Principal: { AWS: root },
            Action: ["sts:AssumeRole", "sts:SetSourceIdentity"],
            ...(principalArns && { Condition: { ArnEquals: { "aws:PrincipalArn": principalArns } } }),
        },
        ...extra,
    ],
});
const change = (before: object | undefined, after: object | undefined) => grantChange(grantsOf(before) ?? [], grantsOf(after) ?? []);

describe("policy grants (tools/report/grants.ts)", () => {
    it("splits statements into single grants, condition value lists into alternatives", () => {
        expect(grantsOf(trust([admins, operators]))).to.deep.equal(
            ["sts:AssumeRole", "sts:SetSourceIdentity"].flatMap((action) =>
                [admins, operators].map((arn) => ({
                    effect: "Allow",
                    principal: `AWS:${root}`,
                    action,
                    resource: "*",
                    conditions: [`ArnEquals aws:PrincipalArn ${JSON.stringify(arn)}`],
                })),
            ),
        );
        expect(grantsOf("not a document")).to.equal(undefined);
    });

    it("widened: a condition dropped, a role added to the condition, a wildcard action, a Deny removed", () => {
        expect(change(trust(admins), trust(undefined))).to.equal("widened");
        expect(change(trust(admins), trust([admins, operators]))).to.equal("widened");
        const deny = { Effect: "Deny", Principal: { AWS: root }, Action: "sts:TagSession" };
        expect(change(trust(admins, [deny]), trust(admins))).to.equal("widened");
        const permissions = (action: string) => ({ Statement: { Effect: "Allow", Action: action, Resource: "*" } });
        expect(change(permissions("iam:ListRoles"), permissions("iam:List*"))).to.equal("widened");
        expect(change(undefined, permissions("iam:ListRoles"))).to.equal("widened");
    });

    it("narrowed: a role taken out of the condition, a Deny added, a document removed", () => {
        expect(change(trust([admins, operators]), trust(admins))).to.equal("narrowed");
        expect(change(trust(admins), trust(admins, [{ Effect: "Deny", Principal: "*", Action: "sts:AssumeRole" }]))).to.equal("narrowed");
        expect(change(trust(admins), undefined)).to.equal("narrowed");
    });

    it("changed: one role swapped for another; nothing: statements reordered or a Sid added", () => {
        expect(change(trust(admins), trust(operators))).to.equal("changed");
        const reordered = trust(admins);
        reordered.Statement[0] = { Sid: "Switch", ...reordered.Statement[0], Action: ["sts:SetSourceIdentity", "sts:AssumeRole"] };
        expect(change(trust(admins), reordered)).to.equal(undefined);
    });
});
