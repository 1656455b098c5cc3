// The policy pack over the offline plan: the same rules (policy/rules.ts) that CrossGuard runs at
// a real `pulumi preview --policy-pack policy`, judged per stack, for `npm start` and access.md.
import { federationPolicies, JudgedResource, Violation } from "../policy/rules";
import { markdownCell } from "./markdown";
import type { Plan, PlannedResource } from "./plan";

export interface PolicyVerdict {
    policy: string;
    description: string;
    enforcementLevel: "mandatory";
    violations: (Violation & { stack: string })[];
}

function judged(resource: PlannedResource): JudgedResource {
    return {
        type: resource.type,
        urn: resource.urn,
        parent: resource.parent ?? undefined,
        protect: resource.protect,
        inputs: resource.inputs,
    };
}

/** Every policy of the pack over every stack of the plan, each stack with its own account. */
export function policyVerdicts(plan: Plan): PolicyVerdict[] {
    return federationPolicies.map((policy) => {
        const violations = Object.entries(plan.stacks).flatMap(([stack, stackPlan]) => {
            const resources = stackPlan.resources.map(judged);
            const context = { accountId: stackPlan.accountId };
            const found =
                "validateResource" in policy
                    ? resources.flatMap((r) => policy.validateResource(r, context).map((message) => ({ urn: r.urn, message })))
                    : policy.validateStack(resources, context);
            return found.map((violation) => ({ stack, ...violation }));
        });
        const { name, description, enforcementLevel } = policy;
        return { policy: name, description, enforcementLevel, violations };
    });
}

/** Violations that would stop a real preview. */
export function mandatoryViolations(verdicts: PolicyVerdict[]): number {
    return verdicts.filter((v) => v.enforcementLevel === "mandatory").reduce((sum, v) => sum + v.violations.length, 0);
}

/** One line per policy, then every violation in full under its policy. */
export function policyLines(verdicts: PolicyVerdict[], stackCount: number): string[] {
    const width = Math.max(...verdicts.map((v) => v.policy.length));
    return verdicts.flatMap((verdict) => [
        `${verdict.violations.length ? "✗" : "✓"} ${verdict.policy.padEnd(width)}  ${verdict.enforcementLevel}  ${
            verdict.violations.length
                ? `${verdict.violations.length} violation${verdict.violations.length === 1 ? "" : "s"}`
                : `no violation in ${stackCount} stacks`
        }`,
        ...verdict.violations.map((v) => `    ${v.stack}  ${v.urn}: ${v.message}`),
    ]);
}

export function policyMarkdown(verdicts: PolicyVerdict[]): string {
    const violations = verdicts.flatMap((verdict) => verdict.violations.map((v) => ({ policy: verdict.policy, ...v })));
    return [
        "## Policy pack",
        "",
        "The rules of `policy/` (the CrossGuard pack `pulumi preview --policy-pack policy` runs) over this plan.",
        "",
        "| | Policy | Level | Violations |",
        "| --- | --- | --- | --- |",
        ...verdicts.map((v) => `| ${v.violations.length ? "✗" : "✓"} | \`${v.policy}\` | ${v.enforcementLevel} | ${v.violations.length} |`),
        ...(violations.length
            ? [
                  "",
                  "| Policy | Stack | Resource | Violation |",
                  "| --- | --- | --- | --- |",
                  ...violations.map(
                      (v) => `| \`${v.policy}\` | ${markdownCell(v.stack)} | ${markdownCell(v.urn)} | ${markdownCell(v.message)} |`,
                  ),
              ]
            : []),
        "",
    ].join("\n");
}
