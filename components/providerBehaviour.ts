// What the providers really do with each resource type this program registers, as one cited table:
// which inputs replace the object instead of updating it, and what a deletion (alone, or as the
// first half of a replacement) or an update in place leaves behind in AWS or Okta. The mock cloud
// judges imports with it (tools/mock/existing.ts) and the access diff names what stays until
// someone removes it by hand (tools/report/accessDiff.ts). Sources: hashicorp/terraform-provider-aws
// `internal/service/iam/*.go` (bridged by @pulumi/aws 7) and okta/terraform-provider-okta
// `okta/services/idaas/*.go` (bridged by @pulumi/okta 7); a type missing here is one the diff
// cannot vouch for, and says so.

/** One resource type's replacement and removal semantics. */
export interface ProviderBehaviour {
    /**
     * Inputs whose change replaces the object (the provider's ForceNew, or the program's
     * `replaceOnChanges`) instead of updating it in place.
     */
    readonly replacedBy: readonly string[];
    /** What deleting the object leaves in AWS or Okta; absent when nothing stays. */
    readonly deletionLeaves?: string;
    /**
     * The input whose value `true` in the state being deleted makes the provider clean up what
     * `deletionLeaves` names: the value the object had when it was last deployed counts, not the new one.
     */
    readonly cleanedUpBy?: string;
    /** What an update in place of one of `inputs` leaves behind. */
    readonly updateLeaves?: { readonly inputs: readonly string[]; readonly what: string };
    /** The provider source file (and, for the program's own choices, the component) this entry reads. */
    readonly source: string;
}

const aws = (file: string) => `hashicorp/terraform-provider-aws internal/service/iam/${file}`;
const okta = (file: string) => `okta/terraform-provider-okta okta/services/idaas/${file}`;

/** By Pulumi type token. Every type the program registers has an entry (tests/providerBehaviour.test.ts). */
export const providerBehaviour: Readonly<Record<string, ProviderBehaviour>> = {
    "aws:iam/role:Role": { replacedBy: ["name", "namePrefix", "path"], source: aws("role.go") },
    "aws:iam/policy:Policy": {
        replacedBy: ["name", "namePrefix", "path", "description"],
        // Update: CreatePolicyVersion with SetAsDefault, deleting the oldest version only when five
        // exist (policyPruneVersions); delete: every non-default version, then the policy.
        updateLeaves: {
            inputs: ["policy"],
            what: "the previous document stays stored as a non-default policy version (the provider keeps up to five); anyone allowed iam:SetDefaultPolicyVersion on it can make it the default again until the version is deleted",
        },
        source: aws("policy.go"),
    },
    "aws:iam/samlProvider:SamlProvider": { replacedBy: ["name"], source: aws("saml_provider.go") },
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": { replacedBy: ["role", "policyArn"], source: aws("role_policy_attachment.go") },
    "aws:iam/rolePolicy:RolePolicy": { replacedBy: ["name", "namePrefix", "role"], source: aws("role_policy.go") },
    "aws:iam/user:User": { replacedBy: [], source: aws("user.go") },
    "aws:iam/group:Group": { replacedBy: [], source: aws("group.go") },
    "aws:iam/groupPolicy:GroupPolicy": { replacedBy: ["name", "namePrefix", "group"], source: aws("group_policy.go") },
    "aws:iam/userGroupMembership:UserGroupMembership": { replacedBy: ["user"], source: aws("user_group_membership.go") },
    "aws:iam/accessKey:AccessKey": {
        replacedBy: ["user", "pgpKey"],
        deletionLeaves:
            "the key pair entered by hand in the Okta AWS app's API integration stays there and no longer works: Okta cannot import roles until an administrator enters the new key",
        source: `${aws("access_key.go")}; components/serviceUser.ts (rotation replaces the key)`,
    },
    // The program's only RandomId is the OktaSSO key's rotation: replacing it replaces the key.
    "random:index/randomId:RandomId": {
        replacedBy: ["keepers", "byteLength", "prefix"],
        deletionLeaves:
            "the OktaSSO access key it rotates goes with it: the old key pair entered by hand in the Okta AWS app's API integration stays there and no longer works until an administrator enters the new one",
        source: "pulumi/pulumi-random resource_id.go (keepers force a new id); components/serviceUser.ts (replacementTrigger)",
    },
    "okta:app/saml:Saml": { replacedBy: ["preconfiguredApp"], source: okta("resource_okta_app_saml.go") },
    "okta:app/oAuth:OAuth": { replacedBy: ["type", "clientId"], source: okta("resource_okta_app_oauth.go") },
    "okta:index/appOauthApiScope:AppOauthApiScope": { replacedBy: ["appId"], source: okta("resource_okta_app_oauth_api_scope.go") },
    // Delete assigns Okta's "Default Policy" to every app that used the policy, then deletes it.
    "okta:index/appSignonPolicy:AppSignonPolicy": {
        replacedBy: [],
        deletionLeaves: "the apps that used it fall back to Okta's Default Policy (the org's, not this program's rules)",
        source: okta("resource_okta_app_signon_policy.go"),
    },
    "okta:index/appSignonPolicyRule:AppSignonPolicyRule": {
        replacedBy: ["policyId"],
        source: okta("resource_okta_app_signon_policy_rule.go"),
    },
    // Delete deactivates the user, then deletes them: nothing stays (EnsureUserDelete).
    "okta:user/user:User": { replacedBy: [], source: okta("resource_okta_user.go") },
    "okta:group/group:Group": { replacedBy: [], source: okta("resource_okta_group.go") },
    "okta:app/user:User": {
        replacedBy: ["appId", "userId"],
        source: `${okta("resource_okta_app_user.go")}; components/samlRoleAssignments.ts (replaceOnChanges)`,
    },
    "okta:app/groupAssignment:GroupAssignment": { replacedBy: ["appId", "groupId"], source: okta("resource_okta_app_group_assignment.go") },
    // Delete removes exactly the users it lists; members added elsewhere stay, by design.
    "okta:index/groupMemberships:GroupMemberships": { replacedBy: ["groupId"], source: okta("resource_okta_group_memberships.go") },
    // group_assignments is ForceNew ("Actions cannot be updated even on a deactivated rule"); delete
    // calls DeleteGroupRule with removeUsers = the state's remove_assigned_users (default false).
    "okta:group/rule:Rule": {
        replacedBy: ["groupAssignments"],
        deletionLeaves: "the memberships the rule made in its target groups stay: Okta keeps the people it added",
        cleanedUpBy: "removeAssignedUsers",
        source: okta("resource_okta_group_rule.go"),
    },
};
