// The IAM policy documents of the federation, as plain JSON strings: what AWS receives is exactly
// what the tests assert and what the size checks measure.
import { awsSamlSignInUrl } from "./names";

interface PolicyStatement {
    Sid?: string;
    Effect: "Allow" | "Deny";
    Principal?: Record<string, string | string[]>;
    Action: string | string[];
    Resource?: string | string[];
    Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
    Version: "2012-10-17";
    Statement: PolicyStatement[];
}

/** Serialises a policy as sent to AWS: compact, keys in the order written here. */
export function policyJson(document: PolicyDocument): string {
    return JSON.stringify(document);
}

/**
 * IAM quotas that apply to the documents this program writes; the defaults, not raised ones.
 * AWS counts characters without white space.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
 */
export const iamSizeLimits = {
    trustPolicy: 2048,
    managedPolicy: 6144,
} as const;

export function iamPolicySize(json: string): number {
    return json.replace(/\s/g, "").length;
}

/**
 * A JSON document as the AWS provider sends it to IAM: parsed and marshalled again by Go's
 * encoding/json (terraform-provider-aws `structure.NormalizeJsonString` before `CreateRole`,
 * `CreatePolicy`, `UpdateAssumeRolePolicy`: internal/service/iam/role.go, policy.go), which sorts
 * object keys and escapes `<`, `>`, `&`, U+2028 and U+2029 as `\u003c`-style sequences.
 */
export function providerNormalisedJson(json: string): string {
    const sorted = (value: unknown): unknown =>
        Array.isArray(value)
            ? value.map(sorted)
            : value !== null && typeof value === "object"
              ? Object.fromEntries(
                    Object.keys(value)
                        .sort()
                        .map((key) => [key, sorted((value as Record<string, unknown>)[key])]),
                )
              : value;
    const goEscapes: Record<string, string> = { "<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029" };
    return JSON.stringify(sorted(JSON.parse(json))).replace(/[<>&\u2028\u2029]/g, (char) => goEscapes[char]);
}

/**
 * Trust of a federated role in the identity account: only sign-ins through our SAML provider that
 * were posted to AWS sign-in (`SAML:aud`), which may also carry a source identity.
 * `SAML:aud` guards AssumeRoleWithSAML, the only action that grants the role. SetSourceIdentity
 * has its own statement because the SAML keys are not among its documented condition keys
 * (Service Authorization Reference, AWS STS), so a strict evaluator would drop the condition and
 * deny it; `sts:TagSession` joins it when Okta sends session tags.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_for-idp_saml.html
 */
export function federatedTrustPolicy(samlProviderArn: string, sessionTags = false): string {
    return policyJson({ Version: "2012-10-17", Statement: samlSignInStatements(samlProviderArn, sessionTags) });
}

/** The statements of a SAML sign-in trust: one document for federated roles and direct member roles alike. */
function samlSignInStatements(samlProviderArn: string, sessionTags: boolean): PolicyStatement[] {
    return [
        {
            Effect: "Allow",
            Principal: { Federated: samlProviderArn },
            Action: "sts:AssumeRoleWithSAML",
            Condition: { StringEquals: { "SAML:aud": awsSamlSignInUrl } },
        },
        {
            Effect: "Allow",
            Principal: { Federated: samlProviderArn },
            // AWS refuses a SAML sign-in that carries PrincipalTag attributes unless the trust
            // allows sts:TagSession. https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html
            Action: sessionTags ? ["sts:SetSourceIdentity", "sts:TagSession"] : "sts:SetSourceIdentity",
        },
    ];
}

/** Permission of a federated role: switch into exactly one cross-account role, keeping the source identity. */
export function assumeRolePolicy(targetRoleArn: string): string {
    return policyJson({
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Action: ["sts:AssumeRole", "sts:SetSourceIdentity"],
                Resource: targetRoleArn,
            },
        ],
    });
}

/**
 * Trust of a cross-account role in a member account: the identity account, narrowed to the named
 * federated roles by `aws:PrincipalArn`. Unlike a role ARN principal, this survives the federated
 * role being deleted and recreated (IAM would turn such a principal into a stale unique id) and it
 * lets the member stack deploy before the federated role exists.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-roles
 */
export function crossAccountTrustPolicy(identityRootArn: string, federatedRoleArns: string[]): string {
    return policyJson({ Version: "2012-10-17", Statement: [switchRoleStatement(identityRootArn, federatedRoleArns)] });
}

function switchRoleStatement(identityRootArn: string, federatedRoleArns: string[]): PolicyStatement {
    const principalArns = [...federatedRoleArns].sort();
    return {
        Effect: "Allow",
        Principal: { AWS: identityRootArn },
        Action: ["sts:AssumeRole", "sts:SetSourceIdentity"],
        Condition: {
            ArnEquals: { "aws:PrincipalArn": principalArns.length === 1 ? principalArns[0] : principalArns },
        },
    };
}

/**
 * Trust of a member role people reach directly (okta-aws:signIn direct): the member account's own
 * SAML provider, exactly as a federated role trusts the identity account's (`SAML:aud`, and
 * SetSourceIdentity / TagSession as Okta sends them): Okta's multi-account setup, "Integrate
 * multiple AWS instances". With `switchFrom` (signIn both, the migration's deploy) the federated
 * roles may still switch in too, so that neither path is closed before the other works.
 * https://help.okta.com/oie/en-us/Content/Topics/DeploymentGuides/AWS/aws-multiple-architecture.htm
 */
export function directMemberTrustPolicy(
    samlProviderArn: string,
    sessionTags: boolean,
    switchFrom?: { identityRootArn: string; federatedRoleArns: string[] },
): string {
    return policyJson({
        Version: "2012-10-17",
        Statement: [
            ...(switchFrom ? [switchRoleStatement(switchFrom.identityRootArn, switchFrom.federatedRoleArns)] : []),
            ...samlSignInStatements(samlProviderArn, sessionTags),
        ],
    });
}

/**
 * What the Okta AWS app's API integration needs to read the roles it offers in the assignment UI.
 * https://help.okta.com/en-us/content/topics/deploymentguides/aws/aws-configure-aws-app.htm
 */
export function oktaSsoPolicy(): string {
    return policyJson({
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Action: ["iam:ListAccountAliases", "iam:ListRoles"],
                Resource: "*",
            },
        ],
    });
}

/**
 * What the legacy okta-aws-cli-assume-role tool's IAM user needs to list a role's policies
 * (the guide's Appendix A).
 */
export function introspectionPolicy(): string {
    return policyJson({
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Action: [
                    "iam:GetPolicy",
                    "iam:GetPolicyVersion",
                    "iam:GetRole",
                    "iam:GetRolePolicy",
                    "iam:ListAttachedRolePolicies",
                    "iam:ListRolePolicies",
                ],
                Resource: "*",
            },
        ],
    });
}

/**
 * Every IAM action the audit (npm run audit) calls in an account, and so exactly what the audit
 * role is granted: reads only, no wildcard.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html
 */
export const auditReadActions = [
    "iam:GetGroupPolicy",
    "iam:GetOpenIDConnectProvider",
    "iam:GetPolicy",
    "iam:GetPolicyVersion",
    "iam:GetRole",
    "iam:GetRolePolicy",
    "iam:GetSAMLProvider",
    "iam:GetUserPolicy",
    "iam:ListAccessKeys",
    "iam:ListAttachedGroupPolicies",
    "iam:ListAttachedRolePolicies",
    "iam:ListAttachedUserPolicies",
    "iam:ListGroupPolicies",
    "iam:ListGroupsForUser",
    "iam:ListOpenIDConnectProviders",
    "iam:ListRolePolicies",
    "iam:ListRoles",
    "iam:ListSAMLProviders",
    "iam:ListUserPolicies",
    "iam:ListUsers",
];

/** The audit role's permissions: the audit's reads, nothing else. */
export function auditRolePolicy(): string {
    return policyJson({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: auditReadActions, Resource: "*" }] });
}

/** The audit role's trust: one principal (the audit's credentials), for sts:AssumeRole only. */
export function auditRoleTrustPolicy(trustedPrincipal: string): string {
    return policyJson({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { AWS: trustedPrincipal }, Action: "sts:AssumeRole" }],
    });
}
