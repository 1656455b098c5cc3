// Names, ARNs and URLs of the federation, derived in one place so that every stack (and every
// test) agrees on them. Plain functions: no Pulumi resources, no Outputs.
import awsManagedPolicies from "./awsManagedPolicies.json";

/** Where AWS's sign-in endpoint receives SAML responses; the value of the `SAML:aud` condition key. */
export const awsSamlSignInUrl = "https://signin.aws.amazon.com/saml";

/**
 * The AWS partition of a region. Computed from the region rather than looked up so that every
 * policy document is a plain string at preview: validated for IAM's size limits before any
 * resource is registered, and shown in full in preview diffs.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
 */
export function partitionOf(region: string): string {
    const prefixes: [string, string][] = [
        ["cn-", "aws-cn"],
        ["us-gov-", "aws-us-gov"],
        ["us-isob-", "aws-iso-b"],
        ["us-iso-", "aws-iso"],
        ["eu-isoe-", "aws-iso-e"],
        ["us-isof-", "aws-iso-f"],
        ["eusc-", "aws-eusc"],
    ];
    return prefixes.find(([prefix]) => region.startsWith(prefix))?.[1] ?? "aws";
}

export function accountRootArn(partition: string, accountId: string): string {
    return `arn:${partition}:iam::${accountId}:root`;
}

export function roleArn(partition: string, accountId: string, roleName: string): string {
    return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}

export function samlProviderArn(partition: string, accountId: string, providerName: string): string {
    return `arn:${partition}:iam::${accountId}:saml-provider/${providerName}`;
}

/** The principal of a session of a role, as STS names it (`assumed-role/<role>/<session name>`). */
export function assumedRoleArn(partition: string, accountId: string, roleName: string, sessionName: string): string {
    return `arn:${partition}:sts::${accountId}:assumed-role/${roleName}/${sessionName}`;
}

/**
 * Paths of AWS managed policies by name (most are "", some "service-role/" or "job-function/"),
 * vendored by `npm run vendor:policies`.
 */
export const awsManagedPolicyPaths: Readonly<Record<string, string>> = awsManagedPolicies;

/** An AWS managed policy given by name (`AmazonEC2FullAccess`), or a full policy ARN as it is. */
export function managedPolicyArn(partition: string, nameOrArn: string): string {
    return nameOrArn.startsWith("arn:")
        ? nameOrArn
        : `arn:${partition}:iam::aws:policy/${awsManagedPolicyPaths[nameOrArn] ?? ""}${nameOrArn}`;
}

/** IAM's name characters (role, user, policy, session names): the one pattern every IAM name rule uses. */
export const iamNameCharacter = "[\\w+=,.@-]";

/** The name of a role from its ARN, without its path: `EC2_Admins`. */
export function roleNameOf(arn: string): string {
    return arn.slice(arn.lastIndexOf("/") + 1);
}

/** The ARN IAM gives a customer managed policy created at the root path (`/`) of an account. */
export function customerPolicyArn(partition: string, accountId: string, policyName: string): string {
    return `arn:${partition}:iam::${accountId}:policy/${policyName}`;
}

/** The last segment of a managed policy name or ARN: `AmazonEC2FullAccess`. */
export function policyNameOf(nameOrArn: string): string {
    return nameOrArn.split("/").pop()!;
}

/**
 * The names of a member role's children (CrossAccountRole), from its component's name (the role's
 * name) and a policy's own name, so reordering a list replaces nothing. The member config check
 * refuses two roles whose children these would name alike.
 */
export const memberRoleChildNames = {
    role: (name: string) => `${name}-role`,
    boundary: (name: string) => `${name}-boundary`,
    policy: (name: string, policyName: string) => `${name}-policy-${policyName}`,
    attachment: (name: string, policyName: string) => `${name}-${policyName}`,
};

/** The guide's federated role name: `<label>-<role name with _ replaced by ->`, e.g. `Retail-EC2-Admins`. */
export function defaultFederatedRoleName(accountLabel: string, roleName: string): string {
    return `${accountLabel}-${roleName.replace(/_/g, "-")}`;
}

/** The guide's permission policy name, e.g. `allow-assume-retail-ec2-admins-role`. */
export function defaultAssumePolicyName(accountLabel: string, roleName: string): string {
    return `allow-assume-${accountLabel}-${roleName}-role`.toLowerCase().replace(/_/g, "-");
}

/** The console's switch-role link, as the guide gives it to users of a cross-account role. */
export function switchRoleUrl(accountId: string, roleName: string): string {
    const query = new URLSearchParams({ account: accountId, roleName });
    return `https://signin.aws.amazon.com/switchrole?${query.toString()}`;
}

/**
 * The Okta AWS app's role value pattern: Okta turns each of a user's `samlRoles` into
 * `<SAML provider ARN>,<role ARN>` with it. `${accountid}` and `${role}` are Okta's own
 * placeholders, not template literals.
 */
export function roleValuePattern(partition: string, providerName: string): string {
    return `arn:${partition}:iam::\${accountid}:saml-provider/${providerName},arn:${partition}:iam::\${accountid}:role/\${role}`;
}

/** A bare stack name means a stack of this project and organisation; qualified names stay as given. */
export function qualifiedStackName(organization: string, project: string, stack: string): string {
    return stack.includes("/") ? stack : `${organization}/${project}/${stack}`;
}

/**
 * The parts of a stack reference as `pulumi stack select` reads them: `stack`, `org/stack` or
 * `org/project/stack`; a missing organisation is the default one and a missing project the
 * current one (pkg/backend/httpstate/backend.go `parseStackName`, pkg/backend/diy/store.go
 * `ParseReference`). Note that two parts are an organisation and a stack, not a project.
 */
export function stackReferenceParts(reference: string): { organization?: string; project?: string; stack: string } {
    const parts = reference.split("/");
    return parts.length === 3
        ? { organization: parts[0], project: parts[1], stack: parts[2] }
        : parts.length === 2
          ? { organization: parts[0], stack: parts[1] }
          : { stack: reference };
}

/** The known name nearest to `name` by edit distance, if it is near enough to be a typo. */
export function closest(name: string, known: string[]): string | undefined {
    let best: { candidate: string; distance: number } | undefined;
    for (const candidate of known) {
        const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
        if (!best || distance < best.distance) {
            best = { candidate, distance };
        }
    }
    return best && best.distance <= Math.max(2, Math.floor(name.length / 3)) ? best.candidate : undefined;
}

function editDistance(a: string, b: string): number {
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const current = [i];
        for (let j = 1; j <= b.length; j++) {
            current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        }
        previous = current;
    }
    return previous[b.length];
}
