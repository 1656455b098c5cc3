// The stack configuration schema: every `okta-aws:*` key (and the `aws:*` keys we rely on) is
// parsed once at start-up. Every problem is reported at once, naming the stack file, the key and
// the value, and the program stops before any resource is registered.
import { Region } from "@pulumi/aws/types/enums";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { awsSessionNameLimit } from "./awsSignInLimits";
import { oktaId } from "./adoption";
import {
    accountRootArn,
    awsManagedPolicyPaths,
    closest,
    defaultAssumePolicyName,
    defaultFederatedRoleName,
    partitionOf,
    policyNameOf,
    roleArn,
} from "./names";
import { checkOktaProviderSettings } from "./oktaProviderSettings";
import { crossAccountTrustPolicy, iamPolicySize, iamSizeLimits } from "./policies";

export const projectName = "okta-aws";

/** Stops the program with every configuration problem; Pulumi prints a RunError without a stack trace. */
export class ConfigError extends pulumi.RunError {
    constructor(readonly problems: string[]) {
        super(`Invalid stack configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n  ${problems.join("\n  ")}`);
        this.name = "ConfigError";
    }
}

/** One problem, in the one format every message uses: `<file>: <key>: <value> — <reason>`. */
export function configProblem(stackFile: string, key: string, value: unknown, reason: string): string {
    return `${stackFile}: ${key}: ${showValue(value)} — ${reason}`;
}

/** Stands for a value that must not be printed (a secret found in clear text). */
export const notShown = Symbol("not shown");

function showValue(value: unknown): string {
    if (value === undefined) {
        return "(not set)";
    }
    if (value === notShown) {
        return "(value not shown)";
    }
    const json = JSON.stringify(value);
    return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

// ---- Field rules (AWS and Okta limits) ----------------------------------------------------------

const iamNameChars = "A-Z a-z 0-9 + = , . @ _ -";

const accountId = z
    .string({
        error: (issue) =>
            typeof issue.input === "number"
                ? "must be a quoted string of 12 digits: YAML reads an unquoted number and drops leading zeros"
                : "must be a string of exactly 12 digits",
    })
    .regex(/^\d{12}$/, "must be a string of exactly 12 digits");

const iamRoleName = z.string().regex(/^[\w+=,.@-]{1,64}$/, `must be 1–64 characters of ${iamNameChars} (IAM role names)`);
const iamUserName = z.string().regex(/^[\w+=,.@-]{1,64}$/, `must be 1–64 characters of ${iamNameChars} (IAM user names)`);
const iamPolicyName = z.string().regex(/^[\w+=,.@-]{1,128}$/, `must be 1–128 characters of ${iamNameChars} (IAM policy names)`);
const samlProviderName = z.string().regex(/^[\w.-]{1,128}$/, "must be 1–128 characters of A-Z a-z 0-9 . _ - (IAM SAML provider names)");
const accountLabel = z
    .string()
    .regex(/^[\w+=,.@-]{1,32}$/, `must be 1–32 characters of ${iamNameChars}: it starts every federated role name`);
const managedPolicy = z.string().superRefine((policy, ctx) => {
    if (policy.startsWith("arn:")) {
        const arn = /^arn:([a-z-]+):iam::(aws|\d{12}):policy\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,128}$/.exec(policy);
        if (!arn) {
            ctx.addIssue({ code: "custom", message: "is not a valid IAM policy ARN (arn:aws:iam::<account or aws>:policy/<path/>name)" });
        } else if (arn[1] !== supportedPartition) {
            // IAM cannot attach a policy of another partition; the verification could not judge it either.
            ctx.addIssue({ code: "custom", message: `is in partition ${arn[1]}; the stack's partition is ${supportedPartition}` });
        }
    } else if (!(policy in awsManagedPolicyPaths)) {
        const suggestion = closest(policy, Object.keys(awsManagedPolicyPaths));
        ctx.addIssue({
            code: "custom",
            message: `is not an AWS managed policy name${suggestion ? ` (did you mean "${suggestion}"?)` : ""}; give any other policy as its full ARN`,
        });
    }
});
/** Control characters and line breaks: never part of a name that ends up in a file or a table. */
const controlCharacters = /[\p{Cc}\u2028\u2029]/u;
// Okta logins are e-mail-like user names (https://developer.okta.com/docs/reference/api/users/#default-profile-properties).
// The characters are also what AWS accepts in a session name, which keeps every login safe in a
// file name, an INI file and a Markdown table.
const oktaLogin = z.string().superRefine((login, ctx) => {
    const fail = (message: string) => ctx.addIssue({ code: "custom", message });
    if (controlCharacters.test(login)) {
        fail("may not hold control characters or line breaks");
    } else if (!/^[\w+=,.@-]*$/.test(login)) {
        fail("may hold only A-Z a-z 0-9 + = , . @ _ - (the characters AWS accepts in RoleSessionName and SourceIdentity)");
    } else if (login.startsWith(".") || login.includes("..")) {
        fail("may not start with a dot or hold two dots in a row (Okta logins are e-mail-like)");
    } else if (!/^[^@]+@[^@]+\.[^@.]+$/.test(login)) {
        fail("must be an e-mail-like Okta login (name@example.com)");
    } else if (login.length > awsSessionNameLimit) {
        fail(
            `has ${login.length} characters; AWS takes the login as RoleSessionName and SourceIdentity, which allow at most ${awsSessionNameLimit} (IAM User Guide, "Configure SAML assertions for the authentication response")`,
        );
    }
});
/** Free text that reaches Okta, reports and tables: one line, no control characters. */
const oneLine = (max: number, what: string) =>
    z
        .string()
        .min(1, "may not be empty")
        .max(max, `must be at most ${max} characters (${what})`)
        .refine((text) => !controlCharacters.test(text), "may not hold control characters or line breaks");
const personName = oneLine(50, "Okta profile names");
// Adoption imports by Okta ids, so a malformed one stops here rather than at the import.
const oktaObjectId = (prefix: string, what: string) =>
    z
        .string()
        .regex(
            new RegExp(`^${oktaId(prefix)}$`),
            `must be the ${what}'s Okta id: ${prefix} and 17 letters and digits, as in the Admin Console's URL`,
        );
const iamDescription = z
    .string()
    .max(1000, "must be at most 1000 characters (IAM role descriptions)")
    .regex(/^[\t\n\r\x20-\x7E\xA1-\xFF]*$/, "has characters IAM does not accept in a description");
// Pulumi names: letters, digits, `_`, `.` and `-`; no part may start with a dot, so `..` cannot
// climb out of a path built from a stack name.
const stackName = z
    .string()
    .regex(
        /^\w[\w.-]{0,99}(\/\w[\w.-]{0,99}){0,2}$/,
        "must be a stack name: `stack`, `project/stack` or `org/project/stack`, each part starting with a letter, digit or _",
    );
const sessionDuration = (min: number, what: string) =>
    z
        .number({ error: "must be a number of seconds" })
        .int("must be a whole number of seconds")
        .min(min, `must be ${min}–43200 seconds (${what})`)
        .max(43200, `must be ${min}–43200 seconds (${what})`);

const crossAccountRole = z.strictObject({
    name: iamRoleName,
    managedPolicies: z
        .array(managedPolicy)
        .min(1, "must name at least one managed policy")
        .max(10, "must name at most 10 policies (IAM's default quota of managed policies per role)"),
    federatedRoleName: iamRoleName.optional(),
    assumePolicyName: iamPolicyName.optional(),
    description: iamDescription.optional(),
    maxSessionDuration: sessionDuration(3600, "IAM role maximum session duration").optional(),
});

/**
 * `samlUserRoles`: each user and group assignment of the AWS app carries a `samlRoles` profile
 * (the guide's way). `groupMapping`: one Okta group per federated role, read by the app's group
 * filter (Okta's way for many accounts and people).
 */
export const roleAssignmentModes = ["samlUserRoles", "groupMapping"] as const;
export type RoleAssignmentMode = (typeof roleAssignmentModes)[number];

const samlRoles = z.array(iamRoleName).min(1, "must name at least one SAML role");

const user = z
    .strictObject({
        login: oktaLogin,
        firstName: personName.optional(),
        lastName: personName.optional(),
        email: oktaLogin.optional(),
        samlRoles,
        /** The existing Okta user, adopted while `okta-aws:adopt` is true. */
        oktaId: oktaObjectId("00u", "user").optional(),
    })
    .refine((u) => (u.firstName === undefined) === (u.lastName === undefined), {
        message: "give both firstName and lastName to create the user in Okta, or neither to use an existing user",
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
const oktaAwsKeys = {
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
            /** Okta sends `PrincipalTag` session tags: the federated roles' trust allows `sts:TagSession`. */
            sessionTags: z.boolean().default(false),
            /** The existing *Amazon Web Services* app, adopted while `okta-aws:adopt` is true. */
            id: oktaObjectId("0oa", "app").optional(),
        })
        .default({
            label: "Amazon Web Services",
            sessionDuration: 3600,
            loginUrl: "https://console.aws.amazon.com/ec2/home",
            joinAllRoles: true,
            roleAssignment: "samlUserRoles",
            rolesImported: false,
            sessionTags: false,
        }),
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
        })
        .default({ name: "OktaSSO", inlinePolicyName: "Okta-SSO-User-Policy" }),
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
};

/**
 * The regions AWS has, as @pulumi/aws lists them (its `Region` enum, types/enums), so a typo or an
 * invented region stops the program instead of reaching the provider.
 */
export const knownRegions: readonly string[] = Object.values(Region);

/** The partition this program builds for: its SAML audience, sign-in, switch-role and console URLs. */
export const supportedPartition = "aws";

/**
 * The Okta domains an org lives under (Okta's "Allow access to Okta IP addresses", required Okta
 * domains: https://help.okta.com/oie/en-us/content/topics/security/ip-address-allow-listing.htm).
 * okta-aws-cli users send their Okta credentials to `<okta:orgName>.<okta:baseUrl>`.
 */
export const oktaDomains = ["okta.com", "oktapreview.com", "okta-emea.com", "okta-gov.com", "okta.mil"];

/** Provider keys that hold credentials: only ever as `pulumi config set --secret`. */
export const credentialKeys = ["okta:apiToken", "okta:privateKey", "okta:accessToken", "aws:accessKey", "aws:secretKey", "aws:token"];

/** Where the Okta AWS app may send people after sign-in: the console of the commercial partition. */
export function isAwsConsoleUrl(text: string): boolean {
    let url: URL;
    try {
        url = new URL(text);
    } catch {
        return false;
    }
    return (
        url.protocol === "https:" &&
        url.username === "" &&
        url.password === "" &&
        url.port === "" &&
        /^([a-z]{2}(-[a-z]+)+-\d\.)?console\.aws\.amazon\.com$/.test(url.hostname)
    );
}

const awsKeys = {
    region: z.string({ error: "must be an AWS region such as us-east-1" }).superRefine((region, ctx) => {
        if (!knownRegions.includes(region)) {
            const suggestion = closest(region, [...knownRegions]);
            ctx.addIssue({
                code: "custom",
                message: `is not an AWS region${suggestion ? ` (did you mean "${suggestion}"?)` : " such as us-east-1"}; the known regions are @pulumi/aws's Region list`,
            });
        } else if (partitionOf(region) !== supportedPartition) {
            ctx.addIssue({
                code: "custom",
                message: `is in the ${partitionOf(region)} partition, which this program does not support: its SAML audience, sign-in, switch-role and console URLs and the Okta app's AWS environment are those of the commercial partition (aws)`,
            });
        }
    }),
    allowedAccountIds: z.array(accountId).min(1, "must list the stack's own account id"),
};

// ---- Parsed configuration ------------------------------------------------------------------------

/** The parsed value of `okta-aws:<key>` as its schema outputs it (defaults applied): one source of truth. */
type KeyValue<K extends keyof typeof oktaAwsKeys> = z.output<(typeof oktaAwsKeys)[K]>;

/** `okta-aws:account`: short name (`retail`), label in federated role and policy names (`Retail`), id. */
export type Account = KeyValue<"account">;

export type CrossAccountRoleConfig = z.infer<typeof crossAccountRole> & {
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
}

export interface MemberConfig extends CommonConfig {
    kind: "member";
    identityAccountId: NonNullable<KeyValue<"identityAccountId">>;
    crossAccountRoles: CrossAccountRoleConfig[];
}

export interface IdentityConfig extends CommonConfig {
    kind: "identity";
    /** The Okta org's host, e.g. `acmecorp.okta.com`, from `okta:orgName` and `okta:baseUrl`. */
    oktaOrgDomain: string;
    memberStacks: NonNullable<KeyValue<"memberStacks">>;
    samlProviderName: KeyValue<"samlProviderName">;
    oktaApp: KeyValue<"oktaApp">;
    oktaSsoUser: KeyValue<"oktaSsoUser">;
    introspectionUser?: KeyValue<"introspectionUser">;
    cliApp?: KeyValue<"cliApp">;
    users: KeyValue<"users">;
    groups: KeyValue<"groups">;
    protectIdentityResources: KeyValue<"protectIdentityResources">;
}

export type StackConfig = MemberConfig | IdentityConfig;

/**
 * Config values as the Pulumi CLI hands them to the program: strings, with structured values
 * (objects, lists, numbers, booleans) JSON-encoded. Decodes them back to plain values.
 */
export function decodeConfigValues(raw: Record<string, string>): Record<string, unknown> {
    const decode = (text: string): unknown => {
        try {
            return /^\s*[[{]/.test(text) || text === "true" || text === "false" ? JSON.parse(text) : text;
        } catch {
            return text;
        }
    };
    // fromEntries defines own properties: a key such as `__proto__` stays a key.
    return Object.fromEntries(Object.entries(raw).map(([key, text]) => [key, decode(text)]));
}

/**
 * Parses and checks a stack's configuration. `values` maps full keys (`okta-aws:account`) to
 * decoded values; `secretKeys` are the keys stored as secrets. Throws ConfigError listing every problem.
 */
export function parseStackConfig(stack: string, values: Record<string, unknown>, secretKeys: ReadonlySet<string> = new Set()): StackConfig {
    const stackFile = `Pulumi.${stack}.yaml`;
    const problems: string[] = [];
    const report = (key: string, value: unknown, reason: string) => problems.push(configProblem(stackFile, key, value, reason));

    const read = <T>(namespace: string, key: string, schema: z.ZodType<T>, input: unknown): T | undefined => {
        const result = schema.safeParse(input);
        if (result.success) {
            return result.data;
        }
        for (const issue of result.error.issues) {
            const path = issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
            const value = issue.path.reduce<unknown>((v, p) => (v as Record<PropertyKey, unknown> | undefined)?.[p], input);
            const reason =
                issue.code === "unrecognized_keys"
                    ? `unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.join(", ")}`
                    : issue.code === "invalid_type" && value === undefined
                      ? "is required"
                      : issue.message;
            report(`${namespace}:${key}${path}`, value, reason);
        }
        return undefined;
    };

    for (const key of credentialKeys.filter((k) => values[k] !== undefined && !secretKeys.has(k))) {
        report(
            key,
            notShown,
            `is a credential in clear text: remove it from ${stackFile}, store it with \`pulumi config set --secret ${key} <value> -s ${stack}\`, and rotate it, since it has been in a file`,
        );
    }
    for (const key of Object.keys(values)) {
        const [namespace, name] = key.split(":");
        // Own keys only: `okta-aws:constructor` or `okta-aws:toString` are typos too.
        if (namespace === projectName && !Object.hasOwn(oktaAwsKeys, name)) {
            report(
                key,
                values[key],
                `unknown key; the keys are ${Object.keys(oktaAwsKeys)
                    .map((k) => `${projectName}:${k}`)
                    .join(", ")}`,
            );
        }
    }

    const region = read("aws", "region", awsKeys.region, values["aws:region"]);
    const allowedAccountIds = read("aws", "allowedAccountIds", awsKeys.allowedAccountIds, values["aws:allowedAccountIds"]);
    const get: Getter = (key) =>
        read(projectName, key, oktaAwsKeys[key] as unknown as z.ZodType<KeyValue<typeof key>>, values[`${projectName}:${key}`]);
    const account = get("account");
    if (account && allowedAccountIds && !allowedAccountIds.includes(account.id)) {
        report(
            "aws:allowedAccountIds",
            allowedAccountIds,
            `must contain the stack's own account id "${account.id}", so it cannot deploy into another account`,
        );
    }

    const isIdentity = values[`${projectName}:memberStacks`] !== undefined;
    const isMember = values[`${projectName}:identityAccountId`] !== undefined;
    if (isIdentity === isMember) {
        report(
            `${projectName}:memberStacks`,
            values[`${projectName}:memberStacks`],
            isIdentity
                ? `a stack is either the identity stack (okta-aws:memberStacks) or a member stack (okta-aws:identityAccountId), not both`
                : `set okta-aws:memberStacks for the identity stack, or okta-aws:identityAccountId for a member stack`,
        );
        throw new ConfigError(problems);
    }
    const adopt = get("adopt") ?? false;
    const common = { stack, stackFile, region: region!, partition: partitionOf(region ?? ""), account: account!, adopt };
    const config = isIdentity
        ? parseIdentity(common, get, report, oktaOrgDomainOf(values, get("oktaCustomDomain"), report))
        : parseMember(common, get, report, values[`${projectName}:crossAccountRoles`]);
    if (isIdentity) {
        checkOktaProviderSettings(values, report);
    }
    if (problems.length > 0) {
        throw new ConfigError(problems);
    }
    return config as StackConfig;
}

type Getter = <K extends keyof typeof oktaAwsKeys>(key: K) => KeyValue<K> | undefined;
type Reporter = (key: string, value: unknown, reason: string) => void;

function parseMember(common: CommonConfig, get: Getter, report: Reporter, rawRoles: unknown): MemberConfig | undefined {
    const identityAccountId = get("identityAccountId");
    const roles = get("crossAccountRoles");
    if (roles === undefined && rawRoles === undefined) {
        report(
            `${projectName}:crossAccountRoles`,
            undefined,
            "is required in a member stack: list the roles the identity account may switch into",
        );
    }
    if (!roles || !identityAccountId || !common.account) {
        return undefined;
    }
    const crossAccountRoles = roles.map((role) => ({
        ...role,
        federatedRoleName: role.federatedRoleName ?? defaultFederatedRoleName(common.account.label, role.name),
        assumePolicyName: role.assumePolicyName ?? defaultAssumePolicyName(common.account.label, role.name),
        maxSessionDuration: role.maxSessionDuration ?? 3600,
    }));
    crossAccountRoles.forEach((role, i) => {
        const key = `${projectName}:crossAccountRoles[${i}]`;
        if (!iamRoleName.safeParse(role.federatedRoleName).success) {
            report(
                `${key}.federatedRoleName`,
                role.federatedRoleName,
                "the derived federated role name is not a valid IAM role name (1–64 characters); set federatedRoleName",
            );
        } else if (role.federatedRoleName.includes(",")) {
            // Okta sends each SAML role as "<provider ARN>,<role ARN>"; AWS splits it on the comma.
            report(
                `${key}.federatedRoleName`,
                role.federatedRoleName,
                'a federated role name cannot contain a comma: AWS reads each SAML role as "<provider ARN>,<role ARN>"; set federatedRoleName',
            );
        }
        if (!iamPolicyName.safeParse(role.assumePolicyName).success) {
            report(
                `${key}.assumePolicyName`,
                role.assumePolicyName,
                "the derived policy name is not a valid IAM policy name (1–128 characters); set assumePolicyName",
            );
        }
        const trust = crossAccountTrustPolicy(accountRootArn(common.partition, identityAccountId), [
            roleArn(common.partition, identityAccountId, role.federatedRoleName),
        ]);
        if (iamPolicySize(trust) > iamSizeLimits.trustPolicy) {
            report(`${key}`, role.name, `its trust policy has ${iamPolicySize(trust)} characters, over IAM's ${iamSizeLimits.trustPolicy}`);
        }
        // Attachments are keyed by policy name, so two policies may not share one.
        reportDuplicates(
            role.managedPolicies,
            policyNameOf,
            `${key}.managedPolicies`,
            "",
            "names a policy whose name is listed already",
            report,
        );
    });
    reportDuplicates(
        crossAccountRoles,
        (r) => r.name.toLowerCase(),
        `${projectName}:crossAccountRoles`,
        "name",
        "role names must be unique in an account (IAM ignores case)",
        report,
    );
    reportDuplicates(
        crossAccountRoles,
        (r) => r.federatedRoleName.toLowerCase(),
        `${projectName}:crossAccountRoles`,
        "federatedRoleName",
        "two roles would share one federated role",
        report,
    );
    return { ...common, kind: "member", identityAccountId, crossAccountRoles };
}

/**
 * The Okta org host people and okta-aws-cli sign in to: the custom domain when one is set, else
 * `<okta:orgName>.<okta:baseUrl>` from the provider's config or, as the provider allows, its environment.
 */
function oktaOrgDomainOf(values: Record<string, unknown>, customDomain: string | undefined, report: Reporter): string | undefined {
    const orgName = values["okta:orgName"] ?? process.env.OKTA_ORG_NAME;
    const baseUrl = values["okta:baseUrl"] ?? process.env.OKTA_BASE_URL ?? "okta.com";
    if (typeof orgName !== "string" || !/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(orgName)) {
        report("okta:orgName", orgName, "must be the Okta org's name (acmecorp for acmecorp.okta.com); set it or OKTA_ORG_NAME");
        return undefined;
    }
    if (typeof baseUrl !== "string" || !oktaDomains.includes(baseUrl)) {
        report(
            "okta:baseUrl",
            baseUrl,
            `must be one of Okta's domains (${oktaDomains.join(", ")}): the Okta API token and people's Okta passwords go to <okta:orgName>.<okta:baseUrl>; for an Okta custom domain set okta-aws:oktaCustomDomain`,
        );
        return undefined;
    }
    return customDomain ?? `${orgName}.${baseUrl}`;
}

function parseIdentity(common: CommonConfig, get: Getter, report: Reporter, oktaOrgDomain: string | undefined): IdentityConfig | undefined {
    const memberStacks = get("memberStacks");
    const samlProviderName = get("samlProviderName");
    const oktaApp = get("oktaApp");
    const oktaSsoUser = get("oktaSsoUser");
    const users = get("users");
    const groups = get("groups");
    const protectIdentityResources = get("protectIdentityResources");
    const introspectionUser = get("introspectionUser");
    const cliApp = get("cliApp");
    if (introspectionUser && oktaSsoUser && introspectionUser.name.toLowerCase() === oktaSsoUser.name.toLowerCase()) {
        report(
            `${projectName}:introspectionUser.name`,
            introspectionUser.name,
            "is the okta-aws:oktaSsoUser name too; IAM user names are unique (ignoring case)",
        );
    }
    if (oktaApp && users && groups) {
        reportAdoptionIds(common.adopt, oktaApp, users, groups, report);
    }
    if (memberStacks) {
        reportDuplicates(memberStacks, (s) => s, `${projectName}:memberStacks`, "", "is listed twice", report);
        memberStacks.forEach((member, i) => {
            if (member === common.stack || member === `${projectName}/${common.stack}`) {
                report(`${projectName}:memberStacks[${i}]`, member, "is this identity stack itself; list the member stacks");
            }
        });
    }
    if (users && groups) {
        reportLoginCaseClashes(users, groups, report);
    }
    if (users) {
        reportDuplicates(
            users,
            (u) => u.login.toLowerCase(),
            `${projectName}:users`,
            "login",
            "is listed twice (Okta logins ignore case)",
            report,
        );
        users.forEach((u, i) =>
            reportDuplicates(u.samlRoles, (r) => r, `${projectName}:users[${i}].samlRoles`, "", "is listed twice", report),
        );
    }
    if (groups) {
        reportDuplicates(
            groups,
            (g) => g.name.toLowerCase(),
            `${projectName}:groups`,
            "name",
            "is listed twice (Okta group names ignore case)",
            report,
        );
        groups.forEach((g, i) => {
            reportDuplicates(g.samlRoles, (r) => r, `${projectName}:groups[${i}].samlRoles`, "", "is listed twice", report);
            reportDuplicates(g.members ?? [], (m) => m, `${projectName}:groups[${i}].members`, "", "is listed twice", report);
        });
    }
    if (
        !memberStacks ||
        !samlProviderName ||
        !oktaApp ||
        !oktaSsoUser ||
        !users ||
        !groups ||
        protectIdentityResources === undefined ||
        !common.account ||
        !oktaOrgDomain
    ) {
        return undefined;
    }
    return {
        ...common,
        kind: "identity",
        oktaOrgDomain,
        memberStacks,
        samlProviderName,
        oktaApp,
        oktaSsoUser,
        introspectionUser,
        cliApp,
        users,
        groups,
        protectIdentityResources,
    };
}

/**
 * Okta logins ignore case: `John@AcmeCorp.ME` and `john@acmecorp.me` are one person. Every login,
 * as a user or a group member, must be spelled one way, or the program would build two profiles
 * and under-report what that person can reach.
 */
function reportLoginCaseClashes(users: { login: string }[], groups: { members?: string[] }[], report: Reporter): void {
    const first = new Map<string, { key: string; login: string }>();
    const logins = [
        ...users.map((u, i) => ({ key: `${projectName}:users[${i}].login`, login: u.login })),
        ...groups.flatMap((g, i) => (g.members ?? []).map((login, j) => ({ key: `${projectName}:groups[${i}].members[${j}]`, login }))),
    ];
    for (const { key, login } of logins) {
        const seen = first.get(login.toLowerCase());
        if (!seen) {
            first.set(login.toLowerCase(), { key, login });
        } else if (seen.login !== login && !key.endsWith(".login")) {
            // Two users in other letter case are reported as duplicates already.
            report(
                key,
                login,
                `is ${seen.key} "${seen.login}" in other letter case; Okta logins ignore case, so spell one person's login one way everywhere`,
            );
        }
    }
}

/**
 * Okta ids say which existing objects to import, so they belong to adoption only: without
 * `okta-aws:adopt` they would be silently ignored, and with it the app must be named, or the
 * program would create a second *Amazon Web Services* app beside the guide's.
 */
function reportAdoptionIds(
    adopt: boolean,
    oktaApp: { id?: string },
    users: { oktaId?: string }[],
    groups: { oktaId?: string }[],
    report: Reporter,
): void {
    const ids = [
        { key: `${projectName}:oktaApp.id`, id: oktaApp.id },
        ...users.map((u, i) => ({ key: `${projectName}:users[${i}].oktaId`, id: u.oktaId })),
        ...groups.map((g, i) => ({ key: `${projectName}:groups[${i}].oktaId`, id: g.oktaId })),
    ];
    if (!adopt) {
        for (const { key, id } of ids.filter((entry) => entry.id !== undefined)) {
            report(
                key,
                id,
                `is read only while ${projectName}:adopt is true; once the object is in the stack's state (after the first successful pulumi up), remove it`,
            );
        }
    } else if (oktaApp.id === undefined) {
        report(
            `${projectName}:oktaApp.id`,
            undefined,
            `${projectName}:adopt is true: give the id of the existing Amazon Web Services app (Okta Admin Console → Applications → the app; its URL ends in 0oa…), or the program creates a second app beside it`,
        );
    }
}

function reportDuplicates<T>(
    items: T[],
    keyOf: (item: T) => string,
    listKey: string,
    field: string,
    reason: string,
    report: Reporter,
): void {
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
        const k = keyOf(item);
        const first = seen.get(k);
        if (first === undefined) {
            seen.set(k, i);
        } else {
            const key = `${listKey}[${i}]${field ? `.${field}` : ""}`;
            const value = field ? (item as Record<string, unknown>)[field] : item;
            report(key, value, `${reason}: duplicates ${listKey}[${first}]`);
        }
    });
}

/** Reads this stack's configuration from the Pulumi runtime (what `index.ts` does). */
export function loadStackConfig(): StackConfig {
    const values = decodeConfigValues(pulumi.runtime.allConfig());
    // Not in the SDK's typings, but what `pulumi.Config` itself consults for secret keys.
    const runtime = pulumi.runtime as unknown as { isConfigSecret(key: string): boolean };
    return parseStackConfig(pulumi.getStack(), values, new Set(Object.keys(values).filter((key) => runtime.isConfigSecret(key))));
}
