// A consuming team's Pulumi program, as docs/outputs.md shows it: it reads the okta-aws stacks through
// StackReferences, typed by the published contract, and refuses a contract version it does not
// know. Type-checked with the project (tsc) and run against the shipped stacks by
// tests/outputs.test.ts.
import * as pulumi from "@pulumi/pulumi";
import type { IdentityOutputs, MemberOutputs } from "../../components/outputs";

export = async () => {
    const org = pulumi.getOrganization();
    const identity = new pulumi.StackReference(`${org}/okta-aws/identity`);
    const retail = new pulumi.StackReference(`${org}/okta-aws/retail`);
    const versions: unknown[] = await Promise.all([identity, retail].map((stack) => stack.getOutputValue("outputsVersion")));
    if (versions.some((version) => version !== 2)) {
        throw new Error(`okta-aws outputs versions ${versions.join(", ")} (identity, retail); this program reads version 2`);
    }

    const federatedRoles = identity.requireOutput("federatedRoles") as pulumi.Output<IdentityOutputs["federatedRoles"]>;
    const crossAccountRoles = retail.requireOutput("crossAccountRoles") as pulumi.Output<MemberOutputs["crossAccountRoles"]>;
    return {
        // e.g. for a bucket policy: the identity-account roles that may switch into Retail
        retailFederatedRoleArns: pulumi
            .all([federatedRoles, crossAccountRoles])
            .apply(([arns, roles]) => roles.map((role) => arns[role.federatedRoleName]).sort()),
        retailSwitchRoleLinks: crossAccountRoles.apply((roles) => roles.map((role) => role.switchRoleUrl)),
    };
};
