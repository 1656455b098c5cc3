// The mock Okta IdP: its signing key and certificate, and the SAML 2.0 IdP metadata document Okta
// serves for an app. The key is kept in a cache file so repeated offline previews produce
// identical plans.
import * as crypto from "crypto";
import * as fs from "fs";
import * as forge from "node-forge";
import { writeAtomically } from "../shared/files";

/** The mock IdP's signing key and certificate (PEM). */
export interface MockIdpKey {
    privateKeyPem: string;
    certificatePem: string;
}

const idpKeys = new Map<string, MockIdpKey>();

/**
 * The signing key behind every mocked Okta app: generated once per process, or read from
 * `cacheFile` so that repeated offline previews produce identical plans. Nothing is written here:
 * `keepMockIdpKey` saves a new key once the plan it signed is good.
 */
export function mockIdpKey(cacheFile?: string): MockIdpKey {
    const memo = idpKeys.get(cacheFile ?? "");
    if (memo) {
        return memo;
    }
    const key = cacheFile && fs.existsSync(cacheFile) ? (JSON.parse(fs.readFileSync(cacheFile, "utf8")) as MockIdpKey) : generateIdpKey();
    idpKeys.set(cacheFile ?? "", key);
    return key;
}

/** Saves the key used for `cacheFile`, if one was made and the file is not there yet. */
export function keepMockIdpKey(cacheFile: string): void {
    const key = idpKeys.get(cacheFile);
    if (key && !fs.existsSync(cacheFile)) {
        writeAtomically(cacheFile, JSON.stringify(key), 0o600);
    }
}

function generateIdpKey(): MockIdpKey {
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
