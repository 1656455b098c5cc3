// Both ends of a SAML 2.0 sign-in, with samlify as the judge: the Okta side signs a Response with
// the mock IdP's key (xml-crypto); the AWS side (samlify) trusts nothing but the IdP metadata
// document the program gave the IAM SAML provider, validates the XML against the SAML schemas
// (libxml2 xmllint, compiled to WebAssembly) and the signature.
import * as crypto from "crypto";
import * as samlify from "samlify";
import { SignedXml } from "xml-crypto";
import { awsSessionNameLimit, samlResponseLimit } from "../../components/awsSignInLimits";
import { awsSamlSignInUrl, iamNameCharacter } from "../../components/names";

// xmllint (WebAssembly) starts a new worker thread and compiles its module on every call, so each
// distinct document shape is validated once: the shape is the document with every text node and
// attribute value blanked, and a run of AttributeValue elements counted as one, since the SAML
// assertion schema allows any number of them (`maxOccurs="unbounded"`, each of the same type).
// Every response here comes from issueLoginResponse: person-specific content (login, role values)
// is escaped xs:string text, and the typed values (IDs, instants, URIs, base64 digests) come from
// fixed generators, so two documents of one shape are valid or not together. Signature, audience,
// recipient and role checks still run on every response.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const xmllint = require("@authenio/samlify-xmllint-wasm") as { validate(xml: string): Promise<unknown> };
const validatedShapes = new Map<string, Promise<unknown>>();
let validateNewShape = (xml: string) => xmllint.validate(xml);

export function xmlShape(xml: string): string {
    return xml
        .replace(/>[^<]*</g, "><")
        .replace(/="[^"]*"/g, '=""')
        .replace(/(<saml:AttributeValue [^>]*><\/saml:AttributeValue>)\1+/g, "$1");
}

/** Schema validation of a SAML document, once per shape; rejects if the document is invalid. */
export function validateSchema(xml: string): Promise<unknown> {
    const shape = xmlShape(xml);
    let validation = validatedShapes.get(shape);
    if (!validation) {
        validation = validateNewShape(xml);
        validatedShapes.set(shape, validation);
    }
    return validation;
}

/**
 * Where shapes not seen before go (xmllint unless told otherwise): a sign-in worker asks its
 * parent, so each shape is validated once a run. Shapes the replaced validator passed are
 * forgotten. Returns the validator it replaces.
 */
export function validateNewShapesWith(validate: (xml: string) => Promise<unknown>): (xml: string) => Promise<unknown> {
    const replaced = validateNewShape;
    validateNewShape = validate;
    validatedShapes.clear();
    return replaced;
}

samlify.setSchemaValidator({ validate: validateSchema });

/** AWS's SAML service provider: entity id and assertion consumer service. */
const awsSamlAudience = "urn:amazon:webservices";
const roleAttribute = "https://aws.amazon.com/SAML/Attributes/Role";
const sessionNameAttribute = "https://aws.amazon.com/SAML/Attributes/RoleSessionName";
const sourceIdentityAttribute = "https://aws.amazon.com/SAML/Attributes/SourceIdentity";
const sessionDurationAttribute = "https://aws.amazon.com/SAML/Attributes/SessionDuration";
/** A session tag per attribute: `…/PrincipalTag:<key>` (IAM User Guide, "Passing session tags using AssumeRoleWithSAML"). */
const principalTagAttribute = "https://aws.amazon.com/SAML/Attributes/PrincipalTag:";

// samlify entities parse their metadata when made; they hold no per-response state, so one of
// each serves every sign-in.
let serviceProvider: ReturnType<typeof samlify.ServiceProvider> | undefined;
function awsServiceProvider() {
    serviceProvider ??= samlify.ServiceProvider({
        entityID: awsSamlAudience,
        assertionConsumerService: [{ Binding: samlify.Constants.namespace.binding.post, Location: awsSamlSignInUrl }],
        wantAssertionsSigned: true,
    });
    return serviceProvider;
}

const identityProviders = new Map<string, ReturnType<typeof samlify.IdentityProvider>>();
function identityProvider(metadata: string) {
    let idp = identityProviders.get(metadata);
    if (!idp) {
        idp = samlify.IdentityProvider({ metadata });
        identityProviders.set(metadata, idp);
    }
    return idp;
}

// Okta's side signs with xml-crypto, the library samlify signs with, given the key parsed once:
// parsing the PEM again for every response cost more than the RSA signature itself.
const signingKeys = new Map<string, crypto.KeyObject>();
function signingKey(privateKeyPem: string): crypto.KeyObject {
    let key = signingKeys.get(privateKeyPem);
    if (!key) {
        key = crypto.createPrivateKey(privateKeyPem);
        signingKeys.set(privateKeyPem, key);
    }
    return key;
}

const assertionPath = "/*[local-name(.)='Response']/*[local-name(.)='Assertion']";

/** Signs the Assertion as Okta does for AWS: RSA-SHA256, exclusive c14n, the certificate in KeyInfo, after the Issuer. */
function signAssertion(xml: string, privateKeyPem: string, certificate: string): string {
    const signer = new SignedXml({
        privateKey: signingKey(privateKeyPem),
        signatureAlgorithm: "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
        canonicalizationAlgorithm: "http://www.w3.org/2001/10/xml-exc-c14n#",
    });
    signer.addReference({
        xpath: assertionPath,
        transforms: ["http://www.w3.org/2000/09/xmldsig#enveloped-signature", "http://www.w3.org/2001/10/xml-exc-c14n#"],
        digestAlgorithm: "http://www.w3.org/2001/04/xmlenc#sha256",
    });
    signer.getKeyInfoContent = ({ prefix }) =>
        `<${prefix}:X509Data><${prefix}:X509Certificate>${certificate}</${prefix}:X509Certificate></${prefix}:X509Data>`;
    signer.computeSignature(xml, { prefix: "ds", location: { reference: `${assertionPath}/*[local-name(.)='Issuer']`, action: "after" } });
    return signer.getSignedXml();
}

export interface LoginAssertion {
    /** The Okta login: NameID and RoleSessionName (what Okta's AWS app sends by itself). */
    login: string;
    /**
     * Only where the plan says an admin added the attribute statement (`okta-aws:oktaApp.sourceIdentity`):
     * Okta's AWS Account Federation app does not send it on its own.
     */
    sourceIdentity?: string;
    /** Session tags, `PrincipalTag:<key>` attributes, only where the plan declares them (`oktaApp.sessionTags`). */
    principalTags?: Record<string, string>;
    /** `<SAML provider ARN>,<role ARN>` per role, as Okta's role value pattern renders them. */
    roleValues: string[];
    sessionDuration: number;
    /** Defaults to AWS's; other values are for negative tests. */
    audience?: string;
    recipient?: string;
}

function escapeXml(text: string): string {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function attribute(name: string, values: string[]): string {
    const valueXml = values.map((v) => `<saml:AttributeValue xsi:type="xs:string">${escapeXml(v)}</saml:AttributeValue>`).join("");
    return `<saml:Attribute Name="${name}" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:uri">${valueXml}</saml:Attribute>`;
}

/** Acts as Okta: an IdP-initiated, signed SAML Response for AWS (base64, as POSTed). */
export function issueLoginResponse(idpMetadata: string, privateKeyPem: string, assertion: LoginAssertion): string {
    const idp = identityProvider(idpMetadata);
    const issuer = idp.entityMeta.getEntityID();
    const recipient = assertion.recipient ?? awsSamlSignInUrl;
    const now = new Date();
    const notAfter = new Date(now.getTime() + 5 * 60 * 1000).toISOString();
    const id = `_${crypto.randomBytes(16).toString("hex")}`;
    const xml =
        `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${id}" Version="2.0" IssueInstant="${now.toISOString()}" Destination="${recipient}">` +
        `<saml:Issuer>${issuer}</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
        `<saml:Assertion xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xs="http://www.w3.org/2001/XMLSchema" ID="${id}-assertion" Version="2.0" IssueInstant="${now.toISOString()}">` +
        `<saml:Issuer>${issuer}</saml:Issuer>` +
        `<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified">${escapeXml(assertion.login)}</saml:NameID>` +
        `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData NotOnOrAfter="${notAfter}" Recipient="${recipient}"/></saml:SubjectConfirmation></saml:Subject>` +
        `<saml:Conditions NotBefore="${now.toISOString()}" NotOnOrAfter="${notAfter}"><saml:AudienceRestriction><saml:Audience>${escapeXml(assertion.audience ?? awsSamlAudience)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
        `<saml:AuthnStatement AuthnInstant="${now.toISOString()}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
        `<saml:AttributeStatement>${attribute(roleAttribute, assertion.roleValues)}${attribute(sessionNameAttribute, [assertion.login])}` +
        `${assertion.sourceIdentity === undefined ? "" : attribute(sourceIdentityAttribute, [assertion.sourceIdentity])}` +
        Object.entries(assertion.principalTags ?? {})
            .map(([key, value]) => attribute(`${principalTagAttribute}${key}`, [value]))
            .join("") +
        `${attribute(sessionDurationAttribute, [String(assertion.sessionDuration)])}</saml:AttributeStatement>` +
        `</saml:Assertion></samlp:Response>`;
    // One signing certificate in the metadata Okta serves.
    const [certificate] = [idp.entityMeta.getX509Certificate("signing")].flat();
    return Buffer.from(signAssertion(xml, privateKeyPem, certificate), "utf8").toString("base64");
}

export interface VerifiedSignIn {
    audience: string;
    /** Where the Response says it was sent: what IAM compares with `SAML:aud`. */
    recipient: string;
    roles: { providerArn: string; roleArn: string }[];
    roleSessionName: string;
    /** Absent unless the response carries the SourceIdentity attribute. */
    sourceIdentity?: string;
    /** The session tags the response carries, by key. */
    principalTags: Record<string, string>;
    /** The SessionDuration attribute in seconds, when the response carries it. */
    sessionDuration?: number;
}

const asList = (value: string | string[] | undefined) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/**
 * Acts as AWS sign-in: trusts only `providerMetadata`, verifies schema and signature, and reads
 * the role pairs. Rejects (throws) as AWS would: a bad signature, another audience or recipient.
 */
export async function verifyLoginResponse(providerMetadata: string, samlResponse: string): Promise<VerifiedSignIn> {
    // Checked before parsing, as AWS does: an oversized response is refused unread.
    if (samlResponse.length > samlResponseLimit) {
        throw new Error(`the SAML response has ${samlResponse.length} characters, over the ${samlResponseLimit} AWS accepts`);
    }
    const parsed = await awsServiceProvider().parseLoginResponse(identityProvider(providerMetadata), "post", {
        body: { SAMLResponse: samlResponse },
    });
    const extract = parsed.extract;
    const audience = String(extract.audience);
    const recipient = String((extract.response as Record<string, string>).destination);
    if (audience !== awsSamlAudience) {
        throw new Error(`audience ${audience} is not ${awsSamlAudience}`);
    }
    if (recipient !== awsSamlSignInUrl) {
        throw new Error(`destination ${recipient} is not ${awsSamlSignInUrl}`);
    }
    const attributes: Record<string, string | string[]> = extract.attributes ?? {};
    const roles = asList(attributes[roleAttribute]).map((pair) => {
        // AWS accepts the two ARNs in either order.
        const [first, second] = pair.split(",");
        return first.includes(":saml-provider/") ? { providerArn: first, roleArn: second } : { providerArn: second, roleArn: first };
    });
    const roleSessionName = asList(attributes[sessionNameAttribute])[0];
    const sourceIdentity = asList(attributes[sourceIdentityAttribute])[0];
    const principalTags = Object.fromEntries(
        Object.entries(attributes)
            .filter(([name]) => name.startsWith(principalTagAttribute))
            .map(([name, value]) => [name.slice(principalTagAttribute.length), asList(value)[0]]),
    );
    for (const [name, value] of Object.entries({
        RoleSessionName: roleSessionName,
        ...(sourceIdentity !== undefined && { SourceIdentity: sourceIdentity }),
    })) {
        if (!new RegExp(`^${iamNameCharacter}{2,${awsSessionNameLimit}}$`).test(value ?? "")) {
            throw new Error(`${name} ${JSON.stringify(value)} is not 2–${awsSessionNameLimit} characters of A-Z a-z 0-9 + = , . @ _ -`);
        }
    }
    const sessionDuration = asList(attributes[sessionDurationAttribute])[0];
    return {
        audience,
        recipient,
        roles,
        roleSessionName,
        ...(sourceIdentity !== undefined && { sourceIdentity }),
        principalTags,
        ...(sessionDuration !== undefined && { sessionDuration: Number(sessionDuration) }),
    };
}
