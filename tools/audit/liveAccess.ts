// Who can really reach what: each person's SAML role values as Okta computes them from the live
// app (its own assignment's and its groups' SAML User Roles, joined with `joinAllRoles` or picked
// by group priority; or, with group mapping, the names of its groups through the live group
// filter and role value pattern), then the verification's judge (iam-simulate) on the live
// documents: the federated role's trust for `AssumeRoleWithSAML` from the live SAML provider, and
// its live policies with each member role's live trust for `AssumeRole`. One row per person,
// SAML role and role reached, in the access diff's shape.
import { renderRoleValue } from "../../components/groupFilter";
import { assumedRoleArn, awsSamlSignInUrl, policyNameOf } from "../../components/names";
import { assignmentsOktaSends } from "../../components/rolesOktaSends";
import { GrantElement, grantsOf } from "../plan/grants";
import type { AccessRow } from "../plan/model";
import { isDirect } from "../report/planView";
import { managedPolicyFixtures } from "../verification/plannedFederation";
import { Judge } from "../verification/simulator";
import type { LiveRole } from "./aws";
import { groupMappingCapture, LiveOktaApp } from "./liveOkta";
import { certificatesOf } from "./metadata";
import { actionMatches, admitsPrincipal, admittedFrom } from "./trustPaths";
import type { LiveOrganisation } from "./liveOrganisation";
import type { PlannedOrganisation } from "./planned";
import { sameAccessKey, accessOrder } from "./planned";

/** One SAML role value a person gets, and how: `direct` (their own assignment) or the ids of the groups that give it. */
interface PersonRoleValue {
    value: string;
    via: string[];
}

const direct = "direct";

/**
 * Each person's SAML role values, as Okta computes them from the live app, by login (the user
 * object's). People are told apart by Okta user id, never by login or app username.
 */
export function oktaRoleValues(app: LiveOktaApp | undefined, identityAccountId: string): Map<string, PersonRoleValue[]> {
    const values = new Map<string, Map<string, Set<string>>>();
    const give = (id: string, value: string, via: string) => {
        const held = values.get(id) ?? new Map<string, Set<string>>();
        held.set(value, (held.get(value) ?? new Set()).add(via));
        values.set(id, held);
    };
    if (app && app.status === "ACTIVE") {
        const settings = app.settings;
        const pattern = text(settings.roleValuePattern);
        if (settings.useGroupMapping === true) {
            // Group mapping reads the names of the user's groups, assigned to the app or not, once
            // the user is assigned to it (Okta, "Connect Okta to multiple AWS instances using groups").
            const assigned = new Set([...app.users.map((u) => u.id), ...app.groups.flatMap((g) => g.members)]);
            for (const group of [...app.groups, ...app.filteredGroups]) {
                const captured = groupMappingCapture(settings, group);
                if (captured) {
                    group.members.filter((id) => assigned.has(id)).forEach((id) => give(id, renderRoleValue(pattern, captured), group.id));
                }
            }
        } else {
            const role = (samlRole: string) => renderRoleValue(pattern, { accountid: identityAccountId, role: samlRole });
            const own = new Map(app.users.map((u) => [u.id, u]));
            const groupsOf = new Map<string, typeof app.groups>();
            const people = new Set(app.users.map((u) => u.id));
            for (const group of app.groups) {
                for (const id of group.members) {
                    groupsOf.set(id, [...(groupsOf.get(id) ?? []), group]);
                    people.add(id);
                }
            }
            for (const id of people) {
                const user = own.get(id);
                const groups = groupsOf.get(id) ?? [];
                // Okta ranks groups by priority (the lowest number first).
                const byPriority = [...groups].sort(
                    (a, b) => (a.priority ?? Infinity) - (b.priority ?? Infinity) || a.name.localeCompare(b.name),
                );
                const sent = assignmentsOktaSends(user !== undefined, byPriority, settings.joinAllRoles === true);
                if (sent.own) {
                    user?.samlRoles.forEach((samlRole) => give(id, role(samlRole), direct));
                }
                sent.groups.forEach((group) => group.samlRoles.forEach((samlRole) => give(id, role(samlRole), group.id)));
            }
        }
    }
    return new Map(
        [...values].map(([id, held]) => [
            app!.logins[id] ?? id,
            [...held].map(([value, via]) => ({ value, via: [...via].sort() })).sort((a, b) => a.value.localeCompare(b.value)),
        ]),
    );
}

/** A setting Okta holds as text; anything else reads as empty. */
const text = (value: unknown) => (typeof value === "string" ? value : "");

/** `<provider ARN>,<role ARN>`, in either order, as AWS reads a SAML role value. */
function rolePair(value: string): { providerArn: string; roleArn: string } | undefined {
    const parts = value.split(",").map((part) => part.trim());
    const providerArn = parts.find((part) => /^arn:[\w-]+:iam::\d{12}:saml-provider\/.+$/.test(part));
    const roleArn = parts.find((part) => /^arn:[\w-]+:iam::\d{12}:role\/.+$/.test(part));
    return parts.length === 2 && providerArn && roleArn ? { providerArn, roleArn } : undefined;
}

/** Whether an ARN pattern of a policy's Resource (IAM's `*` and `?`) matches an ARN. */
function resourceMatches(pattern: string, arn: string): boolean {
    const source = pattern
        .replace(/[.+^${}()|[\]\\]/g, "\\$&")
        .replace(/\*/g, ".*")
        .replace(/\?/g, ".");
    return new RegExp(`^${source}$`).test(arn);
}

/** A grant's element matched: `match` on its one pattern, or (NotAction, NotResource) on none of those it leaves out. */
function negatable(element: GrantElement, match: (pattern: string) => boolean): boolean {
    return typeof element === "string" ? match(element) : !element.not.some(match);
}

/**
 * With group mapping, whether a person's role value comes only from memberships of the code's
 * role groups that the code does not make: those are reported, not judged, unless the stack says
 * `okta-aws:oktaApp.roleGroupMembers: managed`.
 */
function onlyElsewhere(planned: PlannedOrganisation): (login: string, via: string[]) => boolean {
    if (planned.okta.mode !== "groupMapping" || planned.okta.roleGroupMembersManaged) {
        return () => false;
    }
    const members = new Map(
        planned.okta.groups
            .filter((g) => g.kind === "role" && g.id !== undefined)
            .map((g) => [g.id!, new Set(g.members.map((m) => m.toLowerCase()))]),
    );
    return (login, via) => via.every((group) => members.get(group) !== undefined && !members.get(group)!.has(login.toLowerCase()));
}

export interface LiveAccess {
    /** One row per person, SAML role and role reached. */
    rows: AccessRow[];
    /** Keys (planned.ts `sameAccessKey`) of rows that only memberships made elsewhere give: not judged. */
    unjudged: Set<string>;
    /** Keys of rows that only emergency groups give: reported as emergency access held, not as access gained. */
    emergency: Set<string>;
    /**
     * Keys of rows that only the code's existing Okta groups give (members managed in Okta): the
     * code's access, listed by login with the group as `via`, not access gained.
     */
    membersInOkta: Set<string>;
    /** Who can sign in to each federated role (by ARN), whether or not it reaches a member role, by login. */
    signIns: Map<string, Set<string>>;
}

/** The live access matrix of the organisation, judged on the live documents. */
export async function liveAccess(planned: PlannedOrganisation, live: LiveOrganisation, judge = new Judge()): Promise<LiveAccess> {
    const elsewhere = onlyElsewhere(planned);
    const unjudged = new Set<string>();
    // Emergency groups by their Okta id from the code's state: a group named like one is not one.
    const emergencyGroups = new Set(planned.okta.groups.filter((g) => g.kind === "emergency" && g.id !== undefined).map((g) => g.id!));
    const emergency = new Set<string>();
    // Existing team groups by their Okta id from the code's state, with their names.
    const oktaMemberGroups = new Map(planned.okta.groups.filter((g) => g.existing && g.id !== undefined).map((g) => [g.id!, g.name]));
    const membersInOkta = new Set<string>();
    const identity = live.accounts.get(planned.identityAccountId);
    // Every account's providers: a role value may name a member account's own provider and role (a direct sign-in).
    const providers = new Map(
        [...live.accounts.values()].flatMap((account) =>
            account.samlProviders.map((p) => [p.arn, certificatesOf(p.metadata) ?? []] as const),
        ),
    );
    /** The live role a role value names, in whichever account of the organisation holds it. */
    const roleNamed = (arn: string) => {
        const accountId = arn.split(":")[4];
        const role = live.accounts.get(accountId)?.roles.get(arn);
        return role && { role, accountId };
    };
    // AWS accepts an app's assertion at a provider holding one of the app's certificates; an app
    // whose metadata could not be read is taken to sign for every provider (an `unverified` row says so).
    const signsFor = (app: LiveOktaApp, providerArn: string) => {
        const held = providers.get(providerArn);
        const signing = app.metadata === undefined ? undefined : certificatesOf(app.metadata);
        return held !== undefined && (signing === undefined || signing.some((certificate) => held.includes(certificate)));
    };
    const labels = new Map(planned.accounts.map((a) => [a.accountId, a.label]));
    // A direct sign-in's SAML role as the code names it (the name people are given), by the member
    // role it lands in; a role the code does not sign in to directly goes by its own name.
    const directRoleNames = new Map(planned.access.filter(isDirect).map((row) => [row.targetRoleArn, row.samlRole]));
    const fixtures = managedPolicyFixtures();
    const documentsOf = (role: LiveRole, accountId: string): object[] => [
        ...Object.values(role.inlinePolicies),
        ...role.attachedPolicyArns.flatMap((arn) => {
            const customer = live.accounts.get(accountId)?.policies.get(arn)?.document;
            const fixture = fixtures.get(policyNameOf(arn));
            return customer
                ? [customer]
                : fixture && fixture.arn.replace(/^arn:aws:/, `arn:${planned.partition}:`) === arn
                  ? [fixture.document]
                  : [];
        }),
    ];
    const memberRoles = planned.accounts
        .filter((account) => account.kind === "member")
        .flatMap((account) =>
            [...(live.accounts.get(account.accountId)?.roles.values() ?? [])].map((role) => ({ role, accountId: account.accountId })),
        );
    // The identity account's other roles a federated role may switch into: in one account a trust
    // naming the role (or anyone) lets it in by itself; one naming the account needs the role's own
    // policy to allow it too (IAM, "Cross-account policy evaluation logic" and "Policy evaluation
    // logic": within an account either policy may allow). The judge decides; these are its candidates.
    const identityRoles = [...(identity?.roles.values() ?? [])].map((role) => ({
        role,
        accountId: planned.identityAccountId,
        admits: admittedFrom(role.trust, planned.identityAccountId),
    }));

    // Per federated role, the member roles its live policies could let it switch into: those an
    // Allow grant for sts:AssumeRole names (so the work grows with roles, not roles squared).
    const candidatesOf = new Map<string, typeof memberRoles>();
    const candidates = (federated: LiveRole) => {
        let found = candidatesOf.get(federated.arn);
        if (!found) {
            // A superset the judge then decides on: every Allow grant whose Action (or NotAction) could
            // allow sts:AssumeRole, on a Resource (or NotResource) that could be the role.
            const resources = documentsOf(federated, planned.identityAccountId)
                .flatMap((document) => grantsOf(document) ?? [])
                .filter((grant) => grant.effect === "Allow" && negatable(grant.action, (p) => actionMatches(p, "sts:AssumeRole")))
                .map((grant) => grant.resource);
            const granted = (arn: string) => resources.some((resource) => negatable(resource, (p) => resourceMatches(p, arn)));
            found = [
                ...memberRoles.filter(({ role }) => granted(role.arn)),
                ...identityRoles
                    .filter(({ role }) => role.arn !== federated.arn)
                    .filter(({ role, admits }) => granted(role.arn) || admitsPrincipal(admits, federated.arn)),
            ];
            candidatesOf.set(federated.arn, found);
        }
        return found;
    };

    const rows = new Map<string, AccessRow>();
    const signIns = new Map<string, Set<string>>();
    // Every app that can sign in: the code's and every other the audit read (their access is all gained).
    for (const app of live.okta.apps) {
        const codeApp = app.id === live.okta.app?.id;
        for (const [login, values] of oktaRoleValues(app, planned.identityAccountId)) {
            for (const { value, via } of values) {
                const pair = rolePair(value);
                const named = pair && roleNamed(pair.roleArn);
                if (!pair || !named || !signsFor(app, pair.providerArn)) {
                    continue;
                }
                const federated = named.role;
                const signIn = await judge.simulate({
                    principal: pair.providerArn,
                    action: "sts:AssumeRoleWithSAML",
                    resource: federated.arn,
                    accountId: named.accountId,
                    context: { "saml:aud": awsSamlSignInUrl },
                    identityPolicies: [],
                    resourcePolicy: federated.trust,
                    personValues: [login],
                    allowUnusedContext: true,
                });
                if (signIn.decision !== "allowed") {
                    continue;
                }
                signIns.set(federated.arn, (signIns.get(federated.arn) ?? new Set()).add(login));
                const record = (row: AccessRow) => {
                    const key = sameAccessKey(row);
                    const onlyThisWay = !rows.has(key) || emergency.has(key) || unjudged.has(key) || membersInOkta.has(key);
                    rows.set(key, row);
                    if (codeApp && onlyThisWay && via.every((group) => emergencyGroups.has(group))) {
                        emergency.add(key);
                    } else if (codeApp && onlyThisWay && elsewhere(login, via)) {
                        unjudged.add(key);
                    } else if (codeApp && onlyThisWay && via.length > 0 && via.every((group) => oktaMemberGroups.has(group))) {
                        membersInOkta.add(key);
                        rows.set(key, { ...row, via: via.map((group) => oktaMemberGroups.get(group)!).join(", ") });
                    } else {
                        emergency.delete(key);
                        unjudged.delete(key);
                        membersInOkta.delete(key);
                    }
                };
                if (named.accountId !== planned.identityAccountId) {
                    // A member account's own provider and role: the sign-in is the access (Okta's direct, multi-account setup).
                    record({
                        principal: login,
                        principalType: "user",
                        samlRole: directRoleNames.get(federated.arn) ?? federated.name,
                        samlRoleArn: federated.arn,
                        targetAccountId: named.accountId,
                        targetAccountLabel: labels.get(named.accountId) ?? named.accountId,
                        targetRoleArn: federated.arn,
                        policyArns: [...federated.attachedPolicyArns].sort(),
                    });
                    continue;
                }
                for (const { role: target, accountId } of candidates(federated)) {
                    const assume = await judge.simulate({
                        principal: assumedRoleArn(planned.partition, planned.identityAccountId, federated.name, login),
                        action: "sts:AssumeRole",
                        resource: target.arn,
                        accountId,
                        context: { "aws:PrincipalArn": federated.arn },
                        identityPolicies: documentsOf(federated, planned.identityAccountId),
                        resourcePolicy: target.trust,
                        personValues: [login],
                        allowUnusedContext: true,
                    });
                    if (assume.decision === "allowed") {
                        const row: AccessRow = {
                            principal: login,
                            principalType: "user",
                            samlRole: federated.name,
                            samlRoleArn: federated.arn,
                            targetAccountId: accountId,
                            targetAccountLabel: labels.get(accountId) ?? accountId,
                            targetRoleArn: target.arn,
                            policyArns: [...target.attachedPolicyArns].sort(),
                        };
                        record(row);
                    }
                }
            }
        }
    }
    return { rows: [...rows.values()].sort(accessOrder), unjudged, emergency, membersInOkta, signIns };
}
