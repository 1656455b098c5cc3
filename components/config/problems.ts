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

/** Reports every item whose key is an earlier item's, naming the first. */
export function reportDuplicates<T>(
    items: T[],
    keyOf: (item: T) => string,
    listKey: string,
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
            const key = `${listKey}[${i}]${field ? `.${field}` : ""}`;
            const value = field ? (item as Record<string, unknown>)[field] : item;
            report(key, value, `${reason}: duplicates ${listKey}[${first}]`);
        }
    });
}
