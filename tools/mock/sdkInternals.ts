// The Pulumi SDK internals the offline tools rely on, reached from here only: none is in the SDK's
// typings, so an SDK upgrade may remove one without a type error. Each is checked where it is
// taken, and tests/sdkInternals.test.ts fails naming the one that is gone.
import * as pulumi from "@pulumi/pulumi";
import type { RegisterResourceRequest, RegisterResourceResponse } from "@pulumi/pulumi/proto/resource_pb";

/** An internal the SDK no longer has: the message names it and the pinned version. */
function missing(internal: string): Error {
    return new Error(
        `@pulumi/pulumi internal ${internal} is gone (package.json pins ~3.248.0); tools/mock/sdkInternals.ts needs a new way in`,
    );
}

/**
 * The SDK's own drain of outstanding resource monitor calls (runtime/settings.ts `waitForRPCs`,
 * what `pulumi up` waits on before the program ends).
 */
export async function waitForRPCs(): Promise<void> {
    const runtime = pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> };
    if (typeof runtime.waitForRPCs !== "function") {
        throw missing("runtime.waitForRPCs");
    }
    await runtime.waitForRPCs();
}

/**
 * The two methods of the SDK's MockMonitor (@pulumi/pulumi runtime/mocks.ts) the mock runtime
 * wraps. Its declaration types requests as `any` and hides `newUrn`; these are the gRPC messages
 * it handles.
 */
export interface HookedMonitor {
    newUrn(parent: string, type: string, name: string): string;
    registerResource(
        request: RegisterResourceRequest,
        // The SDK answers a failed registration with `(error, undefined)`.
        callback: (error: unknown, response: RegisterResourceResponse | undefined) => void,
    ): Promise<void> | void;
}

/** The mock monitor `setMocks` installed, with the methods the mock runtime wraps. */
export function mockMonitor(): HookedMonitor {
    const monitor = pulumi.runtime.getMonitor() as unknown as Partial<HookedMonitor> | undefined;
    for (const method of ["newUrn", "registerResource"] as const) {
        if (typeof monitor?.[method] !== "function") {
            throw missing(`MockMonitor.${method}`);
        }
    }
    return monitor as HookedMonitor;
}

/**
 * Sets the project root directory the program reads with `pulumi.getRootDirectory()`, as the
 * Pulumi CLI's Node.js host does from `--root-directory` (runtime/state.ts keeps it in the store's
 * options; `setMocks` leaves it as the environment had it).
 */
export function setRootDirectory(dir: string): void {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the SDK's state module has no typings of its own
    const state = require("@pulumi/pulumi/runtime/state") as { getStore?: () => { settings?: { options?: { rootDirectory?: string } } } };
    const options = state.getStore?.().settings?.options;
    if (!options || !("rootDirectory" in options)) {
        throw missing("runtime/state getStore().settings.options.rootDirectory");
    }
    options.rootDirectory = dir;
}
