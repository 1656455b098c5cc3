// How terraform-provider-okta reads back what Okta returns for the AWS app, as the provider-pitfall
// tests model it: the profile keys Okta returns, what the provider keeps in state, and when it
// sees no change.
import { canonicalJson } from "../tools/shared/json";

/**
 * The app user profile keys of the `amazon_aws` app: the single `role` and the SAML 2.0
 * `samlRoles` ("The Role attribute … The SAML user roles attribute", Okta help, Learn about
 * Amazon Web Services integration). Okta returns both, null when unset.
 */
const oktaAwsAppUserProfileKeys = ["role", "samlRoles"];

/** An assignment's profile as Okta returns it for the AWS app, as JSON the provider keeps. */
export function oktaReturnedAppUserProfile(sentJson: string): string {
    const sent = JSON.parse(sentJson) as Record<string, unknown>;
    return JSON.stringify(Object.fromEntries(oktaAwsAppUserProfileKeys.map((key) => [key, sent[key] ?? null])));
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
    const normal = (json: string) => canonicalJson(withoutFalse(JSON.parse(json)));
    return normal(stateJson) === normal(sentJson);
}
