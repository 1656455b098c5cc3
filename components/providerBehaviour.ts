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
    /**
     * Inputs the provider sends with its schema's `Default` when the program leaves them out: on
     * create, and on every update (so an adopted object's own value is overwritten with it).
     */
    readonly defaults?: Readonly<Record<string, unknown>>;
    /**
     * Set when an update sends the whole object built from the program's inputs (and `defaults`)
     * rather than the inputs that changed: every other attribute of the live object is cleared.
     */
    readonly updateSendsWholeObject?: string;
    /**
     * The object's name where AWS or Okta keeps it unique (an IAM name in its account, an Okta login
     * in its org): a second object of the same name cannot exist beside the first, so a replacement
     * that keeps it must delete first, and a create under a new Pulumi name while the old object
     * still exists fails (EntityAlreadyExists).
     */
    readonly physicalName?: (inputs: Readonly<Record<string, unknown>>) => string | undefined;
    /**
     * Why deleting this object before its replacement exists would lock people out, when it would
     * (then a replacement that keeps the name is refused rather than deleted first).
     */
    readonly deletingLocksOut?: (inputs: Readonly<Record<string, unknown>>) => string | undefined;
    /** The provider source file (and, for the program's own choices, the component) this entry reads. */
    readonly source: string;
}

const text = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);
const named = (inputs: Readonly<Record<string, unknown>>) => text(inputs.name);
/** A role whose trust names a SAML provider is how people sign in: deleting it first locks them out. */
const federatedRoleLocksOut = (inputs: Readonly<Record<string, unknown>>) =>
    (text(inputs.assumeRolePolicy) ?? "").includes("sts:AssumeRoleWithSAML")
        ? "people sign in to this federated role: deleting it first signs them out of AWS until the new one exists"
        : undefined;

// Checked against the providers' source: terraform-provider-aws `internal/service/iam/*.go`
// schemas as stored at v5-era commits (@pulumi/aws 7.48.0 bridges the v6 line, not read here)
// (ForceNew and Default as listed; role.go, policy.go, saml_provider.go, role_policy.go, role_policy_attachment.go,
// group_policy.go, user_group_membership.go, access_key.go; user.go and group.go rename in place
// with UpdateUser/UpdateGroup), and terraform-provider-okta v6.12.0
// `okta/services/idaas/resource_okta_*.go` and app.go (Defaults quoted per entry).
const aws = (file: string) => `hashicorp/terraform-provider-aws internal/service/iam/${file}`;
const okta = (file: string) => `okta/terraform-provider-okta v6.12.0 okta/services/idaas/${file}`;

/** By Pulumi type token. Every type the program registers has an entry (tests/providerBehaviour.test.ts). */
export const providerBehaviour: Readonly<Record<string, ProviderBehaviour>> = {
    "aws:iam/role:Role": {
        replacedBy: ["name", "namePrefix", "path"],
        // path Default "/", max_session_duration Default 3600, force_detach_policies Default false.
        defaults: { path: "/", maxSessionDuration: 3600, forceDetachPolicies: false },
        physicalName: named,
        deletingLocksOut: federatedRoleLocksOut,
        source: aws("role.go"),
    },
    "aws:iam/policy:Policy": {
        replacedBy: ["name", "namePrefix", "path", "description"],
        defaults: { path: "/" },
        physicalName: named,
        // Update: CreatePolicyVersion with SetAsDefault, deleting the oldest version only when five
        // exist (policyPruneVersions); delete: every non-default version, then the policy.
        updateLeaves: {
            inputs: ["policy"],
            what: "the previous document stays stored as a non-default policy version (the provider keeps up to five); anyone allowed iam:SetDefaultPolicyVersion on it can make it the default again until the version is deleted",
        },
        source: aws("policy.go"),
    },
    "aws:iam/samlProvider:SamlProvider": {
        replacedBy: ["name"],
        physicalName: named,
        deletingLocksOut: () =>
            "every federated role trusts this provider: deleting it first signs everyone out of AWS until the new one exists",
        source: aws("saml_provider.go"),
    },
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": {
        replacedBy: ["role", "policyArn"],
        physicalName: (inputs) =>
            text(inputs.role) && text(inputs.policyArn) ? `${inputs.role as string}/${inputs.policyArn as string}` : undefined,
        source: aws("role_policy_attachment.go"),
    },
    "aws:iam/rolePolicy:RolePolicy": {
        replacedBy: ["name", "namePrefix", "role"],
        physicalName: (inputs) => (text(inputs.role) && named(inputs) ? `${inputs.role as string}:${inputs.name as string}` : undefined),
        source: aws("role_policy.go"),
    },
    "aws:iam/user:User": { replacedBy: [], defaults: { path: "/", forceDestroy: false }, physicalName: named, source: aws("user.go") },
    "aws:iam/group:Group": { replacedBy: [], defaults: { path: "/" }, physicalName: named, source: aws("group.go") },
    "aws:iam/groupPolicy:GroupPolicy": {
        replacedBy: ["name", "namePrefix", "group"],
        physicalName: (inputs) => (text(inputs.group) && named(inputs) ? `${inputs.group as string}:${inputs.name as string}` : undefined),
        source: aws("group_policy.go"),
    },
    "aws:iam/userGroupMembership:UserGroupMembership": { replacedBy: ["user"], source: aws("user_group_membership.go") },
    "aws:iam/accessKey:AccessKey": {
        replacedBy: ["user", "pgpKey"],
        defaults: { status: "Active" },
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
    "okta:app/saml:Saml": {
        replacedBy: ["preconfiguredApp"],
        // BuildAppVisibility, BuildAppAccessibility and the app's own settings are sent whole on
        // every update (PUT /api/v1/apps/{id}): app.go `hide_ios`, `hide_web`, `auto_submit_toolbar`,
        // `accessibility_self_service` Default false, `user_name_template` Default "${source.login}",
        // `user_name_template_type` Default "BUILT_IN"; resource_okta_app_saml.go `implicit_assignment`
        // (read as false when Okta returns none), `skip_authentication_policy` Default false.
        defaults: {
            hideIos: false,
            hideWeb: false,
            autoSubmitToolbar: false,
            accessibilitySelfService: false,
            userNameTemplate: "${source.login}",
            userNameTemplateType: "BUILT_IN",
            implicitAssignment: false,
            skipAuthenticationPolicy: false,
        },
        source: `${okta("resource_okta_app_saml.go")}, ${okta("app.go")}`,
    },
    "okta:app/oAuth:OAuth": { replacedBy: ["type", "clientId"], source: okta("resource_okta_app_oauth.go") },
    "okta:index/appOauthApiScope:AppOauthApiScope": { replacedBy: ["appId"], source: okta("resource_okta_app_oauth_api_scope.go") },
    // Delete assigns Okta's "Default Policy" to every app that used the policy, then deletes it.
    "okta:index/appSignonPolicy:AppSignonPolicy": {
        replacedBy: [],
        deletionLeaves: "the apps that used it fall back to Okta's Default Policy (the org's, not this program's rules)",
        physicalName: named,
        source: okta("resource_okta_app_signon_policy.go"),
    },
    // `access` Default "ALLOW", `factor_mode` Default "2FA", `type` Default "ASSURANCE",
    // `re_authentication_frequency` Default "PT2H": sent as the rule's verificationMethod whatever
    // its access, a DENY rule's included (buildAppSignOnPolicyRule).
    "okta:index/appSignonPolicyRule:AppSignonPolicyRule": {
        replacedBy: ["policyId"],
        defaults: { access: "ALLOW", factorMode: "2FA", type: "ASSURANCE", reAuthenticationFrequency: "PT2H" },
        source: okta("resource_okta_app_signon_policy_rule.go"),
    },
    // Delete deactivates the user, then deletes them: nothing stays (EnsureUserDelete). `status`
    // Default "ACTIVE": created with POST /api/v1/users?activate=true, which sends the person
    // Okta's activation e-mail; only STAGED creates with activate=false (resourceUserCreate). An
    // update PUTs the whole profile built from the resource's arguments (populateUserProfile), so
    // every profile attribute it does not set is cleared.
    "okta:user/user:User": {
        replacedBy: [],
        defaults: { status: "ACTIVE" },
        updateSendsWholeObject:
            "the provider updates a user with a full-profile PUT built from the configured attributes only (populateUserProfile), which clears every other profile attribute",
        physicalName: (inputs) => text(inputs.login)?.toLowerCase(),
        source: okta("resource_okta_user.go"),
    },
    "okta:group/group:Group": { replacedBy: [], physicalName: named, source: okta("resource_okta_group.go") },
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

/** `inputs` with every input the provider would add from its schema's Default: what it really sends. */
export function withProviderDefaults<T extends object>(type: string, inputs: T): T {
    return { ...(providerBehaviour[type]?.defaults ?? {}), ...inputs };
}
