// The verification's verdicts: a report that takes checks one at a time (so a large organisation
// is never held in memory), keeps counts per step and every failure, and streams one Markdown row
// per check to a detail file. The console and access.md get its bounded summary.
import type { AccessRow } from "../plan/model";
import { markdownCell, markdownRow } from "../report/markdown";
import { plural } from "../shared/numbers";
import type { PermissionFinding } from "./permissionRequests";
import { Check, checkPassed } from "./simulator";

/** The existing Okta groups of a plan's access (`membersInOkta`), by name, sorted. */
export function groupsWithMembersInOkta(rows: AccessRow[]): string[] {
    return [...new Set(rows.filter((row) => row.membersInOkta).map((row) => row.principal))].sort();
}

/** How many group names a line lists before it counts the rest. */
const namedGroups = 5;

/** How many passing checks the console shows as examples, beside every failure. */
const sampleCount = 5;

export const verificationIntro =
    "Each sign-in replayed offline: the AWS app's sign-on policy decides its factors as Okta does (rules by priority, the first that matches); xml-crypto signs the SAML response as Okta, samlify verifies it against the IdP metadata given to AWS; iam-simulate (strict mode) decides every trust and permission, permissions boundaries included. Negative paths are expected to be denied.";

/** One line per check, ✓ when the judge agreed with the expectation. */
export function verdictLine(c: Check): string {
    return `${checkPassed(c) ? "✓" : "✗"} ${c.subject}  ${c.samlRole}  ${c.step}: ${c.request} — ${c.actual}${checkPassed(c) ? "" : ` (expected ${c.expected}; ${c.reason})`}`;
}

export const verdictTableHeader = ["| | Who | SAML role | Step | Request | Result |", "| --- | --- | --- | --- | --- | --- |"];

export function verdictRow(c: Check): string {
    const cells = [
        checkPassed(c) ? "✓" : "✗",
        c.subject,
        c.samlRole,
        c.step,
        c.request,
        `${c.actual}${checkPassed(c) ? "" : ` (expected ${c.expected})`}`,
    ];
    return markdownRow(cells);
}

export class VerificationReport {
    total = 0;
    private readonly failures: Check[] = [];
    private readonly samples: Check[] = [];
    /** Per step and expected decision: checks, and how many came out as expected. */
    private readonly steps = new Map<string, { checks: number; asExpected: number }>();

    /** What the member roles' own statements grant nothing for, or could not be checked: once per role and statement. */
    private readonly findings: PermissionFinding[] = [];

    /**
     * `detail` receives one Markdown table row per check, in order; `oktaMemberGroups` are the
     * existing Okta groups (groupsWithMembersInOkta), whose people the plan cannot know.
     */
    constructor(
        private readonly detail?: (row: string) => void,
        private readonly oktaMemberGroups: readonly string[] = [],
    ) {}

    add(check: Check): void {
        this.total++;
        const key = `${check.step}, expected ${check.expected}`;
        const step = this.steps.get(key) ?? { checks: 0, asExpected: 0 };
        step.checks++;
        if (checkPassed(check)) {
            step.asExpected++;
            if (this.samples.length < sampleCount) {
                this.samples.push(check);
            }
        } else {
            this.failures.push(check);
        }
        this.steps.set(key, step);
        this.detail?.(verdictRow(check));
    }

    addFinding(finding: PermissionFinding): void {
        this.findings.push(finding);
    }

    /** One line per finding: the role, the statement, and what it grants nothing for. */
    private findingLines(): string[] {
        return this.findings.map((f) => `${f.kind}: ${f.role} ${f.statement}: ${f.text}`);
    }

    get failed(): readonly Check[] {
        return this.failures;
    }

    totalLine(): string {
        const passed = this.total - this.failures.length;
        return `${passed.toLocaleString("en-US")} of ${this.total.toLocaleString("en-US")} checks as expected${this.failures.length ? `; ${this.failures.length} NOT` : ""}`;
    }

    private stepLines(): string[] {
        const order = ["Okta sign-on", "SAML sign-in", "AssumeRoleWithSAML", "AssumeRole,", "permission"];
        const rank = (key: string) => order.findIndex((step) => key.startsWith(step));
        return [...this.steps]
            .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
            .map(([key, { checks, asExpected }]) => `${key}: ${asExpected.toLocaleString("en-US")} of ${checks.toLocaleString("en-US")}`);
    }

    /** Said when groups' members are Okta's: their people are not checked one by one, and why. */
    private membersInOktaLine(): string[] {
        const groups = this.oktaMemberGroups;
        if (groups.length === 0) {
            return [];
        }
        const names = `${groups.slice(0, namedGroups).join(", ")}${groups.length > namedGroups ? `, … ${groups.length - namedGroups} more` : ""}`;
        return [
            `Members managed in Okta: ${plural(groups.length, "group")} (${names}); their people are unknown offline, so they have no per-person sign-in checks: each group's stand-in member is checked for whoever Okta holds in it`,
        ];
    }

    /** Said when no check expects a sign-in to succeed: nobody holds a federated role. */
    private nobodyLine(): string[] {
        return this.total > 0 && ![...this.steps.keys()].some((key) => key.endsWith("expected allowed"))
            ? ["Nobody holds a federated role: no sign-in is expected to succeed, and every check is of an attack that must be denied"]
            : [];
    }

    /** The console summary: counts per step, every failure in full, a few passing examples. */
    summaryLines(): string[] {
        return [
            ...this.nobodyLine(),
            ...this.membersInOktaLine(),
            ...this.stepLines(),
            ...(this.failures.length ? ["Failed:", ...this.failures.map((c) => `  ${verdictLine(c)}`)] : []),
            ...(this.findings.length ? ["Own statements, as IAM reads them:", ...this.findingLines().map((line) => `  ${line}`)] : []),
            ...(this.samples.length ? ["Examples:", ...this.samples.map((c) => `  ${verdictLine(c)}`)] : []),
            this.totalLine(),
        ];
    }

    /** The section of access.md: counts per step and every failure; each check is in `detailFile`. */
    markdown(detailFile: string): string {
        return [
            "## Verification",
            "",
            verificationIntro,
            "",
            `**${this.totalLine()}.** Every check is listed in [${detailFile}](${detailFile}).`,
            "",
            ...this.nobodyLine().flatMap((line) => [`${line}.`, ""]),
            ...this.membersInOktaLine().flatMap((line) => [`${markdownCell(line)}.`, ""]),
            "| Step | As expected |",
            "| --- | --- |",
            ...this.stepLines().map((line) => {
                const [step, count] = line.split(": ");
                return markdownRow([step, count]);
            }),
            "",
            ...(this.failures.length ? ["### Failed checks", "", ...verdictTableHeader, ...this.failures.map(verdictRow), ""] : []),
            ...(this.findings.length
                ? [
                      "### Own statements, as IAM reads them",
                      "",
                      "What a statement of a member role's own documents grants nothing for (the IAM service reference: an action applies only to its resource types), or could not be checked.",
                      "",
                      "| Finding | Role | Statement | Why |",
                      "| --- | --- | --- | --- |",
                      ...this.findings.map((f) => markdownRow([f.kind, f.role, f.statement, f.text])),
                      "",
                  ]
                : []),
        ].join("\n");
    }
}
