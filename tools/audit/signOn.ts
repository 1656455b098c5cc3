// The sign-on (authentication) policy of the code's apps, live against the code: which policy each
// app uses, and its rules in priority order, compared field by field — who a rule covers (network,
// groups, users), whether it allows, and how (factor mode, assurance type, constraints,
// re-authentication) — and its system catch-all rule's access. Whatever differs is drift: "MFA on
// by default" holds on the live org only when the live rules are the code's.
//
// The code's rules are the okta_app_signon_policy_rule inputs; the provider sends them to Okta's
// Policy API as an ACCESS_POLICY rule (okta/terraform-provider-okta v6.12.0,
// okta/services/idaas/resource_okta_app_signon_policy_rule.go `buildAppSignOnPolicyRule`, whose
// schema defaults are ALLOW, 2FA, ASSURANCE, PT2H, ANYWHERE, ACTIVE); `catch_all = false` sets the
// policy's system catch-all rule to DENY (resource_okta_app_signon_policy.go). The live rules are
// read as https://developer.okta.com/docs/api/openapi/okta-management/management/tag/Policy/#tag/Policy/operation/listPolicyRules
// returns them.
import type { PlannedResource } from "../plan/model";
import type { OktaPolicyRule } from "./okta";

/** One rule as the audit compares it: each field as text, so two rules differ exactly where a field does. */
type ComparableRule = Record<string, string>;

/** Canonical JSON: keys sorted at every depth, so two equal documents read the same. */
function canonical(value: unknown): string {
    if (Array.isArray(value)) {
        return `[${value.map(canonical).join(",")}]`;
    }
    if (value && typeof value === "object") {
        return `{${Object.keys(value)
            .sort()
            .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
            .join(",")}}`;
    }
    return JSON.stringify(value ?? null);
}

/** A field as text: a string or number as it is, absent as the default, anything else as its JSON. */
const textOf = (value: unknown, fallback = "") =>
    value === undefined || value === null
        ? fallback
        : typeof value === "string" || typeof value === "number"
          ? String(value)
          : JSON.stringify(value);

const sortedList = (value: unknown) => canonical([...((value as unknown[] | null | undefined) ?? [])].map(String).sort());

export interface PlannedSignOn {
    policyId: string;
    /** The code's apps that use it: the AWS app and okta-aws-cli's. */
    appIds: string[];
    /** The code's rules by name, in priority order. */
    rules: Map<string, ComparableRule>;
    /** The system catch-all rule's access: DENY unless the policy keeps Okta's catch-all. */
    catchAllAccess: string;
}

/**
 * The code's sign-on policy from the identity stack's resources (the apps by their ids in the code's
 * state, the policy's and its rules' group and user ids translated by `stateId` from the plan's);
 * undefined when the code makes none.
 */
export function plannedSignOn(
    resources: PlannedResource[],
    appIds: { saml?: string; cli?: string },
    stateId: (planId: string) => string | undefined = (id) => id,
): PlannedSignOn | undefined {
    const policy = resources.find((r) => r.type === "okta:index/appSignonPolicy:AppSignonPolicy");
    const rules = resources
        .filter((r) => r.type === "okta:index/appSignonPolicyRule:AppSignonPolicyRule")
        .map((r) => r.inputs)
        .sort((a, b) => Number(a.priority) - Number(b.priority));
    const policyId = rules[0]?.policyId as string | undefined;
    if (!policy || policyId === undefined) {
        return undefined;
    }
    const uses = (type: string) => resources.some((r) => r.type === type && r.inputs.authenticationPolicy === policyId);
    // An id the state does not name stays the plan's: it matches nothing live, so it shows as drift.
    const ids = (value: unknown) => (value as string[] | undefined)?.map((id) => stateId(id) ?? id);
    return {
        policyId: stateId(policyId) ?? policyId,
        appIds: [
            ...(appIds.saml !== undefined && uses("okta:app/saml:Saml") ? [appIds.saml] : []),
            ...(appIds.cli !== undefined && uses("okta:app/oAuth:OAuth") ? [appIds.cli] : []),
        ],
        rules: new Map(
            rules.map((inputs) => [
                String(inputs.name),
                {
                    priority: textOf(inputs.priority, ""),
                    status: textOf(inputs.status, "ACTIVE"),
                    access: textOf(inputs.access, "ALLOW"),
                    factorMode: textOf(inputs.factorMode, "2FA"),
                    type: textOf(inputs.type, "ASSURANCE"),
                    reauthenticateIn: textOf(inputs.reAuthenticationFrequency, "PT2H"),
                    constraints: canonical(((inputs.constraints as string[] | undefined) ?? []).map((c) => JSON.parse(c) as unknown)),
                    network: textOf(inputs.networkConnection, "ANYWHERE"),
                    networkIncludes: sortedList(inputs.networkIncludes),
                    networkExcludes: sortedList(inputs.networkExcludes),
                    groupsIncluded: sortedList(ids(inputs.groupsIncluded)),
                    groupsExcluded: sortedList(ids(inputs.groupsExcluded)),
                    usersIncluded: sortedList(ids(inputs.usersIncluded)),
                    usersExcluded: sortedList(ids(inputs.usersExcluded)),
                },
            ]),
        ),
        catchAllAccess: policy.inputs.catchAll === false ? "DENY" : "ALLOW",
    };
}

/** A live rule of Okta's Policy API, read into the same fields. */
function liveRule(rule: OktaPolicyRule): ComparableRule {
    const conditions = (rule.conditions ?? {}) as {
        network?: { connection?: string; include?: string[]; exclude?: string[] };
        people?: { groups?: { include?: string[]; exclude?: string[] }; users?: { include?: string[]; exclude?: string[] } };
    };
    const signOn = ((rule.actions ?? {}) as { appSignOn?: { access?: string; verificationMethod?: Record<string, unknown> } }).appSignOn;
    const method = signOn?.verificationMethod ?? {};
    return {
        priority: String(rule.priority ?? ""),
        status: rule.status,
        access: String(signOn?.access ?? ""),
        factorMode: textOf(method.factorMode, ""),
        type: textOf(method.type, ""),
        reauthenticateIn: textOf(method.reauthenticateIn, ""),
        constraints: canonical(method.constraints ?? []),
        network: String(conditions.network?.connection ?? "ANYWHERE"),
        networkIncludes: sortedList(conditions.network?.include),
        networkExcludes: sortedList(conditions.network?.exclude),
        groupsIncluded: sortedList(conditions.people?.groups?.include),
        groupsExcluded: sortedList(conditions.people?.groups?.exclude),
        usersIncluded: sortedList(conditions.people?.users?.include),
        usersExcluded: sortedList(conditions.people?.users?.exclude),
    };
}

/** Every difference of a policy's live rules from the code's, one line each (none: the same). */
export function ruleDifferences(planned: PlannedSignOn, live: OktaPolicyRule[]): string[] {
    const lines: string[] = [];
    const custom = live.filter((rule) => rule.system !== true);
    for (const [name, rule] of planned.rules) {
        const found = custom.find((r) => r.name === name);
        if (!found) {
            lines.push(`rule "${name}" is missing`);
            continue;
        }
        const actual = liveRule(found);
        const changed = Object.keys(rule).filter((field) => rule[field] !== actual[field]);
        if (changed.length) {
            lines.push(`rule "${name}": ${changed.map((field) => `${field} ${rule[field]} → ${actual[field]}`).join(", ")}`);
        }
    }
    for (const rule of custom.filter((r) => !planned.rules.has(r.name))) {
        const actual = liveRule(rule);
        lines.push(
            `rule "${rule.name}" is not the code's (priority ${actual.priority}, ${actual.status}, ${actual.access}, ${actual.factorMode})`,
        );
    }
    for (const rule of live.filter((r) => r.system === true)) {
        const access = liveRule(rule).access;
        if (access !== planned.catchAllAccess) {
            lines.push(`catch-all rule "${rule.name}": access ${planned.catchAllAccess} → ${access}`);
        }
    }
    return lines;
}
