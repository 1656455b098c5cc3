// One problem, one format: `<file>: <key>: <value> — <reason>`, every problem of a stack at once,
// and the error that stops the program with them before any resource is registered.
import * as pulumi from "@pulumi/pulumi";
import { shownPlainly } from "../plainText";

/** The Pulumi project, and the namespace of this program's config keys (`okta-aws:<key>`). */
export const projectName = "okta-aws";

/** Stops the program with every configuration problem; Pulumi prints a RunError without a stack trace. */
export class ConfigError extends pulumi.RunError {
    constructor(readonly problems: string[]) {
        super(`Invalid stack configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n  ${problems.join("\n  ")}`);
        this.name = "ConfigError";
    }
}

/** One problem, in the one format every message uses: `<file>: <key>: <value> — <reason>`. */
export function configProblem(stackFile: string, key: string, value: unknown, reason: string): string {
    return `${stackFile}: ${key}: ${showValue(value)} — ${reason}`;
}

/** Stands for a value that must not be printed (a secret found in clear text). */
export const notShown = Symbol("not shown");

function showValue(value: unknown): string {
    if (value === undefined) {
        return "(not set)";
    }
    if (value === notShown) {
        return "(value not shown)";
    }
    // A value may hold what a terminal or a pull-request comment would act upon or hide: shown plainly.
    const json = shownPlainly(JSON.stringify(value));
    return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

/** Reports a problem at `<key>`: the value found there and why it is refused. */
export type Reporter = (key: string, value: unknown, reason: string) => void;

/** Where a value sits in a namespace: its key, then fields and list indexes (as zod reports an issue's path). */
export type ConfigPath = readonly PropertyKey[];

/**
 * The fields that name an entry of a list, in the order they are looked for: a person by login
 * (`users[]`), everything else by name (`groups[]`, `crossAccountRoles[]`, `policies[]`). An entry
 * of plain values (a login, a role name) is the value the message shows already.
 */
const entryNameFields = ["login", "name"];

/** The name of a list entry as a message shows it, or undefined for an entry that has none. */
function entryName(entry: unknown): string | undefined {
    if (typeof entry !== "object" || entry === null) {
        return undefined;
    }
    const field = entryNameFields.find((f) => typeof (entry as Record<string, unknown>)[f] === "string");
    const name = field === undefined ? "" : shownPlainly((entry as Record<string, string>)[field]);
    return name === "" ? undefined : name.length > 60 ? `${name.slice(0, 57)}...` : name;
}

/**
 * The one text of a key in every message: `<namespace>:<key>` with its fields and indexes, each
 * list entry followed by its name, read from `root` (the namespace's values) —
 * `okta-aws:users[17] (dan@northwind.example).samlRoles`, `okta-aws:groups[3] (Platform).members[0]`,
 * so a person finds the entry without counting.
 */
export function configKey(path: ConfigPath, root: unknown, namespace: string = projectName): string {
    let text = `${namespace}:${String(path[0])}`;
    let value = (root as Record<PropertyKey, unknown> | undefined)?.[path[0]];
    for (const part of path.slice(1)) {
        value = typeof value === "object" && value !== null ? (value as Record<PropertyKey, unknown>)[part] : undefined;
        if (typeof part === "number") {
            const name = entryName(value);
            text += `[${part}]${name === undefined ? "" : ` (${name})`}`;
        } else {
            text += `.${String(part)}`;
        }
    }
    return text;
}

/** Reports every item whose key is an earlier item's, naming the first. */
export function reportDuplicates<T>(
    items: T[],
    keyOf: (item: T) => string,
    listPath: ConfigPath,
    root: unknown,
    field: string,
    reason: string,
    report: Reporter,
): void {
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
        const k = keyOf(item);
        const first = seen.get(k);
        if (first === undefined) {
            seen.set(k, i);
        } else {
            const key = configKey([...listPath, i, ...(field ? [field] : [])], root);
            const value = field ? (item as Record<string, unknown>)[field] : item;
            report(key, value, `${reason}: duplicates ${configKey([...listPath, first], root)}`);
        }
    });
}
