// The offline proof of every sign-in: samlify plays Okta and AWS sign-in (./saml.ts), iam-simulate
// plays IAM (./simulator.ts) for the trust policies, the switch into each member role and one
// request per managed policy; negative paths must be denied.
import { awsSamlSignInUrl, policyNameOf } from "../../components/names";
import type { Plan } from "../plan";
import { Federation, federationOf, PlannedRole } from "./plannedFederation";
import { issueLoginResponse, verifyLoginResponse } from "./saml";
import { Check, Decision, Expectation, judge } from "./simulator";

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
