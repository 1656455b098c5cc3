// The policy pack over the offline plan: the same rules (policy/rules.ts) that CrossGuard runs at
// a real `pulumi preview --policy-pack policy`, judged per stack, for `npm start` and access.md.
// The same `--policy-pack-config` file lowers a policy offline and at a real preview.
import * as fs from "fs";
import * as path from "path";
import { ConfigError, configProblem } from "../../components/config";
import { federationPolicies, JudgedResource, Violation } from "../../policy/rules";
import { markdownCell } from "./markdown";
import type { Plan, PlannedResource } from "../plan/model";
import { plural } from "../shared/numbers";

/** The enforcement levels that judge a plan (CrossGuard's "remediate" changes resources instead). */
const levels = ["mandatory", "advisory", "disabled"] as const;
type EnforcementLevel = (typeof levels)[number];

/** A policy's level by name, as `pulumi preview --policy-pack-config` reads it. */
export type PolicyPackConfig = Record<string, EnforcementLevel>;

export interface PolicyVerdict {
    policy: string;
    description: string;
    enforcementLevel: EnforcementLevel;
    /** What the policy judged: how many, and what ("3 member roles", "1 access key"). */
    judged: string;
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

/**
 * A policy pack config file: `{ "<policy>": "<level>" }` or `{ "<policy>": { "enforcementLevel": "<level>" } }`.
 * https://www.pulumi.com/docs/iac/packages-and-automation/crossguard/configuration/
 */
export function readPolicyPackConfig(file: string): PolicyPackConfig {
    const name = path.basename(file);
    let document: unknown;
    try {
        document = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (error) {
        throw new ConfigError([configProblem(name, "(file)", file, `is not a readable JSON file (${(error as Error).message})`)]);
    }
    const problems: string[] = [];
    const config: PolicyPackConfig = {};
    for (const [policy, value] of Object.entries((document ?? {}) as Record<string, unknown>)) {
        const level = typeof value === "object" && value !== null ? (value as { enforcementLevel?: unknown }).enforcementLevel : value;
        if (!federationPolicies.some((p) => p.name === policy)) {
            problems.push(
                configProblem(name, policy, value, `no such policy; the policies are ${federationPolicies.map((p) => p.name).join(", ")}`),
            );
        } else if (!levels.includes(level as EnforcementLevel)) {
            problems.push(configProblem(name, policy, value, `the enforcement level must be ${levels.join(", ")}`));
        } else {
            config[policy] = level as EnforcementLevel;
        }
    }
    if (problems.length) {
        throw new ConfigError(problems);
    }
    return config;
}

/** Every policy of the pack over every stack of the plan, each stack with its own account. */
export function policyVerdicts(plan: Plan, config: PolicyPackConfig = {}): PolicyVerdict[] {
    return federationPolicies.map((policy) => {
        const enforcementLevel = config[policy.name] ?? policy.enforcementLevel;
        const stacks = Object.entries(plan.stacks).map(([stack, stackPlan]) => ({
            stack,
            context: { accountId: stackPlan.accountId },
            resources: stackPlan.resources.map(judged),
        }));
        const violations =
            enforcementLevel === "disabled"
                ? []
                : stacks.flatMap(({ stack, context, resources }) => {
                      const found =
                          "validateResource" in policy
                              ? resources.flatMap((r) => policy.validateResource(r, context).map((message) => ({ urn: r.urn, message })))
                              : policy.validateStack(resources, context);
                      return found.map((violation) => ({ stack, ...violation }));
                  });
        const count = stacks.reduce((sum, { resources }) => sum + resources.filter((resource) => policy.judges(resource)).length, 0);
        return {
            policy: policy.name,
            description: policy.description,
            enforcementLevel,
            judged: plural(count, ...policy.subject),
            violations,
        };
    });
}

/** Violations that would stop a real preview. */
export function mandatoryViolations(verdicts: PolicyVerdict[]): number {
    return verdicts.filter((v) => v.enforcementLevel === "mandatory").reduce((sum, v) => sum + v.violations.length, 0);
}

const verdictMark = (verdict: PolicyVerdict) =>
    verdict.violations.length === 0 ? "✓" : verdict.enforcementLevel === "mandatory" ? "✗" : "!";

/**
 * One line per policy, then its violations, each in full: at most `limit` per policy (the console
 * summary must not grow with the organisation), with how many more access.md lists.
 */
export function policyLines(verdicts: PolicyVerdict[], limit = Infinity): string[] {
    const nameWidth = Math.max(...verdicts.map((v) => v.policy.length));
    const levelWidth = Math.max(...verdicts.map((v) => v.enforcementLevel.length));
    return verdicts.flatMap((verdict) => {
        const hidden = Math.max(0, verdict.violations.length - limit);
        return [
            `${verdictMark(verdict)} ${verdict.policy.padEnd(nameWidth)}  ${verdict.enforcementLevel.padEnd(levelWidth)}  ${verdict.judged}, ${
                verdict.violations.length ? plural(verdict.violations.length, "violation") : "no violation"
            }`,
            ...verdict.violations.slice(0, limit).map((v) => `    ${v.stack}  ${v.urn}: ${v.message}`),
            ...(hidden ? [`    … and ${plural(hidden, "more violation")} (all in access.md; --verbose prints them)`] : []),
        ];
    });
}

export function policyMarkdown(verdicts: PolicyVerdict[]): string {
    const violations = verdicts.flatMap((verdict) => verdict.violations.map((v) => ({ policy: verdict.policy, ...v })));
    return [
        "## Policy pack",
        "",
        "The rules of `policy/` (the CrossGuard pack `pulumi preview --policy-pack policy` runs) over this plan.",
        "",
        "| | Policy | Level | Judged | Violations |",
        "| --- | --- | --- | --- | --- |",
        ...verdicts.map((v) => `| ${verdictMark(v)} | \`${v.policy}\` | ${v.enforcementLevel} | ${v.judged} | ${v.violations.length} |`),
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
