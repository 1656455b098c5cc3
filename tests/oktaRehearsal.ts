// A plan's Okta side as a deploy leaves it, in the Okta test org: every Okta resource of the
// identity stack created as the Okta provider creates it (the same ids the mock gave, so the
// plan's references resolve), the users a look-up finds created beforehand, the AWS app's
// metadata the one the plan gave the SAML provider, and each group rule applied as Okta applies
// it (the members of its source group added to its target groups).
import type { IdentityConfig } from "../components/config";
import type { PlanResult } from "../tools/plan/model";
import { secretMarker } from "../tools/mock/outputs";
import { mockApiIntegrationCredentials, mockOktaId, oktaReturnedAppSettings } from "../tools/mock/providers";
import { oktaReturnedAppUserProfile } from "./providerModel";
import type { TestOktaOrg } from "./servers/okta";

/** Okta's provisioning features of an app whose API integration is on (what the mock's look-up returns). */
const integrationFeatures = ["IMPORT_NEW_USERS", "PUSH_NEW_USERS"];

/** Creates the identity stack's Okta resources in `org`. */
export function seedOktaFromPlan(org: TestOktaOrg, { plan, evaluations }: PlanResult): void {
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
            id: outputs.oktaAppId as string,
            name: app.preconfiguredApp,
            label: app.label,
            settings: oktaReturnedAppSettings(sent),
            metadata,
            features: integrationOn && sent.useGroupMapping !== true ? integrationFeatures : [],
        });
    }
    for (const app of inputs("okta:app/oAuth:OAuth")) {
        org.addApp({
            id: mockOktaId("0oa", app.label),
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
            id: mockOktaId("00u", user.login),
            login: user.login,
            firstName: user.firstName,
            lastName: user.lastName,
            email: user.email,
        });
    }
    const known = new Set([...org.users.values()].map((u) => u.login.toLowerCase()));
    for (const login of [...config.users.map((u) => u.login), ...config.groups.flatMap((g) => g.members ?? [])]) {
        if (!known.has(login.toLowerCase())) {
            org.addUser({ id: mockOktaId("00u", login), login });
            known.add(login.toLowerCase());
        }
    }
    for (const group of inputs("okta:group/group:Group")) {
        org.addGroup({ id: mockOktaId("00g", group.name), name: group.name, description: group.description });
    }
    for (const assignment of inputs("okta:app/user:User")) {
        org.assignUser(
            assignment.appId,
            assignment.userId,
            assignment.profile ? (JSON.parse(oktaReturnedAppUserProfile(assignment.profile)) as Record<string, unknown>) : {},
        );
    }
    for (const assignment of resources.filter((r) => r.type === "okta:app/groupAssignment:GroupAssignment").map((r) => r.inputs)) {
        org.assignGroup(String(assignment.appId), String(assignment.groupId), {
            priority: Number(assignment.priority),
            profile: assignment.profile
                ? (JSON.parse(oktaReturnedAppUserProfile(assignment.profile as string)) as Record<string, unknown>)
                : {},
        });
    }
    for (const memberships of resources.filter((r) => r.type === "okta:index/groupMemberships:GroupMemberships").map((r) => r.inputs)) {
        for (const userId of memberships.users as string[]) {
            org.addMember(String(memberships.groupId), userId);
        }
    }
    // Okta runs each group rule: `isMemberOfAnyGroup("<id>")` adds that group's members to the rule's groups.
    for (const rule of resources.filter((r) => r.type === "okta:group/rule:Rule").map((r) => r.inputs)) {
        const source = /isMemberOfAnyGroup\("([^"]+)"\)/.exec(String(rule.expressionValue))![1];
        for (const target of rule.groupAssignments as string[]) {
            for (const userId of org.members.get(source) ?? []) {
                org.addMember(target, userId);
            }
        }
    }
}
