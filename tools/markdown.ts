// Markdown escaping for text that comes from stack files or plans (role names, logins, policy
// documents, violation messages) and lands in a table cell of access.md or a pull-request comment:
// no value may close the cell, open a code span, emphasis, a link or an HTML tag, or break the row.

const htmlEntities: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };
const controlEscapes: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": " " };

/** `text` as the content of one Markdown table cell: shown literally, on one line. */
export function markdownCell(text: string): string {
    return text.replace(/[\\|`*_[\]<>&]|[\u0000-\u001f\u007f]/g, (character) => {
        if (character in htmlEntities) {
            return htmlEntities[character];
        }
        if (character < " " || character === "\u007f") {
            // A GFM backslash before a letter is shown as it is, so `\n` stays visible.
            return controlEscapes[character] ?? `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`;
        }
        return `\\${character}`; // GFM: any ASCII punctuation may be backslash-escaped
    });
}
