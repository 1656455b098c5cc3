// `tools/commands/sdkFloorRun.ts --plan out/plan.json [--typed]`: the Pulumi SDK's floor for a plan
// (tools/bench/sdkFloor.ts), run by `npm run bench -- --scale` as a process of its own. It loads
// the SDK as the tools do (tools/cli.ts), so the floor and the plan differ only in what they run.
import "../shared/lazySdkDependencies";
import * as fs from "fs";
import { registerPlan } from "../bench/sdkFloor";
import type { Plan } from "../plan/model";
import { UsageError } from "../../components/errors";
import { parseFlags, runCommand } from "../shared/commandLine";

const usage = "usage: node -r sucrase/register/ts tools/commands/sdkFloorRun.ts --plan out/plan.json [--typed]";

export async function main(argv: string[]): Promise<number> {
    const values = parseFlags(
        argv,
        {
            plan: { type: "string", value: "FILE", description: "the plan.json whose resources to register (required)" },
            typed: { type: "boolean", description: "register through the provider classes, not generic resources" },
        },
        usage,
        "Registers a plan's resources with no program logic: the Pulumi SDK floor the bench compares with.",
    );
    if (!values.plan) {
        throw new UsageError(`--plan is required\n${usage}`);
    }
    const plan = JSON.parse(fs.readFileSync(values.plan, "utf8")) as Plan;
    const registered = await registerPlan(plan, values.typed ?? false);
    console.log(
        `SDK floor${values.typed ? " (provider classes)" : ""}: ${registered} resources registered in ${Object.keys(plan.stacks).length} stacks`,
    );
    return 0;
}

if (require.main === module) {
    runCommand(main);
}
