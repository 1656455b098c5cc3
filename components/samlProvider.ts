// The IAM SAML provider that trusts the Okta AWS app's IdP metadata.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { importOption } from "./adoption";

/**
 * The arguments of a SamlProvider. The name is plain (from config: every SAML role value and
 * federated trust names it at preview); the metadata is an Input, the Okta app's output.
 */
export interface SamlProviderArgs {
    /** The provider's name in IAM; part of every SAML role value (`…:saml-provider/<name>`). */
    readonly providerName: string;
    /** The IdP metadata document of the Okta AWS app. */
    readonly metadata: pulumi.Input<string>;
    /** The provider exists (built by hand from the guide): import it by this ARN. */
    readonly adoptArn?: string;
    /** A direct member account's provider (okta-aws:signIn direct): typed as the member's, and not protected. */
    readonly member?: boolean;
}

/**
 * The IAM SAML provider that trusts the Okta app. Deleting it locks every federated user out, so
 * the identity stack protects it (see `identityStack`).
 */
export class SamlProvider extends pulumi.ComponentResource {
    public readonly provider: aws.iam.SamlProvider;
    public readonly arn: pulumi.Output<string>;

    constructor(name: string, args: SamlProviderArgs, opts?: pulumi.ComponentResourceOptions) {
        super(args.member ? "okta-aws:member:SamlProvider" : "okta-aws:identity:SamlProvider", name, {}, opts);

        this.provider = new aws.iam.SamlProvider(
            `${name}-provider`,
            { name: args.providerName, samlMetadataDocument: args.metadata },
            { parent: this, ...importOption(args.adoptArn) },
        );

        this.arn = this.provider.arn;
        this.registerOutputs({ arn: this.arn });
    }
}
