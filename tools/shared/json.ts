// JSON as the tools compare and store it: one canonical form (keys in order, so key order is never a
// difference and plans are byte-identical however the program built them), and the JSON documents
// that inputs carry as text (policy documents, Okta profiles and settings).

/** `value` with every object's keys in sorted order, recursively. */
export function sortKeys(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(sortKeys);
    }
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(
            Object.keys(value)
                .sort()
                .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
        );
    }
    return value;
}

/** JSON text of `value` in canonical form: equal for values that differ only in key order. */
export const canonicalJson = (value: unknown): string => JSON.stringify(sortKeys(value));

/** A JSON object or array held in a string (a policy document, an Okta profile), parsed; else undefined. */
export function jsonDocument(value: unknown): object | undefined {
    if (typeof value !== "string" || !/^\s*[[{]/.test(value)) {
        return undefined;
    }
    try {
        return JSON.parse(value) as object;
    } catch {
        return undefined;
    }
}
