// An identity account role people sign in to through SAML, allowed to switch into exactly one
// member account role.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { importOption, rolePolicyAttachmentImportId } from "./adoption";
import { assumeRolePolicy, federatedTrustPolicy } from "./policies";

/**
 * The arguments of a FederatedRole. Every value is plain, known at preview from the config and the
 * member stacks' outputs (read before any resource is registered): both policies are complete
 * strings a preview diff shows in full.
 */
export interface FederatedRoleArgs {
    /** IAM role name in the identity account; the value users get as a SAML User Role. */
    readonly roleName: string;
    /** ARN of the SAML provider that signs users in. */
    readonly samlProviderArn: string;
    /** The member account role this federated role switches into. */
    readonly targetRoleArn: string;
    /** Name of the customer managed policy that allows the switch. */
    readonly assumePolicyName: string;
    /** Seconds; at least the Okta app's session duration, or AWS refuses the sign-in. */
    readonly maxSessionDuration: number;
    /** The role's description in IAM. */
    readonly description?: string;
    /** Okta sends session tags: the trust allows `sts:TagSession`. */
    readonly sessionTags?: boolean;
    /**
     * The role, its policy and their attachment exist (built by hand from the guide): import them
     * by the role's name and the policy's ARN, given here because it is needed before the policy
     * is registered.
     */
    readonly adopt?: { policyArn: string };
}

/**
 * The description of a federated role's permission policy. IAM cannot change a policy's
 * description, so the provider replaces the policy when it changes (`aws_iam_policy`
 * `description` is ForceNew) — and a policy of a fixed name cannot be replaced (create-before-
 * delete fails with EntityAlreadyExists; the identity stack protects it). So it names nothing
 * that can change: not the target ARN, only the role the policy belongs to.
 */
function assumePolicyDescription(roleName: string): string {
    return `Lets ${roleName} switch into its member account role (okta-aws)`;
}

/**
 * A role in the identity account that Okta users sign in to with SAML and that may switch into
 * exactly one cross-account role. Its loss locks users out: the identity stack protects the role.
 */
export class FederatedRole extends pulumi.ComponentResource {
    public readonly role: aws.iam.Role;
    public readonly policy: aws.iam.Policy;
    public readonly arn: pulumi.Output<string>;

    constructor(name: string, args: FederatedRoleArgs, opts?: pulumi.ComponentResourceOptions) {
        super("okta-aws:identity:FederatedRole", name, {}, opts);

        this.role = new aws.iam.Role(
            `${name}-role`,
            {
                name: args.roleName,
                description: args.description ?? `Okta SAML sign-in; switches into ${args.targetRoleArn}`,
                assumeRolePolicy: federatedTrustPolicy(args.samlProviderArn, args.sessionTags),
                maxSessionDuration: args.maxSessionDuration,
            },
            { parent: this, ...importOption(args.adopt && args.roleName) },
        );
        this.policy = new aws.iam.Policy(
            `${name}-policy`,
            {
                name: args.assumePolicyName,
                description: assumePolicyDescription(args.roleName),
                policy: assumeRolePolicy(args.targetRoleArn),
            },
            // Policies deployed by earlier versions name their target in the description, and an
            // adopted policy keeps the one typed by hand: keep it rather than replace them.
            { parent: this, ...importOption(args.adopt?.policyArn), ignoreChanges: ["description"] },
        );
        new aws.iam.RolePolicyAttachment(
            `${name}-policy-attachment`,
            { role: this.role.name, policyArn: this.policy.arn },
            {
                parent: this,
                ...importOption(args.adopt && rolePolicyAttachmentImportId(args.roleName, args.adopt.policyArn)),
            },
        );

        this.arn = this.role.arn;
        this.registerOutputs({ arn: this.arn, policyArn: this.policy.arn });
    }
}
