// Where a policy file stops being JSON, said the same way on every Node version: V8's JSON.parse
// messages change between releases (Node 24 appends "(line 1 column 3)", some messages quote the
// whole text instead of a position), so the place is found here, by the grammar JSON.parse reads
// (RFC 8259: any value at the top, white space of tab, line feed, carriage return and space).
// Iterative, so a deeply nested file cannot overflow the stack.

const whiteSpace = new Set([" ", "\t", "\n", "\r"]);
const numberPattern = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const escapes = new Set(['"', "\\", "/", "b", "f", "n", "r", "t"]);

/** The first syntax error of `text` as "<what was expected> at line L column C", or undefined for JSON. */
export function jsonSyntaxError(text: string): string | undefined {
    let at = 0;
    const skipWhiteSpace = () => {
        while (at < text.length && whiteSpace.has(text[at])) {
            at++;
        }
    };
    const place = () => {
        const before = text.slice(0, at).split("\n");
        return `line ${before.length} column ${before[before.length - 1].length + 1}`;
    };
    const error = (expected: string) => `${at < text.length ? expected : "ends early"} at ${place()}`;

    /** Reads a string at `at` (on its opening quote); the problem, or undefined. */
    const readString = (): string | undefined => {
        at++;
        for (;;) {
            const char = text[at];
            if (char === undefined) {
                return `ends inside a string at ${place()}`;
            }
            if (char === '"') {
                at++;
                return undefined;
            }
            if (char < " ") {
                return `a control character must be escaped in a string at ${place()}`;
            }
            if (char === "\\") {
                const escaped = text[at + 1];
                if (escaped === "u" ? !/^[0-9a-fA-F]{4}$/.test(text.slice(at + 2, at + 6)) : !escapes.has(escaped)) {
                    return `a bad escape in a string at ${place()}`;
                }
                at += escaped === "u" ? 6 : 2;
            } else {
                at++;
            }
        }
    };

    /** Reads one scalar, or opens a container (pushing its closer); the problem, or undefined. */
    const closers: ("]" | "}")[] = [];
    let justOpened = false;
    const readValue = (): string | undefined => {
        skipWhiteSpace();
        const char = text[at];
        if (char === "{" || char === "[") {
            closers.push(char === "{" ? "}" : "]");
            justOpened = true;
            at++;
            return undefined;
        }
        if (char === '"') {
            return readString();
        }
        for (const literal of ["true", "false", "null"]) {
            if (text.startsWith(literal, at)) {
                at += literal.length;
                return undefined;
            }
        }
        numberPattern.lastIndex = at;
        if (char !== undefined && numberPattern.test(text)) {
            at = numberPattern.lastIndex;
            return undefined;
        }
        return error("expected a value");
    };
    const readKey = (): string | undefined => {
        skipWhiteSpace();
        if (text[at] !== '"') {
            return error("expected a property name in double quotes");
        }
        const problem = readString();
        if (problem) {
            return problem;
        }
        skipWhiteSpace();
        if (text[at] !== ":") {
            return error("expected ':'");
        }
        at++;
        return undefined;
    };

    let problem = readValue();
    while (problem === undefined) {
        skipWhiteSpace();
        const closer = closers[closers.length - 1];
        const first = justOpened;
        justOpened = false;
        if (closer === undefined) {
            return at < text.length ? `unexpected text after the document at ${place()}` : undefined;
        }
        if (text[at] === closer) {
            closers.pop();
            at++;
        } else if (first || text[at] === ",") {
            at += first ? 0 : 1;
            problem = closer === "}" ? readKey() : undefined;
            problem ??= readValue();
        } else {
            problem = error(`expected ',' or '${closer}'`);
        }
    }
    return problem;
}
