import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { oktaSsoPolicy } from "./policies";

export interface OktaSsoUserArgs {
    /** IAM user name, `OktaSSO` in the guide. */
    readonly userName: string;
    /** Any value; changing it rotates the access key (the new key is created before the old one goes). */
    readonly keyRotation?: string;
}

/**
 * The IAM user whose access key the Okta app's API integration uses to list the identity
 * account's roles. Its only permissions come through a group, so the user carries no policy.
 */
export class OktaSsoUser extends pulumi.ComponentResource {
    public readonly user: aws.iam.User;
    public readonly group: aws.iam.Group;
    public readonly accessKeyId: pulumi.Output<string>;
    /** Always a Pulumi secret. */
    public readonly secretAccessKey: pulumi.Output<string>;

    constructor(name: string, args: OktaSsoUserArgs, opts?: pulumi.ComponentResourceOptions) {
        super("okta-aws:identity:OktaSsoUser", name, {}, opts);

        this.user = new aws.iam.User(`${name}-user`, { name: args.userName }, { parent: this });
        this.group = new aws.iam.Group(`${name}-group`, { name: `${args.userName}-RoleDiscovery` }, { parent: this });
        new aws.iam.GroupPolicy(
            `${name}-group-policy`,
            { name: "okta-list-roles", group: this.group.name, policy: oktaSsoPolicy() },
            { parent: this },
        );
        new aws.iam.UserGroupMembership(
            `${name}-membership`,
            { user: this.user.name, groups: [this.group.name] },
            { parent: this },
        );

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
