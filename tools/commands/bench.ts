// `npm run bench`: how long the offline preview takes, as a user runs it, with variants measured in
// one run (tools/bench/measure.ts). `npm run bench -- --scale` generates organisations of three
// sizes (tools/bench/scaleOrganisation.ts) and compares the plan, the plan with verification and
// the Pulumi SDK's floor for exactly the same resources (tools/bench/sdkFloor.ts).
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { benchScale, benchShipped, machineLine, recordResults, resultsFile } from "../bench/measure";
import { directShareFlag, directShareOf, scaleSizes } from "../bench/scaleOrganisation";
import { UsageError } from "../../components/errors";
import { parseFlags, runCommand } from "../shared/commandLine";

/** Prints a run's results and keeps them in bench/results.md, replacing that kind's last run. */
async function record(heading: string, lines: string[]): Promise<void> {
    console.log([heading, "", ...lines].join("\n"));
    await recordResults(resultsFile, heading, lines);
    console.log(`\nWrote ${path.relative(process.cwd(), resultsFile)}`);
}

const usage = "usage: npm run bench -- [--runs N] [--scale [--sizes S,M,L] [--mode samlUserRoles|groupMapping] [--direct-share SHARE]]";

export async function main(argv: string[]): Promise<number> {
    let scratch: string | undefined;
    try {
        const values = parseFlags(
            argv,
            {
                scale: { type: "boolean", description: "time generated organisations against the bare Pulumi SDK floor" },
                sizes: { type: "string", value: "S,M,L", description: "with --scale: the sizes to run (default: S,M,L)" },
                mode: { type: "string", value: "samlUserRoles|groupMapping", description: "with --scale: who gets which role" },
                "direct-share": { ...directShareFlag, description: `with --scale: ${directShareFlag.description}` },
                runs: { type: "string", value: "N", description: "runs per measurement (default: BENCH_RUNS or the bench's own)" },
            },
            usage,
            "Times the tools and records the results in bench/results.md, replacing that kind's last run.",
        );
        const runs = values.runs ?? process.env.BENCH_RUNS;
        if (runs !== undefined && !/^[1-9]\d*$/.test(runs)) {
            throw new UsageError(`--runs: ${JSON.stringify(runs)} is not a positive whole number of runs\n${usage}`);
        }
        scratch = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-bench-"));
        if (values.scale) {
            const sizes = (values.sizes ?? "S,M,L").split(",") as (keyof typeof scaleSizes)[];
            const unknown = sizes.filter((size) => !(size in scaleSizes));
            if (unknown.length > 0) {
                throw new UsageError(`bench: unknown size ${unknown.join(", ")}; the sizes are ${Object.keys(scaleSizes).join(", ")}`);
            }
            const mode = values.mode ?? "samlUserRoles";
            if (mode !== "samlUserRoles" && mode !== "groupMapping") {
                throw new UsageError(`--mode: ${JSON.stringify(mode)} is not samlUserRoles or groupMapping\n${usage}`);
            }
            const directShare = directShareOf(values["direct-share"]);
            if (typeof directShare === "string") {
                throw new UsageError(`${directShare}\n${usage}`);
            }
            if (directShare > 0 && mode !== "groupMapping") {
                throw new UsageError(`--direct-share: direct sign-in needs --mode groupMapping, not ${mode}\n${usage}`);
            }
            const rounds = Number(values.runs ?? 1);
            await record(`Scale (${mode}${directShare > 0 ? `, direct share ${directShare}` : ""}), ${machineLine()}`, [
                `\`npm run bench -- ${argv.join(" ")}\``,
                "",
                ...benchScale(sizes, mode, rounds, scratch, directShare),
            ]);
        } else {
            await record(`npm start, ${machineLine()}`, benchShipped(Number(runs ?? 5), path.join(scratch, "out")));
        }
        return 0;
    } finally {
        if (scratch) {
            fs.rmSync(scratch, { recursive: true, force: true });
        }
    }
}

if (require.main === module) {
    runCommand(main);
}
