// A stand-in for the AWS, Okta and random providers under Pulumi's mock runtime, shared by the
// tests and the offline preview. It answers as the real providers do where the program depends on
// it: ids (an IAM role's, user's and group's id is its name; a policy's and a SAML provider's is its
// ARN), ARNs from the stack's account, Okta ids, the app's SAML IdP metadata (./idp.ts), and stack
// references answered with other stacks' outputs. An import keeps the id it names (./existing.ts
// checks it); a create of something that exists already fails as the cloud refuses it.
import * as crypto from "crypto";
import * as pulumi from "@pulumi/pulumi";
import { checkCreate, ExistingObject } from "./existing";
import { idpMetadata, mockIdpKey } from "./idp";
import type { StackOutputsForReference } from "./outputs";
import type { RegisteredResource } from "./runtime";

export interface MockCloudOptions {
    /** The AWS account the stack deploys into; ARNs are built in it. */
    accountId: string;
    partition: string;
    /** `okta:orgName` and `okta:baseUrl`, for Okta URLs. */
    oktaOrgName?: string;
    oktaBaseUrl?: string;
    /** Outputs of the stacks this stack references, by fully qualified stack name. */
    stackOutputs?: Record<string, StackOutputsForReference>;
    /**
     * The objects of this account and Okta org built by hand (./existing.ts): imports are checked
     * against them and creates collide with them. Unknown when not given: imports are then only
     * checked for their id's format.
     */
    existing?: ExistingObject[];
}

/**
 * Every key Okta returns in the `amazon_aws` app's settings, null when unset, as recorded in
 * terraform-provider-okta's test fixture test/fixtures/vcr/idaas/
 * TestAccResourceOktaAppSignOnPolicyRule_AUTH_METHOD_CHAIN/oie-00.yaml.
 */
export const oktaAwsAppSettingKeys = [
    "accessKey",
    "accountID",
    "appFilter",
    "awsEnvironmentType",
    "groupFilter",
    "identityProviderArn",
    "joinAllRoles",
    "loginURL",
    "overrideAcsURL",
    "roleValuePattern",
    "secretKey",
    "secretKeyEnc",
    "sessionDuration",
    "useGroupMapping",
    "webSSOAllowedClient",
];

/** The credentials Okta keeps in the app's settings once the API integration is on (illustrative values). */
export const mockApiIntegrationCredentials = {
    accessKey: "AKIAMOCKAPIINTEGRATN",
    secretKey: "mock-secret-key-as-okta-returns-it",
    secretKeyEnc: "mock-encrypted-secret-key",
};

/**
 * The app user profile keys of the `amazon_aws` app: the single `role` and the SAML 2.0
 * `samlRoles` ("The Role attribute … The SAML user roles attribute", Okta help, Learn about
 * Amazon Web Services integration). Okta returns both, null when unset.
 */
export const oktaAwsAppUserProfileKeys = ["role", "samlRoles"];

/** An assignment's profile as Okta returns it for the AWS app, as JSON the provider keeps. */
export function oktaReturnedAppUserProfile(sentJson: string): string {
    const sent = JSON.parse(sentJson) as Record<string, unknown>;
    return JSON.stringify(Object.fromEntries(oktaAwsAppUserProfileKeys.map((key) => [key, sent[key] ?? null])));
}

/** The app's settings as Okta returns them: every key, null when unset. */
export function oktaReturnedAppSettings(stored: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(oktaAwsAppSettingKeys.map((key) => [key, stored[key] ?? null]));
}

/**
 * What the provider keeps in state after reading the settings: null and empty string values
 * dropped (terraform-provider-okta okta/services/idaas/app.go `setAppSettings`).
 */
export function providerReadSettings(returned: Record<string, unknown>): string {
    return JSON.stringify(Object.fromEntries(Object.entries(returned).filter(([, v]) => v !== null && v !== "")));
}

/**
 * Whether the provider sees no change between the settings in state and those sent: both parsed,
 * keys whose value is `false` dropped, then compared deeply (terraform-provider-okta
 * okta/utils/utils.go `NoChangeInObjectFromUnmarshaledJSON`, the `DiffSuppressFunc` of
 * `app_settings_json` and of an app user's `profile`).
 */
export function providerSeesNoChange(stateJson: string, sentJson: string): boolean {
    const withoutFalse = (value: unknown): unknown =>
        value !== null && typeof value === "object" && !Array.isArray(value)
            ? Object.fromEntries(
                  Object.entries(value)
                      .filter(([, v]) => v !== false)
                      .map(([k, v]) => [k, withoutFalse(v)]),
              )
            : value;
    const canonical = (value: unknown): unknown =>
        Array.isArray(value)
            ? value.map(canonical)
            : value !== null && typeof value === "object"
              ? Object.fromEntries(
                    Object.keys(value)
                        .sort()
                        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
                )
              : value;
    const normal = (json: string) => JSON.stringify(canonical(withoutFalse(JSON.parse(json))));
    return normal(stateJson) === normal(sentJson);
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

/** The Okta objects whose ids appear in other resources' inputs, and the input that names each. */
const oktaObjectKinds: Record<string, { kind: string; key: string }> = {
    "okta:user/user:User": { kind: "Okta user", key: "login" },
    "okta:group/group:Group": { kind: "Okta group", key: "name" },
    "okta:group/rule:Rule": { kind: "Okta group rule", key: "name" },
    "okta:app/saml:Saml": { kind: "Okta app", key: "label" },
    "okta:app/oAuth:OAuth": { kind: "Okta app", key: "label" },
};

export class MockCloud implements pulumi.runtime.Mocks {
    /** Every resource registered since the last `clear()`, in registration order. */
    readonly resources: RegisteredResource[] = [];
    /** Every provider function called, by token. */
    readonly calls: string[] = [];
    /** The arguments of every provider function called, in the same order. */
    readonly callInputs: Record<string, unknown>[] = [];
    /**
     * Registrations the cloud refused. The engine fails the deployment on any of them, even one
     * whose outputs nothing reads; the program's promise alone would not show those.
     */
    readonly failures: Error[] = [];
    /**
     * Every Okta id handed out (made up, or the one an import names), with what it stands for:
     * `Okta user <login>`, `Okta group <name>`, … A report never shows such an id alone.
     */
    readonly oktaIds = new Map<string, string>();

    constructor(
        public options: MockCloudOptions,
        private readonly idpKeyCacheFile?: string,
    ) {}

    clear(): void {
        this.resources.length = 0;
        this.calls.length = 0;
        this.callInputs.length = 0;
        this.failures.length = 0;
        this.oktaIds.clear();
    }

    private get oktaHost(): string {
        return `${this.options.oktaOrgName ?? "example"}.${this.options.oktaBaseUrl ?? "okta.com"}`;
    }

    private arn(kind: string, name: string): string {
        return `arn:${this.options.partition}:iam::${this.options.accountId}:${kind}/${name}`;
    }

    newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
        const result = this.answer(args);
        const inputs = args.inputs as Record<string, string>;
        const standsFor = oktaObjectKinds[args.type];
        if (standsFor && result.id !== undefined) {
            this.oktaIds.set(result.id, `${standsFor.kind} ${inputs[standsFor.key]}`);
        }
        if (!args.id && args.custom && result.id !== undefined) {
            checkCreate(args.type, args.name, result.id, args.inputs as Record<string, unknown>, this.options.existing);
        }
        return result;
    }

    private answer(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
        const inputs = args.inputs as Record<string, string>;
        // The engine hands an import's id to the mock (empty for a create); Okta's ids are Okta's own.
        const importId = args.id || undefined;
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
                const { keepers, byteLength } = args.inputs as { keepers?: Record<string, string>; byteLength: number };
                const bytes = Buffer.from(digest(JSON.stringify(keepers ?? {}) + args.name), "hex").subarray(0, byteLength);
                const b64Url = bytes.toString("base64url");
                return state(b64Url, {
                    hex: bytes.toString("hex"),
                    b64Url,
                    b64Std: bytes.toString("base64"),
                    dec: BigInt(`0x${bytes.toString("hex")}`).toString(),
                });
            }
            case "okta:app/saml:Saml": {
                const id = importId ?? oktaId("0oa", inputs.label);
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
                return state(importId ?? oktaId("00u", inputs.login), { status: "ACTIVE" });
            case "okta:group/group:Group":
                return state(importId ?? oktaId("00g", inputs.name));
            case "okta:group/rule:Rule":
                return state(oktaId("0pr", inputs.name));
            case "okta:index/appOauthApiScope:AppOauthApiScope":
                return state(inputs.appId);
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
        this.callInputs.push(args.inputs as Record<string, unknown>);
        switch (args.token) {
            case "okta:user/getUser:getUser": {
                const login = (args.inputs as { searches: { name: string; value: string }[] }).searches.find(
                    (s) => s.name === "profile.login",
                )?.value;
                if (!login) {
                    throw new Error("mockCloud: okta getUser expects a profile.login search");
                }
                this.oktaIds.set(oktaId("00u", login), `Okta user ${login}`);
                return { id: oktaId("00u", login), login, email: login, status: "ACTIVE" };
            }
            case "okta:app/getSaml:getSaml": {
                // The app as Okta returns it after the manual API-integration step.
                const label = (args.inputs as { label: string }).label;
                this.oktaIds.set(oktaId("0oa", label), `Okta app ${label}`);
                return {
                    id: oktaId("0oa", label),
                    label,
                    name: "amazon_aws",
                    appSettingsJson: JSON.stringify(oktaReturnedAppSettings(mockApiIntegrationCredentials)),
                    features: ["IMPORT_NEW_USERS", "PUSH_NEW_USERS"],
                };
            }
            default:
                throw new Error(`mockCloud: no mock for provider function ${args.token}`);
        }
    }
}
