// The live organisation against the code, as rows a reviewer acts on: each names its kind, the
// account or Okta object, and what differs — for documents, whether the grants widened or narrowed
// (tools/report/grants.ts, as the access diff judges them) and every changed path. Then the live
// access matrix against the code's: access gained outside the code, and access lost.
import * as crypto from "crypto";
import { provisioningFeatures } from "../../components/oktaAwsApp";
import type { AccessRow } from "../plan/model";
import { valueChanges } from "../report/accessDiff";
import { GrantChange, grantChange, grantsOf } from "../report/grants";
import type { LiveAccount, LiveRole } from "./aws";
import { LiveAccess, oktaRoleValues } from "./liveAccess";
import type { LiveOktaApp } from "./liveOkta";
import type { LiveOrganisation } from "./liveOrganisation";
import { accessKey, PlannedAccount, PlannedOrganisation, PlannedRole } from "./planned";
import { principalsAdmitting, samlProvidersTrusted } from "./trustPaths";

/** Every kind of drift, in the order the report lists them. */
export const driftKinds = [
    "emergency-access-held",
    "emergency-role-not-sent",
    "missing",
    "shadow-role",
    "trust-changed",
    "policy-changed",
    "attachment-added",
    "attachment-removed",
    "assignment-outside-code",
    "api-integration-off",
    "roles-not-imported",
    "app-settings-changed",
    "metadata-mismatch",
    "key-age",
] as const;

type DriftKind = (typeof driftKinds)[number];

export interface DriftRow {
    kind: DriftKind;
    /** The AWS account, for AWS objects. */
    account?: string;
    /** The person or group, for Okta assignments and memberships (and the IAM user of a key). */
    principal?: string;
    /** The object: a role, policy or provider ARN, an Okta app, group or role. */
    resource?: string;
    detail: string;
}

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
    okta: LiveOktaApp | undefined,
    now: Date,
): DriftRow[] {
    const rows: DriftRow[] = [];
    const at = (row: Omit<DriftRow, "account">) => rows.push({ ...row, account: account.accountId });
    for (const role of account.roles.values()) {
        const liveRole = live.roles.get(role.arn);
        if (!liveRole) {
            at({ kind: "missing", resource: role.arn, detail: `role ${role.name} of stack ${account.stack} does not exist` });
            continue;
        }
        rows.push(...roleDrift(account, role, liveRole));
    }
    for (const [arn, document] of account.policies) {
        const livePolicy = live.policies.get(arn);
        if (!livePolicy) {
            at({ kind: "missing", resource: arn, detail: `policy of stack ${account.stack} does not exist` });
            continue;
        }
        const change = grantChange(grants(document), grants(livePolicy.document));
        if (change) {
            at({
                kind: "policy-changed",
                resource: arn,
                detail: `default version ${livePolicy.defaultVersionId} ${documentDifference(change, document, livePolicy.document)}`,
            });
        }
    }
    for (const role of live.roles.values()) {
        if (!account.roles.has(role.arn)) {
            at({ kind: "shadow-role", resource: role.arn, detail: shadowPath(planned, account, role) });
        }
    }
    if (account.kind === "identity") {
        for (const arn of account.samlProviders) {
            const provider = live.samlProviders.find((p) => p.arn === arn);
            if (!provider) {
                at({ kind: "missing", resource: arn, detail: `SAML provider of stack ${account.stack} does not exist` });
            } else if (okta?.metadata) {
                const signing = certificatesOf(okta.metadata);
                const held = certificatesOf(provider.metadata);
                if (!signing.some((certificate) => held.includes(certificate))) {
                    at({
                        kind: "metadata-mismatch",
                        resource: arn,
                        detail: `the provider holds ${listCertificates(held)}; the Okta app "${okta.label}" signs with ${listCertificates(signing)}: sign-in fails until the provider takes the app's current metadata (pulumi up of the identity stack)`,
                    });
                }
            }
        }
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

/** How a role of the code differs from its live self: trust, attachments, inline policies, boundary. */
function roleDrift(account: PlannedAccount, role: PlannedRole, live: LiveRole): DriftRow[] {
    const rows: DriftRow[] = [];
    const at = (row: Omit<DriftRow, "account" | "resource">) => rows.push({ ...row, account: account.accountId, resource: role.arn });
    const trust = grantChange(grants(role.trust), grants(live.trust));
    if (trust) {
        at({ kind: "trust-changed", detail: documentDifference(trust, role.trust, live.trust) });
    }
    for (const arn of live.attachedPolicyArns.filter((arn) => !role.attachedPolicyArns.includes(arn))) {
        at({ kind: "attachment-added", detail: `${arn} is attached, not by the code` });
    }
    for (const arn of role.attachedPolicyArns.filter((arn) => !live.attachedPolicyArns.includes(arn))) {
        at({ kind: "attachment-removed", detail: `${arn} is no longer attached` });
    }
    for (const name of [...new Set([...Object.keys(role.inlinePolicies), ...Object.keys(live.inlinePolicies)])].sort()) {
        const [before, after] = [role.inlinePolicies[name], live.inlinePolicies[name]];
        const change = grantChange(grants(before), grants(after));
        if (change) {
            at({
                kind: "policy-changed",
                detail: `inline policy ${name} ${before && after ? documentDifference(change, before, after) : before ? "removed" : "added, not by the code"}`,
            });
        }
    }
    if (role.permissionsBoundaryArn !== live.permissionsBoundaryArn) {
        const change = !live.permissionsBoundaryArn ? "widened" : !role.permissionsBoundaryArn ? "narrowed" : "changed";
        at({
            kind: "policy-changed",
            detail: `permission boundary ${change}: ${shown(role.permissionsBoundaryArn)} → ${shown(live.permissionsBoundaryArn)}`,
        });
    }
    return rows;
}

/** What makes a role outside the code a way in: the principals of its trust that let the organisation in. */
function shadowPath(planned: PlannedOrganisation, account: PlannedAccount, role: LiveRole): string {
    return account.kind === "identity"
        ? `not in the code, and its trust lets in a SAML provider: ${samlProvidersTrusted(role.trust, account.accountId).join(", ")}`
        : `not in the code, and its trust lets in the identity account ${planned.identityAccountId}: ${principalsAdmitting(role.trust, planned.identityAccountId).join(", ")}`;
}

/** The X.509 certificates of a metadata document, base64 without white space. */
function certificatesOf(metadata: string): string[] {
    return [...metadata.matchAll(/<(?:\w+:)?X509Certificate>([^<]*)<\/(?:\w+:)?X509Certificate>/g)].map((m) => m[1].replace(/\s/g, ""));
}

/** SHA-256 fingerprints, as the console shows certificates. */
function listCertificates(certificates: string[]): string {
    if (certificates.length === 0) {
        return "no certificate";
    }
    return certificates
        .map(
            (certificate) =>
                `SHA-256 ${crypto
                    .createHash("sha256")
                    .update(Buffer.from(certificate, "base64"))
                    .digest("hex")
                    .toUpperCase()
                    .replace(/(..)(?!$)/g, "$1:")}`,
        )
        .join(", ");
}

/** The rows of Okta's side: the app, its settings and integration, assignments and memberships. */
function oktaDrift(planned: PlannedOrganisation, live: LiveOrganisation, unjudged: UnjudgedMembership[]): DriftRow[] {
    const rows: DriftRow[] = [];
    const code = planned.okta;
    const app = live.okta.app;
    const appName = `Okta app "${code.appLabel}"`;
    if (!app) {
        const others = live.okta.awsApps.map((a) => JSON.stringify(a.label)).join(", ");
        return [
            {
                kind: "missing",
                resource: appName,
                detail: `no amazon_aws app of the org has this label${others ? ` (it has ${others})` : ""}`,
            },
        ];
    }
    if (app.status !== "ACTIVE") {
        rows.push({ kind: "app-settings-changed", resource: appName, detail: `status: "ACTIVE" → ${JSON.stringify(app.status)}` });
    }
    for (const [key, value] of Object.entries(code.settings)) {
        if (JSON.stringify(app.settings[key]) !== JSON.stringify(value)) {
            rows.push({ kind: "app-settings-changed", resource: appName, detail: `${key}: ${shown(value)} → ${shown(app.settings[key])}` });
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

    const liveUsers = new Map(app.users.filter((u) => u.scope === "USER").map((u) => [u.login.toLowerCase(), u]));
    // What Okta sends each person, by lower-case login: the same model as the live access matrix.
    const sentVia = new Map([...oktaRoleValues(app, planned.identityAccountId)].map(([login, values]) => [login.toLowerCase(), values]));
    const liveGroups = new Map(app.groups.map((g) => [g.name, g]));
    const plannedUsers = new Map(code.assignedUsers.map((u) => [u.login.toLowerCase(), u]));
    for (const user of code.assignedUsers.filter((u) => !liveUsers.has(u.login.toLowerCase()))) {
        rows.push({
            kind: "missing",
            principal: user.login,
            resource: appName,
            detail: `not assigned to the app (the code assigns ${user.samlRoles.join(", ")})`,
        });
    }
    for (const user of liveUsers.values()) {
        if (!plannedUsers.has(user.login.toLowerCase())) {
            rows.push({
                kind: "assignment-outside-code",
                principal: user.login,
                resource: appName,
                detail: `assigned to the app directly${user.samlRoles.length ? ` with SAML roles ${user.samlRoles.join(", ")}` : ""}, not by the code`,
            });
        }
    }
    const assignedGroups = code.groups.filter((g) => g.priority !== undefined);
    for (const group of assignedGroups) {
        const liveGroup = liveGroups.get(group.name);
        if (!liveGroup) {
            rows.push({
                kind: "missing",
                principal: group.name,
                resource: appName,
                detail: `${{ team: "group", role: "role group", emergency: "emergency group" }[group.kind]} not assigned to the app`,
            });
            continue;
        }
        if (group.kind === "emergency") {
            // Members are made in Okta at the moment of need, never by the code: each is access
            // held now, which a reviewer confirms is an incident's and ends when it does — if Okta
            // sends them the role. With the live app's joinAllRoles off Okta sends a person with an
            // assignment of their own only that assignment's roles (liveAccess.ts `oktaRoleValues`),
            // and the audit says so rather than claim access Okta withholds.
            const role = group.samlRoles[0];
            for (const login of liveGroup.members) {
                const sent = (sentVia.get(login.toLowerCase()) ?? []).some((value) => value.via.includes(group.name));
                rows.push(
                    sent
                        ? {
                              kind: "emergency-access-held",
                              principal: login,
                              resource: `Okta group "${group.name}"`,
                              detail: `holds emergency role ${role}, reaching ${code.emergencyRoles[role].targetRoleArn}: the glass is broken; remove them from the group once the need has passed`,
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
        const liveMembers = new Set(liveGroup.members.map((m) => m.toLowerCase()));
        const plannedMembers = new Set(group.members.map((m) => m.toLowerCase()));
        for (const login of group.members.filter((m) => !liveMembers.has(m.toLowerCase()))) {
            rows.push({
                kind: "missing",
                principal: login,
                resource: `Okta group "${group.name}"`,
                detail: "not a member, as the code makes them",
            });
        }
        for (const login of liveGroup.members.filter((m) => !plannedMembers.has(m.toLowerCase()))) {
            const detail = `member of ${group.kind === "role" ? `role group "${group.name}" (${group.samlRoles[0]})` : `group "${group.name}"`}, not by the code`;
            if (group.kind === "role" && !code.roleGroupMembersManaged) {
                unjudged.push({ principal: login, resource: `Okta group "${group.name}"`, detail });
            } else {
                rows.push({ kind: "assignment-outside-code", principal: login, resource: `Okta group "${group.name}"`, detail });
            }
        }
    }
    for (const group of app.groups.filter((g) => !assignedGroups.some((p) => p.name === g.name))) {
        rows.push({
            kind: "assignment-outside-code",
            principal: group.name,
            resource: appName,
            detail: `group assigned to the app${group.samlRoles.length ? ` with SAML roles ${group.samlRoles.join(", ")}` : ""} (${group.members.length} member${group.members.length === 1 ? "" : "s"}), not by the code`,
        });
    }

    if (!groupMapping && code.rolesImported) {
        // Okta accepts only role values its API integration imported: a role the code assigns that
        // no assignment holds, while the assignments that should hold it exist, was not imported.
        const held = new Set([...app.users.flatMap((u) => u.samlRoles), ...app.groups.flatMap((g) => g.samlRoles)]);
        const holders = new Map<string, string[]>();
        for (const user of code.assignedUsers.filter((u) => liveUsers.has(u.login.toLowerCase()))) {
            user.samlRoles.forEach((role) => holders.set(role, [...(holders.get(role) ?? []), user.login]));
        }
        for (const group of assignedGroups.filter((g) => liveGroups.has(g.name))) {
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

export interface Comparison {
    drift: DriftRow[];
    accessGained: AccessRow[];
    accessLost: AccessRow[];
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
    const drift = [
        ...planned.accounts.flatMap((account) => {
            const liveAccount = live.accounts.get(account.accountId);
            return liveAccount ? accountDrift(planned, account, liveAccount, live.okta.app, now) : [];
        }),
        ...oktaDrift(planned, live, unjudged),
    ].sort(rowOrder);
    const plannedKeys = new Set(planned.access.map(accessKey));
    const liveKeys = new Set(liveAccess.rows.map(accessKey));
    const reportedApart = (key: string) => liveAccess.unjudged.has(key) || liveAccess.emergency.has(key);
    return {
        drift,
        accessGained: liveAccess.rows.filter((row) => !plannedKeys.has(accessKey(row)) && !reportedApart(accessKey(row))),
        accessLost: planned.access.filter((row) => !liveKeys.has(accessKey(row))),
        unjudged: unjudged.sort((a, b) => a.resource.localeCompare(b.resource) || a.principal.localeCompare(b.principal)),
    };
}
