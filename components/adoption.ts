// Adopting an organisation built by hand from the guide: the import id of every object the program
// adopts, in the format each provider documents, and what the guide built that the program leaves
// alone. Plain functions; the components register with `importOption(...)`.
//
// Pulumi's `import` option reads the object by its id and records it in the stack; since
// pulumi/pulumi#19339 ("New eventual state import system") an import whose inputs differ from the
// object is followed by an ordinary update in the same `pulumi up` ("If the resource's arguments
// differ from the imported state, the import will succeed, and the resource will then be modified
// to reflect the inputs in your Pulumi program": pulumi.com/docs/iac/concepts/resources/options/import).
// An update that needs a replacement would replace: every name an id is built from therefore comes
// from the configuration (the guide's names), and no property that forces a replacement differs.
import * as pulumi from "@pulumi/pulumi";
import type { IdentityConfig } from "./config";
import { oktaId } from "./config/fields";
import { customerPolicyArn, iamNameCharacter } from "./names";

/** The `import` option for an id, or no option at all when the object is not adopted. */
export function importOption(id: string | undefined): Pick<pulumi.CustomResourceOptions, "import"> {
    return id === undefined ? {} : { import: id };
}

/** `@pulumi/aws` iam/policy.d.ts, "## Import": "import IAM Policies using the `arn`". */
export function policyImportId(partition: string, accountId: string, policyName: string): string {
    return customerPolicyArn(partition, accountId, policyName);
}

/**
 * `@pulumi/aws` iam/rolePolicyAttachment.d.ts, "## Import": "the role name and policy arn
 * separated by `/`" (`test-role/arn:aws:iam::xxxxxxxxxxxx:policy/test-policy`).
 */
export function rolePolicyAttachmentImportId(roleName: string, policyArn: string): string {
    return `${roleName}/${policyArn}`;
}

/** `@pulumi/okta` app/user.d.ts and app/groupAssignment.d.ts, "## Import": `<app_id>/<user_id>`, `<app_id>/<group_id>`. */
export function appAssignmentImportId(appId: string, userOrGroupId: string): string {
    return `${appId}/${userOrGroupId}`;
}

const iamName = `${iamNameCharacter}{1,128}`;
const arnPrefix = "arn:aws[\\w-]*:iam::";

/**
 * The import id each provider documents for the types this program adopts, as a pattern and as
 * the documentation writes it. Quoted from the `## Import` sections of
 * `node_modules/@pulumi/aws/iam/*.d.ts` and `node_modules/@pulumi/okta/**\/*.d.ts`.
 */
export const importIdFormats: Readonly<Record<string, { pattern: RegExp; documented: string }>> = {
    // "import IAM Roles using the `name`"
    "aws:iam/role:Role": { pattern: new RegExp(`^${iamName}$`), documented: "<role name>" },
    // "import IAM Policies using the `arn`"
    "aws:iam/policy:Policy": {
        pattern: new RegExp(`^${arnPrefix}\\d{12}:policy/(${iamName}/)*${iamName}$`),
        documented: "arn:aws:iam::<account>:policy/<name>",
    },
    // "import IAM SAML Providers using the `arn`"
    "aws:iam/samlProvider:SamlProvider": {
        pattern: new RegExp(`^${arnPrefix}\\d{12}:saml-provider/[\\w.-]{1,128}$`),
        documented: "arn:aws:iam::<account>:saml-provider/<name>",
    },
    // "the role name and policy arn separated by `/`"
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": {
        pattern: new RegExp(`^${iamName}/${arnPrefix}(\\d{12}|aws):policy/(${iamName}/)*${iamName}$`),
        documented: "<role name>/<policy arn>",
    },
    // "import IAM Users using the `name`"
    "aws:iam/user:User": { pattern: new RegExp(`^${iamName}$`), documented: "<user name>" },
    // `pulumi import okta:app/saml:Saml example <app_id>`
    "okta:app/saml:Saml": { pattern: new RegExp(`^${oktaId("0oa")}$`), documented: "<app_id>" },
    // `pulumi import okta:user/user:User example <user_id>`
    "okta:user/user:User": { pattern: new RegExp(`^${oktaId("00u")}$`), documented: "<user_id>" },
    // `pulumi import okta:group/group:Group example <group_id>`
    "okta:group/group:Group": { pattern: new RegExp(`^${oktaId("00g")}$`), documented: "<group_id>" },
    // `pulumi import okta:app/user:User example <app_id>/<user_id>`
    "okta:app/user:User": { pattern: new RegExp(`^${oktaId("0oa")}/${oktaId("00u")}$`), documented: "<app_id>/<user_id>" },
    // `pulumi import okta:app/groupAssignment:GroupAssignment example <app_id>/<group_id>`
    "okta:app/groupAssignment:GroupAssignment": {
        pattern: new RegExp(`^${oktaId("0oa")}/${oktaId("00g")}$`),
        documented: "<app_id>/<group_id>",
    },
};

/** Something the guide built by hand that the program does not manage, and what to do about it. */
export interface LeftAlone {
    object: string;
    reason: string;
    action: string;
}

/**
 * What an adopted identity account keeps that the program does not model: the `OktaSSO` user's
 * inline policy (the program grants the same through a group, and allows no policy on a user) and
 * its hand-made access key (IAM never returns a secret again, so the key cannot be imported with
 * it: the program makes a new key, and the old one keeps Okta's provisioning working until the new
 * one is pasted). With group mapping the program makes no `OktaSSO` user at all (no provisioning),
 * and people's SAML User Roles give way to role groups.
 */
export function leftAloneInIdentity(config: IdentityConfig): LeftAlone[] {
    const user = config.oktaSsoUser.name;
    const policy = config.oktaSsoUser.inlinePolicyName;
    if (config.oktaApp.roleAssignment === "groupMapping") {
        return [
            {
                object: `IAM user ${user} with its inline policy ${policy} and access keys`,
                reason: "group mapping needs no API integration, so the program makes no role-listing user",
                action: `once people sign in through their role groups, switch the app's API integration off, then delete the user's keys, its policy (aws iam delete-user-policy --user-name ${user} --policy-name ${policy}) and the user`,
            },
            {
                object: `the SAML User Roles on people's assignments to the Okta app "${config.oktaApp.label}"`,
                reason: "with group mapping the app reads roles from the role groups; those assignments are not the program's",
                action: "unassign people from the app by hand once their role groups give them the same roles",
            },
        ];
    }
    return [
        {
            object: `IAM inline policy ${policy} of user ${user}`,
            reason: `the program grants ${user} iam:ListRoles and iam:ListAccountAliases through the group ${user}-RoleDiscovery, never through a policy on the user`,
            action: `after this stack's first successful pulumi up: aws iam delete-user-policy --user-name ${user} --policy-name ${policy}`,
        },
        {
            object: `IAM access keys of user ${user} made by hand`,
            reason: "an access key cannot be imported with its secret; the program made a new key (provisioning.accessKeyId), and Okta keeps using the old one until the new one is pasted",
            action: `paste the new key into Okta (provisioning.checklist), Test API Credentials, then: aws iam list-access-keys --user-name ${user}; aws iam update-access-key --status Inactive and, once provisioning still works, aws iam delete-access-key for each old key`,
        },
        {
            object: `the API integration (Provisioning tab) of the Okta app "${config.oktaApp.label}"`,
            reason: "Okta's public API cannot read or write it; importing the app leaves it as it is",
            action: `none, until the ${user} key is replaced (above)`,
        },
    ];
}
