// A member account role the identity account switches into: trusted by the identity account,
// narrowed to the named federated role, with AWS managed policies attached.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { importOption, rolePolicyAttachmentImportId } from "./adoption";
import { accountRootArn, managedPolicyArn, policyNameOf, roleArn, switchRoleUrl } from "./names";
import { crossAccountTrustPolicy } from "./policies";

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
    /** The AWS partition of the stack's region (`aws`, `aws-cn`, `aws-us-gov`, …), for the ARNs. */
    readonly partition: string;
    /** The role's description in IAM. */
    readonly description?: string;
    /** Seconds; role chaining caps the session at one hour whatever this says. */
    readonly maxSessionDuration?: number;
    /**
     * The role and its attachments exist (built by hand from the guide): import them by name and
     * as `<role>/<policy ARN>`; the guide's root-only trust then becomes this role's in place.
     */
    readonly adopt?: boolean;
}

/**
 * A role in a member account (Sales, Retail, …) that one federated role of the identity account
 * may switch into.
 */
export class CrossAccountRole extends pulumi.ComponentResource {
    public readonly role: aws.iam.Role;
    public readonly arn: pulumi.Output<string>;
    public readonly policyArns: string[];
    public readonly switchRoleUrl: string;

    constructor(name: string, args: CrossAccountRoleArgs, opts?: pulumi.ComponentResourceOptions) {
        super("okta-aws:member:CrossAccountRole", name, {}, opts);

        const federatedRoleArn = roleArn(args.partition, args.identityAccountId, args.federatedRoleName);
        this.role = new aws.iam.Role(
            `${name}-role`,
            {
                name: args.roleName,
                description: args.description ?? `Switched into from ${federatedRoleArn} (Okta SAML federation)`,
                assumeRolePolicy: crossAccountTrustPolicy(accountRootArn(args.partition, args.identityAccountId), [federatedRoleArn]),
                maxSessionDuration: args.maxSessionDuration ?? 3600,
            },
            { parent: this, ...importOption(args.adopt ? args.roleName : undefined) },
        );

        this.policyArns = args.managedPolicies.map((policy) => managedPolicyArn(args.partition, policy));
        for (const policyArn of this.policyArns) {
            // Keyed by the policy's own name, so reordering the list replaces nothing.
            new aws.iam.RolePolicyAttachment(
                `${name}-${policyNameOf(policyArn)}`,
                { role: this.role.name, policyArn },
                { parent: this, ...importOption(args.adopt ? rolePolicyAttachmentImportId(args.roleName, policyArn) : undefined) },
            );
        }

        this.arn = this.role.arn;
        this.switchRoleUrl = switchRoleUrl(args.accountId, args.roleName);
        this.registerOutputs({ arn: this.arn, policyArns: this.policyArns, switchRoleUrl: this.switchRoleUrl });
    }
}
