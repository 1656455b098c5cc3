// The child process ./atRevision.ts starts for each revision, with an empty environment: builds
// the plan of that revision's program and stack files with THIS checkout's plan builder and mock,
// and writes it as JSON. The revision's own tools never run.
import * as fs from "fs";
import * as path from "path";
import { ConfigError } from "../../components/config";
import { UsageError } from "../../components/errors";
import { parseFlags, runCommand } from "../shared/commandLine";
import { writeAtomically } from "../shared/files";
import { buildPlan } from "./build";

const usage = "usage: revisionWorker.ts --dir DIR --out FILE (DIR holds index.ts, components/, the stack files and .mock-idp-key.json)";

/**
 * The revision's program throws its own ConfigError class (another copy of components/config):
 * the same problems, printed in the one message format.
 */
function asConfigError(error: unknown): unknown {
    const problems = (error as { name?: unknown; problems?: unknown } | null)?.problems;
    return (error as Error | null)?.name === "ConfigError" && Array.isArray(problems) && problems.every((p) => typeof p === "string")
        ? new ConfigError(problems)
        : error;
}

export async function main(argv: string[]): Promise<number> {
    const values = parseFlags(
        argv,
        {
            dir: { type: "string", value: "DIR", description: "the revision's checkout, with its index.ts (required)" },
            out: { type: "string", value: "FILE", description: "where to write its plan as JSON (required)" },
        },
        usage,
        "Builds one revision's offline plan in a process of its own, for the access diff.",
    );
    if (values.dir === undefined || values.out === undefined) {
        throw new UsageError(usage);
    }
    // The require cache is keyed by real paths: the program is reloaded for every stack by its key.
    const dir = fs.realpathSync(path.resolve(values.dir));
    const program = path.join(dir, "index.ts");
    if (!fs.existsSync(program)) {
        throw new UsageError("the revision has no index.ts: there is no program to plan");
    }
    try {
        const { plan } = await buildPlan(dir, path.join(dir, ".mock-idp-key.json"), program);
        writeAtomically(path.resolve(values.out), `${JSON.stringify(plan)}\n`);
        return 0;
    } catch (error) {
        throw asConfigError(error);
    }
}

if (require.main === module) {
    runCommand(main);
}
