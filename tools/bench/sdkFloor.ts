// The Pulumi SDK's floor for a plan: registers exactly the plan's resources (types, names,
// parents, inputs) under the SDK's mock runtime with no program logic — as bare
// `pulumi.CustomResource`s, or with `--typed` through the provider SDKs' own classes (which declare
// every output property, and the SDK makes four promises for each). `npm run bench -- --scale`
// compares the real program with both.
import * as pulumi from "@pulumi/pulumi";
import { withoutStackTraces } from "../mock/runtime";
import type { Plan, PlannedResource } from "../plan/model";
import { waitForRPCs } from "../mock/sdkInternals";

/** `pulumi.CustomResource` is abstract in its typings; the floor needs it as it is. */
class BareResource extends pulumi.CustomResource {}

const mocks: pulumi.runtime.Mocks = {
    newResource: (args) => ({ id: args.custom ? `${args.name}-id` : undefined, state: args.inputs as Record<string, unknown> }),
    call: () => ({}),
};

type ResourceClass = new (name: string, args: object, opts: pulumi.CustomResourceOptions) => pulumi.CustomResource;

/** The provider SDK class of a type token: `okta:app/user:User` is `okta.app.User`, `…:index/…` top level. */
function providerClass(type: string): ResourceClass {
    const [pkg, module, className] = type.split(":");
    const namespace = module.split("/")[0];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const sdk = require(`@pulumi/${pkg}`) as Record<string, unknown>;
    const found = ((namespace === "index" ? sdk : sdk[namespace]) as Record<string, unknown> | undefined)?.[className];
    if (typeof found !== "function") {
        throw new Error(`sdkFloor: no provider SDK class for ${type}`);
    }
    return found as ResourceClass;
}

/** Parents before children: a URN's type chain (`Parent$Child`) is one longer than its parent's. */
function registrationOrder(resources: PlannedResource[]): PlannedResource[] {
    const depth = (resource: PlannedResource) => resource.urn.split("::")[2].split("$").length;
    return [...resources].sort((a, b) => depth(a) - depth(b));
}

/** Registers one stack's resources; the root Stack is the runtime's own. */
export async function registerStack(project: string, stack: string, resources: PlannedResource[], typed: boolean): Promise<void> {
    await pulumi.runtime.setMocks(mocks, project, stack, true);
    // The same runtime settings as the program's evaluation (tools/plan/evaluate.ts).
    await withoutStackTraces(() =>
        pulumi.runtime.runInPulumiStack(() => {
            const registered = new Map<string, pulumi.Resource>();
            for (const resource of registrationOrder(resources)) {
                if (resource.type === "pulumi:pulumi:Stack") {
                    continue; // the runtime's own root; its children default to it
                }
                const parent = resource.parent ? registered.get(resource.parent) : undefined;
                const instance = !resource.type.includes("/")
                    ? new pulumi.ComponentResource(resource.type, resource.name, {}, { parent })
                    : typed
                      ? new (providerClass(resource.type))(resource.name, resource.inputs, { parent })
                      : new BareResource(resource.type, resource.name, resource.inputs, { parent });
                registered.set(resource.urn, instance);
            }
            return Promise.resolve({});
        }),
    );
    await waitForRPCs();
}

/** Registers every stack of `plan`; the number of resources registered. */
export async function registerPlan(plan: Plan, typed: boolean): Promise<number> {
    let registered = 0;
    for (const [stack, stackPlan] of Object.entries(plan.stacks)) {
        await registerStack(plan.project, stack, stackPlan.resources, typed);
        registered += stackPlan.resources.length;
    }
    return registered;
}
