// The one mocks setup of the test run: a single MockCloud (setMocks is process-global) that each
// test points at the stack it evaluates, and helpers to read what was registered.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { StackConfig } from "../components/config";
import { PolicyDocument } from "../components/policies";
import { main } from "../tools/commands/preview";
import { buildPlan } from "../tools/plan/build";
import type { PlanResult } from "../tools/plan/model";
import { CommandMain, exitCodeOf } from "../tools/shared/commandLine";
import { MockCloud, MockCloudOptions, RegisteredResource } from "../tools/mock/providers";
import { installMockCloud } from "../tools/mock/runtime";
import { readStackFile, stackConfigOf } from "../tools/plan/stackFiles";
import { waitForRPCs } from "../tools/mock/sdkInternals";

export const projectRoot = path.join(__dirname, "..");

/** The mock IdP key every plan of the run signs with, so plans built apart carry the same metadata. */
export const testIdpKeyFile = path.join(os.tmpdir(), `okta-aws-test-idp-${process.pid}.json`);
process.on("exit", () => fs.rmSync(testIdpKeyFile, { force: true }));

let shipped: Promise<PlanResult> | undefined;

/** The shipped organisation's plan, built once for the run; every caller gets a copy of its own. */
export async function shippedPlan(): Promise<PlanResult> {
    shipped ??= buildPlan(projectRoot, testIdpKeyFile);
    return structuredClone(await shipped);
}
export const cloud = new MockCloud({ accountId: "111111111111", partition: "aws" });

/** Points the mock runtime at a fresh stack; clears the registry. */
export async function useStack(stack: string, options: Partial<MockCloudOptions> = {}): Promise<void> {
    cloud.options = { accountId: "111111111111", partition: "aws", oktaOrgName: "acmecorp", oktaBaseUrl: "okta.com", ...options };
    cloud.clear();
    await installMockCloud(cloud, "okta-aws", stack, projectRoot);
}

/** The value of an Output (or of a structure holding Outputs), once resolved. */
export function valueOf<T>(value: pulumi.Input<T>): Promise<pulumi.Unwrap<T>> {
    return new Promise((resolve) => pulumi.output(value).apply(resolve));
}

/** Waits until every registration the program started has been answered. */
export async function settled(): Promise<void> {
    // The SDK's own drain of outstanding resource monitor calls (what `pulumi up` waits on).
    await waitForRPCs();
}

export function ofType(type: string): RegisteredResource[] {
    return cloud.resources.filter((r) => r.type === type);
}

export function named(name: string): RegisteredResource {
    const found = cloud.resources.filter((r) => r.name === name);
    if (found.length !== 1) {
        throw new Error(`expected one resource named ${name}, found ${found.length}: ${cloud.resources.map((r) => r.name).join(", ")}`);
    }
    return found[0];
}

/** `type name` of every registered resource, sorted: the shape of a stack at a glance. */
export function inventory(): string[] {
    return cloud.resources.map((r) => `${r.type} ${r.name}`).sort();
}

/** A policy document as the program sends it (a JSON string input), parsed. */
export function parsedPolicy(json: unknown): PolicyDocument {
    return JSON.parse(json as string) as PolicyDocument;
}

/** The parsed configuration of a shipped `Pulumi.<stack>.yaml`. */
export function shippedConfig<T extends StackConfig>(stack: string, dir = projectRoot): T {
    return stackConfigOf(readStackFile(path.join(dir, `Pulumi.${stack}.yaml`))) as T;
}

/** Runs a command's entry point with its console output captured. */
export async function captureCommand(main: CommandMain, argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const { log, error } = console;
    console.log = (...args: unknown[]) => out.push(args.join(" "));
    console.error = (...args: unknown[]) => err.push(args.map(String).join(" "));
    try {
        const code = await exitCodeOf(main, argv);
        return { code, stdout: out.join("\n"), stderr: err.join("\n") };
    } finally {
        Object.assign(console, { log, error });
    }
}

/** Runs `npm start`'s entry point with its console output captured. */
export function runPreview(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return captureCommand(main, argv);
}

/** The shipped organisation's Okta AWS app, as the identity stack describes it to OktaAwsApp. */
export const exampleAppSettingsArgs = {
    label: "Amazon Web Services",
    identityProviderArn: "arn:aws:iam::671250594556:saml-provider/Okta",
    samlProviderName: "Okta",
    partition: "aws",
    sessionDuration: 3600,
    loginUrl: "https://console.aws.amazon.com/ec2/home",
    joinAllRoles: true,
    useGroupMapping: false,
};

/** `type name` of every resource the shipped identity stack registers below its root Stack, sorted. */
export const shippedIdentityInventory = [
    "aws:iam/accessKey:AccessKey introspection-user-access-key",
    "aws:iam/accessKey:AccessKey okta-sso-user-access-key",
    "aws:iam/group:Group introspection-user-group",
    "aws:iam/group:Group okta-sso-user-group",
    "aws:iam/groupPolicy:GroupPolicy introspection-user-group-policy",
    "aws:iam/groupPolicy:GroupPolicy okta-sso-user-group-policy",
    "aws:iam/policy:Policy Retail-EC2-Admins-policy",
    "aws:iam/policy:Policy Retail-S3-Admins-policy",
    "aws:iam/policy:Policy Sales-EC2-Admins-policy",
    "aws:iam/role:Role Retail-EC2-Admins-role",
    "aws:iam/role:Role Retail-S3-Admins-role",
    "aws:iam/role:Role Sales-EC2-Admins-role",
    "aws:iam/role:Role audit-role-role",
    "aws:iam/rolePolicy:RolePolicy audit-role-policy",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment Retail-EC2-Admins-policy-attachment",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment Retail-S3-Admins-policy-attachment",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment Sales-EC2-Admins-policy-attachment",
    "aws:iam/samlProvider:SamlProvider saml-provider-provider",
    "aws:iam/user:User introspection-user-user",
    "aws:iam/user:User okta-sso-user-user",
    "aws:iam/userGroupMembership:UserGroupMembership introspection-user-membership",
    "aws:iam/userGroupMembership:UserGroupMembership okta-sso-user-membership",
    "okta-aws:audit:AuditRole audit-role",
    "okta-aws:identity:FederatedRole Retail-EC2-Admins",
    "okta-aws:identity:FederatedRole Retail-S3-Admins",
    "okta-aws:identity:FederatedRole Sales-EC2-Admins",
    "okta-aws:identity:OktaAwsApp okta-aws-app",
    "okta-aws:identity:OktaCliApp okta-aws-cli-app",
    "okta-aws:identity:SamlProvider saml-provider",
    "okta-aws:identity:SamlRoleAssignments saml-role-assignments",
    "okta-aws:identity:ServiceUser introspection-user",
    "okta-aws:identity:ServiceUser okta-sso-user",
    "okta-aws:identity:SignOnPolicy sign-on-policy",
    "okta:app/oAuth:OAuth okta-aws-cli-app-app",
    "okta:app/saml:Saml okta-aws-app-app",
    "okta:app/user:User saml-role-assignments-jane@acmecorp.me-cli-assignment",
    "okta:app/user:User saml-role-assignments-john@acmecorp.me-cli-assignment",
    "okta:index/appOauthApiScope:AppOauthApiScope okta-aws-cli-app-api-scopes",
    "okta:index/appSignonPolicy:AppSignonPolicy sign-on-policy-policy",
    "okta:index/appSignonPolicyRule:AppSignonPolicyRule sign-on-policy-deny-others",
    "okta:index/appSignonPolicyRule:AppSignonPolicyRule sign-on-policy-two-factors",
    "okta:user/user:User saml-role-assignments-jane@acmecorp.me-user",
    "okta:user/user:User saml-role-assignments-john@acmecorp.me-user",
    "random:index/randomId:RandomId introspection-user-key-rotation",
    "random:index/randomId:RandomId okta-sso-user-key-rotation",
];

/** `type name` of every resource the shipped retail stack registers below its root Stack, sorted. */
export const shippedRetailInventory = [
    "aws:iam/role:Role EC2_Admins-role",
    "aws:iam/role:Role S3_Admins-role",
    "aws:iam/role:Role audit-role-role",
    "aws:iam/rolePolicy:RolePolicy audit-role-policy",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment EC2_Admins-AmazonEC2FullAccess",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment S3_Admins-AmazonS3FullAccess",
    "okta-aws:audit:AuditRole audit-role",
    "okta-aws:member:CrossAccountRole EC2_Admins",
    "okta-aws:member:CrossAccountRole S3_Admins",
];
