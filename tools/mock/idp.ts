// The mock Okta IdP: its signing key and certificate, and the SAML 2.0 IdP metadata document Okta
// serves for an app. The key is kept in a cache file so repeated offline previews produce
// identical plans.
import * as crypto from "crypto";
import * as fs from "fs";
import * as forge from "node-forge";
import { readRegularFile, writeAtomically } from "../shared/files";

/** The mock IdP's signing key and certificate (PEM). */
export interface MockIdpKey {
    privateKeyPem: string;
    certificatePem: string;
}

const idpKeys = new Map<string, MockIdpKey>();
/** Cache files whose key this process made, to be saved once the plan it signed is good. */
const madeHere = new Set<string>();

/**
 * The signing key behind every mocked Okta app: generated once per process, or read from
 * `cacheFile` so that repeated offline previews produce identical plans. A cache file that is not
 * a good key (not a regular file, not JSON, a certificate that is not the key's) is not used: a
 * new key is made, and `keepMockIdpKey` replaces the file. Nothing is written here.
 */
export function mockIdpKey(cacheFile?: string): MockIdpKey {
    const memo = idpKeys.get(cacheFile ?? "");
    if (memo) {
        return memo;
    }
    const cached = cacheFile === undefined ? undefined : cachedIdpKey(cacheFile);
    const key = cached ?? mockIdpKeyMaker.make();
    if (cacheFile !== undefined && cached === undefined) {
        madeHere.add(cacheFile);
    }
    idpKeys.set(cacheFile ?? "", key);
    return key;
}

/** The key in `file`, if it is one: a private key and the certificate of its public key. */
function cachedIdpKey(file: string): MockIdpKey | undefined {
    if (!fs.lstatSync(file, { throwIfNoEntry: false })) {
        return undefined;
    }
    try {
        const { privateKeyPem, certificatePem } = JSON.parse(
            readRegularFile(file, { one: "key file", many: "key files", syntax: "json" }),
        ) as Partial<MockIdpKey>;
        if (typeof privateKeyPem !== "string" || typeof certificatePem !== "string") {
            return undefined;
        }
        const matches = new crypto.X509Certificate(certificatePem).checkPrivateKey(crypto.createPrivateKey(privateKeyPem));
        return matches ? { privateKeyPem, certificatePem } : undefined;
    } catch {
        return undefined;
    }
}

/** Saves the key used for `cacheFile` if this process made it (none was there, or a bad one) or the file is gone. */
export function keepMockIdpKey(cacheFile: string): void {
    const key = idpKeys.get(cacheFile);
    if (key && (madeHere.has(cacheFile) || !fs.lstatSync(cacheFile, { throwIfNoEntry: false }))) {
        writeAtomically(cacheFile, JSON.stringify(key), 0o600);
        madeHere.delete(cacheFile);
    }
}

/**
 * How this process makes a new key. The test run puts a maker in its place that reuses the keys
 * earlier runs made (tests/idpKeyCache.ts): RSA key generation is CPU-bound, and every new
 * `--out` folder of a test asks for a key. Either way each key a process makes differs from the
 * others it made.
 */
export const mockIdpKeyMaker = { make: generateIdpKey };

/** A new 2048-bit RSA key and its self-signed certificate, as the mock Okta IdP signs with. */
export function generateIdpKey(): MockIdpKey {
    const { privateKey, publicKey } = crypto.generateKeyPairSync("rsa", {
        modulusLength: 2048,
        publicKeyEncoding: { type: "spki", format: "pem" },
        privateKeyEncoding: { type: "pkcs8", format: "pem" },
    });
    const certificate = forge.pki.createCertificate();
    certificate.publicKey = forge.pki.publicKeyFromPem(publicKey);
    certificate.serialNumber = "01";
    certificate.validity.notBefore = new Date("2026-01-01T00:00:00Z");
    certificate.validity.notAfter = new Date("2036-01-01T00:00:00Z");
    const subject = [{ name: "commonName", value: "okta-aws offline preview IdP" }];
    certificate.setSubject(subject);
    certificate.setIssuer(subject);
    certificate.sign(forge.pki.privateKeyFromPem(privateKey), forge.md.sha256.create());
    return { privateKeyPem: privateKey, certificatePem: forge.pki.certificateToPem(certificate) };
}

/** A SAML 2.0 IdP metadata document as Okta serves it for an app. */
export function idpMetadata(entityId: string, ssoUrl: string, certificatePem: string): string {
    const certificate = certificatePem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, "");
    return (
        `<?xml version="1.0" encoding="UTF-8"?>` +
        `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${entityId}">` +
        `<md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">` +
        `<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data>` +
        `<ds:X509Certificate>${certificate}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>` +
        `<md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified</md:NameIDFormat>` +
        `<md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>` +
        `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${ssoUrl}"/>` +
        `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${ssoUrl}"/>` +
        `</md:IDPSSODescriptor></md:EntityDescriptor>`
    );
}
