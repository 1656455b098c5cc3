// Who can reach what, for people to read: the plan's access rows (tools/plan/model.ts) as terminal
// columns and as Markdown with a Mermaid diagram, beside the sign-on policy and the emergency roles
// (tools/report/planView.ts). People are counted by login, however their access reaches them
// (directly or through a group).
import { policyNameOf, roleNameOf } from "../../components/names";
import { count, plural } from "../shared/numbers";
import { markdownCell, markdownRow, mermaidLabel } from "./markdown";
import type { AccessRow, Plan } from "../plan/model";
import {
    boundariesOf,
    chainedSessions,
    directSessionsOf,
    emergencyHolding,
    emergencyRolesOf,
    emergencySignOnText,
    EmergencyRoleView,
    factorsText,
    grantPath,
    isDirect,
    networkText,
    reauthenticationText,
    roleChainingDoc,
    ruleAudience,
    sessionNotes,
    sessionSecondsOf,
    sessionText,
    signOnOf,
    signOnSentence,
    SignOnView,
} from "./planView";

/** Text columns for the terminal: each padded to its widest cell, two spaces apart. */
export function textColumns(rows: string[][]): string[] {
    const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
    return rows.map((row) =>
        row
            .map((cell, i) => cell.padEnd(widths[i]))
            .join("  ")
            .trimEnd(),
    );
}

/**
 * A role's managed policies by name (its own customer managed ones and AWS's alike), and its
 * permissions boundary when it has one: `payments-deploy, AmazonEC2ReadOnlyAccess; boundary payments-deployers-boundary`.
 */
export function policiesText(policyArns: string[], boundaryArn: string | undefined): string {
    return `${policyArns.map(policyNameOf).join(", ")}${boundaryArn ? `; boundary ${policyNameOf(boundaryArn)}` : ""}`;
}

/** What the plan says of an existing Okta group's people: Okta (or its directory) holds them, unknown offline. */
export const membersInOkta = "members managed in Okta";

/** A row's type as the tables show it: an existing group says its members are managed in Okta. */
function principalTypeText(row: AccessRow): string {
    return row.membersInOkta ? `group (${membersInOkta})` : row.principalType;
}

/**
 * The access matrix as plain text columns, for the terminal; `boundaries` (member role ARN →
 * boundary ARN, tools/report/planView.ts) adds each role's permissions boundary to its policies.
 */
export function accessTable(rows: AccessRow[], boundaries = new Map<string, string>(), directSessions?: Record<string, number>): string[] {
    const paths = directSessions !== undefined;
    return textColumns([
        ["principal", "type", "via", "SAML role", "→ account", "role", ...(paths ? ["path", "session"] : []), "policies"],
        ...rows.map((r) => [
            r.principal,
            principalTypeText(r),
            r.via ?? "",
            r.samlRole,
            `→ ${r.targetAccountLabel} (${r.targetAccountId})`,
            roleNameOf(r.targetRoleArn),
            ...(paths ? pathCells(r, directSessions) : []),
            policiesText(r.policyArns, boundaries.get(r.targetRoleArn)),
        ]),
    ]);
}

/** A grant's path (`direct` or `via <federated role>`) and the longest session that path gives. */
function pathCells(row: AccessRow, directSessions: Record<string, number> = {}): string[] {
    return [grantPath(row), sessionText(sessionSecondsOf(row, directSessions))];
}

/** A Mermaid node id, distinct for distinct texts (`ops-x` and `ops.x` are two nodes). */
function mermaidId(prefix: string, text: string): string {
    return `${prefix}_${Buffer.from(text).toString("hex")}`;
}

/**
 * Every grant as a Markdown table, every cell escaped: access.md, the access diff and the audit;
 * `boundaries` as for accessTable.
 */
export function accessMarkdownTable(
    rows: AccessRow[],
    boundaries = new Map<string, string>(),
    directSessions?: Record<string, number>,
): string[] {
    // The path and session columns when the report has direct sign-ins (`directSessions`): an all-chained organisation's tables stay as they were.
    const paths = directSessions !== undefined;
    return [
        `| Principal | Type | Via | SAML role | Target account | Target role |${paths ? " Path | Session |" : ""} Policies |`,
        `| --- | --- | --- | --- | --- | --- |${paths ? " --- | --- |" : ""} --- |`,
        ...rows.map((r) =>
            markdownRow([
                r.principal,
                principalTypeText(r),
                r.via ?? "",
                r.samlRole,
                `${r.targetAccountLabel} (${r.targetAccountId})`,
                roleNameOf(r.targetRoleArn),
                ...(paths ? pathCells(r, directSessions) : []),
                policiesText(r.policyArns, boundaries.get(r.targetRoleArn)),
            ]),
        ),
    ];
}

// Mermaid's own limits (its `maxEdges` and `maxTextSize` defaults): past them a diagram does not render.
const mermaidMaxEdges = 500;
const mermaidMaxText = 50_000;

function mermaidDiagram(rows: AccessRow[]): string[] {
    const edges = new Set<string>();
    for (const r of rows) {
        const principal = mermaidId(r.principalType === "user" ? "user" : "group", r.principal);
        const federated = mermaidId("saml", r.samlRole);
        const target = mermaidId("target", r.targetRoleArn);
        // A group's member points at the group, whose own row leads on to the role.
        edges.add(
            r.via === undefined
                ? `    ${principal}[${mermaidLabel(r.principal)}] --> ${federated}[${mermaidLabel(r.samlRole)}]`
                : `    ${principal}[${mermaidLabel(r.principal)}] --> ${mermaidId("group", r.via)}[${mermaidLabel(r.via)}]`,
        );
        edges.add(
            `    ${federated} ${isDirect(r) ? "-->|direct|" : "-->"} ${target}[${mermaidLabel(`${r.targetAccountLabel}: ${roleNameOf(r.targetRoleArn)}`)}]`,
        );
        for (const policy of r.policyArns) {
            edges.add(`    ${target} -.-> ${mermaidId("policy", policy)}[${mermaidLabel(policyNameOf(policy))}]`);
        }
    }
    const text = [...edges].join("\n");
    if (edges.size > mermaidMaxEdges || text.length > mermaidMaxText) {
        return [
            `_The diagram is left out: its ${edges.size.toLocaleString("en-US")} edges are more than Mermaid renders (${mermaidMaxEdges})._`,
        ];
    }
    return ["```mermaid", "flowchart LR", ...edges, "```"];
}

/** Access per federated role: its target, and the people (by login, however reached) and groups that hold it. */
interface RoleAccess {
    row: AccessRow;
    users: Set<string>;
    groups: Set<string>;
    /** The existing Okta groups among `groups`: their people are not among `users`. */
    oktaGroups: Set<string>;
}

function byRole(rows: AccessRow[]): RoleAccess[] {
    const roles = new Map<string, RoleAccess>();
    for (const row of rows) {
        // A role of a member in migration has both paths: one entry each.
        const key = JSON.stringify([row.samlRole, isDirect(row)]);
        const entry = roles.get(key) ?? { row, users: new Set<string>(), groups: new Set<string>(), oktaGroups: new Set<string>() };
        entry[row.principalType === "user" ? "users" : "groups"].add(row.principal);
        if (row.membersInOkta) {
            entry.oktaGroups.add(row.principal);
        }
        roles.set(key, entry);
    }
    return [...roles.values()].sort(
        (a, b) =>
            a.row.targetAccountLabel.localeCompare(b.row.targetAccountLabel) ||
            a.row.samlRole.localeCompare(b.row.samlRole) ||
            Number(isDirect(a.row)) - Number(isDirect(b.row)),
    );
}

/** One sentence: how many people (by login, directly or through groups) and groups hold how many roles in how many accounts. */
export function accessTotals(rows: AccessRow[]): string {
    const principals = (type: AccessRow["principalType"]) =>
        new Set(rows.filter((r) => r.principalType === type).map((r) => r.principal)).size;
    const oktaGroups = new Set(rows.filter((r) => r.membersInOkta).map((r) => r.principal)).size;
    const roles = (of: AccessRow[]) => new Set(of.map((r) => r.samlRole)).size;
    const direct = rows.filter(isDirect);
    const held = direct.length
        ? `${plural(roles(rows), "role")} (${count(roles(rows.filter((r) => !isDirect(r))))} through federated roles, ${count(roles(direct))} signed in to directly)`
        : plural(roles(rows), "federated role");
    return `${plural(rows.length, "access grant")}: ${plural(principals("user"), "user")} and ${plural(principals("group"), "group")} hold ${held} into ${plural(new Set(rows.map((r) => r.targetAccountId)).size, "member account")}${oktaGroups ? `; ${plural(oktaGroups, "group")} with ${membersInOkta} (their people are unknown offline)` : ""}`;
}

/** The console's view of access: totals, per account, and the first rows; bounded whatever the size. */
export function accessSummary(
    rows: AccessRow[],
    limit: number,
    boundaries = new Map<string, string>(),
    directSessions?: Record<string, number>,
): string[] {
    const accounts = new Map<string, { label: string; grants: number; roles: Set<string>; paths: Set<boolean> }>();
    for (const row of rows) {
        const account = accounts.get(row.targetAccountId) ?? {
            label: row.targetAccountLabel,
            grants: 0,
            roles: new Set<string>(),
            paths: new Set<boolean>(),
        };
        account.grants++;
        account.roles.add(row.samlRole);
        account.paths.add(isDirect(row));
        accounts.set(row.targetAccountId, account);
    }
    const accountLines = [...accounts]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([id, a]) =>
            a.paths.has(true)
                ? `${a.label} (${id}): ${plural(a.grants, "grant")} of ${plural(a.roles.size, "role")}, ${a.paths.has(false) ? "chained and direct" : "direct"} sign-in`
                : `${a.label} (${id}): ${plural(a.grants, "grant")} of ${plural(a.roles.size, "federated role")}`,
        );
    const table = accessTable(rows, boundaries, directSessions);
    return [
        accessTotals(rows),
        ...accountLines.slice(0, limit),
        ...(accountLines.length > limit ? [`… and ${plural(accountLines.length - limit, "more account")} (out/access.md)`] : []),
        "",
        ...table.slice(0, limit + 1),
        ...(table.length > limit + 1 ? [`… and ${plural(table.length - limit - 1, "more row")} (out/access.md, or --verbose)`] : []),
    ];
}

/** The sign-on policy's rules as a Markdown table, in priority order. */
function signOnRulesTable(signOn: SignOnView): string[] {
    return [
        "| Priority | Rule | Access | Applies to | Factors | Re-authenticate | Network |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        ...signOn.rules.map((rule, i) =>
            markdownRow([
                String(rule.priority),
                rule.name,
                rule.access,
                ruleAudience(rule, i === 0),
                factorsText(rule),
                reauthenticationText(rule.reauthenticate),
                networkText(rule.networkZones),
            ]),
        ),
    ];
}

/** access.md's sign-on section: what the policy enforces and its rules, or that no MFA is enforced by this program. */
function signOnMarkdown(signOn: SignOnView): string[] {
    return [
        "## Sign-on",
        "",
        signOn.enforced
            ? `The Okta app sign-on policy **${markdownCell(signOn.policyName ?? "(unnamed)")}** guards ${signOn.apps}: ${markdownCell(signOnSentence(signOn))}.`
            : `**Sign-on: ${markdownCell(signOnSentence(signOn))}.**`,
        ...(signOn.rules.length ? ["", ...signOnRulesTable(signOn)] : []),
        "",
    ];
}

/** Emergency roles as a Markdown table: access.md and the access diff. */
export function emergencyMarkdownTable(roles: EmergencyRoleView[]): string[] {
    return [
        "| SAML role | Okta group | Target account | Target role | Policies | Sign-on |",
        "| --- | --- | --- | --- | --- | --- |",
        ...roles.map((role) =>
            markdownRow([
                role.role,
                role.group,
                `${role.targetAccountLabel} (${role.targetAccountId})`,
                roleNameOf(role.targetRoleArn),
                policiesText(role.policyArns, role.permissionsBoundaryArn),
                emergencySignOnText(role),
            ]),
        ),
    ];
}

/**
 * The access matrix as Markdown for a pull request: totals, the sign-on policy and the emergency
 * roles, the per-role summary, then every grant.
 */
export function accessMarkdown(plan: Pick<Plan, "access" | "stacks" | "oktaIds">): string {
    const rows = plan.access;
    const boundaries = boundariesOf(plan);
    const paths = rows.some(isDirect);
    const directSessions = paths ? directSessionsOf(plan) : undefined;
    const notes = sessionNotes(rows);
    const signOn = signOnOf(plan);
    const emergency = emergencyRolesOf(plan);
    return [
        "# Access",
        "",
        paths
            ? "Who can sign in to which role: a federated role of the identity account, which switches into a member account role (chained), or the member account role itself (direct); and the policies the member role has."
            : "Who can sign in to which federated role of the identity account, and which member account role and policies that role reaches.",
        "",
        `**${accessTotals(rows)}.**`,
        "",
        ...(notes
            ? notes.map((note, i) => `${note}${i === 0 && notes.length > 1 ? ` ([AWS IAM: role chaining](${roleChainingDoc}))` : ""}.`)
            : [`${chainedSessions} ([AWS IAM: role chaining](${roleChainingDoc})).`]
        ).flatMap((line) => [line, ""]),
        ...(signOn ? signOnMarkdown(signOn) : []),
        "## Emergency roles",
        "",
        ...(emergency.length
            ? [`${plural(emergency.length, "emergency role")}, ${emergencyHolding}.`, "", ...emergencyMarkdownTable(emergency)]
            : ["None."]),
        "",
        "## By account and role",
        "",
        `| Target account | Target role | SAML role |${paths ? " Path | Session |" : ""} Users | Groups | Policies |`,
        `| --- | --- | --- |${paths ? " --- | --- |" : ""} --- | --- | --- |`,
        ...byRole(rows).map(({ row: r, users, groups, oktaGroups }) =>
            markdownRow([
                `${r.targetAccountLabel} (${r.targetAccountId})`,
                roleNameOf(r.targetRoleArn),
                r.samlRole,
                ...(paths ? pathCells(r, directSessions) : []),
                `${users.size}${oktaGroups.size ? ` + ${membersInOkta} (${[...oktaGroups].sort().join(", ")})` : ""}`,
                String(groups.size),
                policiesText(r.policyArns, boundaries.get(r.targetRoleArn)),
            ]),
        ),
        "",
        "## Who has what",
        "",
        ...accessMarkdownTable(rows, boundaries, directSessions),
        "",
        ...mermaidDiagram(rows),
        "",
    ].join("\n");
}
