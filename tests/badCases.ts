// The corpus of invalid configurations in tests/fixtures/bad/: each case patches the shipped stack
// files (`set` replaces keys, `unset` removes them), names the stack that must stop (`fails`), and
// lists the exact messages (`expect`).
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { ConfigError, projectName } from "../components/config";
import { qualifiedStackName } from "../components/names";
import { evaluateStack, mockCloudFor, runProgram } from "../tools/plan/evaluate";
import { StackOutputsForReference } from "../tools/mock/outputs";
import { listStackFiles, StackFile } from "../tools/plan/stackFiles";
import { projectRoot } from "./harness";

const badCasesDir = path.join(projectRoot, "tests", "fixtures", "bad");

export interface BadCase {
    name: string;
    fails: string;
    patch: Record<string, { set?: Record<string, unknown>; unset?: string[] }>;
    expect: string[];
}

export function badCases(): BadCase[] {
    return fs
        .readdirSync(badCasesDir)
        .filter((f) => f.endsWith(".yaml"))
        .sort()
        .map((f) => ({
            name: f.replace(/\.yaml$/, ""),
            ...(parse(fs.readFileSync(path.join(badCasesDir, f), "utf8")) as Omit<BadCase, "name">),
        }));
}

let shippedFiles: StackFile[] | undefined;

/** The shipped stack files with the case's patches applied, as the CLI would pass them. */
function patchedStackFiles(badCase: Pick<BadCase, "patch">): StackFile[] {
    // Read once for every case: the patches copy what they change.
    shippedFiles ??= listStackFiles(projectRoot);
    return shippedFiles.map((file) => {
        const patch = badCase.patch[file.stack];
        if (!patch) {
            return file;
        }
        const rawConfig = { ...file.rawConfig };
        for (const [key, value] of Object.entries(patch.set ?? {})) {
            rawConfig[key] = typeof value === "string" ? value : JSON.stringify(value);
        }
        for (const key of patch.unset ?? []) {
            delete rawConfig[key];
        }
        return { ...file, rawConfig };
    });
}

/** Writes the shipped stack files, patched, to a directory, for the offline preview. */
export function writePatchedStackFiles(badCase: Pick<BadCase, "patch">, dir: string): void {
    for (const file of patchedStackFiles(badCase)) {
        const config = Object.fromEntries(Object.entries(file.rawConfig).map(([k, v]) => [k, /^\s*[[{]/.test(v) ? JSON.parse(v) : v]));
        // Every character past ASCII as a JSON escape, as a person writes one the file may not hold raw (components/plainText.ts).
        const text = JSON.stringify({ config }, null, 2).replace(/[^\n -~]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
        fs.writeFileSync(path.join(dir, `Pulumi.${file.stack}.yaml`), text);
    }
}

/** Member stacks' outputs by their stack file's config: most cases leave the members as shipped. */
const memberReferences = new Map<string, Promise<StackOutputsForReference>>();

function memberReference(member: StackFile): Promise<StackOutputsForReference> {
    const key = JSON.stringify(member);
    const reference = memberReferences.get(key) ?? evaluateStack(member).then((evaluation) => evaluation.reference);
    memberReferences.set(key, reference);
    return reference;
}

/**
 * Runs the case: the other stacks evaluate as usual, then the failing stack's program runs and
 * must stop. Returns its messages and whatever it registered besides the root Stack.
 */
export async function runBadCase(badCase: BadCase): Promise<{ problems: string[]; registered: string[] }> {
    const files = patchedStackFiles(badCase);
    const failing = files.find((f) => f.stack === badCase.fails);
    if (!failing) {
        throw new Error(`${badCase.name}: no stack ${badCase.fails}`);
    }
    const stackOutputs: Record<string, StackOutputsForReference> = {};
    if (failing.rawConfig[`${projectName}:memberStacks`] !== undefined) {
        for (const member of files.filter((f) => f !== failing && f.rawConfig[`${projectName}:memberStacks`] === undefined)) {
            stackOutputs[qualifiedStackName("organization", projectName, member.stack)] = structuredClone(await memberReference(member));
        }
    }
    const cloud = mockCloudFor(failing, stackOutputs);
    try {
        await runProgram(cloud, failing);
    } catch (error) {
        if (!(error instanceof ConfigError)) {
            throw error;
        }
        const registered = cloud.resources.filter((r) => r.type !== "pulumi:pulumi:Stack").map((r) => `${r.type} ${r.name}`);
        return { problems: error.problems, registered };
    }
    throw new Error(`${badCase.name}: Pulumi.${badCase.fails}.yaml was accepted`);
}
