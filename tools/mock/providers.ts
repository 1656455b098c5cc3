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
    /** Inputs whose change replaces the resource (`replaceOnChanges`). */
    replaceOnChanges: string[];
    /** Inputs whose change is ignored (`ignoreChanges`). */
    ignoreChanges: string[];
    /** URNs this resource is also known by: its own aliases and those inherited from its parent's. */
    aliases: string[];
    /** The id it is imported by (Pulumi's `import` option), if it is adopted rather than created. */
    importId?: string;
    /** Inputs the update that follows the import changes in place (known when the existing objects are). */
    importChanges?: string[];
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
const oktaAwsAppSettingKeys = [
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

/** The app's settings as Okta returns them: every key, null when unset. */
export function oktaReturnedAppSettings(stored: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(oktaAwsAppSettingKeys.map((key) => [key, stored[key] ?? null]));
}

function digest(text: string): string {
    return crypto.createHash("sha256").update(text).digest("hex");
}

/** A deterministic Okta-style id: a type prefix and 17 characters. */
export function mockOktaId(prefix: string, key: string): string {
    return (
        prefix +
        Buffer.from(digest(key), "hex")
            .toString("base64")
            .replace(/[^A-Za-z0-9]/g, "")
            .slice(0, 17)
    );
}

/** The Okta objects whose ids appear in other resources' inputs, and the input that names each. */
/** The Okta object an Okta id stands for: its kind and the name that tells it apart (a user's login, a group's or rule's name, an app's label). */
export interface OktaObject {
    kind: "user" | "group" | "group rule" | "app";
    name: string;
}

const oktaObjectKinds: Record<string, { kind: OktaObject["kind"]; key: string }> = {
    "okta:user/user:User": { kind: "user", key: "login" },
    "okta:group/group:Group": { kind: "group", key: "name" },
    "okta:group/rule:Rule": { kind: "group rule", key: "name" },
    "okta:app/saml:Saml": { kind: "app", key: "label" },
    "okta:app/oAuth:OAuth": { kind: "app", key: "label" },
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
    /** Provider functions that failed, in order: the run fails with the first, in the provider's words. */
    readonly invokeFailures: Error[] = [];
    /**
     * Every Okta id handed out (made up, or the one an import names), with the object it stands
     * for. A report never shows such an id alone.
     */
    readonly oktaIds = new Map<string, OktaObject>();

    constructor(
        public options: MockCloudOptions,
        private readonly idpKeyCacheFile?: string,
    ) {}

    clear(): void {
        this.resources.length = 0;
        this.calls.length = 0;
        this.callInputs.length = 0;
        this.failures.length = 0;
        this.invokeFailures.length = 0;
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
            this.oktaIds.set(result.id, { kind: standsFor.kind, name: String(inputs[standsFor.key]) });
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
                return state(inputs.name, { arn: this.arn("role", inputs.name), uniqueId: mockOktaId("AROA", inputs.name).toUpperCase() });
            case "aws:iam/policy:Policy":
                return state(this.arn("policy", inputs.name), {
                    arn: this.arn("policy", inputs.name),
                    policyId: mockOktaId("ANPA", inputs.name).toUpperCase(),
                });
            case "aws:iam/samlProvider:SamlProvider":
                return state(this.arn("saml-provider", inputs.name), {
                    arn: this.arn("saml-provider", inputs.name),
                    validUntil: "2036-01-01T00:00:00Z",
                });
            case "aws:iam/user:User":
                return state(inputs.name, { arn: this.arn("user", inputs.name), uniqueId: mockOktaId("AIDA", inputs.name).toUpperCase() });
            case "aws:iam/group:Group":
                return state(inputs.name, { arn: this.arn("group", inputs.name), uniqueId: mockOktaId("AGPA", inputs.name).toUpperCase() });
            case "aws:iam/rolePolicyAttachment:RolePolicyAttachment":
                return state(`${inputs.role}/${inputs.policyArn}`);
            case "aws:iam/groupPolicy:GroupPolicy":
                return state(`${inputs.group}:${inputs.name}`);
            case "aws:iam/rolePolicy:RolePolicy":
                return state(`${inputs.role}:${inputs.name}`);
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
                const id = importId ?? mockOktaId("0oa", inputs.label);
                const entityUrl = `http://www.okta.com/${mockOktaId("exk", inputs.label)}`;
                const ssoUrl = `https://${this.oktaHost}/app/${inputs.preconfiguredApp}/${mockOktaId("exk", inputs.label)}/sso/saml`;
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
                const id = mockOktaId("0oa", inputs.label);
                return state(id, { clientId: id, signOnMode: "OPENID_CONNECT", status: "ACTIVE" });
            }
            case "okta:user/user:User":
                return state(importId ?? mockOktaId("00u", inputs.login), { status: "ACTIVE" });
            case "okta:group/group:Group":
                return state(importId ?? mockOktaId("00g", inputs.name));
            case "okta:group/rule:Rule":
                return state(mockOktaId("0pr", inputs.name));
            case "okta:index/appSignonPolicy:AppSignonPolicy": {
                // Okta's authentication (ACCESS_POLICY) policy ids start with `rst`; its catch-all
                // rule is created with it (terraform-provider-okta `default_rule_id`).
                const id = mockOktaId("rst", inputs.name);
                return state(id, { defaultRuleId: mockOktaId("rul", `${inputs.name} catch-all`) });
            }
            case "okta:index/appSignonPolicyRule:AppSignonPolicyRule":
                return state(mockOktaId("rul", `${inputs.policyId}/${inputs.name}`), { system: false });
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
        try {
            return this.callResult(args);
        } catch (error) {
            // The engine fails the run with the provider's words; the SDK's mock loses them in the
            // input that awaited the call ("error serializing property …"), so the run reports this.
            const failure = new Error(
                `invocation of ${args.token} returned an error: ${error instanceof Error ? error.message : String(error)}`,
            );
            this.invokeFailures.push(failure);
            throw failure;
        }
    }

    private callResult(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        switch (args.token) {
            case "okta:user/getUser:getUser": {
                const login = (args.inputs as { searches: { name: string; value: string }[] }).searches.find(
                    (s) => s.name === "profile.login",
                )?.value;
                if (!login) {
                    throw new Error("mockCloud: okta getUser expects a profile.login search");
                }
                // Okta matches `profile.login eq` whatever the case, and answers with the login as it stores it.
                const stored = this.options.existing?.find(
                    (o) => o.type === "okta:user/user:User" && String(o.inputs.login).toLowerCase() === login.toLowerCase(),
                );
                const storedLogin = stored ? String(stored.inputs.login) : login;
                this.oktaIds.set(mockOktaId("00u", login), { kind: "user", name: login });
                return { id: mockOktaId("00u", login), login: storedLogin, email: storedLogin, status: "ACTIVE" };
            }
            case "okta:group/getGroup:getGroup": {
                const { name, id } = args.inputs as { name?: string; id?: string };
                const found = id !== undefined ? this.existingGroupById(id) : name !== undefined ? this.existingGroup(name) : undefined;
                if (found === undefined) {
                    throw new Error("mockCloud: okta getGroup is looked up by name or by id");
                }
                this.oktaIds.set(found.id, { kind: "group", name: found.name });
                return { id: found.id, name: found.name, description: "", type: "OKTA_GROUP", users: [] };
            }
            case "okta:app/getSaml:getSaml": {
                // The app as Okta returns it after the manual API-integration step.
                const { id, label } = args.inputs as { id?: string; label?: string };
                if (id === undefined) {
                    throw new Error("mockCloud: okta getSaml is looked up by id (a label search is a starts-with match)");
                }
                return {
                    id,
                    label: label ?? "Amazon Web Services",
                    name: "amazon_aws",
                    appSettingsJson: JSON.stringify(oktaReturnedAppSettings(mockApiIntegrationCredentials)),
                    features: ["IMPORT_NEW_USERS", "PUSH_NEW_USERS"],
                };
            }
            default:
                throw new Error(`mockCloud: no mock for provider function ${args.token}`);
        }
    }

    /**
     * The group the provider's okta_group look-up finds by name (data_source_okta_group.go
     * `findGroup`): Okta's `q` is a starts-with match ignoring case; of several matches the one
     * named exactly, of one match that one whatever its name. With the existing objects unknown,
     * the group is there, under its own name and a deterministic id.
     */
    /**
     * The group Okta returns for an id: the one existing.json describes. Offline there is no other
     * way to know a directory group's name, and the program checks it against the configuration.
     */
    private existingGroupById(id: string): { id: string; name: string } {
        const groups = this.options.existing?.filter((o) => o.type === "okta:group/group:Group");
        if (groups === undefined) {
            throw new Error(
                `the offline run cannot know the name of Okta group ${id} (okta-aws:groups[].oktaId): describe the directory's group in existing.json beside the stack files (docs/preview.md), as Okta would return it`,
            );
        }
        const chosen = groups.find((g) => g.id === id);
        if (!chosen) {
            throw new Error(`group with id "${id}" does not exist`);
        }
        return { id: chosen.id, name: String(chosen.inputs.name) };
    }

    private existingGroup(name: string): { id: string; name: string } {
        const groups = this.options.existing?.filter((o) => o.type === "okta:group/group:Group");
        if (groups === undefined) {
            return { id: mockOktaId("00g", name), name };
        }
        const matches = groups.filter((g) => String(g.inputs.name).toLowerCase().startsWith(name.toLowerCase()));
        const chosen = matches.find((g) => g.inputs.name === name) ?? (matches.length === 1 ? matches[0] : undefined);
        if (!chosen) {
            throw new Error(
                matches.length === 0
                    ? `group with name "${name}" does not exist`
                    : `group starting with name "${name}" matches ${matches.length} groups, select a more precise name parameter`,
            );
        }
        return { id: chosen.id, name: String(chosen.inputs.name) };
    }
}
