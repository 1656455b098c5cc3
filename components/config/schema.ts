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
        name: iamPolicyName,
        document: z.record(z.string(), z.unknown(), { error: "must be a JSON object (a policy document)" }).optional(),
        file: z
            .string()
            .regex(/^[A-Za-z0-9._/-]+$/, "must be a file name of A-Z a-z 0-9 . _ - and / (policies/<name>.json)")
            .optional(),
    })
    .refine((p) => (p.document === undefined) !== (p.file === undefined), {
        message: "give the policy's document inline (document:) or a .json file beside the stack file (file:), exactly one of them",
    });

const crossAccountRole = z
    .strictObject({
        name: iamRoleName,
        managedPolicies: z
            .array(managedPolicy)
            .max(10, "must name at most 10 policies (IAM's default quota of managed policies per role)")
            .optional(),
        /** The team's own policies, created in the member account and attached. */
        policies: z.array(customPolicy).optional(),
        /** Caps whatever the role's policies allow: an existing policy's ARN, or a policy created here. */
        permissionsBoundary: z
            .union([z.string(), customPolicy], { error: "must be a policy ARN, or { name, document | file } to create the policy" })
            .optional(),
        /** Held by nobody day to day: reached only through its Okta emergency group. */
        emergency: z.boolean().default(false),
        federatedRoleName: iamRoleName.optional(),
        assumePolicyName: iamPolicyName.optional(),
        description: iamDescription.optional(),
        maxSessionDuration: sessionDuration(3600, "IAM role maximum session duration").optional(),
    })
    .refine((role) => (role.managedPolicies?.length ?? 0) + (role.policies?.length ?? 0) > 0, {
        message: "must attach at least one policy: name managedPolicies, or give policies of its own",
    });

/** The app sign-on policy of the AWS app and okta-aws-cli's app (components/signOnPolicy.ts). */
const signOnPolicy = z.union(
    [
        z.literal(false),
        z.strictObject({
            assurance: z.enum(signOnAssurances, { error: `must be one of ${signOnAssurances.join(", ")}` }).default("mfa"),
            reauthenticate: isoDuration.default("PT12H"),
            networkZones: z.array(oktaObjectId("nzo", "network zone")).min(1, "must name at least one network zone").optional(),
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

/** Who owns the members of groupMapping's role groups (the audit's view of memberships made elsewhere). */
const roleGroupMemberships = ["leftAlone", "managed"] as const;

const samlRoles = z.array(iamRoleName).min(1, "must name at least one SAML role");

const user = z
    .strictObject({
        login: oktaLogin,
        firstName: personName.optional(),
        lastName: personName.optional(),
        email: oktaLogin.optional(),
        /**
         * A created user's status: `ACTIVE` (the default, the provider's too) creates them with
         * activate=true, which sends Okta's activation e-mail; `STAGED` creates them without one,
         * to activate later (terraform-provider-okta resource_okta_user.go resourceUserCreate).
         */
        status: z.enum(["ACTIVE", "STAGED"]).optional(),
        samlRoles,
        /** The existing Okta user, adopted while `okta-aws:adopt` is true. */
        oktaId: oktaObjectId("00u", "user").optional(),
    })
    .refine((u) => (u.firstName === undefined) === (u.lastName === undefined), {
        message: "give both firstName and lastName to create the user in Okta, or neither to use an existing user",
    })
    .refine((u) => u.status === undefined || u.firstName !== undefined, {
        message: "status is chosen for a user the program creates (with firstName and lastName); an existing user keeps theirs",
        path: ["status"],
    });

const group = z.strictObject({
    name: oneLine(255, "Okta group names"),
    description: oneLine(1024, "Okta group descriptions").optional(),
    samlRoles,
    members: z.array(oktaLogin).optional(),
    /** The existing Okta group, adopted while `okta-aws:adopt` is true. */
    oktaId: oktaObjectId("00g", "group").optional(),
});

/** Every `okta-aws:*` key, with its schema. Unknown keys are typos and are rejected. */
export const oktaAwsKeys = {
    account: z.strictObject({
        name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "must be a short lower-case name (a-z 0-9 -)"),
        label: accountLabel,
        id: accountId,
    }),
    identityAccountId: accountId.optional(),
    crossAccountRoles: z.array(crossAccountRole).min(1, "must list at least one role").optional(),
    memberStacks: z.array(stackName).min(1, "must name at least one member stack").optional(),
    samlProviderName: samlProviderName.default("Okta"),
    oktaApp: z
        .strictObject({
            label: z.string().min(1).max(100).default("Amazon Web Services"),
            sessionDuration: sessionDuration(900, "Okta AWS app session duration").default(3600),
            loginUrl: z
                .string()
                .refine(
                    isAwsConsoleUrl,
                    "must be an AWS console URL (https://console.aws.amazon.com/… or https://<region>.console.aws.amazon.com/…): people land there after signing in",
                )
                .default("https://console.aws.amazon.com/ec2/home"),
            /** Join the roles of all the user's groups and their own assignment (Okta's `joinAllRoles`). */
            joinAllRoles: z.boolean().default(true),
            /** How people get their roles: SAML User Roles per assignment, or Okta groups named per role. */
            roleAssignment: z
                .enum(roleAssignmentModes, { error: `must be one of ${roleAssignmentModes.join(", ")}` })
                .default("samlUserRoles"),
            /** The API integration is on and has imported the roles: Okta now accepts `samlRoles` values. */
            rolesImported: z.boolean().default(false),
            /**
             * Okta sends `PrincipalTag` session tags: an admin added the attribute statement to the app
             * by hand (README); the federated roles' trust allows `sts:TagSession`.
             */
            sessionTags: z.boolean().default(false),
            /**
             * Okta sends the `SourceIdentity` attribute (the login): an admin added its attribute
             * statement to the app by hand. Okta's public API cannot set attribute statements of the
             * Amazon Web Services app (okta/terraform-provider-okta #1635, labelled no-api), and the app
             * sends only Role, RoleSessionName and SessionDuration on its own.
             */
            sourceIdentity: z.boolean().default(false),
            /** The existing *Amazon Web Services* app, adopted while `okta-aws:adopt` is true. */
            id: oktaObjectId("0oa", "app").optional(),
            /**
             * groupMapping: `leftAlone` (memberships of the role groups made elsewhere are reported
             * by the audit, not judged) or `managed` (the code's memberships are the only ones).
             */
            roleGroupMembers: z
                .enum(roleGroupMemberships, { error: `must be one of ${roleGroupMemberships.join(", ")}` })
                .default("leftAlone"),
        })
        .prefault({}),
    oktaSsoUser: z
        .strictObject({
            name: iamUserName.default("OktaSSO"),
            /** Change this value to rotate the access key (new key first, then the old one goes). */
            keyRotation: z.string().min(1).optional(),
            /**
             * The inline policy the guide puts on the user by hand. The program never manages it
             * (its permissions come through a group); adoption names it for removal.
             */
            inlinePolicyName: iamPolicyName.default("Okta-SSO-User-Policy"),
            /** The age its access key may reach before the audit reports it (`key-age`). */
            maxKeyAgeDays: z
                .number({ error: "must be a number of days" })
                .int("must be a whole number of days")
                .min(1, "must be 1–3650 days")
                .max(3650, "must be 1–3650 days")
                .default(90),
        })
        .prefault({}),
    /** The legacy okta-aws-cli-assume-role tool's role-introspection IAM user (the guide's Appendix A). */
    introspectionUser: z
        .strictObject({
            name: iamUserName,
            keyRotation: z.string().min(1).optional(),
        })
        .optional(),
    /** The Okta OIDC native app that okta-aws-cli signs in with. */
    cliApp: z
        .strictObject({
            enabled: z.boolean().default(true),
            label: z.string().min(1).max(100).default("AWS CLI (okta-aws-cli)"),
        })
        .optional(),
    users: z.array(user).default([]),
    groups: z.array(group).default([]),
    /**
     * The read-only role the audit (npm run audit) assumes in this stack's account, and who may
     * assume it (default: the identity account's root, so any of its principals allowed sts:AssumeRole).
     */
    auditRole: z
        .strictObject({
            name: iamRoleName.default("okta-aws-audit"),
            trustedPrincipal: iamPrincipalArn.optional(),
        })
        .prefault({}),
    /** `false` only for sandboxes: lets `pulumi destroy` remove the SAML provider and federated roles. */
    protectIdentityResources: z.boolean().default(true),
    /**
     * The Okta org's custom URL domain (`login.acme.com`), handed to okta-aws-cli and the legacy
     * tool instead of `<okta:orgName>.<okta:baseUrl>`. Its own key, so a reviewer sees it.
     */
    oktaCustomDomain: z
        .string()
        .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "must be a host name such as login.example.com")
        .optional(),
    /**
     * The stack's objects were built by hand from the guide: import them (Pulumi's `import`
     * option) instead of creating them. Remove it after the first successful `pulumi up`.
     */
    adopt: z.boolean().default(false),
    /** On by default; `false` is the explicit opt-out (Classic Engine orgs), flagged in every report. */
    signOnPolicy: signOnPolicy.prefault({}),
    /** The Okta org's engine: `classic` has no app sign-on policy API and no okta-aws-cli. */
    oktaEngine: z.enum(oktaEngines, { error: `must be one of ${oktaEngines.join(", ")}` }).default("identity"),
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
