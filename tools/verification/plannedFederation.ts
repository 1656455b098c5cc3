// The verification's view of a plan: every role with its trust and attached policy documents (AWS
// managed policies from vendored fixtures), and the identity stack's federation settings.
import * as fs from "fs";
import * as path from "path";
import { captureRole, renderRoleValue } from "../../components/groupFilter";
import { customerPolicyArn, policyNameOf, roleArn } from "../../components/names";
import { IdentityOutputs, requiredOutput } from "../../components/outputs";
import { secretMarker } from "../mock/outputs";
import type { OktaObject } from "../mock/providers";
import type { Plan } from "../plan/model";
import { PlannedSignOnPolicy, plannedSignOnPolicy } from "./signOn";

export interface ManagedPolicyFixture {
    arn: string;
    check: { action: string; resource: string };
    /** The services the policy is about; a request to any other is expected to be denied. */
    services?: string[];
    document: object;
}

const fixturesDir = path.join(__dirname, "managedPolicies");

/** The vendored AWS managed policies, by policy name (the verification's and the audit's documents of them). */
export function managedPolicyFixtures(): Map<string, ManagedPolicyFixture> {
    const fixtures = new Map<string, ManagedPolicyFixture>();
    for (const file of fs.readdirSync(fixturesDir).filter((f) => f.endsWith(".json"))) {
        const fixture = JSON.parse(fs.readFileSync(path.join(fixturesDir, file), "utf8")) as ManagedPolicyFixture;
        fixtures.set(policyNameOf(fixture.arn), fixture);
    }
    return fixtures;
}

export interface VerifiedRole {
    arn: string;
    name: string;
    accountId: string;
    /** The region of the role's stack: where its people's requests go unless a resource names another. */
    region: string;
    trust: object;
    /** Attached policies: ARN and, where known, the document. */
    policies: PlannedPolicy[];
    /** The permissions boundary, when the role has one. */
    boundary?: PlannedPolicy;
    /** The role's maximum session in seconds: AWS refuses a SAML SessionDuration above it. */
    maxSessionDuration: number;
}

/**
 * One way a SAML role's sign-in lands in AWS: the identity account's federated role (chained, then
 * a switch into the member role) or the member role itself through its account's own provider
 * (direct). Each is one role pair of the assertion.
 */
export interface SignInPathModel {
    kind: "chained" | "direct";
    /** The provider AWS validates the assertion against: its metadata is the plan's for that provider. */
    providerArn: string;
    /** The role the SAML sign-in assumes. */
    roleArn: string;
    /** The role value Okta sends for this path (from the planned app and, with group mapping, its group). */
    roleValue: string;
}

/** A policy a role refers to: its ARN and, where known, its document (the stack's own, or a vendored AWS one). */
export interface PlannedPolicy {
    arn: string;
    document?: object;
    fixture?: ManagedPolicyFixture;
    /** Created by the plan (a customer managed policy of the member stack), not an AWS managed one. */
    own: boolean;
}

/** What the identity stack's outputs promise of the AWS app's sign-on. */
interface SignOnPromise {
    enforced: boolean;
    assurance?: "mfa" | "phishingResistant";
    networkZones?: string[];
}

/** The roles of every stack of the plan, with their trust and permission documents. */
export function plannedRoles(plan: Plan, partition: string, managed: Map<string, ManagedPolicyFixture>): Map<string, VerifiedRole> {
    const roles = new Map<string, VerifiedRole>();
    for (const stack of Object.values(plan.stacks)) {
        const byType = new Map<string, Record<string, string>[]>();
        for (const resource of stack.resources) {
            const list = byType.get(resource.type) ?? [];
            list.push(resource.inputs as Record<string, string>);
            byType.set(resource.type, list);
        }
        const inputsOf = (type: string) => byType.get(type) ?? [];
        const customerPolicies = new Map(
            inputsOf("aws:iam/policy:Policy").map((p) => [
                customerPolicyArn(partition, stack.accountId, p.name),
                JSON.parse(p.policy) as object,
            ]),
        );
        const attachments = new Map<string, string[]>();
        for (const attachment of inputsOf("aws:iam/rolePolicyAttachment:RolePolicyAttachment")) {
            const list = attachments.get(attachment.role) ?? [];
            list.push(attachment.policyArn);
            attachments.set(attachment.role, list);
        }
        const policyOf = (policyArn: string): PlannedPolicy => {
            const own = customerPolicies.get(policyArn);
            const fixture = managed.get(policyNameOf(policyArn));
            const isFixture =
                own === undefined && fixture !== undefined && fixture.arn.replace(/^arn:aws:/, `arn:${partition}:`) === policyArn;
            return {
                arn: policyArn,
                document: own ?? (isFixture ? fixture.document : undefined),
                fixture: isFixture ? fixture : undefined,
                own: own !== undefined,
            };
        };
        for (const role of inputsOf("aws:iam/role:Role")) {
            const arn = roleArn(partition, stack.accountId, role.name);
            roles.set(arn, {
                arn,
                name: role.name,
                accountId: stack.accountId,
                region: stack.region ?? "us-east-1",
                trust: JSON.parse(role.assumeRolePolicy) as object,
                policies: (attachments.get(role.name) ?? []).map(policyOf),
                maxSessionDuration: Number(role.maxSessionDuration ?? 3600),
                ...(role.permissionsBoundary && { boundary: policyOf(role.permissionsBoundary) }),
            });
        }
    }
    return roles;
}

/** What every step of the verification reads from the plan. */
export interface Federation {
    plan: Plan;
    roles: Map<string, VerifiedRole>;
    partition: string;
    identityAccountId: string;
    providerArn: string;
    metadata: string;
    idpPrivateKeyPem: string;
    sessionDuration: number;
    /** The SAML roles (federated role names, which direct roles keep as their name), sorted. */
    samlRoles: string[];
    /** The SAML roles with a federated role (chained, or both during a migration), sorted. */
    chainedRoles: string[];
    /** Each SAML role's sign-in paths: chained, direct, or both during a migration. */
    pathsOf(samlRole: string): SignInPathModel[];
    /** Each direct member account's SAML provider (by ARN) with the metadata the plan gives it. */
    providerMetadata: Record<string, string>;
    federatedArn(samlRole: string): string;
    /** The member role a federated role switches into, as the member stack's outputs say. */
    targetOf(samlRole: string): VerifiedRole;
    /** Okta sends the SourceIdentity attribute: the sign-in sets the session's source identity. */
    sendsSourceIdentity: boolean;
    /** Okta sends `PrincipalTag` session tags: the sign-in also tags the session. */
    sessionTags: boolean;
    /** The session tags Okta sends for a person, where `sessionTags` declares an attribute statement for them. */
    principalTagsOf(login: string): Record<string, string>;
    /**
     * The SAML role value Okta sends: from the app's role value pattern, and with group mapping
     * from the role's Okta group name through the app's own group filter.
     */
    roleValue(samlRole: string): string;
    /** The authentication policy the AWS app is assigned in the plan (undefined: Okta's default policy). */
    signOnPolicy?: PlannedSignOnPolicy;
    /** What the configuration asks of sign-on; absent in plans written before the sign-on policy. */
    signOnPromise?: SignOnPromise;
    /** Emergency federated roles, each with its Okta group's name: held by no one day to day. */
    emergencyGroups: Record<string, string>;
    /** The Okta id the plan gives an object: a user by login, a group by name. */
    oktaIdOf(kind: OktaObject["kind"], name: string): string | undefined;
}

/** The settings of the Okta AWS app the verification reads. */
interface AppSettings {
    roleValuePattern: string;
    sessionDuration: number;
    groupFilter: string;
    useGroupMapping: boolean;
}

/**
 * With group mapping, Okta finds a person's role values in the names of their groups: the group
 * filter picks and captures, the role value pattern renders. A name the filter does not match
 * yields no role value, which the sign-in check reports.
 */
function groupMappedRoleValue(settings: AppSettings, groupName: string | undefined, plannedGroups: Set<string>): string {
    if (groupName === undefined || !plannedGroups.has(groupName)) {
        return `(no role group ${groupName ?? ""} in the plan)`;
    }
    const captured = captureRole(settings.groupFilter, groupName);
    return captured ? renderRoleValue(settings.roleValuePattern, captured) : `(group ${groupName} does not match the group filter)`;
}

export function federationOf(plan: Plan, idpPrivateKeyPem: string): Federation {
    const identity = Object.values(plan.stacks).find((s) => s.kind === "identity")!;
    const identityInputs = (type: string) => identity.resources.find((r) => r.type === type)!.inputs as Record<string, string>;
    const identityOutput = <K extends keyof IdentityOutputs>(name: K) => requiredOutput(identity.outputs, name, "the identity stack");
    const providerArn = identityOutput("samlProviderArn");
    const partition = providerArn.split(":")[1];
    // The settings as sent to Okta; once they carry the API integration's credentials they are a
    // secret, and the exported settings (the same, without the credentials) stand in.
    const sentSettings = identityInputs("okta:app/saml:Saml").appSettingsJson;
    const appSettings = sentSettings === secretMarker ? identityOutput("oktaAppSettings") : (JSON.parse(sentSettings) as AppSettings);
    const appOptions = identityOutput("oktaAppOptions");
    const roleGroups = identity.outputs.roleGroups ?? {};
    const plannedGroups = new Set(
        identity.resources.filter((r) => r.type === "okta:group/group:Group").map((r) => (r.inputs as Record<string, string>).name),
    );
    const roles = plannedRoles(plan, partition, managedPolicyFixtures());
    const oktaIds = new Map(Object.entries(plan.oktaIds ?? {}).map(([id, object]) => [JSON.stringify([object.kind, object.name]), id]));
    const emergencyRoles = identity.outputs.emergencyRoles ?? {};
    // Every federated role there is and the member role it switches into, from the stacks'
    // outputs: roles nobody holds yet are attacked too, and a stack with no one in it still has its roles.
    const federatedRoles = identityOutput("federatedRoles");
    const directRoleGroups = identity.outputs.directRoleGroups ?? {};
    const memberStacks = Object.values(plan.stacks).filter((stack) => stack.kind === "member");
    const memberRoles = Object.entries(plan.stacks)
        .filter(([, stack]) => stack.kind === "member")
        .flatMap(([name, stack]) => requiredOutput(stack.outputs, "crossAccountRoles", name));
    const targetArns = new Map(
        memberRoles
            .filter((role) => Object.hasOwn(federatedRoles, role.federatedRoleName) || role.samlProviderArn !== undefined)
            .map((role) => [role.federatedRoleName, role.arn] as const),
    );
    // An emergency role keeps its one group, the chained path's, until its member is direct (roleGroupsOf).
    const directProviders = new Map(
        memberRoles.flatMap((role) =>
            role.samlProviderArn === undefined || (role.emergency && role.signIn === "both")
                ? []
                : [[role.federatedRoleName, role.samlProviderArn] as const],
        ),
    );
    // What each direct member's planned provider holds: the document its aws.iam.SamlProvider is given.
    const providerMetadata = Object.fromEntries(
        memberStacks.flatMap((stack) =>
            stack.outputs.samlProviderArn === undefined
                ? []
                : stack.resources
                      .filter((r) => r.type === "aws:iam/samlProvider:SamlProvider")
                      .map((r) => [stack.outputs.samlProviderArn!, String(r.inputs.samlMetadataDocument)] as const),
        ),
    );
    const chainedValue = (samlRole: string) =>
        appSettings.useGroupMapping
            ? groupMappedRoleValue(appSettings, roleGroups[samlRole], plannedGroups)
            : renderRoleValue(appSettings.roleValuePattern, { accountid: identity.accountId, role: samlRole });
    const pathsOf = (samlRole: string): SignInPathModel[] => [
        ...(Object.hasOwn(federatedRoles, samlRole)
            ? [{ kind: "chained" as const, providerArn, roleArn: federatedRoles[samlRole], roleValue: chainedValue(samlRole) }]
            : []),
        ...(directProviders.has(samlRole)
            ? [
                  {
                      kind: "direct" as const,
                      providerArn: directProviders.get(samlRole)!,
                      roleArn: targetArns.get(samlRole)!,
                      // The emergency group of a direct role is its direct path's group.
                      roleValue: groupMappedRoleValue(
                          appSettings,
                          directRoleGroups[samlRole] ?? (emergencyRoles[samlRole] ? emergencyRoles[samlRole].group : undefined),
                          plannedGroups,
                      ),
                  },
              ]
            : []),
    ];
    return {
        plan,
        roles,
        partition,
        identityAccountId: identity.accountId,
        providerArn,
        metadata: identityInputs("aws:iam/samlProvider:SamlProvider").samlMetadataDocument,
        idpPrivateKeyPem,
        sessionDuration: appSettings.sessionDuration,
        samlRoles: [...targetArns.keys()].sort(),
        chainedRoles: [...targetArns.keys()].filter((samlRole) => Object.hasOwn(federatedRoles, samlRole)).sort(),
        pathsOf,
        providerMetadata,
        // The ARNs the identity stack exports, so a role value pattern that renders another ARN is caught.
        federatedArn: (samlRole) => federatedRoles[samlRole] ?? roleArn(partition, identity.accountId, samlRole),
        targetOf: (samlRole) => {
            const arn = targetArns.get(samlRole)!;
            const target = roles.get(arn);
            if (!target) {
                throw new Error(`verify: ${samlRole} switches into ${arn}, which no stack of the plan creates`);
            }
            return target;
        },
        // Declared by the configuration (`okta-aws:oktaApp`): Okta's public API cannot give the AWS
        // app attribute statements (okta/terraform-provider-okta #1635, labelled no-api), so an admin
        // adds them by hand and the stack file says so. Plans from before the declaration send none.
        sendsSourceIdentity: appOptions.sourceIdentity ?? false,
        // From the configuration, not from the trust: the checks prove the trust accepts a tagged sign-in.
        sessionTags: appOptions.sessionTags,
        // The tag docs/configuration.md asks the admin to configure: the login, as `PrincipalTag:login`.
        principalTagsOf: (login): Record<string, string> => (appOptions.sessionTags ? { login } : {}),
        roleValue: chainedValue,
        signOnPolicy: plannedSignOnPolicy(
            identity.resources,
            identity.resources.find((r) => r.type === "okta:app/saml:Saml")!,
        ),
        signOnPromise: identity.outputs.signOnPolicy,
        emergencyGroups: Object.fromEntries(Object.entries(emergencyRoles).map(([role, { group }]) => [role, group])),
        oktaIdOf: (kind, name) => oktaIds.get(JSON.stringify([kind, name])),
    };
}
