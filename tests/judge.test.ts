// The judge simulates each distinct IAM decision once: requests that differ only in the person
// share one simulation, unless a document could tell people apart.
import { expect } from "chai";
import { isPersonSensitive, Judge, SimulationRequest } from "../tools/verification/simulator";

const provider = "arn:aws:iam::200000000000:saml-provider/Okta";
const role = "arn:aws:iam::200000000000:role/EC2_Admins";

/** The federated role's trust as the program writes it: SetSourceIdentity allowed, nobody singled out. */
const trust = {
    Version: "2012-10-17",
    Statement: [
        {
            Effect: "Allow",
            Principal: { Federated: provider },
            Action: "sts:AssumeRoleWithSAML",
            Condition: { StringEquals: { "SAML:aud": "https://signin.aws.amazon.com/saml" } },
        },
        { Effect: "Allow", Principal: { Federated: provider }, Action: "sts:SetSourceIdentity" },
    ],
};

/** A trust that lets one person set their source identity and nobody else. */
const onlyAlice = {
    Version: "2012-10-17",
    Statement: [
        {
            Effect: "Allow",
            Principal: { Federated: provider },
            Action: "sts:SetSourceIdentity",
            Condition: { StringEquals: { "sts:SourceIdentity": "alice@example.com" } },
        },
    ],
};

const setSourceIdentity = (document: object, login: string): SimulationRequest => ({
    principal: provider,
    action: "sts:SetSourceIdentity",
    resource: role,
    accountId: "200000000000",
    context: { "sts:SourceIdentity": login },
    identityPolicies: [],
    resourcePolicy: document,
    personValues: [login],
});

describe("the IAM judge", () => {
    it("simulates once for everybody when no document can tell people apart", async () => {
        const judge = new Judge();
        const decisions = await Promise.all(
            ["alice@example.com", "bob@example.com", "carol@example.com"].map((login) => judge.simulate(setSourceIdentity(trust, login))),
        );
        expect(decisions.map((d) => d.decision)).to.deep.equal(["allowed", "allowed", "allowed"]);
        expect(judge.simulations).to.equal(1);
    });

    it("simulates each person when a condition names the person, and decides for each", async () => {
        const judge = new Judge();
        const alice = await judge.simulate(setSourceIdentity(onlyAlice, "alice@example.com"));
        const bob = await judge.simulate(setSourceIdentity(onlyAlice, "bob@example.com"));
        expect([alice.decision, bob.decision]).to.deep.equal(["allowed", "denied"]);
        expect(judge.simulations).to.equal(2);
    });

    it("reads conditions, principals and resources for what tells people apart, never actions", () => {
        const statement = (fields: object) => ({ Version: "2012-10-17", Statement: [{ Effect: "Allow", ...fields }] });
        const sensitive = {
            "a SourceIdentity condition": statement({ Action: "sts:AssumeRole", Condition: { StringLike: { "sts:SourceIdentity": "*" } } }),
            "a policy variable": statement({ Action: "s3:GetObject", Resource: "arn:aws:s3:::home/${aws:username}/*" }),
            "a session tag": statement({ Action: "s3:GetObject", Condition: { StringEquals: { "aws:PrincipalTag/login": "alice" } } }),
            "a session principal": statement({ Action: "s3:GetObject", Principal: { AWS: "arn:aws:sts::1:assumed-role/R/alice" } }),
            "the SAML subject": statement({ Action: "sts:AssumeRoleWithSAML", Condition: { StringEquals: { "SAML:sub": "alice" } } }),
        };
        for (const [why, document] of Object.entries(sensitive)) {
            expect(isPersonSensitive(document), why).to.equal(true);
        }
        expect(isPersonSensitive(trust)).to.equal(false);
        expect(isPersonSensitive(statement({ NotAction: ["sts:SetSourceIdentity"], Resource: "*" }))).to.equal(false);
    });
});
