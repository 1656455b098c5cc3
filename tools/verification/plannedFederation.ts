// The verification's view of a plan: every role with its trust and attached policy documents (AWS
// managed policies from vendored fixtures), and the identity stack's federation settings.
import * as fs from "fs";
import * as path from "path";
import { policyNameOf } from "../../components/names";
import type { Plan } from "../plan";

export interface ManagedPolicyFixture {
    arn: string;
    check: { action: string; resource: string };
    /** The services the policy is about; a request to any other is expected to be denied. */
    services?: string[];
    document: object;
}

const fixturesDir = path.join(__dirname, "..", "fixtures", "aws-managed-policies");

function loadManagedPolicies(): Map<string, ManagedPolicyFixture> {
    const fixtures = new Map<string, ManagedPolicyFixture>();
    for (const file of fs.readdirSync(fixturesDir).filter((f) => f.endsWith(".json"))) {
        const fixture = JSON.parse(fs.readFileSync(path.join(fixturesDir, file), "utf8")) as ManagedPolicyFixture;
        fixtures.set(policyNameOf(fixture.arn), fixture);
    }
    return fixtures;
}

export interface PlannedRole {
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

/** What every step of the verification reads from the plan. */
export interface Federation {
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

export function federationOf(plan: Plan, idpPrivateKeyPem: string): Federation {
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
