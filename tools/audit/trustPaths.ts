// Whom a role's trust lets in, as the audit needs to know it, read with an exact matcher: every
// Action/NotAction and Principal/NotPrincipal form (a string or a list) normalised to lists, actions
// matched as IAM matches them (case-insensitive, `*` and `?` wildcards), principals compared whole —
// never a substring test. A NotAction allows every action it does not match; a NotPrincipal admits
// everyone it does not name. Conditions are not read: a condition can only narrow a trust, so a
// trust is judged by what it could admit.
//
// IAM JSON policy elements: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html,
// …_notaction.html, …_principal.html, …_notprincipal.html.

import { covers, Grant } from "../plan/grants";

/** The STS actions that let a principal into a role; the rest (`sts:TagSession`, …) only go with one of them. */
const entryActions = ["sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity"] as const;

/** One statement, normalised. */
interface TrustStatement {
    effect: string;
    /** `Action` values, or with `not` the `NotAction` values. */
    actions: { not: boolean; values: string[] };
    /** `Type:value` strings (`AWS:arn:…`, `Federated:…`, `Service:…`) or `*`; with `not` the NotPrincipal's. */
    principals: { not: boolean; values: string[] };
}

/** A value a policy names, as text: a string as it is, anything else (not valid IAM) as its JSON, so it never matches by accident. */
const text = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));
const asList = (value: unknown): string[] => (value === undefined ? [] : Array.isArray(value) ? value.map(text) : [text(value)]);

function principalList(value: unknown): string[] {
    if (value === undefined) {
        return [];
    }
    if (value === "*") {
        return ["*"];
    }
    if (typeof value !== "object" || value === null) {
        return [`?:${text(value)}`];
    }
    return Object.entries(value as Record<string, unknown>).flatMap(([type, values]) => asList(values).map((v) => `${type}:${v}`));
}

/** The statements of a trust policy, normalised; a document that is not one has none. */
function trustStatements(trust: object): TrustStatement[] {
    const statements = (trust as { Statement?: unknown }).Statement;
    return (Array.isArray(statements) ? statements : statements === undefined ? [] : [statements])
        .filter((s): s is Record<string, unknown> => typeof s === "object" && s !== null)
        .map((s) => ({
            effect: String(s.Effect),
            actions: s.NotAction !== undefined ? { not: true, values: asList(s.NotAction) } : { not: false, values: asList(s.Action) },
            principals:
                s.NotPrincipal !== undefined
                    ? { not: true, values: principalList(s.NotPrincipal) }
                    : { not: false, values: principalList(s.Principal) },
        }));
}

const bare = (action: string): Grant => ({ effect: "Allow", principal: "*", action, resource: "*", conditions: [] });

/**
 * IAM's action matching, as the access diff compares grants (tools/report/grants.ts `covers`): the
 * service prefix and name case-insensitive, `*` any run of characters, `?` exactly one, whole names only.
 */
export function actionMatches(pattern: string, action: string): boolean {
    return covers(bare(pattern), bare(action));
}

/** Whether an Allow statement allows `action`: Action names it (wildcards included), or NotAction does not. */
function allows(statement: TrustStatement, action: string): boolean {
    if (statement.effect !== "Allow") {
        return false;
    }
    const named = statement.actions.values.some((pattern) => actionMatches(pattern, action));
    return statement.actions.not ? !named : named;
}

/** The account an AWS principal belongs to (`123456789012`, `arn:…:iam::123456789012:…`); undefined for `*` or a unique id. */
function accountOf(awsPrincipal: string): string | undefined {
    if (/^\d{12}$/.test(awsPrincipal)) {
        return awsPrincipal;
    }
    const account = awsPrincipal.split(":")[4];
    return awsPrincipal.startsWith("arn:") && /^\d{12}$/.test(account ?? "") ? account : undefined;
}

/** The principals of Allow statements for `action`, as written (`NotPrincipal <list>` for a NotPrincipal), sorted. */
function principalsFor(trust: object, action: string): string[] {
    const found = trustStatements(trust)
        .filter((statement) => allows(statement, action))
        .flatMap((statement) =>
            statement.principals.not ? [`NotPrincipal ${statement.principals.values.join(", ")}`] : statement.principals.values,
        );
    return [...new Set(found)].sort();
}

/** Whether a principal (as `principalsFor` writes it) could be someone of `accountId`. */
function couldBeOf(principal: string, accountId: string): boolean {
    if (principal === "*" || principal === "AWS:*" || principal.startsWith("NotPrincipal ")) {
        return true;
    }
    return principal.startsWith("AWS:") && accountOf(principal.slice("AWS:".length)) === accountId;
}

/** The principals of `trust` that let `accountId` (any principal in it, or anyone) call `sts:AssumeRole`. */
export function principalsAdmitting(trust: object, accountId: string): string[] {
    return principalsFor(trust, "sts:AssumeRole").filter((principal) => couldBeOf(principal, accountId));
}

/** The principals of `trust` that let a SAML provider of `accountId` (or anyone) call `sts:AssumeRoleWithSAML`. */
export function samlProvidersTrusted(trust: object, accountId: string): string[] {
    const provider = /^Federated:arn:[\w-]+:iam::(\d{12}):saml-provider\/.+$/;
    return principalsFor(trust, "sts:AssumeRoleWithSAML").filter(
        (principal) => principal === "*" || principal.startsWith("NotPrincipal ") || provider.exec(principal)?.[1] === accountId,
    );
}

/**
 * Every way into a role of `accountId` from outside it: the principals of Allow statements for an
 * entry action that are not the account's own — anyone, another account or its principals, a
 * federated provider (SAML or OIDC, which is someone from outside whatever account holds it), a
 * service acting for someone, or a NotPrincipal. Empty when only the account's own principals may enter.
 */
export function waysIn(trust: object, accountId: string): string[] {
    const found = entryActions.flatMap((action) =>
        principalsFor(trust, action).filter(
            (principal) => !(principal.startsWith("AWS:") && accountOf(principal.slice("AWS:".length)) === accountId),
        ),
    );
    return [...new Set(found)].sort();
}
