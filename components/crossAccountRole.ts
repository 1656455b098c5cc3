// A member account role the identity account switches into: trusted by the identity account,
// narrowed to the named federated role, with managed policies and the team's own policies attached
// and an optional permissions boundary.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { importOption, rolePolicyAttachmentImportId } from "./adoption";
import { accountRootArn, customerPolicyArn, managedPolicyArn, memberRoleChildNames, policyNameOf, roleArn, switchRoleUrl } from "./names";
import { crossAccountTrustPolicy, directMemberTrustPolicy } from "./policies";

/**
 * The arguments of a CrossAccountRole. Every value is plain, read from the member stack's config:
 * the trust policy is a complete string at preview and the child names derive from the policy names.
 */
export interface CrossAccountRoleArgs {
    /** IAM role name in the member account, e.g. `EC2_Admins`. */
    readonly roleName: string;
    /** The member account's id (used for the switch-role link). */
    readonly accountId: string;
    /** The identity account whose federated role may switch into this role. */
    readonly identityAccountId: string;
    /** Name of that federated role in the identity account, e.g. `Retail-EC2-Admins`. */
    readonly federatedRoleName: string;
    /** AWS managed policy names or policy ARNs to attach. */
    readonly managedPolicies: string[];
    /** Customer managed policies to create in the member account and attach: name and JSON document. */
    readonly customPolicies?: CustomPolicy[];
    /**
     * The role's permissions boundary: an existing policy by ARN, or a policy created here from its
     * name and document. Caps whatever the role's policies allow.
     */
    readonly permissionsBoundary?: { arn: string } | CustomPolicy;
    /** The AWS partition of the stack's region (`aws`, `aws-cn`, `aws-us-gov`, …), for the ARNs. */
    readonly partition: string;
    /** The role's description in IAM. */
    readonly description?: string;
    /** Seconds; role chaining caps the session at one hour whatever this says, a direct sign-in may use it all. */
    readonly maxSessionDuration?: number;
    /**
     * The role and its attachments exist (built by hand from the guide): import them by name and
     * as `<role>/<policy ARN>`; the guide's root-only trust then becomes this role's in place.
     */
    readonly adopt?: boolean;
    /**
     * People sign in to the role directly (okta-aws:signIn direct): it trusts this account's SAML
     * provider as a federated role trusts the identity account's; `alsoChained` (signIn both, the
     * migration's deploy) keeps the federated role's switch too.
     */
    readonly direct?: { samlProviderArn: string; sessionTags: boolean; alsoChained: boolean };
}

/** A customer managed policy this program creates: its IAM name and its document as JSON text. */
interface CustomPolicy {
    readonly name: string;
    readonly document: string;
}

/**
 * The description of a policy the role owns. IAM cannot change a policy's description (the
 * provider replaces the policy, and a policy of a fixed name cannot be replaced in place), so it
 * names only the role, which is the component's key.
 */
function customPolicyDescription(roleName: string): string {
    return `Permissions of ${roleName} (okta-aws)`;
}

/** The role's default description: how people reach it. */
function memberRoleDescription(federatedRoleArn: string, direct: CrossAccountRoleArgs["direct"]): string {
    if (!direct) {
        return `Switched into from ${federatedRoleArn} (Okta SAML federation)`;
    }
    return direct.alsoChained
        ? `Okta SAML sign-in through ${direct.samlProviderArn}, or switched into from ${federatedRoleArn}`
        : `Okta SAML sign-in through ${direct.samlProviderArn}`;
}

/** The role's trust: the federated role's switch (chained), this account's SAML provider (direct), or both. */
function memberRoleTrustPolicy(
    partition: string,
    identityAccountId: string,
    federatedRoleArn: string,
    direct: CrossAccountRoleArgs["direct"],
): string {
    const switchFrom = { identityRootArn: accountRootArn(partition, identityAccountId), federatedRoleArns: [federatedRoleArn] };
    if (!direct) {
        return crossAccountTrustPolicy(switchFrom.identityRootArn, switchFrom.federatedRoleArns);
    }
    return directMemberTrustPolicy(direct.samlProviderArn, direct.sessionTags, direct.alsoChained ? switchFrom : undefined);
}

/**
 * A role in a member account (Sales, Retail, …) that one federated role of the identity account
 * may switch into.
 */
export class CrossAccountRole extends pulumi.ComponentResource {
    public readonly role: aws.iam.Role;
    public readonly arn: pulumi.Output<string>;
    public readonly policyArns: string[];
    /** The boundary's ARN, known at preview (a created boundary's is computed from its name). */
    public readonly permissionsBoundaryArn?: string;
    public readonly switchRoleUrl: string;

    constructor(name: string, args: CrossAccountRoleArgs, opts?: pulumi.ComponentResourceOptions) {
        super("okta-aws:member:CrossAccountRole", name, {}, opts);

        const federatedRoleArn = roleArn(args.partition, args.identityAccountId, args.federatedRoleName);
        const ownPolicy = (childName: string, policy: CustomPolicy) =>
            new aws.iam.Policy(
                childName,
                { name: policy.name, description: customPolicyDescription(args.roleName), policy: policy.document },
                { parent: this },
            );
        const boundary = args.permissionsBoundary;
        // A boundary given as a document is created first: CreateRole names it (PermissionsBoundary).
        const boundaryArn =
            boundary === undefined
                ? undefined
                : "arn" in boundary
                  ? boundary.arn
                  : ownPolicy(memberRoleChildNames.boundary(name), boundary).arn;
        this.role = new aws.iam.Role(
            memberRoleChildNames.role(name),
            {
                name: args.roleName,
                description: args.description ?? memberRoleDescription(federatedRoleArn, args.direct),
                assumeRolePolicy: memberRoleTrustPolicy(args.partition, args.identityAccountId, federatedRoleArn, args.direct),
                maxSessionDuration: args.maxSessionDuration ?? 3600,
                ...(boundaryArn !== undefined && { permissionsBoundary: boundaryArn }),
            },
            { parent: this, ...importOption(args.adopt ? args.roleName : undefined) },
        );

        const managedArns = args.managedPolicies.map((policy) => managedPolicyArn(args.partition, policy));
        this.policyArns = [
            ...managedArns,
            ...(args.customPolicies ?? []).map((policy) => customerPolicyArn(args.partition, args.accountId, policy.name)),
        ];
        for (const policyArn of managedArns) {
            // Keyed by the policy's own name, so reordering the list replaces nothing.
            new aws.iam.RolePolicyAttachment(
                memberRoleChildNames.attachment(name, policyNameOf(policyArn)),
                { role: this.role.name, policyArn },
                { parent: this, ...importOption(args.adopt ? rolePolicyAttachmentImportId(args.roleName, policyArn) : undefined) },
            );
        }

        // Keyed by the policy's own name too; the config refuses a custom policy named like an attached one.
        for (const policy of args.customPolicies ?? []) {
            const created = ownPolicy(memberRoleChildNames.policy(name, policy.name), policy);
            new aws.iam.RolePolicyAttachment(
                memberRoleChildNames.attachment(name, policy.name),
                { role: this.role.name, policyArn: created.arn },
                { parent: this },
            );
        }

        this.permissionsBoundaryArn =
            boundary === undefined
                ? undefined
                : "arn" in boundary
                  ? boundary.arn
                  : customerPolicyArn(args.partition, args.accountId, boundary.name);
        this.arn = this.role.arn;
        this.switchRoleUrl = switchRoleUrl(args.accountId, args.roleName);
        this.registerOutputs({ arn: this.arn, policyArns: this.policyArns, switchRoleUrl: this.switchRoleUrl });
    }
}
