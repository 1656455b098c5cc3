// Text from stack files (logins, group names, role names, policy and input values) inside the
// Markdown reviewers read: access.md, the verification table, the access diff posted on pull
// requests and the audit's report. Every piece of such text goes through one of these helpers, so
// that no name can forge a table row, a heading or a "no changes" line, or hide a grant inside an
// HTML comment; and a comment is cut to what GitHub accepts in one place.
import { shownPlainly } from "../../components/plainText";

/**
 * Text shown literally in a GitHub-flavoured Markdown table cell (or any inline position):
 * HTML is inert (`<`, `>` and `&` become entities, so `<!--` and `<img>` are just text), Markdown
 * punctuation is backslash-escaped (no emphasis, link, code span, math or `|` column break), and
 * every character that is not visible (line breaks, controls, invisible and direction-changing
 * ones) becomes visible `\uXXXX` text (components/plainText.ts), so the cell stays on its one line
 * and reads as it is.
 * https://github.github.com/gfm/#tables-extension- (`\|` inside cells), #backslash-escapes
 */
export function markdownCell(text: string): string {
    return shownPlainly(text)
        .replace(/[\\`*_[\]~|$]/g, (c) => `\\${c}`)
        .replace(/&/g, "&amp;")
        .replace(/</g, "&lt;")
        .replace(/>/g, "&gt;");
}

/** A Markdown table row, every cell through markdownCell. */
export const markdownRow = (cells: string[]): string => `| ${cells.map(markdownCell).join(" | ")} |`;

/**
 * A quoted Mermaid node label showing `text` literally: every character outside a plain set is
 * written as Mermaid's `#<code>;` entity, so no quote, backtick, bracket or tag can end the label,
 * the node or the fenced block. https://mermaid.js.org/syntax/flowchart.html#entity-codes-to-escape-characters
 */
export function mermaidLabel(text: string): string {
    return `"${text.replace(/[^A-Za-z0-9 @.,:=+_-]/gu, (c) => `#${c.codePointAt(0)};`)}"`;
}

/** GitHub refuses a comment over 65,536 characters; the comment actions add a header of their own. */
export const commentLimit = 65_536 - 1_024;

/**
 * `head` and `body` as one Markdown text of at most `limit` characters: past it, the head always
 * stays, then as many body lines as fit beside a note that says how many lines and characters of
 * the `what` were left out and where the whole of it is.
 */
export function cutToLimit(head: string, body: string[], options: { limit: number; what: string; wholeAt: string }): string {
    const full = `${[head, ...body].join("\n")}\n`;
    if (full.length <= options.limit) {
        return full;
    }
    const note = (lines: number, characters: number) =>
        `\n> **${lines} lines (${characters} characters) of this ${options.what} left out** to keep this comment under GitHub's limit; the full ${options.what} is ${options.wholeAt}.\n`;
    const worstNote = note(body.length, full.length).length;
    let text = `${head}\n`;
    let kept = 0;
    while (kept < body.length && text.length + body[kept].length + 1 + worstNote <= options.limit) {
        text += `${body[kept++]}\n`;
    }
    return text + note(body.length - kept, full.length - text.length);
}
