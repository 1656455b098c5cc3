// The OIDC native app okta-aws-cli signs in with (Authorization Code, Device Authorization and
// Token Exchange grants).
import * as okta from "@pulumi/okta";
import * as pulumi from "@pulumi/pulumi";

/** The arguments of an OktaCliApp: plain, from the identity stack's config. */
export interface OktaCliAppArgs {
    /** The app's label in Okta. */
    readonly label: string;
}

/**
 * The Okta OIDC native app that okta-aws-cli signs users in with. The AWS app names its client id
 * as the "Allowed Web SSO Client"; okta-aws-cli requires the Authorization Code, Device
 * Authorization and Token Exchange grants (okta/okta-aws-cli README, "Web Command Requirements").
 */
export class OktaCliApp extends pulumi.ComponentResource {
    public readonly app: okta.app.OAuth;
    public readonly appId: pulumi.Output<string>;
    public readonly clientId: pulumi.Output<string>;

    constructor(name: string, args: OktaCliAppArgs, opts?: pulumi.ComponentResourceOptions) {
        super("okta-aws:identity:OktaCliApp", name, {}, opts);

        this.app = new okta.app.OAuth(
            `${name}-app`,
            {
                label: args.label,
                type: "native",
                grantTypes: [
                    "authorization_code",
                    "urn:ietf:params:oauth:grant-type:device_code",
                    "urn:ietf:params:oauth:grant-type:token-exchange",
                ],
                responseTypes: ["code"],
                // A public client: the device flow has no secret to keep.
                tokenEndpointAuthMethod: "none",
                pkceRequired: true,
                // Okta requires a redirect URI with the authorization code grant; okta-aws-cli's
                // device flow never uses it, so it points at the loopback interface (RFC 8252).
                redirectUris: ["http://127.0.0.1:8080/authorization-code/callback"],
            },
            { parent: this },
        );

        this.appId = this.app.id;
        this.clientId = this.app.clientId;
        this.registerOutputs({ appId: this.appId, clientId: this.clientId });
    }
}
