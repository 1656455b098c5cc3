// How much a member role lets its people do, decided by property over its policy documents (never
// by a policy's name), so the access diff can put the riskiest change first: administrator-
// equivalent, then write, then read. A document the plan cannot see ranks with the administrators:
// only what is proven lesser ranks lower.
import { iamActionsMatching } from "../../components/iamCatalogue";
import type { Plan } from "../plan/model";
import { Grant, GrantElement, grantsOf, patternCovers } from "../plan/grants";
import { managedPolicyFixtures, plannedRoles, PlannedPolicy } from "../verification/plannedFederation";

/** Riskiest first: the order the summary ranks by. */
export const privileges = ["administrator-equivalent", "not known", "write", "read"] as const;
export type Privilege = (typeof privileges)[number];

/**
 * IAM actions that let whoever holds them on any principal they can name give themselves any permission: the IAM methods of
 * Rhino Security Labs' "AWS IAM Privilege Escalation – Methods and Mitigation"
 * (https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/): a new default
 * policy version, access keys or console passwords for other users, policies attached or put on
 * users, groups and roles, a user added to a group, a role's trust rewritten, and a role passed to
 * a service that then acts as it. `*` and `iam:*` cover them all.
 */
const escalationActions = [
    "iam:CreatePolicyVersion",
    "iam:SetDefaultPolicyVersion",
    "iam:PassRole",
    "iam:CreateAccessKey",
    "iam:CreateLoginProfile",
    "iam:UpdateLoginProfile",
    "iam:AttachUserPolicy",
    "iam:AttachGroupPolicy",
    "iam:AttachRolePolicy",
    "iam:PutUserPolicy",
    "iam:PutGroupPolicy",
    "iam:PutRolePolicy",
    "iam:AddUserToGroup",
    "iam:UpdateAssumeRolePolicy",
];

/** The Service Authorization Reference's access levels that only read (every other level writes). */
const readLevels = new Set(["Read", "List"]);

/** An action field names this action: a pattern by IAM's wildcards, a NotAction list unless it excludes it. */
const actionCovers = (field: GrantElement, action: string) =>
    typeof field === "string" ? patternCovers(field, action, true) : !field.not.some((excluded) => patternCovers(excluded, action, true));

/**
 * A resource field that may reach more than the principals and policies it names: a NotResource
 * list (all but some), or a pattern with a wildcard that can match an IAM ARN (`*`, `arn:aws:*:*:*:*`,
 * `arn:aws:iam::<account>:*`, `…:role/*`; IAM's wildcards cross colons, so a pattern of fewer than
 * three segments matches any service). Only what is proven narrow ranks lower: exact ARNs, or
 * patterns of another service (`arn:aws:s3:::bucket/*`), where IAM's actions have nothing to act on.
 */
function mayReachIam(field: GrantElement): boolean {
    if (typeof field !== "string") {
        return true;
    }
    if (!/[*?]/.test(field)) {
        return false;
    }
    const segments = field.split(":");
    if (segments.length < 3) {
        return true;
    }
    const service = new RegExp(
        `^${segments[2]
            .replace(/[.+^${}()|[\]\\]/g, "\\$&")
            .replace(/\*/g, ".*")
            .replace(/\?/g, ".")}$`,
        "i",
    );
    return service.test("iam");
}

/**
 * Whether an Allow grant's actions only read: each action its pattern names in IAM's catalogue has
 * a read level. A NotAction list, or a wildcard in the service, names actions beyond a short list:
 * write. Conditions are not weighed (they may narrow a grant; ranking by the grant is the safe side).
 */
function onlyReads(grant: Grant): boolean {
    const action = grant.action;
    if (typeof action !== "string" || /[*?]/.test(action.split(":")[0])) {
        return false;
    }
    return iamActionsMatching(action).every((known) => readLevels.has(known.accessLevel));
}

/** The privilege of one policy document; Deny statements are not weighed (they narrow, and the ranking stays on the safe side). */
export function documentPrivilege(document: unknown): Privilege {
    const allows = (grantsOf(document) ?? []).filter((grant) => grant.effect === "Allow");
    if (allows.some((grant) => mayReachIam(grant.resource) && escalationActions.some((action) => actionCovers(grant.action, action)))) {
        return "administrator-equivalent";
    }
    return allows.every(onlyReads) ? "read" : "write";
}

/** The riskier of two privileges. */
export const riskier = (a: Privilege, b: Privilege): Privilege => (privileges.indexOf(a) <= privileges.indexOf(b) ? a : b);

/** A policy's privilege; a document the plan does not hold (another team's policy, an unvendored AWS one) is "not known". */
const policyPrivilege = (policy: PlannedPolicy): Privilege =>
    policy.document === undefined ? "not known" : documentPrivilege(policy.document);

/** What a member role holds: its attached policies, by ARN, with their documents where the plan has them. */
export interface RolePermissions {
    /** `<stack>/<role name>`, as the reviewer finds it in the stack files. */
    label: string;
    production: boolean;
    policies: PlannedPolicy[];
    privilege: Privilege;
}

/**
 * Production-like: the member stack's name or its account's label has `prod` or `production` as a
 * word (words split at anything but letters and digits): `prod`, `Prod`, `eu-production`, not
 * `preprod` or `product`. docs/access-review.md states the rule.
 */
export const isProductionLike = (...names: string[]) =>
    names.some((name) => name.split(/[^A-Za-z0-9]+/).some((word) => /^prod(uction)?$/i.test(word)));

/** Every member role of a plan with its permissions and privilege, by role ARN. */
export function rolePermissionsOf(plan: Plan): Map<string, RolePermissions> {
    const identity = Object.values(plan.stacks).find((stack) => stack.kind === "identity");
    const partition = identity?.outputs.samlProviderArn?.split(":")[1] ?? "aws";
    const roles = plannedRoles(plan, partition, managedPolicyFixtures());
    const labels = new Map(plan.access.map((row) => [row.targetAccountId, row.targetAccountLabel]));
    const result = new Map<string, RolePermissions>();
    for (const [stackName, stack] of Object.entries(plan.stacks).filter(([, s]) => s.kind === "member")) {
        for (const role of [...roles.values()].filter((r) => r.accountId === stack.accountId)) {
            result.set(role.arn, {
                label: `${stackName}/${role.name}`,
                production: isProductionLike(stackName, labels.get(stack.accountId) ?? ""),
                policies: role.policies,
                privilege: role.policies.map(policyPrivilege).reduce(riskier, "read"),
            });
        }
    }
    return result;
}
