// What each member role may do, as requests to put to IAM: one per vendored managed policy, and
// for every statement of the role's own documents the requests IAM would evaluate for it
// (./statementRequests.ts: an action on a resource of a type it applies to) — an Allow statement's
// expected allowed, or denied where the permissions boundary caps it; a Deny statement's expected
// denied where its condition holds for a federated session. Then an action the boundary keeps out
// although a policy allows it (denied), and actions of services no policy of the role is about
// (denied). What a statement grants nothing for is a finding, not a request. Decided once per role;
// every sign-in into the role puts the same requests, in its own session.
import * as crypto from "crypto";
import { IamStatement, nameText, readIamDocument } from "../../components/iamDocument";
import { accountRootArn, assumedRoleArn, policyNameOf } from "../../components/names";
import type { Federation, ManagedPolicyFixture, PlannedPolicy, VerifiedRole } from "./plannedFederation";
import { conditionText, Decision, Judge, SimulationRequest } from "./simulator";
import { SessionValues, Statement, statementRequests } from "./statementRequests";

/** One request in a member role and what IAM must decide, with why. */
export interface PermissionRequest {
    /** The action and resource; `sessionNameMarker` stands for the sign-in's session name. */
    action: string;
    resource: string;
    expected: Decision;
    why: string;
    /** The statement's condition the request was made for: named when the check fails. */
    condition?: Statement["Condition"];
    /** A resource policy the decision needs: the key policy KMS creates by default. */
    resourcePolicy?: object;
}

/** Something a statement of a role's own document does not do for a federated session, said once per role. */
export interface PermissionFinding {
    role: string;
    /** `<policy> <Sid or statement n>`. */
    statement: string;
    kind: "grants nothing" | "not checked" | "does not apply";
    text: string;
}

/** Stands for the session name in a role's requests until a sign-in's session puts its own in. */
export const sessionNameMarker = "{session-name}";

function statementsOf(document: object | undefined): IamStatement[] {
    return readIamDocument(document)?.statements ?? [];
}

/** A name that explains which document a request comes from. */
function policyLabel(policy: PlannedPolicy): string {
    return policyNameOf(policy.arn);
}

const statementLabel = (policy: PlannedPolicy, statement: IamStatement, i: number) =>
    `${policyLabel(policy)} ${(statement.written as Statement).Sid ?? `statement ${i + 1}`}`;

/**
 * A stand-in for the role's unique id (`AROA` and 17 characters, IAM User Guide, "IAM
 * identifiers: Unique identifiers"), derived from its ARN: the real one exists only once AWS
 * creates the role. `aws:userid` of an assumed-role session is `<role id>:<session name>`.
 */
function roleIdStandIn(roleArn: string): string {
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    const digest = crypto.createHash("sha256").update(roleArn).digest();
    return `AROA${[...digest.subarray(0, 17)].map((byte) => alphabet[byte % 32]).join("")}`;
}

/** What IAM substitutes for policy variables in a session of the role (the session name still a marker). */
function sessionValues(f: Federation, role: VerifiedRole): SessionValues {
    return {
        partition: f.partition,
        accountId: role.accountId,
        region: role.region,
        userId: `${roleIdStandIn(role.arn)}:${sessionNameMarker}`,
        // The sign-in sets its source identity (the login, which is also the session name) and it
        // persists through the switch into the member role (IAM User Guide, "Monitor and control
        // actions taken with assumed roles").
        sourceIdentity: f.sendsSourceIdentity ? sessionNameMarker : undefined,
        // Tags of the SAML session reach the member role's session only as transitive tags, which
        // the program does not set.
        principalTags: {},
    };
}

/**
 * The request context of a chained session in a member role (IAM User Guide, "AWS global
 * condition context keys"): who, from where, when; no `aws:username` (assumed roles have none), no
 * `aws:MultiFactorAuthPresent` (a SAML session carries no MFA key), `aws:SourceIdentity` only when
 * the sign-in sets one.
 */
export function sessionContext(
    role: VerifiedRole,
    sessionName: string,
    sourceIdentity: string | undefined,
    now: Date,
): Record<string, string> {
    return {
        "aws:PrincipalArn": role.arn,
        "aws:PrincipalAccount": role.accountId,
        "aws:PrincipalType": "AssumedRole",
        "aws:userid": `${roleIdStandIn(role.arn)}:${sessionName}`,
        "aws:RequestedRegion": role.region,
        "aws:SecureTransport": "true",
        "aws:ViaAWSService": "false",
        "aws:PrincipalIsAWSService": "false",
        "aws:CurrentTime": now.toISOString().replace(/\.\d+Z$/, "Z"),
        "aws:EpochTime": String(Math.floor(now.getTime() / 1000)),
        ...(sourceIdentity !== undefined && { "aws:SourceIdentity": sourceIdentity }),
    };
}

/**
 * The key policy KMS gives a key created without one: the account may grant it with IAM policies
 * (AWS KMS Developer Guide, "Default key policy",
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html).
 */
function defaultKeyPolicy(f: Federation, accountId: string): object {
    return {
        Version: "2012-10-17",
        Id: "key-default-1",
        Statement: [
            {
                Sid: "Enable IAM User Permissions",
                Effect: "Allow",
                Principal: { AWS: accountRootArn(f.partition, accountId) },
                Action: "kms:*",
                Resource: "*",
            },
        ],
    };
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
        for (const statement of statementsOf(policy.document).filter((s) => s.effect === "Allow")) {
            if (statement.actions?.not) return undefined;
            for (const action of (statement.actions?.values ?? []).map(nameText)) {
                if (!action.includes(":")) return undefined;
                services.add(action.split(":")[0].toLowerCase());
            }
        }
    }
    return [...services];
}

/** One request of a statement, before the boundary and the judge have their say. */
interface StatementRequest {
    action: string;
    resource: string;
    effect: "Allow" | "Deny";
    why: string;
    condition?: Statement["Condition"];
    resourcePolicy?: object;
    /** The statement the request was made for. */
    statement?: Statement;
}

/** The requests of every statement of the role's own documents, and what they grant nothing for. */
function ownStatementRequests(
    f: Federation,
    role: VerifiedRole,
    policy: PlannedPolicy,
): { requests: StatementRequest[]; findings: PermissionFinding[] } {
    const session = sessionValues(f, role);
    const requests: StatementRequest[] = [];
    const findings: PermissionFinding[] = [];
    statementsOf(policy.document).forEach((read, i) => {
        const label = statementLabel(policy, read, i);
        const statement = read.written as Statement;
        const analysis = statementRequests(statement, session);
        analysis.grantsNothing.forEach((text) => findings.push({ role: role.arn, statement: label, kind: "grants nothing", text }));
        for (const request of analysis.requests) {
            const account = request.resource.split(":")[4];
            if (account && /^\d{12}$/.test(account) && account !== role.accountId) {
                findings.push({
                    role: role.arn,
                    statement: label,
                    kind: "not checked",
                    text: `${request.action} on ${request.resource} is in account ${account}: IAM also needs that account's resource policy, which the plan does not hold`,
                });
                continue;
            }
            const kmsKey = request.action.toLowerCase().startsWith("kms:") && /:key\//.test(request.resource);
            requests.push({
                ...request,
                effect: statement.Effect === "Deny" ? "Deny" : "Allow",
                why: `${label}${kmsKey ? ", under KMS's default key policy" : ""}`,
                statement,
                ...(statement.Condition && { condition: statement.Condition }),
                ...(kmsKey && { resourcePolicy: defaultKeyPolicy(f, account || role.accountId) }),
            });
        }
    });
    return { requests, findings };
}

/** The same request as IAM would see it from a session of the role, under the given documents. */
function inRoleRequest(
    f: Federation,
    role: VerifiedRole,
    request: { action: string; resource: string; resourcePolicy?: object },
    documents: { document: object; name: string }[],
    now: Date,
    boundary?: object,
): SimulationRequest {
    const sessionName = "okta-aws-verification";
    const named = (text: string) => text.replaceAll(sessionNameMarker, sessionName);
    return {
        principal: assumedRoleArn(f.partition, role.accountId, role.name, sessionName),
        action: request.action,
        resource: named(request.resource),
        accountId: role.accountId,
        context: sessionContext(role, sessionName, f.sendsSourceIdentity ? sessionName : undefined, now),
        allowUnusedContext: true,
        identityPolicies: documents.map((d) => d.document),
        policyNames: documents.map((d) => d.name),
        ...(request.resourcePolicy && { resourcePolicy: request.resourcePolicy }),
        ...(boundary && { permissionsBoundary: boundary }),
    };
}

/** A request of a service no policy of the role is about, for roles whose policies are about known services. */
const outsideProbe = (f: Federation, role: VerifiedRole) => ({
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

/** The documents of a role, by name. */
const documentsOf = (role: VerifiedRole) =>
    role.policies.filter((p) => p.document).map((p) => ({ document: p.document!, name: policyLabel(p) }));

/** A statement's requests with the boundary and the statement's own condition taken into account. */
async function judgedRequests(
    f: Federation,
    judge: Judge,
    role: VerifiedRole,
    own: StatementRequest[],
    now: Date,
): Promise<{ requests: PermissionRequest[]; findings: PermissionFinding[]; capped: boolean }> {
    const boundary = role.boundary?.document;
    const requests: PermissionRequest[] = [];
    const findings: PermissionFinding[] = [];
    let capped = false;
    for (const request of own) {
        const attempt = async <T>(decide: () => Promise<T>): Promise<T | undefined> => {
            try {
                return await decide();
            } catch (error) {
                findings.push({ role: role.arn, statement: request.why, kind: "not checked", text: (error as Error).message });
                return undefined;
            }
        };
        if (request.effect === "Deny") {
            // Whether the Deny's condition holds in a federated session: the statement alone, beside an allow of everything.
            const alone = {
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }, request.statement],
            };
            const applies = await attempt(() => judge.simulate(inRoleRequest(f, role, request, [{ document: alone, name: "alone" }], now)));
            if (applies === undefined) continue;
            if (applies.decision === "allowed") {
                // Said once per statement: its condition is the same for each of its requests.
                if (findings.some((f) => f.statement === request.why && f.kind === "does not apply")) continue;
                findings.push({
                    role: role.arn,
                    statement: request.why,
                    kind: "does not apply",
                    text: `the Deny (${request.action} on ${request.resource}, and the like) does not apply to a federated session's request${conditionText(request.condition, inRoleRequest(f, role, request, [], now).context)}`,
                });
                continue;
            }
            requests.push({
                action: request.action,
                resource: request.resource,
                expected: "denied",
                why: `denied by ${request.why}`,
                ...(request.resourcePolicy && { resourcePolicy: request.resourcePolicy }),
            });
            continue;
        }
        // What the boundary keeps out, the role cannot do whatever its policies say.
        const byBoundary = boundary
            ? await attempt(() => judge.simulate(inRoleRequest(f, role, request, [{ document: boundary, name: "boundary" }], now)))
            : { decision: "allowed" as const };
        if (byBoundary === undefined) continue;
        // A request the judge cannot put is a finding, not a crash.
        if ((await attempt(() => judge.simulate(inRoleRequest(f, role, request, documentsOf(role), now, boundary)))) === undefined)
            continue;
        const inBoundary = byBoundary.decision === "allowed";
        capped ||= !inBoundary;
        requests.push({
            action: request.action,
            resource: request.resource,
            expected: inBoundary ? "allowed" : "denied",
            why: inBoundary ? request.why : `${request.why}, outside the boundary ${policyLabel(role.boundary!)}`,
            ...(request.condition && { condition: request.condition }),
            ...(request.resourcePolicy && { resourcePolicy: request.resourcePolicy }),
        });
    }
    return { requests, findings, capped };
}

/**
 * An action some Allow statement of the role allows and its boundary does not: the boundary at
 * work. Tried over every Allow statement's requests, in document order.
 */
async function cappedAction(
    f: Federation,
    judge: Judge,
    role: VerifiedRole,
    own: StatementRequest[],
    now: Date,
): Promise<PermissionRequest | undefined> {
    const boundary = role.boundary!.document!;
    for (const request of own.filter((r) => r.effect === "Allow" && r.condition === undefined)) {
        try {
            const [byPolicies, byBoundary] = await Promise.all([
                judge.simulate(inRoleRequest(f, role, request, documentsOf(role), now)),
                judge.simulate(inRoleRequest(f, role, request, [{ document: boundary, name: "boundary" }], now)),
            ]);
            if (byPolicies.decision === "allowed" && byBoundary.decision === "denied") {
                return {
                    action: request.action,
                    resource: request.resource,
                    expected: "denied",
                    why: `allowed by ${request.why.split(" ")[0]}, outside the boundary ${policyLabel(role.boundary!)}`,
                };
            }
        } catch {
            // Reported with the statement's own requests.
        }
    }
    return undefined;
}

/** The permission requests of every member role and the findings of their documents, decided once per role for the whole run. */
export function permissionRequestsOf(
    f: Federation,
    judge: Judge,
    now: Date,
): { requestsOf: (role: VerifiedRole) => Promise<PermissionRequest[]>; findingsOf: (role: VerifiedRole) => Promise<PermissionFinding[]> } {
    const otherServices = distinctFixtures(f);
    const byRole = new Map<string, Promise<{ requests: PermissionRequest[]; findings: PermissionFinding[] }>>();

    async function decide(role: VerifiedRole): Promise<{ requests: PermissionRequest[]; findings: PermissionFinding[] }> {
        const fixtures: StatementRequest[] = role.policies
            .filter((p) => p.fixture)
            .map((p) => ({ ...p.fixture!.check, effect: "Allow", why: policyLabel(p) }));
        const own = role.policies.filter((p) => p.own).map((p) => ownStatementRequests(f, role, p));
        const ownRequests = own.flatMap((o) => o.requests);
        const judged = await judgedRequests(f, judge, role, [...fixtures, ...ownRequests], now);
        const requests = judged.requests;
        if (role.boundary?.document && !judged.capped) {
            // Candidates from every attached document, the vendored AWS ones included.
            const candidates = role.policies
                .filter((p) => p.document)
                .flatMap((p) => (p.own ? own[role.policies.filter((q) => q.own).indexOf(p)] : ownStatementRequests(f, role, p)).requests);
            const cap = await cappedAction(f, judge, role, candidates, now);
            if (cap) requests.push(cap);
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
        return { requests, findings: [...own.flatMap((o) => o.findings), ...judged.findings] };
    }

    const decided = (role: VerifiedRole) => {
        let result = byRole.get(role.arn);
        if (!result) {
            result = decide(role);
            byRole.set(role.arn, result);
        }
        return result;
    };
    return {
        requestsOf: async (role) => (await decided(role)).requests,
        findingsOf: async (role) => (await decided(role)).findings,
    };
}
