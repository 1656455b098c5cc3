// The audit's exact judges: whom a trust lets in (every Action/NotAction and Principal/NotPrincipal
// form as a list, IAM's wildcards, never a substring test) and which certificates a SAML metadata
// document holds (parsed as XML: a certificate in a comment is none).
import { expect } from "chai";
import { certificatesOf } from "../tools/audit/metadata";
import { actionMatches, principalsAdmitting, samlProvidersTrusted, waysIn } from "../tools/audit/trustPaths";

const identity = "671250594556";
const retail = "253541269580";
const root = `arn:aws:iam::${identity}:root`;
const trust = (...Statement: object[]) => ({ Version: "2012-10-17", Statement });

describe("audit: trust judged exactly (tools/audit/trustPaths.ts)", () => {
    it("matches actions as IAM does: case-insensitive, * and ? wildcards, whole names only", () => {
        expect(
            [
                ["sts:AssumeRole", "sts:AssumeRole"],
                ["STS:assumerole", "sts:AssumeRole"],
                ["sts:Assume*", "sts:AssumeRoleWithSAML"],
                ["sts:AssumeRol?", "sts:AssumeRole"],
                ["*", "sts:AssumeRole"],
                ["sts:AssumeRole", "sts:AssumeRoleWithSAML"],
                ["sts:AssumeRoleWithSAML", "sts:AssumeRole"],
                ["sts:AssumeRol?", "sts:AssumeRoleX"],
                ["sts:Assume.ole", "sts:AssumeRole"],
            ].map(([pattern, action]) => actionMatches(pattern, action)),
        ).to.deep.equal([true, true, true, true, true, false, false, false, false]);
    });

    it("a one-string NotAction leaving out AssumeRoleWithSAML allows AssumeRole; one leaving out AssumeRole does not", () => {
        const notSaml = trust({ Effect: "Allow", Principal: { AWS: root }, NotAction: "sts:AssumeRoleWithSAML" });
        const notAssume = trust({ Effect: "Allow", Principal: { AWS: root }, NotAction: ["sts:AssumeRole"] });
        const notWildcard = trust({ Effect: "Allow", Principal: { AWS: root }, NotAction: "sts:Assume*" });
        expect([notSaml, notAssume, notWildcard].map((t) => principalsAdmitting(t, identity))).to.deep.equal([[`AWS:${root}`], [], []]);
    });

    it("reads principals as strings or lists, by account, anyone, or NotPrincipal, and never by a prefix of an account id", () => {
        const statements = trust(
            { Effect: "Allow", Principal: { AWS: [identity, `arn:aws:iam::${identity}1:root`] }, Action: "sts:AssumeRole" },
            { Effect: "Allow", Principal: "*", Action: "sts:AssumeRole" },
            { Effect: "Allow", NotPrincipal: { AWS: `arn:aws:iam::${retail}:root` }, Action: "sts:AssumeRole" },
            { Effect: "Deny", Principal: { AWS: `arn:aws:iam::${identity}:role/x` }, Action: "sts:AssumeRole" },
        );
        expect(principalsAdmitting(statements, identity)).to.deep.equal([
            "*",
            `AWS:${identity}`,
            `NotPrincipal AWS:arn:aws:iam::${retail}:root`,
        ]);
    });

    it("every way in from outside the account: federated providers, other accounts, services, anyone; not the account's own", () => {
        const statements = trust(
            { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${retail}:role/own` }, Action: "sts:AssumeRole" },
            { Effect: "Allow", Principal: { Federated: `arn:aws:iam::${retail}:saml-provider/Okta` }, Action: "sts:AssumeRoleWithSAML" },
            { Effect: "Allow", Principal: { Federated: "token.actions.githubusercontent.com" }, Action: ["sts:AssumeRoleWithWebIdentity"] },
            { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
            { Effect: "Allow", Principal: { AWS: root }, Action: "sts:TagSession" },
        );
        expect(waysIn(statements, retail)).to.deep.equal([
            "Federated:arn:aws:iam::253541269580:saml-provider/Okta",
            "Federated:token.actions.githubusercontent.com",
            "Service:ec2.amazonaws.com",
        ]);
        expect(samlProvidersTrusted(statements, retail)).to.deep.equal(["Federated:arn:aws:iam::253541269580:saml-provider/Okta"]);
        expect(waysIn(trust({ Effect: "Allow", Principal: { AWS: retail }, Action: "sts:AssumeRole" }), retail)).to.deep.equal([]);
    });
});

describe("audit: the certificates of SAML metadata (tools/audit/metadata.ts)", () => {
    const ds = 'xmlns:ds="http://www.w3.org/2000/09/xmldsig#"';
    it("reads every X509Certificate element, white space removed; one in a comment or another namespace is none", () => {
        const metadata = `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"><md:IDPSSODescriptor>
<!-- <ds:X509Certificate ${ds}>COMMENTED</ds:X509Certificate> -->
<md:KeyDescriptor use="signing"><ds:KeyInfo ${ds}><ds:X509Data><ds:X509Certificate>AAAA
BBBB</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
<md:KeyDescriptor><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>CCCC</X509Certificate></X509Data></KeyInfo></md:KeyDescriptor>
<X509Certificate>DDDD</X509Certificate>
</md:IDPSSODescriptor></md:EntityDescriptor>`;
        expect(certificatesOf(metadata)).to.deep.equal(["AAAABBBB", "CCCC"]);
    });

    it("a document that is not well-formed XML holds no known certificates (undefined, an unverified row)", () => {
        expect([certificatesOf("<md:EntityDescriptor><a></b>"), certificatesOf("not xml")]).to.deep.equal([undefined, undefined]);
    });
});
