// Okta as the judge of sign-on: the AWS app's authentication policy, read from the plan's rule
// inputs, evaluated as Okta Identity Engine does — rules by priority, lowest first, and the first
// whose conditions match decides (Okta's "Policy evaluation": the rule's access, then the
// authenticators it requires); when none matches, the policy's catch-all rule decides.
import type { PlannedResource } from "../plan/model";
import type { Decision } from "./simulator";

/** One authenticator a person presents, by its Okta authenticator class. */
export interface Authenticator {
    name: string;
    method: "knowledge" | "possession";
    phishingResistant: boolean;
}

export const password: Authenticator = { name: "password", method: "knowledge", phishingResistant: false };
export const oktaVerifyPush: Authenticator = { name: "Okta Verify push", method: "possession", phishingResistant: false };
export const securityKey: Authenticator = { name: "FIDO2 security key", method: "possession", phishingResistant: true };

/** One sign-in to the AWS app as Okta sees it. */
export interface SignOnAttempt {
    /** The person's Okta user id, when the plan has one (a stand-in group member has none). */
    userId?: string;
    /** The Okta group ids the person is in. */
    groupIds: string[];
    /** The Okta network zone the request comes from; undefined: none of the org's zones. */
    zone?: string;
    authenticators: Authenticator[];
}

/** A rule's inputs as the program sends them, with the provider's defaults where it sends none. */
interface RuleInputs {
    name: string;
    priority: number;
    status: string;
    access: string;
    factorMode: string;
    type: string;
    constraints: string[];
    networkConnection: string;
    networkIncludes: string[];
    networkExcludes: string[];
    groupsIncluded: string[];
    groupsExcluded: string[];
    usersIncluded: string[];
    usersExcluded: string[];
    /** Conditions this evaluator does not model: a rule carrying one cannot be judged offline. */
    unmodelled: string[];
}

// Conditions Okta can put on a rule that the program never sets; judging them would need the
// device, platform, risk or user type of a sign-in, which an offline plan has no honest value for.
const unmodelledConditions = [
    "chains",
    "customExpression",
    "deviceAssurancesIncluded",
    "deviceIsManaged",
    "deviceIsRegistered",
    "platformIncludes",
    "riskScore",
    "userTypesExcluded",
    "userTypesIncluded",
] as const;

/** The authentication policy an app is assigned, with its rules in evaluation order. */
export interface PlannedSignOnPolicy {
    policyId: string;
    /** The policy's `catchAll` input: false sets its catch-all rule to DENY; otherwise it allows one factor. */
    catchAll: boolean;
    rules: RuleInputs[];
}

const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

/**
 * The policy the app resource is assigned (its `authenticationPolicy` input) and that policy's
 * rules, by the provider's defaults where an input is absent (`access` ALLOW, `factorMode` 2FA,
 * `status` ACTIVE, `networkConnection` ANYWHERE, `type` ASSURANCE: okta.AppSignonPolicyRule).
 * Undefined when the app names no policy: Okta then applies the org's default policy.
 */
export function plannedSignOnPolicy(resources: PlannedResource[], app: PlannedResource): PlannedSignOnPolicy | undefined {
    const policyId = app.inputs.authenticationPolicy;
    if (typeof policyId !== "string") {
        return undefined;
    }
    const policies = resources.filter((r) => r.type === "okta:index/appSignonPolicy:AppSignonPolicy");
    const rules = resources
        .filter((r) => r.type === "okta:index/appSignonPolicyRule:AppSignonPolicyRule" && r.inputs.policyId === policyId)
        .map(({ inputs }): RuleInputs => ({
            name: String(inputs.name),
            // Okta puts a rule without a priority last, before the catch-all.
            priority: typeof inputs.priority === "number" ? inputs.priority : Number.MAX_SAFE_INTEGER,
            status: typeof inputs.status === "string" ? inputs.status : "ACTIVE",
            access: typeof inputs.access === "string" ? inputs.access : "ALLOW",
            factorMode: typeof inputs.factorMode === "string" ? inputs.factorMode : "2FA",
            type: typeof inputs.type === "string" ? inputs.type : "ASSURANCE",
            constraints: list(inputs.constraints),
            networkConnection: typeof inputs.networkConnection === "string" ? inputs.networkConnection : "ANYWHERE",
            networkIncludes: list(inputs.networkIncludes),
            networkExcludes: list(inputs.networkExcludes),
            groupsIncluded: list(inputs.groupsIncluded),
            groupsExcluded: list(inputs.groupsExcluded),
            usersIncluded: list(inputs.usersIncluded),
            usersExcluded: list(inputs.usersExcluded),
            unmodelled: unmodelledConditions.filter((key) => {
                const value = inputs[key];
                return value !== undefined && !(Array.isArray(value) && value.length === 0) && !(key === "riskScore" && value === "ANY");
            }),
        }))
        .sort((a, b) => a.priority - b.priority || a.name.localeCompare(b.name));
    // A policy the plan does not create (an id typed by hand): its catch-all is unknown, taken as Okta's default, ALLOW.
    const policy = policies.length === 1 ? policies[0] : undefined;
    return { policyId, catchAll: policy?.inputs.catchAll !== false, rules };
}

/** Whether a rule's conditions hold for the attempt (a rule with an unmodelled condition is reported, not guessed). */
function matches(rule: RuleInputs, attempt: SignOnAttempt): boolean {
    const inGroup = (ids: string[]) => ids.some((id) => attempt.groupIds.includes(id));
    const isUser = (ids: string[]) => attempt.userId !== undefined && ids.includes(attempt.userId);
    if (rule.groupsIncluded.length > 0 || rule.usersIncluded.length > 0) {
        if (!inGroup(rule.groupsIncluded) && !isUser(rule.usersIncluded)) return false;
    }
    if (inGroup(rule.groupsExcluded) || isUser(rule.usersExcluded)) return false;
    switch (rule.networkConnection) {
        case "ANYWHERE":
            return true;
        case "ZONE":
            return (
                (rule.networkIncludes.length === 0 || (attempt.zone !== undefined && rule.networkIncludes.includes(attempt.zone))) &&
                !(attempt.zone !== undefined && rule.networkExcludes.includes(attempt.zone))
            );
        default:
            throw new Error(`network connection ${rule.networkConnection} is not modelled`);
    }
}

/** Whether the authenticators meet an ALLOW rule's factor mode and constraints. */
function satisfies(rule: RuleInputs, authenticators: Authenticator[]): { met: boolean; why: string } {
    const methods = new Set(authenticators.map((a) => a.method));
    if (rule.factorMode === "2FA" && methods.size < 2) {
        return { met: false, why: "it requires two factor types and the sign-in presents one" };
    }
    if (rule.factorMode !== "2FA" && rule.factorMode !== "1FA") {
        throw new Error(`factor mode ${rule.factorMode} is not modelled`);
    }
    for (const text of rule.constraints) {
        const constraint = JSON.parse(text) as Record<string, Record<string, unknown>>;
        for (const [method, requirement] of Object.entries(constraint)) {
            for (const [key, value] of Object.entries(requirement)) {
                if (method === "possession" && key === "phishingResistant" && value === "REQUIRED") {
                    if (!authenticators.some((a) => a.method === "possession" && a.phishingResistant)) {
                        return { met: false, why: "it requires a phishing-resistant authenticator" };
                    }
                } else {
                    throw new Error(`constraint ${method}.${key} is not modelled`);
                }
            }
        }
    }
    return { met: true, why: "its authenticators are met" };
}

/**
 * Okta's decision on one sign-in, with the rule that made it. A rule this evaluator cannot judge
 * throws, as the IAM judge does for a context key it would ignore: the check would prove nothing.
 */
export function evaluateSignOn(policy: PlannedSignOnPolicy, attempt: SignOnAttempt): { decision: Decision; reason: string } {
    for (const rule of policy.rules) {
        if (rule.status !== "ACTIVE") continue;
        if (rule.unmodelled.length > 0) {
            throw new Error(`rule "${rule.name}" has conditions this evaluator does not model (${rule.unmodelled.join(", ")})`);
        }
        if (rule.type !== "ASSURANCE") {
            throw new Error(`rule "${rule.name}" has verification type ${rule.type}, which is not modelled`);
        }
        if (!matches(rule, attempt)) continue;
        if (rule.access !== "ALLOW") {
            return { decision: "denied", reason: `rule "${rule.name}" (priority ${rule.priority}) denies` };
        }
        const { met, why } = satisfies(rule, attempt.authenticators);
        return { decision: met ? "allowed" : "denied", reason: `rule "${rule.name}" (priority ${rule.priority}): ${why}` };
    }
    return policy.catchAll
        ? { decision: "allowed", reason: "no rule matches; the catch-all rule allows one factor" }
        : { decision: "denied", reason: "no rule matches; the catch-all rule denies" };
}
