// IAM as the judge: @cloud-copilot/iam-simulate in strict mode decides each request, and a Check
// records what was expected and what the judge said.
import type * as IamSimulate from "@cloud-copilot/iam-simulate";
import { UsageError } from "../../components/errors";

export type Decision = "allowed" | "denied";

export interface Check {
    /** Who: a login, a group's member, or the negative path's actor. */
    subject: string;
    samlRole: string;
    step: "Okta sign-on" | "SAML sign-in" | "AssumeRoleWithSAML" | "AssumeRole" | "permission";
    /** What was tried, e.g. `sts:AssumeRole arn:aws:iam::253541269580:role/EC2_Admins`. */
    request: string;
    expected: Decision;
    actual: Decision;
    /** Why, in the judge's words. */
    reason: string;
}

export const checkPassed = (check: Check) => check.expected === check.actual;

export interface SimulationRequest {
    principal: string;
    action: string;
    resource: string;
    accountId: string;
    context: Record<string, string>;
    identityPolicies: object[];
    /** The names of `identityPolicies`, in order, for the reason of a denial (`policy-<i>` otherwise). */
    policyNames?: string[];
    /** The role's permissions boundary: caps what its identity policies allow. */
    permissionsBoundary?: object;
    resourcePolicy?: object;
    /**
     * Values that identify the person the request is made for (login, session name). A decision is
     * computed once per request with these masked, unless a document could tell people apart.
     */
    personValues?: string[];
    /**
     * The context is what AWS sends with every such request, not keys chosen for these documents:
     * documents the audit reads live may ignore some of them. Otherwise (the plan's own documents)
     * a key the simulator ignores means the check would prove nothing, and fails it.
     */
    allowUnusedContext?: boolean;
}

let simulator: typeof IamSimulate | undefined;

/**
 * The IAM simulator, loaded on first use. It is AGPL-3.0-or-later, so the okta-aws package does not
 * ship it (the licence gate, tools/commands/licenses.ts): it is a dev dependency here and of the
 * configuration repository `okta-aws new` writes; without it the verification stops, saying so.
 */
function iamSimulate(): typeof IamSimulate {
    if (simulator === undefined) {
        try {
            // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on use: an optional, separately licensed dependency
            simulator = require("@cloud-copilot/iam-simulate") as typeof IamSimulate;
        } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== "MODULE_NOT_FOUND") {
                throw error;
            }
            throw new UsageError(
                "FAILED: the verification's IAM simulator, @cloud-copilot/iam-simulate, is not installed: okta-aws does not ship it (its licence is AGPL-3.0-or-later); install it as a dev dependency of this repository (npm install -D @cloud-copilot/iam-simulate), or skip the verification (--no-verify)",
            );
        }
    }
    return simulator;
}

/** One IAM decision, from the simulator in strict mode; every context key given must be used. */
async function simulateOnce(request: SimulationRequest): Promise<{ decision: Decision; reason: string }> {
    const { getDenialReasons, runSimulation } = iamSimulate();
    const response = await runSimulation(
        {
            request: {
                principal: request.principal,
                action: request.action,
                resource: { resource: request.resource, accountId: request.accountId },
                contextVariables: request.context,
            },
            identityPolicies: request.identityPolicies.map((policy, i) => ({ name: request.policyNames?.[i] ?? `policy-${i}`, policy })),
            serviceControlPolicies: [],
            resourceControlPolicies: [],
            resourcePolicy: request.resourcePolicy,
            ...(request.permissionsBoundary && { permissionBoundaryPolicies: [{ name: "boundary", policy: request.permissionsBoundary }] }),
        },
        { simulationMode: "Strict" },
    );
    if (response.resultType === "error") {
        throw new Error(`iam-simulate rejected the request ${request.action} on ${request.resource}: ${response.errors.message}`);
    }
    const result = response.resultType === "single" ? response.result : response.results[0];
    const ignored = result?.ignoredContextKeys ?? [];
    if (ignored.length > 0 && !request.allowUnusedContext) {
        throw new Error(`iam-simulate ignored context keys ${ignored.join(", ")} for ${request.action}: the check would prove nothing`);
    }
    const decision = response.overallResult === "Allowed" ? "allowed" : "denied";
    const decidedBy = result && decision === "denied" ? denialReason(request, getDenialReasons(result.analysis)) : "";
    return { decision, reason: `iam-simulate: ${response.overallResult}${decidedBy}` };
}

interface StatementText {
    Sid?: string;
    Condition?: Record<string, Record<string, unknown>>;
}

/**
 * Which statement denied a request, and the context keys its condition read with the values the
 * request had: what a reader needs to see why a check came out denied.
 */
function denialReason(request: SimulationRequest, denials: ReturnType<typeof IamSimulate.getDenialReasons>): string {
    const explicit = denials.find((d) => d.denialType === "Explicit");
    if (explicit && "statementIndex" in explicit) {
        const [document, name] =
            explicit.policyType === "pb"
                ? [request.permissionsBoundary, "the permissions boundary"]
                : explicit.policyType === "resource"
                  ? [request.resourcePolicy, "the resource policy"]
                  : [
                        request.identityPolicies[request.policyNames?.indexOf(explicit.policyIdentifier ?? "") ?? -1] ??
                            request.identityPolicies[Number(/^policy-(\d+)$/.exec(explicit.policyIdentifier ?? "")?.[1] ?? -1)],
                        explicit.policyIdentifier ?? "an identity policy",
                    ];
        const statements = (document as { Statement?: StatementText | StatementText[] } | undefined)?.Statement;
        const statement = (Array.isArray(statements) ? statements : statements ? [statements] : [])[explicit.statementIndex - 1];
        return ` by ${name} ${statement?.Sid ?? explicit.statementId ?? `statement ${explicit.statementIndex}`}${conditionText(statement?.Condition, request.context)}`;
    }
    const implicit = denials.map((d) =>
        d.policyType === "pb"
            ? "the permissions boundary does not allow it"
            : d.policyType === "resource"
              ? "the resource policy does not allow it"
              : "no identity policy statement allows it",
    );
    return implicit.length > 0 ? `: ${[...new Set(implicit)].join("; ")}` : "";
}

/** ` (condition Bool aws:X: the request has none)`, each key of a condition with the request's value. */
export function conditionText(condition: Record<string, Record<string, unknown>> | undefined, context: Record<string, string>): string {
    if (!condition) return "";
    const parts = Object.entries(condition).flatMap(([operator, keys]) =>
        Object.keys(keys).map((key) => {
            const value = Object.entries(context).find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1];
            return `${operator} ${key}: ${value === undefined ? "not in the request's context" : `the request has ${value}`}`;
        }),
    );
    return ` (condition ${parts.join("; ")})`;
}

// Condition keys, policy variables and principals by which a document could treat two people
// differently; the documents this program generates use none of them. Actions are left out of the
// search: `sts:SetSourceIdentity` names what may be done, not whom it is allowed for.
const personSensitive =
    /\$\{|sourceidentity|rolesessionname|aws:userid|aws:username|principaltag|requesttag|saml:sub|saml:namequalifier|saml:edupersonprincipalname|assumed-role/i;

/** Whether a document could decide differently for two people: by its conditions, principals or resources. */
export function isPersonSensitive(document: object): boolean {
    const withoutActions = JSON.stringify(document, (key, value: unknown) => (key === "Action" || key === "NotAction" ? undefined : value));
    return personSensitive.test(withoutActions);
}

export type Expectation = Omit<Check, "actual" | "reason">;

/** Decides checks with the simulator, each distinct decision once per judge. */
export class Judge {
    private readonly documentKeys = new WeakMap<object, { key: string; personSensitive: boolean }>();
    private readonly decisions = new Map<string, Promise<{ decision: Decision; reason: string }>>();
    private nextDocument = 0;
    /** Simulations actually run (the rest were answered from an identical request). */
    simulations = 0;

    private documentKey(document: object): { key: string; personSensitive: boolean } {
        let entry = this.documentKeys.get(document);
        if (!entry) {
            entry = { key: `#${this.nextDocument++}`, personSensitive: isPersonSensitive(document) };
            this.documentKeys.set(document, entry);
        }
        return entry;
    }

    /**
     * One IAM decision. Requests that differ only in the person they are made for share one
     * simulation when no document involved can tell people apart: the decision is then the same
     * by construction, and verification stays linear in sign-ins and roles.
     */
    simulate(request: SimulationRequest): Promise<{ decision: Decision; reason: string }> {
        const documents = [...request.identityPolicies, ...(request.resourcePolicy ? [request.resourcePolicy] : [])].map((d) =>
            this.documentKey(d),
        );
        const boundary = request.permissionsBoundary && this.documentKey(request.permissionsBoundary);
        if (boundary) {
            documents.push({ key: `boundary ${boundary.key}`, personSensitive: boundary.personSensitive });
        }
        const canMask = documents.every((d) => !d.personSensitive);
        const mask = (text: string) =>
            canMask ? (request.personValues ?? []).reduce((masked, value) => masked.replaceAll(value, "<person>"), text) : text;
        const key = JSON.stringify([
            mask(request.principal),
            request.action,
            request.resource,
            request.accountId,
            Object.entries(request.context).map(([k, v]) => [k, mask(v)]),
            documents.map((d) => d.key),
        ]);
        let decision = this.decisions.get(key);
        if (!decision) {
            this.simulations++;
            decision = simulateOnce(request);
            this.decisions.set(key, decision);
        }
        return decision;
    }

    /** One check: allowed only if every request is allowed. */
    async judge(expectation: Expectation, ...requests: SimulationRequest[]): Promise<Check> {
        const results = [];
        for (const request of requests) {
            results.push(await this.simulate(request));
        }
        const denied = results.find((r) => r.decision === "denied");
        return { ...expectation, actual: denied ? "denied" : "allowed", reason: (denied ?? results[0]).reason };
    }
}
