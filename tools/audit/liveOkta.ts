// Okta's side of the live organisation: the AWS app (found by label among the org's `amazon_aws`
// apps), its settings and provisioning features, its current IdP metadata, its users and groups
// with their SAML roles, and the members of each assigned group.
// Kept compact (logins and role names), so a large org fits in bounded memory.
import { getApp, getGroup, getSamlMetadata, listAppGroups, listAppUsers, listAwsApps, listGroupUsers, OktaApp, OktaReader } from "./okta";
import { mapLimited } from "../shared/concurrency";

interface LiveAppUser {
    login: string;
    /** `USER`: assigned directly; `GROUP`: through an assigned group. */
    scope: "USER" | "GROUP";
    samlRoles: string[];
}

interface LiveAppGroup {
    id: string;
    name: string;
    /** `OKTA_GROUP`, or `APP_GROUP` for a group imported from a directory (the app filter `okta` ignores it). */
    type: string;
    priority?: number;
    samlRoles: string[];
    /** Members' logins, sorted. */
    members: string[];
}

export interface LiveOktaApp {
    id: string;
    label: string;
    status: string;
    features: string[];
    /** `settings.app` as Okta returns it. */
    settings: Record<string, unknown>;
    /** The IdP metadata of the app's active signing key. */
    metadata?: string;
    users: LiveAppUser[];
    groups: LiveAppGroup[];
}

export interface LiveOkta {
    /** Every `amazon_aws` app of the org, by id and label. */
    awsApps: { id: string; label: string }[];
    /** The app the code manages (by label), when the org has it. */
    app?: LiveOktaApp;
}

const roles = (profile: { samlRoles?: string[] | null } | undefined) => [...(profile?.samlRoles ?? [])].sort();

/** Reads the AWS app labelled `appLabel` and everything about who it lets in. */
export async function readLiveOkta(reader: OktaReader, appLabel: string, concurrency = 4): Promise<LiveOkta> {
    const apps = await listAwsApps(reader);
    const awsApps = apps.map((app) => ({ id: app.id, label: app.label }));
    const listed = apps.filter((app) => app.label === appLabel);
    if (listed.length === 0) {
        return { awsApps };
    }
    // Labels are not unique in Okta: the code's app is the active one, else the first.
    const chosen = listed.find((app) => app.status === "ACTIVE") ?? listed[0];
    const app: OktaApp = await getApp(reader, chosen.id);

    const users: LiveAppUser[] = [];
    for await (const user of listAppUsers(reader, app.id)) {
        users.push({ login: user.credentials?.userName ?? user.id, scope: user.scope, samlRoles: roles(user.profile) });
    }
    const assigned = [];
    for await (const group of listAppGroups(reader, app.id)) {
        assigned.push(group);
    }
    const groups = await mapLimited(assigned, concurrency, async (assignment): Promise<LiveAppGroup> => {
        const group = await getGroup(reader, assignment.id);
        const members: string[] = [];
        for await (const member of listGroupUsers(reader, assignment.id)) {
            members.push(member.profile.login);
        }
        return {
            id: group.id,
            name: group.profile.name,
            type: group.type,
            priority: assignment.priority,
            samlRoles: roles(assignment.profile),
            members: members.sort(),
        };
    });
    const kid = app.credentials?.signing?.kid;
    return {
        awsApps,
        app: {
            id: app.id,
            label: app.label,
            status: app.status,
            features: [...(app.features ?? [])].sort(),
            settings: app.settings?.app ?? {},
            metadata: kid ? await getSamlMetadata(reader, app.id, kid) : undefined,
            users: users.sort((a, b) => a.login.localeCompare(b.login)),
            groups: groups.sort((a, b) => a.name.localeCompare(b.name)),
        },
    };
}
