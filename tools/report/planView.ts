// What the reports read from a plan beside its access rows: the sign-on policy with its rules as
// they deploy, the emergency roles, and each member role's policies and boundary. Read from the
// stacks' outputs and resources, never recomputed from configuration.
import { chainedSessionSeconds } from "../../components/awsSignInLimits";
import { roleNameOf } from "../../components/names";
import type { CrossAccountRoleOutput, MemberOutputs } from "../../components/outputs";
import type { OktaObject } from "../mock/providers";
import type { AccessRow, Plan, StackPlan } from "../plan/model";

/** The words every report uses when the program leaves sign-on to the Okta org (`okta-aws:signOnPolicy: false`). */
export const noMfa = "no MFA enforced by this program";

/** The chained-session limit, said once in the console summary and in access.md, with roleChainingDoc. */
export const chainedSessions =
    "Member-account sessions are role-chained (identity account role → member role): each lasts at most one hour, whatever a member role's maxSessionDuration says";

/** AWS IAM: "role chaining limits your AWS CLI or AWS API role session to a maximum of one hour". */
export const roleChainingDoc = "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-role-chaining";

/**
 * Whether a grant signs in straight into its member role (direct sign-in, Okta's multi-account
 * setup: the SAML sign-in's role is the member role itself) rather than switching into it from a
 * federated role of the identity account.
 */
export const isDirect = (row: AccessRow): boolean => row.samlRoleArn === row.targetRoleArn;

/** A grant's path in words: `direct`, or `via <federated role>` for a chained grant. */
export const grantPath = (row: AccessRow): string => (isDirect(row) ? "direct" : `via ${roleNameOf(row.samlRoleArn)}`);

/**
 * The longest session a direct sign-in gives, by member role ARN: the role's own maxSessionDuration
 * (the member stack's `crossAccountRoles` output), capped by the Okta app's sessionDuration, the
 * SessionDuration Okta sends (AWS refuses a SAML sign-in asking for more than the role's maximum,
 * IAM User Guide, "Configure SAML assertions for the authentication response").
 */
export function directSessionsOf(plan: PlanStacks): Record<string, number> {
    const appSession = (identityOf(plan)?.outputs.oktaAppSettings as { sessionDuration?: unknown } | undefined)?.sessionDuration;
    const cap = typeof appSession === "number" ? appSession : Infinity;
    return Object.fromEntries(
        [...memberRolesOf(plan)].map(([arn, role]) => [
            arn,
            // IAM API Reference, CreateRole: MaxSessionDuration defaults to 3600 seconds.
            Math.min(role.maxSessionDuration ?? 3600, cap),
        ]),
    );
}

/** The longest session a grant gives: one hour when chained; when direct, `directSessions` says (one hour when unknown). */
export const sessionSecondsOf = (row: AccessRow, directSessions: Record<string, number>): number =>
    isDirect(row) ? (directSessions[row.targetRoleArn] ?? chainedSessionSeconds) : chainedSessionSeconds;

/** A session length in words: `1 h`, `90 min`, `12 h`, or seconds when it is no whole minute. */
export function sessionText(seconds: number): string {
    return seconds % 3600 === 0 ? `${seconds / 3600} h` : seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;
}

/**
 * The session note of access.md and the console, for grants some of which sign in directly: the
 * chained note for the chained member accounts only, and what a direct sign-in gives. Undefined when
 * no grant is direct (the chained note, `chainedSessions`, says it all).
 */
export function sessionNotes(rows: AccessRow[]): string[] | undefined {
    if (!rows.some(isDirect)) {
        return undefined;
    }
    const accounts = (direct: boolean) => new Set(rows.filter((r) => isDirect(r) === direct).map((r) => r.targetAccountId)).size;
    const [chained, direct] = [accounts(false), accounts(true)];
    const counted = (n: number) => `${n} member account${n === 1 ? "" : "s"}`;
    return [
        ...(chained > 0
            ? [
                  `Chained grants (${counted(chained)}) are role-chained (identity account role → member role): each session lasts at most one hour, whatever a member role's maxSessionDuration says`,
              ]
            : []),
        `Direct grants (${counted(direct)}) sign in to the member role itself: a session lasts as long as the role's maxSessionDuration allows, capped by the Okta app's sessionDuration (the session column)`,
    ];
}

/** How emergency roles are held, said above their list in every report. */
export const emergencyHolding =
    "held by nobody day to day: an Okta admin adds a person to the role's Okta group at the moment of need and removes them afterwards; the program never manages the group's members";

/** One rule of the sign-on policy, from its okta.AppSignonPolicyRule inputs. */
export interface SignOnRuleView {
    name: string;
    priority: number;
    access: string;
    twoFactors: boolean;
    phishingResistant: boolean;
    /** ISO 8601 duration; `PT0S` is every sign-in. */
    reauthenticate?: string;
    /** The Okta network zones it is limited to; anywhere when absent. */
    networkZones?: string[];
    /** The Okta groups it is limited to, by name; everyone the app is assigned to when empty. */
    groups: string[];
}

/** The sign-on policy of the AWS app and okta-aws-cli's app. */
export interface SignOnView {
    /** false: `okta-aws:signOnPolicy: false`, no MFA enforced by this program. */
    enforced: boolean;
    /** The apps that carry it: the AWS app, and okta-aws-cli's app when the stack has one. */
    apps: string;
    policyName?: string;
    assurance?: string;
    reauthenticate?: string;
    networkZones?: string[];
    /** In priority order. */
    rules: SignOnRuleView[];
}

/** An emergency federated role, its empty Okta group, its target and the sign-on rule its group gets. */
export interface EmergencyRoleView {
    role: string;
    group: string;
    targetRoleArn: string;
    targetAccountId: string;
    /** The member stack's account label; the account id when no member stack exports the role. */
    targetAccountLabel: string;
    policyArns: string[];
    permissionsBoundaryArn?: string;
    maxSessionDuration: number;
    /** Absent when the plan has no rule limited to the group (no sign-on policy). */
    rule?: SignOnRuleView;
}

const types = {
    signOnPolicy: "okta:index/appSignonPolicy:AppSignonPolicy",
    signOnRule: "okta:index/appSignonPolicyRule:AppSignonPolicyRule",
};

/** The parts of a plan read here: its stacks and the names of its Okta ids. */
type PlanStacks = Pick<Plan, "stacks" | "oktaIds">;

const identityOf = (plan: PlanStacks): StackPlan | undefined => Object.values(plan.stacks).find((stack) => stack.kind === "identity");

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []);

/** Whether one of a rule's constraints (JSON text, as the provider takes them) requires a phishing-resistant possession factor. */
function requiresPhishingResistant(constraints: unknown): boolean {
    return strings(constraints).some((constraint) => {
        try {
            return (
                (JSON.parse(constraint) as { possession?: { phishingResistant?: unknown } }).possession?.phishingResistant === "REQUIRED"
            );
        } catch {
            return false;
        }
    });
}

/** An Okta group's name from the id a rule names (the plan's `oktaIds`); the id when unknown. */
function groupName(plan: PlanStacks, id: string): string {
    const object = plan.oktaIds?.[id];
    return object?.kind === "group" ? object.name : id;
}

/** What an Okta id stands for, as the reports write it: `Okta user jane@acmecorp.me`. */
export const oktaObjectText = (object: OktaObject): string => `Okta ${object.kind} ${object.name}`;

/**
 * The identity stack's sign-on policy: its settings from the `signOnPolicy` output, its name and
 * rules from the resources that deploy it. Undefined when the plan has no identity stack, or was
 * built before the program had a sign-on policy.
 */
export function signOnOf(plan: PlanStacks): SignOnView | undefined {
    const identity = identityOf(plan);
    const output = identity?.outputs.signOnPolicy;
    if (!identity || !output) {
        return undefined;
    }
    const apps = identity.outputs.oktaAwsCli === undefined ? "the AWS app" : "the AWS app and okta-aws-cli's app";
    if (!output.enforced) {
        return { enforced: false, apps, rules: [] };
    }
    const rules = identity.resources
        .filter((r) => r.type === types.signOnRule && r.inputs.policyId === output.policyId)
        .sort((a, b) => Number(a.inputs.priority) - Number(b.inputs.priority));
    const policies = identity.resources.filter((r) => r.type === types.signOnPolicy);
    const policy = policies.find((p) => p.urn === rules[0]?.parent) ?? (policies.length === 1 ? policies[0] : undefined);
    return {
        enforced: true,
        apps,
        policyName: policy?.inputs.name as string | undefined,
        assurance: output.assurance,
        reauthenticate: output.reauthenticate,
        networkZones: output.networkZones,
        rules: rules.map(({ inputs }) => ({
            name: String(inputs.name),
            priority: Number(inputs.priority),
            access: String(inputs.access),
            twoFactors: inputs.factorMode === "2FA",
            phishingResistant: requiresPhishingResistant(inputs.constraints),
            ...(typeof inputs.reAuthenticationFrequency === "string" && { reauthenticate: inputs.reAuthenticationFrequency }),
            ...(inputs.networkConnection === "ZONE" && { networkZones: strings(inputs.networkIncludes) }),
            groups: strings(inputs.groupsIncluded).map((id) => groupName(plan, id)),
        })),
    };
}

/** Every member role the member stacks export (`crossAccountRoles`), by ARN, with its account's label. */
function memberRolesOf(plan: PlanStacks): Map<string, CrossAccountRoleOutput & { accountId: string; accountLabel: string }> {
    const roles = new Map<string, CrossAccountRoleOutput & { accountId: string; accountLabel: string }>();
    for (const stack of Object.values(plan.stacks).filter((s) => s.kind === "member")) {
        const outputs = stack.outputs as Partial<MemberOutputs>;
        for (const role of outputs.crossAccountRoles ?? []) {
            roles.set(role.arn, { ...role, accountId: stack.accountId, accountLabel: outputs.accountLabel ?? stack.accountId });
        }
    }
    return roles;
}

/** Each member role's permissions boundary, by role ARN: the roles that have one. */
export function boundariesOf(plan: PlanStacks): Map<string, string> {
    return new Map(
        [...memberRolesOf(plan)].flatMap(([arn, role]) =>
            role.permissionsBoundaryArn ? [[arn, role.permissionsBoundaryArn] as const] : [],
        ),
    );
}

/** The identity stack's emergency roles (its `emergencyRoles` output), by role name, each with its target and its group's rule. */
export function emergencyRolesOf(plan: PlanStacks): EmergencyRoleView[] {
    const output = identityOf(plan)?.outputs.emergencyRoles ?? {};
    const members = memberRolesOf(plan);
    const rules = signOnOf(plan)?.rules ?? [];
    return Object.entries(output)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([role, { group, targetRoleArn, maxSessionDuration }]) => {
            const target = members.get(targetRoleArn);
            const rule = rules.find((r) => r.groups.includes(group));
            const accountId = target?.accountId ?? /^arn:[^:]+:iam::(\d{12}):/.exec(targetRoleArn)?.[1] ?? "";
            return {
                role,
                group,
                targetRoleArn,
                targetAccountId: accountId,
                targetAccountLabel: target?.accountLabel ?? accountId,
                policyArns: target?.policyArns ?? [],
                ...(target?.permissionsBoundaryArn && { permissionsBoundaryArn: target.permissionsBoundaryArn }),
                maxSessionDuration,
                ...(rule && { rule }),
            };
        });
}

/** A re-authentication frequency in words: `every sign-in` for PT0S, else `after PT8H`. */
export function reauthenticationText(duration: string | undefined): string {
    return duration === undefined ? "" : duration === "PT0S" ? "every sign-in" : `after ${duration}`;
}

/** A rule's factors in words: `two factors, one phishing-resistant`. */
export function factorsText(rule: SignOnRuleView): string {
    return rule.access !== "ALLOW"
        ? ""
        : `${rule.twoFactors ? "two factors" : "one factor"}${rule.phishingResistant ? ", one phishing-resistant" : ""}`;
}

/** A rule's network in words: `anywhere` or `zones nzo…, nzo…`. */
export function networkText(zones: string[] | undefined): string {
    return zones === undefined ? "anywhere" : `zones ${zones.join(", ")}`;
}

/** Whom a rule applies to: its groups; or everyone the apps are assigned to (that no rule before it matched). */
export function ruleAudience(rule: SignOnRuleView, first: boolean): string {
    return rule.groups.length ? `group ${rule.groups.join(", ")}` : first ? "everyone" : "everyone else";
}

/**
 * What the policy enforces in one sentence, from its settings: `two factors, one of them
 * phishing-resistant; re-authentication after PT8H; only from Okta network zones nzo…`, or that
 * no MFA is enforced by this program.
 */
export function signOnSentence(signOn: SignOnView): string {
    if (!signOn.enforced) {
        return `${noMfa}: okta-aws:signOnPolicy is false, so the Okta org's own policies decide how people sign in to ${signOn.apps}`;
    }
    return [
        signOn.assurance === "phishingResistant" ? "two factors, one of them phishing-resistant" : "two factors",
        `re-authentication ${reauthenticationText(signOn.reauthenticate)}`,
        signOn.networkZones?.length ? `only from Okta network zones ${signOn.networkZones.join(", ")}` : "from any network",
        "everything else denied",
    ].join("; ");
}

/** An emergency role's sign-on in words: its rule's factors and re-authentication, or that there is none. */
export function emergencySignOnText(role: EmergencyRoleView): string {
    return role.rule
        ? `${role.rule.name}: ${factorsText(role.rule)}, re-authenticate ${reauthenticationText(role.rule.reauthenticate)}`
        : `no rule of its own (${noMfa})`;
}
