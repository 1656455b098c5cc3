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

import { NamesElement, nameText, principalText, readIamDocument } from "../../components/iamDocument";

/**
 * A grant's principal, action or resource: one pattern (`AWS:<arn>` for a principal, `*` for any),
 * or — from NotPrincipal, NotAction, NotResource — the patterns it leaves out, as data.
 */
export type GrantElement = string | { not: string[] };

export interface Grant {
    effect: string;
    principal: GrantElement;
    action: GrantElement;
    resource: GrantElement;
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
    return readIamDocument(document)?.statements.flatMap((statement) => {
        const principals: GrantElement[] = !statement.principal
            ? [""]
            : statement.principal.not
              ? [{ not: statement.principal.principals.map(principalText).sort() }]
              : statement.principal.principals.map(principalText);
        const names = (element: NamesElement): GrantElement[] =>
            element.not ? [{ not: element.values.map(nameText) }] : element.values.map(nameText);
        const actions = statement.actions ? names(statement.actions) : [];
        // A statement without Resource (a trust policy) is about the role it is in: any resource.
        const resources = statement.resources ? names(statement.resources) : ["*"];
        const clauseOptions = Object.entries((statement.condition ?? {}) as Record<string, Record<string, unknown>>).flatMap(
            ([operator, keys]) =>
                Object.entries(keys).map(([key, values]) =>
                    isAlternatives(operator)
                        ? list(values).map((v) => `${operator} ${key} ${JSON.stringify(v)}`)
                        : [`${operator} ${key} ${JSON.stringify(values)}`],
                ),
        );
        return product<GrantElement>([principals, actions, resources]).flatMap(([principal, action, resource]) =>
            product(clauseOptions).map((conditions) => ({
                effect: String(statement.effect),
                principal,
                action,
                resource,
                conditions: [...conditions].sort(),
            })),
        );
    });
}

/** A wildcard pattern's tokens, one per character: `*` any run, `?` any one character, else itself. */
type Token = { kind: "*" } | { kind: "?" } | { kind: "char"; char: string };

const tokensOf = (pattern: string): Token[] =>
    Array.from(pattern, (char): Token => (char === "*" ? { kind: "*" } : char === "?" ? { kind: "?" } : { kind: "char", char }));

/**
 * IAM compares action names case-insensitively (ASCII letters; action names are ASCII), ARNs as
 * written. An ASCII text folds as `toLowerCase` folds it, and far faster than letter by letter;
 * beyond ASCII `toLowerCase` folds more (U+212A KELVIN SIGN to "k"), so only A-Z are folded there.
 */
const foldAscii = (text: string) =>
    /[\u0080-\uffff]/.test(text) ? text.replace(/[A-Z]/g, (letter) => letter.toLowerCase()) : text.toLowerCase();

/**
 * More work than this (wider positions stepped) and the comparison gives up: "not covered", so the
 * diff says "changed" — and a crafted pattern cannot stall the review.
 */
const workBudget = 200_000;

/**
 * Whether `pattern` (IAM's `*` and `?`) matches the name `text`: one pass with the last `*` to
 * return to, so a crafted pattern costs at most length × length steps.
 */
function wildcardMatches(pattern: string, text: string): boolean {
    let p = 0;
    let t = 0;
    let star = -1;
    let resume = 0;
    while (t < text.length) {
        if (p < pattern.length && (pattern[p] === "?" || pattern[p] === text[t])) {
            p += 1;
            t += 1;
        } else if (p < pattern.length && pattern[p] === "*") {
            star = p;
            resume = t;
            p += 1;
        } else if (star >= 0) {
            p = star + 1;
            resume += 1;
            t = resume;
        } else {
            return false;
        }
    }
    while (pattern[p] === "*") {
        p += 1;
    }
    return p === pattern.length;
}

/**
 * Whether every name `narrower` can match, `wider` matches too: inclusion of the two wildcard
 * languages (IAM: `*` any sequence of characters, `?` exactly one;
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html#reference_policies_elements_resource_wildcards).
 * Never a regex of one run over the other's text, where `?` would match a literal `*`.
 *
 * The search walks `narrower`'s tokens while tracking the set of positions `wider` can be in (a
 * subset construction of `wider`'s automaton). A `?` or `*` of `narrower` may stand for any
 * character: `wider` only tells apart its own literal characters and "any other", so trying those
 * plus one character in neither pattern tries every case. `narrower` matches some name that
 * `wider` does not exactly when the search reaches the end of `narrower` with `wider` in no
 * accepting position. Past the budget, or with characters beyond ASCII (where "one character" and
 * case folding are IAM's to define, not ours), it answers false unless the patterns are equal.
 *
 * A policy variable (`${aws:username}`, `${*}`) stands for a value known only at request time: in
 * `narrower` it may be anything (read as `*`); in `wider` it matches only what it expands to, which
 * no comparison of texts can know, so a `wider` holding one covers only itself.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
 */
export function patternCovers(wider: string, narrower: string, ignoreCase = false): boolean {
    const [w, folded] = ignoreCase ? [foldAscii(wider), foldAscii(narrower)] : [wider, narrower];
    if (w === folded) {
        return true;
    }
    const n = folded.replace(/\$\{[^}]*\}/g, "*");
    if (w.includes("${") || /[^\x20-\x7e]/.test(w + n)) {
        return false;
    }
    const widerHasWildcards = /[*?]/.test(w);
    if (!/[*?]/.test(n)) {
        // `narrower` is one name: covered exactly when `wider` matches it.
        return widerHasWildcards ? wildcardMatches(w, n) : w === n;
    }
    if (!widerHasWildcards) {
        // One name cannot cover a pattern that matches at least two.
        return false;
    }
    const widerTokens = tokensOf(w);
    const narrowerTokens = tokensOf(n);
    const literals = [...new Set(widerTokens.flatMap((t) => (t.kind === "char" ? [t.char] : [])))];
    // DEL is in neither pattern (both are printable ASCII here): it stands for every character `wider` does not name.
    const alphabet = [...literals, "\x7f"];
    const accepting = widerTokens.length;

    /** The positions reachable from `positions` by skipping `*` (which may match nothing). */
    const closure = (positions: Iterable<number>): number[] => {
        const reached = new Set<number>();
        for (let position of positions) {
            reached.add(position);
            while (widerTokens[position]?.kind === "*") {
                position += 1;
                reached.add(position);
            }
        }
        return [...reached].sort((a, b) => a - b);
    };
    let work = 0;
    const step = (positions: number[], char: string): number[] => {
        work += positions.length;
        return closure(
            positions.flatMap((position) => {
                const token = widerTokens[position];
                return token === undefined
                    ? []
                    : token.kind === "*"
                      ? [position]
                      : token.kind === "?" || token.char === char
                        ? [position + 1]
                        : [];
            }),
        );
    };

    const seen = new Set<string>();
    const queue: Array<[number, number[]]> = [[0, closure([0])]];
    while (queue.length > 0) {
        const [index, positions] = queue.pop()!;
        const id = `${index}:${positions.join(",")}`;
        if (seen.has(id)) {
            continue;
        }
        seen.add(id);
        if (work > workBudget) {
            return false;
        }
        // No position left: every completion of `narrower` from here is a name `wider` misses.
        if (positions.length === 0) {
            return false;
        }
        const token = narrowerTokens[index];
        if (token === undefined) {
            if (!positions.includes(accepting)) {
                return false;
            }
        } else if (token.kind === "char") {
            queue.push([index + 1, step(positions, token.char)]);
        } else if (token.kind === "?") {
            alphabet.forEach((char) => queue.push([index + 1, step(positions, char)]));
        } else {
            queue.push([index + 1, positions]);
            alphabet.forEach((char) => queue.push([index, step(positions, char)]));
        }
    }
    return true;
}

/**
 * An action or resource field covers another: a pattern covers a pattern by language; a pattern
 * that matches every name covers a `Not…` list; a `Not…` list covers another when each name it
 * excludes is excluded by the other too. A `Not…` list against a plain pattern would need the two
 * languages to be disjoint: not covered, so the diff says "changed" rather than "no change".
 */
function fieldCovers(wider: GrantElement, narrower: GrantElement, ignoreCase: boolean): boolean {
    if (typeof wider === "string") {
        return patternCovers(wider, typeof narrower === "string" ? narrower : "*", ignoreCase);
    }
    return (
        typeof narrower !== "string" &&
        wider.not.every((excludedByWider) => narrower.not.some((n) => patternCovers(n, excludedByWider, ignoreCase)))
    );
}

/** Principals: `*` covers all; a NotPrincipal only itself; `<type>:<value>` by pattern, as written. */
const principalCovers = (wider: GrantElement, narrower: GrantElement) =>
    wider === "*" ||
    JSON.stringify(wider) === JSON.stringify(narrower) ||
    (typeof wider === "string" && typeof narrower === "string" && patternCovers(wider, narrower));

export function covers(wider: Grant, narrower: Grant): boolean {
    return (
        wider.effect === narrower.effect &&
        principalCovers(wider.principal, narrower.principal) &&
        fieldCovers(wider.action, narrower.action, true) &&
        fieldCovers(wider.resource, narrower.resource, false) &&
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
