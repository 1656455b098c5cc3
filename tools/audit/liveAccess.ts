// Who can really reach what: each person's SAML role values as Okta computes them from the live
// app (its own assignment's and its groups' SAML User Roles, joined with `joinAllRoles` or picked
// by group priority; or, with group mapping, the names of its groups through the live group
// filter and role value pattern), then the verification's judge (iam-simulate) on the live
// documents: the federated role's trust for `AssumeRoleWithSAML` from the live SAML provider, and
// its live policies with each member role's live trust for `AssumeRole`. One row per person,
// SAML role and role reached, in the access diff's shape.
import { captureRole, renderRoleValue } from "../../components/groupFilter";
import { awsSamlSignInUrl, policyNameOf } from "../../components/names";
import { grantsOf } from "../report/grants";
import type { AccessRow } from "../plan/model";
import { managedPolicyFixtures } from "../verification/plannedFederation";
import { Judge } from "../verification/simulator";
import type { LiveRole } from "./aws";
import type { LiveOktaApp } from "./liveOkta";
import type { LiveOrganisation } from "./liveOrganisation";
import type { PlannedOrganisation } from "./planned";
import { accessKey, accessOrder } from "./planned";

/** One SAML role value a person gets, and how: `direct` (their own assignment) or the groups that give it. */
interface PersonRoleValue {
    value: string;
    via: string[];
}

const direct = "direct";

/** Each person's SAML role values, as Okta computes them from the live app, by login (as Okta spells it). */
export function oktaRoleValues(app: LiveOktaApp | undefined, identityAccountId: string): Map<string, PersonRoleValue[]> {
    const values = new Map<string, Map<string, Set<string>>>();
    const give = (login: string, value: string, via: string) => {
        const person = values.get(login) ?? new Map<string, Set<string>>();
        person.set(value, (person.get(value) ?? new Set()).add(via));
        values.set(login, person);
    };
    if (app && app.status === "ACTIVE") {
        const settings = app.settings;
        const pattern = text(settings.roleValuePattern);
        if (settings.useGroupMapping === true) {
            // Group mapping reads the names of the user's groups; with the app filter `okta`, only
            // groups mastered in Okta (Okta, "Connect Okta to multiple AWS instances using groups").
            for (const group of app.groups) {
                const captured =
                    settings.appFilter === "okta" && group.type !== "OKTA_GROUP" ? undefined : safeCapture(settings, group.name);
                if (captured) {
                    group.members.forEach((login) => give(login, renderRoleValue(pattern, captured), group.name));
                }
            }
        } else {
            const role = (samlRole: string) => renderRoleValue(pattern, { accountid: identityAccountId, role: samlRole });
            const own = new Map(app.users.filter((u) => u.scope === "USER").map((u) => [u.login.toLowerCase(), u]));
            const groupsOf = new Map<string, typeof app.groups>();
            for (const group of app.groups) {
                for (const login of group.members) {
                    groupsOf.set(login.toLowerCase(), [...(groupsOf.get(login.toLowerCase()) ?? []), group]);
                }
            }
            const logins = new Map([...app.users.map((u) => [u.login.toLowerCase(), u.login] as const)]);
            for (const group of app.groups) {
                group.members.forEach((login) => logins.set(login.toLowerCase(), logins.get(login.toLowerCase()) ?? login));
            }
            for (const [key, login] of logins) {
                const user = own.get(key);
                const groups = groupsOf.get(key) ?? [];
                if (settings.joinAllRoles === true) {
                    user?.samlRoles.forEach((samlRole) => give(login, role(samlRole), direct));
                    groups.forEach((group) => group.samlRoles.forEach((samlRole) => give(login, role(samlRole), group.name)));
                } else if (user) {
                    user.samlRoles.forEach((samlRole) => give(login, role(samlRole), direct));
                } else if (groups.length > 0) {
                    // Okta takes the profile of the group of highest priority (the lowest number).
                    const first = [...groups].sort(
                        (a, b) => (a.priority ?? Infinity) - (b.priority ?? Infinity) || a.name.localeCompare(b.name),
                    )[0];
                    first.samlRoles.forEach((samlRole) => give(login, role(samlRole), first.name));
                }
            }
        }
    }
    return new Map(
        [...values].map(([login, person]) => [
            login,
            [...person].map(([value, via]) => ({ value, via: [...via].sort() })).sort((a, b) => a.value.localeCompare(b.value)),
        ]),
    );
}

/** A setting Okta holds as text; anything else reads as empty. */
const text = (value: unknown) => (typeof value === "string" ? value : "");

/** A group filter Okta could not apply (not a pattern of the two captures) matches nothing. */
function safeCapture(settings: Record<string, unknown>, groupName: string) {
    try {
        return captureRole(text(settings.groupFilter), groupName);
    } catch {
        return undefined;
    }
}

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
        planned.okta.groups.filter((g) => g.kind === "role").map((g) => [g.name, new Set(g.members.map((m) => m.toLowerCase()))]),
    );
    return (login, via) => via.every((group) => members.get(group) !== undefined && !members.get(group)!.has(login.toLowerCase()));
}

export interface LiveAccess {
    /** One row per person, SAML role and role reached. */
    rows: AccessRow[];
    /** Keys (planned.ts `accessKey`) of rows that only memberships made elsewhere give: not judged. */
    unjudged: Set<string>;
    /** Keys of rows that only emergency groups give: reported as emergency access held, not as access gained. */
    emergency: Set<string>;
}

/** The live access matrix of the organisation, judged on the live documents. */
export async function liveAccess(planned: PlannedOrganisation, live: LiveOrganisation, judge = new Judge()): Promise<LiveAccess> {
    const elsewhere = onlyElsewhere(planned);
    const unjudged = new Set<string>();
    const emergencyGroups = new Set(planned.okta.groups.filter((g) => g.kind === "emergency").map((g) => g.name));
    const emergency = new Set<string>();
    const identity = live.accounts.get(planned.identityAccountId);
    const providers = new Set(identity?.samlProviders.map((p) => p.arn) ?? []);
    const labels = new Map(planned.accounts.map((a) => [a.accountId, a.label]));
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

    // Per federated role, the member roles its live policies could let it switch into: those an
    // Allow grant for sts:AssumeRole names (so the work grows with roles, not roles squared).
    const candidatesOf = new Map<string, typeof memberRoles>();
    const candidates = (federated: LiveRole) => {
        let found = candidatesOf.get(federated.arn);
        if (!found) {
            const patterns = documentsOf(federated, planned.identityAccountId)
                .flatMap((document) => grantsOf(document) ?? [])
                .filter((grant) => grant.effect === "Allow" && /^(sts:(AssumeRole|\*|AssumeRole\*)|\*)$/i.test(grant.action))
                .map((grant) => grant.resource);
            found = memberRoles.filter(({ role }) =>
                patterns.some((pattern) => !pattern.startsWith("Not") && resourceMatches(pattern, role.arn)),
            );
            candidatesOf.set(federated.arn, found);
        }
        return found;
    };

    const rows: AccessRow[] = [];
    for (const [login, values] of oktaRoleValues(live.okta.app, planned.identityAccountId)) {
        for (const { value, via } of values) {
            const pair = rolePair(value);
            const federated = pair && identity?.roles.get(pair.roleArn);
            if (!pair || !federated || !providers.has(pair.providerArn)) {
                continue;
            }
            const signIn = await judge.simulate({
                principal: pair.providerArn,
                action: "sts:AssumeRoleWithSAML",
                resource: federated.arn,
                accountId: planned.identityAccountId,
                context: { "saml:aud": awsSamlSignInUrl },
                identityPolicies: [],
                resourcePolicy: federated.trust,
                personValues: [login],
                allowUnusedContext: true,
            });
            if (signIn.decision !== "allowed") {
                continue;
            }
            for (const { role: target, accountId } of candidates(federated)) {
                const assume = await judge.simulate({
                    principal: `arn:${planned.partition}:sts::${planned.identityAccountId}:assumed-role/${federated.name}/${login}`,
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
                    rows.push(row);
                    if (via.every((group) => emergencyGroups.has(group))) {
                        emergency.add(accessKey(row));
                    } else if (elsewhere(login, via)) {
                        unjudged.add(accessKey(row));
                    }
                }
            }
        }
    }
    return { rows: rows.sort(accessOrder), unjudged, emergency };
}
