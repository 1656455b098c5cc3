// `npm run verify` (and the last part of `npm start`): replays every sign-in of the offline plan
// with libraries this project did not write as the judges. samlify (with an XML schema validator)
// plays Okta and AWS sign-in; @cloud-copilot/iam-simulate, in strict mode, plays IAM for the
// trust policies, the switch into each member role and one request per managed policy. Each check
// states what it expects; the verification fails if any expected access is denied or any
// negative path is allowed.
import * as fs from "fs";
import * as path from "path";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { awsSamlSignInUrl, policyNameOf } from "../components/names";
import type { Plan } from "./preview";
import { issueLoginResponse, verifyLoginResponse } from "./saml";

type Decision = "allowed" | "denied";

export interface Check {
    /** Who: a login, a group's member, or the negative path's actor. */
    subject: string;
    samlRole: string;
    step: "SAML sign-in" | "AssumeRoleWithSAML" | "AssumeRole" | "permission";
    /** What was tried, e.g. `sts:AssumeRole arn:aws:iam::253541269580:role/EC2_Admins`. */
    request: string;
    expected: Decision;
    actual: Decision;
    /** Why, in the judge's words. */
    reason: string;
}

export const checkPassed = (check: Check) => check.expected === check.actual;

interface ManagedPolicyFixture {
    arn: string;
    check: { action: string; resource: string };
    /** The services the policy is about; a request to any other is expected to be denied. */
    services?: string[];
    document: object;
}

const fixturesDir = path.join(__dirname, "fixtures", "aws-managed-policies");

function loadManagedPolicies(): Map<string, ManagedPolicyFixture> {
    const fixtures = new Map<string, ManagedPolicyFixture>();
    for (const file of fs.readdirSync(fixturesDir).filter((f) => f.endsWith(".json"))) {
        const fixture = JSON.parse(fs.readFileSync(path.join(fixturesDir, file), "utf8")) as ManagedPolicyFixture;
        fixtures.set(policyNameOf(fixture.arn), fixture);
    }
    return fixtures;
}

interface PlannedRole {
    arn: string;
    name: string;
    accountId: string;
    trust: object;
    /** Attached policies: ARN and, where known, the document. */
    policies: { arn: string; document?: object; fixture?: ManagedPolicyFixture }[];
}

/** The roles of every stack of the plan, with their trust and permission documents. */
function plannedRoles(plan: Plan, partition: string, managed: Map<string, ManagedPolicyFixture>): Map<string, PlannedRole> {
    const roles = new Map<string, PlannedRole>();
    for (const stack of Object.values(plan.stacks)) {
        const inputsOf = (type: string) => stack.resources.filter((r) => r.type === type).map((r) => r.inputs as Record<string, string>);
        const customerPolicies = new Map(
            inputsOf("aws:iam/policy:Policy").map((p) => [
                `arn:${partition}:iam::${stack.accountId}:policy/${p.name}`,
                JSON.parse(p.policy) as object,
            ]),
        );
        for (const role of inputsOf("aws:iam/role:Role")) {
            const policies = inputsOf("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
                .filter((a) => a.role === role.name)
                .map((a) => {
                    const fixture = managed.get(policyNameOf(a.policyArn));
                    const isFixture = fixture !== undefined && fixture.arn.replace(/^arn:aws:/, `arn:${partition}:`) === a.policyArn;
                    return {
                        arn: a.policyArn,
                        document: customerPolicies.get(a.policyArn) ?? (isFixture ? fixture.document : undefined),
                        fixture: isFixture ? fixture : undefined,
                    };
                });
            const arn = `arn:${partition}:iam::${stack.accountId}:role/${role.name}`;
            roles.set(arn, {
                arn,
                name: role.name,
                accountId: stack.accountId,
                trust: JSON.parse(role.assumeRolePolicy) as object,
                policies,
            });
        }
    }
    return roles;
}

interface SimulationRequest {
    principal: string;
    action: string;
    resource: string;
    accountId: string;
    context: Record<string, string>;
    identityPolicies: object[];
    resourcePolicy?: object;
}

/** One IAM decision, from the simulator in strict mode; every context key given must be used. */
async function simulate(request: SimulationRequest): Promise<{ decision: Decision; reason: string }> {
    const response = await runSimulation(
        {
            request: {
                principal: request.principal,
                action: request.action,
                resource: { resource: request.resource, accountId: request.accountId },
                contextVariables: request.context,
            },
            identityPolicies: request.identityPolicies.map((policy, i) => ({ name: `policy-${i}`, policy })),
            serviceControlPolicies: [],
            resourceControlPolicies: [],
            resourcePolicy: request.resourcePolicy,
        },
        { simulationMode: "Strict" },
    );
    if (response.resultType === "error") {
        throw new Error(`iam-simulate rejected the request ${request.action} on ${request.resource}: ${response.errors.message}`);
    }
    const result = response.resultType === "single" ? response.result : response.results[0];
    const ignored = result?.ignoredContextKeys ?? [];
    if (ignored.length > 0) {
        throw new Error(`iam-simulate ignored context keys ${ignored.join(", ")} for ${request.action}: the check would prove nothing`);
    }
    return { decision: response.overallResult === "Allowed" ? "allowed" : "denied", reason: `iam-simulate: ${response.overallResult}` };
}

type Expectation = Omit<Check, "actual" | "reason">;

/** One check decided by the simulator: allowed only if every request is allowed. */
async function judge(expectation: Expectation, ...requests: SimulationRequest[]): Promise<Check> {
    const results = [];
    for (const request of requests) {
        results.push(await simulate(request));
    }
    const denied = results.find((r) => r.decision === "denied");
    return { ...expectation, actual: denied ? "denied" : "allowed", reason: (denied ?? results[0]).reason };
}

/** What every step of the verification reads from the plan. */
interface Federation {
    plan: Plan;
    roles: Map<string, PlannedRole>;
    partition: string;
    identityAccountId: string;
    providerArn: string;
    metadata: string;
    idpPrivateKeyPem: string;
    sessionDuration: number;
    /** Federated role names, sorted. */
    samlRoles: string[];
    federatedArn(samlRole: string): string;
    /** The member role a federated role switches into, as the plan's access rows say. */
    targetOf(samlRole: string): PlannedRole;
    /** The SAML role value Okta sends, from the app's role value pattern. */
    roleValue(samlRole: string): string;
}

function federationOf(plan: Plan, idpPrivateKeyPem: string): Federation {
    const identity = Object.values(plan.stacks).find((s) => s.kind === "identity")!;
    const identityInputs = (type: string) => identity.resources.find((r) => r.type === type)!.inputs as Record<string, string>;
    const providerArn = identity.outputs.samlProviderArn as string;
    const partition = providerArn.split(":")[1];
    const appSettings = JSON.parse(identityInputs("okta:app/saml:Saml").appSettingsJson) as {
        roleValuePattern: string;
        sessionDuration: number;
    };
    const roles = plannedRoles(plan, partition, loadManagedPolicies());
    return {
        plan,
        roles,
        partition,
        identityAccountId: identity.accountId,
        providerArn,
        metadata: identityInputs("aws:iam/samlProvider:SamlProvider").samlMetadataDocument,
        idpPrivateKeyPem,
        sessionDuration: appSettings.sessionDuration,
        samlRoles: [...new Set(plan.access.map((row) => row.samlRole))].sort(),
        federatedArn: (samlRole) => `arn:${partition}:iam::${identity.accountId}:role/${samlRole}`,
        targetOf: (samlRole) => {
            const arn = plan.access.find((row) => row.samlRole === samlRole)!.targetRoleArn;
            const target = roles.get(arn);
            if (!target) {
                throw new Error(`verify: ${samlRole} switches into ${arn}, which no stack of the plan creates`);
            }
            return target;
        },
        roleValue: (samlRole) =>
            appSettings.roleValuePattern.replaceAll("${accountid}", identity.accountId).replaceAll("${role}", samlRole),
    };
}

/** Runs the whole verification of a plan. `idpPrivateKeyPem` is the key behind the mocked app metadata. */
export async function verifyPlan(plan: Plan, idpPrivateKeyPem: string): Promise<Check[]> {
    const f = federationOf(plan, idpPrivateKeyPem);
    const identity = Object.values(plan.stacks).find((s) => s.kind === "identity")!;

    // Everyone Okta signs in: each person with their roles, and a member of every group.
    const people = Object.entries(identity.outputs.samlRolesByUser as Record<string, string[]>);
    for (const row of plan.access.filter((r) => r.principalType === "group")) {
        const member = `member-of-${row.principal.replace(/[^\w+=,.@-]/g, "-")}`;
        const entry = people.find(([login]) => login === member) ?? (people.push([member, []]), people[people.length - 1]);
        entry[1].push(row.samlRole);
    }

    // Sign-ins are independent (and schema validation is the slow part): run them together.
    const signIns = await Promise.all(
        people.map(async ([login, samlRoles]) =>
            verifyLoginResponse(
                f.metadata,
                await issueLoginResponse(f.metadata, idpPrivateKeyPem, {
                    login,
                    roleValues: samlRoles.map(f.roleValue),
                    sessionDuration: f.sessionDuration,
                }),
            ),
        ),
    );
    const checks: Check[] = [];
    for (const [index, [login, samlRoles]] of people.entries()) {
        const signIn = signIns[index];
        for (const samlRole of f.samlRoles) {
            const given = samlRoles.includes(samlRole);
            const pair = signIn.roles.find((r) => r.roleArn === f.federatedArn(samlRole) && r.providerArn === f.providerArn);
            checks.push({
                subject: login,
                samlRole,
                step: "SAML sign-in",
                request: `Role ${f.providerArn},${f.federatedArn(samlRole)}`,
                expected: given ? "allowed" : "denied",
                actual: pair ? "allowed" : "denied",
                reason: pair ? "samlify: signature valid, role pair in the assertion" : "the verified assertion carries no such role pair",
            });
            if (!given || !pair) {
                continue;
            }
            const federated = f.roles.get(pair.roleArn)!;
            const fromProvider = {
                principal: pair.providerArn,
                resource: pair.roleArn,
                accountId: f.identityAccountId,
                identityPolicies: [],
                resourcePolicy: federated.trust,
            };
            checks.push(
                await judge(
                    {
                        subject: login,
                        samlRole,
                        step: "AssumeRoleWithSAML",
                        request: `sts:AssumeRoleWithSAML + sts:SetSourceIdentity ${pair.roleArn}`,
                        expected: "allowed",
                    },
                    { ...fromProvider, action: "sts:AssumeRoleWithSAML", context: { "saml:aud": signIn.recipient } },
                    { ...fromProvider, action: "sts:SetSourceIdentity", context: { "sts:SourceIdentity": signIn.sourceIdentity } },
                ),
            );

            const target = f.targetOf(samlRole);
            const fromSession = {
                principal: `arn:${f.partition}:sts::${f.identityAccountId}:assumed-role/${samlRole}/${signIn.roleSessionName}`,
                resource: target.arn,
                accountId: target.accountId,
                identityPolicies: federated.policies.map((p) => p.document!),
                resourcePolicy: target.trust,
            };
            checks.push(
                await judge(
                    {
                        subject: login,
                        samlRole,
                        step: "AssumeRole",
                        request: `sts:AssumeRole + sts:SetSourceIdentity ${target.arn}`,
                        expected: "allowed",
                    },
                    { ...fromSession, action: "sts:AssumeRole", context: { "aws:PrincipalArn": federated.arn } },
                    {
                        ...fromSession,
                        action: "sts:SetSourceIdentity",
                        context: { "aws:PrincipalArn": federated.arn, "sts:SourceIdentity": signIn.sourceIdentity },
                    },
                ),
            );
            checks.push(...(await permissionChecks(f, login, samlRole, target, signIn.roleSessionName)));
        }
    }
    checks.push(...(await negativePaths(f)));
    return checks;
}

/**
 * In the member role: one request per attached policy, expected allowed; and the requests of the
 * organisation's other policies for services none of the role's policies are about, expected denied.
 */
async function permissionChecks(
    f: Federation,
    subject: string,
    samlRole: string,
    target: PlannedRole,
    sessionName: string,
): Promise<Check[]> {
    const inRole = (check: { action: string; resource: string }, expected: Decision, why: string) =>
        judge(
            { subject, samlRole, step: "permission", request: `${check.action} ${check.resource} (${why})`, expected },
            {
                principal: `arn:${f.partition}:sts::${target.accountId}:assumed-role/${target.name}/${sessionName}`,
                action: check.action,
                resource: check.resource,
                accountId: target.accountId,
                context: {},
                identityPolicies: target.policies.filter((p) => p.document).map((p) => p.document!),
            },
        );
    const checks: Check[] = [];
    for (const policy of target.policies.filter((p) => p.fixture)) {
        checks.push(await inRole(policy.fixture!.check, "allowed", policyNameOf(policy.arn)));
    }
    const ownServices = target.policies.map((p) => p.fixture?.services);
    if (ownServices.every((services) => services !== undefined)) {
        const seen = new Set<string>();
        for (const other of [...f.roles.values()].flatMap((r) => r.policies)) {
            const check = other.fixture?.check;
            const service = check?.action.split(":")[0];
            if (check && service && !ownServices.flat().includes(service) && !seen.has(check.action)) {
                seen.add(check.action);
                checks.push(await inRole(check, "denied", `not granted: ${policyNameOf(other.arn)} is not attached`));
            }
        }
    }
    return checks;
}

/** Attacks that must fail: forged or misdirected sign-ins, other principals, other roles. */
async function negativePaths(f: Federation): Promise<Check[]> {
    const attacker = "attacker@example.com";
    const [first, second] = f.samlRoles;
    const issue = (extra: { audience?: string; recipient?: string } = {}) =>
        issueLoginResponse(f.metadata, f.idpPrivateKeyPem, {
            login: attacker,
            roleValues: [f.roleValue(first)],
            sessionDuration: f.sessionDuration,
            ...extra,
        });
    const signInAttempt = async (request: string, response: Promise<string>, samlRole: string): Promise<Check> => {
        const expectation: Expectation = { subject: attacker, samlRole, step: "SAML sign-in", request, expected: "denied" };
        try {
            const signIn = await verifyLoginResponse(f.metadata, await response);
            return signIn.roles.some((r) => r.roleArn === f.federatedArn(samlRole) && r.providerArn === f.providerArn)
                ? { ...expectation, actual: "allowed", reason: "accepted" }
                : { ...expectation, actual: "denied", reason: "no such role pair in the assertion" };
        } catch (error) {
            return { ...expectation, actual: "denied", reason: `samlify: ${(error as Error).message}` };
        }
    };
    // A genuine response for the first role, edited afterwards to claim the second.
    const tampered = async () =>
        Buffer.from(
            Buffer.from(await issue(), "base64")
                .toString("utf8")
                .replace(`role/${first}<`, `role/${second}<`),
        ).toString("base64");
    const checks = await Promise.all([
        ...(second ? [signInAttempt(`tampered assertion claiming ${second}`, tampered(), second)] : []),
        signInAttempt("assertion for audience urn:example:not-aws", issue({ audience: "urn:example:not-aws" }), first),
        signInAttempt("assertion posted to https://example.com/saml", issue({ recipient: "https://example.com/saml" }), first),
    ]);

    const otherProvider = f.providerArn.replace(/saml-provider\/.+$/, "saml-provider/SomeoneElsesIdP");
    for (const samlRole of f.samlRoles) {
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
            await judge(
                { ...expectation, request: `from ${otherProvider}` },
                { ...withSaml, principal: otherProvider, context: { "saml:aud": awsSamlSignInUrl } },
            ),
            await judge(
                { ...expectation, request: "with SAML:aud https://example.com/saml" },
                { ...withSaml, principal: f.providerArn, context: { "saml:aud": "https://example.com/saml" } },
            ),
        );
    }

    // Another role of the identity account, even one allowed everything, cannot switch into a member role.
    const targetArns = [...new Set(f.plan.access.map((r) => r.targetRoleArn))].sort();
    const adminArn = `arn:${f.partition}:iam::${f.identityAccountId}:role/IdentityAccountAdmin`;
    const allowEverything = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
    for (const targetArn of targetArns) {
        const target = f.roles.get(targetArn)!;
        checks.push(
            await judge(
                {
                    subject: "IdentityAccountAdmin",
                    samlRole: "-",
                    step: "AssumeRole",
                    request: `sts:AssumeRole ${targetArn}`,
                    expected: "denied",
                },
                {
                    principal: `arn:${f.partition}:sts::${f.identityAccountId}:assumed-role/IdentityAccountAdmin/${attacker}`,
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
    // A federated role switching into a member role that is not its own.
    for (const samlRole of f.samlRoles) {
        const federated = f.roles.get(f.federatedArn(samlRole))!;
        for (const targetArn of targetArns.filter((arn) => arn !== f.targetOf(samlRole).arn)) {
            const target = f.roles.get(targetArn)!;
            checks.push(
                await judge(
                    {
                        subject: attacker,
                        samlRole,
                        step: "AssumeRole",
                        request: `sts:AssumeRole ${targetArn} (not its target)`,
                        expected: "denied",
                    },
                    {
                        principal: `arn:${f.partition}:sts::${f.identityAccountId}:assumed-role/${samlRole}/${attacker}`,
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

/** One line per check, ✓ when the judge agreed with the expectation. */
export function verdictLines(checks: Check[]): string[] {
    const failed = checks.filter((c) => !checkPassed(c));
    return [
        ...checks.map(
            (c) =>
                `${checkPassed(c) ? "✓" : "✗"} ${c.subject}  ${c.samlRole}  ${c.step}: ${c.request} — ${c.actual}${checkPassed(c) ? "" : ` (expected ${c.expected}; ${c.reason})`}`,
        ),
        `${checks.length - failed.length} of ${checks.length} checks as expected${failed.length ? `; ${failed.length} NOT` : ""}`,
    ];
}

export function verdictMarkdown(checks: Check[]): string {
    return [
        "## Verification",
        "",
        "Each sign-in replayed offline: samlify signs and verifies the SAML response against the IdP metadata given to AWS; iam-simulate (strict mode) decides every trust and permission. Negative paths are expected to be denied.",
        "",
        "| | Who | SAML role | Step | Request | Result |",
        "| --- | --- | --- | --- | --- | --- |",
        ...checks.map(
            (c) =>
                `| ${checkPassed(c) ? "✓" : "✗"} | ${c.subject} | \`${c.samlRole}\` | ${c.step} | ${c.request.replace(/\|/g, "\\|")} | ${c.actual}${checkPassed(c) ? "" : ` (expected ${c.expected})`} |`,
        ),
        "",
    ].join("\n");
}

/** `npm run verify [-- --config-dir DIR]`: the plan of an organisation, then every check; 1 if any fails. */
export async function main(argv: string[]): Promise<number> {
    const { buildPlan } = await import("./preview");
    const { mockIdpKey } = await import("./mockCloud");
    const configDir = path.resolve(argv[0] === "--config-dir" && argv[1] ? argv[1] : path.join(__dirname, ".."));
    try {
        const idpKeyFile = path.join(path.join(__dirname, "..", "out"), ".mock-idp-key.json");
        const { plan } = await buildPlan(configDir, idpKeyFile);
        const checks = await verifyPlan(plan, mockIdpKey(idpKeyFile).privateKeyPem);
        console.log(verdictLines(checks).join("\n"));
        return checks.every(checkPassed) ? 0 : 1;
    } catch (error) {
        console.error((error as Error).message ?? error);
        return 1;
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then((code) => process.exit(code));
}
