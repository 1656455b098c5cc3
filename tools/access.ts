// Who can reach what, for people to read: the plan's access rows (tools/plan.ts) as terminal
// columns and as Markdown with a Mermaid diagram.
import { policyNameOf } from "../components/names";
import type { AccessRow } from "./plan";

function roleNameOf(arn: string): string {
    return arn.slice(arn.indexOf(":role/") + ":role/".length);
}

/** The access matrix as plain text columns, for the terminal. */
export function accessTable(rows: AccessRow[]): string[] {
    const cells = rows.map((r) => [
        r.principal,
        r.principalType,
        r.samlRole,
        `→ ${r.targetAccountLabel} (${r.targetAccountId})`,
        roleNameOf(r.targetRoleArn),
        r.policyArns.map(policyNameOf).join(", "),
    ]);
    const header = ["principal", "type", "SAML role", "→ account", "role", "policies"];
    const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
    return [header, ...cells].map((row) =>
        row
            .map((cell, i) => cell.padEnd(widths[i]))
            .join("  ")
            .trimEnd(),
    );
}

function mermaidId(prefix: string, text: string): string {
    return `${prefix}_${text.replace(/[^A-Za-z0-9]/g, "_")}`;
}

function mermaidLabel(text: string): string {
    return `"${text.replace(/"/g, "#quot;")}"`;
}

/** The access matrix as Markdown: a table and a Mermaid diagram, ready for a pull request. */
export function accessMarkdown(rows: AccessRow[]): string {
    const table = [
        "| Principal | Type | SAML role | Target account | Target role | Policies |",
        "| --- | --- | --- | --- | --- | --- |",
        ...rows.map(
            (r) =>
                `| ${r.principal} | ${r.principalType} | \`${r.samlRole}\` | ${r.targetAccountLabel} (${r.targetAccountId}) | \`${roleNameOf(r.targetRoleArn)}\` | ${r.policyArns.map((p) => `\`${policyNameOf(p)}\``).join(", ")} |`,
        ),
    ];
    const edges = new Set<string>();
    for (const r of rows) {
        const principal = mermaidId(r.principalType === "user" ? "user" : "group", r.principal);
        const federated = mermaidId("saml", r.samlRole);
        const target = mermaidId("target", r.targetRoleArn);
        edges.add(`    ${principal}[${mermaidLabel(r.principal)}] --> ${federated}[${mermaidLabel(r.samlRole)}]`);
        edges.add(`    ${federated} --> ${target}[${mermaidLabel(`${r.targetAccountLabel}: ${roleNameOf(r.targetRoleArn)}`)}]`);
        for (const policy of r.policyArns) {
            edges.add(`    ${target} -.-> ${mermaidId("policy", policy)}[${mermaidLabel(policyNameOf(policy))}]`);
        }
    }
    return [
        "# Access",
        "",
        "Who can sign in to which federated role of the identity account, and which member account role and policies that role reaches.",
        "",
        ...table,
        "",
        "```mermaid",
        "flowchart LR",
        ...edges,
        "```",
        "",
    ].join("\n");
}
