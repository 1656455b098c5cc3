// The live organisation against the code, as rows a reviewer acts on: each names its kind, the
// account or Okta object, and what differs — for documents, whether the grants widened or narrowed
// (tools/report/grants.ts, as the access diff judges them) and every changed path. Then the live
// access matrix against the code's: access gained outside the code, and access lost.
import { provisioningFeatures } from "../../components/oktaAwsApp";
import type { AccessRow } from "../plan/model";
import { valueChanges } from "../plan/valueChanges";
import { GrantChange, grantChange, grantsOf } from "../plan/grants";
import type { LiveAccount, LiveRole, LiveUser } from "./aws";
import { LiveAccess, oktaRoleValues } from "./liveAccess";
import { DriftKind, driftKinds } from "./driftKinds";
import { groupMappingCapture, LiveOktaApp } from "./liveOkta";
import { plural } from "../shared/numbers";
import type { LiveOrganisation } from "./liveOrganisation";
import { certificatesOf, listCertificates } from "./metadata";
import { sameAccessKey, PlannedAccount, PlannedOrganisation, PlannedIamRole } from "./planned";
import { ruleDifferences } from "./signOn";
import { principalsAdmitting, samlProvidersTrusted, waysIn } from "./trustPaths";

export interface DriftRow {
    kind: DriftKind;
    /** The AWS account, for AWS objects. */
    account?: string;
    /** The person or group, for Okta assignments and memberships (and the IAM user of a key). */
    principal?: string;
    /** The object: a role, policy or provider ARN, an Okta app, group or role. */
    resource?: string;
    detail: string;
    /** For drift that widens access: the people it reaches, by Okta login (none known: an empty list). */
    people?: string[];
}

/** Who reaches what in the live organisation, by login: the holders of each role (federated or member) and of each app. */
interface Reach {
    ofRole(roleArn: string): string[];
}

function reachOf(access: LiveAccess): Reach {
    // A federated role reaches whoever can sign in to it; a member role whoever switches into it.
    const holders = new Map<string, Set<string>>([...access.signIns].map(([arn, logins]) => [arn, new Set(logins)]));
    for (const row of access.rows) {
        for (const arn of [row.samlRoleArn, row.targetRoleArn]) {
            holders.set(arn, (holders.get(arn) ?? new Set()).add(row.principal));
        }
    }
    return { ofRole: (roleArn) => [...(holders.get(roleArn) ?? [])].sort() };
}

/** The logins of people an app names, by their Okta user ids, sorted. */
const loginsOf = (app: LiveOktaApp, ids: string[]) => [...new Set(ids.map((id) => app.logins[id] ?? id))].sort();

/** A membership of a role group made outside the code, reported but not judged (groupMapping, roleGroupMembers not managed). */
export interface UnjudgedMembership {
    principal: string;
    resource: string;
    detail: string;
}

const shown = (value: unknown) => (value === undefined ? "(none)" : JSON.stringify(value));

/** `widened` / `narrowed` / `changed`, and every path that differs: `Statement[0].Action: "a" → "b"`. */
function documentDifference(change: Exclude<GrantChange, undefined>, before: object, after: object): string {
    const paths = valueChanges("", before, after).map((c) => `${c.path || "(document)"}: ${shown(c.before)} → ${shown(c.after)}`);
    return `${change}: ${paths.join("; ")}`;
}

const grants = (document: object | undefined) => grantsOf(document) ?? [];

/** The rows of one account's roles, policies and (identity) provider and key. */
function accountDrift(
    planned: PlannedOrganisation,
    account: PlannedAccount,
    live: LiveAccount,
    okta: LiveOrganisation["okta"],
    reach: Reach,
    now: Date,
): DriftRow[] {
    const rows: DriftRow[] = [];
    const at = (row: Omit<DriftRow, "account">) => rows.push({ ...row, account: account.accountId });
    for (const reason of live.unreadable) {
        at({ kind: "unverified", resource: `account ${account.accountId}`, detail: reason });
    }
    for (const role of account.roles.values()) {
        const liveRole = live.roles.get(role.arn);
        if (!liveRole) {
            at({ kind: "missing", resource: role.arn, detail: `role ${role.name} of stack ${account.stack} does not exist` });
            continue;
        }
        rows.push(...roleDrift(account, role, liveRole, reach.ofRole(role.arn)));
    }
    for (const [arn, document] of account.policies) {
        const livePolicy = live.policies.get(arn);
        if (!livePolicy) {
            at({ kind: "missing", resource: arn, detail: `policy of stack ${account.stack} does not exist` });
            continue;
        }
        const change = grantChange(grants(document), grants(livePolicy.document));
        if (change) {
            // A policy reaches whoever holds a role it is attached to or bounds.
            const roles = [...live.roles.values()].filter(
                (role) => role.attachedPolicyArns.includes(arn) || role.permissionsBoundaryArn === arn,
            );
            at({
                kind: "policy-changed",
                resource: arn,
                detail: `default version ${livePolicy.defaultVersionId} ${documentDifference(change, document, livePolicy.document)}`,
                ...(change !== "narrowed" && { people: [...new Set(roles.flatMap((role) => reach.ofRole(role.arn)))].sort() }),
            });
        }
    }
    for (const role of live.roles.values()) {
        if (!account.roles.has(role.arn)) {
            at({ kind: "shadow-role", resource: role.arn, detail: shadowPath(planned, account, role), people: reach.ofRole(role.arn) });
        }
    }
    rows.push(...providerDrift(account, live, okta, reach));
    rows.push(...userDrift(account, live));
    if (account.kind === "identity") {
        const user = planned.roleListingUser;
        if (user && live.accessKeys === undefined) {
            at({ kind: "missing", principal: user.name, detail: `IAM user ${user.name} (Okta's role listing) does not exist` });
        }
        for (const key of live.accessKeys ?? []) {
            const days = Math.floor((now.getTime() - Date.parse(key.created)) / 86_400_000);
            if (user && key.status === "Active" && days > user.maxKeyAgeDays) {
                at({
                    kind: "key-age",
                    principal: user.name,
                    resource: key.accessKeyId,
                    detail: `created ${key.created.slice(0, 10)}, ${days} days old, more than ${user.maxKeyAgeDays} (okta-aws:oktaSsoUser.maxKeyAgeDays): rotate it with okta-aws:oktaSsoUser.keyRotation`,
                });
            }
        }
    }
    return rows;
}

/** How a role of the code differs from its live self: trust, attachments, inline policies, boundary, session length. */
function roleDrift(account: PlannedAccount, role: PlannedIamRole, live: LiveRole, holders: string[]): DriftRow[] {
    const rows: DriftRow[] = [];
    const at = (row: Omit<DriftRow, "account" | "resource">, widens: boolean) =>
        rows.push({ ...row, account: account.accountId, resource: role.arn, ...(widens && { people: holders }) });
    const trust = grantChange(grants(role.trust), grants(live.trust));
    if (trust) {
        at({ kind: "trust-changed", detail: documentDifference(trust, role.trust, live.trust) }, trust !== "narrowed");
    }
    for (const arn of live.attachedPolicyArns.filter((arn) => !role.attachedPolicyArns.includes(arn))) {
        at({ kind: "attachment-added", detail: `${arn} is attached, not by the code` }, true);
    }
    for (const arn of role.attachedPolicyArns.filter((arn) => !live.attachedPolicyArns.includes(arn))) {
        at({ kind: "attachment-removed", detail: `${arn} is no longer attached` }, false);
    }
    for (const name of [...new Set([...Object.keys(role.inlinePolicies), ...Object.keys(live.inlinePolicies)])].sort()) {
        const [before, after] = [role.inlinePolicies[name], live.inlinePolicies[name]];
        const change = grantChange(grants(before), grants(after));
        if (change) {
            at(
                {
                    kind: "policy-changed",
                    detail: `inline policy ${name} ${before && after ? documentDifference(change, before, after) : before ? "removed" : "added, not by the code"}`,
                },
                change !== "narrowed",
            );
        }
    }
    if (role.permissionsBoundaryArn !== live.permissionsBoundaryArn) {
        const change = !live.permissionsBoundaryArn ? "widened" : !role.permissionsBoundaryArn ? "narrowed" : "changed";
        at(
            {
                kind: "policy-changed",
                detail: `permission boundary ${change}: ${shown(role.permissionsBoundaryArn)} → ${shown(live.permissionsBoundaryArn)}`,
            },
            change !== "narrowed",
        );
    }
    const liveSession = live.maxSessionDuration ?? 3600;
    if (liveSession !== role.maxSessionDuration) {
        at(
            {
                kind: "session-length-changed",
                detail: `MaxSessionDuration ${liveSession > role.maxSessionDuration ? "lengthened" : "shortened"}: ${role.maxSessionDuration} s → ${liveSession} s`,
            },
            liveSession > role.maxSessionDuration,
        );
    }
    return rows;
}

/**
 * The account's IAM users: each one the code did not make is a way in that bypasses Okta (a
 * password or access keys), whatever it may do now; each of the code's may do only what the code
 * grants it, through its own policies and its groups'.
 */
type LiveUserPolicies = NonNullable<LiveUser["policies"]>;

function userDrift(account: PlannedAccount, live: LiveAccount): DriftRow[] {
    const rows: DriftRow[] = [];
    for (const user of live.users ?? []) {
        const planned = account.users.get(user.name);
        if (!planned) {
            const keys = user.accessKeys.filter((key) => key.status === "Active").map((key) => key.accessKeyId);
            rows.push({
                kind: "shadow-user",
                account: account.accountId,
                resource: user.arn,
                detail: `IAM user not in the code (active access keys: ${keys.join(", ") || "none"}): long-lived credentials into account ${account.accountId} that bypass Okta`,
            });
            continue;
        }
        const livePolicies = user.policies;
        if (!livePolicies) {
            continue;
        }
        const at = (detail: string, change: string) =>
            change !== "narrowed" && rows.push({ kind: "policy-changed", account: account.accountId, resource: user.arn, detail });
        const compareGrants = (
            where: string,
            code: { attachedPolicyArns: string[]; inlinePolicies: Record<string, object> },
            now: LiveUserPolicies["groups"][string],
        ) => {
            for (const arn of now.attachedPolicyArns.filter((a) => !code.attachedPolicyArns.includes(a))) {
                at(`${where}: ${arn} is attached, not by the code`, "widened");
            }
            for (const arn of code.attachedPolicyArns.filter((a) => !now.attachedPolicyArns.includes(a))) {
                at(`${where}: ${arn} is no longer attached`, "narrowed");
            }
            for (const name of [...new Set([...Object.keys(code.inlinePolicies), ...Object.keys(now.inlinePolicies)])].sort()) {
                const [before, after] = [code.inlinePolicies[name], now.inlinePolicies[name]];
                const change = grantChange(grants(before), grants(after));
                if (change) {
                    at(
                        `${where}: inline policy ${name} ${before && after ? documentDifference(change, before, after) : before ? "removed" : "added, not by the code"}`,
                        change,
                    );
                }
            }
        };
        compareGrants("the user's own policies", planned, livePolicies);
        for (const [group, policies] of Object.entries(livePolicies.groups)) {
            const code = planned.groups[group];
            compareGrants(
                code ? `group ${group}` : `group ${group}, which the code does not put it in`,
                code ?? { attachedPolicyArns: [], inlinePolicies: {} },
                policies,
            );
            if (!code && Object.keys(policies.inlinePolicies).length + policies.attachedPolicyArns.length === 0) {
                at(`group ${group}, which the code does not put it in (no policies yet)`, "widened");
            }
        }
    }
    return rows;
}

/** What makes a role outside the code a way in: the principals of its trust that let someone in from outside its account. */
function shadowPath(planned: PlannedOrganisation, account: PlannedAccount, role: LiveRole): string {
    const saml = samlProvidersTrusted(role.trust, planned.identityAccountId);
    const identity = principalsAdmitting(role.trust, planned.identityAccountId);
    if (account.kind === "identity" && saml.length > 0 && waysIn(role.trust, account.accountId).every((p) => saml.includes(p))) {
        return `not in the code, and its trust lets in a SAML provider: ${saml.join(", ")}`;
    }
    if (account.kind === "member" && identity.length > 0 && waysIn(role.trust, account.accountId).every((p) => identity.includes(p))) {
        return `not in the code, and its trust lets in the identity account ${planned.identityAccountId}: ${identity.join(", ")}`;
    }
    const outside = waysIn(role.trust, account.accountId);
    if (account.kind === "identity" && outside.length === 0) {
        return `not in the code, and its trust lets in principals of the identity account, where the federated roles are: ${principalsAdmitting(role.trust, account.accountId).join(", ")}`;
    }
    return `not in the code, and its trust lets in from outside account ${account.accountId}: ${outside.join(", ")}`;
}

/**
 * The identity providers of one account: each SAML provider the code did not make, and every OIDC
 * provider (the code makes none), is a shadow provider; in each of the code's, every certificate
 * the code's app does not sign with now is a shadow certificate, and a provider that holds none of
 * the app's is a metadata mismatch.
 */
function providerDrift(account: PlannedAccount, live: LiveAccount, okta: LiveOrganisation["okta"], reach: Reach): DriftRow[] {
    const rows: DriftRow[] = [];
    const at = (row: Omit<DriftRow, "account">) => rows.push({ ...row, account: account.accountId });
    const trustedBy = (providerArn: string) =>
        [...live.roles.values()]
            .filter((role) => waysIn(role.trust, account.accountId).includes(`Federated:${providerArn}`))
            .map((role) => role.arn)
            .sort();
    const rolesLine = (roles: string[]) => (roles.length ? `roles trusting it: ${roles.join(", ")}` : "no role trusts it yet");
    const peopleOf = (roles: string[]) => [...new Set(roles.flatMap((arn) => reach.ofRole(arn)))].sort();
    for (const arn of account.samlProviders.filter((arn) => !live.samlProviders.some((p) => p.arn === arn))) {
        at({ kind: "missing", resource: arn, detail: `SAML provider of stack ${account.stack} does not exist` });
    }
    for (const provider of live.samlProviders) {
        const held = certificatesOf(provider.metadata);
        const roles = trustedBy(provider.arn);
        if (held === undefined) {
            at({
                kind: "unverified",
                resource: provider.arn,
                detail: "the provider's metadata is not well-formed XML: which certificates it trusts is not known",
            });
        }
        if (!account.samlProviders.includes(provider.arn)) {
            at({
                kind: "shadow-provider",
                resource: provider.arn,
                detail: `SAML provider not in the code, trusting ${listCertificates(held ?? [])}; ${rolesLine(roles)}`,
                people: peopleOf(roles),
            });
            continue;
        }
        const signing = okta.app?.metadata === undefined ? undefined : certificatesOf(okta.app.metadata);
        if (held === undefined || signing === undefined || !okta.app) {
            continue;
        }
        if (!signing.some((certificate) => held.includes(certificate))) {
            at({
                kind: "metadata-mismatch",
                resource: provider.arn,
                detail: `the provider holds ${listCertificates(held)}; the Okta app "${okta.app.label}" signs with ${listCertificates(signing)}: sign-in fails until the provider takes the app's current metadata (pulumi up of the identity stack)`,
            });
            // An old key of the app's is a rotation not yet deployed; a certificate that was never
            // the app's is someone else's key, whoever holds it signs in to every role trusting the provider.
            for (const certificate of held.filter(
                (c) => okta.app!.keyCertificates !== undefined && !okta.app!.keyCertificates.includes(c),
            )) {
                at({
                    kind: "shadow-certificate",
                    resource: provider.arn,
                    detail: `the provider trusts ${listCertificates([certificate])}, which is no signing key the Okta app "${okta.app.label}" has ever had: whoever holds its key signs in as anyone to every role trusting the provider (${rolesLine(roles)})`,
                    people: peopleOf(roles),
                });
            }
        } else {
            for (const certificate of held.filter((c) => !signing.includes(c))) {
                at({
                    kind: "shadow-certificate",
                    resource: provider.arn,
                    detail: `the provider also trusts ${listCertificates([certificate])}, which the Okta app "${okta.app.label}" does not sign with: whoever holds its key signs in as anyone to every role trusting the provider (${rolesLine(roles)})`,
                    people: peopleOf(roles),
                });
            }
        }
    }
    for (const provider of live.oidcProviders) {
        const roles = trustedBy(provider.arn);
        at({
            kind: "shadow-provider",
            resource: provider.arn,
            detail: `OpenID Connect provider not in the code (${provider.url ?? "no URL"}, clients ${provider.clientIds.join(", ") || "none"}); ${rolesLine(roles)}`,
            people: peopleOf(roles),
        });
    }
    return rows;
}

/** How a person or group appears in a row: the login or group name, and the Okta id when it says more. */
const appLabel = (app: LiveOktaApp) => `Okta app "${app.label}" (${app.id})`;
const rolesText = (roles: string[]) => (roles.length ? roles.join(", ") : "none");

/** Every person an app lets in: its direct users and the members of its groups, by login. */
function peopleOfApp(app: LiveOktaApp): string[] {
    return loginsOf(app, [...app.users.map((u) => u.id), ...app.groups.flatMap((g) => g.members)]);
}

/** The rows of Okta's side: the apps that can sign in, the code's app's settings, integration, assignments and memberships. */
function oktaDrift(planned: PlannedOrganisation, live: LiveOrganisation, unjudged: UnjudgedMembership[]): DriftRow[] {
    const rows: DriftRow[] = [];
    const code = planned.okta;
    const app = live.okta.app;
    const appName = `Okta app "${code.appLabel}"`;
    for (const { resource, reason } of live.okta.unreadable) {
        rows.push({ kind: "unverified", resource, detail: reason });
    }
    for (const other of live.okta.apps.filter((a) => a.id !== app?.id)) {
        const sharesKey = app?.kid !== undefined && other.kid === app.kid;
        rows.push({
            kind: "shadow-app",
            resource: appLabel(other),
            detail: `${other.name} app (${other.status}) not in the code${sharesKey ? ", signing with the code's app's key (a key clone): the SAML provider accepts its assertions" : ""}; assigned: ${
                [
                    ...other.users.map((u) => `${other.logins[u.id] ?? u.id} (${rolesText(u.samlRoles)})`),
                    ...other.groups.map((g) => `group "${g.name}" (${rolesText(g.samlRoles)})`),
                ].join(", ") || "nobody"
            }`,
            people: peopleOfApp(other),
        });
    }
    if (!app) {
        const others = live.okta.apps.map((a) => JSON.stringify(a.label)).join(", ");
        return [
            ...rows,
            {
                kind: "missing",
                resource: appName,
                detail: live.okta.appUndecided ?? `no amazon_aws app of the org has this label${others ? ` (it has ${others})` : ""}`,
            },
        ];
    }
    if (app.status !== "ACTIVE") {
        rows.push({ kind: "app-settings-changed", resource: appName, detail: `status: "ACTIVE" → ${JSON.stringify(app.status)}` });
    }
    for (const [key, value] of Object.entries(code.settings)) {
        if (JSON.stringify(app.settings[key]) !== JSON.stringify(value)) {
            rows.push({
                kind: "app-settings-changed",
                resource: appName,
                detail: `${key}: ${shown(value)} → ${shown(app.settings[key])}`,
                people: peopleOfApp(app),
            });
        }
    }
    const groupMapping = code.mode === "groupMapping";
    if (!groupMapping && code.rolesImported && !app.features.some((feature) => provisioningFeatures.includes(feature))) {
        rows.push({
            kind: "api-integration-off",
            resource: appName,
            detail: `Okta shows no provisioning feature (features ${JSON.stringify(app.features)}): the API integration is off, so Okta no longer imports the roles; enable it again with the checklist of pulumi stack output provisioning`,
        });
    }

    rows.push(...signOnDrift(planned, live, appName, peopleOfApp(app)));
    rows.push(...declaredAttributeDrift(code.declaredAttributes, app, appName));

    // What Okta sends each person, by lower-case login: the same model as the live access matrix.
    const sentVia = new Map([...oktaRoleValues(app, planned.identityAccountId)].map(([login, values]) => [login.toLowerCase(), values]));

    // Direct assignments by Okta user id: the app username is typed freely and says nothing of who holds the assignment.
    const liveUsers = new Map(app.users.map((u) => [u.id, u]));
    const plannedUsers = new Map(code.assignedUsers.map((u) => [u.id, u]));
    for (const user of code.assignedUsers.filter((u) => !liveUsers.has(u.id))) {
        rows.push({
            kind: "missing",
            principal: user.login,
            resource: appName,
            detail: `not assigned to the app (the code assigns ${user.samlRoles.join(", ")})`,
        });
    }
    for (const live of liveUsers.values()) {
        const user = { ...live, login: app.logins[live.id] ?? live.id };
        const planned = plannedUsers.get(user.id);
        const userName = user.userName !== undefined ? ` under the app username "${user.userName}"` : "";
        if (!planned) {
            rows.push({
                kind: "assignment-outside-code",
                principal: user.login,
                resource: appName,
                detail: `assigned to the app directly${user.samlRoles.length ? ` with SAML roles ${user.samlRoles.join(", ")}` : ""}${userName}, not by the code`,
                people: [user.login],
            });
        } else if (
            JSON.stringify(planned.samlRoles) !== JSON.stringify(user.samlRoles) &&
            !(code.rolesImported && user.samlRoles.length === 0)
        ) {
            rows.push(rolesChanged(user.login, appName, planned.samlRoles, user.samlRoles, [user.login], userName));
        }
    }

    // Group assignments by Okta group id (the code's state's): a group named like the code's is another group.
    const assignedGroups = code.groups.filter((g) => g.priority !== undefined);
    const liveGroups = new Map(app.groups.map((g) => [g.id, g]));
    for (const group of assignedGroups) {
        const liveGroup = group.id === undefined ? undefined : liveGroups.get(group.id);
        if (!liveGroup) {
            rows.push({
                kind: "missing",
                principal: group.name,
                resource: appName,
                detail: `${{ team: "group", role: "role group", emergency: "emergency group" }[group.kind]} not assigned to the app`,
            });
            continue;
        }
        const withProfiles = !groupMapping && code.rolesImported;
        if (withProfiles && JSON.stringify(group.samlRoles) !== JSON.stringify(liveGroup.samlRoles) && liveGroup.samlRoles.length > 0) {
            rows.push(rolesChanged(group.name, appName, group.samlRoles, liveGroup.samlRoles, loginsOf(app, liveGroup.members), ""));
        }
        if (group.kind === "emergency") {
            // Members are made in Okta at the moment of need, never by the code: each is access
            // held now, which a reviewer confirms is an incident's and ends when it does — if Okta
            // sends them the role. With the live app's joinAllRoles off Okta sends a person with an
            // assignment of their own only that assignment's roles (liveAccess.ts `oktaRoleValues`),
            // and the audit says so rather than claim access Okta withholds.
            const role = group.samlRoles[0];
            for (const login of loginsOf(app, liveGroup.members)) {
                const sent = (sentVia.get(login.toLowerCase()) ?? []).some((value) => value.via.includes(liveGroup.id));
                rows.push(
                    sent
                        ? {
                              kind: "emergency-access-held",
                              principal: login,
                              resource: `Okta group "${group.name}"`,
                              detail: `holds emergency role ${role}, reaching ${code.emergencyRoles[role].targetRoleArn}: the glass is broken; remove them from the group once the need has passed`,
                              people: [login],
                          }
                        : {
                              kind: "emergency-role-not-sent",
                              principal: login,
                              resource: `Okta group "${group.name}"`,
                              detail: `is in the group of emergency role ${role}, but Okta does not send them the role${
                                  app.settings.joinAllRoles === false
                                      ? ": the app's joinAllRoles is off, so Okta sends only their own assignment's roles (or one group's, by priority); breaking the glass gave them nothing until joinAllRoles is on, as the code sets it"
                                      : " (the app's other rows say why): breaking the glass gave them nothing"
                              }`,
                          },
                );
            }
            continue;
        }
        if (group.existing) {
            // Its members are Okta's (the directory's): their access is listed apart, by login (liveAccess.ts).
            continue;
        }
        const liveMembers = new Set(loginsOf(app, liveGroup.members).map((m) => m.toLowerCase()));
        const plannedMembers = new Set(group.members.map((m) => m.toLowerCase()));
        for (const login of group.members.filter((m) => !liveMembers.has(m.toLowerCase()))) {
            rows.push({
                kind: "missing",
                principal: login,
                resource: `Okta group "${group.name}"`,
                detail: "not a member, as the code makes them",
            });
        }
        for (const login of loginsOf(app, liveGroup.members).filter((m) => !plannedMembers.has(m.toLowerCase()))) {
            const detail = `member of ${group.kind === "role" ? `role group "${group.name}" (${group.samlRoles[0]})` : `group "${group.name}"`}, not by the code`;
            if (group.kind === "role" && !code.roleGroupMembersManaged) {
                unjudged.push({ principal: login, resource: `Okta group "${group.name}"`, detail });
            } else {
                rows.push({
                    kind: "assignment-outside-code",
                    principal: login,
                    resource: `Okta group "${group.name}"`,
                    detail,
                    people: [login],
                });
            }
        }
    }
    const plannedIds = new Set(assignedGroups.map((g) => g.id));
    for (const group of app.groups.filter((g) => !plannedIds.has(g.id))) {
        rows.push({
            kind: "assignment-outside-code",
            principal: group.name,
            resource: appName,
            detail: `group ${group.id} (${group.type}) assigned to the app${group.samlRoles.length ? ` with SAML roles ${group.samlRoles.join(", ")}` : ""} (${group.members.length} member${group.members.length === 1 ? "" : "s"}), not by the code`,
            people: loginsOf(app, group.members),
        });
    }

    // A group keeps its id when renamed in Okta: under group mapping its new name may be read as a
    // role by the app's filter, and a directory group (existing) shows the code's name everywhere
    // else in the report. The code's name is the one reviewed. Read: the groups assigned to the app
    // and those the filter matches (a group neither holds no role by its name).
    const liveById = new Map([...app.groups, ...app.filteredGroups].map((g) => [g.id, g]));
    for (const group of code.groups) {
        const liveGroup = group.id === undefined ? undefined : liveById.get(group.id);
        if (liveGroup && liveGroup.name !== group.name) {
            const captured = groupMapping ? groupMappingCapture(app.settings, liveGroup) : undefined;
            rows.push({
                kind: "group-renamed",
                principal: group.name,
                resource: appName,
                detail: `group ${liveGroup.id} is named "${liveGroup.name}" in Okta, not "${group.name}" as the code names it${
                    captured
                        ? `: the app's group filter reads the new name as account ${captured.accountid}, role ${captured.role}, and Okta sends that role to its members`
                        : ""
                }`,
                people: loginsOf(app, liveGroup.members),
            });
        }
    }

    // Group mapping renders a role from every group of an assigned person whose name the filter
    // matches, assigned to the app or not: such a group the code did not make is a way in.
    const codeGroupIds = new Set(code.groups.map((g) => g.id).filter((id) => id !== undefined));
    for (const group of app.filteredGroups.filter((g) => !codeGroupIds.has(g.id))) {
        const captured = groupMappingCapture(app.settings, group)!;
        rows.push({
            kind: "shadow-group",
            principal: group.name,
            resource: appName,
            detail: `group ${group.id} (${group.type}) not in the code and not assigned to the app, but the app's group filter matches its name (account ${captured.accountid}, role ${captured.role}): Okta sends that role to every member the app is assigned to (${plural(group.members.length, "member")})`,
            people: loginsOf(app, group.members),
        });
    }

    if (!groupMapping && code.rolesImported) {
        // Okta accepts only role values its API integration imported: a role the code assigns that
        // no assignment holds, while the assignments that should hold it exist, was not imported.
        const held = new Set([...app.users.flatMap((u) => u.samlRoles), ...app.groups.flatMap((g) => g.samlRoles)]);
        const holders = new Map<string, string[]>();
        for (const user of code.assignedUsers.filter((u) => liveUsers.has(u.id))) {
            user.samlRoles.forEach((role) => holders.set(role, [...(holders.get(role) ?? []), user.login]));
        }
        for (const group of assignedGroups.filter((g) => g.id !== undefined && liveGroups.has(g.id))) {
            group.samlRoles.forEach((role) => holders.set(role, [...(holders.get(role) ?? []), group.name]));
        }
        for (const [role, principals] of [...holders].sort(([a], [b]) => a.localeCompare(b))) {
            if (!held.has(role)) {
                rows.push({
                    kind: "roles-not-imported",
                    resource: role,
                    detail: `no assignment of the app holds it, though the code assigns it to ${principals.join(", ")}: Okta offers only the roles its API integration imported; run Refresh Application Data (or Test API Credentials), then pulumi up`,
                });
            }
        }
    }
    return rows;
}

/** The code's sign-on policy against the live one: which policy each of the code's apps uses, and every rule that differs. */
function signOnDrift(planned: PlannedOrganisation, live: LiveOrganisation, appName: string, people: string[]): DriftRow[] {
    const signOn = planned.okta.signOn;
    if (!signOn) {
        return [];
    }
    const rows: DriftRow[] = [];
    const nameOf = (appId: string) => (appId === live.okta.app?.id ? appName : `Okta app ${appId} (okta-aws-cli)`);
    for (const appId of signOn.appIds) {
        if (live.okta.missingApps.includes(appId)) {
            rows.push({ kind: "missing", resource: nameOf(appId), detail: "the app does not exist" });
            continue;
        }
        const used = live.okta.accessPolicies.get(appId);
        if (live.okta.accessPolicies.has(appId) && used !== signOn.policyId) {
            const differences = used === undefined ? [] : ruleDifferences(signOn, live.okta.policyRules.get(used) ?? []);
            rows.push({
                kind: "sign-on-weakened",
                resource: nameOf(appId),
                detail: `uses authentication policy ${used ?? "(none)"}, not the code's ${signOn.policyId}${differences.length ? `; against the code's rules: ${differences.join("; ")}` : ""}`,
                people,
            });
        }
    }
    const rules = live.okta.policyRules.get(signOn.policyId);
    for (const line of rules ? ruleDifferences(signOn, rules) : []) {
        rows.push({ kind: "sign-on-weakened", resource: `authentication policy ${signOn.policyId}`, detail: line, people });
    }
    return rows;
}

/**
 * The attribute statements `okta-aws:oktaApp` says an administrator added by hand (the program
 * cannot: terraform-provider-okta #1635, attribute statements of preconfigured apps): AWS reads
 * SourceIdentity from `https://aws.amazon.com/SAML/Attributes/SourceIdentity`
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_saml_assertions.html)
 * and session tags from `…/PrincipalTag:<key>`
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html#id_session-tags_adding-assume-role-saml).
 * Okta's Apps API shows a SAML app's statements as `settings.signOn.attributeStatements` and, for an
 * OIN app, `configuredAttributeStatements` (https://developer.okta.com/docs/api/openapi/okta-management/management/tag/Application/,
 * SamlApplicationSettingsSignOn). Where it shows neither, the check cannot run: `unverified`.
 */
function declaredAttributeDrift(
    declared: { sourceIdentity: boolean; sessionTags: boolean },
    app: LiveOktaApp,
    appName: string,
): DriftRow[] {
    const expected = [
        ...(declared.sourceIdentity
            ? [{ key: "sourceIdentity", attribute: "https://aws.amazon.com/SAML/Attributes/SourceIdentity", exact: true }]
            : []),
        ...(declared.sessionTags
            ? [{ key: "sessionTags", attribute: "https://aws.amazon.com/SAML/Attributes/PrincipalTag:", exact: false }]
            : []),
    ];
    return expected.flatMap(({ key, attribute, exact }): DriftRow[] => {
        const statements = app.attributeStatements;
        const named = exact ? attribute : `${attribute}<key>`;
        if (statements === undefined) {
            return [
                {
                    kind: "unverified",
                    resource: appName,
                    detail: `okta-aws:oktaApp.${key} says an administrator added the attribute statement ${named}, but Okta's Apps API shows this app no attribute statements (settings.signOn.attributeStatements, configuredAttributeStatements): whether Okta sends it is not known`,
                },
            ];
        }
        const found = statements.some((name) => (exact ? name === attribute : name.startsWith(attribute)));
        return found
            ? []
            : [
                  {
                      kind: "app-settings-changed",
                      resource: appName,
                      detail: `okta-aws:oktaApp.${key} says an administrator added the attribute statement ${named}; the app has none (its attribute statements: ${statements.join(", ") || "none"}): Okta does not send it, so AWS gets no ${exact ? "SourceIdentity" : "session tags"}`,
                  },
              ];
    });
}

/** An assignment of the code whose SAML roles differ: roles added widen it (and name who it reaches), roles removed narrow it. */
function rolesChanged(principal: string, appName: string, planned: string[], live: string[], people: string[], note: string): DriftRow {
    const added = live.filter((r) => !planned.includes(r));
    const removed = planned.filter((r) => !live.includes(r));
    return {
        kind: "assignment-roles-changed",
        principal,
        resource: appName,
        detail: `SAML roles ${rolesText(planned)} → ${rolesText(live)}${added.length ? `: added ${added.join(", ")}` : ""}${removed.length ? `${added.length ? "," : ":"} removed ${removed.join(", ")}` : ""}${note}`,
        ...(added.length > 0 && { people }),
    };
}

export interface Comparison {
    drift: DriftRow[];
    accessGained: AccessRow[];
    accessLost: AccessRow[];
    /** Access through the code's existing Okta groups, by login: the code's, its people Okta's. */
    membersInOkta: AccessRow[];
    unjudged: UnjudgedMembership[];
}

const rowOrder = (a: DriftRow, b: DriftRow) =>
    driftKinds.indexOf(a.kind) - driftKinds.indexOf(b.kind) ||
    (a.account ?? "").localeCompare(b.account ?? "") ||
    (a.resource ?? "").localeCompare(b.resource ?? "") ||
    (a.principal ?? "").localeCompare(b.principal ?? "") ||
    a.detail.localeCompare(b.detail);

/**
 * The live organisation against the code and the live access matrix: access the code does not give
 * is gained outside it, unless only memberships reported apart (made elsewhere, or emergency) give it.
 */
export function compare(planned: PlannedOrganisation, live: LiveOrganisation, liveAccess: LiveAccess, now: Date): Comparison {
    const unjudged: UnjudgedMembership[] = [];
    const reach = reachOf(liveAccess);
    const drift = [
        ...planned.accounts.flatMap((account) => {
            const liveAccount = live.accounts.get(account.accountId);
            return liveAccount ? accountDrift(planned, account, liveAccount, live.okta, reach, now) : [];
        }),
        ...oktaDrift(planned, live, unjudged),
    ].sort(rowOrder);
    const plannedKeys = new Set(planned.access.map(sameAccessKey));
    const liveKeys = new Set(liveAccess.rows.map(sameAccessKey));
    const reportedApart = (key: string) =>
        liveAccess.unjudged.has(key) || liveAccess.emergency.has(key) || liveAccess.membersInOkta.has(key);
    return {
        drift,
        accessGained: liveAccess.rows.filter((row) => !plannedKeys.has(sameAccessKey(row)) && !reportedApart(sameAccessKey(row))),
        accessLost: planned.access.filter((row) => !liveKeys.has(sameAccessKey(row))),
        membersInOkta: liveAccess.rows.filter((row) => liveAccess.membersInOkta.has(sameAccessKey(row))),
        unjudged: unjudged.sort((a, b) => a.resource.localeCompare(b.resource) || a.principal.localeCompare(b.principal)),
    };
}
