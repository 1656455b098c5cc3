// The certificates a SAML metadata document holds, read as XML (never as text): every
// `ds:X509Certificate` element of the XML Signature namespace, wherever it stands — a certificate in
// a comment or a text node is no element and does not count; any element does, whichever
// descriptor holds it, since the audit cannot tell which of them AWS would trust less.
// SAML V2.0 metadata, KeyDescriptor: https://docs.oasis-open.org/security/saml/v2.0/saml-metadata-2.0-os.pdf §2.4.1.1;
// XML Signature, X509Data: https://www.w3.org/TR/xmldsig-core1/#sec-X509Data.
import * as crypto from "crypto";
import { DOMParser } from "@xmldom/xmldom";

const xmlSignatureNamespace = "http://www.w3.org/2000/09/xmldsig#";

/** The base64 certificates (white space removed) of a metadata document; undefined when it is not well-formed XML. */
export function certificatesOf(metadata: string): string[] | undefined {
    let document;
    try {
        // `errorHandler` (xmldom 0.9 calls it `onError`): the name the older copies' ambient typings also declare.
        document = new DOMParser({
            errorHandler: (level: string, message: unknown) => {
                if (level !== "warning") {
                    throw new Error(String(message));
                }
            },
        }).parseFromString(metadata, "text/xml");
    } catch {
        return undefined;
    }
    const elements = document.getElementsByTagNameNS(xmlSignatureNamespace, "X509Certificate");
    const certificates = Array.from({ length: elements.length }, (_, i) => (elements.item(i)?.textContent ?? "").replace(/\s/g, ""));
    return [...new Set(certificates)];
}

/** A certificate as the console shows it: `SHA-256 AB:CD:…`. */
function fingerprintOf(certificate: string): string {
    return `SHA-256 ${crypto
        .createHash("sha256")
        .update(Buffer.from(certificate, "base64"))
        .digest("hex")
        .toUpperCase()
        .replace(/(..)(?!$)/g, "$1:")}`;
}

/** Fingerprints joined, or "no certificate". */
export function listCertificates(certificates: string[]): string {
    return certificates.length === 0 ? "no certificate" : certificates.map(fingerprintOf).join(", ");
}
