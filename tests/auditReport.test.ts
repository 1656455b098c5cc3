// out/audit.md: every row of the audit in one Markdown table cell per value, names from the live
// organisation shown and never acted upon, and a report too long for a GitHub comment cut at a line.
import { expect } from "chai";
import type { AuditResult } from "../tools/audit/audit";
import { auditMarkdown } from "../tools/audit/report";

const calls: AuditResult["oktaApiCalls"] = {
    calls: { "/api/v1/apps": 5, "/api/v1/groups": 2 },
    total: 7,
    minutes: 0.1,
    rateLimitWaits: 1,
    limits: { orgType: "Workforce Identity", source: "https://developer.okta.com/docs/reference/rl-global-mgmt/" },
};

function result(drift: AuditResult["drift"]): AuditResult {
    return {
        ok: drift.length === 0,
        summary: drift.length ? `${drift.length} drift rows` : "no drift: the live organisation matches the code",
        drift,
        accessGained: [],
        accessLost: [],
        membersInOkta: [],
        membershipsElsewhere: [],
        pendingAssignments: 0,
        oktaApiCalls: calls,
    };
}

describe("audit report (out/audit.md)", () => {
    it("shows a hostile group name literally, in its cell, and the Okta calls of the audit", () => {
        const hostile = "ops | no drift\n### Access lost <!--";
        const text = auditMarkdown(
            result([
                {
                    kind: "assignment-outside-code",
                    principal: hostile,
                    resource: 'Okta app "AWS"',
                    detail: "group assigned to the app, not by the code",
                    people: ["ann@example.com", "bob@example.com"],
                },
                { kind: "shadow-role", account: "253541269580", resource: "arn:aws:iam::253541269580:role/r", detail: "x", people: [] },
                { kind: "attachment-removed", account: "253541269580", resource: "arn:aws:iam::253541269580:role/r", detail: "y" },
            ]),
            "2026-12-03, acme",
        );
        expect(text.split("\n")).to.deep.equal([
            "**Audit of the live organisation** (2026-12-03, acme): 3 drift rows",
            "",
            "### Drift",
            "",
            "| Kind | Account | Principal | Resource | What differs | People it reaches |",
            "| --- | --- | --- | --- | --- | --- |",
            '| assignment-outside-code |  | ops \\| no drift\\\\u000a### Access lost &lt;!-- | Okta app "AWS" | group assigned to the app, not by the code | ann@example.com, bob@example.com |',
            "| shadow-role | 253541269580 |  | arn:aws:iam::253541269580:role/r | x | nobody known |",
            "| attachment-removed | 253541269580 |  | arn:aws:iam::253541269580:role/r | y |  |",
            "",
            "### Access gained outside the code",
            "",
            "None.",
            "",
            "### Access lost",
            "",
            "None.",
            "",
            "Okta API calls of this audit (default limits of a Workforce Identity org, https://developer.okta.com/docs/reference/rl-global-mgmt/): 7 calls, at least 0.1 min (slowest bucket /api/v1/apps: 5 at 100/min); waited out 1 rate limit",
            "",
        ]);
    });

    it("cuts a report over the comment limit at a line, keeping the summary, and says where the whole is", () => {
        const drift = Array.from({ length: 50 }, (_, i) => ({
            kind: "shadow-role" as const,
            account: "253541269580",
            resource: `arn:aws:iam::253541269580:role/r${i}`,
            detail: "x".repeat(100),
        }));
        const text = auditMarkdown(result(drift), "t", { limit: 2000, fullReportAt: "in the audit artifact" });
        expect(text.length).to.be.at.most(2000);
        expect(text.startsWith("**Audit of the live organisation** (t): 50 drift rows\n")).to.equal(true);
        expect(text.trimEnd().split("\n").at(-1)).to.match(
            /^> \*\*\d+ lines \(\d+ characters\) of this report left out\*\* to keep this comment under GitHub's limit; the full report is in the audit artifact\.$/,
        );
    });
});
