// `npm run deploy [-- --dry-run [--github-output]] [--config-dir DIR]`: what .github/workflows/deploy.yml
// does, from this machine, with the Automation API: `pulumi up` of every member stack in parallel,
// then of the identity stack, each judged by the policy pack, in the order of
// tools/plan/deployOrder.ts. --dry-run prints the order and the commands and needs no Pulumi CLI;
// --github-output prints the order as the workflows' job outputs.
import * as fs from "fs";
import * as path from "path";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { projectName } from "../../components/config";
import { DeployOrder, deployOrder, DeployStack, githubOutputLines } from "../plan/deployOrder";
import { UsageError } from "../../components/errors";
import { parseFlags, runCommand } from "../shared/commandLine";
import { existingDirectory } from "../shared/files";

const projectRoot = path.join(__dirname, "..", "..");

/** Environment of every real run: the program is type-checked once (npm run typecheck), not per stack. */
export const deployEnvironment = { PULUMI_NODEJS_TRANSPILE_ONLY: "true" };

/** The CLI command the Automation API runs for one stack, as a user would type it. */
export function upCommand(stack: DeployStack): string {
    return `pulumi up --yes --stack ${stack.stack} --policy-pack policy`;
}

export function dryRunLines(order: DeployOrder, configDir: string): string[] {
    const environment = Object.entries(deployEnvironment).map(([name, value]) => `${name}=${value}`);
    return [
        `Deploy order of ${projectName} from ${configDir} (${projectName}:memberStacks of Pulumi.${order.identity.name}.yaml); dry run, nothing is deployed`,
        `1. member stacks, in parallel: ${order.members.map((m) => m.stack).join(", ")}`,
        ...order.members.map((m) => `     ${environment.join(" ")} ${upCommand(m)}`),
        `2. then the identity stack, which reads the members' outputs: ${order.identity.stack}`,
        `     ${environment.join(" ")} ${upCommand(order.identity)}`,
        ...(order.afterIdentity.length > 0
            ? [
                  `3. then again, in parallel, the members signed in to directly, whose SAML providers take the identity stack's Okta app metadata: ${order.afterIdentity.map((m) => m.stack).join(", ")}`,
                  ...order.afterIdentity.map((m) => `     ${environment.join(" ")} ${upCommand(m)}`),
              ]
            : []),
    ];
}

/**
 * A failed `pulumi up` in one line, never a stack: the Automation API's CommandError message starts
 * with the CLI's exit code, and the CLI's own output has been printed above already.
 */
const oneLine = (error: unknown) => `pulumi up failed (${(error instanceof Error ? error.message : String(error)).split("\n")[0].trim()})`;

/** `pulumi up` of one stack through the Automation API, its output prefixed with the stack's name. */
async function up(stack: DeployStack): Promise<void> {
    const workspaceStack = await LocalWorkspace.selectStack(
        { stackName: stack.stack, workDir: projectRoot },
        { envVars: deployEnvironment },
    );
    let pending = "";
    await workspaceStack.up({
        policyPacks: [path.join(projectRoot, "policy")],
        onOutput: (chunk) => {
            const lines = (pending + chunk).split("\n");
            pending = lines.pop()!;
            lines.forEach((line) => console.log(`[${stack.name}] ${line}`));
        },
    });
    if (pending) {
        console.log(`[${stack.name}] ${pending}`);
    }
}

/**
 * Whether `command` is an executable file in a folder of PATH (with PATHEXT's endings on Windows).
 * The Automation API runs the CLI by name (@pulumi/pulumi automation/cmd.js: `execa("pulumi", …)`),
 * and without it every stack fails with execa's bare `code: -2` (ENOENT).
 */
function onPath(command: string, environment: NodeJS.ProcessEnv = process.env): boolean {
    const endings = process.platform === "win32" ? (environment.PATHEXT ?? ".EXE;.CMD").split(";") : [""];
    return (environment.PATH ?? "")
        .split(path.delimiter)
        .filter((dir) => dir !== "")
        .some((dir) =>
            endings.some((ending) => {
                try {
                    fs.accessSync(path.join(dir, command + ending), fs.constants.X_OK);
                    return fs.statSync(path.join(dir, command + ending)).isFile();
                } catch {
                    return false;
                }
            }),
        );
}

/** Members in parallel, then identity only if every member succeeded, then the direct members again. */
async function deploy(order: DeployOrder): Promise<string[]> {
    const results = await Promise.allSettled(order.members.map(up));
    const failures = results.flatMap((result, i) =>
        result.status === "rejected" ? [`${order.members[i].stack}: ${oneLine(result.reason)}`] : [],
    );
    if (failures.length) {
        return [...failures, `${order.identity.stack}: not deployed, a member stack failed`];
    }
    try {
        await up(order.identity);
    } catch (error) {
        return [
            `${order.identity.stack}: ${oneLine(error)}`,
            ...order.afterIdentity.map((m) => `${m.stack}: not deployed again, the identity stack failed`),
        ];
    }
    // The direct members' SAML providers take the metadata the identity stack exports now.
    const again = await Promise.allSettled(order.afterIdentity.map(up));
    return again.flatMap((result, i) =>
        result.status === "rejected" ? [`${order.afterIdentity[i].stack}: ${oneLine(result.reason)}`] : [],
    );
}

const usage = "usage: npm run deploy -- [--dry-run [--github-output]] [--config-dir DIR]";

export async function main(argv: string[]): Promise<number> {
    const values = parseFlags(
        argv,
        {
            "dry-run": {
                type: "boolean",
                description: "print the order and the `pulumi up` commands; deploys nothing, needs no Pulumi CLI",
            },
            "github-output": { type: "boolean", description: "with --dry-run: print the order as the workflows' job outputs" },
            "config-dir": {
                type: "string",
                value: "DIR",
                description: "the folder of the Pulumi.<stack>.yaml files (default: this project's; another folder only with --dry-run)",
            },
        },
        usage,
        "`pulumi up` of every member stack in parallel, then of the identity stack, each judged by the policy pack (what the deploy workflow does). Needs the Pulumi CLI and credentials. Exit 1 if a stack fails.",
    );
    if (values["github-output"] && !values["dry-run"]) {
        throw new UsageError(`--github-output prints the order of a dry run; add --dry-run\n${usage}`);
    }
    const configDir = existingDirectory("--config-dir", values["config-dir"] ?? projectRoot);
    const order = deployOrder(configDir);
    if (values["dry-run"]) {
        console.log((values["github-output"] ? githubOutputLines(order) : dryRunLines(order, configDir)).join("\n"));
        return 0;
    }
    if (configDir !== projectRoot) {
        throw new UsageError(`a real deploy runs the project's own stack files in ${projectRoot}; --config-dir is for --dry-run\n${usage}`);
    }
    if (!onPath("pulumi")) {
        throw new UsageError(
            "the Pulumi CLI is not on PATH: install it (https://www.pulumi.com/docs/iac/download-install/) or add its folder to PATH; --dry-run prints the commands without it",
        );
    }
    const failures = await deploy(order);
    failures.forEach((failure) => console.error(failure));
    return failures.length ? 1 : 0;
}

if (require.main === module) {
    runCommand(main);
}
