// A member account's stack: one CrossAccountRole per configured role, and the outputs the identity
// stack (and other teams) read, as components/outputs.ts publishes them. A member people reach
// directly (okta-aws:signIn direct or both) also holds a SAML provider with the identity stack's
// Okta app metadata, read by StackReference (docs/topologies.md: why the data flows this way).
import * as pulumi from "@pulumi/pulumi";
import { AuditRole } from "./auditRole";
import { ConfigError, configProblem, MemberConfig, projectName } from "./config";
import { CrossAccountRole } from "./crossAccountRole";
import { accountRootArn, qualifiedStackName, samlProviderArn } from "./names";
import { CrossAccountRoleOutput, Exported, MemberOutputs, outputsVersion } from "./outputs";
import { SamlProvider } from "./samlProvider";

/** What a direct member reads from its identity stack's outputs. */
export interface IdentityReading {
    /** The identity stack's `samlProviderArn`: its account and the provider name every account shares. */
    samlProviderArn?: unknown;
    /** The Okta app's IdP metadata; absent before the identity stack's first deploy of this release. */
    samlMetadata?: unknown;
    /** Whether Okta sends session tags (the trust then allows sts:TagSession), and the role assignment mode. */
    oktaAppOptions?: unknown;
}

const identityOutputsRead: Record<keyof IdentityReading, true> = { samlProviderArn: true, samlMetadata: true, oktaAppOptions: true };

/**
 * The names of the identity stack's outputs a direct member reads, and the only ones it reads: the
 * offline plan answers its StackReference with these alone (tools/plan/build.ts), since the
 * identity's other outputs grow with the organisation's people.
 */
export const identityOutputsDirectMembersRead = Object.keys(identityOutputsRead) as (keyof IdentityReading)[];

/** The identity stack's outputs a direct member needs, read at the top level so the trust is known at preview. */
async function readIdentityStack(identityStack: string): Promise<{ reading: IdentityReading; metadata: pulumi.Output<string> }> {
    const reference = new pulumi.StackReference(`identity-${identityStack}`, {
        name: qualifiedStackName(pulumi.getOrganization(), pulumi.getProject(), identityStack),
    });
    const reading: IdentityReading = {};
    for (const name of identityOutputsDirectMembersRead) {
        const details = await reference.getOutputDetails(name);
        reading[name] = (details.value ?? details.secretValue) as unknown;
    }
    return {
        reading,
        // As an Output: a preview before the identity stack exports it shows the metadata unknown.
        metadata: reference.getOutput("samlMetadata") as pulumi.Output<string>,
    };
}

/** The SAML sign-in a direct member mirrors from its identity stack, or the problems that stop it. */
export interface DirectSignIn {
    /** The provider's name in this account: the identity account's, so one role value pattern serves both. */
    providerName: string;
    /** This account's provider ARN, which its roles trust. */
    providerArn: string;
    /** Okta sends session tags: the trust allows sts:TagSession, as the federated roles' does. */
    sessionTags: boolean;
    /** Whether the identity stack exports the app's metadata (only a preview may go on without it). */
    hasMetadata: boolean;
}

/**
 * Checks what a direct member read from its identity stack: that stack must be the one of
 * `okta-aws:identityAccountId`, deployed, and export the app's metadata before `pulumi up` can
 * create this account's provider (a preview shows the metadata as unknown, with a warning).
 */
function directSignIn(config: MemberConfig, reading: IdentityReading, dryRun: boolean): DirectSignIn {
    const key = `${projectName}:identityStack`;
    const problem = (reason: string) => new ConfigError([configProblem(config.stackFile, key, config.identityStack, reason)]);
    const arn =
        typeof reading.samlProviderArn === "string"
            ? /^arn:([\w-]+):iam::(\d{12}):saml-provider\/(.+)$/.exec(reading.samlProviderArn)
            : null;
    if (!arn) {
        throw problem(
            "the stack exports no samlProviderArn: deploy the identity stack first, with this member on okta-aws:signIn chained, then switch (docs/topologies.md)",
        );
    }
    const [, partition, account, providerName] = arn;
    if (account !== config.identityAccountId || partition !== config.partition) {
        throw problem(
            `is the identity stack of account ${account} (partition ${partition}), but okta-aws:identityAccountId is ${config.identityAccountId} (partition ${config.partition}): name the identity stack of that account`,
        );
    }
    const options = reading.oktaAppOptions as { sessionTags?: unknown } | undefined;
    const metadata = typeof reading.samlMetadata === "string" && reading.samlMetadata.length > 0 ? reading.samlMetadata : undefined;
    if (metadata === undefined && !dryRun) {
        throw problem(
            "the stack exports no samlMetadata (the Okta app's metadata this account's SAML provider holds): deploy the identity stack with this release first",
        );
    }
    return {
        providerName,
        providerArn: samlProviderArn(config.partition, config.account.id, providerName),
        sessionTags: options?.sessionTags === true,
        hasMetadata: metadata !== undefined,
    };
}

/** A member account (Sales, Retail, …): the cross-account roles the identity account switches into. */
export async function memberStack(config: MemberConfig) {
    const identity = config.signIn === "chained" ? undefined : await readIdentityStack(config.identityStack!);
    const direct = identity && directSignIn(config, identity.reading, pulumi.runtime.isDryRun());
    // The provider comes first: the roles' trust names it, and IAM is not documented to accept a
    // federated principal that does not exist yet (docs/topologies.md).
    const provider =
        direct && new SamlProvider("saml-provider", { providerName: direct.providerName, metadata: identity.metadata, member: true });
    const roles = config.crossAccountRoles.map((role) => {
        const component = new CrossAccountRole(
            role.name,
            {
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
                ...(direct && {
                    direct: { samlProviderArn: direct.providerArn, sessionTags: direct.sessionTags, alsoChained: config.signIn === "both" },
                }),
            },
            provider ? { dependsOn: [provider] } : undefined,
        );
        return component.arn.apply((arn): CrossAccountRoleOutput => ({
            name: role.name,
            arn,
            federatedRoleName: role.federatedRoleName,
            assumePolicyName: role.assumePolicyName,
            policyArns: component.policyArns,
            ...(component.permissionsBoundaryArn && { permissionsBoundaryArn: component.permissionsBoundaryArn }),
            switchRoleUrl: component.switchRoleUrl,
            ...(role.emergency && { emergency: true }),
            ...(direct && { signIn: config.signIn, samlProviderArn: direct.providerArn, maxSessionDuration: role.maxSessionDuration }),
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
        ...(direct && { signIn: config.signIn, samlProviderArn: direct.providerArn }),
        crossAccountRoles: pulumi.all(roles),
    } satisfies Exported<MemberOutputs>;
}
