// Reads a YAML file (a stack file, Pulumi.yaml) as the Pulumi CLI's own reader, Go's
// gopkg.in/yaml.v3 (sdk/go/common/encoding/marshal.go), would, and refuses whatever the two readers
// would read differently: values YAML 1.1 and 1.2 disagree on, explicit tags, merge keys, keys that
// are not text. What is refused is reported by its path and value, every problem at once.
import { isAlias, isMap, isScalar, isSeq, Node, parseAllDocuments, Scalar } from "yaml";
import { pathText } from "./pathText";

/** Where a value sits in the document: mapping keys and sequence indexes from the top. */
export type YamlPath = (string | number)[];

/** One refused value: where it is, what it says, and why. */
export interface YamlProblem {
    path: YamlPath;
    value: unknown;
    reason: string;
}

/** A YAML document that is not YAML at all: the line it stops at, or none (the whole file). */
export interface YamlSyntaxError {
    line?: { number: number; text: string };
    reason: string;
}

/**
 * At most this many alias expansions in one file: a stack file needs few, and a "billion laughs"
 * document would otherwise expand without bound (the `yaml` package's `maxAliasCount`).
 * https://eemeli.org/yaml/#options
 */
const maxAliasCount = 100;

/** How gopkg.in/yaml.v3 resolves a plain (unquoted) scalar when decoding into `any` (resolve.go `resolve`). */
export type GoScalar =
    | { kind: "null" }
    | { kind: "bool"; value: boolean }
    | { kind: "int"; value: bigint }
    | { kind: "float"; value: number }
    | { kind: "timestamp" }
    | { kind: "merge" }
    | { kind: "str" };

const goWords = new Map<string, GoScalar>([
    ...["true", "True", "TRUE"].map((w): [string, GoScalar] => [w, { kind: "bool", value: true }]),
    ...["false", "False", "FALSE"].map((w): [string, GoScalar] => [w, { kind: "bool", value: false }]),
    ...["", "~", "null", "Null", "NULL"].map((w): [string, GoScalar] => [w, { kind: "null" }]),
    ...[".nan", ".NaN", ".NAN"].map((w): [string, GoScalar] => [w, { kind: "float", value: NaN }]),
    ...[".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"].map((w): [string, GoScalar] => [w, { kind: "float", value: Infinity }]),
    ...["-.inf", "-.Inf", "-.INF"].map((w): [string, GoScalar] => [w, { kind: "float", value: -Infinity }]),
    ["<<", { kind: "merge" }],
]);

/** resolve.go's `yamlStyleFloat`: the only float forms yaml.v3 reads from a scalar starting with a digit or sign. */
const yamlStyleFloat = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** The date forms of resolve.go `allowedTimestampFormats` (time.Parse layouts 2006-1-2, 15:4:5.999999999, Z07:00). */
const goTimestamp =
    /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt]\d{1,2}:\d{1,2}:\d{1,2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})| \d{1,2}:\d{1,2}:\d{1,2}(?:\.\d+)?)?$/;

const int64 = { min: -(2n ** 63n), max: 2n ** 63n - 1n };
const uint64Max = 2n ** 64n - 1n;

/** Go's strconv.ParseUint(s, base, 64) for base 0 (prefixes 0b, 0o, 0x, and a leading 0 for octal), 2 or 8. */
function goParseUint(s: string, base: 0 | 2 | 8): bigint | undefined {
    let radix: number = base;
    let digits = s;
    if (base === 0) {
        radix = 10;
        if (s.startsWith("0")) {
            const prefix = s.length >= 3 ? s[1].toLowerCase() : "";
            radix = prefix === "b" ? 2 : prefix === "o" ? 8 : prefix === "x" ? 16 : 8;
            digits = prefix === "b" || prefix === "o" || prefix === "x" ? s.slice(2) : s.slice(1);
        }
    }
    const valid = { 2: /^[01]*$/, 8: /^[0-7]*$/, 10: /^[0-9]*$/, 16: /^[0-9a-fA-F]*$/ }[radix as 2 | 8 | 10 | 16];
    if (s === "" || !valid.test(digits)) {
        return undefined;
    }
    const value = [...digits].reduce((n, digit) => n * BigInt(radix) + BigInt(parseInt(digit, 16)), 0n);
    return value <= uint64Max ? value : undefined;
}

/** Go's strconv.ParseInt(s, base, 64): an optional sign, then ParseUint, within int64. */
function goParseInt(s: string, base: 0 | 2 | 8): bigint | undefined {
    const negative = s.startsWith("-");
    const magnitude = goParseUint(s.startsWith("-") || s.startsWith("+") ? s.slice(1) : s, base);
    if (magnitude === undefined) {
        return undefined;
    }
    const value = negative ? -magnitude : magnitude;
    return value >= int64.min && value <= int64.max ? value : undefined;
}

/** A time.Parse-able date: the layout's fields, with months and days in range. */
function isGoTimestamp(text: string): boolean {
    const match = goTimestamp.exec(text);
    return match !== null && Number(match[2]) >= 1 && Number(match[2]) <= 12 && Number(match[3]) >= 1 && Number(match[3]) <= 31;
}

/** An unquoted scalar as yaml.v3 resolves it into `any`: resolve.go `resolve` with no tag, step by step. */
export function goYamlScalar(text: string): GoScalar {
    const word = goWords.get(text);
    if (word) {
        return word;
    }
    const first = text[0];
    if (first === ".") {
        // strconv.ParseFloat: decimal digits, an exponent, and underscores between digits.
        const plain = /(^|[^0-9])_|_($|[^0-9])/.test(text) ? text : text.replaceAll("_", "");
        return /^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(plain) ? { kind: "float", value: Number(plain) } : { kind: "str" };
    }
    if (!/^[-+0-9]/.test(first ?? "")) {
        return { kind: "str" };
    }
    if (isGoTimestamp(text)) {
        return { kind: "timestamp" };
    }
    const plain = text.replaceAll("_", "");
    const integer = goParseInt(plain, 0) ?? (/^[0-9]/.test(plain) ? goParseUint(plain, 0) : undefined);
    if (integer !== undefined) {
        return { kind: "int", value: integer };
    }
    if (yamlStyleFloat.test(plain) && Number.isFinite(Number(plain))) {
        return { kind: "float", value: Number(plain) };
    }
    for (const [prefix, base] of [
        ["0b", 2],
        ["0o", 8],
    ] as const) {
        const rest = plain.startsWith(prefix) ? plain.slice(2) : plain.startsWith(`-${prefix}`) ? `-${plain.slice(3)}` : undefined;
        const value =
            rest === undefined ? undefined : (goParseInt(rest, base) ?? (rest.startsWith("-") ? undefined : goParseUint(rest, base)));
        if (value !== undefined) {
            return { kind: "int", value };
        }
    }
    return { kind: "str" };
}

const pulumiReader = "Pulumi's YAML reader (gopkg.in/yaml.v3)";

const goKindNames: Record<GoScalar["kind"], string> = {
    null: "null",
    bool: "a boolean",
    int: "a number",
    float: "a number",
    timestamp: "a timestamp",
    merge: "a merge key",
    str: "text",
};

/** Why an unquoted scalar is refused, or undefined when both readers read it alike and plainly. */
function plainScalarProblem(source: string, value: unknown): string | undefined {
    const go = goYamlScalar(source);
    const quoteIt = "write it in plain decimal digits, or quote it if it is text";
    switch (go.kind) {
        case "timestamp": {
            // What the program then gets: Go's time.Time.String() (config/object.go `unmarshalObject`).
            const date = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(source);
            const goText = date
                ? `"${date[1]}-${date[2].padStart(2, "0")}-${date[3].padStart(2, "0")} 00:00:00 +0000 UTC"`
                : "reformatted text";
            return `is a timestamp to ${pulumiReader}, which hands the program ${goText}, and text as written to YAML 1.2: quote it`;
        }
        case "int": {
            if (!/^[-+]?(0|[1-9][0-9]*)$/.test(source)) {
                const form = /^[-+]?0[0-9]/.test(source)
                    ? "a leading 0, octal in YAML 1.1"
                    : source.includes("_")
                      ? "digit separators (_), which only YAML 1.1 allows"
                      : "a base prefix (0b, 0o, 0x)";
                return typeof value === "number" && BigInt(value) === go.value
                    ? `is written with ${form}, which YAML readers do not all read alike (Pulumi's, gopkg.in/yaml.v3, reads it as ${go.value}); ${quoteIt}`
                    : `is the number ${go.value} to ${pulumiReader} and ${typeof value === "number" ? value : `the text ${JSON.stringify(value)}`} to YAML 1.2, since it is written with ${form}; ${quoteIt}`;
            }
            return go.value > BigInt(Number.MAX_SAFE_INTEGER) || go.value < BigInt(Number.MIN_SAFE_INTEGER)
                ? "is a whole number too large to be read exactly (JSON numbers are doubles): quote it"
                : undefined;
        }
        case "float":
            if (!Number.isFinite(go.value)) {
                return "is not a number JSON can hold, which is how Pulumi hands configuration to the program";
            }
            if (/[eE]/.test(source)) {
                return `is a number in exponent form: YAML 1.1 reads it as text, YAML 1.2 as ${go.value}; write the number out in digits, or quote it if it is text`;
            }
            return typeof value === "number" && value === go.value ? undefined : `is the number ${go.value} to ${pulumiReader}; ${quoteIt}`;
        case "str":
            return typeof value === "string" ? undefined : `is text to ${pulumiReader} and ${JSON.stringify(value)} to YAML 1.2: quote it`;
        default:
            return undefined;
    }
}

/** Every refused node below `node`; aliases are checked where their anchor is. */
function nodeProblems(node: unknown, path: YamlPath, problems: YamlProblem[]): void {
    if (node === null || node === undefined || isAlias(node)) {
        return;
    }
    const yamlNode = node as Node;
    if (yamlNode.tag !== undefined) {
        const tag = yamlNode.tag.replace(/^tag:yaml\.org,2002:/, "!!");
        problems.push({
            path,
            value: isScalar(yamlNode) ? yamlNode.source : tag,
            reason: `has the explicit YAML tag ${tag}: ${pulumiReader} resolves tags its own way (it decodes !!binary, keeps unknown ones as text); remove the tag, and quote a value that is text`,
        });
        return;
    }
    if (isScalar(yamlNode)) {
        const reason = yamlNode.type === Scalar.PLAIN ? plainScalarProblem(String(yamlNode.source), yamlNode.value) : undefined;
        if (reason) {
            problems.push({ path, value: yamlNode.source, reason });
        }
    } else if (isSeq(yamlNode)) {
        yamlNode.items.forEach((item, i) => nodeProblems(item, [...path, i], problems));
    } else if (isMap(yamlNode)) {
        for (const pair of yamlNode.items) {
            const key = pair.key;
            if (!isScalar(key) || key.value === null) {
                problems.push({
                    path,
                    value: isScalar(key) ? key.source : key === null ? "" : "(a collection)",
                    reason: 'has a mapping key that is not text, and Pulumi stops on one ("expected only string keys"): quote it',
                });
                continue;
            }
            const name = typeof key.value === "string" ? key.value : String(key.source);
            if (key.type === Scalar.PLAIN && key.source === "<<") {
                problems.push({
                    path: [...path, "<<"],
                    value: isAlias(pair.value) ? `*${pair.value.source}` : undefined,
                    reason: `is a YAML merge key: ${pulumiReader} copies the keys of the mapping it names into this one (decode.go \`merge\`), out of a reviewer's sight; write the keys out`,
                });
                continue;
            }
            const keyKind = key.type === Scalar.PLAIN && key.tag === undefined ? goYamlScalar(String(key.source)).kind : "str";
            if (keyKind !== "str") {
                problems.push({
                    path,
                    value: key.source,
                    reason: `has a mapping key that ${pulumiReader} reads as ${goKindNames[keyKind]}, and Pulumi stops on keys that are not text ("expected only string keys"): quote it`,
                });
                continue;
            }
            nodeProblems(key, [...path, name], problems);
            nodeProblems(pair.value, [...path, name], problems);
        }
    }
}

/** A YAML mapping (a plain object) as the readers get it: not a list, not null. */
export const isMapping = (value: unknown): value is Record<string, unknown> =>
    typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The document of `text` as Pulumi reads it (a UTF-8 byte-order mark dropped, as
 * workspace/loaders.go `readFileStripUTF8BOM` does; only the first document, as yaml.v3's
 * Unmarshal) with the values refused in it, or the syntax error that keeps it from being read.
 */
export function readPulumiYaml(text: string): { value: unknown; problems: YamlProblem[] } | { syntaxError: YamlSyntaxError } {
    const source = text.replace(/^\uFEFF/, "");
    // The core schema whatever a %YAML directive says: yaml.v3 resolves every document alike.
    const documents = parseAllDocuments(source, { schema: "core", merge: false, uniqueKeys: true, logLevel: "silent" });
    if (documents.length === 0) {
        return { value: null, problems: [] };
    }
    const [document] = documents;
    const error = [...document.errors, ...documents.slice(1).flatMap((d) => d.errors)][0];
    if (error) {
        const reason = `is not valid YAML: ${error.message.replace(/ at line \d+, column \d+:[\s\S]*$/, "")}`;
        const line = error.linePos?.[0].line;
        return { syntaxError: { reason, line: line === undefined ? undefined : { number: line, text: source.split(/\r?\n/)[line - 1] } } };
    }
    if (documents.length > 1) {
        return {
            syntaxError: {
                reason: `holds ${documents.length} YAML documents: Pulumi reads the first one only, so keep one document (no second ---)`,
            },
        };
    }
    const problems: YamlProblem[] = [];
    nodeProblems(document.contents, [], problems);
    try {
        return { value: document.toJS({ maxAliasCount }), problems };
    } catch (thrown) {
        return { syntaxError: { reason: `is not valid YAML: ${(thrown as Error).message}` } };
    }
}

/** A path in a YAML file as the messages write it: `config.okta-aws:oktaApp.label`, `environment[0]`; `(file)` for the whole file. */
export function yamlPathText(path: YamlPath): string {
    return pathText(path) || "(file)";
}
