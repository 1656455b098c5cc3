import * as pulumi from "@pulumi/pulumi";
import { MemberConfig } from "./config";
import { CrossAccountRole } from "./crossAccountRole";

/** One entry of a member stack's `crossAccountRoles` output: what the identity stack builds on. */
export interface CrossAccountRoleOutput {
    name: string;
    arn: string;
    federatedRoleName: string;
    assumePolicyName: string;
    policyArns: string[];
    switchRoleUrl: string;
}

export interface MemberStackOutputs {
    accountId: string;
    accountLabel: string;
    identityAccountId: string;
    crossAccountRoles: pulumi.Output<CrossAccountRoleOutput[]>;
}

/** A member account (Sales, Retail, …): the cross-account roles the identity account switches into. */
export function memberStack(config: MemberConfig): MemberStackOutputs {
    const roles = config.crossAccountRoles.map((role) => {
        const component = new CrossAccountRole(role.name, {
            roleName: role.name,
            accountId: config.account.id,
            identityAccountId: config.identityAccountId,
            federatedRoleName: role.federatedRoleName,
            managedPolicies: role.managedPolicies,
            partition: config.partition,
            description: role.description,
            maxSessionDuration: role.maxSessionDuration,
        });
        return component.arn.apply((arn): CrossAccountRoleOutput => ({
            name: role.name,
            arn,
            federatedRoleName: role.federatedRoleName,
            assumePolicyName: role.assumePolicyName,
            policyArns: component.policyArns,
            switchRoleUrl: component.switchRoleUrl,
        }));
    });
    return {
        accountId: config.account.id,
        accountLabel: config.account.label,
        identityAccountId: config.identityAccountId,
        crossAccountRoles: pulumi.all(roles),
    };
}
