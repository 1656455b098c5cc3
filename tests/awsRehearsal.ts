// A plan's first `pulumi up` on the AWS side, rehearsed against moto_server: every AWS resource of
// every stack is sent, in its stack's account, as the AWS provider's IAM calls with the parameters
// the provider sends for the planned inputs; what moto refuses is returned with the API's error.
import {
    AddUserToGroupCommand,
    AttachRolePolicyCommand,
    CreateAccessKeyCommand,
    CreateGroupCommand,
    CreatePolicyCommand,
    CreatePolicyVersionCommand,
    CreateRoleCommand,
    CreateSAMLProviderCommand,
    CreateUserCommand,
    GetPolicyCommand,
    GetRoleCommand,
    GetSAMLProviderCommand,
    GetUserCommand,
    IAMClient,
    ListAttachedRolePoliciesCommand,
    PutGroupPolicyCommand,
    PutRolePermissionsBoundaryCommand,
    PutRolePolicyCommand,
    PutUserPolicyCommand,
    SetDefaultPolicyVersionCommand,
    UpdateAssumeRolePolicyCommand,
    UpdateRoleCommand,
    UpdateRoleDescriptionCommand,
    UpdateSAMLProviderCommand,
} from "@aws-sdk/client-iam";
import { providerNormalisedJson } from "../components/policies";
import type { ExistingObject, ExistingOrganisation } from "../tools/mock/existing";
import type { Plan, PlannedResource } from "../tools/plan/model";
import { MotoServer, motoIamClient } from "./servers/moto";

/** A call moto refused: where, what, and the API's answer. */
interface RefusedCall {
    stack: string;
    accountId: string;
    /** `<type> <name>` of the planned resource (or of the existing object, for the hand-built state). */
    resource: string;
    operation: string;
    /** `<error code>: <message>`, as the API answered. */
    error: string;
}

/** One IAM call sent for a planned resource. */
export interface SentCall {
    stack: string;
    /** `<type> <name>` of the planned resource. */
    resource: string;
    operation: string;
}

export interface Rehearsal {
    /**
     * Customer managed policies of a stack's own account that the plan attaches but does not
     * create: they must exist before `pulumi up`, so the rehearsal creates them first (with a
     * document that allows nothing).
     */
    assumed: string[];
    /** IAM calls sent for the plan (reads and writes), in order; the hand-built state set up first is not among them. */
    calls: SentCall[];
    refused: RefusedCall[];
}

/** One IAM call: its operation name and how to send it. */
interface IamCall {
    operation: string;
    send(iam: IAMClient): Promise<unknown>;
}

/** Dependencies first: policies (a permissions boundary names one) and the SAML provider before roles. */
const phases: Readonly<Record<string, number>> = {
    "aws:iam/samlProvider:SamlProvider": 0,
    "aws:iam/policy:Policy": 0,
    "aws:iam/user:User": 0,
    "aws:iam/group:Group": 0,
    "aws:iam/role:Role": 1,
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": 2,
    "aws:iam/rolePolicy:RolePolicy": 2,
    "aws:iam/groupPolicy:GroupPolicy": 2,
    "aws:iam/userPolicy:UserPolicy": 2,
    "aws:iam/userGroupMembership:UserGroupMembership": 2,
    "aws:iam/accessKey:AccessKey": 2,
};

function phaseOf(type: string): number {
    const phase = phases[type];
    if (phase === undefined) {
        throw new Error(`rehearsal: no IAM calls known for ${type}; add the AWS provider's calls for it`);
    }
    return phase;
}

/** A planned input the calls need: a plain value, never a preview's unknown or a redacted secret. */
function input<T>(resource: { type: string; inputs: Record<string, unknown> }, key: string): T {
    const value = resource.inputs[key];
    if (value === "[unknown]" || value === "[secret]") {
        throw new Error(`rehearsal: ${resource.type} input ${key} is ${value as string} in the plan`);
    }
    return value as T;
}

const optional = <T>(resource: { type: string; inputs: Record<string, unknown> }, key: string): T | undefined =>
    resource.inputs[key] === undefined ? undefined : input<T>(resource, key);

const call = (operation: string, send: (iam: IAMClient) => Promise<unknown>): IamCall => ({ operation, send });

/**
 * What the AWS provider sends to create the resource (terraform-provider-aws internal/service/iam:
 * role.go `resourceRoleCreate` sends the trust, path, description, maximum session and boundary
 * in CreateRole; policy.go `resourcePolicyCreate` the description, path and document; documents
 * normalised as it normalises them). Each role's trust is then sent again with
 * UpdateAssumeRolePolicy, the call the provider makes whenever the trust changes
 * (`resourceRoleUpdate`): moto validates trust documents there, not in CreateRole.
 */
function createCalls(resource: { type: string; inputs: Record<string, unknown> }): IamCall[] {
    const str = (key: string) => input<string>(resource, key);
    const opt = (key: string) => optional<string>(resource, key);
    switch (resource.type) {
        case "aws:iam/samlProvider:SamlProvider":
            return [
                call("CreateSAMLProvider", (iam) =>
                    iam.send(new CreateSAMLProviderCommand({ Name: str("name"), SAMLMetadataDocument: str("samlMetadataDocument") })),
                ),
            ];
        case "aws:iam/policy:Policy":
            return [
                call("CreatePolicy", (iam) =>
                    iam.send(
                        new CreatePolicyCommand({
                            PolicyName: str("name"),
                            Path: opt("path") ?? "/",
                            Description: opt("description") ?? "",
                            PolicyDocument: providerNormalisedJson(str("policy")),
                        }),
                    ),
                ),
            ];
        case "aws:iam/role:Role": {
            const trust = providerNormalisedJson(str("assumeRolePolicy"));
            return [
                call("CreateRole", (iam) =>
                    iam.send(
                        new CreateRoleCommand({
                            RoleName: str("name"),
                            AssumeRolePolicyDocument: trust,
                            Path: opt("path") ?? "/",
                            Description: opt("description"),
                            // The provider's schema default.
                            MaxSessionDuration: optional<number>(resource, "maxSessionDuration") ?? 3600,
                            PermissionsBoundary: opt("permissionsBoundary"),
                        }),
                    ),
                ),
                call("UpdateAssumeRolePolicy", (iam) =>
                    iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: str("name"), PolicyDocument: trust })),
                ),
            ];
        }
        case "aws:iam/rolePolicyAttachment:RolePolicyAttachment":
            return [
                call("AttachRolePolicy", (iam) =>
                    iam.send(new AttachRolePolicyCommand({ RoleName: str("role"), PolicyArn: str("policyArn") })),
                ),
            ];
        case "aws:iam/rolePolicy:RolePolicy":
            return [
                call("PutRolePolicy", (iam) =>
                    iam.send(
                        new PutRolePolicyCommand({
                            RoleName: str("role"),
                            PolicyName: str("name"),
                            PolicyDocument: providerNormalisedJson(str("policy")),
                        }),
                    ),
                ),
            ];
        case "aws:iam/user:User":
            return [call("CreateUser", (iam) => iam.send(new CreateUserCommand({ UserName: str("name"), Path: opt("path") ?? "/" })))];
        case "aws:iam/group:Group":
            return [call("CreateGroup", (iam) => iam.send(new CreateGroupCommand({ GroupName: str("name"), Path: opt("path") ?? "/" })))];
        case "aws:iam/groupPolicy:GroupPolicy":
            return [
                call("PutGroupPolicy", (iam) =>
                    iam.send(
                        new PutGroupPolicyCommand({
                            GroupName: str("group"),
                            PolicyName: str("name"),
                            PolicyDocument: providerNormalisedJson(str("policy")),
                        }),
                    ),
                ),
            ];
        case "aws:iam/userPolicy:UserPolicy":
            return [
                call("PutUserPolicy", (iam) =>
                    iam.send(
                        new PutUserPolicyCommand({
                            UserName: str("user"),
                            PolicyName: str("name"),
                            PolicyDocument: providerNormalisedJson(str("policy")),
                        }),
                    ),
                ),
            ];
        case "aws:iam/userGroupMembership:UserGroupMembership":
            // One AddUserToGroup per group (aws_iam_user_group_membership `addUserToGroups`).
            return input<string[]>(resource, "groups").map((group) =>
                call("AddUserToGroup", (iam) => iam.send(new AddUserToGroupCommand({ UserName: str("user"), GroupName: group }))),
            );
        case "aws:iam/accessKey:AccessKey":
            return [call("CreateAccessKey", (iam) => iam.send(new CreateAccessKeyCommand({ UserName: str("user") })))];
        default:
            throw new Error(`rehearsal: no IAM calls known for ${resource.type}`);
    }
}

/**
 * An adopted resource: the import reads the object by its id, then the update that follows changes
 * the inputs that differ (`importChanges`) with the provider's update calls.
 */
function importCalls(resource: PlannedResource): IamCall[] {
    const id = resource.import!;
    const str = (key: string) => input<string>(resource, key);
    const changes = new Set(resource.importChanges ?? []);
    switch (resource.type) {
        case "aws:iam/role:Role":
            return [
                call("GetRole", (iam) => iam.send(new GetRoleCommand({ RoleName: id }))),
                ...(changes.has("assumeRolePolicy")
                    ? [
                          call("UpdateAssumeRolePolicy", (iam) =>
                              iam.send(
                                  new UpdateAssumeRolePolicyCommand({
                                      RoleName: id,
                                      PolicyDocument: providerNormalisedJson(str("assumeRolePolicy")),
                                  }),
                              ),
                          ),
                      ]
                    : []),
                ...(changes.has("description")
                    ? [
                          call("UpdateRoleDescription", (iam) =>
                              iam.send(new UpdateRoleDescriptionCommand({ RoleName: id, Description: str("description") })),
                          ),
                      ]
                    : []),
                ...(changes.has("maxSessionDuration")
                    ? [
                          call("UpdateRole", (iam) =>
                              iam.send(
                                  new UpdateRoleCommand({
                                      RoleName: id,
                                      MaxSessionDuration: input<number>(resource, "maxSessionDuration"),
                                  }),
                              ),
                          ),
                      ]
                    : []),
                ...(changes.has("permissionsBoundary")
                    ? [
                          call("PutRolePermissionsBoundary", (iam) =>
                              iam.send(
                                  new PutRolePermissionsBoundaryCommand({ RoleName: id, PermissionsBoundary: str("permissionsBoundary") }),
                              ),
                          ),
                      ]
                    : []),
            ];
        case "aws:iam/policy:Policy":
            // A new default version (policy.go `resourcePolicyUpdate`: CreatePolicyVersion, then SetDefaultPolicyVersion).
            return [
                call("GetPolicy", (iam) => iam.send(new GetPolicyCommand({ PolicyArn: id }))),
                ...(changes.has("policy")
                    ? [
                          call("CreatePolicyVersion+SetDefaultPolicyVersion", async (iam) => {
                              const created = await iam.send(
                                  new CreatePolicyVersionCommand({
                                      PolicyArn: id,
                                      PolicyDocument: providerNormalisedJson(str("policy")),
                                      SetAsDefault: false,
                                  }),
                              );
                              return iam.send(
                                  new SetDefaultPolicyVersionCommand({ PolicyArn: id, VersionId: created.PolicyVersion!.VersionId }),
                              );
                          }),
                      ]
                    : []),
            ];
        case "aws:iam/samlProvider:SamlProvider":
            return [
                call("GetSAMLProvider", (iam) => iam.send(new GetSAMLProviderCommand({ SAMLProviderArn: id }))),
                ...(changes.has("samlMetadataDocument")
                    ? [
                          call("UpdateSAMLProvider", (iam) =>
                              iam.send(
                                  new UpdateSAMLProviderCommand({ SAMLProviderArn: id, SAMLMetadataDocument: str("samlMetadataDocument") }),
                              ),
                          ),
                      ]
                    : []),
            ];
        case "aws:iam/rolePolicyAttachment:RolePolicyAttachment":
            return [
                call("ListAttachedRolePolicies", async (iam) => {
                    const { AttachedPolicies = [] } = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: str("role") }));
                    if (!AttachedPolicies.some((p) => p.PolicyArn === str("policyArn"))) {
                        throw Object.assign(new Error(`${str("policyArn")} is not attached to ${str("role")}`), { name: "NoSuchEntity" });
                    }
                }),
            ];
        case "aws:iam/user:User":
            return [call("GetUser", (iam) => iam.send(new GetUserCommand({ UserName: id })))];
        default:
            throw new Error(`rehearsal: importing ${resource.type} is not rehearsed`);
    }
}

/** `<code>: <message>` of an API error (SDK v3 errors carry the code as their name). */
function apiError(error: unknown): string {
    const { name, message } = error as Error;
    return `${name}: ${message}`;
}

/** Sorts calls by phase, keeping each resource's own calls in order. */
function byPhase<T extends { type: string }>(items: T[]): T[] {
    return [...items].sort((a, b) => phaseOf(a.type) - phaseOf(b.type));
}

/**
 * The hand-built objects of an adopted organisation, created as the guide's manual steps did (a
 * SAML provider's metadata is the program's own, as `sameAsProgram` says), so that imports read them.
 */
function seedObject(object: ExistingObject, planned: PlannedResource[]): { type: string; inputs: Record<string, unknown> } {
    const programs = planned.find((r) => r.type === object.type && r.import === object.id);
    const sameAsProgram = Object.fromEntries((object.sameAsProgram ?? []).map((key) => [key, programs?.inputs[key]]));
    return { type: object.type, inputs: { ...object.inputs, ...sameAsProgram } };
}

/** A document that allows nothing, for a policy the plan relies on without defining it. */
const placeholderDocument = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: "*", Resource: "*" }] });

/**
 * Policies of the stack's own account that its roles attach or take as boundary, but that no
 * planned policy or existing object defines, as `{ arn, name, path }`.
 */
function assumedPolicies(accountId: string, aws: PlannedResource[], existing: ExistingObject[]) {
    // IAM names a policy `arn:<partition>:iam::<account>:policy<path><name>`.
    const defined = new Set([
        ...aws
            .filter((r) => r.type === "aws:iam/policy:Policy")
            .map((r) => `${(r.inputs.path as string | undefined) ?? "/"}${r.inputs.name as string}`),
        ...existing.filter((o) => o.type === "aws:iam/policy:Policy").map((o) => o.id.replace(/^arn:[\w-]+:iam::\d{12}:policy/, "")),
    ]);
    const referenced = aws.flatMap((r) =>
        r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
            ? [r.inputs.policyArn as string]
            : r.type === "aws:iam/role:Role" && r.inputs.permissionsBoundary !== undefined
              ? [r.inputs.permissionsBoundary as string]
              : [],
    );
    return [...new Set(referenced)]
        .map((arn) => /^arn:[\w-]+:iam::(\d{12}):policy(\/(?:[^/]+\/)*)([^/]+)$/.exec(arn))
        .filter((match): match is RegExpExecArray => match !== null && match[1] === accountId && !defined.has(`${match[2]}${match[3]}`))
        .map(([arn, , path, name]) => ({ arn, name, path }));
}

/**
 * Rehearses the plan's first `pulumi up` against a fresh moto (reset first): each stack's AWS
 * resources in its own account, dependencies first. With `existing`, the hand-built objects of an
 * adopted organisation are created first and adopted resources are imported and updated instead.
 * Okta, random and Pulumi resources are not AWS calls and are left out.
 */
export async function rehearsePlan(plan: Plan, moto: MotoServer, existing?: ExistingOrganisation): Promise<Rehearsal> {
    await moto.reset();
    const refused: RefusedCall[] = [];
    const calls: SentCall[] = [];
    const assumed: string[] = [];
    for (const [stack, stackPlan] of Object.entries(plan.stacks)) {
        const iam = motoIamClient(moto.endpoint, stackPlan.accountId);
        const aws = stackPlan.resources.filter((r) => r.type.startsWith("aws:"));
        const adopted = aws.filter((r) => r.import !== undefined);
        if (adopted.length > 0 && !existing) {
            throw new Error(`rehearsal: ${stack} adopts ${adopted.length} resources; give the organisation's existing objects`);
        }
        for (const object of byPhase(
            (existing?.aws[stackPlan.accountId] ?? []).filter((o) => adopted.length > 0 && o.type.startsWith("aws:")),
        )) {
            for (const setup of createCalls(seedObject(object, aws))) {
                await setup.send(iam).catch((error: unknown) => {
                    throw new Error(`rehearsal: setting up ${object.type} ${object.id} in ${stackPlan.accountId}: ${apiError(error)}`);
                });
            }
        }
        for (const policy of assumedPolicies(stackPlan.accountId, aws, existing?.aws[stackPlan.accountId] ?? [])) {
            assumed.push(policy.arn);
            await iam.send(new CreatePolicyCommand({ PolicyName: policy.name, Path: policy.path, PolicyDocument: placeholderDocument }));
        }
        for (const resource of byPhase(aws)) {
            for (const each of resource.import === undefined ? createCalls(resource) : importCalls(resource)) {
                const sent = { stack, resource: `${resource.type} ${resource.name}`, operation: each.operation };
                calls.push(sent);
                try {
                    await each.send(iam);
                } catch (error) {
                    refused.push({ ...sent, accountId: stackPlan.accountId, error: apiError(error) });
                }
            }
        }
        iam.destroy();
    }
    return { calls, refused, assumed };
}
