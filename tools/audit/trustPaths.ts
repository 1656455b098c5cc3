// Whom a role's trust lets in, as the audit needs to know it: the principals that admit an account
// (its root, any principal in it, or anyone) to `sts:AssumeRole`, and those that are a SAML
// provider of an account (or anyone) for `sts:AssumeRoleWithSAML`. Read through the grants of
// tools/report/grants.ts, so a list, a wildcard or a NotPrincipal counts as IAM would count it.
import { covers, Grant, grantsOf } from "../report/grants";

const bare = (action: string): Grant => ({ effect: "Allow", principal: "*", action, resource: "*", conditions: [] });

/** An Allow grant reaches `action`: exactly, through a wildcard, or (NotAction) by not naming it. */
const allowsAction = (grant: Grant, action: string) =>
    grant.effect === "Allow" &&
    (grant.action.startsWith("NotAction ")
        ? !(JSON.parse(grant.action.slice("NotAction ".length)) as string | string[]).includes(action)
        : covers(bare(grant.action), bare(action)));

/** The principals (as grants name them: `AWS:<arn>`, `*`, …) of Allow grants for `action` that `admits` accepts. */
function principalsFor(trust: object, action: string, admits: RegExp): string[] {
    const principals = (grantsOf(trust) ?? [])
        .filter((grant) => allowsAction(grant, action))
        .map((grant) => grant.principal)
        .filter((principal) => principal === "*" || principal.startsWith("NotPrincipal ") || admits.test(principal));
    return [...new Set(principals)].sort();
}

/** The principals of `trust` that let `accountId` (any principal in it, or anyone) call `sts:AssumeRole`. */
export function principalsAdmitting(trust: object, accountId: string): string[] {
    return principalsFor(trust, "sts:AssumeRole", new RegExp(`^AWS:(\\*|${accountId}|arn:[\\w-]+:(iam|sts)::${accountId}:.*)$`));
}

/** The principals of `trust` that let a SAML provider of `accountId` (or anyone) call `sts:AssumeRoleWithSAML`. */
export function samlProvidersTrusted(trust: object, accountId: string): string[] {
    return principalsFor(trust, "sts:AssumeRoleWithSAML", new RegExp(`^Federated:(\\*|arn:[\\w-]+:iam::${accountId}:saml-provider/.+)$`));
}
