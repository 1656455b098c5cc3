// The access diff between two plans, as data: who gains or loses which role in which account,
// how the sign-on policy changed and whether it weakened, which emergency roles came, went or
// changed, which trust and permission documents widened or narrowed, then every resource added,
// removed and changed and every output changed per stack, value by value (JSON documents by path,
// tools/plan/valueChanges.ts). Okta ids in a changed value come with what they stand for.
import { isoDurationSeconds } from "../../components/config";
import { providerBehaviour } from "../../components/providerBehaviour";
import type { OktaObject } from "../mock/providers";
import type { AccessRow, Plan, PlannedResource } from "../plan/model";
import { grantChange, grantsOf } from "../plan/grants";
import { ValueChange, valueChanges } from "../plan/valueChanges";
import { pathText } from "../../components/pathText";
import { jsonDocument } from "../shared/json";
import { naturalOrder } from "../shared/naturalOrder";
import {
    directSessionsOf,
    EmergencyRoleView,
    emergencyRolesOf,
    isDirect,
    networkText,
    noMfa,
    reauthenticationText,
    signOnOf,
    SignOnView,
} from "./planView";
import { documentPrivilege, Privilege, privileges, riskier, RolePermissions, rolePermissionsOf } from "./privilege";
import { ProviderTargetChange, providerTargetChanges } from "./providerTargets";

interface ResourceChange {
    urn: string;
    changes: ValueChange[];
}

interface StackDiff {
    added: string[];
    removed: string[];
    changed: ResourceChange[];
    /** Resources the head imports (adopts) that the base did not: no change in what exists or who has access. */
    adopted: { urn: string; import: string }[];
    /** The stack's outputs that changed, by output name (`input`) and path; secrets stay "[secret]". */
    outputs: ValueChange[];
}

/** Trust and permission documents whose grants changed (see tools/report/grants.ts), as `stack/resource name`. */
interface GrantChanges {
    trustWidened: string[];
    trustNarrowed: string[];
    trustChanged: string[];
    permissionsAdded: string[];
    permissionsRemoved: string[];
}

/** The sign-on policy's settings and rules (tools/report/planView.ts), before and after. */
interface SignOnDiff {
    /** What makes signing in easier, in words (`assurance phishingResistant → mfa`): the first thing a reviewer reads. */
    weakened: string[];
    /** Every change: `settings` by path, `rules` by rule name. */
    changes: ValueChange[];
}

/** Emergency roles (the identity stack's `emergencyRoles`, with their targets and sign-on rules), before and after. */
interface EmergencyDiff {
    added: EmergencyRoleView[];
    removed: EmergencyRoleView[];
    /** By role: its group, target, policies, boundary, session or sign-on rule, value by value. */
    changed: { role: string; changes: ValueChange[] }[];
}

/** Something a removal, replacement or update leaves in AWS or Okta although the plan no longer has it. */
interface LeftBehind {
    stack: string;
    urn: string;
    change: "removed" | "replaced" | "updated";
    /** What stays, in words (components/providerBehaviour.ts). */
    leaves: string;
}

/**
 * A change `pulumi up` would fail part way through, refused here with the way out: an object
 * created under a new Pulumi name while the object of the same physical name (components/
 * providerBehaviour.ts `physicalName`) still exists, or a replacement that keeps the name and so
 * deletes first where that locks people out.
 */
interface DeployFailure {
    stack: string;
    /** The head's resource that cannot be deployed as planned. */
    urn: string;
    /** Its name in AWS or Okta, which both objects would hold. */
    physicalName: string;
    why: string;
    wayOut: string;
}

/** What stays until someone removes it by hand, however the plan reads. */
interface StaysDiff {
    /** Access the head's plan no longer gives that Okta keeps: memberships a removed or replaced group rule made. */
    access: AccessRow[];
    resources: LeftBehind[];
}

/**
 * One role that more people can use, or that lets its people do more, ranked for the summary
 * (tools/report/privilege.ts): the privilege the change brings, production-like accounts first.
 */
export interface AccessRisk {
    privilege: Privilege;
    production: boolean;
    /** What changed: the role newly reached (`prod/Admin`), or `AdministratorAccess attached to prod/ReadOnly`. */
    change: string;
    /** The people who gain it, by login, sorted. */
    people: string[];
    /** The Okta groups it reaches them through, and groups assigned it themselves, sorted. */
    through: string[];
}

export interface AccessDiff {
    /**
     * Provider settings changed that decide where the deploy's credentials go or which they are
     * (./providerTargets.ts): the summary's first finding, whatever else changed.
     */
    providerTargets: ProviderTargetChange[];
    /** Changes that cannot be deployed as planned; the access diff refuses them, first. */
    failsToDeploy: DeployFailure[];
    /** Access gained and permissions added, riskiest first: what the summary leads with. */
    risks: AccessRisk[];
    /** Riskiest first (the privilege of the role in the head's plan, production-like accounts first), then as the plan lists them. */
    gained: AccessRow[];
    /** Access the head no longer gives and that really goes (not the access in `stays`). */
    lost: AccessRow[];
    stays: StaysDiff;
    signOn: SignOnDiff;
    emergencyRoles: EmergencyDiff;
    grants: GrantChanges;
    stacks: Record<string, StackDiff>;
    /**
     * Access kept, by a path added or removed: a member moving between the topologies (okta-aws:signIn)
     * first gains the new path beside the old (`both`), then loses the old one. Present when either
     * plan has a direct sign-in.
     */
    paths?: { added: AccessRow[]; removed: AccessRow[] };
    /**
     * When a grant of either plan signs in directly: the longest session of each member role's
     * direct sign-in, by role ARN, in the base (for the access lost) and the head (gained).
     */
    directSessions?: { base: Record<string, number>; head: Record<string, number> };
}

/**
 * Which role an access row reaches, regardless of the ARN of the federated role it goes through,
 * of the group it comes by and of the role's policies: a person who keeps a role by another path
 * keeps their access, and a change to a role's permissions is one change of that role (`risks`),
 * never the same people lost and gained.
 */
function grantedAccessKey(row: AccessRow): string {
    return JSON.stringify([row.principal, row.principalType, row.samlRole, row.targetAccountId, row.targetRoleArn]);
}

/** The people (user rows, by login) and the groups (the `via` of user rows, and group rows) of some access rows, each sorted. */
function peopleOf(rows: AccessRow[]): { people: string[]; through: string[] } {
    const people = new Set(rows.filter((row) => row.principalType === "user").map((row) => row.principal));
    const through = new Set(
        rows.flatMap((row) => (row.principalType === "group" ? [row.principal] : row.via === undefined ? [] : [row.via])),
    );
    return { people: [...people].sort(naturalOrder), through: [...through].sort(naturalOrder) };
}

const policyNameOfArn = (arn: string) => arn.slice(arn.lastIndexOf("/") + 1);

/** Riskiest first: privilege, production-like accounts, more people, then by name. */
function byRisk(a: AccessRisk, b: AccessRisk): number {
    return (
        privileges.indexOf(a.privilege) - privileges.indexOf(b.privilege) ||
        Number(b.production) - Number(a.production) ||
        b.people.length - a.people.length ||
        naturalOrder(a.change, b.change)
    );
}

/**
 * The summary's ranking: every member role newly reached, with the privilege it holds in the
 * head's plan, and every role people already held whose attached policies or own documents now
 * allow more, with the privilege of what was added. A role the head's plan does not describe
 * (another account's, a plan without its stack) is "not known".
 */
function accessRisks(base: Plan, head: Plan, rolesAfter: Map<string, RolePermissions>, gained: AccessRow[]): AccessRisk[] {
    const rolesBefore = rolePermissionsOf(base);
    const unknownRole = (arn: string): RolePermissions => ({ label: arn, production: false, policies: [], privilege: "not known" });
    const risks: AccessRisk[] = [];
    const gainedByRole = new Map<string, AccessRow[]>();
    for (const row of gained) {
        gainedByRole.set(row.targetRoleArn, [...(gainedByRole.get(row.targetRoleArn) ?? []), row]);
    }
    for (const [arn, rows] of gainedByRole) {
        const role = rolesAfter.get(arn) ?? unknownRole(arn);
        risks.push({ privilege: role.privilege, production: role.production, change: role.label, ...peopleOf(rows) });
    }
    const gainedKeys = new Set(gained.map(grantedAccessKey));
    for (const [arn, after] of rolesAfter) {
        const before = rolesBefore.get(arn);
        if (!before) {
            continue;
        }
        const documents = new Map(before.policies.map((policy) => [policy.arn, policy.document]));
        const attached = after.policies.filter((policy) => !documents.has(policy.arn));
        // An AWS managed policy's document is the vendored one on both sides; only the stacks' own documents change.
        const widened = after.policies.filter((policy) => {
            const was = documents.get(policy.arn);
            if (!policy.own || !documents.has(policy.arn) || JSON.stringify(was) === JSON.stringify(policy.document)) {
                return false;
            }
            const change = grantChange(grantsOf(was) ?? [], grantsOf(policy.document) ?? []);
            return change === "widened" || change === "changed";
        });
        const holders = head.access.filter((row) => row.targetRoleArn === arn && !gainedKeys.has(grantedAccessKey(row)));
        const { people, through } = peopleOf(holders);
        const added = (policies: typeof attached, verb: string) =>
            policies.length === 0
                ? []
                : [
                      {
                          privilege: policies
                              .map((p) => (p.document === undefined ? "not known" : documentPrivilege(p.document)))
                              .reduce<Privilege>(riskier, "read"),
                          production: after.production,
                          change: `${policies.map((p) => policyNameOfArn(p.arn)).join(", ")} ${verb} ${after.label}`,
                          people,
                          through,
                      },
                  ];
        if (holders.length > 0) {
            risks.push(...added(attached, "attached to"), ...added(widened, "widened on"));
        }
    }
    return risks.sort(byRisk);
}

/** A grant with its path: direct (into the member role) or chained (through a federated role). */
const pathKey = (row: AccessRow) => JSON.stringify([grantedAccessKey(row), isDirect(row)]);

/**
 * Okta ids as Okta makes them: a three-character type prefix (`00u` users, `00g` groups, `0oa`
 * apps, `0pr` group rules) and 17 letters and digits.
 */
const oktaIdPattern = /\b0[0-9a-z]{2}[A-Za-z0-9]{17}\b/g;

/** The change with the Okta ids its values hold, named. */
function withIds(change: ValueChange, names: Record<string, OktaObject>): ValueChange {
    const found = [...JSON.stringify([change.before, change.after]).matchAll(oktaIdPattern)]
        .map(([id]) => id)
        .filter((id) => Object.hasOwn(names, id));
    return found.length ? { ...change, ids: Object.fromEntries([...new Set(found)].sort().map((id) => [id, names[id]])) } : change;
}

function resourceChanges(before: PlannedResource, after: PlannedResource): ValueChange[] {
    const inputs = [...new Set([...Object.keys(before.inputs), ...Object.keys(after.inputs)])].sort();
    return [
        ...inputs.flatMap((input) => valueChanges(input, before.inputs[input], after.inputs[input])),
        ...valueChanges("(protect)", before.protect, after.protect),
    ];
}

/** Inputs that hold trust and permission documents, and resources that attach permissions. */
const trustInputs: Record<string, string> = { "aws:iam/role:Role": "assumeRolePolicy" };
const permissionInputs: Record<string, string> = {
    "aws:iam/policy:Policy": "policy",
    "aws:iam/rolePolicy:RolePolicy": "policy",
    "aws:iam/groupPolicy:GroupPolicy": "policy",
    "aws:iam/userPolicy:UserPolicy": "policy",
};
const attachmentTypes = new Set([
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
    "aws:iam/userPolicyAttachment:UserPolicyAttachment",
    "aws:iam/policyAttachment:PolicyAttachment",
]);

/** `<account>:<path><name>` of a customer managed policy, from its ARN or from its Policy resource's inputs. */
const policyKeyOfArn = (arn: string) => /^arn:[^:]+:iam::(\d{12}):policy\/(.+)$/.exec(arn)?.slice(1).join(":");
const policyKeyOfResource = (accountId: string, policy: PlannedResource) =>
    `${accountId}:${typeof policy.inputs.path === "string" ? policy.inputs.path.slice(1) : ""}${String(policy.inputs.name)}`;

/** The customer managed policies some role of a stack takes as its permissions boundary (policyKeyOfArn). */
function boundaryKeys(resources: PlannedResource[]): Set<string> {
    return new Set(
        resources
            .filter((r) => r.type === "aws:iam/role:Role" && typeof r.inputs.permissionsBoundary === "string")
            .map((r) => policyKeyOfArn(r.inputs.permissionsBoundary as string))
            .filter((key): key is string => key !== undefined),
    );
}

/**
 * How one resource's trust or permissions changed; an added or removed resource against nothing.
 * A role's boundary caps what its policies allow: one lifted adds permissions, one set removes
 * them, and the boundary policy's own creation or deletion is that change, not one of its own.
 */
function grantChanges(
    stack: string,
    before: PlannedResource | undefined,
    after: PlannedResource | undefined,
    into: GrantChanges,
    boundaries: { accountId: string; keys: Set<string> },
): void {
    const resource = (after ?? before)!;
    const label = `${stack}/${resource.name}`;
    const grants = (r: PlannedResource | undefined, input: string) => (r && grantsOf(jsonDocument(r.inputs[input]))) ?? [];
    if (trustInputs[resource.type]) {
        const change = grantChange(grants(before, trustInputs[resource.type]), grants(after, trustInputs[resource.type]));
        if (change) {
            into[change === "widened" ? "trustWidened" : change === "narrowed" ? "trustNarrowed" : "trustChanged"].push(label);
        }
    }
    const permissions = permissionInputs[resource.type];
    const isBoundary = boundaries.keys.has(policyKeyOfResource(boundaries.accountId, resource));
    const [boundaryBefore, boundaryAfter] = [before?.inputs.permissionsBoundary, after?.inputs.permissionsBoundary];
    const change =
        resource.type === "aws:iam/policy:Policy" && isBoundary && !(before && after)
            ? undefined
            : permissions
              ? grantChange(grants(before, permissions), grants(after, permissions))
              : attachmentTypes.has(resource.type) && JSON.stringify(before?.inputs) !== JSON.stringify(after?.inputs)
                ? before && after
                    ? "changed"
                    : after
                      ? "widened"
                      : "narrowed"
                : resource.type === "aws:iam/role:Role" && before && after && boundaryBefore !== boundaryAfter
                  ? boundaryBefore === undefined
                      ? "narrowed"
                      : boundaryAfter === undefined
                        ? "widened"
                        : "changed"
                  : undefined;
    if (change === "widened" || change === "changed") {
        into.permissionsAdded.push(label);
    }
    if (change === "narrowed" || change === "changed") {
        into.permissionsRemoved.push(label);
    }
}

/** An object without some of its keys. */
const without = (value: object, ...keys: string[]): Record<string, unknown> =>
    Object.fromEntries(Object.entries(value).filter(([key]) => !keys.includes(key)));

/** A sign-on policy's settings and its rules by name, as the diff compares them (a rule's priority follows from the others). */
function signOnState(signOn: SignOnView | undefined): { settings?: object; rules?: object } {
    if (!signOn) {
        return {};
    }
    const { rules, ...settings } = signOn;
    return { settings, rules: Object.fromEntries(rules.map((rule) => [rule.name, without(rule, "name", "priority")])) };
}

/**
 * What makes signing in easier from `before` to `after`: the policy switched off (or gone), a
 * weaker assurance, a longer re-authentication, more network zones or none, and a rule that no
 * longer denies or no longer asks for two factors or a phishing-resistant one.
 */
function signOnWeakenings(before: SignOnView | undefined, after: SignOnView | undefined): string[] {
    if (!before?.enforced) {
        return [];
    }
    if (!after?.enforced) {
        return [after ? `${noMfa} (okta-aws:signOnPolicy: false)` : `${noMfa} (the plan has no signOnPolicy output)`];
    }
    const weakened: string[] = [];
    if (before.assurance === "phishingResistant" && after.assurance !== "phishingResistant") {
        weakened.push(`assurance ${before.assurance} → ${after.assurance}`);
    }
    if (
        before.reauthenticate &&
        after.reauthenticate &&
        isoDurationSeconds(after.reauthenticate) > isoDurationSeconds(before.reauthenticate)
    ) {
        weakened.push(`re-authentication ${reauthenticationText(before.reauthenticate)} → ${reauthenticationText(after.reauthenticate)}`);
    }
    const [zonesBefore, zonesAfter] = [before.networkZones ?? [], after.networkZones ?? []];
    if (zonesBefore.length > 0 && (zonesAfter.length === 0 || zonesAfter.some((zone) => !zonesBefore.includes(zone)))) {
        weakened.push(`network ${networkText(before.networkZones)} → ${networkText(after.networkZones)}`);
    }
    for (const rule of before.rules) {
        const now = after.rules.find((r) => r.name === rule.name);
        if (rule.access === "DENY" && now?.access !== "DENY") {
            weakened.push(`rule ${rule.name} no longer denies${now ? "" : " (removed)"}`);
        } else if (rule.access === "ALLOW" && now?.access === "ALLOW") {
            if (rule.twoFactors && !now.twoFactors) {
                weakened.push(`rule ${rule.name} no longer requires two factors`);
            }
            if (rule.phishingResistant && !now.phishingResistant) {
                weakened.push(`rule ${rule.name} no longer requires a phishing-resistant factor`);
            }
        }
    }
    return weakened;
}

function signOnDiff(base: Plan, head: Plan): SignOnDiff {
    const [before, after] = [signOnOf(base), signOnOf(head)];
    const [stateBefore, stateAfter] = [signOnState(before), signOnState(after)];
    return {
        weakened: signOnWeakenings(before, after),
        changes: [
            ...valueChanges("settings", stateBefore.settings, stateAfter.settings),
            ...valueChanges("rules", stateBefore.rules, stateAfter.rules),
        ],
    };
}

/** An emergency role as the diff compares it: everything but its name, its rule without the priority the other rules decide. */
function emergencyState(view: EmergencyRoleView): Record<string, unknown> {
    const state = without(view, "role");
    return view.rule ? { ...state, rule: without(view.rule, "priority") } : state;
}

function emergencyDiff(base: Plan, head: Plan): EmergencyDiff {
    const before = new Map(emergencyRolesOf(base).map((view) => [view.role, view]));
    const after = new Map(emergencyRolesOf(head).map((view) => [view.role, view]));
    const changed = [...after.values()]
        .filter((view) => before.has(view.role))
        .map((view) => {
            const [was, now] = [emergencyState(before.get(view.role)!), emergencyState(view)];
            const fields = [...new Set([...Object.keys(was), ...Object.keys(now)])].sort();
            return { role: view.role, changes: fields.flatMap((field) => valueChanges(field, was[field], now[field])) };
        })
        .filter((change) => change.changes.length > 0);
    return {
        added: [...after.values()].filter((view) => !before.has(view.role)),
        removed: [...before.values()].filter((view) => !after.has(view.role)),
        changed,
    };
}

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === "object" && !Array.isArray(value);

/**
 * An output's changes by path, where every list compares as a set (`samlRolesByUser`,
 * `switchRoleLinks`): its entries added and removed, by value, so one insertion is one change and
 * never a replacement of every later entry. A value that is neither a list nor an object (or JSON
 * text holding one) compares whole.
 */
function outputValueChanges(input: string, before: unknown, after: unknown, at: (string | number)[] = []): ValueChange[] {
    if (Array.isArray(before) && Array.isArray(after)) {
        const [was, now] = [new Set(before.map((v) => JSON.stringify(v))), new Set(after.map((v) => JSON.stringify(v)))];
        const path = pathText(at, { quoteKeys: true });
        return [
            ...before.filter((v) => !now.has(JSON.stringify(v))).map((v) => ({ input, path, before: v as unknown, entry: true as const })),
            ...after.filter((v) => !was.has(JSON.stringify(v))).map((v) => ({ input, path, after: v as unknown, entry: true as const })),
        ];
    }
    if (isRecord(before) && isRecord(after)) {
        return [...new Set([...Object.keys(before), ...Object.keys(after)])]
            .sort(naturalOrder)
            .flatMap((key) => outputValueChanges(input, before[key], after[key], [...at, key]));
    }
    if (at.length === 0) {
        return valueChanges(input, before, after);
    }
    return JSON.stringify(before) === JSON.stringify(after)
        ? []
        : [
              {
                  input,
                  path: pathText(at, { quoteKeys: true }),
                  ...(before !== undefined && { before }),
                  ...(after !== undefined && { after }),
              },
          ];
}

/** Every output of a stack that differs, by path; a stack only one plan has compares with no outputs. */
function outputChanges(before: Record<string, unknown>, after: Record<string, unknown>): ValueChange[] {
    return [...new Set([...Object.keys(before), ...Object.keys(after)])]
        .sort()
        .flatMap((name) => outputValueChanges(name, before[name], after[name]));
}

/** Component and engine resources register nothing in AWS or Okta. */
const isCloudObject = (type: string) => !type.startsWith("okta-aws:") && !type.startsWith("pulumi:");

/**
 * What removing, replacing or updating `before` into `after` (absent: removed) leaves behind, by
 * the providers' semantics (components/providerBehaviour.ts); a type with no entry there is not
 * vouched for and says so. A clean-up input counts as the deployed state had it (`before`): the
 * provider deletes with the old state.
 */
function leftBehind(stack: string, before: PlannedResource, after: PlannedResource | undefined): LeftBehind | undefined {
    if (!isCloudObject(before.type)) {
        return undefined;
    }
    const behaviour = providerBehaviour[before.type];
    const differs = (input: string) => JSON.stringify(before.inputs[input]) !== JSON.stringify(after?.inputs[input]);
    if (!behaviour) {
        return after && resourceChanges(before, after).length === 0
            ? undefined
            : {
                  stack,
                  urn: before.urn,
                  change: after ? "updated" : "removed",
                  leaves: `not known: components/providerBehaviour.ts has no entry for ${before.type}`,
              };
    }
    const replaced = after !== undefined && behaviour.replacedBy.some(differs);
    if (!after || replaced) {
        const cleanedUp = behaviour.cleanedUpBy !== undefined && before.inputs[behaviour.cleanedUpBy] === true;
        return behaviour.deletionLeaves && !cleanedUp
            ? { stack, urn: before.urn, change: after ? "replaced" : "removed", leaves: behaviour.deletionLeaves }
            : undefined;
    }
    return behaviour.updateLeaves?.inputs.some(differs)
        ? { stack, urn: before.urn, change: "updated", leaves: behaviour.updateLeaves.what }
        : undefined;
}

/**
 * The access rows the head loses that Okta keeps: a team's group rule removed or replaced without
 * `removeAssignedUsers` leaves its members in the role groups it targeted, so a person who lost a
 * role through that team (`via` it) still holds it, unless the role group itself goes.
 */
function staysThroughGroupRules(base: Plan, head: Plan, left: LeftBehind[], lost: AccessRow[]): AccessRow[] {
    const groupName = (id: string) => {
        const object = base.oktaIds?.[id];
        return object?.kind === "group" ? object.name : undefined;
    };
    const roleGroupsOf = (plan: Plan) => Object.values(plan.stacks).find((stack) => stack.kind === "identity")?.outputs.roleGroups;
    const [baseRoleGroups, headRoleGroups] = [roleGroupsOf(base) ?? {}, new Set(Object.values(roleGroupsOf(head) ?? {}))];
    const kept = new Set<string>();
    const lostKeys = new Set(lost.map(grantedAccessKey));
    for (const { stack, urn } of left) {
        const rule = base.stacks[stack]?.resources.find((r) => r.urn === urn);
        if (rule?.type !== "okta:group/rule:Rule") {
            continue;
        }
        const team = groupName(/isMemberOfAnyGroup\("([^"]+)"\)/.exec(String(rule.inputs.expressionValue))?.[1] ?? "");
        const targets = new Set(((rule.inputs.groupAssignments ?? []) as string[]).map(groupName));
        for (const row of base.access.filter((r) => lostKeys.has(grantedAccessKey(r)))) {
            const roleGroup = baseRoleGroups[row.samlRole];
            if (team !== undefined && row.via === team && targets.has(roleGroup) && headRoleGroups.has(roleGroup)) {
                kept.add(grantedAccessKey(row));
            }
        }
    }
    return lost.filter((row) => kept.has(grantedAccessKey(row)));
}

/** What a type's physical name is called, for the messages. */
const typeWords = (type: string) => (/:([A-Za-z]+)$/.exec(type)?.[1] ?? type).replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();

/**
 * The changes of one stack that `pulumi up` could not deploy as planned, judged with the physical
 * names and lock-out reasons of components/providerBehaviour.ts. The engine creates a resource
 * under a new URN before it deletes the one the plan no longer has (deletes come last:
 * pulumi/pulumi pkg/resource/deploy/step_generator.go), so a physical name both hold is refused by
 * AWS (EntityAlreadyExists) or Okta. A replacement under the same URN that keeps an explicit name
 * is deleted first (pulumi-terraform-bridge pkg/tfbridge/provider.go Diff:
 * nameRequiresDeleteBeforeReplace), which is refused where the object is how people sign in.
 */
function deployFailures(stack: string, before: Map<string, PlannedResource>, after: Map<string, PlannedResource>): DeployFailure[] {
    const physical = (resource: PlannedResource) =>
        isCloudObject(resource.type) ? providerBehaviour[resource.type]?.physicalName?.(resource.inputs) : undefined;
    const failures: DeployFailure[] = [];
    const renamedFrom = new Set([...after.values()].flatMap((r) => r.aliases ?? []));
    const removed = [...before.values()].filter((r) => !after.has(r.urn) && !renamedFrom.has(r.urn));
    for (const added of [...after.values()].filter((r) => !before.has(r.urn) && !(r.aliases ?? []).some((urn) => before.has(urn)))) {
        const name = physical(added);
        const old = name === undefined ? undefined : removed.find((r) => r.type === added.type && physical(r) === name);
        if (name === undefined || !old || added.import !== undefined) {
            continue;
        }
        const what = typeWords(added.type);
        failures.push({
            stack,
            urn: added.urn,
            physicalName: name,
            why: `the ${what} ${name} is created under a new Pulumi name (${old.name} → ${added.name}) while the one of the same name still exists: Pulumi deletes ${old.name} only after every create, and ${added.type.startsWith("okta:") ? "Okta refuses a second" : "AWS refuses a second"} ${what} named ${name} (${added.type.startsWith("okta:") ? "E0000001: An object with this field already exists" : "EntityAlreadyExists"})`,
            wayOut: `give the ${what} a new name in the same change (the old one is deleted once the new one exists), or keep the names that derive its Pulumi name (${old.name})`,
        });
    }
    for (const [urn, now] of after) {
        const was = before.get(urn);
        const behaviour = providerBehaviour[now.type];
        const name = physical(now);
        if (!was || !behaviour || name === undefined || name !== physical(was)) {
            continue;
        }
        const replacedBy = behaviour.replacedBy.filter((input) => JSON.stringify(was.inputs[input]) !== JSON.stringify(now.inputs[input]));
        const locksOut = behaviour.deletingLocksOut?.(was.inputs);
        if (replacedBy.length > 0 && locksOut) {
            failures.push({
                stack,
                urn,
                physicalName: name,
                why: `changing ${replacedBy.join(", ")} replaces the ${typeWords(now.type)} ${name} under the same name, so the provider deletes it before it creates the new one: ${locksOut}`,
                wayOut: `give the new ${typeWords(now.type)} a name of its own (the old one is deleted once the new one exists), or leave ${replacedBy.join(", ")} as it was`,
            });
        }
    }
    return failures;
}

/** Paths added to access the base already gave, and paths removed from access the head still gives. */
function pathChanges(base: AccessRow[], head: AccessRow[]): { added: AccessRow[]; removed: AccessRow[] } {
    const [basePaths, headPaths] = [new Set(base.map(pathKey)), new Set(head.map(pathKey))];
    const [baseAccess, headAccess] = [new Set(base.map(grantedAccessKey)), new Set(head.map(grantedAccessKey))];
    return {
        added: head.filter((row) => !basePaths.has(pathKey(row)) && baseAccess.has(grantedAccessKey(row))),
        removed: base.filter((row) => !headPaths.has(pathKey(row)) && headAccess.has(grantedAccessKey(row))),
    };
}

/** The difference between two plans. Pure. */
export function diffPlans(base: Plan, head: Plan): AccessDiff {
    const names = { ...base.oktaIds, ...head.oktaIds };
    const baseAccess = new Map(base.access.map((row) => [grantedAccessKey(row), row]));
    const headAccess = new Map(head.access.map((row) => [grantedAccessKey(row), row]));
    const roleRanks = rolePermissionsOf(head);
    const rank = (row: AccessRow) => {
        const role = roleRanks.get(row.targetRoleArn);
        return privileges.indexOf(role?.privilege ?? "not known") * 2 + (role?.production ? 0 : 1);
    };
    // Array.prototype.sort is stable: within a rank, the plan's order.
    const gained = [...headAccess]
        .filter(([key]) => !baseAccess.has(key))
        .map(([, row]) => row)
        .sort((a, b) => rank(a) - rank(b));
    const lost = [...baseAccess].filter(([key]) => !headAccess.has(key)).map(([, row]) => row);

    const grants: GrantChanges = { trustWidened: [], trustNarrowed: [], trustChanged: [], permissionsAdded: [], permissionsRemoved: [] };
    const stacks: Record<string, StackDiff> = {};
    const left: LeftBehind[] = [];
    const failsToDeploy: DeployFailure[] = [];
    for (const stack of [...new Set([...Object.keys(base.stacks), ...Object.keys(head.stacks)])].sort(naturalOrder)) {
        const before = new Map((base.stacks[stack]?.resources ?? []).map((r) => [r.urn, r]));
        const after = new Map((head.stacks[stack]?.resources ?? []).map((r) => [r.urn, r]));
        const boundaries = {
            accountId: (head.stacks[stack] ?? base.stacks[stack]).accountId,
            keys: new Set([...boundaryKeys([...before.values()]), ...boundaryKeys([...after.values()])]),
        };
        for (const urn of [...new Set([...before.keys(), ...after.keys()])].sort()) {
            grantChanges(stack, before.get(urn), after.get(urn), grants, boundaries);
            const leaves = before.has(urn) ? leftBehind(stack, before.get(urn)!, after.get(urn)) : undefined;
            if (leaves) {
                left.push(leaves);
            }
        }
        failsToDeploy.push(...deployFailures(stack, before, after));
        const changed = [...after]
            .filter(([urn]) => before.has(urn))
            .map(([urn, resource]) => ({ urn, changes: resourceChanges(before.get(urn)!, resource).map((c) => withIds(c, names)) }))
            .filter((change) => change.changes.length > 0);
        // An adopted resource exists already: importing it is no addition, whatever the base planned.
        const adopted = [...after.values()]
            .filter((r) => r.import !== undefined && before.get(r.urn)?.import !== r.import)
            .map((r) => ({ urn: r.urn, import: r.import! }))
            .sort((a, b) => a.urn.localeCompare(b.urn));
        const adoptedUrns = new Set(adopted.map((a) => a.urn));
        const diff = {
            added: [...after.keys()].filter((urn) => !before.has(urn) && !adoptedUrns.has(urn)).sort(),
            removed: [...before.keys()].filter((urn) => !after.has(urn)).sort(),
            changed: changed.sort((a, b) => a.urn.localeCompare(b.urn)),
            adopted,
            outputs: outputChanges(base.stacks[stack]?.outputs ?? {}, head.stacks[stack]?.outputs ?? {}).map((c) => withIds(c, names)),
        };
        if (diff.added.length + diff.removed.length + diff.changed.length + diff.adopted.length + diff.outputs.length > 0) {
            stacks[stack] = diff;
        }
    }

    const staysAccess = staysThroughGroupRules(base, head, left, lost);
    const stays = new Set(staysAccess.map(grantedAccessKey));
    return {
        providerTargets: providerTargetChanges(base, head),
        failsToDeploy,
        risks: accessRisks(base, head, roleRanks, gained),
        gained,
        lost: lost.filter((row) => !stays.has(grantedAccessKey(row))),
        stays: { access: staysAccess, resources: left },
        signOn: signOnDiff(base, head),
        emergencyRoles: emergencyDiff(base, head),
        grants,
        stacks,
        ...([...base.access, ...head.access].some(isDirect) && {
            paths: pathChanges(base.access, head.access),
            directSessions: { base: directSessionsOf(base), head: directSessionsOf(head) },
        }),
    };
}
