// The key schema: every `okta-aws:*` key with its rules and defaults, and the parsed configuration's
// types, derived from it (one source of truth).
import { z } from "zod";
import { signOnAssurances } from "../signOnPolicy";
import {
    accountId,
    accountLabel,
    iamDescription,
    iamPrincipalArn,
    iamPolicyName,
    iamRoleName,
    iamUserName,
    isAwsConsoleUrl,
    isoDuration,
    managedPolicy,
    oktaLogin,
    oktaObjectId,
    oneLine,
    personName,
    samlProviderName,
    sessionDuration,
    stackName,
} from "./fields";

/**
 * A customer managed policy the program creates: its name and its document, inline (a JSON object
 * in the stack file) or in a `.json` file of the stack file's policies/ folder, named in plain
 * characters so that the name a reviewer reads is the file the program opens.
 */
const customPolicy = z
    .strictObject({
        name: iamPolicyName.describe("The customer managed policy's name in the member account"),
        document: z
            .record(z.string(), z.unknown(), { error: "must be a JSON object (a policy document)" })
            .optional()
            .describe("The policy document inline, as YAML or JSON; exactly one of document and file"),
        file: z
            .string()
            .regex(/^[A-Za-z0-9._/-]+$/, "must be a file name of A-Z a-z 0-9 . _ - and / (policies/<name>.json)")
            .optional()
            .describe("A .json file in the policies/ folder beside the stack file (policies/<name>.json)"),
    })
    .refine((p) => (p.document === undefined) !== (p.file === undefined), {
        message: "give the policy's document inline (document:) or a .json file beside the stack file (file:), exactly one of them",
    });

const crossAccountRole = z
    .strictObject({
        name: iamRoleName.describe("The IAM role's name in the member account (EC2_Admins)"),
        managedPolicies: z
            .array(managedPolicy)
            .max(10, "must name at most 10 policies (IAM's default quota of managed policies per role)")
            .optional()
            .describe("Policies attached to the role: AWS managed policy names (AmazonEC2FullAccess) or policy ARNs"),
        policies: z
            .array(customPolicy)
            .optional()
            .describe("The team's own policies, created in the member account and attached (docs/member-roles.md)"),
        permissionsBoundary: z
            .union([z.string(), customPolicy], { error: "must be a policy ARN, or { name, document | file } to create the policy" })
            .optional()
            .describe(
                "Caps whatever the role's policies allow: an existing policy's ARN or AWS managed policy name, or { name, document | file } created here",
            ),
        emergency: z
            .boolean()
            .default(false)
            .describe("Held by nobody day to day: reached only through its Okta emergency group (docs/sign-on-and-emergency.md)"),
        federatedRoleName: iamRoleName
            .optional()
            .describe(
                "The identity account role that switches into it; default <account label>-<role name with _ as ->, e.g. Retail-EC2-Admins",
            ),
        assumePolicyName: iamPolicyName
            .optional()
            .describe(
                "The federated role's permission policy; default allow-assume-<account label>-<role name>-role in lower case, _ as - (allow-assume-retail-ec2-admins-role)",
            ),
        description: iamDescription.optional().describe("The IAM role's description"),
        maxSessionDuration: sessionDuration(3600, "IAM role maximum session duration")
            .optional()
            .describe("The role's maximum session in seconds; a role-chained session lasts at most one hour whatever it says"),
    })
    .refine((role) => (role.managedPolicies?.length ?? 0) + (role.policies?.length ?? 0) > 0, {
        message: "must attach at least one policy: name managedPolicies, or give policies of its own",
    });

/** The app sign-on policy of the AWS app and okta-aws-cli's app (components/signOnPolicy.ts). */
const signOnPolicy = z.union(
    [
        z.literal(false),
        z.strictObject({
            assurance: z
                .enum(signOnAssurances, { error: `must be one of ${signOnAssurances.join(", ")}` })
                .default("mfa")
                .describe("mfa: any two factors; phishingResistant: one of them FIDO2/WebAuthn or Okta FastPass"),
            reauthenticate: isoDuration
                .default("PT12H")
                .describe("How long a sign-in lasts before people sign in again: an ISO 8601 duration of hours, minutes, seconds (PT8H)"),
            networkZones: z
                .array(oktaObjectId("nzo", "network zone"))
                .min(1, "must name at least one network zone")
                .optional()
                .describe("Okta network zone ids (nzo…) people may sign in from; anywhere when not given"),
        }),
    ],
    { error: "must be { assurance, reauthenticate, networkZones } or false (no sign-on policy: no MFA enforced by this program)" },
);

/** Okta Identity Engine has app sign-on policies; Classic Engine has no public API for them. */
const oktaEngines = ["identity", "classic"] as const;

/**
 * `samlUserRoles`: each user and group assignment of the AWS app carries a `samlRoles` profile
 * (the guide's way). `groupMapping`: one Okta group per federated role, read by the app's group
 * filter (Okta's way for many accounts and people).
 */
export const roleAssignmentModes = ["samlUserRoles", "groupMapping"] as const;
export type RoleAssignmentMode = (typeof roleAssignmentModes)[number];

/**
 * How people reach a member account's roles (docs/topologies.md). `chained`: they sign in to a
 * federated role of the identity account and switch into the member role (the guide's hub; a
 * chained session lasts at most one hour). `direct`: Okta's multi-account setup, a SAML provider in
 * the member account and `AssumeRoleWithSAML` straight into its roles. `both`: the one deploy of a
 * migration in which both paths work, so that moving either way locks nobody out.
 */
export const signInPaths = ["chained", "direct", "both"] as const;
export type SignInPath = (typeof signInPaths)[number];

/** Who owns the members of groupMapping's role groups (the audit's view of memberships made elsewhere). */
const roleGroupMemberships = ["leftAlone", "managed"] as const;

const samlRoles = z
    .array(iamRoleName)
    .min(1, "must name at least one SAML role")
    .describe("Federated role names the member stacks export (Retail-EC2-Admins), at least one");

const user = z
    .strictObject({
        login: oktaLogin.describe("The Okta login, e-mail-like; also the AWS session name"),
        firstName: personName.optional().describe("With lastName: the user is created in Okta; without: an existing user, looked up"),
        lastName: personName.optional().describe("With firstName: the user is created in Okta"),
        email: oktaLogin.optional().describe("The created user's e-mail; default the login"),
        // ACTIVE (the provider's default too) creates with activate=true, which sends Okta's activation
        // e-mail; STAGED creates without one (terraform-provider-okta resource_okta_user.go resourceUserCreate).
        status: z
            .enum(["ACTIVE", "STAGED"])
            .optional()
            .describe("A created user's status: ACTIVE (default; Okta sends the activation e-mail) or STAGED (no e-mail, activate later)"),
        samlRoles: samlRoles.describe("The federated roles the person holds (their own assignment)"),
        oktaId: oktaObjectId("00u", "user").optional().describe("The existing Okta user (00u…), adopted while okta-aws:adopt is true"),
    })
    .refine((u) => (u.firstName === undefined) === (u.lastName === undefined), {
        message: "give both firstName and lastName to create the user in Okta, or neither to use an existing user",
    })
    .refine((u) => u.status === undefined || u.firstName !== undefined, {
        message: "status is chosen for a user the program creates (with firstName and lastName); an existing user keeps theirs",
        path: ["status"],
    });

const group = z.strictObject({
    name: oneLine(255, "Okta group names").describe(
        "The Okta group's name; the program creates the group, unless it is an existing one (existing, oktaId)",
    ),
    description: oneLine(1024, "Okta group descriptions").optional().describe("The description of a group the program creates"),
    samlRoles: samlRoles.describe("The federated roles every member holds"),
    members: z
        .array(oktaLogin)
        .optional()
        .describe(
            "Logins the program puts in a group it creates: people of okta-aws:users, or existing Okta users (looked up; they need no entry in okta-aws:users)",
        ),
    existing: z
        .boolean()
        .optional()
        .describe(
            "true: the group exists in Okta (a directory's), found by its exact name; the program assigns it to the app and never creates, changes or fills it: its members are managed in Okta",
        ),
    oktaId: oktaObjectId("00g", "group")
        .optional()
        .describe(
            "An existing Okta group (00g…) the program assigns and never creates, changes or fills; while okta-aws:adopt is true (and existing is not), the group adopted instead",
        ),
});

/** Every `okta-aws:*` key, with its schema. Unknown keys are typos and are rejected. */
export const oktaAwsKeys = {
    account: z
        .strictObject({
            name: z
                .string()
                .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "must be a short lower-case name (a-z 0-9 -)")
                .describe("A short lower-case name (retail), used in resource names"),
            label: accountLabel.describe("The label that starts every federated role and CLI profile name (Retail)"),
            id: accountId.describe("The 12-digit account id, quoted (YAML drops an unquoted number's leading zeros)"),
        })
        .describe("Every stack: the AWS account the stack deploys into"),
    identityAccountId: accountId
        .optional()
        .describe("Member stacks: the identity account whose federated roles may switch into this account's roles"),
    crossAccountRoles: z
        .array(crossAccountRole)
        .min(1, "must list at least one role")
        .optional()
        .describe("Member stacks: the roles people switch into from the identity account"),
    signIn: z
        .enum(signInPaths, { error: `must be one of ${signInPaths.join(", ")}` })
        .optional()
        .describe(
            "Member stacks: chained (default; switch from a federated role of the identity account), direct (a SAML provider here, AssumeRoleWithSAML into the roles; needs groupMapping) or both (the one deploy of a migration) (docs/topologies.md)",
        ),
    identityStack: stackName
        .optional()
        .describe(
            "Member stacks with signIn direct or both: the identity stack whose Okta app metadata this account's SAML provider holds (read by StackReference)",
        ),
    memberStacks: z
        .array(stackName)
        .min(1, "must name at least one member stack")
        .optional()
        .describe("The identity stack: its member stacks, as pulumi stack select reads them (stack, org/stack or org/project/stack)"),
    samlProviderName: samlProviderName.default("Okta").describe("The identity stack: the IAM SAML provider's name"),
    oktaApp: z
        .strictObject({
            label: z.string().min(1).max(100).default("Amazon Web Services").describe("The Okta app's label, as people see it"),
            sessionDuration: sessionDuration(900, "Okta AWS app session duration")
                .default(3600)
                .describe("Seconds of the SAML session into the identity account; at most every federated role's maximum"),
            loginUrl: z
                .string()
                .refine(
                    isAwsConsoleUrl,
                    "must be an AWS console URL (https://console.aws.amazon.com/… or https://<region>.console.aws.amazon.com/…): people land there after signing in",
                )
                .default("https://console.aws.amazon.com/ec2/home")
                .describe("The AWS console page people land on after signing in"),
            joinAllRoles: z
                .boolean()
                .default(true)
                .describe("Join the roles of all the person's groups and their own assignment (Okta's joinAllRoles)"),
            roleAssignment: z
                .enum(roleAssignmentModes, { error: `must be one of ${roleAssignmentModes.join(", ")}` })
                .default("samlUserRoles")
                .describe("How people get their roles: SAML User Roles per assignment, or Okta groups named per role (docs/modes.md)"),
            rolesImported: z
                .boolean()
                .default(false)
                .describe("The API integration is on and has imported the roles: Okta now accepts samlRoles values"),
            sessionTags: z
                .boolean()
                .default(false)
                .describe(
                    "Okta sends the PrincipalTag:login session tag (an admin added the attribute statement by hand); the federated roles' trust allows sts:TagSession",
                ),
            // Okta's public API cannot set attribute statements of the Amazon Web Services app
            // (okta/terraform-provider-okta #1635, labelled no-api), and the app sends only Role,
            // RoleSessionName and SessionDuration on its own.
            sourceIdentity: z
                .boolean()
                .default(false)
                .describe("Okta sends the SourceIdentity attribute, the login (an admin added its attribute statement by hand)"),
            id: oktaObjectId("0oa", "app")
                .optional()
                .describe("The app's Okta id (0oa…): the existing app adopted while okta-aws:adopt is true, or the app once rolesImported"),
            roleGroupMembers: z
                .enum(roleGroupMemberships, { error: `must be one of ${roleGroupMemberships.join(", ")}` })
                .default("leftAlone")
                .describe(
                    "groupMapping: leftAlone (role group memberships made elsewhere are reported by the audit, not judged) or managed (the code's are the only ones)",
                ),
        })
        .prefault({})
        .describe("The identity stack: the Okta Amazon Web Services app"),
    oktaSsoUser: z
        .strictObject({
            name: iamUserName.default("OktaSSO").describe("The IAM user's name"),
            keyRotation: z
                .string()
                .min(1)
                .optional()
                .describe("Change this value to rotate the access key (new key first, then the old one goes)"),
            // The program never manages the guide's inline policy (its permissions come through a group).
            inlinePolicyName: iamPolicyName
                .default("Okta-SSO-User-Policy")
                .describe("The inline policy the guide puts on the user by hand; adoption names it for removal"),
            maxKeyAgeDays: z
                .number({ error: "must be a number of days" })
                .int("must be a whole number of days")
                .min(1, "must be 1–3650 days")
                .max(3650, "must be 1–3650 days")
                .default(90)
                .describe("The age its access key may reach before the audit reports it (key-age)"),
        })
        .prefault({})
        .describe("The identity stack, samlUserRoles mode: the IAM user the app's API integration lists roles with"),
    introspectionUser: z
        .strictObject({
            name: iamUserName.describe("The IAM user's name"),
            keyRotation: z.string().min(1).optional().describe("Change this value to rotate the access key"),
        })
        .optional()
        .describe("The identity stack: the legacy okta-aws-cli-assume-role tool's role-introspection IAM user (the guide's Appendix A)"),
    cliApp: z
        .strictObject({
            enabled: z.boolean().default(true).describe("false: no CLI app"),
            label: z.string().min(1).max(100).default("AWS CLI (okta-aws-cli)").describe("The OIDC app's label"),
        })
        .optional()
        .describe("The identity stack: the Okta OIDC native app okta-aws-cli signs in with (docs/cli-access.md)"),
    users: z.array(user).default([]).describe("The identity stack: people with roles of their own"),
    groups: z.array(group).default([]).describe("The identity stack: Okta groups whose members hold the group's roles"),
    auditRole: z
        .strictObject({
            name: iamRoleName.default("okta-aws-audit").describe("The role's name"),
            trustedPrincipal: iamPrincipalArn
                .optional()
                .describe(
                    "The one principal the audit runs as; default the identity account's root (any of its principals allowed sts:AssumeRole)",
                ),
        })
        .prefault({})
        .describe("Every stack: the read-only role the audit (okta-aws audit) assumes in this stack's account"),
    protectIdentityResources: z
        .boolean()
        .default(true)
        .describe("false only for sandboxes: lets pulumi destroy remove the SAML provider, federated roles and sign-on policy"),
    oktaCustomDomain: z
        .string()
        .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "must be a host name such as login.example.com")
        .optional()
        .describe(
            "The identity stack: the Okta org's custom URL domain (login.example.com), handed to okta-aws-cli and the legacy tool instead of <okta:orgName>.<okta:baseUrl>",
        ),
    adopt: z
        .boolean()
        .default(false)
        .describe(
            "Every stack: import what the guide built by hand instead of creating it; remove after the first pulumi up (docs/adoption.md)",
        ),
    signOnPolicy: signOnPolicy
        .prefault({})
        .describe(
            "The identity stack: the app sign-on policy of both apps; false: none, no MFA enforced by this program (Classic Engine orgs)",
        ),
    oktaEngine: z
        .enum(oktaEngines, { error: `must be one of ${oktaEngines.join(", ")}` })
        .default("identity")
        .describe("The identity stack: the Okta org's engine; classic has no app sign-on policy API and no okta-aws-cli"),
};

/** The `okta-aws:` namespace, parsed as one strict object: an unknown key is a typo and is refused. */
export const oktaAwsNamespace = z.strictObject(oktaAwsKeys);

/** The parsed namespace, defaults applied: one source of truth for the configuration's types. */
export type OktaAwsNamespace = z.output<typeof oktaAwsNamespace>;

/** The parsed value of `okta-aws:<key>`. */
export type KeyValue<K extends keyof OktaAwsNamespace> = OktaAwsNamespace[K];

/** `okta-aws:account`: short name (`retail`), label in federated role and policy names (`Retail`), id. */
type Account = KeyValue<"account">;

/** A customer managed policy as the program creates it: its name and its document as JSON text. */
export interface CustomPolicyConfig {
    name: string;
    document: string;
}

export type CrossAccountRoleConfig = Omit<z.infer<typeof crossAccountRole>, "managedPolicies" | "policies" | "permissionsBoundary"> & {
    managedPolicies: string[];
    /** The documents read and checked: inline ones serialised, files read from the stack file's folder. */
    policies: CustomPolicyConfig[];
    permissionsBoundary?: { arn: string } | CustomPolicyConfig;
    federatedRoleName: string;
    assumePolicyName: string;
    maxSessionDuration: number;
};

export interface CommonConfig {
    stack: string;
    stackFile: string;
    region: string;
    partition: string;
    account: Account;
    /** Import what the guide built by hand (`okta-aws:adopt`). */
    adopt: boolean;
    auditRole: KeyValue<"auditRole">;
}

export interface MemberConfig extends CommonConfig {
    kind: "member";
    identityAccountId: NonNullable<KeyValue<"identityAccountId">>;
    /** How people reach this account's roles; `chained` when not set. */
    signIn: SignInPath;
    /** The identity stack whose Okta app metadata this account's SAML provider holds; set unless `chained`. */
    identityStack?: string;
    crossAccountRoles: CrossAccountRoleConfig[];
}

export interface IdentityConfig extends CommonConfig {
    kind: "identity";
    /** The host people and okta-aws-cli sign in to: the custom domain when one is set, else `oktaOrgHost`. */
    oktaOrgDomain: string;
    /** The Okta org's own host, e.g. `acmecorp.okta.com`, from `okta:orgName` and `okta:baseUrl`. */
    oktaOrgHost: string;
    memberStacks: NonNullable<KeyValue<"memberStacks">>;
    samlProviderName: KeyValue<"samlProviderName">;
    oktaApp: KeyValue<"oktaApp">;
    oktaSsoUser: KeyValue<"oktaSsoUser">;
    introspectionUser?: KeyValue<"introspectionUser">;
    cliApp?: KeyValue<"cliApp">;
    users: KeyValue<"users">;
    groups: KeyValue<"groups">;
    protectIdentityResources: KeyValue<"protectIdentityResources">;
    signOnPolicy: KeyValue<"signOnPolicy">;
    oktaEngine: KeyValue<"oktaEngine">;
}

export type StackConfig = MemberConfig | IdentityConfig;
