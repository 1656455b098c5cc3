// The plan model every tool shares, types only: what the offline preview of an organisation would
// register, per stack, who can reach what, and the Okta API budget of a deploy. tools/plan/build.ts
// builds it; reports, verification, the diff and the benchmark only read it.
import type { StackConfig } from "../../components/config";
import type { StackOutputs } from "../../components/outputs";
import type { StackOutputsForReference } from "../mock/outputs";
import type { OktaObject } from "../mock/providers";

export interface PlannedResource {
    urn: string;
    type: string;
    name: string;
    parent: string | null;
    protect: boolean;
    inputs: Record<string, unknown>;
    /** The URNs it was known by before (its `aliases`): a resource under one of them is this one, renamed. */
    aliases?: string[];
    /** Adopted, not created: the id Pulumi's `import` option reads the existing object by. */
    import?: string;
    /**
     * Inputs the update after the import changes in place, sorted; present when the plan was built
     * against a description of the existing objects (existing.json beside the stack files).
     */
    importChanges?: string[];
}

/**
 * One grant: a principal may sign in to a federated role, which switches into a member role. A
 * person reached through a group has rows of their own, marked `via`: reviewers read who can sign
 * in, not only which groups hold roles.
 */
export interface AccessRow {
    /** A person's Okta login, or an Okta group's name. */
    principal: string;
    /**
     * `user`: a person, directly assigned or (with `via`) a member of a group; `group`: the group
     * itself, whose role reaches whoever else Okta holds in it.
     */
    principalType: "user" | "group";
    /** For a person reached through a team group (its `members`, or its group rule in groupMapping mode): that group's name. */
    via?: string;
    /**
     * A group row of an existing Okta group (`groups[].existing` or `oktaId`): its members are
     * managed in Okta, so its people are unknown offline and have no rows of their own here.
     */
    membersInOkta?: true;
    samlRole: string;
    samlRoleArn: string;
    targetAccountId: string;
    targetAccountLabel: string;
    targetRoleArn: string;
    policyArns: string[];
}

export interface StackPlan {
    kind: "identity" | "member";
    accountId: string;
    /** The stack's `aws:region`: where its people's requests go unless a resource names another. */
    region?: string;
    /**
     * The stack file's provider settings (`aws:…`, `okta:…`: where the deploy's credentials go),
     * secrets as a fingerprint (tools/plan/stackFiles.ts). Absent in plans written before it was kept.
     */
    providerSettings?: Record<string, string>;
    resources: PlannedResource[];
    /** As `pulumi stack output` shows them: secrets as "[secret]" (components/outputs.ts). */
    outputs: StackOutputs;
}

/** Okta's management rate-limit buckets (tools/plan/oktaBudget.ts gives their default limits). */
export type OktaBucket =
    | "/api/v1/apps"
    | "/api/v1/apps/{id}"
    | "/api/v1/groups"
    | "/api/v1/groups/{id}"
    | "GET, POST /api/v1/users"
    | "GET /api/v1/users/{idOrLogin}"
    | "/api/v1 (other)";

export interface OktaOperationBudget {
    /** Calls per bucket. */
    calls: Partial<Record<OktaBucket, number>>;
    total: number;
    /** The least wall time the default limits allow: the slowest bucket, in minutes. */
    minutes: number;
}

export interface OktaApiBudget {
    /** The org type whose default limits are assumed, and where they come from. */
    limits: { orgType: string; source: string; perMinute: Record<OktaBucket, number> };
    firstUp: OktaOperationBudget;
    preview: OktaOperationBudget;
    refresh: OktaOperationBudget;
}

export interface Plan {
    project: string;
    stacks: Record<string, StackPlan>;
    access: AccessRow[];
    /**
     * The Okta ids in the plan's inputs and outputs (made up by the mock, or named by an import),
     * each with the object it stands for (`{ kind: "user", name: "jane@acmecorp.me" }`): reports
     * name the object, never the id alone. Absent in plans written before it was kept.
     */
    oktaIds?: Record<string, OktaObject>;
    /** Okta API calls of the identity stack per rate-limit bucket (tools/plan/oktaBudget.ts). */
    oktaApiBudget: OktaApiBudget;
}

/** One stack as the program registered it under the mock runtime. */
export interface StackEvaluation {
    stack: string;
    config: StackConfig;
    resources: PlannedResource[];
    /** Outputs as `pulumi stack output` shows them: secrets as "[secret]". */
    outputs: StackOutputs;
    /** Outputs as a StackReference to this stack reads them (held in memory only). */
    reference: StackOutputsForReference;
    /** Provider functions (look-ups) the program called, by token, in order. */
    invokes: string[];
    /** The Okta ids the mock handed out, with what each stands for (see Plan.oktaIds). */
    oktaIds: Record<string, OktaObject>;
}

/** A built plan, with the evaluations it came from (the outputs StackReferences read). */
export interface PlanResult {
    plan: Plan;
    evaluations: StackEvaluation[];
}
