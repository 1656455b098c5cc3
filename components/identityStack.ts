// The identity account's stack: reads the member stacks' outputs, then builds the Okta AWS app, its
// SAML provider, a federated role per member role, the service users and the SAML role assignments.
import * as pulumi from "@pulumi/pulumi";
import { leftAloneInIdentity, policyImportId } from "./adoption";
import { AuditRole } from "./auditRole";
import { awsCliConfig, CliRole, legacyConfigProperties } from "./cliProfiles";
import { IdentityConfig } from "./config";
import { FederatedRole } from "./federatedRole";
import { FederatedRoleSpec, hasFederatedRole, MemberStackReading, resolveFederatedRoles, roleGroupsOf } from "./federatedRolesFromMembers";
import { effectiveSamlRoles, joinsAllRoles } from "./rolesOktaSends";
import { accountRootArn, qualifiedStackName, samlProviderArn } from "./names";
import { OktaAwsApp } from "./oktaAwsApp";
import { OktaCliApp } from "./oktaCliApp";
import { SignOnPolicy, signOnPolicyName } from "./signOnPolicy";
import { EmergencyAccess } from "./emergencyAccess";
import { Exported, IdentityOutputs, memberOutputs, outputsVersion } from "./outputs";
import { introspectionPolicy, oktaSsoPolicy } from "./policies";
import { ServiceUser } from "./serviceUser";
import { SamlProvider } from "./samlProvider";
import { SamlRoleAssignments, samlRoleAssignmentsName } from "./samlRoleAssignments";

/** The member stack outputs the identity stack reads: all of them. */
const memberOutputNames = Object.keys(memberOutputs.shape);

/** Reads every member stack's outputs at the top level, so all resources are known at preview. */
async function readMemberStacks(memberStacks: string[]): Promise<MemberStackReading[]> {
    return Promise.all(
        memberStacks.map(async (stack) => {
            const reference = new pulumi.StackReference(`member-${stack}`, {
                name: qualifiedStackName(pulumi.getOrganization(), pulumi.getProject(), stack),
            });
            const outputs: Record<string, unknown> = {};
            for (const name of memberOutputNames) {
                const details = await reference.getOutputDetails(name);
                outputs[name] = details.value ?? details.secretValue;
            }
            return { stack, outputs };
        }),
    );
}

/**
 * The manual steps Okta's public API cannot do, from the guide's provisioning section. An adopted
 * account also retires the key made by hand, once the new one works.
 */
function provisioningChecklist(appLabel: string, userName: string, adopted = false): string[] {
    return [
        `Okta Admin Console → Applications → "${appLabel}" → Provisioning → Configure API Integration → Enable API integration.`,
        `Enter the ${userName} access key: Access Key = provisioning.accessKeyId, Secret Key = provisioning.secretAccessKey (pulumi stack output provisioning --show-secrets).`,
        "Click Test API Credentials, then Save.",
        'Provisioning → To App → Edit: turn "Create Users" on and "Update User Attributes" off, then Save.',
        "After federated roles are added or removed (pulumi up of this stack), refresh the app's roles: Provisioning → Integration → Save, or re-run Test API Credentials.",
        "After a key rotation (okta-aws:oktaSsoUser.keyRotation), paste the new access key into the API integration.",
        ...(adopted
            ? [
                  `Once Test API Credentials passes with the new key, deactivate and delete the ${userName} key made by hand (aws iam list-access-keys --user-name ${userName}).`,
              ]
            : []),
    ];
}

/** The identity account: the Okta AWS app, its SAML provider, federated roles and SAML User Roles. */
export async function identityStack(config: IdentityConfig) {
    const federatedRoleSpecs = resolveFederatedRoles(config, await readMemberStacks(config.memberStacks));
    const protect = config.protectIdentityResources;
    const providerArn = samlProviderArn(config.partition, config.account.id, config.samlProviderName);
    // What the guide built by hand is imported under the program's names (okta-aws:adopt).
    const adoptedAppId = config.adopt ? config.oktaApp.id : undefined;

    const groupMapping = config.oktaApp.roleAssignment === "groupMapping";
    // groupMapping: the Okta groups of each path, named for the app's group filter.
    const { roleGroups, directRoleGroups } = roleGroupsOf(config.account.id, federatedRoleSpecs);
    // Emergency roles are reached only through their empty groups, each with its own sign-on rule.
    const emergencyRoles = federatedRoleSpecs.filter((spec) => spec.emergency).map((spec) => spec.name);
    const emergency =
        emergencyRoles.length > 0
            ? new EmergencyAccess("emergency-access", {
                  identityAccountId: config.account.id,
                  roles: emergencyRoles,
                  // A direct member's emergency role: its group names the member account and role.
                  directGroupNames: Object.fromEntries(
                      emergencyRoles.flatMap((role) => (Object.hasOwn(roleGroups, role) ? [] : [[role, directRoleGroups[role]]])),
                  ),
              })
            : undefined;
    // Lockout-critical like the SAML provider: without it both apps fall back to Okta's default policy.
    const signOn =
        config.signOnPolicy === false
            ? undefined
            : new SignOnPolicy(
                  "sign-on-policy",
                  {
                      policyName: signOnPolicyName(config.oktaApp.label),
                      assurance: config.signOnPolicy.assurance,
                      reauthenticate: config.signOnPolicy.reauthenticate,
                      networkZones: config.signOnPolicy.networkZones,
                      emergencyGroups: emergency?.groupIds ?? {},
                  },
                  { protect },
              );
    const cliApp = config.cliApp?.enabled
        ? new OktaCliApp("okta-aws-cli-app", {
              label: config.cliApp.label,
              oktaOrgHost: config.oktaOrgHost,
              authenticationPolicy: signOn?.policyId,
          })
        : undefined;
    const app = new OktaAwsApp("okta-aws-app", {
        label: config.oktaApp.label,
        identityProviderArn: providerArn,
        samlProviderName: config.samlProviderName,
        partition: config.partition,
        sessionDuration: config.oktaApp.sessionDuration,
        loginUrl: config.oktaApp.loginUrl,
        joinAllRoles: config.oktaApp.joinAllRoles,
        webSsoAllowedClient: cliApp?.clientId,
        useGroupMapping: groupMapping,
        apiIntegration: config.oktaApp.rolesImported,
        adoptId: adoptedAppId,
        appId: config.oktaApp.id,
        authenticationPolicy: signOn?.policyId,
    });
    const samlProvider = new SamlProvider(
        "saml-provider",
        { providerName: config.samlProviderName, metadata: app.metadata, adoptArn: config.adopt ? providerArn : undefined },
        { protect },
    );

    const federatedRoles: Record<string, pulumi.Output<string>> = {};
    // A role people reach directly has no federated role: they sign in to the member role itself.
    for (const spec of federatedRoleSpecs.filter(hasFederatedRole)) {
        const role = new FederatedRole(
            spec.name,
            {
                roleName: spec.name,
                samlProviderArn: providerArn,
                targetRoleArn: spec.targetRoleArn,
                assumePolicyName: spec.assumePolicyName,
                maxSessionDuration: spec.maxSessionDuration,
                sessionTags: config.oktaApp.sessionTags,
                adopt: config.adopt ? { policyArn: policyImportId(config.partition, config.account.id, spec.assumePolicyName) } : undefined,
            },
            // The trust names the provider by ARN; create the provider first.
            { protect, dependsOn: [samlProvider] },
        );
        federatedRoles[spec.name] = role.arn;
    }

    // Only the API integration (importing roles for SAML User Roles) needs the role-listing user;
    // group mapping "does not use provisioning functionality" (Okta, Connect Okta to multiple AWS
    // instances using groups), so it gets no long-lived key.
    const ssoUser = groupMapping
        ? undefined
        : new ServiceUser("okta-sso-user", {
              userName: config.oktaSsoUser.name,
              groupName: `${config.oktaSsoUser.name}-RoleDiscovery`,
              policyName: "okta-list-roles",
              policy: oktaSsoPolicy(),
              keyRotation: config.oktaSsoUser.keyRotation,
              adoptUser: config.adopt,
          });
    const assignments = new SamlRoleAssignments(samlRoleAssignmentsName, {
        appId: app.appId,
        cliAppId: cliApp?.appId,
        users: config.users,
        groups: config.groups,
        mode: config.oktaApp.roleAssignment,
        rolesImported: config.oktaApp.rolesImported,
        roleGroups: groupMapping ? roleGroups : undefined,
        directRoleGroups: groupMapping ? directRoleGroups : undefined,
        adoptAppId: adoptedAppId,
        emergencyGroups: emergency?.groupIds,
    });

    new AuditRole("audit-role", {
        roleName: config.auditRole.name,
        trustedPrincipal: config.auditRole.trustedPrincipal ?? accountRootArn(config.partition, config.account.id),
    });

    const cli = cliAccess(config, federatedRoleSpecs);
    return {
        outputsVersion,
        samlProviderArn: samlProvider.arn,
        samlMetadata: app.metadata,
        oktaAppId: app.appId,
        oktaAppEmbedUrl: app.embedUrl,
        oktaAppSettings: app.settings,
        oktaAppOptions: {
            roleAssignment: config.oktaApp.roleAssignment,
            rolesImported: config.oktaApp.rolesImported,
            sessionTags: config.oktaApp.sessionTags,
            sourceIdentity: config.oktaApp.sourceIdentity,
        },
        ...(groupMapping && {
            roleGroups,
        }),
        ...(groupMapping && Object.keys(directRoleGroups).length > 0 && { directRoleGroups }),
        federatedRoles,
        signOnPolicy: signOn
            ? {
                  enforced: true,
                  policyId: signOn.policyId,
                  assurance: signOn.assurance,
                  reauthenticate: signOn.reauthenticate,
                  ...(signOn.networkZones && { networkZones: signOn.networkZones }),
                  rules: signOn.ruleNames,
              }
            : { enforced: false },
        ...(emergency && {
            emergencyRoles: Object.fromEntries(
                federatedRoleSpecs
                    .filter((spec) => spec.emergency)
                    .map((spec) => [
                        spec.name,
                        {
                            group: emergency.groupNames[spec.name],
                            targetRoleArn: spec.targetRoleArn,
                            maxSessionDuration: spec.maxSessionDuration,
                        },
                    ]),
            ),
        }),
        ...(ssoUser && {
            provisioning: {
                iamUser: config.oktaSsoUser.name,
                accessKeyId: ssoUser.accessKeyId,
                secretAccessKey: ssoUser.secretAccessKey,
                features: app.features,
                provisioningEnabled: app.provisioningEnabled,
                checklist: provisioningChecklist(config.oktaApp.label, config.oktaSsoUser.name, config.adopt),
            },
        }),
        assignments: assignments.assignments,
        // The Okta ids the stack owns, so `npm run audit` knows the code's objects by id, never by name.
        oktaObjectIds: {
            ...(cliApp && { cliAppId: cliApp.appId }),
            groups: {
                ...assignments.groupIds,
                ...(emergency && Object.fromEntries(emergencyRoles.map((role) => [emergency.groupNames[role], emergency.groupIds[role]]))),
            },
            users: assignments.userIds,
        },
        ...(assignments.pending && { pendingAssignments: assignments.pending }),
        samlRolesByUser: cli.samlRolesByUser,
        awsCliProfiles: cli.awsCliProfiles,
        switchRoleLinks: cli.switchRoleLinks,
        ...(cliApp && {
            // okta-aws-cli's environment (okta/okta-aws-cli README, "Configuration").
            oktaAwsCli: {
                OKTA_AWSCLI_ORG_DOMAIN: config.oktaOrgDomain,
                OKTA_AWSCLI_OIDC_CLIENT_ID: cliApp.clientId,
                OKTA_AWSCLI_AWS_ACCOUNT_FEDERATION_APP_ID: app.appId,
            },
        }),
        ...(config.introspectionUser && { introspection: introspection(config.introspectionUser, config.oktaOrgDomain, app.embedUrl) }),
        // What the guide built that the program leaves alone, for the user to decide.
        ...(config.adopt && { adoption: { leftAlone: leftAloneInIdentity(config) } }),
    } satisfies Exported<IdentityOutputs>;
}

/** Per person: the SAML roles Okta sends them, their `~/.aws/config` text and switch-role links. */
function cliAccess(config: IdentityConfig, specs: FederatedRoleSpec[]) {
    const awsCliProfiles: Record<string, string> = {};
    const switchRoleLinks: Record<string, { samlRole: string; url: string }[]> = {};
    const samlRolesByUser = effectiveSamlRoles(config.users, config.groups, joinsAllRoles(config.oktaApp));
    const specsByName = new Map(specs.map((spec) => [spec.name, spec]));
    for (const [login, samlRoles] of Object.entries(samlRolesByUser)) {
        const roles = samlRoles.map((samlRole) => {
            const spec = specsByName.get(samlRole)!;
            return { samlRole, targetRoleArn: spec.targetRoleArn, switchRoleUrl: spec.targetSwitchRoleUrl };
        });
        awsCliProfiles[login] = awsCliConfig(
            login,
            config.account.id,
            samlRoles.flatMap((samlRole, i) => cliRoles(config, specsByName.get(samlRole)!, roles[i])),
        );
        // A switch-role link starts from a federated role: none for a role reached only directly.
        switchRoleLinks[login] = roles
            .filter((r) => hasFederatedRole(specsByName.get(r.samlRole)!))
            .map((r) => ({ samlRole: r.samlRole, url: r.switchRoleUrl }));
    }
    return { samlRolesByUser, awsCliProfiles, switchRoleLinks };
}

/**
 * A SAML role's CLI profiles: through its federated role (chained), straight into the member role
 * (direct: its account's provider, the role's own maximum capped by the app's session), or both
 * during a migration's deploy.
 */
function cliRoles(config: IdentityConfig, spec: FederatedRoleSpec, chained: CliRole): CliRole[] {
    if (spec.signIn === "chained" || spec.targetSamlProviderArn === undefined) {
        return [chained];
    }
    const direct: CliRole = {
        ...chained,
        direct: {
            samlProviderArn: spec.targetSamlProviderArn,
            sessionSeconds: Math.min(spec.targetMaxSessionDuration ?? 3600, config.oktaApp.sessionDuration),
        },
    };
    return spec.signIn === "both" ? [chained, direct] : [direct];
}

/** The role-introspection user of the legacy okta-aws-cli-assume-role tool, and its config file. */
function introspection(user: { name: string; keyRotation?: string }, oktaOrgDomain: string, appUrl: pulumi.Output<string>) {
    const introspectionUser = new ServiceUser("introspection-user", {
        userName: user.name,
        groupName: `${user.name}-RoleIntrospection`,
        policyName: "okta-aws-cli-introspection",
        policy: introspectionPolicy(),
        keyRotation: user.keyRotation,
    });
    return {
        iamUser: user.name,
        accessKeyId: introspectionUser.accessKeyId,
        configProperties: pulumi.secret(
            pulumi
                .all([appUrl, introspectionUser.accessKeyId, introspectionUser.secretAccessKey])
                .apply(([url, keyId, secret]) => legacyConfigProperties(oktaOrgDomain, url, keyId, secret)),
        ),
    };
}
