// The read-only role the audit (npm run audit) assumes in an account: trusted by one principal,
// allowed exactly the audit's IAM reads, so the audit can see everything it judges and change nothing.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { auditRolePolicy, auditRoleTrustPolicy } from "./policies";

/** The arguments of an AuditRole. Plain values from the stack's config: the documents are complete at preview. */
export interface AuditRoleArgs {
    /** IAM role name, the same in every account (`okta-aws:auditRole.name`). */
    readonly roleName: string;
    /** The principal the audit runs as (a CI role, or the identity account's root), by ARN. */
    readonly trustedPrincipal: string;
}

/** The audit's read-only role in one account. */
export class AuditRole extends pulumi.ComponentResource {
    public readonly arn: pulumi.Output<string>;

    constructor(name: string, args: AuditRoleArgs, opts?: pulumi.ComponentResourceOptions) {
        super("okta-aws:audit:AuditRole", name, {}, opts);

        const role = new aws.iam.Role(
            `${name}-role`,
            {
                name: args.roleName,
                description: "Read-only: npm run audit reads the federation's roles, policies and SAML providers (okta-aws)",
                assumeRolePolicy: auditRoleTrustPolicy(args.trustedPrincipal),
                maxSessionDuration: 3600,
            },
            { parent: this },
        );
        // Inline, so the role's whole permission is in this one document the policy pack judges.
        new aws.iam.RolePolicy(
            `${name}-policy`,
            { name: "okta-aws-audit-read", role: role.name, policy: auditRolePolicy() },
            { parent: this },
        );

        this.arn = role.arn;
        this.registerOutputs({ arn: this.arn });
    }
}
