// What an IAM policy document grants, as single grants (one effect, principal, action, resource
// and set of condition clauses), and whether a change to a document widened or narrowed it. The
// access diff names every trust and permission change this way in its summary line.
//
// A grant G1 covers G2 when both have the same effect, G1's principal, action and resource match
// G2's (IAM's `*` and `?` wildcards; actions case-insensitively), and every condition clause of G1
// is also one of G2's (fewer conditions, fewer restrictions). A change WIDENS when the new document
// has an Allow grant no old Allow grant covers, or drops a Deny grant; it NARROWS when an old Allow
// grant is no longer covered, or a Deny grant is added. Widened: only widens; narrowed: only
// narrows; changed: both; neither: the same grants (reordered, a new Sid, …).

export interface Grant {
    effect: string;
    principal: string;
    action: string;
    resource: string;
    /** `<operator> <key> <JSON value>`, sorted. */
    conditions: string[];
}

export type GrantChange = "widened" | "narrowed" | "changed" | undefined;

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

/** Condition values listed for these operators are alternatives (any one satisfies the key). */
const isAlternatives = (operator: string) => !/Not|^ForAllValues:|^ForAnyValue:/.test(operator);

/** Every combination of one element from each list. */
function product<T>(lists: T[][]): T[][] {
    return lists.reduce<T[][]>((combinations, options) => combinations.flatMap((c) => options.map((o) => [...c, o])), [[]]);
}

/** The grants of a JSON policy document; undefined when the value is not one. */
export function grantsOf(document: unknown): Grant[] | undefined {
    const statements = (document as { Statement?: unknown } | null)?.Statement;
    if (statements === undefined || typeof document !== "object") {
        return undefined;
    }
    return list(statements).flatMap((statement) => {
        const s = statement as Record<string, unknown>;
        const principals =
            s.Principal === undefined && s.NotPrincipal === undefined
                ? [""]
                : s.NotPrincipal !== undefined
                  ? [`NotPrincipal ${JSON.stringify(s.NotPrincipal)}`]
                  : s.Principal === "*"
                    ? ["*"]
                    : Object.entries(s.Principal as Record<string, unknown>).flatMap(([type, values]) =>
                          list(values).map((v) => `${type}:${String(v)}`),
                      );
        const actions = s.NotAction !== undefined ? [`NotAction ${JSON.stringify(s.NotAction)}`] : list(s.Action).map(String);
        const resources =
            s.NotResource !== undefined
                ? [`NotResource ${JSON.stringify(s.NotResource)}`]
                : s.Resource === undefined
                  ? ["*"]
                  : list(s.Resource).map(String);
        const clauseOptions = Object.entries((s.Condition ?? {}) as Record<string, Record<string, unknown>>).flatMap(([operator, keys]) =>
            Object.entries(keys).map(([key, values]) =>
                isAlternatives(operator)
                    ? list(values).map((v) => `${operator} ${key} ${JSON.stringify(v)}`)
                    : [`${operator} ${key} ${JSON.stringify(values)}`],
            ),
        );
        return product([principals, actions, resources]).flatMap(([principal, action, resource]) =>
            product(clauseOptions).map((conditions) => ({
                effect: String(s.Effect),
                principal,
                action,
                resource,
                conditions: [...conditions].sort(),
            })),
        );
    });
}

/** IAM's wildcard match: `*` any run of characters, `?` any one. */
function matches(pattern: string, value: string, ignoreCase = false): boolean {
    const source = pattern
        .replace(/[.+^${}()|[\]\\]/g, "\\$&")
        .replace(/\*/g, ".*")
        .replace(/\?/g, ".");
    return new RegExp(`^${source}$`, ignoreCase ? "i" : "").test(value);
}

export function covers(wider: Grant, narrower: Grant): boolean {
    return (
        wider.effect === narrower.effect &&
        (wider.principal === "*" || matches(wider.principal, narrower.principal)) &&
        matches(wider.action, narrower.action, true) &&
        matches(wider.resource, narrower.resource) &&
        wider.conditions.every((clause) => narrower.conditions.includes(clause))
    );
}

const key = (grant: Grant) => JSON.stringify(grant);

/** How the grants changed from `before` to `after` (an absent document grants nothing). */
export function grantChange(before: Grant[], after: Grant[]): GrantChange {
    const allows = (grants: Grant[]) => grants.filter((g) => g.effect === "Allow");
    const denies = (grants: Grant[]) => new Set(grants.filter((g) => g.effect !== "Allow").map(key));
    const uncovered = (grants: Grant[], by: Grant[]) => allows(grants).some((g) => !allows(by).some((b) => covers(b, g)));
    const [denyBefore, denyAfter] = [denies(before), denies(after)];
    const widens = uncovered(after, before) || [...denyBefore].some((d) => !denyAfter.has(d));
    const narrows = uncovered(before, after) || [...denyAfter].some((d) => !denyBefore.has(d));
    return widens && narrows ? "changed" : widens ? "widened" : narrows ? "narrowed" : undefined;
}
