// A stand-in for the AWS, Okta and random providers under Pulumi's mock runtime, shared by the
// tests and the offline preview. It answers as the real providers do where the program depends on
// it: ids (an IAM role's, user's and group's id is its name; a policy's and a SAML provider's is its
// ARN), ARNs from the stack's account, Okta ids, a SAML 2.0 IdP metadata document with a real
// X.509 signing certificate, and stack references answered with other stacks' outputs.
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as forge from "node-forge";

export interface StackOutputsForReference {
    outputs: Record<string, unknown>;
    secretOutputNames: string[];
}

export interface MockCloudOptions {
    /** The AWS account the stack deploys into; ARNs are built in it. */
    accountId: string;
    partition: string;
    /** `okta:orgName` and `okta:baseUrl`, for Okta URLs. */
    oktaOrgName?: string;
    oktaBaseUrl?: string;
    /** Outputs of the stacks this stack references, by fully qualified stack name. */
    stackOutputs?: Record<string, StackOutputsForReference>;
}

/** One registered resource, as the engine would see it. */
export interface RegisteredResource {
    urn: string;
    type: string;
    name: string;
    /** URN of the parent, `undefined` at the top. */
    parent?: string;
    custom: boolean;
    inputs: Record<string, unknown>;
    protect: boolean;
    /** URNs this resource depends on (`dependsOn` and the resources its inputs come from). */
    dependencies: string[];
    /** Whether the resource has a `replacementTrigger`. */
    hasReplacementTrigger: boolean;
    /** URNs this resource is also known by: its own aliases and those inherited from its parent's. */
    aliases: string[];
}

/** The mock IdP's signing key and certificate (PEM). */
export interface MockIdpKey {
    privateKeyPem: string;
    certificatePem: string;
}

const idpKeys = new Map<string, MockIdpKey>();

/**
 * The signing key behind every mocked Okta app: generated once per process, or kept in
 * `cacheFile` so that repeated offline previews produce identical plans.
 */
export function mockIdpKey(cacheFile?: string): MockIdpKey {
    const memo = idpKeys.get(cacheFile ?? "");
    if (memo) {
        return memo;
    }
    let key: MockIdpKey;
    if (cacheFile && fs.existsSync(cacheFile)) {
        key = JSON.parse(fs.readFileSync(cacheFile, "utf8")) as MockIdpKey;
    } else {
        key = generateIdpKey();
        if (cacheFile) {
            fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
            fs.writeFileSync(cacheFile, JSON.stringify(key), { mode: 0o600 });
        }
    }
    idpKeys.set(cacheFile ?? "", key);
    return key;
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

function digest(text: string): string {
    return crypto.createHash("sha256").update(text).digest("hex");
}

/** A deterministic Okta-style id: a type prefix and 17 characters. */
export function oktaId(prefix: string, key: string): string {
    return (
        prefix +
        Buffer.from(digest(key), "hex")
            .toString("base64")
            .replace(/[^A-Za-z0-9]/g, "")
            .slice(0, 17)
    );
}

export class MockCloud implements pulumi.runtime.Mocks {
    /** Every resource registered since the last `clear()`, in registration order. */
    readonly resources: RegisteredResource[] = [];
    /** Every provider function called, by token. */
    readonly calls: string[] = [];

    constructor(
        public options: MockCloudOptions,
        private readonly idpKeyCacheFile?: string,
    ) {}

    clear(): void {
        this.resources.length = 0;
        this.calls.length = 0;
    }

    private get oktaHost(): string {
        return `${this.options.oktaOrgName ?? "example"}.${this.options.oktaBaseUrl ?? "okta.com"}`;
    }

    private arn(kind: string, name: string): string {
        return `arn:${this.options.partition}:iam::${this.options.accountId}:${kind}/${name}`;
    }

    newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
        const inputs = args.inputs as Record<string, any>;
        const state = (id: string, extra: Record<string, unknown> = {}) => ({ id, state: { ...inputs, ...extra } });
        switch (args.type) {
            case "aws:iam/role:Role":
                return state(inputs.name, { arn: this.arn("role", inputs.name), uniqueId: oktaId("AROA", inputs.name).toUpperCase() });
            case "aws:iam/policy:Policy":
                return state(this.arn("policy", inputs.name), {
                    arn: this.arn("policy", inputs.name),
                    policyId: oktaId("ANPA", inputs.name).toUpperCase(),
                });
            case "aws:iam/samlProvider:SamlProvider":
                return state(this.arn("saml-provider", inputs.name), {
                    arn: this.arn("saml-provider", inputs.name),
                    validUntil: "2036-01-01T00:00:00Z",
                });
            case "aws:iam/user:User":
                return state(inputs.name, { arn: this.arn("user", inputs.name), uniqueId: oktaId("AIDA", inputs.name).toUpperCase() });
            case "aws:iam/group:Group":
                return state(inputs.name, { arn: this.arn("group", inputs.name), uniqueId: oktaId("AGPA", inputs.name).toUpperCase() });
            case "aws:iam/rolePolicyAttachment:RolePolicyAttachment":
                return state(`${inputs.role}/${inputs.policyArn}`);
            case "aws:iam/groupPolicy:GroupPolicy":
                return state(`${inputs.group}:${inputs.name}`);
            case "aws:iam/userGroupMembership:UserGroupMembership":
                return state(`terraform-${digest(args.name).slice(0, 26)}`);
            case "aws:iam/accessKey:AccessKey": {
                const seed = digest(`${this.options.accountId}/${inputs.user}/${args.name}`);
                return state(`AKIA${seed.slice(0, 16).toUpperCase()}`, {
                    secret: Buffer.from(seed, "hex").toString("base64").slice(0, 40),
                    status: "Active",
                });
            }
            case "random:index/randomId:RandomId": {
                const bytes = Buffer.from(digest(JSON.stringify(inputs.keepers ?? {}) + args.name), "hex").subarray(0, inputs.byteLength);
                const b64Url = bytes.toString("base64url");
                return state(b64Url, {
                    hex: bytes.toString("hex"),
                    b64Url,
                    b64Std: bytes.toString("base64"),
                    dec: BigInt(`0x${bytes.toString("hex")}`).toString(),
                });
            }
            case "okta:app/saml:Saml": {
                const id = oktaId("0oa", inputs.label);
                const entityUrl = `http://www.okta.com/${oktaId("exk", inputs.label)}`;
                const ssoUrl = `https://${this.oktaHost}/app/${inputs.preconfiguredApp}/${oktaId("exk", inputs.label)}/sso/saml`;
                return state(id, {
                    name: inputs.preconfiguredApp,
                    signOnMode: "SAML_2_0",
                    entityUrl,
                    entityKey: entityUrl.split("/").pop(),
                    httpPostBinding: ssoUrl,
                    httpRedirectBinding: ssoUrl,
                    embedUrl: `https://${this.oktaHost}/home/${inputs.preconfiguredApp}/${id}/272`,
                    metadataUrl: `https://${this.oktaHost}/api/v1/apps/${id}/sso/saml/metadata`,
                    metadata: idpMetadata(entityUrl, ssoUrl, mockIdpKey(this.idpKeyCacheFile).certificatePem),
                    features: [],
                    status: "ACTIVE",
                });
            }
            case "okta:app/oAuth:OAuth": {
                // Okta's client id of an OIDC app is its app id.
                const id = oktaId("0oa", inputs.label);
                return state(id, { clientId: id, signOnMode: "OPENID_CONNECT", status: "ACTIVE" });
            }
            case "okta:user/user:User":
                return state(oktaId("00u", inputs.login), { status: "ACTIVE" });
            case "okta:group/group:Group":
                return state(oktaId("00g", inputs.name));
            case "okta:app/user:User":
                return state(inputs.userId);
            case "okta:app/groupAssignment:GroupAssignment":
                return state(inputs.groupId);
            case "okta:index/groupMemberships:GroupMemberships":
                return state(inputs.groupId);
            case "pulumi:pulumi:StackReference": {
                const referenced = this.options.stackOutputs?.[inputs.name];
                return state(inputs.name, { outputs: referenced?.outputs ?? {}, secretOutputNames: referenced?.secretOutputNames ?? [] });
            }
            default:
                if (!args.custom) {
                    return { id: undefined, state: {} };
                }
                throw new Error(`mockCloud: no mock for resource type ${args.type} (${args.name})`);
        }
    }

    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        this.calls.push(args.token);
        switch (args.token) {
            case "okta:user/getUser:getUser": {
                const login = (args.inputs.searches as { name: string; value: string }[]).find((s) => s.name === "profile.login")?.value;
                if (!login) {
                    throw new Error("mockCloud: okta getUser expects a profile.login search");
                }
                return { id: oktaId("00u", login), login, email: login, status: "ACTIVE" };
            }
            default:
                throw new Error(`mockCloud: no mock for provider function ${args.token}`);
        }
    }
}

/**
 * Inputs as the engine receives them, made readable: secrets become "[secret]", values unknown at
 * preview "[unknown]", resource references their URN.
 */
export function redactInputs(value: unknown): unknown {
    if (value === pulumi.runtime.unknownValue) {
        return "[unknown]";
    }
    if (Array.isArray(value)) {
        return value.map(redactInputs);
    }
    if (value !== null && typeof value === "object") {
        const record = value as Record<string, unknown>;
        if (record[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig) {
            return secretMarker;
        }
        if (record[pulumi.runtime.specialSigKey] === pulumi.runtime.specialResourceSig) {
            return record.urn;
        }
        return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, redactInputs(v)]));
    }
    return value;
}

/**
 * Installs the mock cloud as the Pulumi runtime for one stack of this project, recording every
 * registration (with its parent and options) in `cloud.resources`.
 */
export async function installMockCloud(cloud: MockCloud, project: string, stack: string, organization = "organization"): Promise<void> {
    await pulumi.runtime.setMocks(cloud, project, stack, true, organization);
    const monitor = pulumi.runtime.getMonitor() as any;
    // URNs as the engine forms them: the parent's whole type chain, without the root Stack's type.
    // (The SDK's mock monitor keeps only the parent's last type, and keeps the Stack's.)
    monitor.newUrn = (parent: string, type: string, name: string) => {
        const parentType = parent ? parent.split("::")[2] : "";
        const qualifiedType = parentType && parentType !== "pulumi:pulumi:Stack" ? `${parentType}$${type}` : type;
        return `urn:pulumi:${stack}::${project}::${qualifiedType}::${name}`;
    };
    const register = monitor.registerResource.bind(monitor);
    const aliasesByUrn = new Map<string, string[]>();
    monitor.registerResource = (request: any, callback: (error: unknown, response: any) => void) =>
        register(request, (error: unknown, response: any) => {
            if (!error) {
                const aliases = aliasUrns(monitor, request, aliasesByUrn);
                aliasesByUrn.set(response.getUrn(), aliases);
                cloud.resources.push({
                    urn: response.getUrn(),
                    type: request.getType(),
                    name: request.getName(),
                    parent: request.getParent() || undefined,
                    custom: request.getCustom(),
                    inputs: redactInputs(request.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>,
                    protect: request.getProtect() ?? false,
                    dependencies: request.getDependenciesList(),
                    hasReplacementTrigger: request.getReplacementTrigger() !== undefined,
                    aliases,
                });
            }
            callback(error, response);
        });
}

/**
 * The alias URNs the engine would give a registration: its own alias specs, and for each alias of
 * its parent the same child under that alias, renamed along with the parent when the child's name
 * starts with the parent's (the `${name}-suffix` convention).
 */
function aliasUrns(monitor: any, request: any, aliasesByUrn: Map<string, string[]>): string[] {
    const parent: string = request.getParent();
    const own = request.getAliasesList().map((alias: any) => {
        const spec = alias.getSpec();
        if (!spec) {
            return alias.getUrn();
        }
        const aliasParent = spec.getNoparent() ? "" : spec.getParenturn() || parent;
        return monitor.newUrn(aliasParent, spec.getType() || request.getType(), spec.getName() || request.getName());
    });
    const parentName = parent ? parent.slice(parent.lastIndexOf("::") + 2) : "";
    const inherited = (aliasesByUrn.get(parent) ?? []).map((parentAlias) => {
        const parentAliasName = parentAlias.slice(parentAlias.lastIndexOf("::") + 2);
        const name: string = request.getName();
        const aliasName = parentName && name.startsWith(parentName) ? parentAliasName + name.slice(parentName.length) : name;
        return monitor.newUrn(parentAlias, request.getType(), aliasName);
    });
    return [...new Set<string>([...own, ...inherited])];
}

/** What a stack exported, resolved: the values, and the same with every secret replaced. */
export interface ResolvedOutputs {
    values: Record<string, unknown>;
    /** As `pulumi stack output` prints them: secrets as "[secret]". */
    redacted: Record<string, unknown>;
    /** Top-level outputs that are or hold a secret (what a StackReference reports as secret). */
    secretOutputNames: string[];
}

export const secretMarker = "[secret]";

/** Resolves a stack's exports, keeping track of which values are Pulumi secrets. */
export async function resolveOutputs(exported: Record<string, unknown>): Promise<ResolvedOutputs> {
    const secretOutputNames: string[] = [];
    const values: Record<string, unknown> = {};
    const redacted: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(exported)) {
        let holdsSecret = false;
        const walk = async (v: unknown): Promise<[unknown, unknown]> => {
            if (pulumi.Output.isInstance(v)) {
                const resolved = await new Promise<unknown>((resolve) => v.apply(resolve));
                if (await pulumi.isSecret(v)) {
                    holdsSecret = true;
                    // The value may still hold Outputs of its own; the whole of it is secret.
                    return [(await walk(resolved))[0], secretMarker];
                }
                return walk(resolved);
            }
            if (Array.isArray(v)) {
                const pairs = await Promise.all(v.map(walk));
                return [pairs.map((p) => p[0]), pairs.map((p) => p[1])];
            }
            if (v !== null && typeof v === "object") {
                const entries = await Promise.all(Object.entries(v).map(async ([k, inner]) => [k, await walk(inner)] as const));
                return [Object.fromEntries(entries.map(([k, p]) => [k, p[0]])), Object.fromEntries(entries.map(([k, p]) => [k, p[1]]))];
            }
            return [v, v];
        };
        [values[name], redacted[name]] = await walk(await value);
        if (holdsSecret) {
            secretOutputNames.push(name);
        }
    }
    return { values, redacted, secretOutputNames };
}
