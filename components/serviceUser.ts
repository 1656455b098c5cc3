// An IAM user for a machine (Okta's role discovery, the legacy CLI's role introspection): its
// permissions only through a group, one access key kept secret, rotated on demand.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { importOption } from "./adoption";

/**
 * The arguments of a ServiceUser. Every value is plain, from config or fixed in code: the policy is
 * a complete string a preview diff shows in full.
 */
export interface ServiceUserArgs {
    /** IAM user name, e.g. `OktaSSO`. */
    readonly userName: string;
    /** The group that carries the user's only permissions. */
    readonly groupName: string;
    /** Name of the group's inline policy. */
    readonly policyName: string;
    /** The group's policy document (JSON). */
    readonly policy: string;
    /** Any value; changing it rotates the access key (the new key is created before the old one goes). */
    readonly keyRotation?: string;
    /**
     * The user exists (built by hand from the guide): import it by name. Its group, policy and
     * membership are the program's own; its key is a new one (IAM never returns a secret again).
     */
    readonly adoptUser?: boolean;
}

/**
 * An IAM user for a tool that cannot federate (the Okta app's API integration, the legacy CLI's
 * role introspection): permissions only through a group, so the user carries no policy, and one
 * access key whose secret is always a Pulumi secret.
 */
export class ServiceUser extends pulumi.ComponentResource {
    public readonly user: aws.iam.User;
    public readonly group: aws.iam.Group;
    public readonly accessKeyId: pulumi.Output<string>;
    /** Always a Pulumi secret. */
    public readonly secretAccessKey: pulumi.Output<string>;

    constructor(name: string, args: ServiceUserArgs, opts?: pulumi.ComponentResourceOptions) {
        super("okta-aws:identity:ServiceUser", name, {}, opts);

        this.user = new aws.iam.User(
            `${name}-user`,
            { name: args.userName },
            { parent: this, ...importOption(args.adoptUser ? args.userName : undefined) },
        );
        this.group = new aws.iam.Group(`${name}-group`, { name: args.groupName }, { parent: this });
        new aws.iam.GroupPolicy(
            `${name}-group-policy`,
            { name: args.policyName, group: this.group.name, policy: args.policy },
            { parent: this },
        );
        new aws.iam.UserGroupMembership(`${name}-membership`, { user: this.user.name, groups: [this.group.name] }, { parent: this });

        // The keeper records the rotation value in state; when it changes the id is replaced and
        // `replacementTrigger` replaces the key with it, create-before-delete.
        const rotation = new random.RandomId(
            `${name}-key-rotation`,
            { byteLength: 4, keepers: { keyRotation: args.keyRotation ?? "initial" } },
            { parent: this },
        );
        const accessKey = new aws.iam.AccessKey(
            `${name}-access-key`,
            { user: this.user.name },
            { parent: this, replacementTrigger: rotation.hex },
        );

        this.accessKeyId = accessKey.id;
        this.secretAccessKey = pulumi.secret(accessKey.secret);
        this.registerOutputs({ accessKeyId: this.accessKeyId, secretAccessKey: this.secretAccessKey });
    }
}
