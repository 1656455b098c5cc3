// Pulumi's mock runtime, instrumented: installs a MockCloud for one stack and records every
// registration as the engine would see it (engine-style URNs, parent, protect, aliases, imports),
// with inputs made readable.
import * as pulumi from "@pulumi/pulumi";
import type { RegisterResourceRequest } from "@pulumi/pulumi/proto/resource_pb";
import { ConfigError } from "../../components/config";
import { checkImport } from "./existing";
import type { MockCloud } from "./providers";
import { secretMarker } from "./outputs";
import { HookedMonitor, mockMonitor, setRootDirectory } from "./sdkInternals";

/**
 * Inputs as the engine receives them, made readable: secrets become "[secret]" (or, `revealed`,
 * their values: what a provider compares on import), values unknown at preview "[unknown]",
 * resource references their URN.
 */
function redactInputs(value: unknown, revealed = false): unknown {
    if (value === pulumi.runtime.unknownValue) {
        return "[unknown]";
    }
    if (Array.isArray(value)) {
        return value.map((item) => redactInputs(item, revealed));
    }
    if (value !== null && typeof value === "object") {
        const record = value as Record<string, unknown>;
        if (record[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig) {
            return revealed ? redactInputs(record.value, revealed) : secretMarker;
        }
        if (record[pulumi.runtime.specialSigKey] === pulumi.runtime.specialResourceSig) {
            return record.urn;
        }
        return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, redactInputs(v, revealed)]));
    }
    return value;
}

/**
 * Installs the mock cloud as the Pulumi runtime for one stack of this project, whose folder is
 * `projectFolder`, recording every registration (with its parent and options) in `cloud.resources`.
 */
export async function installMockCloud(
    cloud: MockCloud,
    project: string,
    stack: string,
    projectFolder: string,
    organization = "organization",
): Promise<void> {
    await pulumi.runtime.setMocks(cloud, project, stack, true, organization);
    setRootDirectory(projectFolder);
    const monitor = mockMonitor();
    // URNs as the engine forms them: the parent's whole type chain, without the root Stack's type.
    // (The SDK's mock monitor keeps only the parent's last type, and keeps the Stack's.)
    monitor.newUrn = (parent: string, type: string, name: string) => {
        const parentType = parent ? parent.split("::")[2] : "";
        const qualifiedType = parentType && parentType !== "pulumi:pulumi:Stack" ? `${parentType}$${type}` : type;
        return `urn:pulumi:${stack}::${project}::${qualifiedType}::${name}`;
    };
    const register = monitor.registerResource.bind(monitor);
    const aliasesByUrn = new Map<string, string[]>();
    const inputsByUrn = new Map<string, Record<string, unknown>>();
    monitor.registerResource = (request, callback) => {
        const object = request.getObject()?.toJavaScript() ?? {};
        const inputs = redactInputs(object) as Record<string, unknown>;
        const urn = monitor.newUrn(request.getParent(), request.getType(), request.getName());
        const first = inputsByUrn.get(urn);
        if (first) {
            const error = duplicateUrnError(urn, first, inputs);
            cloud.failures.push(error);
            callback(error, undefined);
            return;
        }
        inputsByUrn.set(urn, inputs);
        const importId = request.getImportid();
        let importChanges: string[] | undefined;
        if (importId) {
            try {
                importChanges = checkImport(
                    {
                        type: request.getType(),
                        name: request.getName(),
                        importId,
                        inputs: redactInputs(object, true) as Record<string, unknown>,
                        ignoreChanges: request.getIgnorechangesList(),
                    },
                    cloud.options.existing,
                );
            } catch (error) {
                cloud.failures.push(error as Error);
                // An adoption the configuration must change is refused with the run, in the one
                // message format (tools/plan/evaluate.ts), once every registration has been seen:
                // failing this one would leave its outputs rejected in every resource that reads them.
                if (!(error instanceof ConfigError)) {
                    callback(error, undefined);
                    return;
                }
            }
        }
        return register(request, (error, response) => {
            if (error) {
                cloud.failures.push(error as Error);
            } else if (response) {
                const aliases = aliasUrns(monitor, request, aliasesByUrn);
                aliasesByUrn.set(response.getUrn(), aliases);
                cloud.resources.push({
                    urn: response.getUrn(),
                    type: request.getType(),
                    name: request.getName(),
                    parent: request.getParent() || undefined,
                    custom: request.getCustom(),
                    inputs,
                    protect: request.getProtect() ?? false,
                    dependencies: request.getDependenciesList(),
                    hasReplacementTrigger: request.getReplacementTrigger() !== undefined,
                    replaceOnChanges: request.getReplaceonchangesList(),
                    ignoreChanges: request.getIgnorechangesList(),
                    aliases,
                    ...(importId && { importId, importChanges: cloud.options.existing ? importChanges : undefined }),
                });
            }
            callback(error, response);
        });
    };
}

/**
 * The engine's refusal of a second resource with a URN it has seen in this deployment, in its
 * words (pkg/resource/deploy/step_generator.go `generateURN`, sdk/go/common/diag/errors.go
 * `GetDuplicateResourceURNError`), with both registrations' inputs, so the two can be told apart.
 */
function duplicateUrnError(urn: string, first: Record<string, unknown>, second: Record<string, unknown>): Error {
    const shown = (inputs: Record<string, unknown>) => {
        const json = JSON.stringify(inputs);
        return json.length > 200 ? `${json.slice(0, 197)}...` : json;
    };
    return new Error(
        `Duplicate resource URN '${urn}'; try giving it a unique name (registered first with inputs ${shown(first)}, then with ${shown(second)})`,
    );
}

/**
 * The alias URNs the engine would give a registration: its own alias specs, and for each alias of
 * its parent the same child under that alias, renamed along with the parent when the child's name
 * starts with the parent's (the `${name}-suffix` convention).
 */
function aliasUrns(monitor: HookedMonitor, request: RegisterResourceRequest, aliasesByUrn: Map<string, string[]>): string[] {
    const parent = request.getParent();
    const own = request.getAliasesList().map((alias) => {
        const spec = alias.getSpec();
        if (!spec) {
            return alias.getUrn();
        }
        const aliasParent = spec.getNoparent() ? "" : spec.getParenturn() || parent;
        return monitor.newUrn(aliasParent, spec.getType() || request.getType(), spec.getName() || request.getName());
    });
    const parentName = parent ? parent.slice(parent.lastIndexOf("::") + 2) : "";
    const inherited = (aliasesByUrn.get(parent) ?? []).map((parentAlias) => {
        const parentAliasName = parentAlias.slice(parentAlias.lastIndexOf("::") + 2);
        const name = request.getName();
        const aliasName = parentName && name.startsWith(parentName) ? parentAliasName + name.slice(parentName.length) : name;
        return monitor.newUrn(parentAlias, request.getType(), aliasName);
    });
    return [...new Set<string>([...own, ...inherited])];
}

/**
 * Runs `work` with no stack traces captured. The Pulumi SDK formats a stack trace for every
 * promise it makes (`debuggablePromise`, for its leak report), four per output property of every
 * resource: at a few thousand resources that is most of the run. Errors keep their messages,
 * which is all the preview prints; OKTA_AWS_STACK_TRACES=1 keeps the traces for debugging.
 */
export async function withoutStackTraces<T>(work: () => Promise<T>): Promise<T> {
    if (process.env.OKTA_AWS_STACK_TRACES === "1") {
        return work();
    }
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
        return await work();
    } finally {
        Error.stackTraceLimit = limit;
    }
}
