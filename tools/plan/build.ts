// Builds the plan (tools/plan/model.ts): evaluates every stack of a config directory with the real
// program under the mock runtime, members first, then identity with its StackReferences answered
// by the members' outputs, and derives who can reach what.
import type { Progress } from "../shared/progress";
import { IdentityConfig, MemberConfig, projectName } from "../../components/config";
import { identityOutputsDirectMembersRead } from "../../components/memberStack";
import { samlProviderArn } from "../../components/names";
import { CrossAccountRoleOutput, requiredOutput } from "../../components/outputs";
import { qualifiedStackName } from "../../components/names";
import { stackConfigOf } from "./stackFiles";
import { groupsSendingRoles, joinsAllRoles } from "../../components/rolesOktaSends";
import { keepMockIdpKey } from "../mock/idp";
import { readExistingOrganisation } from "../mock/existing";
import { onlyOutputs, StackOutputsForReference } from "../mock/outputs";
import { evaluateStack, programPath } from "./evaluate";
import type { AccessRow, PlanResult, StackEvaluation, StackPlan } from "./model";
import { oktaApiBudget } from "./oktaBudget";
import { readOrganisation } from "./organisation";

/**
 * Every grant of the organisation: each user and group of the identity stack per SAML role, and
 * each member of a group per role of the group, marked `via` the group, when Okta sends them the
 * group's roles (components/rolesOktaSends.ts).
 */
function accessRows(identity: StackEvaluation, members: StackEvaluation[]): AccessRow[] {
    const config = identity.config as IdentityConfig;
    const federatedRoles = requiredOutput(identity.reference.outputs, "federatedRoles", identity.stack);
    const targets = new Map<string, { accountId: string; accountLabel: string; role: CrossAccountRoleOutput }>();
    for (const member of members) {
        const outputs = member.reference.outputs;
        for (const role of requiredOutput(outputs, "crossAccountRoles", member.stack)) {
            targets.set(role.federatedRoleName, {
                accountId: requiredOutput(outputs, "accountId", member.stack),
                accountLabel: requiredOutput(outputs, "accountLabel", member.stack),
                role,
            });
        }
    }
    const sending = groupsSendingRoles(config.users, config.groups, joinsAllRoles(config.oktaApp));
    type Principal = Pick<AccessRow, "principal" | "principalType" | "via" | "membersInOkta"> & { samlRoles: string[] };
    const principals: Principal[] = [
        ...config.users.map((u) => ({ principal: u.login, principalType: "user" as const, samlRoles: u.samlRoles })),
        ...config.groups.flatMap((g) => [
            {
                principal: g.name,
                principalType: "group" as const,
                samlRoles: g.samlRoles,
                ...(g.existing && { membersInOkta: true as const }),
            },
            ...(g.members ?? [])
                .filter((login) => sending.get(login)!.groups.includes(g))
                .map((login) => ({ principal: login, principalType: "user" as const, via: g.name, samlRoles: g.samlRoles })),
        ]),
    ];
    // One row per path a grant takes: through the federated role (chained), straight into the
    // member role (direct), or both during a migration's deploy — the SAML role ARN tells them apart.
    const rows = principals.flatMap(({ samlRoles, ...principal }) =>
        samlRoles.flatMap((samlRole): AccessRow[] => {
            const target = targets.get(samlRole);
            const signIn = target?.role.signIn ?? "chained";
            const paths = [...(signIn !== "direct" ? [federatedRoles[samlRole]] : []), ...(signIn !== "chained" ? [target?.role.arn] : [])];
            if (!target || paths.some((arn) => arn === undefined)) {
                throw new Error(`access: ${principal.principal} holds ${samlRole}, which no evaluated stack creates`);
            }
            return paths.map((samlRoleArn) => ({
                ...principal,
                samlRole,
                samlRoleArn: samlRoleArn!,
                targetAccountId: target.accountId,
                targetAccountLabel: target.accountLabel,
                targetRoleArn: target.role.arn,
                policyArns: [...target.role.policyArns].sort(),
            }));
        }),
    );
    return rows.sort(
        (a, b) =>
            a.principal.localeCompare(b.principal) ||
            a.principalType.localeCompare(b.principalType) ||
            a.samlRole.localeCompare(b.samlRole) ||
            (a.via ?? "").localeCompare(b.via ?? "") ||
            a.samlRoleArn.localeCompare(b.samlRoleArn),
    );
}

/**
 * Evaluates the organisation in a config directory with a program: this checkout's by default, or
 * (`program`, the path of its index.ts) another revision's, judged by this checkout's tools.
 */
export async function buildPlan(
    configDir: string,
    idpKeyCacheFile?: string,
    program = programPath,
    progress: Progress = () => undefined,
): Promise<PlanResult> {
    const { stackDir, identity, members } = readOrganisation(configDir);
    const stackCount = members.length + 1;
    const existing = readExistingOrganisation(stackDir);

    // The identity stack's StackReferences, answered by the name the program asks for (the
    // offline organisation is "organization", as in Pulumi's diy backend).
    const stackOutputs: Record<string, StackOutputsForReference> = {};
    // A direct member reads the identity stack (docs/topologies.md): first as it was before this
    // deploy, then, after the identity stack, again with its new outputs, as `npm run deploy` runs
    // it a second time. Offline, "before" is the identity's configuration without the app's metadata.
    const identityConfig = stackConfigOf(identity) as IdentityConfig;
    const identityBefore: StackOutputsForReference = {
        outputs: {
            samlProviderArn: samlProviderArn(identityConfig.partition, identityConfig.account.id, identityConfig.samlProviderName),
            oktaAppOptions: {
                roleAssignment: identityConfig.oktaApp.roleAssignment,
                rolesImported: identityConfig.oktaApp.rolesImported,
                sessionTags: identityConfig.oktaApp.sessionTags,
                sourceIdentity: identityConfig.oktaApp.sourceIdentity,
            },
        },
        secretOutputNames: [],
    };
    const identityReference = (member: MemberConfig) =>
        qualifiedStackName("organization", projectName, member.identityStack ?? identity.stack);
    const memberEvaluations: StackEvaluation[] = [];
    for (const [index, member] of members.entries()) {
        progress(`evaluating stack ${member.file.stack} (${index + 1} of ${stackCount})`);
        const config = stackConfigOf(member.file) as MemberConfig;
        const references = config.signIn === "chained" ? {} : { [identityReference(config)]: identityBefore };
        const evaluation = await evaluateStack(member.file, references, idpKeyCacheFile, existing, program);
        memberEvaluations.push(evaluation);
        stackOutputs[qualifiedStackName("organization", projectName, member.entry)] = evaluation.reference;
    }
    progress(`evaluating stack ${identity.stack} (${stackCount} of ${stackCount})`);
    const identityEvaluation = await evaluateStack(identity, stackOutputs, idpKeyCacheFile, existing, program);
    // The direct members' second run: their SAML providers take the metadata the identity stack
    // exports. Their StackReference is answered with the outputs they read and no others: the
    // identity's other outputs (every person's CLI profiles and assignments) would otherwise cross
    // the mock runtime's wire once per direct member, for nothing.
    const identityAfter = onlyOutputs(identityEvaluation.reference, identityOutputsDirectMembersRead);
    for (const [i, member] of members.entries()) {
        const config = stackConfigOf(member.file) as MemberConfig;
        if (config.signIn !== "chained") {
            const references = { [identityReference(config)]: identityAfter };
            memberEvaluations[i] = await evaluateStack(member.file, references, idpKeyCacheFile, existing, program);
        }
    }
    if (idpKeyCacheFile) {
        // Only a good plan keeps its key: a failed run writes nothing.
        keepMockIdpKey(idpKeyCacheFile);
    }
    const evaluations = [...memberEvaluations, identityEvaluation];

    const stackFiles = new Map([...members.map((member) => member.file), identity].map((file) => [file.stack, file]));
    const stacks: Record<string, StackPlan> = {};
    for (const evaluation of evaluations) {
        stacks[evaluation.stack] = {
            kind: evaluation.config.kind,
            accountId: evaluation.config.account.id,
            region: evaluation.config.region,
            providerSettings: stackFiles.get(evaluation.stack)!.providerSettings,
            resources: [...evaluation.resources].sort((a, b) => a.urn.localeCompare(b.urn)),
            outputs: evaluation.outputs,
        };
    }
    return {
        plan: {
            project: projectName,
            stacks,
            access: accessRows(identityEvaluation, memberEvaluations),
            oktaIds: Object.fromEntries(
                evaluations.flatMap((e) => Object.entries(e.oktaIds)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
            ),
            oktaApiBudget: oktaApiBudget(identityEvaluation.resources, identityEvaluation.invokes),
        },
        evaluations,
    };
}
