// The access diff between two plans, as data: who gains or loses which role in which account,
// which trust and permission documents widened or narrowed, then every resource added, removed and
// changed and every output changed per stack, value by value (JSON documents by path, with
// microdiff: maintained, dependency-free, and it reports paths and both values, which is what a
// reviewer reads). Okta ids in a changed value come with what they stand for.
import microdiff from "microdiff";
import type { AccessRow, Plan, PlannedResource } from "../plan/model";
import { grantChange, grantsOf } from "./grants";
import { jsonDocument } from "../shared/json";

/** One changed value, in full: an input, or a path inside an input that holds a JSON document. */
export interface ValueChange {
    input: string;
    /** Where inside the input's document (`Statement[0].Condition.ArnEquals.aws:PrincipalArn`); "" for the whole input. */
    path: string;
    /** Absent when the value was not there before; secrets stay "[secret]". */
    before?: unknown;
    /** Absent when the value is gone. */
    after?: unknown;
    /** The Okta ids in either value and what each stands for (`Okta user jane@acmecorp.me`): an id alone tells a reviewer nothing. */
    ids?: Record<string, string>;
}

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

export interface AccessDiff {
    gained: AccessRow[];
    lost: AccessRow[];
    grants: GrantChanges;
    stacks: Record<string, StackDiff>;
}

/**
 * What an access row grants, regardless of the ARN of the federated role it goes through and of
 * the group it comes by: a person who keeps a role by another path keeps their access.
 */
function accessKey(row: AccessRow): string {
    return JSON.stringify([
        row.principal,
        row.principalType,
        row.samlRole,
        row.targetAccountId,
        row.targetRoleArn,
        [...row.policyArns].sort(),
    ]);
}

/** `Statement[0].Condition.ArnEquals.aws:PrincipalArn`; keys that would read ambiguously are quoted. */
function pathText(path: (string | number)[]): string {
    return path
        .map((part, i) =>
            typeof part === "number" ? `[${part}]` : /^[^.[\]\s"]+$/.test(part) ? `${i ? "." : ""}${part}` : `[${JSON.stringify(part)}]`,
        )
        .join("");
}

/** The inputs that differ, diffed by path (microdiff) where both sides are structured or JSON documents. */
export function valueChanges(input: string, before: unknown, after: unknown): ValueChange[] {
    const structured = (value: unknown) => jsonDocument(value) ?? (value !== null && typeof value === "object" ? value : undefined);
    const [beforeDocument, afterDocument] = [structured(before), structured(after)];
    if (beforeDocument && afterDocument && Array.isArray(beforeDocument) === Array.isArray(afterDocument)) {
        return microdiff(beforeDocument as Record<string, unknown>, afterDocument as Record<string, unknown>).map((d) => ({
            input,
            path: pathText(d.path),
            ...(d.type !== "CREATE" && { before: d.oldValue as unknown }),
            ...(d.type !== "REMOVE" && { after: d.value as unknown }),
        }));
    }
    return JSON.stringify(before) === JSON.stringify(after)
        ? []
        : [{ input, path: "", ...(before !== undefined && { before }), ...(after !== undefined && { after }) }];
}

/**
 * Okta ids as Okta makes them: a three-character type prefix (`00u` users, `00g` groups, `0oa`
 * apps, `0pr` group rules) and 17 letters and digits.
 */
const oktaIdPattern = /\b0[0-9a-z]{2}[A-Za-z0-9]{17}\b/g;

/** The change with the Okta ids its values hold, named. */
function withIds(change: ValueChange, names: Record<string, string>): ValueChange {
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

/** How one resource's trust or permissions changed; an added or removed resource against nothing. */
function grantChanges(stack: string, before: PlannedResource | undefined, after: PlannedResource | undefined, into: GrantChanges): void {
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
    const change = permissions
        ? grantChange(grants(before, permissions), grants(after, permissions))
        : attachmentTypes.has(resource.type) && JSON.stringify(before?.inputs) !== JSON.stringify(after?.inputs)
          ? before && after
              ? "changed"
              : after
                ? "widened"
                : "narrowed"
          : undefined;
    if (change === "widened" || change === "changed") {
        into.permissionsAdded.push(label);
    }
    if (change === "narrowed" || change === "changed") {
        into.permissionsRemoved.push(label);
    }
}

/** Every output of a stack that differs, by path; a stack only one plan has compares with no outputs. */
function outputChanges(before: Record<string, unknown>, after: Record<string, unknown>): ValueChange[] {
    return [...new Set([...Object.keys(before), ...Object.keys(after)])]
        .sort()
        .flatMap((name) => valueChanges(name, before[name], after[name]));
}

/** The difference between two plans. Pure. */
export function diffPlans(base: Plan, head: Plan): AccessDiff {
    const names = { ...base.oktaIds, ...head.oktaIds };
    const baseAccess = new Map(base.access.map((row) => [accessKey(row), row]));
    const headAccess = new Map(head.access.map((row) => [accessKey(row), row]));
    const gained = [...headAccess].filter(([key]) => !baseAccess.has(key)).map(([, row]) => row);
    const lost = [...baseAccess].filter(([key]) => !headAccess.has(key)).map(([, row]) => row);

    const grants: GrantChanges = { trustWidened: [], trustNarrowed: [], trustChanged: [], permissionsAdded: [], permissionsRemoved: [] };
    const stacks: Record<string, StackDiff> = {};
    for (const stack of [...new Set([...Object.keys(base.stacks), ...Object.keys(head.stacks)])].sort()) {
        const before = new Map((base.stacks[stack]?.resources ?? []).map((r) => [r.urn, r]));
        const after = new Map((head.stacks[stack]?.resources ?? []).map((r) => [r.urn, r]));
        for (const urn of [...new Set([...before.keys(), ...after.keys()])].sort()) {
            grantChanges(stack, before.get(urn), after.get(urn), grants);
        }
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

    return { gained, lost, grants, stacks };
}
