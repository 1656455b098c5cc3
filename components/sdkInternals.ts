// The one Pulumi SDK internal the program itself relies on, reached from here only: it is not in
// the SDK's typings, so an SDK upgrade may remove it without a type error; tests/sdkInternals.test.ts
// fails naming it if it does.
import * as pulumi from "@pulumi/pulumi";

/**
 * Whether a config key is stored as a secret: what `pulumi.Config` itself consults
 * (runtime/config.ts `isConfigSecret`). The configuration refuses credentials in clear text by it.
 */
export function isConfigSecret(key: string): boolean {
    const runtime = pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean };
    if (typeof runtime.isConfigSecret !== "function") {
        throw new Error(
            "@pulumi/pulumi internal runtime.isConfigSecret is gone (package.json pins ~3.248.0); components/sdkInternals.ts needs a new way in",
        );
    }
    return runtime.isConfigSecret(key);
}
