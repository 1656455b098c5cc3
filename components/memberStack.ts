// A member account's stack: one CrossAccountRole per configured role, and the outputs the identity
// stack (and other teams) read, as components/outputs.ts publishes them.
import * as pulumi from "@pulumi/pulumi";
import { AuditRole } from "./auditRole";
import { MemberConfig } from "./config";
import { CrossAccountRole } from "./crossAccountRole";
import { accountRootArn } from "./names";
import { CrossAccountRoleOutput, Exported, MemberOutputs, outputsVersion } from "./outputs";

/** A member account (Sales, Retail, …): the cross-account roles the identity account switches into. */
export function memberStack(config: MemberConfig) {
    const roles = config.crossAccountRoles.map((role) => {
        const component = new CrossAccountRole(role.name, {
            roleName: role.name,
            accountId: config.account.id,
            identityAccountId: config.identityAccountId,
            federatedRoleName: role.federatedRoleName,
            managedPolicies: role.managedPolicies,
            customPolicies: role.policies,
            permissionsBoundary: role.permissionsBoundary,
            partition: config.partition,
            description: role.description,
            maxSessionDuration: role.maxSessionDuration,
            adopt: config.adopt,
        });
        return component.arn.apply((arn): CrossAccountRoleOutput => ({
            name: role.name,
            arn,
            federatedRoleName: role.federatedRoleName,
            assumePolicyName: role.assumePolicyName,
            policyArns: component.policyArns,
            ...(component.permissionsBoundaryArn && { permissionsBoundaryArn: component.permissionsBoundaryArn }),
            switchRoleUrl: component.switchRoleUrl,
            ...(role.emergency && { emergency: true }),
        }));
    });
    // What the audit assumes here; by default any principal of the identity account may.
    new AuditRole("audit-role", {
        roleName: config.auditRole.name,
        trustedPrincipal: config.auditRole.trustedPrincipal ?? accountRootArn(config.partition, config.identityAccountId),
    });
    return {
        outputsVersion,
        accountId: config.account.id,
        accountLabel: config.account.label,
        identityAccountId: config.identityAccountId,
        crossAccountRoles: pulumi.all(roles),
    } satisfies Exported<MemberOutputs>;
}
