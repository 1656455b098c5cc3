// The OIDC native app okta-aws-cli signs in with (Authorization Code, Device Authorization and
// Token Exchange grants).
import * as okta from "@pulumi/okta";
import * as pulumi from "@pulumi/pulumi";

/** The arguments of an OktaCliApp: plain, from the identity stack's config. */
export interface OktaCliAppArgs {
    /** The app's label in Okta. */
    readonly label: string;
    /**
     * The Okta org's own host, e.g. `acmecorp.okta.com`, never a custom domain: the issuer of the
     * Okta API scopes it is granted is the org authorization server's, "your Org URL"
     * (terraform-provider-okta docs/resources/app_oauth_api_scope.md, `issuer`; Okta Management API,
     * OAuth2ScopeConsentGrant `issuer`: "typically your Okta domain"), and the app keeps
     * `issuerMode` ORG_URL.
     */
    readonly oktaOrgHost: string;
    /**
     * The app sign-on policy's id: the AWS app's own. okta-aws-cli's token exchange fails when the
     * AWS app's policy is stricter than this app's (okta-aws-cli #153, #299).
     */
    readonly authenticationPolicy?: pulumi.Input<string>;
}

/**
 * The Okta API scopes the app is granted. okta-aws-cli's `web` command asks for
 * `openid okta.apps.sso okta.apps.read okta.users.read.self` (okta/okta-aws-cli
 * internal/webssoauth/webssoauth.go, `authorize`) and Okta issues only the granted ones.
 * `okta.users.read.self` lets it find the AWS apps assigned to the person (`GET
 * /api/v1/users/me/appLinks`, README "Multiple AWS environments"); `okta.apps.read` would let
 * every user read every app's configuration, and is not needed because the AWS app's id is given
 * (`OKTA_AWSCLI_AWS_ACCOUNT_FEDERATION_APP_ID`); `okta.apps.sso` is not an Okta API scope an app
 * is granted — the web SSO exchange is allowed by the AWS app's "Allowed Web SSO Client".
 */
const cliAppApiScopes = ["okta.users.read.self"];

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
                // With no policy of the program's, the provider would assign Okta's default policy on
                // every create and update (app_authentication_policy.go createOrUpdateAuthenticationPolicy):
                // skip_authentication_policy leaves whatever the org's administrators chose.
                ...(args.authenticationPolicy !== undefined
                    ? { authenticationPolicy: args.authenticationPolicy }
                    : { skipAuthenticationPolicy: true }),
            },
            { parent: this },
        );

        new okta.AppOauthApiScope(
            `${name}-api-scopes`,
            { appId: this.app.id, issuer: `https://${args.oktaOrgHost}`, scopes: cliAppApiScopes },
            { parent: this },
        );

        this.appId = this.app.id;
        this.clientId = this.app.clientId;
        this.registerOutputs({ appId: this.appId, clientId: this.clientId });
    }
}
