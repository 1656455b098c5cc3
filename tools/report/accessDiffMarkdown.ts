// The access diff as Markdown for a pull request: its one-sentence summary (a weakened sign-on
// first), the access gained and lost, the sign-on policy's and the emergency roles' changes, then
// every resource and output change in full, cut to fit a GitHub comment when it must.
import type { AccessRow } from "../plan/model";
import { accessMarkdownTable, emergencyMarkdownTable } from "./access";
import { emergencyHolding, isDirect } from "./planView";
import type { ValueChange } from "../plan/valueChanges";
import type { AccessDiff } from "./accessDiff";
import { cutToLimit, markdownCell } from "./markdown";

const describe = (row: AccessRow) =>
    `${row.principal} → ${row.samlRole}${isDirect(row) ? " (direct)" : ""}${row.via === undefined ? "" : ` (via ${row.via})`}`;

/** How many names a summary part lists: the summary line stays short however much changed. */
const summaryNames = 5;

const listed = (names: string[]) =>
    names.length <= summaryNames ? names.join(", ") : `${names.slice(0, summaryNames).join(", ")}, and ${names.length - summaryNames} more`;

/** The diff in one sentence: the first line of the comment and of the command's output. */
export function diffSummary(diff: AccessDiff): string {
    const { failsToDeploy, gained, lost, stays, signOn, emergencyRoles, grants, stacks } = diff;
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
    const emergencyParts = (
        [
            ["added", emergencyRoles.added.map((r) => r.role)],
            ["removed", emergencyRoles.removed.map((r) => r.role)],
            ["changed", emergencyRoles.changed.map((r) => r.role)],
        ] as const
    )
        .filter(([, roles]) => roles.length > 0)
        .map(([what, roles]) => `emergency role${roles.length === 1 ? "" : "s"} ${what} (${listed(roles)})`);
    const signOnParts = signOn.weakened.length
        ? [`sign-on weakened (${listed(signOn.weakened)})`]
        : signOn.changes.length
          ? ["sign-on policy changed"]
          : [];
    const stackParts = Object.entries(stacks).flatMap(([stack, d]) => {
        const adoptedPart = d.adopted.length ? [`${d.adopted.length} adopted in ${stack} (imported, no change in access)`] : [];
        const outputs = new Set(d.outputs.map((change) => change.input)).size;
        const outputPart = outputs ? [`${outputs} output${outputs === 1 ? "" : "s"} changed in ${stack}`] : [];
        const total = d.added.length + d.removed.length + d.changed.length;
        if (total === 0) {
            return [...adoptedPart, ...outputPart];
        }
        const kinds = [
            d.added.length && `${d.added.length} added`,
            d.removed.length && `${d.removed.length} removed`,
            d.changed.length && `${d.changed.length} updated`,
        ].filter(Boolean);
        return [
            `${total} resource${total === 1 ? "" : "s"} changed in ${stack}${kinds.length > 1 || !d.changed.length ? ` (${kinds.join(", ")})` : ""}`,
            ...adoptedPart,
            ...outputPart,
        ];
    });
    const removals = stays.resources.filter((r) => r.change !== "updated");
    const staysParts = [
        ...(stays.access.length
            ? [`${stays.access.length} access stays until removed by hand (${listed(stays.access.map(describe))})`]
            : []),
        // A policy's old versions (an update's leftover) are listed in the section, not the summary.
        ...(removals.length
            ? [
                  `${removals.length} left behind until removed by hand (${listed(removals.map((r) => `${r.stack}/${r.urn.split("::").pop()!}`))})`,
              ]
            : []),
    ];
    const failureParts = failsToDeploy.length
        ? [`fails to deploy (${listed(failsToDeploy.map((f) => `${f.stack}/${f.physicalName}`))})`]
        : [];
    const pathParts = (
        [
            ["added", diff.paths?.added ?? []],
            ["removed", diff.paths?.removed ?? []],
        ] as const
    )
        .filter(([, rows]) => rows.length > 0)
        .map(([what, rows]) => `${rows.length} path${rows.length === 1 ? "" : "s"} ${what}, access kept (${listed(rows.map(describe))})`);
    return [
        ...failureParts,
        ...(signOn.weakened.length ? signOnParts : []),
        accessPart("+", gained),
        accessPart("−", lost),
        ...pathParts,
        ...staysParts,
        ...(signOn.weakened.length ? [] : signOnParts),
        ...emergencyParts,
        ...grantParts,
        ...(stackParts.length ? stackParts : ["no resource changes"]),
    ].join(", ");
}

/** A CommonMark code span holding `text` literally, whatever backticks it contains. */
function codeSpan(text: string): string {
    const fence = "`".repeat(Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length)) + 1);
    const padding = text.startsWith("`") || text.endsWith("`") ? " " : "";
    return `${fence}${padding}${text}${padding}${fence}`;
}

const valueText = (value: unknown) => (value === undefined ? "(none)" : codeSpan(JSON.stringify(value)));

/** One changed value: where, before → after, and what each Okta id in it stands for; a list item nested by `indent`. */
function changeLine(change: ValueChange, where: string, indent = "  "): string {
    const ids = Object.entries(change.ids ?? {}).map(([id, name]) => `${codeSpan(id)} is ${markdownCell(name)}`);
    return `${indent}- ${codeSpan(where)}: ${valueText(change.before)} → ${valueText(change.after)}${ids.length ? ` (${ids.join("; ")})` : ""}`;
}

/**
 * The warning a change of code gets, above everything else: the offline diff runs the new program
 * under the mock and cannot tell whether it behaves the same for real, nor judge a change of the
 * tools and policy pack by themselves. Undefined when only configuration changed.
 */
export function codeChangeWarning(codeChanges: string[]): string | undefined {
    return codeChanges.length === 0
        ? undefined
        : `This change edits code, not only configuration (${listed(codeChanges)}): the offline diff runs the new program under the mock and assumes it behaves the same for real, and it was judged by the base's tools; that code needs a human review.`;
}

/**
 * The diff as Markdown for a pull request: the code-change warning (`codeChanges`, the code files
 * the change edits), the summary, the access gained and lost, the sign-on policy's and the
 * emergency roles' changes (when there are any), then every resource and output change in full. Past `limit` characters the text is cut at a line (the warning and the summary
 * always stay, then the access rows), and a note says how many lines and characters were left out
 * and where the full diff is.
 */
export function accessDiffMarkdown(
    diff: AccessDiff,
    baseLabel: string,
    headLabel: string,
    options: { limit?: number; fullDiffAt?: string; codeChanges?: string[] } = {},
): string {
    const accessTable = (rows: AccessRow[], sessions?: Record<string, number>) =>
        rows.length === 0 ? ["None."] : accessMarkdownTable(rows, undefined, sessions);
    const warning = codeChangeWarning(options.codeChanges ?? []);
    const summary = [
        ...(warning === undefined ? [] : [`> **⚠ ${markdownCell(warning)}**`, ""]),
        `**Access diff** (${markdownCell(baseLabel)} → ${markdownCell(headLabel)}): ${markdownCell(diffSummary(diff))}`,
    ].join("\n");
    // A change pulumi up cannot deploy comes first: it stops the deploy part way through.
    const failures = diff.failsToDeploy.length
        ? [
              "",
              "### Fails to deploy",
              "",
              ...diff.failsToDeploy.map(
                  (f) => `- ${codeSpan(f.urn)} (${markdownCell(f.stack)}): ${markdownCell(f.why)}. **Way out:** ${markdownCell(f.wayOut)}.`,
              ),
          ]
        : [];
    const head = [
        summary,
        ...failures,
        "",
        "### Access gained",
        "",
        ...accessTable(diff.gained, diff.directSessions?.head),
        "",
        "### Access lost",
        "",
        ...accessTable(diff.lost, diff.directSessions?.base),
        // A member moving between chained and direct sign-in: the access stays, its path changes.
        ...(diff.paths && diff.paths.added.length + diff.paths.removed.length > 0
            ? [
                  "",
                  "### Paths changed, access kept",
                  "",
                  ...(diff.paths.added.length ? ["Added:", "", ...accessTable(diff.paths.added, diff.directSessions?.head), ""] : []),
                  ...(diff.paths.removed.length ? ["Removed:", "", ...accessTable(diff.paths.removed, diff.directSessions?.base)] : []),
              ]
            : []),
    ];
    // What the providers leave behind (components/providerBehaviour.ts): the plan no longer has it, AWS or Okta still does.
    const { stays } = diff;
    const staysSection =
        stays.access.length + stays.resources.length > 0
            ? [
                  "",
                  "### Stays until removed by hand",
                  "",
                  ...(stays.access.length
                      ? [
                            "Access the plan no longer gives, which Okta keeps (a group rule removed or replaced without removing the members it added):",
                            "",
                            ...accessMarkdownTable(stays.access, undefined, diff.directSessions?.base),
                            "",
                        ]
                      : []),
                  ...stays.resources.map(
                      (r) => `- ${codeSpan(r.urn)} (${r.change} in ${markdownCell(r.stack)}): ${markdownCell(r.leaves)}`,
                  ),
              ]
            : [];
    const { signOn, emergencyRoles } = diff;
    const signOnSection = signOn.changes.length
        ? [
              "",
              "### Sign-on policy",
              "",
              ...(signOn.weakened.length ? [`**Weakened:** ${signOn.weakened.map(markdownCell).join("; ")}.`, ""] : []),
              ...signOn.changes.map((change) => changeLine(change, change.path ? `${change.input} ${change.path}` : change.input, "")),
          ]
        : [];
    const emergencyChanged = emergencyRoles.added.length + emergencyRoles.removed.length + emergencyRoles.changed.length > 0;
    const emergencySection = emergencyChanged
        ? [
              "",
              "### Emergency roles",
              "",
              `Emergency roles are ${emergencyHolding}.`,
              ...(emergencyRoles.added.length ? ["", "Added:", "", ...emergencyMarkdownTable(emergencyRoles.added)] : []),
              ...(emergencyRoles.removed.length ? ["", "Removed:", "", ...emergencyMarkdownTable(emergencyRoles.removed)] : []),
              ...(emergencyRoles.changed.length
                  ? [
                        "",
                        "Changed:",
                        "",
                        ...emergencyRoles.changed.flatMap(({ role, changes }) => [
                            `- ${codeSpan(role)}`,
                            ...changes.map((change) => changeLine(change, change.path ? `${change.input} ${change.path}` : change.input)),
                        ]),
                    ]
                  : []),
          ]
        : [];
    const resources: string[] = [];
    if (Object.keys(diff.stacks).length === 0) {
        resources.push("", "No resource or output changes.");
    }
    for (const [stack, d] of Object.entries(diff.stacks)) {
        resources.push("", `#### ${markdownCell(stack)}`, "");
        resources.push(...d.adopted.map((a) => `- \`=\` ${codeSpan(a.urn)} (import ${codeSpan(a.import)})`));
        resources.push(...d.added.map((urn) => `- \`+\` ${codeSpan(urn)}`));
        resources.push(...d.removed.map((urn) => `- \`-\` ${codeSpan(urn)}`));
        for (const change of d.changed) {
            resources.push(`- \`~\` ${codeSpan(change.urn)}`);
            resources.push(...change.changes.map((value) => changeLine(value, value.path ? `${value.input} ${value.path}` : value.input)));
        }
        for (const output of [...new Set(d.outputs.map((change) => change.input))]) {
            resources.push(`- \`~\` output ${codeSpan(output)}`);
            resources.push(...d.outputs.filter((c) => c.input === output).map((value) => changeLine(value, value.path || output)));
        }
    }
    // Keep the summary, then every line that fits beside the note: the access rows first, the
    // sign-on and emergency role changes, then the resource changes (only an organisation-wide change has more access rows than fit).
    return cutToLimit(
        head[0],
        [...head.slice(1), ...staysSection, ...signOnSection, ...emergencySection, "", "### Resources and outputs", ...resources],
        {
            limit: options.limit ?? Infinity,
            what: "diff",
            wholeAt: options.fullDiffAt ?? "in out/access-diff-full.md",
        },
    );
}
