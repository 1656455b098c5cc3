// Okta's side of the live organisation: every app that can sign a SAML assertion AWS would accept —
// every `amazon_aws` app whatever its label, and every app signing with the code's app's key (a
// key-credential clone) — each with its settings and provisioning features, its current IdP
// metadata, its assignments keyed by Okta user id (the login read from the user object, never the
// app username) and by group id, the members of each assigned group, and the app's authentication
// policy and its rules. A check that cannot run is recorded with its reason, never skipped.
// Kept compact (ids, logins and role names), so a large org fits in bounded memory.
import {
    getApp,
    getGroup,
    getSamlMetadata,
    getUser,
    listAppGroups,
    listAppsSigningWith,
    listAppUsers,
    listAppKeys,
    listAwsApps,
    listGroups,
    listGroupUsers,
    listPolicyRules,
    OktaApp,
    OktaAttributeStatement,
    OktaPolicyRule,
    OktaReader,
} from "./okta";
import { captureRole } from "../../components/groupFilter";
import { mapLimited } from "../shared/concurrency";
import { LiveReadError } from "../../components/errors";

/** A direct (USER scope) assignment; people assigned through a group are that group's members. */
interface LiveAppUser {
    /** The Okta user id: who the assignment belongs to (the login is the app's `logins[id]`). */
    id: string;
    /** The app username of the assignment when it is not the user's login: an administrator may set it to anything. */
    userName?: string;
    samlRoles: string[];
}

interface LiveAppGroup {
    id: string;
    name: string;
    /** `OKTA_GROUP`, or `APP_GROUP` for a group imported from a directory (the app filter `okta` ignores it). */
    type: string;
    priority?: number;
    samlRoles: string[];
    /** Members' Okta user ids, by login (the app's `logins`). */
    members: string[];
}

export interface LiveOktaApp {
    id: string;
    /** The integration (`amazon_aws`, …). */
    name: string;
    label: string;
    status: string;
    features: string[];
    /** `settings.app` as Okta returns it. */
    settings: Record<string, unknown>;
    /** The active signing key's id; undefined when the app has none. */
    kid?: string;
    /** The IdP metadata of the app's active signing key. */
    metadata?: string;
    /** The certificates (base64 DER) of every signing key the app has had, current and past; read for the code's app only. */
    keyCertificates?: string[];
    /**
     * The SAML attribute statements the Apps API shows for the app (`settings.signOn.attributeStatements`
     * and, for an OIN app, `configuredAttributeStatements`), by name; undefined when it shows neither.
     */
    attributeStatements?: string[];
    /** The id of the authentication (sign-on) policy the app uses, from `_links.accessPolicy`. */
    accessPolicyId?: string;
    users: LiveAppUser[];
    groups: LiveAppGroup[];
    /**
     * Group mapping: the groups not assigned to the app whose names its live group filter matches
     * (Okta renders a role from each such group of a person the app is assigned to); empty otherwise.
     */
    filteredGroups: LiveAppGroup[];
    /** The login of every person the app names (users and members), from the user objects, by Okta user id. */
    logins: Record<string, string>;
}

/** A check that could not run: what, and why. */
interface Unreadable {
    resource: string;
    reason: string;
}

export interface LiveOkta {
    /** Every app read: every `amazon_aws` app, and every app signing with the code's app's key, by id. */
    apps: LiveOktaApp[];
    /** The app the code manages (by the id in the code's state, else its label when only one app has it). */
    app?: LiveOktaApp;
    /** Why no app is the code's, when labels do not decide it. */
    appUndecided?: string;
    /** Other apps of the code (okta-aws-cli's) that do not exist, by id. */
    missingApps: string[];
    /** The authentication policy each app of the code uses (the AWS app's and the others asked for), by app id. */
    accessPolicies: Map<string, string | undefined>;
    /** The rules of each authentication policy the apps use, in priority order, by policy id. */
    policyRules: Map<string, OktaPolicyRule[]>;
    unreadable: Unreadable[];
}

/** How the code's app is known: its Okta id from the code's state, and its label. */
export interface CodeApp {
    id?: string;
    label: string;
    /** Other apps of the code (okta-aws-cli's) whose authentication policy the audit reads, by id. */
    otherAppIds?: string[];
}

const roles = (profile: { samlRoles?: string[] | null } | undefined) => [...(profile?.samlRoles ?? [])].sort();

/** A setting Okta holds as text; anything else reads as empty. */
const text = (value: unknown) => (typeof value === "string" ? value : "");

/**
 * With group mapping, the account id and role the app's live group filter captures from a group's
 * name; undefined when it does not match, when the app filter `okta` leaves the group out (only
 * groups mastered in Okta: Okta, "Connect Okta to multiple AWS instances using groups"), or when the
 * filter is not one Okta could apply (not a pattern of the two captures).
 */
export function groupMappingCapture(settings: Record<string, unknown>, group: { name: string; type: string }) {
    if (settings.appFilter === "okta" && group.type !== "OKTA_GROUP") {
        return undefined;
    }
    try {
        return captureRole(text(settings.groupFilter), group.name);
    } catch {
        return undefined;
    }
}

/** The policy id at the end of an `_links.accessPolicy` href. */
const policyIdOf = (app: OktaApp) => app._links?.accessPolicy?.href.split("/").filter(Boolean).at(-1);

/** Reads every app that can sign in to AWS, and everything about who it lets in. */
export async function readLiveOkta(reader: OktaReader, code: CodeApp, concurrency = 4): Promise<LiveOkta> {
    const unreadable: Unreadable[] = [];
    const listed = new Map((await listAwsApps(reader)).map((app) => [app.id, app]));
    const labelled = [...listed.values()].filter((app) => app.label === code.label);
    let codeAppId: string | undefined;
    let appUndecided: string | undefined;
    if (code.id !== undefined && listed.has(code.id)) {
        codeAppId = code.id;
    } else if (labelled.length === 1) {
        codeAppId = labelled[0].id;
    } else if (labelled.length > 1) {
        // Labels are not unique in Okta: without the id of the code's state, none is the code's.
        appUndecided = `${labelled.length} amazon_aws apps are labelled "${code.label}" (${labelled.map((a) => a.id).join(", ")}) and none has the id of the code's state${code.id ? ` (${code.id})` : ""}`;
    }

    const apps: LiveOktaApp[] = [];
    const read = async (id: string) => {
        const app = await readApp(reader, await getApp(reader, id), unreadable, concurrency);
        apps.push(app);
        return app;
    };
    const codeApp = codeAppId === undefined ? undefined : await read(codeAppId);
    if (codeApp) {
        // A certificate a provider holds that is none of these is no key of the app's, past or present.
        codeApp.keyCertificates = [
            ...new Set((await listAppKeys(reader, codeApp.id)).flatMap((key) => (key.x5c ?? []).slice(0, 1))),
        ].sort();
    }
    if (codeApp?.kid) {
        // A clone of the code's app's signing key signs what the SAML provider accepts, whatever the app.
        for (const app of await listAppsSigningWith(reader, codeApp.kid)) {
            listed.set(app.id, app);
        }
    }
    for (const id of [...listed.keys()].sort()) {
        if (id !== codeAppId) {
            await read(id);
        }
    }

    await readFilteredGroups(reader, apps, concurrency);

    const policyRules = new Map<string, OktaPolicyRule[]>();
    const accessPolicies = new Map<string, string | undefined>(codeApp ? [[codeApp.id, codeApp.accessPolicyId]] : []);
    const missingApps: string[] = [];
    for (const id of code.otherAppIds ?? []) {
        try {
            accessPolicies.set(id, policyIdOf(await getApp(reader, id)));
        } catch (error) {
            if (!(error instanceof LiveReadError && error.status === 404)) {
                throw error;
            }
            missingApps.push(id);
        }
    }
    const policyIds = new Set([...accessPolicies.values()].filter((id): id is string => id !== undefined));
    for (const id of [...policyIds].sort()) {
        const rules = await listPolicyRules(reader, id);
        policyRules.set(
            id,
            rules.sort((a, b) => (a.priority ?? Infinity) - (b.priority ?? Infinity)),
        );
    }
    return {
        apps: apps.sort((a, b) => a.id.localeCompare(b.id)),
        app: codeApp,
        appUndecided,
        missingApps,
        accessPolicies,
        policyRules,
        unreadable,
    };
}

/** The names of the app's SAML attribute statements, custom and inherited; undefined when the Apps API shows neither list. */
function attributeStatementsOf(app: OktaApp): string[] | undefined {
    const signOn = app.settings?.signOn;
    const lists = [signOn?.attributeStatements, signOn?.configuredAttributeStatements].filter((list): list is OktaAttributeStatement[] =>
        Array.isArray(list),
    );
    return lists.length === 0 ? undefined : [...new Set(lists.flat().map((statement) => String(statement.name)))].sort();
}

/** Group mapping: each app's groups that its group filter matches and that are not assigned to it, with their members. */
async function readFilteredGroups(reader: OktaReader, apps: LiveOktaApp[], concurrency: number): Promise<void> {
    const mapped = apps.filter((app) => app.status === "ACTIVE" && app.settings.useGroupMapping === true);
    if (mapped.length === 0) {
        return;
    }
    const groups = [];
    for await (const group of listGroups(reader)) {
        groups.push(group);
    }
    for (const app of mapped) {
        const assigned = new Set(app.groups.map((g) => g.id));
        const matching = groups.filter(
            (group) => !assigned.has(group.id) && groupMappingCapture(app.settings, { name: group.profile.name, type: group.type }),
        );
        app.filteredGroups = await mapLimited(matching, concurrency, async (group): Promise<LiveAppGroup> => {
            const members: string[] = [];
            for await (const member of listGroupUsers(reader, group.id)) {
                app.logins[member.id] = member.profile.login;
                members.push(member.id);
            }
            return { id: group.id, name: group.profile.name, type: group.type, samlRoles: [], members: members.sort() };
        });
        app.filteredGroups.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    }
}

async function readApp(reader: OktaReader, app: OktaApp, unreadable: Unreadable[], concurrency: number): Promise<LiveOktaApp> {
    const users: LiveAppUser[] = [];
    const logins: Record<string, string> = {};
    for await (const user of listAppUsers(reader, app.id)) {
        if (user.scope === "GROUP") {
            // Assigned through a group: the group's assignment and members say it, once per group.
            continue;
        }
        // The user object says who the assignment belongs to; without it embedded, read it.
        const person = user._embedded?.user ?? (await getUser(reader, user.id));
        logins[user.id] = person.profile.login;
        const userName = user.credentials?.userName;
        users.push({
            id: user.id,
            ...(userName !== undefined && userName.toLowerCase() !== person.profile.login.toLowerCase() && { userName }),
            samlRoles: roles(user.profile),
        });
    }
    const byLogin = (a: string, b: string) => (logins[a] ?? "").localeCompare(logins[b] ?? "") || a.localeCompare(b);
    const assigned = [];
    for await (const group of listAppGroups(reader, app.id)) {
        assigned.push(group);
    }
    const groups = await mapLimited(assigned, concurrency, async (assignment): Promise<LiveAppGroup> => {
        const group = await getGroup(reader, assignment.id);
        const members: string[] = [];
        for await (const member of listGroupUsers(reader, assignment.id)) {
            logins[member.id] = member.profile.login;
            members.push(member.id);
        }
        return {
            id: group.id,
            name: group.profile.name,
            type: group.type,
            priority: assignment.priority,
            samlRoles: roles(assignment.profile),
            members: members.sort(byLogin),
        };
    });
    const kid = app.credentials?.signing?.kid;
    if (!kid && (app.signOnMode ?? "SAML_2_0") === "SAML_2_0") {
        unreadable.push({
            resource: `Okta app "${app.label}" (${app.id})`,
            reason: "the app has no signing key id (credentials.signing.kid): its IdP metadata cannot be read, so which certificate it signs with, and which SAML provider accepts it, is not known",
        });
    }
    return {
        id: app.id,
        name: app.name,
        label: app.label,
        status: app.status,
        features: [...(app.features ?? [])].sort(),
        settings: app.settings?.app ?? {},
        kid,
        metadata: kid ? await getSamlMetadata(reader, app.id, kid) : undefined,
        accessPolicyId: policyIdOf(app),
        attributeStatements: attributeStatementsOf(app),
        users: users.sort((a, b) => byLogin(a.id, b.id)),
        groups: groups.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id)),
        filteredGroups: [],
        logins,
    };
}
