// What `npm start` writes into its --out folder: out/plan.json, out/access.md (with the policy
// pack's verdicts and the verification's summary), each person's AWS CLI profiles in
// out/aws-config/ and the `pulumi import --file` documents of adopting stacks in out/import/.
import * as fs from "fs";
import * as path from "path";
import type { PlanResult } from "../plan/model";
import { importFileOf } from "../plan/importFile";
import { fileNameOf, replaceDirectory, writeAtomically } from "../shared/files";
import type { VerificationReport } from "../verification/report";
import { accessMarkdown } from "./access";
import { policyMarkdown, PolicyVerdict } from "./policyPack";

/** What the preview wrote, for the closing line. */
export interface WrittenFiles {
    files: string[];
    /** The folder of per-person AWS CLI profiles and how many it holds. */
    profiles: { dir: string; count: number };
    /** The `pulumi import --file` documents of the adopting stacks, if any. */
    importFiles: string[];
}

/**
 * Writes out/import/<stack>.json for every stack that adopts objects, replacing the folder whole
 * (a stack that no longer adopts loses its file); no folder when none adopts.
 */
function writeImportFiles(result: PlanResult, outDir: string): string[] {
    const dir = path.join(outDir, "import");
    const files = new Map<string, string>();
    for (const [stack, plan] of Object.entries(result.plan.stacks)) {
        const document = importFileOf(plan);
        if (document) {
            files.set(`${fileNameOf(stack)}.json`, `${JSON.stringify(document, null, 4)}\n`);
        }
    }
    if (files.size === 0) {
        fs.rmSync(dir, { recursive: true, force: true });
        return [];
    }
    replaceDirectory(dir, files);
    return [...files.keys()].map((name) => path.join(dir, name));
}

/**
 * Writes out/plan.json, out/access.md (with the policy pack's verdicts and the verification's
 * summary), out/aws-config/ and out/import/.
 */
export function writePlanFiles(
    result: PlanResult,
    outDir: string,
    verification?: { report: VerificationReport; file: string },
    verdicts: PolicyVerdict[] = [],
): WrittenFiles {
    const planFile = path.join(outDir, "plan.json");
    const accessFile = path.join(outDir, "access.md");
    writeAtomically(planFile, `${JSON.stringify(result.plan, null, 2)}\n`);
    writeAtomically(
        accessFile,
        [
            accessMarkdown(result.plan.access),
            ...(verdicts.length ? [policyMarkdown(verdicts)] : []),
            ...(verification ? [verification.report.markdown(path.basename(verification.file))] : []),
        ].join("\n"),
    );
    const identity = result.evaluations.find((e) => e.config.kind === "identity")!;
    const profiles = identity.reference.outputs.awsCliProfiles as Record<string, string>;
    const profileDir = path.join(outDir, "aws-config");
    replaceDirectory(profileDir, new Map(Object.entries(profiles).map(([login, text]) => [`${fileNameOf(login)}.ini`, text])));
    return {
        files: [planFile, accessFile, ...(verification ? [verification.file] : [])],
        profiles: { dir: profileDir, count: Object.keys(profiles).length },
        importFiles: writeImportFiles(result, outDir),
    };
}
