// The CrossGuard policy pack: `pulumi preview --policy-pack policy` (and `pulumi up`) judges every
// stack with the rules in ./rules.ts, the same functions the offline preview runs over its plan.
// Each policy is mandatory; a sandbox lowers one with --policy-pack-config (docs/policy-pack.md).
import { PolicyPack, PolicyResourceOptions, PolicyProviderResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { accountIdOfProvider, federationPolicies, JudgedResource, StackContext } from "./rules";

/**
 * CrossGuard's view of a resource as the rules read it. `opts.protect` is the engine's own protect
 * flag, inherited from a protected parent component as the SDK registers it (PolicyResourceOptions
 * in @pulumi/policy's policy.d.ts); `props` stays CrossGuard's unknown-checking proxy.
 */
function judged(resource: { type: string; urn: string; props: Record<string, unknown>; opts: PolicyResourceOptions }): JudgedResource {
    return { type: resource.type, urn: resource.urn, parent: resource.opts.parent, protect: resource.opts.protect, inputs: resource.props };
}

/** The stack's own account, from the AWS provider's `allowedAccountIds` (set by every stack file). */
function contextOf(providers: (PolicyProviderResource | undefined)[]): StackContext {
    const aws = providers.find((provider) => provider?.type === "pulumi:providers:aws");
    return { accountId: accountIdOfProvider(aws?.props) };
}

const policies = federationPolicies.map((policy): ResourceValidationPolicy | StackValidationPolicy => {
    const { name, description, enforcementLevel } = policy;
    if ("validateResource" in policy) {
        return {
            name,
            description,
            enforcementLevel,
            validateResource: (args, reportViolation) => {
                policy.validateResource(judged(args), contextOf([args.provider])).forEach((message) => reportViolation(message));
            },
        };
    }
    return {
        name,
        description,
        enforcementLevel,
        validateStack: (args, reportViolation) => {
            const context = contextOf(args.resources.map((r) => r.provider));
            policy.validateStack(args.resources.map(judged), context).forEach((v) => reportViolation(v.message, v.urn));
        },
    };
});

new PolicyPack("okta-aws-federation", { policies });
