// What `npm start` writes into its --out folder: out/plan.json, out/access.md (with the policy
// pack's verdicts and the verification's summary), each person's AWS CLI profiles in
// out/aws-config/ and the `pulumi import --file` documents of adopting stacks in out/import/,
// and the list of what it wrote (out/.okta-aws-files.json), so that it only ever replaces its own.
import * as fs from "fs";
import * as path from "path";
import { requiredOutput } from "../../components/outputs";
import type { PlanResult } from "../plan/model";
import { importFileOf } from "../plan/importFile";
import { UsageError } from "../../components/errors";
import { fileNameOf, replaceDirectory, writeAtomically } from "../shared/files";
import type { VerificationReport } from "../verification/report";
import { accessMarkdown } from "./access";
import { policyMarkdown, PolicyVerdict } from "./policyPack";
import { commandName } from "../shared/invocation";

/** What the preview wrote, for the closing line. */
export interface WrittenFiles {
    files: string[];
    /** The folder of per-person AWS CLI profiles and how many it holds. */
    profiles: { dir: string; count: number };
    /** The `pulumi import --file` documents of the adopting stacks, if any. */
    importFiles: string[];
    /** Files of an earlier run this run removed (verification.md when this run did not verify). */
    removed: string[];
}

/** The list, in the --out folder, of the files the last run wrote there (relative paths). */
export const writtenFilesList = ".okta-aws-files.json";

/** The files of the --out folder a run writes or replaces by name, and the folders it replaces whole. */
const ownFiles = ["plan.json", "access.md", "verification.md"];
const ownFolders = ["aws-config", "import"];

/** What the last run wrote into `outDir`, by its list; none without one (or with one that is not a list). */
function writtenBefore(outDir: string): string[] {
    try {
        const { files } = JSON.parse(fs.readFileSync(path.join(outDir, writtenFilesList), "utf8")) as { files?: unknown };
        return Array.isArray(files) ? files.filter((file): file is string => typeof file === "string") : [];
    } catch {
        return [];
    }
}

/** Every entry below `dir`, relative to `root`, folders included (this tool writes none there). */
function entriesBelow(root: string, dir: string): string[] {
    const stat = fs.lstatSync(path.join(root, dir), { throwIfNoEntry: false });
    if (!stat) {
        return [];
    }
    if (!stat.isDirectory()) {
        return [dir];
    }
    return fs.readdirSync(path.join(root, dir)).flatMap((name) => {
        const entry = path.join(dir, name);
        return fs.lstatSync(path.join(root, entry)).isDirectory() ? [entry, ...entriesBelow(root, entry)] : [entry];
    });
}

/**
 * Stops (a UsageError) when `outDir` holds, where the preview writes, anything the last run did
 * not write there: a person's own notes in out/aws-config/, a plan.json of theirs. The preview
 * replaces out/aws-config/ and out/import/ whole and plan.json, access.md and verification.md by
 * name, so without this a user's files would be deleted or overwritten without a word.
 * `writtenNow` are files this run has written already.
 */
export function checkOutFolder(outDir: string, writtenNow: string[] = []): void {
    const written = new Set([...writtenBefore(outDir), ...writtenNow.map((file) => path.relative(outDir, file))]);
    const present = [
        ...ownFiles.filter((file) => fs.lstatSync(path.join(outDir, file), { throwIfNoEntry: false })),
        ...ownFolders.flatMap((dir) => entriesBelow(outDir, dir)),
    ];
    const foreign = present.filter((entry) => !written.has(entry) && !ownFolders.includes(entry));
    if (foreign.length > 0) {
        const shown = foreign.slice(0, 3).join(", ");
        throw new UsageError(
            `--out: ${outDir}: holds ${foreign.length === 1 ? "a file" : `${foreign.length} files`} ${commandName("preview")} did not write (${shown}${foreign.length > 3 ? ", …" : ""}; ${writtenFilesList} lists what it wrote), which it would replace or delete: move ${foreign.length === 1 ? "it" : "them"} away, or give another --out`,
        );
    }
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
    checkOutFolder(outDir, verification ? [verification.file] : []);
    // A run without verification removes an earlier run's verification.md (checkOutFolder has proved
    // it is one of ours): left there, it would read as this plan's verification, even of another organisation.
    const staleVerification = path.join(outDir, "verification.md");
    const removed = !verification && fs.existsSync(staleVerification) ? [staleVerification] : [];
    removed.forEach((file) => fs.rmSync(file));
    const planFile = path.join(outDir, "plan.json");
    const accessFile = path.join(outDir, "access.md");
    writeAtomically(planFile, `${JSON.stringify(result.plan, null, 2)}\n`);
    writeAtomically(
        accessFile,
        [
            accessMarkdown(result.plan),
            ...(verdicts.length ? [policyMarkdown(verdicts)] : []),
            ...(verification ? [verification.report.markdown(path.basename(verification.file))] : []),
        ].join("\n"),
    );
    const identity = result.evaluations.find((e) => e.config.kind === "identity")!;
    const profiles = requiredOutput(identity.reference.outputs, "awsCliProfiles", identity.stack);
    const profileDir = path.join(outDir, "aws-config");
    replaceDirectory(profileDir, new Map(Object.entries(profiles).map(([login, text]) => [`${fileNameOf(login)}.ini`, text])));
    const written: WrittenFiles = {
        files: [planFile, accessFile, ...(verification ? [verification.file] : [])],
        profiles: { dir: profileDir, count: Object.keys(profiles).length },
        importFiles: writeImportFiles(result, outDir),
        removed,
    };
    // What this run wrote, and what of an earlier run's it removed.
    const now = [...written.files, ...written.importFiles].map((file) => path.relative(outDir, file));
    const profileFiles = Object.keys(profiles).map((login) => path.join("aws-config", `${fileNameOf(login)}.ini`));
    const removedNames = removed.map((file) => path.relative(outDir, file));
    writeAtomically(
        path.join(outDir, writtenFilesList),
        `${JSON.stringify(
            {
                writtenBy: commandName("preview"),
                files: [...new Set([...now, ...profileFiles])].sort(),
                ...(removedNames.length ? { removed: removedNames } : {}),
            },
            null,
            2,
        )}\n`,
    );
    return written;
}
