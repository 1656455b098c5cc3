// `npm run verify` (and the last part of `npm start`): replays every sign-in of the offline plan
// with libraries this project did not write as the judges. samlify (with an XML schema validator)
// plays Okta and AWS sign-in; @cloud-copilot/iam-simulate, in strict mode, plays IAM for the
// trust policies, the switch into each member role and one request per managed policy. Each check
// states what it expects; the verification fails if any expected access is denied or any
// negative path is allowed.
import * as fs from "fs";
import * as path from "path";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { policyNameOf } from "../components/names";
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

/** Runs the whole verification of a plan. `idpPrivateKeyPem` is the key behind the mocked app metadata. */
export async function verifyPlan(plan: Plan, idpPrivateKeyPem: string): Promise<Check[]> {
    const identity = Object.values(plan.stacks).find((s) => s.kind === "identity")!;
    const identityResource = (type: string) => identity.resources.find((r) => r.type === type)!.inputs as Record<string, string>;
    const providerArn = identity.outputs.samlProviderArn as string;
    const partition = providerArn.split(":")[1];
    const metadata = identityResource("aws:iam/samlProvider:SamlProvider").samlMetadataDocument;
    const appSettings = JSON.parse(identityResource("okta:app/saml:Saml").appSettingsJson) as {
        roleValuePattern: string;
        sessionDuration: number;
    };
    const managed = loadManagedPolicies();
    const roles = plannedRoles(plan, partition, managed);
    const federatedArn = (samlRole: string) => `arn:${partition}:iam::${identity.accountId}:role/${samlRole}`;
    const targetOf = new Map(plan.access.map((row) => [row.samlRole, row.targetRoleArn]));
    const federatedRoleNames = [...new Set(plan.access.map((row) => row.samlRole))].sort();
    const roleValue = (samlRole: string) =>
        appSettings.roleValuePattern.replaceAll("${accountid}", identity.accountId).replaceAll("${role}", samlRole);

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
                metadata,
                await issueLoginResponse(metadata, idpPrivateKeyPem, {
                    login,
                    roleValues: samlRoles.map(roleValue),
                    sessionDuration: appSettings.sessionDuration,
                }),
            ),
        ),
    );
    const checks: Check[] = [];
    for (const [index, [login, samlRoles]] of people.entries()) {
        const signIn = signIns[index];

        for (const samlRole of federatedRoleNames) {
            const given = samlRoles.includes(samlRole);
            const pair = signIn.roles.find((r) => r.roleArn === federatedArn(samlRole) && r.providerArn === providerArn);
            checks.push({
                subject: login,
                samlRole,
                step: "SAML sign-in",
                request: `Role ${providerArn},${federatedArn(samlRole)}`,
                expected: given ? "allowed" : "denied",
                actual: pair ? "allowed" : "denied",
                reason: pair ? "samlify: signature valid, role pair in the assertion" : "the verified assertion carries no such role pair",
            });
            if (!given || !pair) {
                continue;
            }
            const federated = roles.get(federatedArn(samlRole))!;
            const samlContext = { "saml:aud": signIn.recipient };
            const federation = await simulate({
                principal: pair.providerArn,
                action: "sts:AssumeRoleWithSAML",
                resource: pair.roleArn,
                accountId: identity.accountId,
                context: samlContext,
                identityPolicies: [],
                resourcePolicy: federated.trust,
            });
            const federationSource = await simulate({
                principal: pair.providerArn,
                action: "sts:SetSourceIdentity",
                resource: pair.roleArn,
                accountId: identity.accountId,
                context: { "sts:SourceIdentity": signIn.sourceIdentity },
                identityPolicies: [],
                resourcePolicy: federated.trust,
            });
            checks.push(
                both(
                    login,
                    samlRole,
                    "AssumeRoleWithSAML",
                    `sts:AssumeRoleWithSAML + sts:SetSourceIdentity ${pair.roleArn}`,
                    "allowed",
                    federation,
                    federationSource,
                ),
            );

            const target = roles.get(targetOf.get(samlRole)!);
            if (!target) {
                throw new Error(`verify: ${samlRole} switches into ${targetOf.get(samlRole)}, which no stack of the plan creates`);
            }
            const session = `arn:${partition}:sts::${identity.accountId}:assumed-role/${samlRole}/${signIn.roleSessionName}`;
            const switchRequest = (action: string, context: Record<string, string>) =>
                simulate({
                    principal: session,
                    action,
                    resource: target.arn,
                    accountId: target.accountId,
                    context: { "aws:PrincipalArn": federated.arn, ...context },
                    identityPolicies: federated.policies.map((p) => p.document!),
                    resourcePolicy: target.trust,
                });
            checks.push(
                both(
                    login,
                    samlRole,
                    "AssumeRole",
                    `sts:AssumeRole + sts:SetSourceIdentity ${target.arn}`,
                    "allowed",
                    await switchRequest("sts:AssumeRole", {}),
                    await switchRequest("sts:SetSourceIdentity", { "sts:SourceIdentity": signIn.sourceIdentity }),
                ),
            );

            checks.push(...(await permissionChecks(login, samlRole, target, [...roles.values()], partition, signIn.roleSessionName)));
        }
    }
    checks.push(
        ...(await negativePaths(
            plan,
            roles,
            metadata,
            idpPrivateKeyPem,
            providerArn,
            federatedArn,
            roleValue,
            appSettings.sessionDuration,
        )),
    );
    return checks;
}

function both(
    subject: string,
    samlRole: string,
    step: Check["step"],
    request: string,
    expected: Decision,
    ...results: { decision: Decision; reason: string }[]
): Check {
    const denied = results.find((r) => r.decision === "denied");
    return { subject, samlRole, step, request, expected, actual: denied ? "denied" : "allowed", reason: (denied ?? results[0]).reason };
}

/**
 * In the member role: one request per attached policy, expected allowed; and the requests of the
 * organisation's other policies for services none of the role's policies are about, expected denied.
 */
async function permissionChecks(
    subject: string,
    samlRole: string,
    target: PlannedRole,
    allRoles: PlannedRole[],
    partition: string,
    sessionName: string,
): Promise<Check[]> {
    const session = `arn:${partition}:sts::${target.accountId}:assumed-role/${target.name}/${sessionName}`;
    const documents = target.policies.filter((p) => p.document).map((p) => p.document!);
    const checks: Check[] = [];
    const tryRequest = async (check: { action: string; resource: string }, expected: Decision, why: string) => {
        const result = await simulate({
            principal: session,
            action: check.action,
            resource: check.resource,
            accountId: target.accountId,
            context: {},
            identityPolicies: documents,
        });
        checks.push({
            subject,
            samlRole,
            step: "permission",
            request: `${check.action} ${check.resource} (${why})`,
            expected,
            actual: result.decision,
            reason: result.reason,
        });
    };
    for (const policy of target.policies) {
        if (policy.fixture) {
            await tryRequest(policy.fixture.check, "allowed", policyNameOf(policy.arn));
        }
    }
    const ownServices = target.policies.map((p) => p.fixture?.services);
    if (ownServices.every((services) => services !== undefined)) {
        const seen = new Set<string>();
        for (const other of allRoles.flatMap((r) => r.policies)) {
            const check = other.fixture?.check;
            const service = check?.action.split(":")[0];
            if (check && service && !ownServices.flat().includes(service) && !seen.has(check.action)) {
                seen.add(check.action);
                await tryRequest(check, "denied", `not granted: ${policyNameOf(other.arn)} is not attached`);
            }
        }
    }
    return checks;
}

/** Attacks that must fail: forged or misdirected sign-ins, other principals, other roles. */
async function negativePaths(
    plan: Plan,
    roles: Map<string, PlannedRole>,
    metadata: string,
    privateKeyPem: string,
    providerArn: string,
    federatedArn: (samlRole: string) => string,
    roleValue: (samlRole: string) => string,
    sessionDuration: number,
): Promise<Check[]> {
    const identityAccountId = providerArn.split(":")[4];
    const checks: Check[] = [];
    const samlRoles = [...new Set(plan.access.map((r) => r.samlRole))].sort();
    const [first, second] = samlRoles;
    const attacker = "attacker@example.com";
    const signInAttempt = async (request: string, response: Promise<string>, samlRole: string): Promise<Check> => {
        let actual: Decision = "allowed";
        let reason = "accepted";
        try {
            const signIn = await verifyLoginResponse(metadata, await response);
            if (!signIn.roles.some((r) => r.roleArn === federatedArn(samlRole) && r.providerArn === providerArn)) {
                actual = "denied";
                reason = "no such role pair in the assertion";
            }
        } catch (error) {
            actual = "denied";
            reason = `samlify: ${(error as Error).message}`;
        }
        return { subject: attacker, samlRole, step: "SAML sign-in", request, expected: "denied", actual, reason };
    };
    // A genuine response for the first role, edited afterwards to claim the second.
    const tampered = async () => {
        const genuine = await issueLoginResponse(metadata, privateKeyPem, {
            login: attacker,
            roleValues: [roleValue(first)],
            sessionDuration,
        });
        return Buffer.from(Buffer.from(genuine, "base64").toString("utf8").replace(`role/${first}<`, `role/${second}<`)).toString("base64");
    };
    checks.push(
        ...(await Promise.all([
            ...(second ? [signInAttempt(`tampered assertion claiming ${second}`, tampered(), second)] : []),
            signInAttempt(
                `assertion for audience urn:example:not-aws`,
                issueLoginResponse(metadata, privateKeyPem, {
                    login: attacker,
                    roleValues: [roleValue(first)],
                    sessionDuration,
                    audience: "urn:example:not-aws",
                }),
                first,
            ),
            signInAttempt(
                `assertion posted to https://example.com/saml`,
                issueLoginResponse(metadata, privateKeyPem, {
                    login: attacker,
                    roleValues: [roleValue(first)],
                    sessionDuration,
                    recipient: "https://example.com/saml",
                }),
                first,
            ),
        ])),
    );

    for (const samlRole of samlRoles) {
        const federated = roles.get(federatedArn(samlRole))!;
        const otherProvider = providerArn.replace(/saml-provider\/.+$/, "saml-provider/SomeoneElsesIdP");
        const viaOtherProvider = await simulate({
            principal: otherProvider,
            action: "sts:AssumeRoleWithSAML",
            resource: federated.arn,
            accountId: identityAccountId,
            context: { "saml:aud": "https://signin.aws.amazon.com/saml" },
            identityPolicies: [],
            resourcePolicy: federated.trust,
        });
        checks.push({
            subject: attacker,
            samlRole,
            step: "AssumeRoleWithSAML",
            request: `from ${otherProvider}`,
            expected: "denied",
            actual: viaOtherProvider.decision,
            reason: viaOtherProvider.reason,
        });
        const otherAudience = await simulate({
            principal: providerArn,
            action: "sts:AssumeRoleWithSAML",
            resource: federated.arn,
            accountId: identityAccountId,
            context: { "saml:aud": "https://example.com/saml" },
            identityPolicies: [],
            resourcePolicy: federated.trust,
        });
        checks.push({
            subject: attacker,
            samlRole,
            step: "AssumeRoleWithSAML",
            request: "with SAML:aud https://example.com/saml",
            expected: "denied",
            actual: otherAudience.decision,
            reason: otherAudience.reason,
        });
    }

    // Another role of the identity account, even one allowed everything, cannot switch into a member role.
    const adminArn = `arn:${providerArn.split(":")[1]}:iam::${identityAccountId}:role/IdentityAccountAdmin`;
    const allowEverything = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
    for (const targetArn of [...new Set(plan.access.map((r) => r.targetRoleArn))].sort()) {
        const target = roles.get(targetArn)!;
        const result = await simulate({
            principal: `${adminArn.replace(":iam::", ":sts::").replace(":role/", ":assumed-role/")}/${attacker}`,
            action: "sts:AssumeRole",
            resource: targetArn,
            accountId: target.accountId,
            context: { "aws:PrincipalArn": adminArn },
            identityPolicies: [allowEverything],
            resourcePolicy: target.trust,
        });
        checks.push({
            subject: "IdentityAccountAdmin",
            samlRole: "-",
            step: "AssumeRole",
            request: `sts:AssumeRole ${targetArn}`,
            expected: "denied",
            actual: result.decision,
            reason: result.reason,
        });
    }
    // A federated role switching into a member role that is not its own.
    for (const samlRole of samlRoles) {
        const federated = roles.get(federatedArn(samlRole))!;
        const own = plan.access.find((r) => r.samlRole === samlRole)!.targetRoleArn;
        for (const targetArn of [...new Set(plan.access.map((r) => r.targetRoleArn))].filter((arn) => arn !== own).sort()) {
            const target = roles.get(targetArn)!;
            const result = await simulate({
                principal: `arn:${providerArn.split(":")[1]}:sts::${identityAccountId}:assumed-role/${samlRole}/${attacker}`,
                action: "sts:AssumeRole",
                resource: targetArn,
                accountId: target.accountId,
                context: { "aws:PrincipalArn": federated.arn },
                identityPolicies: federated.policies.map((p) => p.document!),
                resourcePolicy: target.trust,
            });
            checks.push({
                subject: attacker,
                samlRole,
                step: "AssumeRole",
                request: `sts:AssumeRole ${targetArn} (not its target)`,
                expected: "denied",
                actual: result.decision,
                reason: result.reason,
            });
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
