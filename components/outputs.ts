// The published contract of the stacks' outputs: what other teams read with `pulumi stack output`
// or a StackReference, and what the identity stack itself reads from every member stack. One zod
// schema per stack kind; the TypeScript types derive from it and outputs.schema.json is generated
// from it (npm run schema), so the three cannot drift apart.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { roleAssignmentModes, signInPaths } from "./config";
import { signOnAssurances } from "./signOnPolicy";

/**
 * The contract's version, exported by every stack as `outputsVersion`. Adding an output keeps it;
 * removing, renaming or retyping one bumps it, so a consumer can refuse outputs it does not know.
 */
export const outputsVersion = 2;

/** Marks an output that is a Pulumi secret: `[secret]` unless read with `--show-secrets`. */
const secret = (schema: z.ZodString, description: string) => schema.meta({ description: `${description} (a Pulumi secret)` });

const accountId = z.string().regex(/^\d{12}$/);
const roleArn = z.string().regex(/^arn:aws[\w-]*:iam::\d{12}:role\/.+$/);
const policyArn = z.string().regex(/^arn:aws[\w-]*:iam::(aws|\d{12}):policy\/.+$/);
const consoleUrl = z.url({ protocol: /^https$/ });
const samlProviderArn = z.string().regex(/^arn:aws[\w-]*:iam::\d{12}:saml-provider\/.+$/);
const signIn = z.enum(signInPaths);
const version = z
    .literal(outputsVersion)
    .meta({ description: "The version of this contract; a breaking change bumps it, so consumers can refuse a version they do not know" });

/** One entry of a member stack's `crossAccountRoles`: what the identity stack builds a federated role on. */
const crossAccountRoleOutput = z.strictObject({
    name: z.string().meta({ description: "The IAM role's name in the member account, e.g. EC2_Admins" }),
    arn: roleArn,
    federatedRoleName: z.string().meta({ description: "The identity account role that may switch into it, e.g. Retail-EC2-Admins" }),
    assumePolicyName: z.string().meta({ description: "The name of that federated role's permission policy" }),
    policyArns: z
        .array(policyArn)
        .meta({ description: "The managed policies attached to the role, its own (created in the account) included" }),
    permissionsBoundaryArn: policyArn.optional().meta({ description: "The role's permissions boundary, when it has one" }),
    emergency: z
        .boolean()
        .optional()
        .meta({ description: "An emergency role: held by nobody day to day, reached only through its Okta emergency group" }),
    switchRoleUrl: consoleUrl.meta({ description: "The AWS console's switch-role link into the role" }),
    // Exported by direct and both members only, so a chained member's outputs stay as they were.
    signIn: signIn.optional().meta({
        description: "How people reach the role: direct or both (the migration's deploy); absent: chained, through its federated role",
    }),
    samlProviderArn: samlProviderArn.optional().meta({
        description: "direct or both: this account's SAML provider, the one the role trusts for sts:AssumeRoleWithSAML",
    }),
    maxSessionDuration: z.number().int().optional().meta({
        description: "direct or both: the role's own maximum session in seconds, which a direct sign-in may use in full",
    }),
});

/** A member stack's outputs (Pulumi.sales.yaml, Pulumi.retail.yaml, …). */
export const memberOutputs = z
    .strictObject({
        outputsVersion: version,
        accountId: accountId.meta({ description: "The member account: the identity stack's targets, and consumers'" }),
        accountLabel: z
            .string()
            .meta({ description: "Its label, e.g. Retail, in the identity stack's access matrix and CLI profile names" }),
        identityAccountId: accountId.meta({
            description: "The identity account its roles trust; the identity stack checks that it is itself",
        }),
        signIn: signIn.optional().meta({ description: "direct or both: how people reach this account; absent: chained" }),
        samlProviderArn: samlProviderArn
            .optional()
            .meta({ description: "direct or both: this account's SAML provider, holding the identity stack's Okta app metadata" }),
        crossAccountRoles: z.array(crossAccountRoleOutput).meta({
            description:
                "The roles people may switch into: the identity stack builds one federated role per entry; for teams granting those roles access",
        }),
    })
    .meta({ title: "Member stack outputs" });

const userName = z.string().meta({ description: "An Okta login (user@example.com)" });

/** The identity stack's outputs (Pulumi.identity.yaml). */
const identityOutputs = z
    .strictObject({
        outputsVersion: version,
        samlProviderArn: samlProviderArn.meta({
            description: "The IAM SAML provider that trusts the Okta app, for other SAML federations into this account and auditors",
        }),
        samlMetadata: z.string().optional().meta({
            description:
                "The Okta app's SAML IdP metadata, which the SAML provider of every direct member account holds too (read by their StackReference)",
        }),
        oktaAppId: z.string().meta({
            description:
                "The Okta Amazon Web Services app's id, for Okta admins and okta-aws-cli (OKTA_AWSCLI_AWS_ACCOUNT_FEDERATION_APP_ID)",
        }),
        oktaAppEmbedUrl: consoleUrl.meta({ description: "The app's sign-in link (Okta dashboard tile), for people" }),
        oktaAppSettings: z
            .strictObject({
                appFilter: z.string(),
                awsEnvironmentType: z.string(),
                groupFilter: z.string(),
                identityProviderArn: z.string(),
                joinAllRoles: z.boolean(),
                loginURL: z.string(),
                roleValuePattern: z.string(),
                sessionDuration: z.number().int(),
                useGroupMapping: z.boolean(),
                webSSOAllowedClient: z.string().optional(),
            })
            .meta({ description: "The Okta AWS app's settings this program decides (without the API integration's credentials)" }),
        oktaAppOptions: z
            .strictObject({
                roleAssignment: z.enum(roleAssignmentModes),
                rolesImported: z.boolean(),
                sessionTags: z.boolean(),
                sourceIdentity: z.boolean(),
            })
            .meta({
                description:
                    "How roles reach people, whether the roles import is done, whether Okta sends session tags and the SourceIdentity attribute (both configured by an admin)",
            }),
        roleGroups: z
            .record(z.string(), z.string())
            .optional()
            .meta({ description: "Federated role name → its Okta role group; only with roleAssignment groupMapping" }),
        directRoleGroups: z.record(z.string(), z.string()).optional().meta({
            description:
                "SAML role → the Okta role group of its direct path (aws_<member account>_<member role>); only with members on okta-aws:signIn direct or both",
        }),
        pendingAssignments: z
            .strictObject({
                users: z.number().int(),
                groups: z.number().int(),
                reason: z.string(),
                next: z.array(z.string()),
            })
            .optional()
            .meta({ description: "The AWS app's assignments held back until the roles are imported, and the next steps" }),
        federatedRoles: z
            .record(z.string(), roleArn)
            .meta({ description: "Federated role name → ARN, for teams writing resource policies that trust a federated role" }),
        signOnPolicy: z
            .strictObject({
                enforced: z.boolean().meta({ description: "false: okta-aws:signOnPolicy is false, no MFA is enforced by this program" }),
                policyId: z.string().optional().meta({ description: "The Okta app sign-on policy both apps carry" }),
                assurance: z.enum(signOnAssurances).optional(),
                reauthenticate: z.string().optional().meta({ description: "ISO 8601 duration after which people sign in again" }),
                networkZones: z.array(z.string()).optional().meta({ description: "The Okta network zones people may sign in from" }),
                rules: z.array(z.string()).optional().meta({ description: "The policy's rules by name, in priority order" }),
            })
            .meta({ description: "What the AWS app's and okta-aws-cli's app's sign-on policy enforces" }),
        emergencyRoles: z
            .record(
                z.string(),
                z.strictObject({
                    group: z.string().meta({ description: "The Okta group an admin adds a person to at the moment of need" }),
                    targetRoleArn: roleArn,
                    maxSessionDuration: z.number().int(),
                }),
            )
            .optional()
            .meta({ description: "Emergency federated role → its empty Okta group and target; held by nobody day to day" }),
        provisioning: z
            .strictObject({
                iamUser: z.string().meta({ description: "The IAM user Okta lists roles with (OktaSSO)" }),
                accessKeyId: z.string(),
                secretAccessKey: secret(z.string(), "Its secret access key, to paste into the app's API integration"),
                features: z.array(z.string()).meta({ description: "The app's provisioning features as Okta reports them" }),
                provisioningEnabled: z.boolean().meta({ description: "Whether the API integration is switched on" }),
                checklist: z.array(z.string()).meta({ description: "The manual steps Okta's API cannot do" }),
            })
            .optional()
            .meta({
                description:
                    "The API integration's IAM user and checklist, for the Okta admin who switches the integration on; only with roleAssignment samlUserRoles",
            }),
        assignments: z
            .strictObject({
                users: z.array(z.strictObject({ login: userName, samlRoles: z.array(z.string()) })),
                groups: z.array(
                    z.strictObject({ name: z.string().meta({ description: "An Okta group name" }), samlRoles: z.array(z.string()) }),
                ),
            })
            .meta({
                description:
                    "The SAML roles assigned to each user and each group, kept apart and as lists, so that no name (one spelled like a login, or __proto__) can hide an entry; for access reviews",
            }),
        oktaObjectIds: z
            .strictObject({
                cliAppId: z.string().optional().meta({ description: "okta-aws-cli's app id; only with okta-aws:cliApp" }),
                groups: z.record(z.string(), z.string()).meta({
                    description:
                        "Okta group name → id, for every group the stack makes or assigns (team groups, existing ones included; role and emergency groups)",
                }),
                users: z.record(userName, z.string()).meta({
                    description: "Okta login (lower case) → user id, for every user the stack assigns, creates or adds to a group",
                }),
            })
            .meta({
                description:
                    "The Okta ids of the objects the stack owns besides the AWS app (oktaAppId) and the sign-on policy (signOnPolicy.policyId): how the audit (okta-aws audit) knows them, never by name",
            }),
        samlRolesByUser: z.record(userName, z.array(z.string())).meta({
            description: "Okta login → every SAML role it signs in with, groups included, for access reviews and the offline verification",
        }),
        awsCliProfiles: z
            .record(userName, z.string())
            .meta({ description: "Okta login → the ~/.aws/config text of its profiles, for people using the AWS CLI" }),
        switchRoleLinks: z
            .record(userName, z.array(z.strictObject({ samlRole: z.string(), url: consoleUrl })))
            .meta({ description: "Okta login → its console links into member roles, for people using the console" }),
        oktaAwsCli: z
            .strictObject({
                OKTA_AWSCLI_ORG_DOMAIN: z.string(),
                OKTA_AWSCLI_OIDC_CLIENT_ID: z.string(),
                OKTA_AWSCLI_AWS_ACCOUNT_FEDERATION_APP_ID: z.string(),
            })
            .optional()
            .meta({ description: "okta-aws-cli's environment; only with okta-aws:cliApp" }),
        introspection: z
            .strictObject({
                iamUser: z.string(),
                accessKeyId: z.string(),
                configProperties: secret(z.string(), "The legacy okta-aws-cli-assume-role tool's config.properties"),
            })
            .optional()
            .meta({ description: "The legacy tool's role-introspection user; only with okta-aws:introspectionUser" }),
        adoption: z
            .strictObject({
                leftAlone: z.array(
                    z.strictObject({
                        object: z.string().meta({ description: "What the guide built by hand, e.g. the inline policy of OktaSSO" }),
                        reason: z.string().meta({ description: "Why the program does not manage it" }),
                        action: z.string().meta({ description: "What to do about it, and when" }),
                    }),
                ),
            })
            .optional()
            .meta({ description: "What the guide built that the program leaves alone; only with okta-aws:adopt" }),
    })
    .meta({ title: "Identity stack outputs" });

/** Either stack's outputs: the contract outputs.schema.json publishes. */
const stackOutputs = z.union([memberOutputs, identityOutputs]);

export type CrossAccountRoleOutput = z.infer<typeof crossAccountRoleOutput>;
export type MemberOutputs = z.infer<typeof memberOutputs>;
export type IdentityOutputs = z.infer<typeof identityOutputs>;

/**
 * A stack's outputs as the tools read them, by name: a member's or the identity's, checked against
 * the contract (checkOutputs) when the plan was built. A plan written by an older release may lack
 * newer outputs, so each may be absent; shown as `pulumi stack output` shows them, a secret string
 * reads "[secret]".
 */
export type StackOutputs = Partial<MemberOutputs & IdentityOutputs> & Record<string, unknown>;

/**
 * Output `name` of a stack's outputs, which the contract requires of every stack of its kind: a
 * typed read that names the stack and the output when it is absent (a plan written by an older
 * release, or a stack of the other kind), instead of a non-null assertion.
 */
export function requiredOutput<K extends keyof (MemberOutputs & IdentityOutputs)>(
    outputs: StackOutputs,
    name: K,
    stack: string,
): NonNullable<StackOutputs[K]> {
    const value = outputs[name];
    if (value === undefined || value === null) {
        throw new Error(`${stack}: the stack's outputs have no ${String(name)} (components/outputs.ts)`);
    }
    return value;
}

/** A stack's exports: a plain object whose values, or any part of them, may still be Outputs. */
export type Exported<T> = { [K in keyof T]: Exportable<T[K]> };
type Exportable<T> = pulumi.Input<T extends (infer E)[] ? Exportable<E>[] : T extends object ? Exported<T> : T>;

/**
 * Checks a stack's outputs against the contract; throws naming every difference. Give it the
 * values a StackReference reads (secrets included): `[secret]` is only how the CLI displays them.
 */
export function checkOutputs(stack: string, kind: "member" | "identity", values: Record<string, unknown>): asserts values is StackOutputs {
    const result = (kind === "member" ? memberOutputs : identityOutputs).safeParse(values);
    if (!result.success) {
        throw new Error(
            `${stack}: the ${kind} stack's outputs break their contract (components/outputs.ts):\n${z.prettifyError(result.error)}`,
        );
    }
}

/** The contract as a JSON Schema document (outputs.schema.json): a stack's outputs are one of the two. */
export function outputsJsonSchema(): Record<string, unknown> {
    const { $schema, ...schema } = z.toJSONSchema(stackOutputs);
    return {
        $schema,
        title: `okta-aws stack outputs, version ${outputsVersion}`,
        description: "What `pulumi stack output --json --show-secrets` prints for a member or the identity stack of okta-aws.",
        ...schema,
    };
}
