// Cross-field checks of a member stack: what no single key can tell (policy names across roles in
// letter case, children that would share a URN, documents and derived names IAM would refuse),
// and the member configuration they produce.
import {
    accountRootArn,
    customerPolicyArn,
    defaultAssumePolicyName,
    defaultFederatedRoleName,
    managedPolicyArn,
    memberRoleChildNames,
    policyNameOf,
    roleArn,
} from "../names";
import { crossAccountTrustPolicy, iamPolicySize, iamSizeLimits } from "../policies";
import { iamPolicyName, iamRoleName, managedPolicy } from "./fields";
import { customPolicyDocument } from "./policyDocuments";
import { configKey, projectName, reportDuplicates, Reporter } from "./problems";
import type { CommonConfig, CrossAccountRoleConfig, CustomPolicyConfig, KeyValue, MemberConfig, OktaAwsNamespace } from "./schema";

/** The key text (configKey) of a field of `crossAccountRoles[i]`. */
type RoleKey = (i: number, ...path: PropertyKey[]) => string;

/** IAM's default quota of managed policies attached to one role ("IAM and AWS STS quotas"). */
const managedPoliciesPerRole = 10;
export function parseMember(
    common: CommonConfig,
    namespace: OktaAwsNamespace,
    report: Reporter,
    stackFolder: string,
): MemberConfig | undefined {
    const { identityAccountId, crossAccountRoles: roles, identityStack } = namespace;
    const signIn = namespace.signIn ?? "chained";
    if (signIn !== "chained" && identityStack === undefined) {
        report(
            `${projectName}:identityStack`,
            undefined,
            `is required with okta-aws:signIn ${signIn}: this account's SAML provider holds the Okta app's metadata, which the identity stack exports (samlMetadata)`,
        );
    } else if (signIn === "chained" && identityStack !== undefined) {
        report(
            `${projectName}:identityStack`,
            identityStack,
            "is read only with okta-aws:signIn direct or both (a chained member has no SAML provider of its own); remove it",
        );
    }
    if (roles === undefined) {
        report(
            `${projectName}:crossAccountRoles`,
            undefined,
            "is required in a member stack: list the roles the identity account may switch into",
        );
    }
    if (!roles || !identityAccountId) {
        return undefined;
    }
    const crossAccountRoles = roles.map(({ policies, permissionsBoundary, ...role }, i): CrossAccountRoleConfig => ({
        ...role,
        managedPolicies: role.managedPolicies ?? [],
        ...ownPolicies(
            stackFolder,
            common.partition,
            (...path) => configKey(["crossAccountRoles", i, ...path], namespace),
            { ...role, policies, permissionsBoundary },
            report,
        ),
        federatedRoleName: role.federatedRoleName ?? defaultFederatedRoleName(common.account.label, role.name),
        assumePolicyName: role.assumePolicyName ?? defaultAssumePolicyName(common.account.label, role.name),
        maxSessionDuration: role.maxSessionDuration ?? 3600,
    }));
    const roleKey = (i: number, ...path: PropertyKey[]) => configKey(["crossAccountRoles", i, ...path], namespace);
    reportOwnPolicyClashes(common, crossAccountRoles, roleKey, report);
    reportCollidingRoleChildren(crossAccountRoles, roleKey, report);
    crossAccountRoles.forEach((role, i) => {
        const key = roleKey(i);
        if (!iamRoleName.safeParse(role.federatedRoleName).success) {
            report(
                `${key}.federatedRoleName`,
                role.federatedRoleName,
                "the derived federated role name is not a valid IAM role name (1–64 characters); set federatedRoleName",
            );
        } else if (role.federatedRoleName.includes(",")) {
            // Okta sends each SAML role as "<provider ARN>,<role ARN>"; AWS splits it on the comma.
            report(
                `${key}.federatedRoleName`,
                role.federatedRoleName,
                'a federated role name cannot contain a comma: AWS reads each SAML role as "<provider ARN>,<role ARN>"; set federatedRoleName',
            );
        }
        if (signIn !== "chained" && role.name.includes(",")) {
            // Okta sends "<provider ARN>,<role ARN>" and AWS splits it on the comma.
            report(
                `${key}.name`,
                role.name,
                `a role people sign in to directly (okta-aws:signIn ${signIn}) cannot have a comma in its name: AWS reads each SAML role as "<provider ARN>,<role ARN>"`,
            );
        }
        if (!iamPolicyName.safeParse(role.assumePolicyName).success) {
            report(
                `${key}.assumePolicyName`,
                role.assumePolicyName,
                "the derived policy name is not a valid IAM policy name (1–128 characters); set assumePolicyName",
            );
        }
        const trust = crossAccountTrustPolicy(accountRootArn(common.partition, identityAccountId), [
            roleArn(common.partition, identityAccountId, role.federatedRoleName),
        ]);
        if (iamPolicySize(trust) > iamSizeLimits.trustPolicy) {
            report(`${key}`, role.name, `its trust policy has ${iamPolicySize(trust)} characters, over IAM's ${iamSizeLimits.trustPolicy}`);
        }
        // Attachments are keyed by policy name, so two policies may not share one.
        reportDuplicates(
            role.managedPolicies,
            (p) => policyNameOf(p),
            ["crossAccountRoles", i, "managedPolicies"],
            namespace,
            "",
            "names a policy whose name is listed already",
            report,
        );
    });
    reportDuplicates(
        crossAccountRoles,
        (r) => r.name.toLowerCase(),
        ["crossAccountRoles"],
        namespace,
        "name",
        "role names must be unique in an account (IAM ignores case)",
        report,
    );
    reportDuplicates(
        crossAccountRoles,
        (r) => r.federatedRoleName.toLowerCase(),
        ["crossAccountRoles"],
        namespace,
        "federatedRoleName",
        "two roles would share one federated role",
        report,
    );
    return { ...common, kind: "member", identityAccountId, signIn, ...(identityStack && { identityStack }), crossAccountRoles };
}

/**
 * A role's own policies and boundary with their documents read and checked; an entry with a
 * problem is reported and left out (the run stops on the report anyway).
 */
function ownPolicies(
    stackFolder: string,
    partition: string,
    keyOf: (...path: PropertyKey[]) => string,
    role: KeyValue<"crossAccountRoles"> extends (infer R)[] | undefined ? R : never,
    report: Reporter,
): Pick<CrossAccountRoleConfig, "policies" | "permissionsBoundary"> {
    const key = keyOf();
    const read = (entryKey: string, entry: { name: string; document?: Record<string, unknown>; file?: string }) => {
        const result = customPolicyDocument(stackFolder, entry);
        if ("problems" in result) {
            result.problems.forEach((p) => report(`${entryKey}${p.at}`, p.value, p.reason));
            return undefined;
        }
        return { name: entry.name, document: result.document };
    };
    const policies = (role.policies ?? []).flatMap((entry, j) => read(keyOf("policies", j), entry) ?? []);
    const boundary = role.permissionsBoundary;
    let permissionsBoundary: CrossAccountRoleConfig["permissionsBoundary"];
    if (typeof boundary === "string") {
        const parsed = managedPolicy.safeParse(boundary);
        if (parsed.success) {
            permissionsBoundary = { arn: managedPolicyArn(partition, boundary) };
        } else {
            parsed.error.issues.forEach((issue) => report(`${key}.permissionsBoundary`, boundary, issue.message));
        }
    } else if (boundary !== undefined) {
        permissionsBoundary = read(`${key}.permissionsBoundary`, boundary);
    }
    const attached = (role.managedPolicies?.length ?? 0) + (role.policies?.length ?? 0);
    if (attached > managedPoliciesPerRole) {
        report(
            key,
            role.name,
            `attaches ${attached} managed policies (${role.managedPolicies?.length ?? 0} named in managedPolicies, ${role.policies?.length ?? 0} created in policies); IAM's default quota is ${managedPoliciesPerRole} per role (IAM and AWS STS quotas)`,
        );
    }
    // Attachments are keyed by policy name: a created policy may not share a name with a named one.
    const named = new Set((role.managedPolicies ?? []).map((p) => policyNameOf(p).toLowerCase()));
    (role.policies ?? []).forEach((entry, j) => {
        if (named.has(entry.name.toLowerCase())) {
            report(
                keyOf("policies", j, "name"),
                entry.name,
                "is the name of a policy in managedPolicies too; give the role's own policy another name",
            );
        }
    });
    return { policies, ...(permissionsBoundary && { permissionsBoundary }) };
}

/**
 * Two roles whose children would have one name, and so one URN: names join the role's name and a
 * policy's (`Ops` attaching `…/Team-Read` and `Ops-Team` attaching `…/Read` both give the
 * attachment `Ops-Team-Read`), and the engine stops mid-update at the second ("Duplicate resource
 * URN"). Within one role, two policies of one name are reported as duplicates already.
 */
function reportCollidingRoleChildren(roles: CrossAccountRoleConfig[], roleKey: RoleKey, report: Reporter): void {
    const children = roles.flatMap((role, i) => {
        const key = roleKey(i);
        const { boundary, policy, attachment } = memberRoleChildNames;
        return [
            ...(role.permissionsBoundary && "name" in role.permissionsBoundary
                ? [
                      {
                          role: i,
                          type: "policy",
                          name: boundary(role.name),
                          key: `${key}.permissionsBoundary`,
                          value: role.permissionsBoundary.name,
                      },
                  ]
                : []),
            ...role.managedPolicies.map((arn, j) => ({
                role: i,
                type: "attachment",
                name: attachment(role.name, policyNameOf(arn)),
                key: roleKey(i, "managedPolicies", j),
                value: arn,
            })),
            ...role.policies.flatMap((own, j) => [
                { role: i, type: "policy", name: policy(role.name, own.name), key: roleKey(i, "policies", j, "name"), value: own.name },
                {
                    role: i,
                    type: "attachment",
                    name: attachment(role.name, own.name),
                    key: roleKey(i, "policies", j, "name"),
                    value: own.name,
                },
            ]),
        ];
    });
    const first = new Map<string, (typeof children)[number]>();
    for (const child of children) {
        const earlier = first.get(`${child.type} ${child.name}`);
        if (!earlier) {
            first.set(`${child.type} ${child.name}`, child);
        } else if (earlier.role !== child.role) {
            report(
                child.key,
                child.value,
                `gives role ${roles[child.role].name} the ${child.type} ${child.name}, which ${earlier.key} ${JSON.stringify(earlier.value)} gives role ${roles[earlier.role].name} too: Pulumi refuses a second resource with one URN ("Duplicate resource URN"); rename one of the roles`,
            );
        }
    }
}

/**
 * The policies a member stack creates share one account, where IAM policy names are unique
 * ignoring case ("IAM identifiers": names are not distinguished by case). A policy this stack
 * creates is attached through its own role's entry: naming it by ARN elsewhere could attach it
 * before it exists.
 */
function reportOwnPolicyClashes(common: CommonConfig, roles: CrossAccountRoleConfig[], roleKey: RoleKey, report: Reporter): void {
    const created: { key: string; policy: CustomPolicyConfig }[] = roles.flatMap((role, i) => [
        ...role.policies.map((policy, j) => ({ key: roleKey(i, "policies", j, "name"), policy })),
        ...(role.permissionsBoundary && "name" in role.permissionsBoundary
            ? [{ key: roleKey(i, "permissionsBoundary", "name"), policy: role.permissionsBoundary }]
            : []),
    ]);
    const first = new Map<string, { key: string; policy: CustomPolicyConfig }>();
    for (const entry of created) {
        const seen = first.get(entry.policy.name.toLowerCase());
        if (!seen) {
            first.set(entry.policy.name.toLowerCase(), entry);
        } else {
            report(
                entry.key,
                entry.policy.name,
                seen.policy.name === entry.policy.name
                    ? `is created by ${seen.key.replace(/\.name$/, "")} already; IAM policy names are unique in an account (a role takes another's boundary by ARN only if the policy exists beforehand)`
                    : `differs from ${seen.key} "${seen.policy.name}" only in letter case; IAM policy names are unique in an account ignoring case`,
            );
        }
    }
    const createdArns = new Map(
        [...first.values()].map((entry) => [
            customerPolicyArn(common.partition, common.account.id, entry.policy.name).toLowerCase(),
            entry.key,
        ]),
    );
    roles.forEach((role, i) => {
        const references = [
            ...role.managedPolicies.map((policy, j) => ({
                key: roleKey(i, "managedPolicies", j),
                arn: managedPolicyArn(common.partition, policy),
            })),
            ...(role.permissionsBoundary && "arn" in role.permissionsBoundary
                ? [{ key: roleKey(i, "permissionsBoundary"), arn: role.permissionsBoundary.arn }]
                : []),
        ];
        for (const { key, arn } of references) {
            const creator = createdArns.get(arn.toLowerCase());
            if (creator) {
                report(
                    key,
                    arn,
                    `names a policy this stack creates (${creator.replace(/\.name$/, "")}): it could be attached before it exists; give this role the document too, under another name`,
                );
            }
        }
    });
}
