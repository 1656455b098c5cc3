// IAM as the judge: @cloud-copilot/iam-simulate in strict mode decides each request, and a Check
// records what was expected and what the judge said.
import { runSimulation } from "@cloud-copilot/iam-simulate";

export type Decision = "allowed" | "denied";

export interface Check {
    /** Who: a login, a group's member, or the negative path's actor. */
    subject: string;
    samlRole: string;
    step: "SAML sign-in" | "AssumeRoleWithSAML" | "AssumeRole" | "permission";
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
    resourcePolicy?: object;
}

/** One IAM decision, from the simulator in strict mode; every context key given must be used. */
export async function simulate(request: SimulationRequest): Promise<{ decision: Decision; reason: string }> {
    const response = await runSimulation(
        {
            request: {
                principal: request.principal,
                action: request.action,
                resource: { resource: request.resource, accountId: request.accountId },
                contextVariables: request.context,
            },
            identityPolicies: request.identityPolicies.map((policy, i) => ({ name: `policy-${i}`, policy })),
            serviceControlPolicies: [],
            resourceControlPolicies: [],
            resourcePolicy: request.resourcePolicy,
        },
        { simulationMode: "Strict" },
    );
    if (response.resultType === "error") {
        throw new Error(`iam-simulate rejected the request ${request.action} on ${request.resource}: ${response.errors.message}`);
    }
    const result = response.resultType === "single" ? response.result : response.results[0];
    const ignored = result?.ignoredContextKeys ?? [];
    if (ignored.length > 0) {
        throw new Error(`iam-simulate ignored context keys ${ignored.join(", ")} for ${request.action}: the check would prove nothing`);
    }
    return { decision: response.overallResult === "Allowed" ? "allowed" : "denied", reason: `iam-simulate: ${response.overallResult}` };
}

export type Expectation = Omit<Check, "actual" | "reason">;

/** One check decided by the simulator: allowed only if every request is allowed. */
export async function judge(expectation: Expectation, ...requests: SimulationRequest[]): Promise<Check> {
    const results = [];
    for (const request of requests) {
        results.push(await simulate(request));
    }
    const denied = results.find((r) => r.decision === "denied");
    return { ...expectation, actual: denied ? "denied" : "allowed", reason: (denied ?? results[0]).reason };
}
