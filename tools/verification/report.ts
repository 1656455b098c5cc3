// The verification's verdicts for the console and for access.md.
import { Check, checkPassed } from "./simulator";

/** One line per check, ✓ when the judge agreed with the expectation. */
export function verdictLines(checks: Check[]): string[] {
    const failed = checks.filter((c) => !checkPassed(c));
    return [
        ...checks.map(
            (c) =>
                `${checkPassed(c) ? "✓" : "✗"} ${c.subject}  ${c.samlRole}  ${c.step}: ${c.request} — ${c.actual}${checkPassed(c) ? "" : ` (expected ${c.expected}; ${c.reason})`}`,
        ),
        `${checks.length - failed.length} of ${checks.length} checks as expected${failed.length ? `; ${failed.length} NOT` : ""}`,
    ];
}

export function verdictMarkdown(checks: Check[]): string {
    return [
        "## Verification",
        "",
        "Each sign-in replayed offline: samlify signs and verifies the SAML response against the IdP metadata given to AWS; iam-simulate (strict mode) decides every trust and permission. Negative paths are expected to be denied.",
        "",
        "| | Who | SAML role | Step | Request | Result |",
        "| --- | --- | --- | --- | --- | --- |",
        ...checks.map(
            (c) =>
                `| ${checkPassed(c) ? "✓" : "✗"} | ${c.subject} | \`${c.samlRole}\` | ${c.step} | ${c.request.replace(/\|/g, "\\|")} | ${c.actual}${checkPassed(c) ? "" : ` (expected ${c.expected})`} |`,
        ),
        "",
    ].join("\n");
}
