// The offline proof of every sign-in: the AWS app's sign-on policy judged as Okta evaluates it
// (./signOn.ts), xml-crypto signs as Okta and samlify judges as AWS sign-in (./saml.ts);
// iam-simulate plays IAM (./simulator.ts) for the trust policies, the switch into each member role
// and what each member role may do (./permissionRequests.ts); negative paths must be denied. The
// work is linear: per sign-in, its sign-on, one exact check of its role pairs and the chain of
// each of its own roles; per role, a fixed number of negative paths.
import { awsSessionNameLimit } from "../../components/awsSignInLimits";
import { assumedRoleArn, awsSamlSignInUrl, iamNameCharacter, policyNameOf, roleArn, roleNameOf } from "../../components/names";
import type { Plan } from "../plan/model";
import { Federation, federationOf, SignInPathModel, VerifiedRole } from "./plannedFederation";
import { PermissionFinding, PermissionRequest, permissionRequestsOf, sessionContext, sessionNameMarker } from "./permissionRequests";
import { issueLoginResponse, VerifiedSignIn, verifyLoginResponse } from "./saml";
import { mapInOrder } from "../shared/concurrency";
import { SignInRunner, signInRunner } from "./signInPool";
import type { RoundTrip } from "./signInWorker";
import { Authenticator, evaluateSignOn, oktaVerifyPush, password, securityKey } from "./signOn";
import { Check, conditionText, Decision, Expectation, Judge } from "./simulator";

/** Receives each check as it is decided, so a large organisation is never held in memory. */
export type CheckSink = (check: Check) => void;

/** Receives what a statement of a member role's own documents grants nothing for (or could not be checked), once per role. */
export type FindingSink = (finding: PermissionFinding) => void;

type PermissionRequests = (role: VerifiedRole) => Promise<PermissionRequest[]>;

/** A person (or a group's member) Okta signs in, with the SAML roles Okta sends them. */
interface SignIn {
    login: string;
    samlRoles: string[];
    /** The Okta groups (by name) the person is in, as far as the plan knows. */
    groups: string[];
    /** A stand-in for whoever Okta holds in a group, not a person of the plan. */
    standIn: boolean;
}

/** A session name AWS accepts for a group's stand-in member: its characters, at most 64 of them. */
const standInLogin = (group: string) =>
    `member-of-${group.replace(new RegExp(`(?!${iamNameCharacter}).`, "gu"), "-")}`.slice(0, awsSessionNameLimit);

/**
 * Everyone Okta signs in, from the plan's access rows: each person by login with every role that
 * reaches them (their own and their groups'), a stand-in member of every group for whoever else
 * Okta holds in it, and one of each emergency role's empty group for whoever an Okta admin adds
 * at the moment of need.
 */
function signInsOf(f: Federation): SignIn[] {
    const signIns = new Map<string, SignIn>();
    const add = (login: string, samlRole: string, groups: string[], standIn: boolean) => {
        const signIn = signIns.get(login) ?? { login, samlRoles: [], groups: [], standIn };
        signIn.samlRoles = [...new Set([...signIn.samlRoles, samlRole])].sort();
        signIn.groups = [...new Set([...signIn.groups, ...groups])].sort();
        signIns.set(login, signIn);
    };
    for (const row of f.plan.access) {
        if (row.principalType === "user") {
            add(row.principal, row.samlRole, row.via === undefined ? [] : [row.via], false);
        } else {
            add(standInLogin(row.principal), row.samlRole, [row.principal], true);
        }
    }
    for (const [samlRole, group] of Object.entries(f.emergencyGroups).sort(([a], [b]) => a.localeCompare(b))) {
        add(standInLogin(group), samlRole, [group], true);
    }
    const all = [...signIns.values()];
    return [...all.filter((s) => !s.standIn), ...all.filter((s) => s.standIn)];
}

/**
 * The app's sign-on policy for one sign-in, judged as Okta evaluates it: one factor is refused,
 * two are accepted when they meet what the configuration asks (a phishing-resistant one for the
 * `phishingResistant` assurance and for every emergency role), and with network zones a sign-in
 * from outside them is refused. Nothing is checked when the configuration opts out of the policy
 * (`okta-aws:signOnPolicy: false`): the reports say that no MFA is enforced by this program.
 */
function signOnChecks(f: Federation, { login, samlRoles, groups, standIn }: SignIn): Check[] {
    const promise = f.signOnPromise;
    if (!promise?.enforced) {
        return [];
    }
    const emergency = samlRoles.some((role) => Object.hasOwn(f.emergencyGroups, role));
    const phishingResistant = promise.assurance === "phishingResistant" || emergency;
    const zones = promise.networkZones ?? [];
    const attempt = {
        userId: standIn ? undefined : f.oktaIdOf("user", login),
        groupIds: groups.map((group) => f.oktaIdOf("group", group) ?? `(no Okta id for group ${group})`),
        zone: zones[0],
    };
    const cases: { what: string; authenticators: Authenticator[]; zone?: string; expected: Decision }[] = [
        { what: "password only", authenticators: [password], zone: attempt.zone, expected: "denied" },
        {
            what: `password + ${oktaVerifyPush.name}`,
            authenticators: [password, oktaVerifyPush],
            zone: attempt.zone,
            expected: phishingResistant ? "denied" : "allowed",
        },
        { what: `password + ${securityKey.name}`, authenticators: [password, securityKey], zone: attempt.zone, expected: "allowed" },
        ...(zones.length > 0
            ? [
                  {
                      what: `password + ${securityKey.name}, from outside network zones ${zones.join(", ")}`,
                      authenticators: [password, securityKey],
                      zone: undefined,
                      expected: "denied" as const,
                  },
              ]
            : []),
    ];
    return cases.map(({ what, authenticators, zone, expected }) => {
        const { decision, reason } = f.signOnPolicy
            ? evaluateSignOn(f.signOnPolicy, { ...attempt, zone, authenticators })
            : { decision: "allowed" as const, reason: "the AWS app names no authentication policy: Okta's default policy applies" };
        return {
            subject: login,
            samlRole: samlRoles.join(", "),
            step: "Okta sign-on",
            request: `${what}${zone && zones.length > 1 ? ` (zone ${zone})` : ""}`,
            expected,
            actual: decision,
            reason: `Okta: ${reason}`,
        };
    });
}

/**
 * Runs the whole verification of a plan, handing each check to `sink` as it is decided, and what
 * the member roles' own statements grant nothing for to `findingSink`.
 */
export async function verifyPlanInto(
    plan: Plan,
    idpPrivateKeyPem: string,
    sink: CheckSink,
    findingSink: FindingSink = () => {},
): Promise<void> {
    const f = federationOf(plan, idpPrivateKeyPem);
    const judge = new Judge();
    // One moment for the whole run: aws:CurrentTime is the same in every request, so identical requests share a decision.
    const now = new Date();
    const permissions = permissionRequestsOf(f, judge, now);
    const permissionRequests: PermissionRequests = permissions.requestsOf;
    // Sign-ins are independent; a few at a time keep every core busy without holding thousands
    // of responses in memory.
    const signIns = signInsOf(f);
    const runner = signInRunner(signIns.length, f.metadata, f.idpPrivateKeyPem, f.providerMetadata);
    const signInsChecked = mapInOrder(
        signIns,
        runner.concurrency,
        (signIn) => signInChecks(f, judge, runner, permissionRequests, signIn, now),
        (checks) => checks.forEach(sink),
    ).finally(() => runner.close());
    // The negative paths (a fixed number per role) are decided on this thread while the workers
    // sign in, and reported after the sign-ins.
    const [, negatives] = await Promise.all([signInsChecked, negativePaths(f, judge)]);
    negatives.forEach(sink);
    const targets = [...new Map(f.samlRoles.map((samlRole) => [f.targetOf(samlRole).arn, f.targetOf(samlRole)])).values()];
    for (const target of targets.sort((a, b) => a.arn.localeCompare(b.arn))) {
        (await permissions.findingsOf(target)).forEach(findingSink);
    }
}

/** Runs the whole verification of a plan. `idpPrivateKeyPem` is the key behind the mocked app metadata. */
export async function verifyPlan(plan: Plan, idpPrivateKeyPem: string): Promise<Check[]> {
    return (await verifyPlanWithFindings(plan, idpPrivateKeyPem)).checks;
}

/** The whole verification of a plan: its checks and the findings of the member roles' own documents. */
export async function verifyPlanWithFindings(
    plan: Plan,
    idpPrivateKeyPem: string,
): Promise<{ checks: Check[]; findings: PermissionFinding[] }> {
    const checks: Check[] = [];
    const findings: PermissionFinding[] = [];
    await verifyPlanInto(
        plan,
        idpPrivateKeyPem,
        (check) => checks.push(check),
        (finding) => findings.push(finding),
    );
    return { checks, findings };
}

/** One sign-in: the exact role pairs of the verified assertion, then the chain of each own role. */
async function signInChecks(
    f: Federation,
    judge: Judge,
    runner: SignInRunner,
    permissionRequests: PermissionRequests,
    signInOf: SignIn,
    now: Date,
): Promise<Check[]> {
    const { login, samlRoles } = signInOf;
    const signOn = signOnChecks(f, signInOf);
    // What AWS must see: the plan's own provider and role ARNs, not the role value pattern's output;
    // one pair per path (a migration's deploy has both).
    const paths = samlRoles.flatMap((samlRole) => f.pathsOf(samlRole).map((path) => ({ samlRole, ...path })));
    const expected = paths.map((path) => `${path.providerArn},${path.roleArn}`).sort();
    const directProviders = [...new Set(paths.filter((path) => path.kind === "direct").map((path) => path.providerArn))].sort();
    // The attributes Okta sends, from the planned app: SourceIdentity and session tags only where declared.
    const roundTrip = await runner.roundTrip(
        {
            login,
            roleValues: paths.map((path) => path.roleValue),
            sessionDuration: f.sessionDuration,
            ...(f.sendsSourceIdentity && { sourceIdentity: login }),
            ...(f.sessionTags && { principalTags: f.principalTagsOf(login) }),
        },
        directProviders,
    );
    if ("refused" in roundTrip) {
        // A sign-in AWS would refuse (too large, a session name it rejects) fails its check, not the run.
        return [
            ...signOn,
            {
                subject: login,
                samlRole: samlRoles.join(", "),
                step: "SAML sign-in",
                request: `Role pairs exactly {${expected.join("; ")}}`,
                expected: "allowed",
                actual: "denied",
                reason: `AWS refuses the sign-in: ${roundTrip.refused}`,
            },
        ];
    }
    const { signIn } = roundTrip;
    const actual = signIn.roles.map((pair) => `${pair.providerArn},${pair.roleArn}`).sort();
    const exact = JSON.stringify(expected) === JSON.stringify(actual);
    const checks: Check[] = [
        ...signOn,
        {
            subject: login,
            samlRole: samlRoles.join(", "),
            step: "SAML sign-in",
            request: `Role pairs exactly {${expected.join("; ")}}`,
            expected: "allowed",
            actual: exact ? "allowed" : "denied",
            reason: exact
                ? "samlify: signature valid, exactly these role pairs in the assertion"
                : `the verified assertion carries {${actual.join("; ")}}`,
        },
    ];
    if (!exact) {
        return checks;
    }
    const personValues = [login, signIn.roleSessionName, ...(signIn.sourceIdentity === undefined ? [] : [signIn.sourceIdentity])];
    const tags = Object.entries(signIn.principalTags);
    for (const pair of signIn.roles) {
        const path = paths.find((p) => p.providerArn === pair.providerArn && p.roleArn === pair.roleArn)!;
        if (path.kind === "direct") {
            checks.push(...(await directSignInChecks(f, judge, permissionRequests, { login, path, signIn, roundTrip, now })));
            continue;
        }
        const samlRole = path.samlRole;
        const federated = f.roles.get(pair.roleArn)!;
        checks.push(
            await judge.judge(
                {
                    subject: login,
                    samlRole,
                    step: "AssumeRoleWithSAML",
                    request: `sts:AssumeRoleWithSAML${signIn.sourceIdentity === undefined ? "" : " + sts:SetSourceIdentity"}${tags.length > 0 ? " + sts:TagSession" : ""} ${pair.roleArn}`,
                    expected: "allowed",
                },
                ...samlAssumeRequests(pair.providerArn, federated, signIn, signIn.recipient, personValues),
            ),
        );

        const target = f.targetOf(samlRole);
        const fromSession = {
            principal: assumedRoleArn(f.partition, f.identityAccountId, samlRole, signIn.roleSessionName),
            resource: target.arn,
            accountId: target.accountId,
            identityPolicies: federated.policies.map((p) => p.document!),
            resourcePolicy: target.trust,
            personValues,
        };
        checks.push(
            await judge.judge(
                {
                    subject: login,
                    samlRole,
                    step: "AssumeRole",
                    request: `sts:AssumeRole${signIn.sourceIdentity === undefined ? "" : " + sts:SetSourceIdentity"} ${target.arn}`,
                    expected: "allowed",
                },
                { ...fromSession, action: "sts:AssumeRole", context: { "aws:PrincipalArn": federated.arn } },
                // A source identity, once set, goes with every role the session switches into.
                ...(signIn.sourceIdentity === undefined
                    ? []
                    : [
                          {
                              ...fromSession,
                              action: "sts:SetSourceIdentity",
                              context: { "aws:PrincipalArn": federated.arn, "sts:SourceIdentity": signIn.sourceIdentity },
                          },
                      ]),
            ),
        );
        checks.push(...(await permissionChecks(f, judge, permissionRequests, { subject: login, samlRole, target, signIn, now })));
    }
    return checks;
}

/**
 * A direct path of one sign-in (okta-aws:signIn direct): the member account's own provider accepts
 * the response (samlify against the metadata the plan gives that provider), the app's SessionDuration
 * is within the member role's maximum, and the member role's trust admits sts:AssumeRoleWithSAML
 * (with SetSourceIdentity and TagSession where Okta sends them); then the role's permissions.
 */
async function directSignInChecks(
    f: Federation,
    judge: Judge,
    permissionRequests: PermissionRequests,
    session: {
        login: string;
        path: SignInPathModel & { samlRole: string };
        signIn: VerifiedSignIn;
        roundTrip: Extract<RoundTrip, { signIn: VerifiedSignIn }>;
        now: Date;
    },
): Promise<Check[]> {
    const { login, path, signIn, roundTrip, now } = session;
    const target = f.roles.get(path.roleArn)!;
    const accepted = roundTrip.providers?.[path.providerArn];
    const request = `sts:AssumeRoleWithSAML${signIn.sourceIdentity === undefined ? "" : " + sts:SetSourceIdentity"}${Object.keys(signIn.principalTags).length > 0 ? " + sts:TagSession" : ""} ${path.roleArn} through ${path.providerArn}`;
    const expectation: Expectation = { subject: login, samlRole: path.samlRole, step: "AssumeRoleWithSAML", request, expected: "allowed" };
    if (accepted !== true) {
        return [
            {
                ...expectation,
                actual: "denied",
                reason: `samlify against ${path.providerArn}'s planned metadata: ${accepted ?? "not checked"}`,
            },
        ];
    }
    const overLong = sessionDurationRefusal(signIn.sessionDuration ?? f.sessionDuration, target);
    if (overLong) {
        return [{ ...expectation, actual: "denied", reason: overLong }];
    }
    const check = await judge.judge(expectation, ...samlAssumeRequests(path.providerArn, target, signIn, signIn.recipient));
    return [
        check,
        ...(await permissionChecks(f, judge, permissionRequests, { subject: login, samlRole: path.samlRole, target, signIn, now })),
    ];
}

/**
 * AWS's own rule for a SAML sign-in's session: "the value can range from 900 seconds up to the
 * maximum session duration setting for the role" (IAM User Guide, "Configure SAML assertions for
 * the authentication response"); a longer SessionDuration is refused. Undefined: within it.
 */
function sessionDurationRefusal(sessionDuration: number, role: VerifiedRole): string | undefined {
    return sessionDuration > role.maxSessionDuration
        ? `SessionDuration ${sessionDuration} s exceeds the role's maximum session of ${role.maxSessionDuration} s: AWS refuses the sign-in`
        : undefined;
}

/** The requests a SAML sign-in into `role` through `providerArn` makes of its trust, as AWS asks them. */
function samlAssumeRequests(
    providerArn: string,
    role: VerifiedRole,
    signIn: Pick<VerifiedSignIn, "sourceIdentity" | "principalTags" | "roleSessionName">,
    audience: string,
    personValues = [signIn.roleSessionName, ...(signIn.sourceIdentity === undefined ? [] : [signIn.sourceIdentity])],
) {
    const fromProvider = {
        principal: providerArn,
        resource: role.arn,
        accountId: role.accountId,
        identityPolicies: [],
        resourcePolicy: role.trust,
        personValues,
    };
    const tags = Object.entries(signIn.principalTags);
    return [
        { ...fromProvider, action: "sts:AssumeRoleWithSAML", context: { "saml:aud": audience } },
        // AWS asks for sts:SetSourceIdentity only when the response carries the attribute;
        // PrincipalTag attributes make the sign-in tag its session.
        ...(signIn.sourceIdentity === undefined
            ? []
            : [{ ...fromProvider, action: "sts:SetSourceIdentity", context: { "sts:SourceIdentity": signIn.sourceIdentity } }]),
        ...(tags.length > 0
            ? [
                  {
                      ...fromProvider,
                      action: "sts:TagSession",
                      context: Object.fromEntries(tags.map(([key, value]) => [`aws:RequestTag/${key}`, value])),
                  },
              ]
            : []),
    ];
}

/** In the member role, from this sign-in's session: the role's permission requests (./permissionRequests.ts). */
async function permissionChecks(
    f: Federation,
    judge: Judge,
    permissionRequests: PermissionRequests,
    session: { subject: string; samlRole: string; target: VerifiedRole; signIn: VerifiedSignIn; now: Date },
): Promise<Check[]> {
    const { subject, samlRole, target, signIn, now } = session;
    const sessionName = signIn.roleSessionName;
    const named = (text: string) => text.replaceAll(sessionNameMarker, sessionName);
    const context = sessionContext(target, sessionName, signIn.sourceIdentity, now);
    const documents = target.policies.filter((p) => p.document);
    const checks: Check[] = [];
    for (const request of await permissionRequests(target)) {
        const resource = named(request.resource);
        const check = await judge.judge(
            {
                subject,
                samlRole,
                step: "permission",
                request: `${request.action} ${resource} (${request.why})`,
                expected: request.expected,
            },
            {
                principal: assumedRoleArn(f.partition, target.accountId, target.name, sessionName),
                action: request.action,
                resource,
                accountId: target.accountId,
                // What AWS puts in every request of the session, whatever the documents read.
                context,
                allowUnusedContext: true,
                identityPolicies: documents.map((p) => p.document!),
                policyNames: documents.map((p) => policyNameOf(p.arn)),
                ...(target.boundary?.document && { permissionsBoundary: target.boundary.document }),
                ...(request.resourcePolicy && { resourcePolicy: request.resourcePolicy }),
                personValues: [subject, sessionName],
            },
        );
        // A statement allowed under a condition the session does not meet: say which keys it read.
        const unmet = check.actual !== check.expected && request.condition && check.expected === "allowed";
        checks.push(
            unmet
                ? {
                      ...check,
                      reason: `${check.reason}; ${request.why} allows it only under its condition${conditionText(request.condition, context)}`,
                  }
                : check,
        );
    }
    return checks;
}

/**
 * Attacks on each role people sign in to directly, all expected denied: a sign-in through another
 * account's provider (the identity account's, and another direct member's), an assertion for
 * another audience, a SessionDuration over the role's maximum, and an assertion edited to claim a
 * role its person does not hold, which the role's own provider must refuse.
 */
async function directNegativePaths(f: Federation, judge: Judge, attacker: string): Promise<Check[]> {
    const direct = f.samlRoles.flatMap((samlRole) =>
        f
            .pathsOf(samlRole)
            .filter((path) => path.kind === "direct")
            .map((path) => ({ samlRole, ...path })),
    );
    const checks: Check[] = [];
    const providers = [...new Set(direct.map((path) => path.providerArn))].sort();
    const sessionOf = { roleSessionName: attacker, principalTags: {} };
    for (const [i, path] of direct.entries()) {
        const role = f.roles.get(path.roleArn)!;
        const expectation = {
            subject: attacker,
            samlRole: path.samlRole,
            step: "AssumeRoleWithSAML" as const,
            expected: "denied" as const,
        };
        const otherMember = providers.find((arn) => arn !== path.providerArn);
        for (const other of [f.providerArn, ...(otherMember ? [otherMember] : [])]) {
            checks.push(
                await judge.judge(
                    { ...expectation, request: `${path.roleArn} from another account's provider ${other}` },
                    ...samlAssumeRequests(other, role, sessionOf, awsSamlSignInUrl).slice(0, 1),
                ),
            );
        }
        checks.push(
            await judge.judge(
                { ...expectation, request: `${path.roleArn} with SAML:aud https://example.com/saml` },
                ...samlAssumeRequests(path.providerArn, role, sessionOf, "https://example.com/saml").slice(0, 1),
            ),
        );
        // A genuine response through this role's own provider, asking for a session one second over its maximum.
        const overLong = role.maxSessionDuration + 1;
        const metadata = f.providerMetadata[path.providerArn];
        const longRequest = `${path.roleArn} with SessionDuration ${overLong} s (the role's maximum is ${role.maxSessionDuration} s)`;
        try {
            const signIn = await verifyLoginResponse(
                metadata,
                issueLoginResponse(f.metadata, f.idpPrivateKeyPem, {
                    login: attacker,
                    roleValues: [path.roleValue],
                    sessionDuration: overLong,
                }),
            );
            const refusal = sessionDurationRefusal(signIn.sessionDuration ?? overLong, role);
            checks.push({ ...expectation, request: longRequest, actual: refusal ? "denied" : "allowed", reason: refusal ?? "accepted" });
        } catch (error) {
            checks.push({ ...expectation, request: longRequest, actual: "denied", reason: `samlify: ${(error as Error).message}` });
        }
        // A response for another direct role, edited to claim this one: its own provider must refuse it.
        const donor = direct[(i + 1) % direct.length];
        if (donor.roleArn !== path.roleArn) {
            const genuine = issueLoginResponse(f.metadata, f.idpPrivateKeyPem, {
                login: attacker,
                roleValues: [donor.roleValue],
                sessionDuration: f.sessionDuration,
            });
            const edited = Buffer.from(Buffer.from(genuine, "base64").toString("utf8").replace(donor.roleValue, path.roleValue)).toString(
                "base64",
            );
            const request = `assertion for ${donor.samlRole} edited to claim ${path.roleArn} (a role the person does not hold)`;
            try {
                const signIn = await verifyLoginResponse(metadata, edited);
                const claimed = signIn.roles.some((r) => r.roleArn === path.roleArn && r.providerArn === path.providerArn);
                checks.push({
                    ...expectation,
                    step: "SAML sign-in",
                    request,
                    actual: claimed ? "allowed" : "denied",
                    reason: claimed ? "accepted" : "no such role pair in the assertion",
                });
            } catch (error) {
                checks.push({
                    ...expectation,
                    step: "SAML sign-in",
                    request,
                    actual: "denied",
                    reason: `samlify: ${(error as Error).message}`,
                });
            }
        }
    }
    return checks;
}

/**
 * The member roles a federated role is checked against, other than its own target: another role
 * in the same account, a role of the same name in another account, and the next target in sorted
 * order — a fixed sample per role, so the negatives grow with roles, not with roles².
 */
export function negativeTargetSample(ownTarget: string, targetArns: string[]): string[] {
    const accountOf = (arn: string) => arn.split(":")[4];
    const others = targetArns.filter((arn) => arn !== ownTarget);
    const sample = new Set<string>();
    const sameAccount = others.find((arn) => accountOf(arn) === accountOf(ownTarget));
    const sameName = others.find((arn) => accountOf(arn) !== accountOf(ownTarget) && roleNameOf(arn) === roleNameOf(ownTarget));
    const next = others.find((arn) => arn > ownTarget) ?? others[0];
    for (const arn of [sameAccount, sameName, next]) {
        if (arn) {
            sample.add(arn);
        }
    }
    return [...sample].sort();
}

/** Attacks that must fail: forged or misdirected sign-ins, other principals, other roles. */
async function negativePaths(f: Federation, judge: Judge): Promise<Check[]> {
    const attacker = "attacker@example.com";
    const [first, second] = f.chainedRoles;
    const issue = (extra: { audience?: string; recipient?: string } = {}) =>
        issueLoginResponse(f.metadata, f.idpPrivateKeyPem, {
            login: attacker,
            roleValues: [f.roleValue(first)],
            sessionDuration: f.sessionDuration,
            ...extra,
        });
    const signInAttempt = async (request: string, response: string, samlRole: string): Promise<Check> => {
        const expectation: Expectation = { subject: attacker, samlRole, step: "SAML sign-in", request, expected: "denied" };
        try {
            const signIn = await verifyLoginResponse(f.metadata, response);
            return signIn.roles.some((r) => r.roleArn === f.federatedArn(samlRole) && r.providerArn === f.providerArn)
                ? { ...expectation, actual: "allowed", reason: "accepted" }
                : { ...expectation, actual: "denied", reason: "no such role pair in the assertion" };
        } catch (error) {
            return { ...expectation, actual: "denied", reason: `samlify: ${(error as Error).message}` };
        }
    };
    // A genuine response for the first role, edited afterwards to claim the second.
    const tampered = () =>
        Buffer.from(Buffer.from(issue(), "base64").toString("utf8").replace(`role/${first}<`, `role/${second}<`)).toString("base64");
    const checks: Check[] =
        first === undefined
            ? []
            : await Promise.all([
                  ...(second ? [signInAttempt(`tampered assertion claiming ${second}`, tampered(), second)] : []),
                  signInAttempt("assertion for audience urn:example:not-aws", issue({ audience: "urn:example:not-aws" }), first),
                  signInAttempt("assertion posted to https://example.com/saml", issue({ recipient: "https://example.com/saml" }), first),
              ]);
    checks.push(...(await directNegativePaths(f, judge, attacker)));

    const otherProvider = f.providerArn.replace(/saml-provider\/.+$/, "saml-provider/SomeoneElsesIdP");
    for (const samlRole of f.chainedRoles) {
        const federated = f.roles.get(f.federatedArn(samlRole))!;
        const withSaml = {
            action: "sts:AssumeRoleWithSAML",
            resource: federated.arn,
            accountId: f.identityAccountId,
            identityPolicies: [],
            resourcePolicy: federated.trust,
        };
        const expectation = { subject: attacker, samlRole, step: "AssumeRoleWithSAML" as const, expected: "denied" as const };
        checks.push(
            await judge.judge(
                { ...expectation, request: `from ${otherProvider}` },
                { ...withSaml, principal: otherProvider, context: { "saml:aud": awsSamlSignInUrl } },
            ),
            await judge.judge(
                { ...expectation, request: "with SAML:aud https://example.com/saml" },
                { ...withSaml, principal: f.providerArn, context: { "saml:aud": "https://example.com/saml" } },
            ),
        );
    }

    // Another role of the identity account, even one allowed everything, cannot switch into a member role.
    const targetArns = [...new Set(f.samlRoles.map((samlRole) => f.targetOf(samlRole).arn))].sort();
    const adminArn = roleArn(f.partition, f.identityAccountId, "IdentityAccountAdmin");
    const allowEverything = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
    for (const targetArn of targetArns) {
        const target = f.roles.get(targetArn)!;
        checks.push(
            await judge.judge(
                {
                    subject: "IdentityAccountAdmin",
                    samlRole: "-",
                    step: "AssumeRole",
                    request: `sts:AssumeRole ${targetArn}`,
                    expected: "denied",
                },
                {
                    principal: assumedRoleArn(f.partition, f.identityAccountId, "IdentityAccountAdmin", attacker),
                    action: "sts:AssumeRole",
                    resource: targetArn,
                    accountId: target.accountId,
                    context: { "aws:PrincipalArn": adminArn },
                    identityPolicies: [allowEverything],
                    resourcePolicy: target.trust,
                },
            ),
        );
    }
    // A federated role switching into member roles that are not its own, sampled.
    for (const samlRole of f.chainedRoles) {
        const federated = f.roles.get(f.federatedArn(samlRole))!;
        for (const targetArn of negativeTargetSample(f.targetOf(samlRole).arn, targetArns)) {
            const target = f.roles.get(targetArn)!;
            checks.push(
                await judge.judge(
                    {
                        subject: attacker,
                        samlRole,
                        step: "AssumeRole",
                        request: `sts:AssumeRole ${targetArn} (not its target)`,
                        expected: "denied",
                    },
                    {
                        principal: assumedRoleArn(f.partition, f.identityAccountId, samlRole, attacker),
                        action: "sts:AssumeRole",
                        resource: targetArn,
                        accountId: target.accountId,
                        context: { "aws:PrincipalArn": federated.arn },
                        identityPolicies: federated.policies.map((p) => p.document!),
                        resourcePolicy: target.trust,
                    },
                ),
            );
        }
    }
    return checks;
}
