// The offline preview on the console, as `pulumi preview` would show it: each stack's resources
// (a tree with --verbose, counts by type otherwise), its outputs, the Okta API budget, pending
// steps, the sign-on policy, who can reach what and the emergency roles, in a summary whose length
// does not grow with the organisation.
import { roleNameOf } from "../../components/names";
import type { PlannedResource, PlanResult, StackPlan } from "../plan/model";
import { oktaBudgetLines } from "../plan/oktaBudget";
import { count, plural } from "../shared/numbers";
import { accessSummary, accessTable, accessTotals, policiesText, textColumns } from "./access";
import {
    boundariesOf,
    chainedSessions,
    directSessionsOf,
    emergencyHolding,
    EmergencyRoleView,
    emergencyRolesOf,
    emergencySignOnText,
    factorsText,
    networkText,
    reauthenticationText,
    roleChainingDoc,
    ruleAudience,
    sessionNotes,
    signOnOf,
    signOnSentence,
    SignOnView,
} from "./planView";

/** How many stacks, rows and examples the console shows before it summarises the rest. */
export const summaryLimit = 10;

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

/** Each resource's children, in registration order; the top-level resources under `null`. */
function childrenByParent(resources: PlannedResource[]): Map<string | null, PlannedResource[]> {
    const children = new Map<string | null, PlannedResource[]>();
    for (const resource of resources) {
        const siblings = children.get(resource.parent);
        if (siblings) {
            siblings.push(resource);
        } else {
            children.set(resource.parent, [resource]);
        }
    }
    return children;
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
        ...(verbose ? changed : changed.slice(0, summaryLimit)).map((r) => `    ~ ${r.name} (${r.type}): ${r.importChanges!.join(", ")}`),
        ...(!verbose && changed.length > summaryLimit ? [`    … and ${count(changed.length - summaryLimit)} more (--verbose)`] : []),
    ];
    const leftAlone = plan.outputs.adoption?.leftAlone ?? [];
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

/** The first `limit` lines of a table (its header and rows), and how many rows it leaves to out/access.md. */
function firstRows(table: string[], limit: number): string[] {
    return [
        ...table.slice(0, limit + 1),
        ...(table.length > limit + 1 ? [`… and ${plural(table.length - limit - 1, "more row")} (out/access.md, or --verbose)`] : []),
    ];
}

/** The sign-on policy: its name and what it enforces, then its rules by priority; or that no MFA is enforced by this program. */
function signOnLines(signOn: SignOnView, limit: number): string[] {
    if (!signOn.enforced) {
        return [`Sign-on: ${signOnSentence(signOn)}`];
    }
    const rules = textColumns([
        ["priority", "rule", "access", "applies to", "factors", "re-authenticate", "network"],
        ...signOn.rules.map((rule, i) => [
            String(rule.priority),
            rule.name,
            rule.access,
            ruleAudience(rule, i === 0),
            factorsText(rule),
            reauthenticationText(rule.reauthenticate),
            networkText(rule.networkZones),
        ]),
    ]);
    return [
        `Sign-on (Okta app sign-on policy "${signOn.policyName ?? "(unnamed)"}", on ${signOn.apps})`,
        `  ${signOnSentence(signOn)}`,
        "",
        ...firstRows(rules, limit).map((line) => `  ${line}`),
    ];
}

/** The emergency roles apart: each one's empty Okta group, target and sign-on rule. */
function emergencyLines(roles: EmergencyRoleView[], limit: number): string[] {
    if (roles.length === 0) {
        return ["Emergency roles: none"];
    }
    const table = textColumns([
        ["federated role", "Okta group", "→ account", "role", "policies", "sign-on"],
        ...roles.map((role) => [
            role.role,
            role.group,
            `→ ${role.targetAccountLabel} (${role.targetAccountId})`,
            roleNameOf(role.targetRoleArn),
            policiesText(role.policyArns, role.permissionsBoundaryArn),
            emergencySignOnText(role),
        ]),
    ]);
    return [`Emergency roles (${count(roles.length)}, ${emergencyHolding})`, ...firstRows(table, limit).map((line) => `  ${line}`)];
}

/**
 * The preview's text. By default a summary whose length does not grow with the organisation: the
 * identity stack and the first member stacks with their resource counts and outputs, the other
 * member stacks added up, access totals and the first rows. `verbose` lists everything.
 */
export function renderPreview(result: PlanResult, verbose = false): string[] {
    const stacks = Object.entries(result.plan.stacks).sort(([, a], [, b]) => (a.kind === b.kind ? 0 : a.kind === "identity" ? -1 : 1));
    const detailed = verbose ? stacks : stacks.slice(0, summaryLimit);
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
    const pending = Object.values(result.plan.stacks).find((plan) => plan.kind === "identity")?.outputs.pendingAssignments;
    if (pending) {
        lines.push(
            `Pending: the AWS app's assignments of ${plural(pending.users, "user")} and ${plural(pending.groups, "group")} wait — ${pending.reason}. Next:`,
            ...pending.next.map((step, i) => `  ${i + 1}. ${step}`),
            "",
        );
    }
    const signOn = signOnOf(result.plan);
    if (signOn) {
        lines.push(...signOnLines(signOn, verbose ? Infinity : summaryLimit), "");
    }
    const notes = sessionNotes(result.plan.access);
    lines.push(
        notes
            ? "Access (who → federated role → member account role, or straight into the member account role → policies)"
            : "Access (who → federated role → member account role → policies)",
    );
    const boundaries = boundariesOf(result.plan);
    const directSessions = notes ? directSessionsOf(result.plan) : undefined;
    const access = verbose
        ? [accessTotals(result.plan.access), "", ...accessTable(result.plan.access, boundaries, directSessions)]
        : accessSummary(result.plan.access, summaryLimit, boundaries, directSessions);
    const sessions = notes
        ? notes.map((note, i) => `${note}${i === 0 && notes.length > 1 ? ` (${roleChainingDoc})` : ""}`)
        : [`${chainedSessions} (${roleChainingDoc})`];
    lines.push(...[...access, "", ...sessions].map((line) => (line ? `  ${line}` : line)));
    lines.push("", ...emergencyLines(emergencyRolesOf(result.plan), verbose ? Infinity : summaryLimit));
    return lines;
}
