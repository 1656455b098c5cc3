// The CrossGuard pack itself, served the way the Pulumi CLI serves it (@pulumi/pulumi's
// run-policy-pack in policy/, which type-checks it with ts-node) and asked over gRPC the way the
// engine asks it at `pulumi preview --policy-pack policy`: every stack of the shipped and the test
// organisation passes, and hand-made violations get exactly the offline runner's verdicts.
import { expect } from "chai";
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import {
    AnalyzeDiagnostic,
    AnalyzeRequest,
    AnalyzerProviderResource,
    AnalyzerResource,
    AnalyzerResourceOptions,
    AnalyzeStackRequest,
} from "@pulumi/pulumi/proto/analyzer_pb";
import { federationPolicies } from "../policy/rules";
import { buildPlan } from "../tools/plan/build";
import { Plan, PlannedResource, StackPlan } from "../tools/plan/model";
import { policyVerdicts } from "../tools/report/policyPack";
import { parsedPolicy, projectRoot, shippedPlan } from "./harness";

interface Finding {
    policy: string;
    stack: string;
    urn: string;
    message: string;
}

/** The default provider the engine would hand over with a resource of its package. */
function providerOf(stack: string, stackPlan: StackPlan, resource: PlannedResource): AnalyzerProviderResource | undefined {
    const pkg = resource.type.split(":")[0];
    if (!resource.type.includes("/")) {
        return undefined; // a component: no provider
    }
    const properties: Record<string, string> =
        pkg === "aws" ? { allowedAccountIds: JSON.stringify([stackPlan.accountId]), region: "us-east-1" } : {};
    return new AnalyzerProviderResource()
        .setType(`pulumi:providers:${pkg}`)
        .setName("default")
        .setUrn(`urn:pulumi:${stack}::okta-aws::pulumi:providers:${pkg}::default`)
        .setProperties(Struct.fromJavaScript(properties));
}

function options(resource: PlannedResource): AnalyzerResourceOptions {
    const opts = new AnalyzerResourceOptions().setProtect(resource.protect);
    return resource.parent ? opts.setParent(resource.parent) : opts;
}

describe("policy pack served by the Pulumi SDK (policy/index.ts over gRPC) @slow", function () {
    this.timeout(120000);
    let pack: ChildProcess;
    let client: AnalyzerClient;
    const descriptions = new Map(federationPolicies.map((p) => [p.name, p.description]));

    before(async () => {
        pack = spawn(process.execPath, [require.resolve("@pulumi/pulumi/cmd/run-policy-pack"), "127.0.0.1:1", "."], {
            cwd: path.join(projectRoot, "policy"),
            stdio: ["ignore", "pipe", "pipe"],
        });
        let stderr = "";
        pack.stderr!.on("data", (chunk) => (stderr += chunk));
        const port = await new Promise<string>((resolve, reject) => {
            pack.stdout!.once("data", (chunk) => resolve(String(chunk).trim()));
            pack.once("exit", (code) => reject(new Error(`the policy pack exited (${code}):\n${stderr}`)));
        });
        client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    });

    after(() => {
        client?.close();
        pack?.kill();
    });

    /** A diagnostic as a finding: CrossGuard puts the policy's description before the message. */
    const finding = (stack: string, urn: string, d: AnalyzeDiagnostic): Finding => {
        const prefix = `${descriptions.get(d.getPolicyname())}\n`;
        expect(d.getMessage().startsWith(prefix), d.getMessage()).to.equal(true);
        expect(d.getEnforcementlevel(), "mandatory").to.equal(1);
        return { policy: d.getPolicyname(), stack, urn: d.getUrn() || urn, message: d.getMessage().slice(prefix.length) };
    };

    /** What the pack reports for every resource (Analyze) and every stack (AnalyzeStack) of a plan. */
    async function analyzePlan(plan: Plan): Promise<Finding[]> {
        const findings: Finding[] = [];
        for (const [stack, stackPlan] of Object.entries(plan.stacks)) {
            for (const resource of stackPlan.resources) {
                const request = new AnalyzeRequest()
                    .setType(resource.type)
                    .setName(resource.name)
                    .setUrn(resource.urn)
                    .setProperties(Struct.fromJavaScript(resource.inputs as Record<string, never>))
                    .setOptions(options(resource))
                    .setProvider(providerOf(stack, stackPlan, resource));
                const response = await new Promise<AnalyzeDiagnostic[]>((resolve, reject) =>
                    client.analyze(request, (error, reply) => (error ? reject(error) : resolve(reply.getDiagnosticsList()))),
                );
                findings.push(...response.map((d) => finding(stack, resource.urn, d)));
            }
            const resources = stackPlan.resources.map((resource) =>
                new AnalyzerResource()
                    .setType(resource.type)
                    .setName(resource.name)
                    .setUrn(resource.urn)
                    .setParent(resource.parent ?? "")
                    .setProperties(Struct.fromJavaScript(resource.inputs as Record<string, never>))
                    .setOptions(options(resource))
                    .setProvider(providerOf(stack, stackPlan, resource)),
            );
            const response = await new Promise<AnalyzeDiagnostic[]>((resolve, reject) =>
                client.analyzeStack(new AnalyzeStackRequest().setResourcesList(resources), (error, reply) =>
                    error ? reject(error) : resolve(reply.getDiagnosticsList()),
                ),
            );
            findings.push(...response.map((d) => finding(stack, "", d)));
        }
        return findings;
    }

    const offline = (plan: Plan): Finding[] => policyVerdicts(plan).flatMap((v) => v.violations.map((x) => ({ policy: v.policy, ...x })));
    const sorted = (findings: Finding[]) => [...findings].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

    it("passes every stack of the shipped and the test organisations", async () => {
        for (const dir of [projectRoot, ...["globex", "initech"].map((name) => path.join(projectRoot, "tests", "fixtures", name))]) {
            expect(await analyzePlan((await buildPlan(dir)).plan), dir).to.deep.equal([]);
        }
    });

    it("reports hand-made violations exactly as the offline runner does", async () => {
        const plan = (await shippedPlan()).plan;
        const retailRole = plan.stacks.retail.resources.find((r) => r.name === "EC2_Admins-role")!;
        const trust = parsedPolicy(retailRole.inputs.assumeRolePolicy);
        trust.Statement[0].Condition = { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::671250594556:role/*" } };
        retailRole.inputs.assumeRolePolicy = JSON.stringify(trust);
        const identity = plan.stacks.identity.resources;
        identity.find((r) => r.type === "aws:iam/samlProvider:SamlProvider")!.protect = false;
        identity.find((r) => r.name === "sign-on-policy-policy")!.inputs.catchAll = true;
        const policy = identity.find((r) => r.name === "Sales-EC2-Admins-policy")!;
        policy.inputs.policy = (policy.inputs.policy as string).replace("arn:aws:iam::881102293469:role/EC2_Admins", "*");
        identity.push({
            urn: "urn:pulumi:identity::okta-aws::aws:iam/accessKey:AccessKey::john-key",
            type: "aws:iam/accessKey:AccessKey",
            name: "john-key",
            parent: null,
            protect: false,
            inputs: { user: "john" },
        });
        const expected = offline(plan);
        expect(expected.map((f) => f.policy)).to.deep.equal([
            "member-role-trust",
            "assume-policy-scope",
            "access-keys-for-service-users",
            // Both apps carry the policy that keeps its catch-all.
            "app-sign-on-policy",
            "app-sign-on-policy",
            "identity-resources-protected",
        ]);
        expect(sorted(await analyzePlan(plan))).to.deep.equal(sorted(expected));
    });
});
