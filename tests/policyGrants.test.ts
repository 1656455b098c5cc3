// Whether a policy document change widened or narrowed what it grants (tools/report/grants.ts).
import { expect } from "chai";
import { grantChange, grantsOf, patternCovers } from "../tools/plan/grants";

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

describe("wildcard patterns as languages (patternCovers)", () => {
    /** IAM's match of one pattern against each of `names` (names, never other patterns), kept per pattern. */
    const matched = new Map<string, boolean[]>();
    const namesMatching = (pattern: string, names: string[], ignoreCase: boolean): boolean[] => {
        const key = `${String(ignoreCase)} ${pattern}`;
        let result = matched.get(key);
        if (!result) {
            const source = [...pattern].map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&"))).join("");
            const regex = new RegExp(`^${source}$`, ignoreCase ? "i" : "");
            result = names.map((name) => regex.test(name));
            matched.set(key, result);
        }
        return result;
    };

    /** Every string over `alphabet` up to `length` characters. */
    const namesUpTo = (alphabet: string[], length: number): string[] => {
        const names = [""];
        for (let start = 0, size = 1; size <= length; size++) {
            const end = names.length;
            for (let i = start; i < end; i++) {
                alphabet.forEach((c) => names.push(names[i] + c));
            }
            start = end;
        }
        return names;
    };

    /** A small deterministic generator (a linear congruential sequence), so a failure reproduces. */
    function* patterns(seed: number, symbols: string[], maxLength: number, count: number): Generator<[string, string]> {
        let state = seed;
        const next = (bound: number) => {
            state = (state * 1103515245 + 12345) % 2147483648;
            return state % bound;
        };
        const pattern = () => Array.from({ length: next(maxLength + 1) }, () => symbols[next(symbols.length)]).join("");
        for (let i = 0; i < count; i++) {
            yield [pattern(), pattern()];
        }
    }

    // Names reach past both patterns' lengths plus one, with a character neither pattern holds ("c"):
    // a shortest name one pattern matches and the other does not is no longer than that.
    for (const { title, symbols, names, ignoreCase } of [
        { title: "case-sensitive (ARNs)", symbols: ["a", "b", "*", "?"], names: namesUpTo(["a", "b", "c"], 7), ignoreCase: false },
        {
            title: "case-insensitive (actions)",
            symbols: ["a", "A", "b", "*", "?"],
            names: namesUpTo(["a", "A", "b", "c"], 6),
            ignoreCase: true,
        },
    ]) {
        it(`agrees with brute-force enumeration over generated pattern pairs, ${title}`, () => {
            const disagreements: string[] = [];
            for (const [wider, narrower] of patterns(ignoreCase ? 7 : 3, symbols, ignoreCase ? 4 : 5, 1500)) {
                const [inNarrower, inWider] = [narrower, wider].map((pattern) => namesMatching(pattern, names, ignoreCase));
                const counterexample = names.find((_, i) => inNarrower[i] && !inWider[i]);
                if (patternCovers(wider, narrower, ignoreCase) !== (counterexample === undefined)) {
                    disagreements.push(
                        `${wider} ⊇ ${narrower}: ${String(patternCovers(wider, narrower, ignoreCase))}, counterexample ${JSON.stringify(counterexample)}`,
                    );
                }
            }
            expect(disagreements).to.deep.equal([]);
        });
    }

    it("`?` never covers `*`, one `?` never covers two characters; `*` covers `?` and `**`", () => {
        expect(patternCovers("a?", "a*")).to.equal(false);
        expect(patternCovers("?", "*")).to.equal(false);
        expect(patternCovers("a?c", "a??c")).to.equal(false);
        expect(patternCovers("a*", "a?")).to.equal(true);
        expect(patternCovers("*", "**")).to.equal(true);
        expect(patternCovers("*a*", "?a?b*")).to.equal(true);
        expect(patternCovers("S3:GET*", "s3:Get?", true)).to.equal(true);
        expect(patternCovers("S3:GET*", "s3:Get?", false)).to.equal(false);
    });

    it("policy variables: anything in the narrower pattern, only themselves in the wider one", () => {
        // `$*` matches the text "${aws:username}" but not the user names it stands for.
        expect(patternCovers("arn:aws:s3:::$*", "arn:aws:s3:::${aws:username}")).to.equal(false);
        expect(patternCovers("arn:aws:s3:::home/*", "arn:aws:s3:::home/${aws:username}/*")).to.equal(true);
        expect(patternCovers("arn:aws:s3:::home/${aws:username}", "arn:aws:s3:::home/${aws:username}")).to.equal(true);
        expect(patternCovers("arn:aws:s3:::home/${aws:username}*", "arn:aws:s3:::home/${aws:username}")).to.equal(false);
    });

    it("a pattern too costly to compare is not covered: the diff says changed", () => {
        const crafted = `arn:aws:s3:::${"*a?".repeat(300)}`;
        expect(patternCovers(crafted, `arn:aws:s3:::${"a*?b".repeat(300)}`)).to.equal(false);
    });

    it("beyond printable ASCII only equal patterns cover each other (IAM's own rules decide there)", () => {
        expect(patternCovers("arn:aws:s3:::é-*", "arn:aws:s3:::é-*")).to.equal(true);
        expect(patternCovers("arn:aws:s3:::*", "arn:aws:s3:::é")).to.equal(false);
    });

    it("action names fold ASCII letters only: the Kelvin sign and a dotted capital I stay themselves (red team rt7)", () => {
        // JavaScript's toLowerCase folds U+212A to "k" and U+0130 to "i̇"; IAM folds ASCII letters only.
        expect([
            patternCovers("KMS:Decrypt", "kms:decrypt", true),
            patternCovers("\u212AMS:Decrypt", "kms:decrypt", true),
            patternCovers("iam:\u0130Mport", "iam:i\u0307mport", true),
            patternCovers("S3:GetObject\u00E9", "s3:getobject\u00E9", true),
            patternCovers("S3:GetObject\u00C9", "s3:getobject\u00E9", true),
        ]).to.deep.equal([true, false, false, true, false]);
    });
});

describe("issue 30 item 6: a `?` widened to `*` is a widening", () => {
    const artifacts = (resource: string) => ({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: resource }],
    });
    const actions = (action: string) => ({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: action, Resource: "*" }] });

    it("`…-artifacts-?/*` → `…-artifacts-*/*` and `s3:Get?` → `s3:Get*` widen; back again narrows", () => {
        expect(change(artifacts("arn:aws:s3:::acme-artifacts-?/*"), artifacts("arn:aws:s3:::acme-artifacts-*/*"))).to.equal("widened");
        expect(change(actions("s3:Get?"), actions("s3:Get*"))).to.equal("widened");
        expect(change(artifacts("arn:aws:s3:::acme-artifacts-*/*"), artifacts("arn:aws:s3:::acme-artifacts-?/*"))).to.equal("narrowed");
        expect(change(actions("s3:Get*"), actions("S3:GET*"))).to.equal(undefined);
    });

    it("NotAction and NotResource are sets left out, compared as such, never as patterns", () => {
        const notAction = (excluded: string[]) => ({ Statement: [{ Effect: "Allow", NotAction: excluded, Resource: "*" }] });
        // Leaving out only s3:GetObject instead of all of S3 grants more.
        expect(change(notAction(["s3:*"]), notAction(["s3:GetObject"]))).to.equal("widened");
        expect(change(notAction(["s3:GetObject"]), notAction(["s3:*"]))).to.equal("narrowed");
        expect(change(notAction(["s3:*"]), actions("*"))).to.equal("widened");
        // A NotAction against a plain action would need disjoint languages: "changed", never "no change".
        expect(change(notAction(["iam:*"]), actions("s3:GetObject"))).to.equal("changed");
    });
});
