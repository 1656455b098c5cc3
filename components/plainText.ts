// The characters a file the program or its tools read may hold, by allow-list: the text a person
// reading the file (or its diff in a pull request) and every parser that reads it see alike. A
// stack file is read twice in two worlds — by gopkg.in/yaml.v3 in the Pulumi CLI, by a YAML 1.2
// reader here — and a character the two (or a person and a parser) read differently is a place
// to hide a line. Everything not on the list is refused, with its line and column.

/** One class of characters a file may hold, and why every reader reads it alike. */
interface AllowedCharacters {
    readonly what: string;
    readonly matches: (char: string, context: { syntax: TextSyntax; offset: number; next: string | undefined }) => boolean;
    readonly reason: string;
}

/** How a file is parsed: YAML (stack files, Pulumi.yaml) or JSON (policy documents, existing.json). */
export type TextSyntax = "yaml" | "json";

/**
 * A visible character: a letter, mark, digit, punctuation or symbol that Unicode does not mark as
 * ignorable (https://www.unicode.org/reports/tr44/#Default_Ignorable_Code_Point: zero-width
 * characters, variation selectors, tag characters, soft hyphens, fillers).
 */
const visible = /^(?=[\p{L}\p{M}\p{N}\p{P}\p{S}])\P{Default_Ignorable_Code_Point}$/u;

/** The table: a character on no row is refused. */
export const allowedCharacters: readonly AllowedCharacters[] = [
    {
        what: "LF",
        matches: (char) => char === "\n",
        reason: "ends a line for every reader",
    },
    {
        what: "CR followed by LF",
        matches: (char, { next }) => char === "\r" && next === "\n",
        reason: "ends a line for every reader (Windows editors write it)",
    },
    {
        what: "SPACE (U+0020)",
        matches: (char) => char === " ",
        reason: "the one space that separates and indents alike in YAML 1.1, YAML 1.2 and JSON",
    },
    {
        what: "TAB, in JSON files",
        matches: (char, { syntax }) => char === "\t" && syntax === "json",
        reason: "JSON whitespace between tokens (RFC 8259 §2) and refused inside strings by every JSON reader",
    },
    {
        what: "a byte-order mark at the very start",
        matches: (char, { offset }) => char === "\uFEFF" && offset === 0,
        reason: "dropped before parsing by Pulumi (workspace/loaders.go `readFileStripUTF8BOM`) and by this reader",
    },
    {
        what: "visible letters, marks, digits, punctuation and symbols",
        matches: (char) => visible.test(char),
        reason: "what a person sees is what a parser reads",
    },
];

/** The characters the table refuses that have a name worth showing, with why they are dangerous. */
const knownRefusals: Record<string, { name: string; why: string }> = {};
const lineBreakWhy =
    "ends a line for gopkg.in/yaml.v3, Pulumi's YAML reader (yamlprivateh.go `is_break`), but not for a YAML 1.2 reader or most viewers: a comment to one reader is a value to the other";
for (const [char, name] of [
    ["\u0085", "NEXT LINE (NEL)"],
    ["\u2028", "LINE SEPARATOR"],
    ["\u2029", "PARAGRAPH SEPARATOR"],
] as const) {
    knownRefusals[char] = { name, why: lineBreakWhy };
}
knownRefusals["\r"] = { name: "CARRIAGE RETURN without a LF", why: "ends a line for a YAML reader but not in many viewers" };
knownRefusals["\t"] = {
    name: "TAB",
    why: "YAML readers disagree on where a tab may separate tokens (a YAML 1.1 reader stops at `key:<TAB>value`, a YAML 1.2 reader reads it as a mapping); indent and separate with spaces",
};
for (const [char, name] of [
    ["\u202A", "LEFT-TO-RIGHT EMBEDDING"],
    ["\u202B", "RIGHT-TO-LEFT EMBEDDING"],
    ["\u202C", "POP DIRECTIONAL FORMATTING"],
    ["\u202D", "LEFT-TO-RIGHT OVERRIDE"],
    ["\u202E", "RIGHT-TO-LEFT OVERRIDE"],
    ["\u2066", "LEFT-TO-RIGHT ISOLATE"],
    ["\u2067", "RIGHT-TO-LEFT ISOLATE"],
    ["\u2068", "FIRST STRONG ISOLATE"],
    ["\u2069", "POP DIRECTIONAL ISOLATE"],
    ["\u200E", "LEFT-TO-RIGHT MARK"],
    ["\u200F", "RIGHT-TO-LEFT MARK"],
    ["\u061C", "ARABIC LETTER MARK"],
] as const) {
    knownRefusals[char] = {
        name,
        why: "changes the order in which the text is shown, so a person reads the line in another order than a parser does (CVE-2021-42574, Trojan Source)",
    };
}
for (const [char, name] of [
    ["\u200B", "ZERO WIDTH SPACE"],
    ["\u200C", "ZERO WIDTH NON-JOINER"],
    ["\u200D", "ZERO WIDTH JOINER"],
    ["\u2060", "WORD JOINER"],
    ["\uFEFF", "BYTE ORDER MARK (ZERO WIDTH NO-BREAK SPACE) after the start"],
    ["\u00AD", "SOFT HYPHEN"],
] as const) {
    knownRefusals[char] = { name, why: "is invisible: a parser reads it, a person does not see it" };
}

const codePoint = (char: string) => `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;

/** Why a character no row allows is refused: its name where it has a known danger, its kind otherwise. */
function refusal(char: string): string {
    const known = knownRefusals[char];
    if (known) {
        return `${codePoint(char)} ${known.name}: ${known.why}`;
    }
    const kind = /\p{Cc}/u.test(char)
        ? "a control character"
        : /\p{Z}/u.test(char)
          ? "a space or separator other than U+0020, which a person reads as white space and a parser as text"
          : /\p{Default_Ignorable_Code_Point}|\p{Cf}/u.test(char)
            ? "an invisible character: a parser reads it, a person does not see it"
            : "a private-use or unassigned code point, which no two readers are bound to show alike";
    return `${codePoint(char)} is ${kind}`;
}

/** A character of `text` at `offset` allowed in a file of `syntax`. */
function isAllowed(text: string, char: string, offset: number, syntax: TextSyntax): boolean {
    const context = { syntax, offset, next: text[offset + char.length] };
    return allowedCharacters.some((row) => row.matches(char, context));
}

/** Every character that is neither visible nor the plain space. */
const notPlain = /[^ \p{L}\p{M}\p{N}\p{P}\p{S}]|\p{Default_Ignorable_Code_Point}/gu;

/** `\uXXXX` (a surrogate pair for a character beyond U+FFFF), as JSON and JavaScript write it. */
const escaped = (char: string) =>
    [...Array(char.length).keys()].map((i) => `\\u${char.charCodeAt(i).toString(16).padStart(4, "0")}`).join("");

/**
 * Text as a message, a report or a table shows it: every character that is neither visible nor the
 * plain space written as `\uXXXX`, so nothing a person cannot see, and no line break, reaches them.
 */
export function shownPlainly(text: string): string {
    return text.replace(notPlain, escaped);
}

/** Why one line of free text (a name, a label) is refused, or undefined when every character is plain. */
export function plainLineProblem(text: string): string | undefined {
    const [char] = text.match(notPlain) ?? [];
    if (char === undefined) {
        return undefined;
    }
    return /[\p{Cc}\p{Zl}\p{Zp}]/u.test(char) ? "may not hold control characters or line breaks" : `may not hold ${refusal(char)}`;
}

/** One refused character: where it is (1-based), the line from a little before it (as read: show it with shownPlainly), and why. */
export interface RefusedCharacter {
    line: number;
    column: number;
    excerpt: string;
    reason: string;
}

/** At most this many refused characters are listed per file; the rest are counted. */
const listedPerFile = 10;

/**
 * The refused characters of a file's bytes (an empty list for text every reader reads alike), or
 * the one problem of bytes that are not UTF-8: Pulumi's reader stops on them, Node's would
 * silently read U+FFFD instead.
 */
export function refusedCharacters(bytes: Uint8Array, syntax: TextSyntax): { text: string; refused: RefusedCharacter[] } {
    let text: string;
    try {
        text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
    } catch {
        const valid = new TextDecoder("utf-8").decode(bytes).split("\uFFFD")[0];
        const line = valid.split("\n").length;
        return {
            text: "",
            refused: [
                {
                    line,
                    column: [...valid.split("\n")[line - 1]].length + 1,
                    excerpt: valid.split("\n")[line - 1].slice(-40),
                    reason: "is not UTF-8 text: Pulumi's reader stops on it, and Node's reads U+FFFD in its place",
                },
            ],
        };
    }
    // Most files hold nothing to refuse: one search finds that, and the character walk below runs
    // only for a file that holds something outside the plain set.
    const body = (text.startsWith("\uFEFF") ? text.slice(1) : text).replaceAll("\r\n", "\n");
    if (!(syntax === "json" ? body.replaceAll("\t", " ") : body).replaceAll("\n", " ").match(notPlain)) {
        return { text, refused: [] };
    }
    const refused: RefusedCharacter[] = [];
    let skipped = 0;
    let line = 1;
    let lineStart = 0;
    let offset = 0;
    for (const char of text) {
        if (!isAllowed(text, char, offset, syntax)) {
            if (refused.length < listedPerFile) {
                const lineEnd = text.indexOf("\n", offset);
                const lineText = text.slice(lineStart, lineEnd === -1 ? undefined : lineEnd).replace(/\r$/, "");
                const column = [...text.slice(lineStart, offset)].length + 1;
                const from = Math.max(0, offset - lineStart - 40);
                refused.push({
                    line,
                    column,
                    excerpt: `${from > 0 ? "…" : ""}${lineText.slice(from)}`,
                    reason: refusal(char),
                });
            } else {
                skipped++;
            }
        }
        if (char === "\n") {
            line++;
            lineStart = offset + 1;
        }
        offset += char.length;
    }
    if (skipped > 0) {
        const last = refused[refused.length - 1];
        last.reason += ` (and ${skipped} more refused characters after it)`;
    }
    return { text, refused };
}
