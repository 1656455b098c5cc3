// Emergency ("break-glass") access: one empty Okta group per emergency federated role. Nobody is in
// it day to day; an Okta admin adds a person at the moment of need and removes them afterwards, and
// the program never manages its memberships.
import * as okta from "@pulumi/okta";
import * as pulumi from "@pulumi/pulumi";
import { roleGroupName } from "./groupFilter";

/** The arguments of EmergencyAccess: plain, from the identity stack's config and the member stacks' outputs. */
export interface EmergencyAccessArgs {
    /** The identity account, the first part of each group's name. */
    readonly identityAccountId: string;
    /** The emergency federated roles, e.g. `Retail-Break-Glass`. */
    readonly roles: string[];
    /**
     * Emergency roles of direct members (okta-aws:signIn direct), by role: their group is the direct
     * path's role group, `aws_<member account>_<member role>`, which the app's group filter maps to
     * the member account's provider and role.
     */
    readonly directGroupNames?: Record<string, string>;
}

/**
 * The group of an emergency role is named as a role group (`aws_<identity account>_<role>`), in
 * both role assignment modes: with group mapping the AWS app's group filter reads the role from
 * it, and a switch of modes keeps the group people are added to in an emergency.
 */
export function emergencyGroupName(identityAccountId: string, role: string): string {
    return roleGroupName(identityAccountId, role);
}

/** What the group's description tells an Okta admin. */
function emergencyGroupDescription(role: string): string {
    return `Emergency access to AWS federated role ${role}: empty day to day; add a person only at the moment of need, remove them afterwards (okta-aws)`;
}

/**
 * The Okta groups of the emergency roles. The AWS app is assigned each group with its role
 * (SamlRoleAssignments), and the sign-on policy gives each group its own rule: phishing-resistant,
 * re-authenticating at every sign-in (SignOnPolicy). okta-aws-cli's app is not assigned: its token
 * exchange cannot meet a rule that re-authenticates at every sign-in (okta-aws-cli #153).
 */
export class EmergencyAccess extends pulumi.ComponentResource {
    /** Each emergency role's Okta group id, by role. */
    public readonly groupIds: Record<string, pulumi.Output<string>>;
    /** Each emergency role's Okta group name, by role. */
    public readonly groupNames: Record<string, string>;

    constructor(name: string, args: EmergencyAccessArgs, opts?: pulumi.ComponentResourceOptions) {
        super("okta-aws:identity:EmergencyAccess", name, {}, opts);

        const roles = [...args.roles].sort();
        this.groupNames = Object.fromEntries(
            roles.map((role) => [role, args.directGroupNames?.[role] ?? emergencyGroupName(args.identityAccountId, role)]),
        );
        this.groupIds = Object.fromEntries(
            roles.map((role) => [
                role,
                new okta.group.Group(
                    `${name}-${role}-group`,
                    { name: this.groupNames[role], description: emergencyGroupDescription(role) },
                    { parent: this },
                ).id,
            ]),
        );
        this.registerOutputs({ groupIds: this.groupIds, groupNames: this.groupNames });
    }
}
