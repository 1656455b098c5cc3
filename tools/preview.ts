// `npm start`: the offline preview of the whole organisation. Builds the plan (tools/plan.ts),
// prints what `pulumi preview` would create and who can reach what, verifies every sign-in, and
// writes out/plan.json, out/access.md and each person's AWS CLI profiles.
import * as fs from "fs";
import * as path from "path";
import { projectName } from "../components/config";
import { accessMarkdown, accessSummary, accessTable, accessTotals } from "./access";
import { existingDirectory, failureMessage, makeDirectory, outputDirectory, parseFlags, runCommand, writeAtomically } from "./cli";
import { mockIdpKey } from "./mock/idp";
import type { PendingAssignments } from "../components/samlRoleAssignments";
import { oktaBudgetLines } from "./oktaBudget";
import { importFileOf } from "./importFile";
import { buildPlan, childrenByParent, PlannedResource, PreviewResult, StackPlan } from "./plan";
import {
    mandatoryViolations,
    policyLines,
    policyMarkdown,
    PolicyPackConfig,
    policyVerdicts,
    PolicyVerdict,
    readPolicyPackConfig,
} from "./policyCheck";
import { verifyPlanInto } from "./verification/checks";
import { verdictLine, verdictTableHeader, verificationIntro, VerificationReport } from "./verification/report";

/** How many stacks, rows and examples the console shows before it summarises the rest. */
const shown = 10;

const count = (n: number) => n.toLocaleString("en-US");
const plural = (n: number, one: string, many = `${one}s`) => `${count(n)} ${n === 1 ? one : many}`;

/** Adopted resources are imported (`=`, as `pulumi preview` marks them); the others are created (`+`). */
const isImported = (resource: PlannedResource) => resource.import !== undefined;

/** "12 to create", "3 to create, 9 to import" or "9 to import". */
function operations(total: number, imported: number): string {
    return [total > imported && `${count(total - imported)} to create`, imported > 0 && `${count(imported)} to import`]
        .filter(Boolean)
        .join(", ");
}

/** Each type's resource count, and how many of them are imported. */
function countsByType(resources: PlannedResource[]): Map<string, { total: number; imported: number }> {
    const counts = new Map<string, { total: number; imported: number }>();
    for (const resource of resources) {
        const entry = counts.get(resource.type) ?? { total: 0, imported: 0 };
        entry.total++;
        entry.imported += isImported(resource) ? 1 : 0;
        counts.set(resource.type, entry);
    }
    return new Map([...counts].sort(([a], [b]) => a.localeCompare(b)));
}

function countLines(resources: PlannedResource[]): string[] {
    return [...countsByType(resources)].map(
        ([type, { total, imported }]) =>
            `  ${count(total).padStart(6)} ${type}${imported === 0 ? "" : ` (${operations(total, imported)})`}`,
    );
}

/** The resource count line's tail: "40 resources to create" or "40 resources: 25 to create, 15 to import". */
function resourceCount(resources: PlannedResource[]): string {
    const imported = resources.filter(isImported).length;
    return imported > 0
        ? `${plural(resources.length, "resource")}: ${operations(resources.length, imported)}`
        : `${count(resources.length)} resources to create`;
}

/** Every resource of a stack as a tree under its parents, as `pulumi preview` lists them. */
function resourceTree(resources: PlannedResource[]): string[] {
    const children = childrenByParent(resources);
    const typeWidth = resources.reduce((width, r) => Math.max(width, r.type.length), 0) + 8;
    const lines: string[] = [];
    const walk = (parent: string | null, depth: number) => {
        for (const resource of children.get(parent) ?? []) {
            const type = `${"  ".repeat(depth)}${resource.type}`;
            const adopted = isImported(resource) ? `  [import ${resource.import}]${changedAfterImport(resource)}` : "";
            lines.push(
                `  ${isImported(resource) ? "=" : "+"} ${type.padEnd(typeWidth)} ${resource.name}${resource.protect && resource.type.includes("/") ? "  [protected]" : ""}${adopted}`,
            );
            walk(resource.urn, depth + 1);
        }
    };
    walk(null, 0);
    return lines;
}

/** What the update after an import changes in place, when the existing objects are known. */
function changedAfterImport(resource: PlannedResource): string {
    return resource.importChanges?.length ? `  [then ~ ${resource.importChanges.join(", ")}]` : "";
}

/**
 * An adopting stack: how many existing objects it imports, which of them the program then changes
 * in place, and what the guide built that it leaves alone (the stack's `adoption` output).
 */
function adoptionLines(plan: StackPlan, verbose: boolean): string[] {
    const imported = plan.resources.filter(isImported);
    if (imported.length === 0) {
        return [];
    }
    const changed = imported.filter((r) => r.importChanges?.length);
    const known = imported.every((r) => r.importChanges !== undefined);
    const lines = [
        `  Adoption: ${plural(imported.length, "existing object")} imported (=), ${
            known
                ? `${count(changed.length)} of them then changed in place (~), none replaced`
                : "changes in place shown by pulumi preview (no existing.json describes the objects)"
        }`,
        ...(verbose ? changed : changed.slice(0, shown)).map((r) => `    ~ ${r.name} (${r.type}): ${r.importChanges!.join(", ")}`),
        ...(!verbose && changed.length > shown ? [`    … and ${count(changed.length - shown)} more (--verbose)`] : []),
    ];
    const leftAlone = (plan.outputs.adoption as { leftAlone?: { object: string; action: string }[] } | undefined)?.leftAlone ?? [];
    lines.push(...leftAlone.map((item) => `  Left alone: ${item.object} — ${item.action}`));
    return lines;
}

/** An output in one line: short values in full, large ones by their size (out/plan.json has them). */
function outputLine(name: string, value: unknown): string {
    const json = JSON.stringify(value);
    if (json.length <= 100) {
        return `${name}: ${json}`;
    }
    const size = Array.isArray(value) ? plural(value.length, "item") : plural(Object.keys(value as object).length, "entry", "entries");
    return `${name}: ${size}`;
}

function stackLines(stack: string, plan: StackPlan, verbose: boolean): string[] {
    const lines = [`Stack ${stack} (${plan.kind}, account ${plan.accountId}): ${resourceCount(plan.resources)}`];
    if (verbose) {
        lines.push(...resourceTree(plan.resources));
    }
    lines.push(...countLines(plan.resources), ...adoptionLines(plan, verbose));
    if (verbose) {
        lines.push(
            "  Outputs:",
            ...JSON.stringify(plan.outputs, null, 2)
                .split("\n")
                .slice(1, -1)
                .map((line) => `  ${line}`),
        );
    } else {
        lines.push("  Outputs:", ...Object.entries(plan.outputs).map(([name, value]) => `    ${outputLine(name, value)}`));
    }
    return lines;
}

/**
 * The preview's text. By default a summary whose length does not grow with the organisation: the
 * identity stack and the first member stacks with their resource counts and outputs, the other
 * member stacks added up, access totals and the first rows. `verbose` lists everything.
 */
export function renderPreview(result: PreviewResult, verbose = false): string[] {
    const stacks = Object.entries(result.plan.stacks).sort(([, a], [, b]) => (a.kind === b.kind ? 0 : a.kind === "identity" ? -1 : 1));
    const detailed = verbose ? stacks : stacks.slice(0, shown);
    const lines = detailed.flatMap(([stack, plan]) => [...stackLines(stack, plan, verbose), ""]);
    const rest = stacks.slice(detailed.length);
    if (rest.length > 0) {
        const resources = rest.flatMap(([, plan]) => plan.resources);
        lines.push(
            `… and ${count(rest.length)} more member stacks (${rest
                .map(([stack]) => stack)
                .slice(0, 3)
                .join(", ")}, …): ${resourceCount(resources)}`,
        );
        lines.push(...countLines(resources));
        lines.push("");
    }
    lines.push(...oktaBudgetLines(result.plan.oktaApiBudget), "");
    const pending = Object.values(result.plan.stacks).find((plan) => plan.kind === "identity")?.outputs.pendingAssignments as
        PendingAssignments | undefined;
    if (pending) {
        lines.push(
            `Pending: the AWS app's assignments of ${plural(pending.users, "user")} and ${plural(pending.groups, "group")} wait — ${pending.reason}. Next:`,
            ...pending.next.map((step, i) => `  ${i + 1}. ${step}`),
            "",
        );
    }
    lines.push("Access (who → federated role → member account role → policies)");
    const access = verbose
        ? [accessTotals(result.plan.access), "", ...accessTable(result.plan.access)]
        : accessSummary(result.plan.access, shown);
    lines.push(...access.map((line) => (line ? `  ${line}` : line)));
    return lines;
}

/** A file written line by line that appears, whole, only when committed. */
class StreamedFile {
    private readonly temporary: string;
    private readonly fd: number;

    constructor(readonly file: string) {
        makeDirectory(path.dirname(file));
        this.temporary = `${file}.${process.pid}.tmp`;
        this.fd = fs.openSync(this.temporary, "w");
    }

    write(line: string): void {
        fs.writeSync(this.fd, `${line}\n`);
    }

    commit(): void {
        fs.closeSync(this.fd);
        fs.renameSync(this.temporary, this.file);
    }
}

/**
 * Replaces a directory of files whole: the new files are written beside it and swapped in, so a
 * person removed from the organisation loses their file and a failed run leaves the old set.
 * A file whose text has not changed since the last run is hard-linked from the old set instead
 * of written again: creating a file costs 0.25–0.5 ms of kernel time here and linking one 0.02 ms,
 * which at 5,000 people is most of a re-run's writing.
 */
export function replaceDirectory(dir: string, files: Map<string, string>): void {
    const fresh = `${dir}.${process.pid}.tmp`;
    const stale = `${dir}.${process.pid}.old`;
    fs.rmSync(fresh, { recursive: true, force: true });
    makeDirectory(fresh);
    for (const [name, content] of files) {
        if (!linkUnchanged(path.join(dir, name), content, path.join(fresh, name))) {
            fs.writeFileSync(path.join(fresh, name), content);
        }
    }
    if (fs.existsSync(dir)) {
        fs.renameSync(dir, stale);
    }
    fs.renameSync(fresh, dir);
    fs.rmSync(stale, { recursive: true, force: true });
}

/** Links `previous` as `target` if it holds exactly `content`; false if it does not, or cannot be linked. */
function linkUnchanged(previous: string, content: string, target: string): boolean {
    try {
        if (fs.readFileSync(previous, "utf8") !== content) {
            return false;
        }
        fs.linkSync(previous, target);
        return true;
    } catch {
        return false; // not there yet, or a file system without hard links: written instead
    }
}

/** What the preview wrote, for the closing line. */
export interface WrittenFiles {
    files: string[];
    /** The folder of per-person AWS CLI profiles and how many it holds. */
    profiles: { dir: string; count: number };
    /** The `pulumi import --file` documents of the adopting stacks, if any. */
    importFiles: string[];
}

/**
 * A file name that stays in its folder whatever the name it stands for: `/`, `\\`, control and
 * other unusual characters and a leading dot are percent-encoded (logins are validated too; this
 * does not rely on it).
 */
export function fileNameOf(name: string): string {
    const encoded = name.replace(/[^\w@.+=,-]|^\./gu, (c) =>
        [...Buffer.from(c)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`).join(""),
    );
    return encoded || "%";
}

/**
 * Writes out/import/<stack>.json for every stack that adopts objects, replacing the folder whole
 * (a stack that no longer adopts loses its file); no folder when none adopts.
 */
function writeImportFiles(result: PreviewResult, outDir: string): string[] {
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
    result: PreviewResult,
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

const usage = "usage: npm start -- [--config-dir DIR] [--out DIR] [--no-verify] [--verbose] [--policy-pack-config FILE]";

function parseArguments(argv: string[]): {
    configDir: string;
    outDir: string;
    verify: boolean;
    verbose: boolean;
    policyPackConfig: PolicyPackConfig;
} {
    const root = path.join(__dirname, "..");
    const values = parseFlags(
        argv,
        {
            "config-dir": { type: "string" },
            out: { type: "string" },
            "no-verify": { type: "boolean" },
            verbose: { type: "boolean" },
            "policy-pack-config": { type: "string" },
        },
        usage,
    );
    return {
        configDir: existingDirectory("--config-dir", values["config-dir"] ?? root),
        outDir: outputDirectory("--out", values.out ?? path.join(root, "out")),
        verify: !values["no-verify"],
        verbose: values.verbose ?? false,
        policyPackConfig: values["policy-pack-config"] ? readPolicyPackConfig(path.resolve(values["policy-pack-config"])) : {},
    };
}

/**
 * The offline preview, the policy pack's verdicts, then the verification of every sign-in; 1 on
 * bad input, a mandatory policy violation or a failed check.
 */
export async function main(argv: string[]): Promise<number> {
    try {
        const { configDir, outDir, verify, verbose, policyPackConfig } = parseArguments(argv);
        const idpKeyFile = path.join(outDir, ".mock-idp-key.json");
        const result = await buildPlan(configDir, idpKeyFile);
        let verification: { report: VerificationReport; file: string } | undefined;
        const verificationLines: string[] = [];
        if (verify) {
            // Every check is streamed to out/verification.md; only counts and failures stay in memory.
            const detail = new StreamedFile(path.join(outDir, "verification.md"));
            detail.write(["# Verification", "", verificationIntro, "", ...verdictTableHeader].join("\n"));
            const report = new VerificationReport((row) => detail.write(row));
            await verifyPlanInto(result.plan, mockIdpKey(idpKeyFile).privateKeyPem, (check) => {
                report.add(check);
                if (verbose) {
                    verificationLines.push(verdictLine(check));
                }
            });
            detail.commit();
            verification = { report, file: detail.file };
            verificationLines.push(...(verbose ? [report.totalLine()] : report.summaryLines()));
        }
        const verdicts = policyVerdicts(result.plan, policyPackConfig);
        const written = writePlanFiles(result, outDir, verification, verdicts);
        console.log(
            `Offline preview of ${projectName}: ${result.evaluations.length} stacks from ${configDir} (mock runtime; nothing is sent to AWS or Okta)\n`,
        );
        console.log(renderPreview(result, verbose).join("\n"));
        console.log(
            `\nPolicy pack (policy/, as \`pulumi preview --policy-pack policy\` judges)\n${policyLines(verdicts, verbose ? Infinity : shown)
                .map((line) => `  ${line}`)
                .join("\n")}`,
        );
        if (verification) {
            console.log(`\nVerification (samlify + iam-simulate)\n${verificationLines.map((line) => `  ${line}`).join("\n")}`);
        }
        const relative = (file: string) => path.relative(process.cwd(), file) || ".";
        console.log(
            `\nWrote ${[
                ...written.files.map(relative),
                `${relative(written.profiles.dir)}/ (${count(written.profiles.count)} files)`,
                ...written.importFiles.map(relative),
            ].join(", ")}`,
        );
        return verification?.report.failed.length || mandatoryViolations(verdicts) ? 1 : 0;
    } catch (error) {
        console.error(failureMessage(error));
        return 1;
    }
}

if (require.main === module) {
    runCommand(main);
}
