// `npm run access-diff -- --base <ref> [--head <ref>] [--json]`: what a change does to access.
// Builds the offline plan of both revisions with the base's tools (tools/plan/atRevision.ts: each
// revision's stack files; a head that changes code gets the base's, never runs its own) and writes out/access-diff.md
// (fits a GitHub comment), out/access-diff-full.md (all of it) and out/access-diff.json; a change
// of code is called out at the top. --json prints the JSON on stdout instead of the summary, as
// the audit's does.
import { Progress, progressFlag, progressTo } from "../shared/progress";
import * as path from "path";
import { keepMockIdpKey, mockIdpKey } from "../mock/idp";
import { codeChanges, commitOf, plansAt, removeRevisionScratch } from "../plan/atRevision";
import { diffPlans } from "../report/accessDiff";
import { accessDiffMarkdown, codeChangeWarning, diffSummary, riskLines } from "../report/accessDiffMarkdown";
import { commentLimit } from "../report/markdown";
import { UsageError } from "../../components/errors";
import { cleanUpOnSignal, parseFlags, runCommand } from "../shared/commandLine";
import { existingDirectory, outputDirectory, shownFromShell, writeAtomically } from "../shared/files";
import { defaultProjectFolder } from "../shared/projectFolder";
import { usageLine } from "../shared/invocation";

const usage = usageLine("access-diff", "--base <git-ref> [--head <git-ref>] [--json] [--repo DIR] [--out DIR] [--progress]");

function parseArguments(argv: string[]): { base: string; head?: string; json: boolean; repo: string; outDir: string; progress: Progress } {
    const root = defaultProjectFolder();
    const values = parseFlags(
        argv,
        {
            base: { type: "string", value: "<git-ref>", description: "the revision before the change (required), e.g. origin/main" },
            head: { type: "string", value: "<git-ref>", description: "the revision after the change (default: the working tree)" },
            json: { type: "boolean", description: "print the diff's JSON (as access-diff.json holds it) instead of its summary" },
            repo: { type: "string", value: "DIR", description: "the git repository (default: this project)" },
            out: {
                type: "string",
                value: "DIR",
                description: "where to write access-diff.md, access-diff-full.md and access-diff.json (default: out/)",
            },
            progress: progressFlag,
        },
        usage,
        "What a change does to access: builds the offline plan of both revisions with the reviewed tools (this checkout's, or in a configuration repository the okta-aws the base revision installs) and writes a comment-sized and a full Markdown diff; a change of code is called out at the top. Exit 0 whether or not anything differs; 1 on errors.",
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
        progress: progressTo(values.progress),
    };
}

/**
 * Exit 0 whether or not anything differs; 1 on errors, and when the head cannot be deployed as
 * planned (the diff's `failsToDeploy`, each printed with its way out).
 */
export async function main(argv: string[]): Promise<number> {
    const { base, head, json, repo, outDir, progress } = parseArguments(argv);
    const [baseCommit, headCommit] = [commitOf(repo, base), head === undefined ? undefined : commitOf(repo, head)];
    const idpKeyFile = path.join(outDir, ".mock-idp-key.json");
    // One key for both plans, so the SAML metadata does not differ; kept only once both are built.
    const idpKey = mockIdpKey(idpKeyFile);
    // Both plans run to the end, failed or not, so each cleans up before the command exits; an
    // interrupt removes what they made before the process ends.
    // A head that changes code is planned with the base's program (atRevision.ts plansAt): say which.
    const code = codeChanges(repo, baseCommit, headCommit);
    const headProgram = code.length > 0 ? `${base}'s program` : "its own program";
    progress(`planning ${base} with its program and ${head ?? "the working tree"} with ${headProgram}, each with its own stack files`);
    const [basePlan, headPlan] = await cleanUpOnSignal("access-diff", removeRevisionScratch, () =>
        plansAt(repo, baseCommit, headCommit, idpKey),
    );
    progress("comparing the plans");
    const diff = diffPlans(basePlan, headPlan);
    const warning = codeChangeWarning(code);
    const files = [path.join(outDir, "access-diff.md"), path.join(outDir, "access-diff-full.md"), path.join(outDir, "access-diff.json")];
    const headLabel = head ?? "working tree";
    const { GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID } = process.env;
    const fullDiffAt = GITHUB_RUN_ID
        ? `in the \`access-diff\` artifact of [this workflow run](${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/actions/runs/${GITHUB_RUN_ID})`
        : `in ${shownFromShell(files[1])}`;
    keepMockIdpKey(idpKeyFile);
    writeAtomically(
        files[0],
        accessDiffMarkdown(diff, base, headLabel, { limit: commentLimit, fullDiffAt, codeChanges: code, brief: true }),
    );
    writeAtomically(files[1], accessDiffMarkdown(diff, base, headLabel, { codeChanges: code }));
    const document = `${JSON.stringify({ summary: diffSummary(diff), codeChanges: code, ...diff }, null, 2)}\n`;
    writeAtomically(files[2], document);
    const errors = diff.failsToDeploy.map((f) => `error: ${f.stack}: ${f.urn}: ${f.why}. Way out: ${f.wayOut}.`);
    if (json) {
        // stdout holds the JSON alone, so it pipes into jq; what a reader needs besides goes to stderr.
        console.log(document.trimEnd());
        if (errors.length > 0) {
            console.error(errors.join("\n"));
        }
    } else {
        console.log(
            [
                ...(warning ? [`Warning: ${warning}`] : []),
                diffSummary(diff),
                ...riskLines(diff).map((line) => `- ${line}`),
                `Wrote ${files.map((f) => shownFromShell(f)).join(", ")}`,
                ...errors,
            ].join("\n"),
        );
    }
    if (diff.failsToDeploy.length > 0) {
        console.error(
            `FAILED: pulumi up would stop part way through on ${diff.failsToDeploy.length === 1 ? "this change" : `these ${diff.failsToDeploy.length} changes`} (the error lines above, and "Fails to deploy" in ${shownFromShell(files[0])}): take the way out each names in the same change`,
        );
        return 1;
    }
    return 0;
}

if (require.main === module) {
    runCommand(main);
}
