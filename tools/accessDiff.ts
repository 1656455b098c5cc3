// `npm run access-diff -- --base <ref> [--head <ref>] [--json]`: what a change does to access.
// Builds the offline plan of both revisions (each in its own git worktree, with its own
// dependencies, running its own program) and writes out/access-diff.md: who gains or loses which
// role in which account, which trust and permission documents widened or narrowed, then every
// resource added, removed and changed per stack, value by value (JSON documents by path, with
// microdiff: maintained, dependency-free, and it reports paths and both values, which is what a
// reviewer reads). out/access-diff.md fits a GitHub comment; out/access-diff-full.md is all of it.
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import microdiff from "microdiff";
import { accessMarkdownTable } from "./access";
import { markdownCell } from "./markdown";
import type { AccessRow, Plan, PlannedResource } from "./plan";
import { existingDirectory, failureMessage, outputDirectory, parseFlags, runCommand, UsageError, writeAtomically } from "./cli";
import { keepMockIdpKey, MockIdpKey, mockIdpKey } from "./mock/idp";
import { grantChange, grantsOf } from "./policyGrants";

/** One changed value, in full: an input, or a path inside an input that holds a JSON document. */
export interface ValueChange {
    input: string;
    /** Where inside the input's document (`Statement[0].Condition.ArnEquals.aws:PrincipalArn`); "" for the whole input. */
    path: string;
    /** Absent when the value was not there before; secrets stay "[secret]". */
    before?: unknown;
    /** Absent when the value is gone. */
    after?: unknown;
}

export interface ResourceChange {
    urn: string;
    changes: ValueChange[];
}

export interface StackDiff {
    added: string[];
    removed: string[];
    changed: ResourceChange[];
    /** Resources the head imports (adopts) that the base did not: no change in what exists or who has access. */
    adopted: { urn: string; import: string }[];
}

/** Trust and permission documents whose grants changed (see tools/policyGrants.ts), as `stack/resource name`. */
export interface GrantChanges {
    trustWidened: string[];
    trustNarrowed: string[];
    trustChanged: string[];
    permissionsAdded: string[];
    permissionsRemoved: string[];
}

export interface AccessDiff {
    summary: string;
    gained: AccessRow[];
    lost: AccessRow[];
    grants: GrantChanges;
    stacks: Record<string, StackDiff>;
}

/** What an access row grants, regardless of the ARN of the federated role it goes through. */
function accessKey(row: AccessRow): string {
    return JSON.stringify([
        row.principal,
        row.principalType,
        row.samlRole,
        row.targetAccountId,
        row.targetRoleArn,
        [...row.policyArns].sort(),
    ]);
}

/** A JSON object or array held in a string input (policy documents, Okta profiles), parsed; else undefined. */
function jsonDocument(value: unknown): object | undefined {
    if (typeof value !== "string" || !/^\s*[[{]/.test(value)) {
        return undefined;
    }
    try {
        return JSON.parse(value) as object;
    } catch {
        return undefined;
    }
}

/** `Statement[0].Condition.ArnEquals.aws:PrincipalArn`; keys that would read ambiguously are quoted. */
function pathText(path: (string | number)[]): string {
    return path
        .map((part, i) =>
            typeof part === "number" ? `[${part}]` : /^[^.[\]\s"]+$/.test(part) ? `${i ? "." : ""}${part}` : `[${JSON.stringify(part)}]`,
        )
        .join("");
}

/** The inputs that differ, diffed by path (microdiff) where both sides are structured or JSON documents. */
function valueChanges(input: string, before: unknown, after: unknown): ValueChange[] {
    const structured = (value: unknown) => jsonDocument(value) ?? (value !== null && typeof value === "object" ? value : undefined);
    const [beforeDocument, afterDocument] = [structured(before), structured(after)];
    if (beforeDocument && afterDocument && Array.isArray(beforeDocument) === Array.isArray(afterDocument)) {
        return microdiff(beforeDocument as Record<string, unknown>, afterDocument as Record<string, unknown>).map((d) => ({
            input,
            path: pathText(d.path),
            ...(d.type !== "CREATE" && { before: d.oldValue as unknown }),
            ...(d.type !== "REMOVE" && { after: d.value as unknown }),
        }));
    }
    return JSON.stringify(before) === JSON.stringify(after)
        ? []
        : [{ input, path: "", ...(before !== undefined && { before }), ...(after !== undefined && { after }) }];
}

function resourceChanges(before: PlannedResource, after: PlannedResource): ValueChange[] {
    const inputs = [...new Set([...Object.keys(before.inputs), ...Object.keys(after.inputs)])].sort();
    return [
        ...inputs.flatMap((input) => valueChanges(input, before.inputs[input], after.inputs[input])),
        ...valueChanges("(protect)", before.protect, after.protect),
    ];
}

/** Inputs that hold trust and permission documents, and resources that attach permissions. */
const trustInputs: Record<string, string> = { "aws:iam/role:Role": "assumeRolePolicy" };
const permissionInputs: Record<string, string> = {
    "aws:iam/policy:Policy": "policy",
    "aws:iam/rolePolicy:RolePolicy": "policy",
    "aws:iam/groupPolicy:GroupPolicy": "policy",
    "aws:iam/userPolicy:UserPolicy": "policy",
};
const attachmentTypes = new Set([
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
    "aws:iam/userPolicyAttachment:UserPolicyAttachment",
    "aws:iam/policyAttachment:PolicyAttachment",
]);

/** How one resource's trust or permissions changed; an added or removed resource against nothing. */
function grantChanges(stack: string, before: PlannedResource | undefined, after: PlannedResource | undefined, into: GrantChanges): void {
    const resource = (after ?? before)!;
    const label = `${stack}/${resource.name}`;
    const grants = (r: PlannedResource | undefined, input: string) => (r && grantsOf(jsonDocument(r.inputs[input]))) ?? [];
    if (trustInputs[resource.type]) {
        const change = grantChange(grants(before, trustInputs[resource.type]), grants(after, trustInputs[resource.type]));
        if (change) {
            into[change === "widened" ? "trustWidened" : change === "narrowed" ? "trustNarrowed" : "trustChanged"].push(label);
        }
    }
    const permissions = permissionInputs[resource.type];
    const change = permissions
        ? grantChange(grants(before, permissions), grants(after, permissions))
        : attachmentTypes.has(resource.type) && JSON.stringify(before?.inputs) !== JSON.stringify(after?.inputs)
          ? before && after
              ? "changed"
              : after
                ? "widened"
                : "narrowed"
          : undefined;
    if (change === "widened" || change === "changed") {
        into.permissionsAdded.push(label);
    }
    if (change === "narrowed" || change === "changed") {
        into.permissionsRemoved.push(label);
    }
}

const describe = (row: AccessRow) => `${row.principal} → ${row.samlRole}`;

/** How many names a summary part lists: the summary line stays short however much changed. */
const summaryNames = 5;

const listed = (names: string[]) =>
    names.length <= summaryNames ? names.join(", ") : `${names.slice(0, summaryNames).join(", ")}, and ${names.length - summaryNames} more`;

/** The difference between two plans. Pure. */
export function diffPlans(base: Plan, head: Plan): AccessDiff {
    const baseAccess = new Map(base.access.map((row) => [accessKey(row), row]));
    const headAccess = new Map(head.access.map((row) => [accessKey(row), row]));
    const gained = [...headAccess].filter(([key]) => !baseAccess.has(key)).map(([, row]) => row);
    const lost = [...baseAccess].filter(([key]) => !headAccess.has(key)).map(([, row]) => row);

    const grants: GrantChanges = { trustWidened: [], trustNarrowed: [], trustChanged: [], permissionsAdded: [], permissionsRemoved: [] };
    const stacks: Record<string, StackDiff> = {};
    for (const stack of [...new Set([...Object.keys(base.stacks), ...Object.keys(head.stacks)])].sort()) {
        const before = new Map((base.stacks[stack]?.resources ?? []).map((r) => [r.urn, r]));
        const after = new Map((head.stacks[stack]?.resources ?? []).map((r) => [r.urn, r]));
        for (const urn of [...new Set([...before.keys(), ...after.keys()])].sort()) {
            grantChanges(stack, before.get(urn), after.get(urn), grants);
        }
        const changed = [...after]
            .filter(([urn]) => before.has(urn))
            .map(([urn, resource]) => ({ urn, changes: resourceChanges(before.get(urn)!, resource) }))
            .filter((change) => change.changes.length > 0);
        // An adopted resource exists already: importing it is no addition, whatever the base planned.
        const adopted = [...after.values()]
            .filter((r) => r.import !== undefined && before.get(r.urn)?.import !== r.import)
            .map((r) => ({ urn: r.urn, import: r.import! }))
            .sort((a, b) => a.urn.localeCompare(b.urn));
        const adoptedUrns = new Set(adopted.map((a) => a.urn));
        const diff = {
            added: [...after.keys()].filter((urn) => !before.has(urn) && !adoptedUrns.has(urn)).sort(),
            removed: [...before.keys()].filter((urn) => !after.has(urn)).sort(),
            changed: changed.sort((a, b) => a.urn.localeCompare(b.urn)),
            adopted,
        };
        if (diff.added.length + diff.removed.length + diff.changed.length + diff.adopted.length > 0) {
            stacks[stack] = diff;
        }
    }

    const accessPart = (sign: string, rows: AccessRow[]) =>
        `${sign}${rows.length} access${rows.length ? ` (${listed(rows.map(describe))})` : ""}`;
    const grantParts = (
        [
            ["trust widened", grants.trustWidened],
            ["trust narrowed", grants.trustNarrowed],
            ["trust changed", grants.trustChanged],
            ["permissions added", grants.permissionsAdded],
            ["permissions removed", grants.permissionsRemoved],
        ] as const
    )
        .filter(([, labels]) => labels.length > 0)
        .map(([what, labels]) => `${what} (${listed(labels)})`);
    const stackParts = Object.entries(stacks).flatMap(([stack, d]) => {
        const adoptedPart = d.adopted.length ? [`${d.adopted.length} adopted in ${stack} (imported, no change in access)`] : [];
        const total = d.added.length + d.removed.length + d.changed.length;
        if (total === 0) {
            return adoptedPart;
        }
        const kinds = [
            d.added.length && `${d.added.length} added`,
            d.removed.length && `${d.removed.length} removed`,
            d.changed.length && `${d.changed.length} updated`,
        ].filter(Boolean);
        return [
            `${total} resource${total === 1 ? "" : "s"} changed in ${stack}${kinds.length > 1 || !d.changed.length ? ` (${kinds.join(", ")})` : ""}`,
            ...adoptedPart,
        ];
    });
    const summary = [
        accessPart("+", gained),
        accessPart("−", lost),
        ...grantParts,
        ...(stackParts.length ? stackParts : ["no resource changes"]),
    ].join(", ");
    return { summary, gained, lost, grants, stacks };
}

/** A CommonMark code span holding `text` literally, whatever backticks it contains. */
function codeSpan(text: string): string {
    const fence = "`".repeat(Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length)) + 1);
    const padding = text.startsWith("`") || text.endsWith("`") ? " " : "";
    return `${fence}${padding}${text}${padding}${fence}`;
}

const shown = (value: unknown) => (value === undefined ? "(none)" : codeSpan(JSON.stringify(value)));

/** GitHub refuses a comment over 65,536 characters; the sticky-comment action adds a header of its own. */
export const commentLimit = 65_536 - 1_024;

/**
 * The diff as Markdown for a pull request: the summary, the access gained and lost, then every
 * resource change in full. Past `limit` characters the text is cut at a line (the summary always
 * stays, then the access rows), and a note says how many lines and characters were left out and
 * where the full diff is.
 */
export function accessDiffMarkdown(
    diff: AccessDiff,
    baseLabel: string,
    headLabel: string,
    options: { limit?: number; fullDiffAt?: string } = {},
): string {
    const accessTable = (rows: AccessRow[]) => (rows.length === 0 ? ["None."] : accessMarkdownTable(rows));
    const head = [
        `**Access diff** (${markdownCell(baseLabel)} → ${markdownCell(headLabel)}): ${markdownCell(diff.summary)}`,
        "",
        "### Access gained",
        "",
        ...accessTable(diff.gained),
        "",
        "### Access lost",
        "",
        ...accessTable(diff.lost),
        "",
        "### Resources",
    ];
    const resources: string[] = [];
    if (Object.keys(diff.stacks).length === 0) {
        resources.push("", "No resource changes.");
    }
    for (const [stack, d] of Object.entries(diff.stacks)) {
        resources.push("", `#### ${markdownCell(stack)}`, "");
        resources.push(...d.adopted.map((a) => `- \`=\` ${codeSpan(a.urn)} (import ${codeSpan(a.import)})`));
        resources.push(...d.added.map((urn) => `- \`+\` ${codeSpan(urn)}`));
        resources.push(...d.removed.map((urn) => `- \`-\` ${codeSpan(urn)}`));
        for (const change of d.changed) {
            resources.push(`- \`~\` ${codeSpan(change.urn)}`);
            for (const value of change.changes) {
                resources.push(
                    `  - ${codeSpan(value.path ? `${value.input} ${value.path}` : value.input)}: ${shown(value.before)} → ${shown(value.after)}`,
                );
            }
        }
    }
    const full = `${[...head, ...resources].join("\n")}\n`;
    const limit = options.limit ?? Infinity;
    if (full.length <= limit) {
        return full;
    }
    // Keep the summary, then every line that fits beside the note: the access rows first, then
    // the resource changes (only an organisation-wide change has more access rows than fit).
    const note = (lines: number, characters: number) =>
        `\n> **${lines} lines (${characters} characters) of this diff left out** to keep this comment under GitHub's limit; the full diff is ${options.fullDiffAt ?? "in out/access-diff-full.md"}.\n`;
    const body = [...head.slice(1), ...resources];
    const worstNote = note(body.length, full.length).length;
    let text = `${head[0]}\n`;
    let kept = 0;
    while (kept < body.length && text.length + body[kept].length + 1 + worstNote <= limit) {
        text += `${body[kept++]}\n`;
    }
    return text + note(body.length - kept, full.length - text.length);
}

function git(repo: string, ...args: string[]): string {
    return execFileSync("git", ["-C", repo, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

function run(command: string, args: string[], cwd: string): Promise<void> {
    return new Promise((resolve, reject) => {
        const child = spawn(command, args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
        let stderr = "";
        child.stderr.on("data", (chunk) => (stderr += chunk));
        child.on("close", (code) =>
            code === 0 ? resolve() : reject(new UsageError(`${command} ${args.join(" ")} in ${cwd} failed (${code}):\n${stderr.trim()}`)),
        );
    });
}

/** The commit a ref names, checked before anything is created or written. */
export function commitOf(repo: string, ref: string): string {
    try {
        return git(repo, "rev-parse", "--verify", "--quiet", `${ref}^{commit}`);
    } catch {
        throw new UsageError(`access-diff: ${JSON.stringify(ref)} is not a commit of ${repo}`);
    }
}

/**
 * The offline plan of a commit or of the working tree (`undefined`), built by that revision's own
 * program. A revision with the same package-lock.json borrows this checkout's node_modules;
 * another one gets `npm ci`. `idpKey` (the mock IdP key) is shared so that plans of the same
 * configuration carry the same SAML metadata. Whatever happens, the worktree and the scratch
 * folder are gone when this settles, and no process it started is left running.
 */
export async function planAt(repo: string, commit: string | undefined, idpKey: MockIdpKey): Promise<Plan> {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-diff-"));
    const outDir = path.join(scratch, "out");
    let dir = repo;
    try {
        fs.mkdirSync(outDir);
        fs.writeFileSync(path.join(outDir, ".mock-idp-key.json"), JSON.stringify(idpKey), { mode: 0o600 });
        if (commit !== undefined) {
            dir = path.join(scratch, "worktree");
            git(repo, "worktree", "add", "--detach", "--quiet", dir, commit);
            const lock = (root: string) =>
                fs.existsSync(path.join(root, "package-lock.json")) ? fs.readFileSync(path.join(root, "package-lock.json"), "utf8") : "";
            if (fs.existsSync(path.join(dir, "node_modules"))) {
                // Committed by mistake (a symlink); use it as it is.
            } else if (lock(dir) === lock(repo) && fs.existsSync(path.join(repo, "node_modules"))) {
                fs.symlinkSync(path.join(repo, "node_modules"), path.join(dir, "node_modules"), "dir");
            } else {
                await run("npm", ["ci", "--no-audit", "--no-fund"], dir);
            }
        }
        if (!fs.existsSync(path.join(dir, "tools", "preview.ts"))) {
            throw new UsageError(`${commit ?? "the working tree"} has no offline preview (tools/preview.ts) to build a plan with`);
        }
        try {
            // The revision's own `npm start`, so it runs with the loader and flags it was written for.
            await run("npm", ["start", "--silent", "--", "--out", outDir, "--no-verify"], dir);
        } catch (error) {
            // A plan that breaks a policy is written, then reported with exit 1: still diff it.
            if (!fs.existsSync(path.join(outDir, "plan.json"))) {
                throw error;
            }
        }
        return JSON.parse(fs.readFileSync(path.join(outDir, "plan.json"), "utf8")) as Plan;
    } finally {
        if (dir !== repo) {
            try {
                git(repo, "worktree", "remove", "--force", dir);
            } catch {
                // Removed with the scratch folder below; prune forgets it in git.
            }
        }
        fs.rmSync(scratch, { recursive: true, force: true });
        if (dir !== repo) {
            git(repo, "worktree", "prune");
        }
    }
}

const usage = "usage: npm run access-diff -- --base <git-ref> [--head <git-ref>] [--json] [--repo DIR] [--out DIR]";

function parseArguments(argv: string[]): { base: string; head?: string; json: boolean; repo: string; outDir: string } {
    const root = path.join(__dirname, "..");
    const values = parseFlags(
        argv,
        {
            base: { type: "string" },
            head: { type: "string" },
            json: { type: "boolean" },
            repo: { type: "string" },
            out: { type: "string" },
        },
        usage,
    );
    if (values.base === undefined) {
        throw new UsageError(`--base is required\n${usage}`);
    }
    return {
        base: values.base,
        head: values.head,
        json: values.json ?? false,
        repo: existingDirectory("--repo", values.repo ?? root),
        outDir: outputDirectory("--out", values.out ?? path.join(root, "out")),
    };
}

/** Exit 0 whether or not anything differs; 1 only on errors. */
export async function main(argv: string[]): Promise<number> {
    try {
        const { base, head, json, repo, outDir } = parseArguments(argv);
        const [baseCommit, headCommit] = [commitOf(repo, base), head === undefined ? undefined : commitOf(repo, head)];
        const idpKeyFile = path.join(outDir, ".mock-idp-key.json");
        // One key for both plans, so the SAML metadata does not differ; kept only once both are built.
        const idpKey = mockIdpKey(idpKeyFile);
        // Both plans run to the end, failed or not, so each cleans up before the command exits.
        const plans = await Promise.allSettled([planAt(repo, baseCommit, idpKey), planAt(repo, headCommit, idpKey)]);
        const failed = plans.find((p): p is PromiseRejectedResult => p.status === "rejected");
        if (failed) {
            throw failed.reason;
        }
        const [basePlan, headPlan] = plans.map((p) => (p as PromiseFulfilledResult<Plan>).value);
        const diff = diffPlans(basePlan, headPlan);
        const files = [
            path.join(outDir, "access-diff.md"),
            path.join(outDir, "access-diff-full.md"),
            ...(json ? [path.join(outDir, "access-diff.json")] : []),
        ];
        const headLabel = head ?? "working tree";
        const { GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID } = process.env;
        const fullDiffAt = GITHUB_RUN_ID
            ? `in the \`access-diff\` artifact of [this workflow run](${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/actions/runs/${GITHUB_RUN_ID})`
            : `in ${path.relative(process.cwd(), files[1])}`;
        keepMockIdpKey(idpKeyFile);
        writeAtomically(files[0], accessDiffMarkdown(diff, base, headLabel, { limit: commentLimit, fullDiffAt }));
        writeAtomically(files[1], accessDiffMarkdown(diff, base, headLabel));
        if (json) {
            writeAtomically(files[2], `${JSON.stringify(diff, null, 2)}\n`);
        }
        console.log(`${diff.summary}\nWrote ${files.map((f) => path.relative(process.cwd(), f)).join(", ")}`);
        return 0;
    } catch (error) {
        console.error(failureMessage(error));
        return 1;
    }
}

if (require.main === module) {
    runCommand(main);
}
