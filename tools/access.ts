// Who can reach what: every (user or group, SAML role) pair followed to the member account role
// it switches into and that role's policies. Computed from the evaluated stacks, not from config
// alone, so it shows what the program really builds.
import { IdentityConfig } from "../components/config";
import { CrossAccountRoleOutput } from "../components/memberStack";
import { policyNameOf } from "../components/names";
import { StackEvaluation } from "./evaluate";

export interface AccessRow {
    principal: string;
    principalType: "user" | "group";
    samlRole: string;
    samlRoleArn: string;
    targetAccountId: string;
    targetAccountLabel: string;
    targetRoleArn: string;
    policyArns: string[];
}

export function accessRows(identity: StackEvaluation, members: StackEvaluation[]): AccessRow[] {
    const config = identity.config as IdentityConfig;
    const federatedRoles = identity.reference.outputs.federatedRoles as Record<string, string>;
    const targets = new Map<string, { accountId: string; accountLabel: string; role: CrossAccountRoleOutput }>();
    for (const member of members) {
        const outputs = member.reference.outputs;
        for (const role of outputs.crossAccountRoles as CrossAccountRoleOutput[]) {
            targets.set(role.federatedRoleName, {
                accountId: outputs.accountId as string,
                accountLabel: outputs.accountLabel as string,
                role,
            });
        }
    }
    const principals = [
        ...config.users.map((u) => ({ principal: u.login, principalType: "user" as const, samlRoles: u.samlRoles })),
        ...config.groups.map((g) => ({ principal: g.name, principalType: "group" as const, samlRoles: g.samlRoles })),
    ];
    const rows = principals.flatMap(({ principal, principalType, samlRoles }) =>
        samlRoles.map((samlRole): AccessRow => {
            const target = targets.get(samlRole);
            if (!target || !federatedRoles[samlRole]) {
                throw new Error(`access: ${principal} holds ${samlRole}, which no evaluated stack creates`);
            }
            return {
                principal,
                principalType,
                samlRole,
                samlRoleArn: federatedRoles[samlRole],
                targetAccountId: target.accountId,
                targetAccountLabel: target.accountLabel,
                targetRoleArn: target.role.arn,
                policyArns: [...target.role.policyArns].sort(),
            };
        }),
    );
    return rows.sort((a, b) => a.principal.localeCompare(b.principal) || a.samlRole.localeCompare(b.samlRole));
}

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
