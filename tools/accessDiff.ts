// `npm run access-diff -- --base <ref> [--head <ref>] [--json]`: what a change does to access.
// Builds the offline plan of both revisions (each in its own git worktree, with its own
// dependencies, running its own program) and writes out/access-diff.md: who gains or loses which
// role in which account, then the resources added, removed and changed per stack.
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { AccessRow, Plan, PlannedResource } from "./plan";
import { mockIdpKey } from "./mock/idp";

export interface ResourceChange {
    urn: string;
    /** Changed inputs: name → [before, after], shortened; secrets stay "[secret]". */
    inputs: Record<string, [string, string]>;
}

export interface StackDiff {
    added: string[];
    removed: string[];
    changed: ResourceChange[];
}

export interface AccessDiff {
    summary: string;
    gained: AccessRow[];
    lost: AccessRow[];
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

function shorten(value: unknown): string {
    const text = value === undefined ? "(none)" : typeof value === "string" ? value : JSON.stringify(value);
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function resourceChanges(before: PlannedResource, after: PlannedResource): Record<string, [string, string]> {
    const changes: Record<string, [string, string]> = {};
    for (const key of [...new Set([...Object.keys(before.inputs), ...Object.keys(after.inputs)])].sort()) {
        if (JSON.stringify(before.inputs[key]) !== JSON.stringify(after.inputs[key])) {
            changes[key] = [shorten(before.inputs[key]), shorten(after.inputs[key])];
        }
    }
    if (before.protect !== after.protect) {
        changes["(protect)"] = [String(before.protect), String(after.protect)];
    }
    return changes;
}

const describe = (row: AccessRow) => `${row.principal} → ${row.samlRole}`;

/** The difference between two plans. Pure. */
export function diffPlans(base: Plan, head: Plan): AccessDiff {
    const baseAccess = new Map(base.access.map((row) => [accessKey(row), row]));
    const headAccess = new Map(head.access.map((row) => [accessKey(row), row]));
    const gained = [...headAccess].filter(([key]) => !baseAccess.has(key)).map(([, row]) => row);
    const lost = [...baseAccess].filter(([key]) => !headAccess.has(key)).map(([, row]) => row);

    const stacks: Record<string, StackDiff> = {};
    for (const stack of [...new Set([...Object.keys(base.stacks), ...Object.keys(head.stacks)])].sort()) {
        const before = new Map((base.stacks[stack]?.resources ?? []).map((r) => [r.urn, r]));
        const after = new Map((head.stacks[stack]?.resources ?? []).map((r) => [r.urn, r]));
        const changed = [...after]
            .filter(([urn]) => before.has(urn))
            .map(([urn, resource]) => ({ urn, inputs: resourceChanges(before.get(urn)!, resource) }))
            .filter((change) => Object.keys(change.inputs).length > 0);
        const diff = {
            added: [...after.keys()].filter((urn) => !before.has(urn)).sort(),
            removed: [...before.keys()].filter((urn) => !after.has(urn)).sort(),
            changed: changed.sort((a, b) => a.urn.localeCompare(b.urn)),
        };
        if (diff.added.length + diff.removed.length + diff.changed.length > 0) {
            stacks[stack] = diff;
        }
    }

    const accessPart = (sign: string, rows: AccessRow[]) =>
        `${sign}${rows.length} access${rows.length ? ` (${rows.map(describe).join(", ")})` : ""}`;
    const stackParts = Object.entries(stacks).map(([stack, d]) => {
        const total = d.added.length + d.removed.length + d.changed.length;
        const kinds = [
            d.added.length && `${d.added.length} added`,
            d.removed.length && `${d.removed.length} removed`,
            d.changed.length && `${d.changed.length} updated`,
        ].filter(Boolean);
        return `${total} resource${total === 1 ? "" : "s"} changed in ${stack}${kinds.length > 1 || !d.changed.length ? ` (${kinds.join(", ")})` : ""}`;
    });
    const summary = [accessPart("+", gained), accessPart("−", lost), ...(stackParts.length ? stackParts : ["no resource changes"])].join(
        ", ",
    );
    return { summary, gained, lost, stacks };
}

const roleName = (arn: string) => arn.slice(arn.indexOf(":role/") + ":role/".length);
const policyName = (arn: string) => arn.split("/").pop()!;

/** The diff as Markdown for a pull request: the summary first. */
export function accessDiffMarkdown(diff: AccessDiff, baseLabel: string, headLabel: string): string {
    const accessTable = (rows: AccessRow[]) =>
        rows.length === 0
            ? ["None."]
            : [
                  "| Principal | Type | SAML role | Target account | Target role | Policies |",
                  "| --- | --- | --- | --- | --- | --- |",
                  ...rows.map(
                      (r) =>
                          `| ${r.principal} | ${r.principalType} | \`${r.samlRole}\` | ${r.targetAccountLabel} (${r.targetAccountId}) | \`${roleName(r.targetRoleArn)}\` | ${r.policyArns.map((p) => `\`${policyName(p)}\``).join(", ")} |`,
                  ),
              ];
    const lines = [
        `**Access diff** (${baseLabel} → ${headLabel}): ${diff.summary}`,
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
    if (Object.keys(diff.stacks).length === 0) {
        lines.push("", "No resource changes.");
    }
    for (const [stack, d] of Object.entries(diff.stacks)) {
        lines.push("", `#### ${stack}`, "");
        lines.push(...d.added.map((urn) => `- \`+\` \`${urn}\``));
        lines.push(...d.removed.map((urn) => `- \`-\` \`${urn}\``));
        for (const change of d.changed) {
            lines.push(`- \`~\` \`${change.urn}\``);
            for (const [input, [before, after]] of Object.entries(change.inputs)) {
                lines.push(`  - \`${input}\`: \`${before.replace(/`/g, "'")}\` → \`${after.replace(/`/g, "'")}\``);
            }
        }
    }
    return `${lines.join("\n")}\n`;
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
            code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} in ${cwd} failed (${code}):\n${stderr.trim()}`)),
        );
    });
}

/**
 * The offline plan of a revision (a git ref) or of the working tree (`undefined`), built by that
 * revision's own program. A revision with the same package-lock.json borrows this checkout's
 * node_modules; another one gets `npm ci`. `idpKeyFile` (the mock IdP key) is shared so that
 * plans of the same configuration carry the same SAML metadata.
 */
export async function planAt(repo: string, ref: string | undefined, idpKeyFile: string): Promise<Plan> {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-diff-"));
    const outDir = path.join(scratch, "out");
    fs.mkdirSync(outDir);
    fs.copyFileSync(idpKeyFile, path.join(outDir, ".mock-idp-key.json"));
    let dir = repo;
    try {
        if (ref !== undefined) {
            let commit: string;
            try {
                commit = git(repo, "rev-parse", "--verify", "--quiet", `${ref}^{commit}`);
            } catch {
                throw new Error(`access-diff: ${JSON.stringify(ref)} is not a commit of ${repo}`);
            }
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
            throw new Error(`${ref ?? "the working tree"} has no offline preview (tools/preview.ts) to build a plan with`);
        }
        // The revision's own `npm start`, so it runs with the loader and flags it was written for.
        await run("npm", ["start", "--silent", "--", "--out", outDir, "--no-verify"], dir);
        return JSON.parse(fs.readFileSync(path.join(outDir, "plan.json"), "utf8")) as Plan;
    } finally {
        if (dir !== repo) {
            git(repo, "worktree", "remove", "--force", dir);
        }
        fs.rmSync(scratch, { recursive: true, force: true });
    }
}

function parseArguments(argv: string[]): { base: string; head?: string; json: boolean; repo: string; outDir: string } {
    const repo = path.join(__dirname, "..");
    const options: { base?: string; head?: string; json: boolean; repo: string; outDir: string } = {
        json: false,
        repo,
        outDir: path.join(repo, "out"),
    };
    for (let i = 0; i < argv.length; i++) {
        if ((argv[i] === "--base" || argv[i] === "--head" || argv[i] === "--repo" || argv[i] === "--out") && argv[i + 1]) {
            const key = argv[i].slice(2) as "base" | "head" | "repo";
            if (argv[i] === "--out") {
                options.outDir = path.resolve(argv[++i]);
            } else {
                options[key] = key === "repo" ? path.resolve(argv[++i]) : argv[++i];
            }
        } else if (argv[i] === "--json") {
            options.json = true;
        } else {
            throw new Error(
                `usage: npm run access-diff -- --base <git-ref> [--head <git-ref>] [--json] [--repo DIR] [--out DIR] (unexpected ${JSON.stringify(argv[i])})`,
            );
        }
    }
    if (!options.base) {
        throw new Error("usage: npm run access-diff -- --base <git-ref> [--head <git-ref>] [--json]");
    }
    return options as { base: string; head?: string; json: boolean; repo: string; outDir: string };
}

/** Exit 0 whether or not anything differs; 1 only on errors. */
export async function main(argv: string[]): Promise<number> {
    try {
        const { base, head, json, repo, outDir } = parseArguments(argv);
        const idpKeyFile = path.join(outDir, ".mock-idp-key.json");
        mockIdpKey(idpKeyFile); // one key for both plans, so the SAML metadata does not differ
        const [basePlan, headPlan] = await Promise.all([planAt(repo, base, idpKeyFile), planAt(repo, head, idpKeyFile)]);
        const diff = diffPlans(basePlan, headPlan);
        const files = [path.join(outDir, "access-diff.md"), ...(json ? [path.join(outDir, "access-diff.json")] : [])];
        fs.writeFileSync(files[0], accessDiffMarkdown(diff, base, head ?? "working tree"));
        if (json) {
            fs.writeFileSync(files[1], `${JSON.stringify(diff, null, 2)}\n`);
        }
        console.log(`${diff.summary}\nWrote ${files.map((f) => path.relative(process.cwd(), f)).join(", ")}`);
        return 0;
    } catch (error) {
        console.error((error as Error).message ?? error);
        return 1;
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then((code) => process.exit(code));
}
