// Whom a role's trust lets in, as the audit needs to know it, read with an exact matcher: every
// Action/NotAction and Principal/NotPrincipal form (a string or a list) normalised to lists, actions
// matched as IAM matches them (case-insensitive, `*` and `?` wildcards), principals compared whole —
// never a substring test. A NotAction allows every action it does not match; a NotPrincipal admits
// everyone it does not name. Conditions are not read: a condition can only narrow a trust, so a
// trust is judged by what it could admit.
//
// IAM JSON policy elements: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html,
// …_notaction.html, …_principal.html, …_notprincipal.html.

import { nameText, Principal, PrincipalElement, principalText, readIamDocument } from "../../components/iamDocument";
import { covers, Grant } from "../plan/grants";

/** The STS actions that let a principal into a role; the rest (`sts:TagSession`, …) only go with one of them. */
const entryActions = ["sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity"] as const;

/** Who a statement lets in: one principal, or a NotPrincipal's everyone-but list. */
export type Admitted = { principal: Principal } | { allBut: Principal[] };

const bare = (action: string): Grant => ({ effect: "Allow", principal: "*", action, resource: "*", conditions: [] });

/**
 * IAM's action matching, as the access diff compares grants (tools/report/grants.ts `covers`): the
 * service prefix and name case-insensitive, `*` any run of characters, `?` exactly one, whole names only.
 */
export function actionMatches(pattern: string, action: string): boolean {
    return covers(bare(pattern), bare(action));
}

/** Whether an Allow statement allows `action`: Action names it (wildcards included), or NotAction does not. */
function allows(effect: unknown, actions: { not: boolean; values: unknown[] } | undefined, action: string): boolean {
    if (effect !== "Allow") {
        return false;
    }
    const named = (actions?.values ?? []).some((pattern) => actionMatches(nameText(pattern), action));
    return actions?.not ? !named : named;
}

/** The account an AWS principal belongs to (`123456789012`, `arn:…:iam::123456789012:…`); undefined for `*` or a unique id. */
function accountOf(awsPrincipal: string): string | undefined {
    if (/^\d{12}$/.test(awsPrincipal)) {
        return awsPrincipal;
    }
    const account = awsPrincipal.split(":")[4];
    return awsPrincipal.startsWith("arn:") && /^\d{12}$/.test(account ?? "") ? account : undefined;
}

/** The AWS principal's value, if `principal` is one. */
const awsValue = (principal: Principal): string | undefined =>
    principal.form === "typed" && principal.type === "AWS" ? nameText(principal.value) : undefined;

/** What a Principal/NotPrincipal element admits; nothing without one. */
function admittedBy(element: PrincipalElement | undefined): Admitted[] {
    if (!element) {
        return [];
    }
    return element.not ? [{ allBut: element.principals }] : element.principals.map((principal) => ({ principal }));
}

/** The admitted principals of Allow statements for `action`. */
function admittedFor(trust: object, action: string): Admitted[] {
    return (readIamDocument(trust)?.statements ?? [])
        .filter((statement) => allows(statement.effect, statement.actions, action))
        .flatMap((statement) => admittedBy(statement.principal));
}

/** Admitted principals as the audit writes them (`NotPrincipal <list>` for a NotPrincipal), distinct and sorted. */
function written(admitted: Admitted[]): string[] {
    const texts = admitted.map((a) =>
        "allBut" in a ? `NotPrincipal ${a.allBut.map(principalText).join(", ")}` : principalText(a.principal),
    );
    return [...new Set(texts)].sort();
}

/** Whether an admitted principal is anyone at all: `*`, `AWS:*`, or a NotPrincipal (everyone but a few). */
const anyone = (admitted: Admitted) => "allBut" in admitted || admitted.principal.form === "*" || awsValue(admitted.principal) === "*";

/** Whether an admitted principal could be someone of `accountId`. */
function couldBeOf(admitted: Admitted, accountId: string): boolean {
    if (anyone(admitted)) {
        return true;
    }
    const aws = "principal" in admitted ? awsValue(admitted.principal) : undefined;
    return aws !== undefined && accountOf(aws) === accountId;
}

/** Who `trust` lets call `sts:AssumeRole` of those that could be someone of `accountId` (any principal in it, or anyone). */
export function admittedFrom(trust: object, accountId: string): Admitted[] {
    return admittedFor(trust, "sts:AssumeRole").filter((admitted) => couldBeOf(admitted, accountId));
}

/** The principals of `trust` that let `accountId` (any principal in it, or anyone) call `sts:AssumeRole`, as the audit writes them. */
export function principalsAdmitting(trust: object, accountId: string): string[] {
    return written(admittedFrom(trust, accountId));
}

/** Whether one of `admitted` is the principal `arn` itself, or anyone. */
export const admitsPrincipal = (admitted: Admitted[], arn: string): boolean =>
    admitted.some((each) => anyone(each) || ("principal" in each && awsValue(each.principal) === arn));

/** The principals of `trust` that let a SAML provider of `accountId` (or anyone) call `sts:AssumeRoleWithSAML`. */
export function samlProvidersTrusted(trust: object, accountId: string): string[] {
    const provider = /^arn:[\w-]+:iam::(\d{12}):saml-provider\/.+$/;
    const isProviderOf = (principal: Principal) =>
        principal.form === "typed" && principal.type === "Federated" && provider.exec(nameText(principal.value))?.[1] === accountId;
    return written(
        admittedFor(trust, "sts:AssumeRoleWithSAML").filter(
            (admitted) => "allBut" in admitted || admitted.principal.form === "*" || isProviderOf(admitted.principal),
        ),
    );
}

/**
 * Every way into a role of `accountId` from outside it: the principals of Allow statements for an
 * entry action that are not the account's own — anyone, another account or its principals, a
 * federated provider (SAML or OIDC, which is someone from outside whatever account holds it), a
 * service acting for someone, or a NotPrincipal. Empty when only the account's own principals may enter.
 */
export function waysIn(trust: object, accountId: string): string[] {
    const own = (admitted: Admitted) => {
        const aws = "principal" in admitted ? awsValue(admitted.principal) : undefined;
        return aws !== undefined && accountOf(aws) === accountId;
    };
    return written(entryActions.flatMap((action) => admittedFor(trust, action).filter((admitted) => !own(admitted))));
}
