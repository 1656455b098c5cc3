// The audit's window on AWS: in each account it assumes the read-only audit role and reads, with
// the AWS SDK for JavaScript v3, what decides who reaches what — roles (their trust, attached and
// inline policies, permission boundary), customer managed policy documents (default version), SAML
// providers and their metadata, OpenID Connect providers, and the role-listing user's access keys. Credentials, region and
// endpoint come from the SDK's standard chains, so `AWS_ENDPOINT_URL` points it at an emulator.
// Only the read actions of `auditReadActions` (components/policies.ts, the audit role's policy) are called.
import { roleArn } from "../../components/names";
import {
    GetPolicyCommand,
    GetPolicyVersionCommand,
    GetRoleCommand,
    GetOpenIDConnectProviderCommand,
    GetRolePolicyCommand,
    GetSAMLProviderCommand,
    GetGroupPolicyCommand,
    GetUserPolicyCommand,
    IAMClient,
    ListOpenIDConnectProvidersCommand,
    ListSAMLProvidersCommand,
    paginateListAccessKeys,
    paginateListAttachedGroupPolicies,
    paginateListAttachedRolePolicies,
    paginateListAttachedUserPolicies,
    paginateListGroupPolicies,
    paginateListGroupsForUser,
    paginateListUserPolicies,
    paginateListUsers,
    paginateListRolePolicies,
    paginateListRoles,
} from "@aws-sdk/client-iam";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { mapLimited } from "../shared/concurrency";
import { LiveReadError } from "../../components/errors";

/** Temporary credentials of an assumed role, as every SDK client takes them. */
export interface RoleCredentials {
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken?: string;
    expiration?: Date;
}

/** A role as the audit reads it: its documents parsed. */
export interface LiveRole {
    arn: string;
    name: string;
    path: string;
    /** The trust policy (`AssumeRolePolicyDocument`). */
    trust: object;
    /** Managed policies attached, by ARN, sorted. */
    attachedPolicyArns: string[];
    /** Inline policies by name. */
    inlinePolicies: Record<string, object>;
    permissionsBoundaryArn?: string;
    maxSessionDuration?: number;
}

/** A customer managed policy: its default version's document. */
interface LivePolicy {
    arn: string;
    defaultVersionId: string;
    document: object;
}

interface LiveSamlProvider {
    arn: string;
    metadata: string;
    validUntil?: string;
}

/** An OpenID Connect identity provider: who it lets sign in is whoever its issuer vouches for. */
interface LiveOidcProvider {
    arn: string;
    url?: string;
    clientIds: string[];
}

interface LiveAccessKey {
    accessKeyId: string;
    status: string;
    /** ISO 8601. */
    created: string;
}

/** What the audit read in one account. */
export interface LiveAccount {
    accountId: string;
    /** The roles it read in full (those `relevant` picked: the code's and every way in from outside), by ARN. */
    roles: Map<string, LiveRole>;
    /** Customer managed policies those roles reference (attached or as boundary), by ARN. */
    policies: Map<string, LivePolicy>;
    /** Every SAML provider of the account. */
    samlProviders: LiveSamlProvider[];
    /** Every OpenID Connect provider of the account. */
    oidcProviders: LiveOidcProvider[];
    /** What could not be read (the credentials may not, …), one reason each: the audit's blind spots here. */
    unreadable: string[];
    /** The keys of the user asked for; undefined when none was asked or the user does not exist. */
    accessKeys?: LiveAccessKey[];
    /**
     * Every IAM user of the account (long-lived credentials that bypass Okta) with its access keys;
     * the code's users also with their policies and groups. Undefined when the credentials may not list them.
     */
    users?: LiveUser[];
}

/** What a user may do: its own policies and those of its groups. */
interface LiveUserPolicies {
    attachedPolicyArns: string[];
    inlinePolicies: Record<string, object>;
    /** Its groups, each with its attached and inline policies, by group name. */
    groups: Record<string, { attachedPolicyArns: string[]; inlinePolicies: Record<string, object> }>;
}

export interface LiveUser {
    name: string;
    arn: string;
    accessKeys: LiveAccessKey[];
    /** For the code's users only. */
    policies?: LiveUserPolicies;
}

/** A role as `ListRoles` names it: enough to decide whether to read it in full. */
interface ListedRole {
    arn: string;
    name: string;
    trust: object;
}

/** IAM returns policy documents URL-encoded (RFC 3986). */
function parsePolicyDocument(encoded: string | undefined, what: string): object {
    try {
        return JSON.parse(decodeURIComponent(encoded ?? "")) as object;
    } catch {
        throw new LiveReadError(`aws: ${what}: the policy document is not JSON`);
    }
}

/** An SDK failure as one clean line: who could not do what, and AWS's own words. */
function describeAwsError(error: unknown, what: string): LiveReadError {
    if (error instanceof LiveReadError) {
        return error;
    }
    const e = error as { name?: string; message?: string; code?: string; cause?: { code?: string } };
    const code = e.code ?? e.cause?.code;
    if (e.name === "CredentialsProviderError") {
        return new LiveReadError(
            `aws: no credentials for ${what}: the SDK's chain found none (AWS_PROFILE, AWS_ACCESS_KEY_ID, a web identity token, …)`,
        );
    }
    if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "ECONNRESET" || code === "ETIMEDOUT" || e.name === "TimeoutError") {
        return new LiveReadError(`aws: cannot reach AWS for ${what} (${code ?? e.name})`);
    }
    return new LiveReadError(`aws: ${what}: ${e.name ?? "Error"}: ${e.message ?? String(error)}`);
}

async function aws<T>(what: string, call: () => Promise<T>): Promise<T> {
    try {
        return await call();
    } catch (error) {
        throw describeAwsError(error, what);
    }
}

/** The ARN of the audit role of an account. */
export function auditRoleArn(partition: string, accountId: string, roleName: string): string {
    return roleArn(partition, accountId, roleName);
}

/**
 * Temporary credentials of the audit role of `accountId`, assumed with the caller's credentials
 * from the SDK's chain. A session chained from another role lasts at most one hour.
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html
 */
export async function assumeAuditRole(sts: STSClient, roleArn: string): Promise<RoleCredentials> {
    const response = await aws(`sts:AssumeRole ${roleArn}`, () =>
        sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "okta-aws-audit", DurationSeconds: 3600 })),
    );
    const credentials = response.Credentials;
    if (!credentials?.AccessKeyId || !credentials.SecretAccessKey) {
        throw new LiveReadError(`aws: sts:AssumeRole ${roleArn}: no credentials in the answer`);
    }
    return {
        accessKeyId: credentials.AccessKeyId,
        secretAccessKey: credentials.SecretAccessKey,
        sessionToken: credentials.SessionToken,
        expiration: credentials.Expiration,
    };
}

export interface ReadAccountOptions {
    accountId: string;
    /** Which listed roles to read in full: the code's and any that could be a path into the organisation. */
    relevant: (role: ListedRole) => boolean;
    /** Customer managed policies to read whether attached or not (the code's), by ARN. */
    policyArns?: string[];
    /** The IAM user whose access keys to list (the Okta role-listing user), if any. */
    keysOfUser?: string;
    /** The code's IAM users in the account, whose policies and groups to read too. */
    codeUsers?: string[];
    /** Concurrent IAM requests; IAM throttles bursts. */
    concurrency?: number;
}

/** Reads one account through `iam` (a client acting as the account's audit role). */
export async function readAwsAccount(iam: IAMClient, options: ReadAccountOptions): Promise<LiveAccount> {
    const where = `account ${options.accountId}`;
    const concurrency = options.concurrency ?? 8;
    const listed: ListedRole[] = [];
    await aws(`iam:ListRoles in ${where}`, async () => {
        for await (const page of paginateListRoles({ client: iam }, {})) {
            for (const role of page.Roles ?? []) {
                listed.push({ arn: role.Arn!, name: role.RoleName!, trust: parsePolicyDocument(role.AssumeRolePolicyDocument, role.Arn!) });
            }
        }
    });
    const roles = await mapLimited(listed.filter(options.relevant), concurrency, (role) => readRole(iam, role, where));

    const customerPolicyArns = [
        ...new Set([
            ...(options.policyArns ?? []),
            ...roles.flatMap((role) => [...role.attachedPolicyArns, ...(role.permissionsBoundaryArn ? [role.permissionsBoundaryArn] : [])]),
        ]),
    ]
        .filter((arn) => arn.split(":")[4] === options.accountId)
        .sort();
    const policies = (await mapLimited(customerPolicyArns, concurrency, (arn) => readPolicy(iam, arn))).filter(
        (policy): policy is LivePolicy => policy !== undefined,
    );

    const providerArns = await aws(`iam:ListSAMLProviders in ${where}`, async () =>
        ((await iam.send(new ListSAMLProvidersCommand({}))).SAMLProviderList ?? []).map((p) => p.Arn!).sort(),
    );
    const samlProviders = await mapLimited(providerArns, concurrency, async (arn) => {
        const provider = await aws(`iam:GetSAMLProvider ${arn}`, () => iam.send(new GetSAMLProviderCommand({ SAMLProviderArn: arn })));
        return { arn, metadata: provider.SAMLMetadataDocument ?? "", validUntil: provider.ValidUntil?.toISOString() };
    });
    const unreadable: string[] = [];
    const oidcProviders = await readOidcProviders(iam, where, concurrency).catch((error: unknown) => {
        if (!isAccessDenied(error)) {
            throw describeAwsError(error, `iam:ListOpenIDConnectProviders in ${where}`);
        }
        unreadable.push(`OpenID Connect providers: ${describeAwsError(error, `iam:ListOpenIDConnectProviders in ${where}`).message}`);
        return [];
    });

    return {
        accountId: options.accountId,
        roles: new Map(roles.map((role) => [role.arn, role])),
        policies: new Map(policies.map((policy) => [policy.arn, policy])),
        samlProviders,
        oidcProviders,
        unreadable,
        accessKeys: options.keysOfUser === undefined ? undefined : await readAccessKeys(iam, options.keysOfUser, where),
        users: await readUsers(iam, options.codeUsers ?? [], where, concurrency).catch((error: unknown) => {
            if (!isAccessDenied(error)) {
                throw describeAwsError(error, `iam:ListUsers in ${where}`);
            }
            unreadable.push(`IAM users: ${describeAwsError(error, `iam:ListUsers in ${where}`).message}`);
            return undefined;
        }),
    };
}

/** Every user of the account with its keys; the code's users with their policies and groups too. */
async function readUsers(iam: IAMClient, codeUsers: string[], where: string, concurrency: number): Promise<LiveUser[]> {
    const listed: { name: string; arn: string }[] = [];
    for await (const page of paginateListUsers({ client: iam }, {})) {
        listed.push(...(page.Users ?? []).map((user) => ({ name: user.UserName!, arn: user.Arn! })));
    }
    return mapLimited(listed, concurrency, async ({ name, arn }): Promise<LiveUser> => {
        const accessKeys = (await readAccessKeys(iam, name, where)) ?? [];
        return { name, arn, accessKeys, ...(codeUsers.includes(name) && { policies: await readUserPolicies(iam, name, where) }) };
    });
}

/** A list through one of IAM's paginators, as strings. */
async function listed<P>(what: string, pages: AsyncIterable<P>, items: (page: P) => string[]): Promise<string[]> {
    const found: string[] = [];
    await aws(what, async () => {
        for await (const page of pages) {
            found.push(...items(page));
        }
    });
    return found.sort();
}

async function readUserPolicies(iam: IAMClient, UserName: string, where: string): Promise<LiveUserPolicies> {
    const at = `user ${UserName} in ${where}`;
    const inlinePolicies: Record<string, object> = {};
    for (const PolicyName of await listed(
        `iam:ListUserPolicies ${at}`,
        paginateListUserPolicies({ client: iam }, { UserName }),
        (p) => p.PolicyNames ?? [],
    )) {
        const policy = await aws(`iam:GetUserPolicy ${at} ${PolicyName}`, () =>
            iam.send(new GetUserPolicyCommand({ UserName, PolicyName })),
        );
        inlinePolicies[PolicyName] = parsePolicyDocument(policy.PolicyDocument, `${at} inline policy ${PolicyName}`);
    }
    const groups: LiveUserPolicies["groups"] = {};
    for (const GroupName of await listed(`iam:ListGroupsForUser ${at}`, paginateListGroupsForUser({ client: iam }, { UserName }), (p) =>
        (p.Groups ?? []).map((g) => g.GroupName!),
    )) {
        const groupInline: Record<string, object> = {};
        for (const PolicyName of await listed(
            `iam:ListGroupPolicies ${GroupName} in ${where}`,
            paginateListGroupPolicies({ client: iam }, { GroupName }),
            (p) => p.PolicyNames ?? [],
        )) {
            const policy = await aws(`iam:GetGroupPolicy ${GroupName} ${PolicyName} in ${where}`, () =>
                iam.send(new GetGroupPolicyCommand({ GroupName, PolicyName })),
            );
            groupInline[PolicyName] = parsePolicyDocument(policy.PolicyDocument, `group ${GroupName} inline policy ${PolicyName}`);
        }
        groups[GroupName] = {
            attachedPolicyArns: await listed(
                `iam:ListAttachedGroupPolicies ${GroupName} in ${where}`,
                paginateListAttachedGroupPolicies({ client: iam }, { GroupName }),
                (p) => (p.AttachedPolicies ?? []).map((a) => a.PolicyArn!),
            ),
            inlinePolicies: groupInline,
        };
    }
    return {
        attachedPolicyArns: await listed(
            `iam:ListAttachedUserPolicies ${at}`,
            paginateListAttachedUserPolicies({ client: iam }, { UserName }),
            (p) => (p.AttachedPolicies ?? []).map((a) => a.PolicyArn!),
        ),
        inlinePolicies,
        groups,
    };
}

/** AWS's refusal of an action the credentials may not call (an audit role deployed before the audit read it). */
const isAccessDenied = (error: unknown) =>
    /^(AccessDenied|AccessDeniedException|UnauthorizedOperation)$/.test((error as { name?: string }).name ?? "");

async function readOidcProviders(iam: IAMClient, where: string, concurrency: number): Promise<LiveOidcProvider[]> {
    const arns = ((await iam.send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList ?? []).map((p) => p.Arn!).sort();
    return mapLimited(arns, concurrency, async (arn) => {
        const provider = await aws(`iam:GetOpenIDConnectProvider ${arn} in ${where}`, () =>
            iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn })),
        );
        return { arn, url: provider.Url, clientIds: [...(provider.ClientIDList ?? [])].sort() };
    });
}

async function readRole(iam: IAMClient, listed: ListedRole, where: string): Promise<LiveRole> {
    const RoleName = listed.name;
    // ListRoles leaves out the permission boundary (IAM API Reference, ListRoles): GetRole has it.
    const { Role: role } = await aws(`iam:GetRole ${listed.arn}`, () => iam.send(new GetRoleCommand({ RoleName })));
    const attachedPolicyArns: string[] = [];
    await aws(`iam:ListAttachedRolePolicies ${listed.arn}`, async () => {
        for await (const page of paginateListAttachedRolePolicies({ client: iam }, { RoleName })) {
            attachedPolicyArns.push(...(page.AttachedPolicies ?? []).map((p) => p.PolicyArn!));
        }
    });
    const inlineNames: string[] = [];
    await aws(`iam:ListRolePolicies ${listed.arn}`, async () => {
        for await (const page of paginateListRolePolicies({ client: iam }, { RoleName })) {
            inlineNames.push(...(page.PolicyNames ?? []));
        }
    });
    const inlinePolicies: Record<string, object> = {};
    for (const PolicyName of inlineNames.sort()) {
        const policy = await aws(`iam:GetRolePolicy ${listed.arn} ${PolicyName} in ${where}`, () =>
            iam.send(new GetRolePolicyCommand({ RoleName, PolicyName })),
        );
        inlinePolicies[PolicyName] = parsePolicyDocument(policy.PolicyDocument, `${listed.arn} inline policy ${PolicyName}`);
    }
    return {
        arn: listed.arn,
        name: listed.name,
        path: role?.Path ?? "/",
        trust: parsePolicyDocument(role?.AssumeRolePolicyDocument, listed.arn),
        attachedPolicyArns: attachedPolicyArns.sort(),
        inlinePolicies,
        permissionsBoundaryArn: role?.PermissionsBoundary?.PermissionsBoundaryArn,
        maxSessionDuration: role?.MaxSessionDuration,
    };
}

/** A customer managed policy's default version; undefined when there is no such policy. */
async function readPolicy(iam: IAMClient, arn: string): Promise<LivePolicy | undefined> {
    let policy;
    try {
        policy = (await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy;
    } catch (error) {
        if ((error as { name?: string }).name === "NoSuchEntityException") {
            return undefined;
        }
        throw describeAwsError(error, `iam:GetPolicy ${arn}`);
    }
    const defaultVersionId = policy?.DefaultVersionId ?? "v1";
    const { PolicyVersion: version } = await aws(`iam:GetPolicyVersion ${arn} ${defaultVersionId}`, () =>
        iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: defaultVersionId })),
    );
    return { arn, defaultVersionId, document: parsePolicyDocument(version?.Document, `${arn} ${defaultVersionId}`) };
}

async function readAccessKeys(iam: IAMClient, userName: string, where: string): Promise<LiveAccessKey[] | undefined> {
    const keys: LiveAccessKey[] = [];
    try {
        for await (const page of paginateListAccessKeys({ client: iam }, { UserName: userName })) {
            for (const key of page.AccessKeyMetadata ?? []) {
                keys.push({ accessKeyId: key.AccessKeyId!, status: key.Status ?? "Active", created: key.CreateDate!.toISOString() });
            }
        }
    } catch (error) {
        if ((error as { name?: string }).name === "NoSuchEntityException") {
            return undefined;
        }
        throw describeAwsError(error, `iam:ListAccessKeys ${userName} in ${where}`);
    }
    return keys.sort((a, b) => a.created.localeCompare(b.created) || a.accessKeyId.localeCompare(b.accessKeyId));
}
