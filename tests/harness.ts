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
