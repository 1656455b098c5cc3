// The audit as Markdown for an issue or a pull request (out/audit.md): the summary line, every drift
// row with the people it reaches, the access gained outside the code and lost, the memberships reported but not judged, and
// the Okta API calls the audit made. Every name and value from the live organisation goes through
// the one escaping helper: a role or group name cannot forge a row, a heading or "no drift".
import { operationLine } from "../plan/oktaBudget";
import { accessMarkdownTable } from "../report/access";
import { commentLimit, cutToLimit, markdownCell, markdownRow } from "../report/markdown";
import { plural } from "../shared/numbers";
import type { AuditResult } from "./audit";

/** The report; past `limit` characters (default: what a GitHub comment holds) cut at a line, with a note. */
export function auditMarkdown(result: AuditResult, title: string, options: { limit?: number; fullReportAt?: string } = {}): string {
    const rows = (lines: string[]) => (lines.length === 0 ? ["None."] : lines);
    const head = `**Audit of the live organisation** (${markdownCell(title)}): ${markdownCell(result.summary)}`;
    const body = [
        "",
        "### Drift",
        "",
        ...rows(
            result.drift.length === 0
                ? []
                : [
                      "| Kind | Account | Principal | Resource | What differs | People it reaches |",
                      "| --- | --- | --- | --- | --- | --- |",
                      ...result.drift.map((row) =>
                          markdownRow([
                              row.kind,
                              row.account ?? "",
                              row.principal ?? "",
                              row.resource ?? "",
                              row.detail,
                              row.people === undefined ? "" : row.people.length ? row.people.join(", ") : "nobody known",
                          ]),
                      ),
                  ],
        ),
        "",
        "### Access gained outside the code",
        "",
        ...rows(result.accessGained.length ? accessMarkdownTable(result.accessGained) : []),
        "",
        "### Access lost",
        "",
        ...rows(result.accessLost.length ? accessMarkdownTable(result.accessLost) : []),
        ...(result.membersInOkta.length
            ? [
                  "",
                  "### Access through groups whose members are managed in Okta (the code's, by login)",
                  "",
                  ...accessMarkdownTable(result.membersInOkta),
              ]
            : []),
        ...(result.membershipsElsewhere.length
            ? [
                  "",
                  "### Memberships of role groups made elsewhere (reported, not judged)",
                  "",
                  "| Principal | Group | What |",
                  "| --- | --- | --- |",
                  ...result.membershipsElsewhere.map((m) => markdownRow([m.principal, m.resource, m.detail])),
              ]
            : []),
        ...(result.pendingAssignments
            ? [
                  "",
                  `> ${result.pendingAssignments} assignments of the code wait for the roles import (okta-aws:oktaApp.rolesImported is false): their access is not expected yet.`,
              ]
            : []),
        "",
        markdownCell(oktaCallsLine(result.oktaApiCalls)),
    ];
    return cutToLimit(head, body, {
        limit: options.limit ?? commentLimit,
        what: "report",
        wholeAt: options.fullReportAt ?? "in out/audit.json",
    });
}

/** The Okta calls in one line, as the deploy's budget is printed. */
function oktaCallsLine(calls: AuditResult["oktaApiCalls"]): string {
    const waits = calls.rateLimitWaits ? `; waited out ${plural(calls.rateLimitWaits, "rate limit")}` : "";
    return `${operationLine(`Okta API calls of this audit (default limits of a ${calls.limits.orgType} org, ${calls.limits.source})`, calls)}${waits}`;
}
