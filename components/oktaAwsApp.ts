// Okta's Amazon Web Services app (SAML 2.0) set up for the Identity Account Structure: its IdP
// metadata for the IAM SAML provider, and whether Okta shows its API integration switched on.
import * as okta from "@pulumi/okta";
import * as pulumi from "@pulumi/pulumi";
import { roleValuePattern } from "./names";

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
}

/**
 * The Okta settings of the *Amazon Web Services* (`amazon_aws`) app, complete: Okta returns every
 * one of these keys, and a key left out would show as a change on every preview.
 */
export function oktaAwsAppSettings(
    args: Omit<OktaAwsAppArgs, "webSsoAllowedClient"> & { webSsoAllowedClient?: string },
): Record<string, string | number | boolean> {
    return {
        appFilter: "okta",
        awsEnvironmentType: "aws.amazon",
        groupFilter: "aws_(?{{accountid}}\\d+)_(?{{role}}[a-zA-Z0-9+=,.@\\-_]+)",
        identityProviderArn: args.identityProviderArn,
        joinAllRoles: args.joinAllRoles,
        loginURL: args.loginUrl,
        roleValuePattern: roleValuePattern(args.partition, args.samlProviderName),
        sessionDuration: args.sessionDuration,
        // Roles are assigned per user/group as SAML User Roles (app profile `samlRoles`), not
        // derived from Okta group names.
        useGroupMapping: false,
        ...(args.webSsoAllowedClient ? { webSSOAllowedClient: args.webSsoAllowedClient } : {}),
    };
}

/** Okta provisioning features that show the app's API integration has been switched on. */
export const provisioningFeatures = ["PUSH_NEW_USERS", "PUSH_PROFILE_UPDATES", "IMPORT_NEW_USERS"];

/** The Okta *Amazon Web Services* app, signing users in to AWS with SAML 2.0. */
export class OktaAwsApp extends pulumi.ComponentResource {
    public readonly app: okta.app.Saml;
    public readonly appId: pulumi.Output<string>;
    /** The IdP metadata document the AWS SAML provider needs. */
    public readonly metadata: pulumi.Output<string>;
    /** The app's sign-in link; what CLI tools call `OKTA_AWS_APP_URL`. */
    public readonly embedUrl: pulumi.Output<string>;
    /** Provisioning features Okta reports for the app (empty until the API integration is on). */
    public readonly features: pulumi.Output<string[]>;
    public readonly provisioningEnabled: pulumi.Output<boolean>;

    constructor(name: string, args: OktaAwsAppArgs, opts?: pulumi.ComponentResourceOptions) {
        super("okta-aws:identity:OktaAwsApp", name, {}, opts);

        this.app = new okta.app.Saml(
            `${name}-app`,
            {
                label: args.label,
                preconfiguredApp: "amazon_aws",
                samlVersion: "2.0",
                appSettingsJson: pulumi
                    .output(args.webSsoAllowedClient)
                    .apply((webSsoAllowedClient) => JSON.stringify(oktaAwsAppSettings({ ...args, webSsoAllowedClient }))),
            },
            { parent: this },
        );

        this.appId = this.app.id;
        this.metadata = this.app.metadata;
        this.embedUrl = this.app.embedUrl;
        this.features = this.app.features.apply((features) => [...(features ?? [])].sort());
        this.provisioningEnabled = this.features.apply((features) => features.some((f) => provisioningFeatures.includes(f)));
        this.registerOutputs({
            appId: this.appId,
            metadata: this.metadata,
            embedUrl: this.embedUrl,
            features: this.features,
            provisioningEnabled: this.provisioningEnabled,
        });
    }
}
