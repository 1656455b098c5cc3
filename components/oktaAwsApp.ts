// Okta's Amazon Web Services app (SAML 2.0) set up for the Identity Account Structure: its IdP
// metadata for the IAM SAML provider, and whether Okta shows its API integration switched on.
import * as okta from "@pulumi/okta";
import * as pulumi from "@pulumi/pulumi";
import { defaultGroupFilter } from "./groupFilter";
import { importOption } from "./adoption";
import { roleValuePattern } from "./names";
import type { IdentityOutputs } from "./outputs";

/** The app's settings this program decides, as the identity stack exports them. */
export type OktaAwsAppSettings = IdentityOutputs["oktaAppSettings"];

/**
 * The arguments of an OktaAwsApp. Plain values from the identity stack's config, so the app's
 * settings are complete at preview; only `webSsoAllowedClient` is an Input (another app's id).
 */
export interface OktaAwsAppArgs {
    /** The app's label on users' Okta dashboards. */
    readonly label: string;
    /** ARN of the AWS SAML provider, computed rather than read so the app and provider form no cycle. */
    readonly identityProviderArn: string;
    /** Name of that SAML provider, for the role value pattern. */
    readonly samlProviderName: string;
    /** The AWS partition of the identity account, for the role value pattern's ARNs. */
    readonly partition: string;
    /** Seconds a console session lasts (900–43200). */
    readonly sessionDuration: number;
    /** Where users land after sign-in. */
    readonly loginUrl: string;
    /** Join the SAML roles of all the user's groups with their own (Okta's `joinAllRoles`). */
    readonly joinAllRoles: boolean;
    /** Client id of the OIDC app okta-aws-cli signs in with (the "Allowed Web SSO Client"). */
    readonly webSsoAllowedClient?: pulumi.Input<string>;
    /** Roles come from Okta groups named per role (`groupMapping`) rather than SAML User Roles. */
    readonly useGroupMapping: boolean;
    /**
     * The API integration is on (the roles were imported through it): keep the credentials Okta
     * holds for it in the settings this program sends. Plain: it decides whether the app is looked up.
     */
    readonly apiIntegration: boolean;
    /** The app exists (built by hand from the guide): import it by this Okta app id (`0oa…`). */
    readonly adoptId?: string;
    /**
     * The app's id, required with `apiIntegration`: the integration's credentials are read from the
     * app by id. A look-up by label is a starts-with search (`/api/v1/apps?q=`) that fails when
     * another app's label begins the same (okta/terraform-provider-okta #2847). Plain: from the stack file.
     */
    readonly appId?: string;
    /**
     * The app sign-on policy's id (SignOnPolicy). Set on the app itself, so every update of the app
     * sends it: a policy assigned apart is reset to Okta's default by the next update
     * (terraform-provider-okta #1817). Without it the app keeps Okta's default policy.
     */
    readonly authenticationPolicy?: pulumi.Input<string>;
}

/**
 * The Okta settings of the *Amazon Web Services* (`amazon_aws`) app, complete: Okta returns every
 * one of these keys, and a key left out would show as a change on every preview.
 */
export function oktaAwsAppSettings(
    args: Omit<OktaAwsAppArgs, "webSsoAllowedClient" | "apiIntegration" | "adoptId" | "appId" | "authenticationPolicy"> & {
        webSsoAllowedClient?: string;
    },
): OktaAwsAppSettings {
    return {
        // Only Okta-mastered groups count for group mapping: a directory admin cannot mint a role group.
        appFilter: "okta",
        awsEnvironmentType: "aws.amazon",
        groupFilter: defaultGroupFilter,
        identityProviderArn: args.identityProviderArn,
        joinAllRoles: args.joinAllRoles,
        loginURL: args.loginUrl,
        roleValuePattern: roleValuePattern(args.partition, args.samlProviderName),
        sessionDuration: args.sessionDuration,
        useGroupMapping: args.useGroupMapping,
        ...(args.webSsoAllowedClient ? { webSSOAllowedClient: args.webSsoAllowedClient } : {}),
    };
}

/**
 * The keys the API integration adds to the app's settings (null until then, as Okta returns them:
 * terraform-provider-okta's recorded `amazon_aws` app, test/fixtures/vcr/idaas/
 * TestAccResourceOktaAppSignOnPolicyRule_AUTH_METHOD_CHAIN/oie-00.yaml).
 */
const apiIntegrationSettingKeys = ["accessKey", "secretKey", "secretKeyEnc"];

/**
 * The API integration's credentials from the settings Okta returns for the app: the keys above
 * that are set. The provider drops null and empty values when it reads settings (`setAppSettings`).
 */
function apiIntegrationCredentials(oktaSettingsJson: string): Record<string, unknown> {
    const settings = JSON.parse(oktaSettingsJson) as Record<string, unknown>;
    return Object.fromEntries(
        apiIntegrationSettingKeys.filter((key) => settings[key] != null && settings[key] !== "").map((key) => [key, settings[key]]),
    );
}

/** Okta provisioning features that show the app's API integration has been switched on. */
export const provisioningFeatures = ["PUSH_NEW_USERS", "PUSH_PROFILE_UPDATES", "IMPORT_NEW_USERS"];

/** The Okta *Amazon Web Services* app, signing users in to AWS with SAML 2.0. */
export class OktaAwsApp extends pulumi.ComponentResource {
    public readonly app: okta.app.Saml;
    public readonly appId: pulumi.Output<string>;
    /** The settings this program decides (without the API integration's credentials). */
    public readonly settings: pulumi.Output<OktaAwsAppSettings>;
    /** The IdP metadata document the AWS SAML provider needs. */
    public readonly metadata: pulumi.Output<string>;
    /** The app's sign-in link; what CLI tools call `OKTA_AWS_APP_URL`. */
    public readonly embedUrl: pulumi.Output<string>;
    /** Provisioning features Okta reports for the app (empty until the API integration is on). */
    public readonly features: pulumi.Output<string[]>;
    public readonly provisioningEnabled: pulumi.Output<boolean>;

    constructor(name: string, args: OktaAwsAppArgs, opts?: pulumi.ComponentResourceOptions) {
        super("okta-aws:identity:OktaAwsApp", name, {}, opts);

        this.settings = pulumi
            .output(args.webSsoAllowedClient)
            .apply((webSsoAllowedClient) => oktaAwsAppSettings({ ...args, webSsoAllowedClient }));
        this.app = new okta.app.Saml(
            `${name}-app`,
            {
                label: args.label,
                preconfiguredApp: "amazon_aws",
                samlVersion: "2.0",
                appSettingsJson: args.apiIntegration
                    ? this.withIntegrationCredentials(args.appId)
                    : this.settings.apply((s) => JSON.stringify(s)),
                // With no policy of the program's, the provider would assign Okta's default policy on
                // every create and update (app_authentication_policy.go createOrUpdateAuthenticationPolicy):
                // skip_authentication_policy leaves whatever the org's administrators chose.
                ...(args.authenticationPolicy !== undefined
                    ? { authenticationPolicy: args.authenticationPolicy }
                    : { skipAuthenticationPolicy: true }),
            },
            { parent: this, ...importOption(args.adoptId) },
        );

        this.appId = this.app.id;
        this.metadata = this.app.metadata;
        this.embedUrl = this.app.embedUrl;
        this.features = this.app.features.apply((features) => [...(features ?? [])].sort());
        this.provisioningEnabled = this.features.apply((features) => features.some((f) => provisioningFeatures.includes(f)));
        this.registerOutputs({
            settings: this.settings,
            appId: this.appId,
            metadata: this.metadata,
            embedUrl: this.embedUrl,
            features: this.features,
            provisioningEnabled: this.provisioningEnabled,
        });
    }

    /**
     * The provider sends `appSettingsJson` whole on every update of the app (terraform-provider-okta
     * `BuildAppSettings`, `UpdateApplication`), and compares what it reads back with what is sent
     * as whole JSON objects (`NoChangeInObjectFromUnmarshaledJSON`). Once the API integration is
     * on, Okta returns its credentials in the settings: sending settings without them would clear
     * them, and comparing would show a change on every preview. So the credentials Okta holds are
     * read from the app (by id — `GET /api/v1/apps/{id}`, terraform-provider-okta
     * data_source_okta_app_saml.go — without its users and groups) and sent back as they are — a
     * secret, like the key itself.
     */
    private withIntegrationCredentials(appId: string | undefined): pulumi.Output<string> {
        if (appId === undefined) {
            throw new Error("OktaAwsApp: apiIntegration needs appId, the app's id, to read the integration's credentials by id");
        }
        const existing = okta.app.getSamlOutput({ id: appId, skipUsers: true, skipGroups: true }, { parent: this });
        return pulumi.secret(
            pulumi
                .all([this.settings, existing.appSettingsJson])
                .apply(([settings, oktaSettings]) => JSON.stringify({ ...settings, ...apiIntegrationCredentials(oktaSettings) })),
        );
    }
}
