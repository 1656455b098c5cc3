// The Pulumi SDK internals this project reaches (components/sdkInternals.ts,
// tools/mock/sdkInternals.ts) are still there, and a missing one fails naming itself; and the SDK
// starts without the parts the tools never call.
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { isConfigSecret } from "../components/sdkInternals";
import { mockMonitor, waitForRPCs } from "../tools/mock/sdkInternals";
import { projectRoot, useStack } from "./harness";

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

describe("loading the Pulumi SDK (tools/shared/lazySdkDependencies.ts) @slow", function () {
    this.timeout(60000);

    it("loads TypeScript's compiler and npm's Arborist only when the SDK first uses them, then the real ones", () => {
        // A fresh process: this one loaded the SDK long ago.
        const script = `
            require("./tools/shared/lazySdkDependencies");
            require("@pulumi/pulumi");
            const loaded = () => Object.keys(require.cache).filter((f) => /\\/node_modules\\/(typescript|@npmcli\\/arborist)\\//.test(f));
            const atStart = loaded().map((f) => f.slice(f.indexOf("node_modules/"))).sort();
            const ts = require("@pulumi/pulumi/typescript-shim");
            const codePaths = require.resolve("@pulumi/pulumi/runtime/closure/codePaths");
            const arborist = require(require.resolve("@npmcli/arborist", { paths: [require("path").dirname(codePaths)] }));
            console.log(JSON.stringify({ atStart, version: ts.version, scanner: typeof ts.createScanner, arborist: arborist.Arborist.name, realFiles: loaded().length > 2 }));`;
        const run = spawnSync(process.execPath, ["-r", "sucrase/register/ts", "-e", script], { cwd: projectRoot, encoding: "utf8" });
        expect(run.stderr).to.equal("");
        expect(JSON.parse(run.stdout)).to.deep.equal({
            atStart: ["node_modules/@npmcli/arborist/lib/index.js", "node_modules/typescript/lib/typescript.js"],
            version: (
                JSON.parse(fs.readFileSync(path.join(projectRoot, "node_modules/typescript/package.json"), "utf8")) as { version: string }
            ).version,
            scanner: "function",
            arborist: "Arborist",
            realFiles: true,
        });
    });
});
