// The Pulumi SDK internals this project reaches (components/sdkInternals.ts,
// tools/mock/sdkInternals.ts) are still there, and a missing one fails naming itself.
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { isConfigSecret } from "../components/sdkInternals";
import { mockMonitor, waitForRPCs } from "../tools/mock/sdkInternals";
import { useStack } from "./harness";

describe("Pulumi SDK internals", () => {
    beforeEach(() => useStack("internals"));

    it("reads which config keys are secrets, as pulumi.Config does", () => {
        pulumi.runtime.setAllConfig({ "okta:apiToken": "token", "aws:region": "us-east-1" }, ["okta:apiToken"]);
        expect([isConfigSecret("okta:apiToken"), isConfigSecret("aws:region")]).to.deep.equal([true, false]);
    });

    it("drains outstanding registrations and reaches the mock monitor's methods", async () => {
        await waitForRPCs();
        const monitor = mockMonitor();
        expect([typeof monitor.newUrn, typeof monitor.registerResource]).to.deep.equal(["function", "function"]);
    });

    it("names the internal an SDK upgrade removed", async () => {
        const runtime = pulumi.runtime as unknown as Record<string, unknown>;
        const saved = runtime.waitForRPCs;
        // The SDK's exports are getters; define a shadow on a copy to stand in for an upgraded SDK.
        Object.defineProperty(runtime, "waitForRPCs", { value: undefined, configurable: true, writable: true });
        try {
            let message = "";
            await waitForRPCs().catch((error: Error) => (message = error.message));
            expect(message).to.equal(
                "@pulumi/pulumi internal runtime.waitForRPCs is gone (package.json pins ~3.248.0); tools/mock/sdkInternals.ts needs a new way in",
            );
        } finally {
            Object.defineProperty(runtime, "waitForRPCs", { value: saved, configurable: true, writable: true });
        }
    });
});
