// A stack's exports resolved as `pulumi stack output` shows them and as a StackReference to the
// stack reads them, keeping track of which values are Pulumi secrets.
import * as pulumi from "@pulumi/pulumi";
import type { StackOutputs } from "../../components/outputs";

export interface StackOutputsForReference {
    outputs: StackOutputs;
    secretOutputNames: string[];
}

/** What a stack exported, resolved: the values, and the same with every secret replaced. */
export interface ResolvedOutputs {
    values: Record<string, unknown>;
    /** As `pulumi stack output` prints them: secrets as "[secret]". */
    redacted: Record<string, unknown>;
    /** Top-level outputs that are or hold a secret (what a StackReference reports as secret). */
    secretOutputNames: string[];
}

export const secretMarker = "[secret]";

/** A StackReference's answer holding only the outputs `names` (those present), each still secret if it was. */
export function onlyOutputs(reference: StackOutputsForReference, names: readonly string[]): StackOutputsForReference {
    return {
        outputs: Object.fromEntries(
            names.filter((name) => Object.hasOwn(reference.outputs, name)).map((name) => [name, reference.outputs[name]]),
        ),
        secretOutputNames: reference.secretOutputNames.filter((name) => names.includes(name)),
    };
}

/** Resolves a stack's exports, keeping track of which values are Pulumi secrets. */
export async function resolveOutputs(exported: Record<string, unknown>): Promise<ResolvedOutputs> {
    const secretOutputNames: string[] = [];
    const values: Record<string, unknown> = {};
    const redacted: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(exported)) {
        let holdsSecret = false;
        const walk = async (v: unknown): Promise<[unknown, unknown]> => {
            if (pulumi.Output.isInstance(v)) {
                const resolved = await new Promise<unknown>((resolve) => v.apply(resolve));
                if (await pulumi.isSecret(v)) {
                    holdsSecret = true;
                    // The value may still hold Outputs of its own; the whole of it is secret.
                    return [(await walk(resolved))[0], secretMarker];
                }
                return walk(resolved);
            }
            if (Array.isArray(v)) {
                const pairs = await Promise.all(v.map(walk));
                return [pairs.map((p) => p[0]), pairs.map((p) => p[1])];
            }
            if (v !== null && typeof v === "object") {
                const entries = await Promise.all(Object.entries(v).map(async ([k, inner]) => [k, await walk(inner)] as const));
                return [Object.fromEntries(entries.map(([k, p]) => [k, p[0]])), Object.fromEntries(entries.map(([k, p]) => [k, p[1]]))];
            }
            return [v, v];
        };
        [values[name], redacted[name]] = await walk(await value);
        if (holdsSecret) {
            secretOutputNames.push(name);
        }
    }
    return { values, redacted, secretOutputNames };
}
