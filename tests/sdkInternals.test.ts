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

    // Red team rt7: a module that requires TypeScript or Arborist before the SDK first uses them
    // gets the stand-in, so it must behave as the real module in every way a requirer can look.
    // (`--no-warnings`: serializing a function requires every built-in module, deprecated ones too:
    // @pulumi/pulumi runtime/closure/createClosure.js.)
    it("gives a module that requires TypeScript or Arborist before the SDK uses them what the real ones give", () => {
        const script = `
            if (process.env.OKTA_AWS_STAND_INS) require("./tools/shared/lazySdkDependencies");
            const path = require("path");
            const pulumi = require("@pulumi/pulumi");
            const sdk = (file) => path.dirname(require.resolve("@pulumi/pulumi/" + file));
            const ts = require(require.resolve("typescript", { paths: [sdk("typescript-shim")] }));
            const Arborist = require(require.resolve("@npmcli/arborist", { paths: [sdk("runtime/closure/codePaths")] }));
            // TypeScript's and sucrase's import helpers, as a compiled importer calls them.
            const importDefault = (mod) => (mod && mod.__esModule ? mod : { default: mod });
            const importStar = (mod) => {
                if (mod && mod.__esModule) return mod;
                const copy = { default: mod };
                for (const key in mod) if (Object.prototype.hasOwnProperty.call(mod, key)) copy[key] = mod[key];
                return copy;
            };
            const attempt = (f) => { try { return f(); } catch (error) { return String(error); } };
            (async () => {
                const esm = await import("typescript");
                console.log(JSON.stringify({
                    ts: [typeof ts, Object.keys(ts).length, ts.version, importDefault(ts).default?.version, importStar(ts).version,
                        "__esModule" in ts, Object.getPrototypeOf(ts) === Object.prototype, esm.default.version, esm.version],
                    arborist: [typeof Arborist, Arborist.name, attempt(() => new Arborist({ path: process.cwd() }) instanceof Arborist),
                        importDefault(Arborist).default?.name, importStar(Arborist).Arborist.name, Object.keys(Arborist).sort()],
                    serialized: (await pulumi.runtime.serializeFunction(() => 6 * 7)).text,
                }));
            })();`;
        const seen = (standIns: boolean) => {
            const env = { ...process.env, OKTA_AWS_STAND_INS: standIns ? "1" : "" };
            const run = spawnSync(process.execPath, ["--no-warnings", "-r", "sucrase/register/ts", "-e", script], {
                cwd: projectRoot,
                encoding: "utf8",
                env,
            });
            expect(run.stderr).to.equal("");
            return JSON.parse(run.stdout) as Record<string, unknown>;
        };
        const real = seen(false);
        expect(real.arborist).to.deep.equal([
            "function",
            "Arborist",
            true,
            "Arborist",
            "Arborist",
            ["Arborist", "Edge", "Link", "Node", "Shrinkwrap"],
        ]);
        expect(seen(true)).to.deep.equal(real);
    });

    it("keeps one TypeScript when the require cache was cleared before the SDK first used it", () => {
        const script = `
            require("./tools/shared/lazySdkDependencies");
            const pulumi = require("@pulumi/pulumi");
            const file = require.resolve("typescript", { paths: [require("path").dirname(require.resolve("@pulumi/pulumi/typescript-shim"))] });
            delete require.cache[file];
            const ts = require(file);
            pulumi.runtime.serializeFunction(() => 6 * 7).then(() => console.log(JSON.stringify({ cached: require.cache[file].exports === ts })));`;
        const run = spawnSync(process.execPath, ["--no-warnings", "-r", "sucrase/register/ts", "-e", script], {
            cwd: projectRoot,
            encoding: "utf8",
        });
        expect(run.stderr).to.equal("");
        expect(JSON.parse(run.stdout)).to.deep.equal({ cached: true });
    });
});
