// A plan's Okta side as a deploy leaves it, in the Okta test org: every Okta resource of the
// identity stack created as the Okta provider creates it (the same ids the mock gave, so the
// plan's references resolve), the users a look-up finds created beforehand, the AWS app's
// metadata the one the plan gave the SAML provider, and each group rule applied as Okta applies
// it (the members of its source group added to its target groups), and the sign-on policy the
// apps use with its rules as the provider sends them to Okta's Policy API and Okta's own catch-all.
import * as fs from "fs";
import type { IdentityConfig } from "../components/config";
import type { PlanResult } from "../tools/plan/model";
import { secretMarker } from "../tools/mock/outputs";
import { mockApiIntegrationCredentials, mockOktaId, oktaReturnedAppSettings } from "../tools/mock/providers";
import { oktaReturnedAppUserProfile } from "./providerModel";
import type { TestOktaOrg } from "./servers/okta";

/** Okta's provisioning features of an app whose API integration is on (what the mock's look-up returns). */
const integrationFeatures = ["IMPORT_NEW_USERS", "PUSH_NEW_USERS"];

/**
 * The identity stack's outputs as `pulumi stack output --json` would print them once deployed as the
 * test org is seeded (the mock's ids), written to `file` for `npm run audit -- --identity-outputs`.
 */
export function writeIdentityOutputs({ evaluations }: PlanResult, file: string, liveId: (planId: string) => string = (id) => id): string {
    const identity = evaluations.find((e) => e.config.kind === "identity")!;
    const outputs = identity.reference.outputs as {
        oktaAppId: string;
        signOnPolicy: { policyId?: string };
        oktaObjectIds: { cliAppId?: string; groups: Record<string, string>; users: Record<string, string> };
    };
    const ids = [
        outputs.oktaAppId,
        outputs.signOnPolicy.policyId,
        outputs.oktaObjectIds.cliAppId,
        ...Object.values(outputs.oktaObjectIds.groups),
        ...Object.values(outputs.oktaObjectIds.users),
    ].filter((id): id is string => id !== undefined);
    // Every id the state names, as the org gave it (`liveId`), wherever the outputs show it.
    const text = ids.reduce((json, id) => json.split(id).join(liveId(id)), JSON.stringify(outputs, null, 2));
    fs.writeFileSync(file, `${text}\n`);
    return file;
}

/**
 * Creates the identity stack's Okta resources in `org`, each with the id `liveId` gives the mock's
 * (by default the mock's own: the plan's references resolve; another, as a real org gives its own ids).
 */
export function seedOktaFromPlan(
    org: TestOktaOrg,
    { plan, evaluations }: PlanResult,
    liveId: (planId: string) => string = (id) => id,
): void {
    const identity = evaluations.find((e) => e.config.kind === "identity")!;
    const resources = plan.stacks[identity.stack].resources;
    const inputs = (type: string) => resources.filter((r) => r.type === type).map((r) => r.inputs as Record<string, string>);
    const metadata = inputs("aws:iam/samlProvider:SamlProvider")[0].samlMetadataDocument;
    const outputs = identity.reference.outputs;

    for (const app of inputs("okta:app/saml:Saml")) {
        // Once the API integration is on, the program sends its settings as a secret; the same
        // settings are exported without the credentials Okta adds.
        const sent =
            app.appSettingsJson === secretMarker
                ? { ...(outputs.oktaAppSettings as Record<string, unknown>), ...mockApiIntegrationCredentials }
                : (JSON.parse(app.appSettingsJson) as Record<string, unknown>);
        const integrationOn = (outputs.oktaAppOptions as { rolesImported: boolean; roleAssignment: string }).rolesImported;
        org.addApp({
            id: liveId(outputs.oktaAppId!),
            name: app.preconfiguredApp,
            label: app.label,
            settings: oktaReturnedAppSettings(sent),
            metadata,
            features: integrationOn && sent.useGroupMapping !== true ? integrationFeatures : [],
        });
    }
    for (const app of inputs("okta:app/oAuth:OAuth")) {
        org.addApp({
            id: liveId(mockOktaId("0oa", app.label)),
            name: "oidc_client",
            label: app.label,
            settings: {},
            metadata: "",
            signOnMode: "OPENID_CONNECT",
        });
    }
    // The mock's ids: created users by their login as written, looked-up ones likewise.
    const config = identity.config as IdentityConfig;
    for (const user of inputs("okta:user/user:User")) {
        org.addUser({
            id: liveId(mockOktaId("00u", user.login)),
            login: user.login,
            firstName: user.firstName,
            lastName: user.lastName,
            email: user.email,
        });
    }
    const known = new Set([...org.users.values()].map((u) => u.login.toLowerCase()));
    for (const login of [...config.users.map((u) => u.login), ...config.groups.flatMap((g) => g.members ?? [])]) {
        if (!known.has(login.toLowerCase())) {
            org.addUser({ id: liveId(mockOktaId("00u", login)), login });
            known.add(login.toLowerCase());
        }
    }
    // The directory's groups exist before any deploy: by the id the code names, or the one its look-up finds.
    for (const group of config.groups.filter((g) => g.existing)) {
        org.addGroup({ id: liveId(group.oktaId ?? mockOktaId("00g", group.name)), name: group.name });
    }
    for (const group of inputs("okta:group/group:Group")) {
        org.addGroup({ id: liveId(mockOktaId("00g", group.name)), name: group.name, description: group.description });
    }
    for (const assignment of inputs("okta:app/user:User")) {
        org.assignUser(
            liveId(assignment.appId),
            liveId(assignment.userId),
            assignment.profile ? (JSON.parse(oktaReturnedAppUserProfile(assignment.profile)) as Record<string, unknown>) : {},
        );
    }
    for (const assignment of resources.filter((r) => r.type === "okta:app/groupAssignment:GroupAssignment").map((r) => r.inputs)) {
        org.assignGroup(liveId(String(assignment.appId)), liveId(String(assignment.groupId)), {
            priority: Number(assignment.priority),
            profile: assignment.profile
                ? (JSON.parse(oktaReturnedAppUserProfile(assignment.profile as string)) as Record<string, unknown>)
                : {},
        });
    }
    for (const memberships of resources.filter((r) => r.type === "okta:index/groupMemberships:GroupMemberships").map((r) => r.inputs)) {
        for (const userId of memberships.users as string[]) {
            org.addMember(liveId(String(memberships.groupId)), liveId(userId));
        }
    }
    seedSignOnPolicy(org, resources, outputs.oktaAppId as string, liveId);
    // Okta runs each group rule: `isMemberOfAnyGroup("<id>")` adds that group's members to the rule's groups.
    for (const rule of resources.filter((r) => r.type === "okta:group/rule:Rule").map((r) => r.inputs)) {
        const source = /isMemberOfAnyGroup\("([^"]+)"\)/.exec(String(rule.expressionValue))![1];
        for (const target of rule.groupAssignments as string[]) {
            for (const userId of org.members.get(liveId(source)) ?? []) {
                org.addMember(liveId(target), userId);
            }
        }
    }
}

/**
 * The sign-on policy as Okta holds it once the provider has made it: each rule as
 * `buildAppSignOnPolicyRule` sends it (okta/terraform-provider-okta v6.12.0,
 * okta/services/idaas/resource_okta_app_signon_policy_rule.go; an ACCESS_POLICY rule, the schema's
 * defaults filled in), and the policy's system "Catch-all Rule", which `catch_all = false` sets to
 * DENY (resource_okta_app_signon_policy.go); assigned to every app whose `authenticationPolicy` names it.
 */
function seedSignOnPolicy(
    org: TestOktaOrg,
    resources: PlanResult["plan"]["stacks"][string]["resources"],
    awsAppId: string,
    liveId: (planId: string) => string,
): void {
    const policy = resources.find((r) => r.type === "okta:index/appSignonPolicy:AppSignonPolicy");
    const rules = resources.filter((r) => r.type === "okta:index/appSignonPolicyRule:AppSignonPolicyRule").map((r) => r.inputs);
    if (!policy || rules.length === 0) {
        return;
    }
    const policyId = String(rules[0].policyId);
    const list = (value: unknown) => (value as string[] | undefined) ?? undefined;
    const apiRules = rules.map(
        (
            inputs: Record<string, unknown> &
                Partial<Record<"status" | "networkConnection" | "access" | "factorMode" | "type" | "reAuthenticationFrequency", string>>,
        ) => ({
            id: mockOktaId("rul", String(inputs.name)),
            name: String(inputs.name),
            priority: Number(inputs.priority),
            status: String(inputs.status ?? "ACTIVE"),
            system: false,
            type: "ACCESS_POLICY",
            conditions: {
                network: {
                    connection: String(inputs.networkConnection ?? "ANYWHERE"),
                    ...(list(inputs.networkIncludes) && { include: list(inputs.networkIncludes) }),
                    ...(list(inputs.networkExcludes) && { exclude: list(inputs.networkExcludes) }),
                },
                ...(list(inputs.groupsIncluded) && { people: { groups: { include: list(inputs.groupsIncluded)!.map(liveId) } } }),
            },
            actions: {
                appSignOn: {
                    access: String(inputs.access ?? "ALLOW"),
                    verificationMethod: {
                        factorMode: String(inputs.factorMode ?? "2FA"),
                        type: String(inputs.type ?? "ASSURANCE"),
                        reauthenticateIn: String(inputs.reAuthenticationFrequency ?? "PT2H"),
                        constraints: ((inputs.constraints as string[] | undefined) ?? []).map((c) => JSON.parse(c) as unknown),
                    },
                },
            },
        }),
    );
    const catchAll = {
        id: mockOktaId("rul", `${policyId}/catch-all`),
        name: "Catch-all Rule",
        priority: 99,
        status: "ACTIVE",
        system: true,
        type: "ACCESS_POLICY",
        conditions: null,
        actions: {
            appSignOn: {
                access: policy.inputs.catchAll === false ? "DENY" : "ALLOW",
                verificationMethod: { factorMode: "2FA", type: "ASSURANCE", reauthenticateIn: "PT2H", constraints: [] },
            },
        },
    };
    const appIds = resources
        .filter((r) => (r.type === "okta:app/saml:Saml" || r.type === "okta:app/oAuth:OAuth") && r.inputs.authenticationPolicy === policyId)
        .map((r) => (r.type === "okta:app/saml:Saml" ? awsAppId : mockOktaId("0oa", String(r.inputs.label))));
    for (const appId of appIds) {
        org.setAccessPolicy(liveId(appId), liveId(policyId), [...apiRules, catchAll]);
    }
}
