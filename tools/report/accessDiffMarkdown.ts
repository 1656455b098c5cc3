// The access diff as Markdown for a pull request: its one-sentence summary (a weakened sign-on
// first), the access gained and lost, the sign-on policy's and the emergency roles' changes, then
// every resource and output change in full, cut to fit a GitHub comment when it must.
import type { AccessRow } from "../plan/model";
import { accessMarkdownTable, emergencyMarkdownTable, membersInOkta } from "./access";
import { emergencyHolding, isDirect, oktaObjectText } from "./planView";
import type { ValueChange } from "../plan/valueChanges";
import type { AccessDiff, AccessRisk } from "./accessDiff";
import { cutToLimit, markdownCell } from "./markdown";
import { plural } from "../shared/numbers";
import { providerTargetText, providerTargetValue } from "./providerTargets";

const describe = (row: AccessRow) =>
    `${row.principal}${row.membersInOkta ? ` (${membersInOkta})` : ""} → ${row.samlRole}${isDirect(row) ? " (direct)" : ""}${row.via === undefined ? "" : ` (via ${row.via})`}`;

/** How many names a summary part lists: the summary line stays short however much changed. */
const summaryNames = 5;

const listed = (names: string[]) =>
    names.length <= summaryNames ? names.join(", ") : `${names.slice(0, summaryNames).join(", ")}, and ${names.length - summaryNames} more`;

/** How many ranked risks the summary shows: it stays short however much changed; the tables below hold the rest. */
const summaryRisks = 8;

/** A ranked risk in one line: `administrator-equivalent, production: AdministratorAccess attached to prod/ReadOnly: 9 people gain it (alice@…, …)`. */
function riskText(risk: AccessRisk): string {
    const who =
        risk.people.length > 0
            ? `${plural(risk.people.length, "person", "people")} ${risk.people.length === 1 ? "gains" : "gain"} it (${listed(risk.people)})${risk.through.length ? ` through ${risk.through.join(", ")}` : ""}`
            : risk.through.length
              ? `the members of ${risk.through.join(", ")} gain it`
              : "nobody holds it";
    return `${risk.privilege}${risk.production ? ", production" : ""}: ${risk.change}: ${who}`;
}

/**
 * Access gained and permissions added, riskiest first (tools/report/privilege.ts): the lines under
 * the summary, at most `summaryRisks` of them and then how many more; none when nothing was gained.
 */
export function riskLines(diff: AccessDiff): string[] {
    const shown = diff.risks.slice(0, summaryRisks).map(riskText);
    const more = diff.risks.length - shown.length;
    return more > 0 ? [...shown, `and ${plural(more, "more role")} (Access gained, below)`] : shown;
}

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
    const providerParts = diff.providerTargets.length
        ? [
              `provider target${diff.providerTargets.length === 1 ? "" : "s"} changed: ${listed(diff.providerTargets.map(providerTargetText))}`,
          ]
        : [];
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
        ...providerParts,
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

/** One output change: a list's entry added or removed (`+`/`−` and the value), or before → after. */
function outputLine(change: ValueChange, output: string): string {
    return change.entry
        ? `  - ${codeSpan(change.path || output)}: ${change.after === undefined ? "−" : "+"} ${valueText(change.after ?? change.before)}`
        : changeLine(change, change.path || output);
}

/** Text a comment only says "changed" of: more than one line, or longer than a line of the comment reads. */
const isLongText = (value: unknown) => typeof value === "string" && (value.includes("\n") || value.length > 200);

/**
 * An output's changes for the comment: a list's entries grouped by value (`+ "Dev-Operator"` in 9
 * entries), long text as "changed" in the entries it changed in, with the detail `fullDiffAt`.
 */
function briefOutputLines(changes: ValueChange[], output: string, fullDiffAt: string): string[] {
    const where = (change: ValueChange) => codeSpan(change.path || output);
    const entries = new Map<string, ValueChange[]>();
    const long: ValueChange[] = [];
    const lines: string[] = [];
    for (const change of changes) {
        if (change.entry) {
            const key = JSON.stringify([change.after === undefined, change.after ?? change.before]);
            entries.set(key, [...(entries.get(key) ?? []), change]);
        } else if (isLongText(change.before) || isLongText(change.after)) {
            long.push(change);
        } else {
            lines.push(changeLine(change, change.path || output));
        }
    }
    for (const group of entries.values()) {
        const [first] = group;
        const sign = first.after === undefined ? "−" : "+";
        lines.push(`  - ${sign} ${valueText(first.after ?? first.before)} in ${listed(group.map(where))}`);
    }
    if (long.length > 0) {
        lines.push(`  - text changed in ${listed(long.map(where))}; in full ${fullDiffAt}`);
    }
    return lines;
}

/** The ranked risks as a Markdown list under the summary, riskiest first, the privilege in bold. */
function riskList(diff: AccessDiff): string[] {
    const lines = riskLines(diff);
    if (lines.length === 0) {
        return [];
    }
    const item = (line: string, i: number) => {
        const risk = diff.risks[i];
        if (i >= summaryRisks || !risk) {
            return `- ${markdownCell(line)}`;
        }
        const level = `${risk.privilege}${risk.production ? ", production" : ""}`;
        return `- **${level}**${markdownCell(line.slice(level.length))}`;
    };
    return ["", "Access gained and permissions added, riskiest first:", "", ...lines.map(item)];
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
    const ids = Object.entries(change.ids ?? {}).map(([id, object]) => `${codeSpan(id)} is ${markdownCell(oktaObjectText(object))}`);
    return `${indent}- ${codeSpan(where)}: ${valueText(change.before)} → ${valueText(change.after)}${ids.length ? ` (${ids.join("; ")})` : ""}`;
}

/**
 * The warning a change of code gets, above everything else: the diff never runs the change's code
 * (its data is planned with the base's, tools/plan/atRevision.ts), so it cannot show what that code
 * changes, nor judge a change of the tools and policy pack. Undefined when only configuration changed.
 */
export function codeChangeWarning(codeChanges: string[]): string | undefined {
    return codeChanges.length === 0
        ? undefined
        : `This change edits code, not only configuration (${listed(codeChanges)}): the diff never runs it (its stack files and policies were planned with the base's code and tools), so what the code changes is not shown; that code needs a human review.`;
}

/**
 * The diff as Markdown for a pull request: the code-change warning (`codeChanges`, the code files
 * the change edits), the summary, the access gained and lost, the sign-on policy's and the
 * emergency roles' changes (when there are any), then every resource and output change in full;
 * `brief` (the comment) groups a list output's entries by value and says only "changed" of long
 * text, whose detail is in the full diff. Past `limit` characters the text is cut at a line (the warning and the summary
 * always stay, then the access rows), and a note says how many lines and characters were left out
 * and where the full diff is.
 */
export function accessDiffMarkdown(
    diff: AccessDiff,
    baseLabel: string,
    headLabel: string,
    options: { limit?: number; fullDiffAt?: string; codeChanges?: string[]; brief?: boolean } = {},
): string {
    const accessTable = (rows: AccessRow[], sessions?: Record<string, number>) =>
        rows.length === 0 ? ["None."] : accessMarkdownTable(rows, undefined, sessions);
    const warning = codeChangeWarning(options.codeChanges ?? []);
    const fullDiffAt = options.fullDiffAt ?? "in out/access-diff-full.md";
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
    // Where the deploy's credentials go, then a change pulumi up cannot deploy, then the riskiest
    // access (all short, kept however long the rest).
    const providerTargets = diff.providerTargets.length
        ? [
              "",
              "### Provider target changed",
              "",
              "Where the deploy's credentials go, or which they are: a change the offline plan cannot show, on no row of the ordinary ones (docs/allow-lists.md); check it by hand.",
              "",
              ...diff.providerTargets.map(
                  (change) =>
                      `- ${codeSpan(change.file)} ${codeSpan(change.key)}: ${codeSpan(providerTargetValue(change.before))} → ${codeSpan(providerTargetValue(change.after))}`,
              ),
          ]
        : [];
    const head = [
        summary,
        ...providerTargets,
        ...failures,
        ...riskList(diff),
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
            const changes = d.outputs.filter((c) => c.input === output);
            resources.push(...(options.brief ? briefOutputLines(changes, output, fullDiffAt) : changes.map((c) => outputLine(c, output))));
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
            wholeAt: fullDiffAt,
        },
    );
}
