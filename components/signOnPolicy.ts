// The Okta app sign-on (authentication) policy of the AWS app and okta-aws-cli's app: no catch-all,
// two factors on every ALLOW rule, and a stricter rule of its own for each emergency role's group.
import * as crypto from "crypto";
import * as okta from "@pulumi/okta";
import * as pulumi from "@pulumi/pulumi";
import { withProviderDefaults } from "./providerBehaviour";

/** `mfa`: any two factors. `phishingResistant`: two factors, one of them phishing-resistant (FIDO2/WebAuthn, Okta FastPass). */
export const signOnAssurances = ["mfa", "phishingResistant"] as const;
export type SignOnAssurance = (typeof signOnAssurances)[number];

/**
 * "Every sign-in attempt" as a re-authentication frequency (okta.AppSignonPolicyRule
 * `reAuthenticationFrequency`: "PT0S - Every sign-in attempt").
 */
const everySignIn = "PT0S";

/**
 * The authenticator constraint that requires a phishing-resistant possession factor (Okta Policy
 * API, verification method constraints: `possession.phishingResistant: REQUIRED`). The provider
 * takes each constraint object as a JSON string (`constraints: jsonencode({...})` in
 * terraform-provider-okta's docs/resources/app_signon_policy_rule.md).
 */
export const phishingResistantConstraint = JSON.stringify({ possession: { phishingResistant: "REQUIRED" } });

/** One rule of the policy, as this program decides it: plain values, the group by its stable key. */
export interface SignOnRuleSpec {
    /** Stable key: the child's name suffix. */
    key: string;
    /** The rule's name in Okta. */
    name: string;
    /** Okta evaluates a policy's rules by priority, lowest first, and applies the first that matches. */
    priority: number;
    access: "ALLOW" | "DENY";
    /** `2FA` on every ALLOW rule. */
    factorMode?: "2FA";
    constraints?: string[];
    reAuthenticationFrequency?: string;
    networkConnection: "ANYWHERE" | "ZONE";
    networkIncludes?: string[];
    /** The emergency role whose Okta group the rule is limited to. */
    emergencyRole?: string;
}

/** What the policy enforces: plain, from the identity stack's config. */
export interface SignOnSettings {
    /** Two factors, or two factors with a phishing-resistant one. */
    readonly assurance: SignOnAssurance;
    /** ISO 8601 duration after which people sign in again (`PT12H`). */
    readonly reauthenticate: string;
    /** Okta network zone ids people may sign in from; anywhere when not given. */
    readonly networkZones?: string[];
    /** Emergency federated roles, each reached through an Okta group of its own. */
    readonly emergencyRoles: string[];
}

/** The policy's name in Okta: after the AWS app it guards (authentication policy names are unique in an org). */
export function signOnPolicyName(appLabel: string): string {
    return `${appLabel} sign-on (okta-aws)`;
}

/** Okta policy rule names are short: a long one keeps its start and a digest of the whole. */
export function signOnRuleName(text: string, max = 50): string {
    if (text.length <= max) {
        return text;
    }
    const digest = crypto.createHash("sha256").update(text).digest("hex").slice(0, 8);
    return `${text.slice(0, max - 9)}-${digest}`;
}

/**
 * The policy's rules, in priority order. First, one rule per emergency role, limited to that
 * role's group: phishing-resistant and re-authenticating at every sign-in (whoever is in the group
 * at the moment of need meets the strongest requirement for all of the app). Then everyone else
 * with two factors. Last, an explicit DENY: the policy is created with `catchAll: false` (its
 * catch-all rule set to DENY), but that argument only applies at creation ("This is only applied
 * during creation and does not affect import or update", okta.AppSignonPolicy; terraform-provider-okta
 * PR #2153, #2240) and the catch-all stays editable in the Admin Console, so the program's own
 * lowest rule denies whatever the rules above do not allow (the workaround in
 * terraform-provider-okta #1251). No rule has a device condition: okta-aws-cli's token exchange
 * carries no device state and fails such a rule (okta-aws-cli PR #205, "Device State = Any").
 */
export function signOnRules(settings: SignOnSettings): SignOnRuleSpec[] {
    const network = settings.networkZones?.length
        ? { networkConnection: "ZONE" as const, networkIncludes: [...settings.networkZones].sort() }
        : { networkConnection: "ANYWHERE" as const };
    const emergency = [...settings.emergencyRoles].sort().map((role): Omit<SignOnRuleSpec, "priority"> => ({
        key: `emergency-${role}`,
        name: signOnRuleName(`Emergency ${role}`),
        access: "ALLOW",
        factorMode: "2FA",
        constraints: [phishingResistantConstraint],
        reAuthenticationFrequency: everySignIn,
        ...network,
        emergencyRole: role,
    }));
    const everyone: Omit<SignOnRuleSpec, "priority"> = {
        key: "two-factors",
        name: settings.assurance === "phishingResistant" ? "Two factors, phishing-resistant" : "Two factors",
        access: "ALLOW",
        factorMode: "2FA",
        ...(settings.assurance === "phishingResistant" && { constraints: [phishingResistantConstraint] }),
        reAuthenticationFrequency: settings.reauthenticate,
        ...network,
    };
    const denyRest: Omit<SignOnRuleSpec, "priority"> = {
        key: "deny-others",
        name: "Deny everything else",
        access: "DENY",
        networkConnection: "ANYWHERE",
    };
    return [...emergency, everyone, denyRest].map((rule, i) => ({ ...rule, priority: i + 1 }));
}

/** The okta.AppSignonPolicyRule inputs of a rule, with its emergency group's id. */
export function signOnRuleArgs(
    rule: SignOnRuleSpec,
    policyId: pulumi.Input<string>,
    groupId?: pulumi.Input<string>,
): okta.AppSignonPolicyRuleArgs {
    // The provider sends a verification method on every rule, a DENY rule's too, filled from its
    // schema's Defaults (components/providerBehaviour.ts): sent here as it goes, so the plan shows it.
    return withProviderDefaults("okta:index/appSignonPolicyRule:AppSignonPolicyRule", {
        policyId,
        name: rule.name,
        priority: rule.priority,
        status: "ACTIVE",
        access: rule.access,
        ...(rule.access === "ALLOW" && { type: "ASSURANCE", factorMode: rule.factorMode }),
        ...(rule.constraints && { constraints: rule.constraints }),
        ...(rule.reAuthenticationFrequency && { reAuthenticationFrequency: rule.reAuthenticationFrequency }),
        networkConnection: rule.networkConnection,
        ...(rule.networkIncludes && { networkIncludes: rule.networkIncludes }),
        ...(groupId !== undefined && { groupsIncluded: [groupId] }),
    });
}

/**
 * The arguments of a SignOnPolicy. The settings are plain (they decide which rules exist); the
 * emergency groups' ids are Inputs (the groups' outputs).
 */
export interface SignOnPolicyArgs extends Omit<SignOnSettings, "emergencyRoles"> {
    /** The policy's name in Okta (unique among the org's authentication policies). */
    readonly policyName: string;
    /** The Okta group of each emergency federated role, by role name. */
    readonly emergencyGroups: Record<string, pulumi.Input<string>>;
}

/**
 * The app sign-on policy the AWS app and okta-aws-cli's app are assigned (through each app's own
 * `authenticationPolicy`, so no update of an app resets it: terraform-provider-okta #1817). Both
 * apps carry the same policy, as okta-aws-cli's token exchange fails when the AWS app's policy is
 * stricter than the CLI app's ("The application's assurance requirements are not met by the
 * 'subject_token'", okta-aws-cli #153, #299). Deleting it would leave the apps on Okta's default
 * policy: the identity stack protects it. Identity Engine only (okta.AppSignonPolicy).
 */
export class SignOnPolicy extends pulumi.ComponentResource {
    public readonly policy: okta.AppSignonPolicy;
    public readonly policyId: pulumi.Output<string>;
    /** The Okta rule names, in priority order. */
    public readonly ruleNames: string[];
    public readonly assurance: SignOnAssurance;
    public readonly reauthenticate: string;
    public readonly networkZones?: string[];

    constructor(name: string, args: SignOnPolicyArgs, opts?: pulumi.ComponentResourceOptions) {
        super("okta-aws:identity:SignOnPolicy", name, {}, opts);

        this.policy = new okta.AppSignonPolicy(
            `${name}-policy`,
            {
                name: args.policyName,
                description: "Okta → AWS federation: two factors on every rule, no catch-all (okta-aws)",
                catchAll: false,
            },
            { parent: this },
        );
        const rules = signOnRules({ ...args, emergencyRoles: Object.keys(args.emergencyGroups) });
        // Okta may mis-order rules written concurrently; the provider asks for explicit dependsOn
        // between rules "especially when managing rule priorities" (okta.AppSignonPolicyRule).
        let previous: okta.AppSignonPolicyRule | undefined;
        for (const rule of rules) {
            previous = new okta.AppSignonPolicyRule(
                `${name}-${rule.key}`,
                signOnRuleArgs(
                    rule,
                    this.policy.id,
                    rule.emergencyRole === undefined ? undefined : args.emergencyGroups[rule.emergencyRole],
                ),
                { parent: this, dependsOn: previous ? [previous] : [] },
            );
        }

        this.policyId = this.policy.id;
        this.ruleNames = rules.map((rule) => rule.name);
        this.assurance = args.assurance;
        this.reauthenticate = args.reauthenticate;
        this.networkZones = args.networkZones && [...args.networkZones].sort();
        this.registerOutputs({ policyId: this.policyId, ruleNames: this.ruleNames });
    }
}
