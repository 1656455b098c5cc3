// Runs the real program (index.ts) for one stack under the mock runtime: what `pulumi preview`
// would register, without the CLI, a cloud account or an Okta org.
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, projectName } from "../../components/config";
import { partitionOf } from "../../components/names";
import { checkOutputs } from "../../components/outputs";
import type { ExistingOrganisation } from "../mock/existing";
import { resolveOutputs, StackOutputsForReference } from "../mock/outputs";
import { MockCloud } from "../mock/providers";
import type { RegisteredResource } from "../mock/providers";
import { installMockCloud, withoutStackTraces } from "../mock/runtime";
import type { PlannedResource, StackEvaluation } from "./model";
import { StackFile, stackConfigOf } from "./stackFiles";
import { waitForRPCs } from "../mock/sdkInternals";
import { sortKeys } from "../shared/json";

/** This checkout's program; another revision's is evaluated by the same tools (./atRevision.ts). */
export const programPath = require.resolve(path.join(__dirname, "..", "..", "index"));

/**
 * The mock cloud's view of a stack, from its raw config (before the program validates it): its
 * account, its Okta org, and what exists there already when `existing` describes it.
 */
export function mockCloudFor(
    stackFile: StackFile,
    stackOutputs: Record<string, StackOutputsForReference>,
    idpKeyCacheFile?: string,
    existing?: ExistingOrganisation,
): MockCloud {
    let accountId = "000000000000";
    try {
        const { id } = JSON.parse(stackFile.rawConfig[`${projectName}:account`]) as { id?: unknown };
        if (typeof id === "string" || typeof id === "number") {
            accountId = String(id);
        }
    } catch {
        // The program reports a malformed account itself.
    }
    const options = {
        accountId,
        partition: partitionOf(stackFile.rawConfig["aws:region"] ?? ""),
        oktaOrgName: stackFile.rawConfig["okta:orgName"],
        oktaBaseUrl: stackFile.rawConfig["okta:baseUrl"],
        stackOutputs,
        existing: existing && [
            ...(existing.aws[accountId] ?? []),
            ...(existing.okta[`${stackFile.rawConfig["okta:orgName"]}.${stackFile.rawConfig["okta:baseUrl"] ?? "okta.com"}`] ?? []),
        ],
    };
    return new MockCloud(options, idpKeyCacheFile);
}

/**
 * Runs the program (`program`, this checkout's index.ts by default) for one stack on `cloud`,
 * inside a root Stack resource as the CLI does, and returns what it exports. The program validates
 * its own configuration: a bad stack file rejects with its ConfigError.
 */
export function runProgram(cloud: MockCloud, stackFile: StackFile, program = programPath): Promise<Record<string, unknown>> {
    return withoutStackTraces(() => runProgramOnce(cloud, stackFile, program));
}

async function runProgramOnce(cloud: MockCloud, stackFile: StackFile, program: string): Promise<Record<string, unknown>> {
    // The program finds the stack file's folder from the project folder, as under the Pulumi CLI
    // (components/stackFolder.ts), whatever this process's working folder is.
    await installMockCloud(cloud, projectName, stackFile.stack, stackFile.projectFolder);
    pulumi.runtime.setAllConfig(stackFile.rawConfig, stackFile.secretKeys);
    // index.ts does its work when loaded: load it afresh for every stack.
    delete require.cache[program];
    let exported: Record<string, unknown> = {};
    let failure: { error: unknown } | undefined;
    // A registration whose inputs fail (a look-up the program refuses, in an apply) rejects with no
    // handler; the Pulumi CLI's language host fails the run on it (@pulumi/pulumi cmd/run/run.js,
    // its "unhandledRejection" handler), and so does this run.
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    // An earlier run's leftovers (a refused stack's rejected outputs) are reported before this run listens.
    await new Promise((resolve) => setImmediate(resolve));
    process.on("unhandledRejection", onUnhandled);
    try {
        await pulumi.runtime.runInPulumiStack(async () => {
            // Caught here rather than let through: a failed root Stack leaves Output promises
            // rejected with no handler, which would end the process.
            try {
                // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh load per stack needs require and its cache
                exported = await (require(program) as Promise<Record<string, unknown>> | Record<string, unknown>);
            } catch (error) {
                failure = { error };
            }
            return exported;
        });
        await waitForRPCs();
        // Rejections without a handler are reported once the microtasks settle.
        await new Promise((resolve) => setImmediate(resolve));
    } catch (error) {
        // The stack itself failed (an output that cannot be serialised): reported below, after its cause.
        failure ??= { error };
    } finally {
        process.off("unhandledRejection", onUnhandled);
    }
    // A failed provider function is the cause of whatever failed after it, as the engine reports it.
    failure = cloud.invokeFailures.length > 0 ? { error: cloud.invokeFailures[0] } : failure;
    failure ??= unhandled.length > 0 ? { error: unhandled[0] } : undefined;
    // A refused registration fails the run as it fails `pulumi preview`, whether or not the
    // program's exports depend on it.
    // Adoptions refused for what the configuration says come together, every problem at once.
    const adoption = cloud.failures.filter((error): error is ConfigError => error instanceof ConfigError);
    const refused =
        failure ??
        (adoption.length > 0
            ? { error: new ConfigError(adoption.flatMap((error) => error.problems)) }
            : cloud.failures.length > 0
              ? { error: cloud.failures[0] }
              : undefined);
    if (refused) {
        throw refused.error;
    }
    return exported;
}

/**
 * Evaluates one stack with a clean mock runtime. `stackOutputs` answers the stack's
 * StackReferences, by fully qualified stack name. Outputs that break the published contract
 * (components/outputs.ts) reject.
 */
export async function evaluateStack(
    stackFile: StackFile,
    stackOutputs: Record<string, StackOutputsForReference> = {},
    idpKeyCacheFile?: string,
    existing?: ExistingOrganisation,
    program = programPath,
): Promise<StackEvaluation> {
    const cloud = mockCloudFor(stackFile, stackOutputs, idpKeyCacheFile, existing);
    const exported = await runProgram(cloud, stackFile, program);
    const resolved = await resolveOutputs(exported);
    const config = stackConfigOf(stackFile);
    checkOutputs(stackFile.stack, config.kind, resolved.values);
    return {
        stack: stackFile.stack,
        config,
        resources: cloud.resources.map(toPlanned),
        invokes: [...cloud.calls],
        oktaIds: Object.fromEntries(cloud.oktaIds),
        // The checked values with each secret replaced: typed alike.
        outputs: resolved.redacted,
        reference: { outputs: resolved.values, secretOutputNames: resolved.secretOutputNames },
    };
}

function toPlanned(resource: RegisteredResource): PlannedResource {
    return {
        urn: resource.urn,
        type: resource.type,
        name: resource.name,
        parent: resource.parent ?? null,
        protect: resource.protect,
        inputs: sortKeys(resource.inputs) as Record<string, unknown>,
        ...(resource.aliases.length > 0 && { aliases: resource.aliases }),
        ...(resource.importId !== undefined && { import: resource.importId }),
        ...(resource.importChanges !== undefined && { importChanges: resource.importChanges }),
    };
}
