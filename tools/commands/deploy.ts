// `npm run deploy [-- [--preview] [--dry-run [--github-output]] [--config-dir DIR]]`: what
// .github/workflows/deploy.yml does, from this machine, with the Automation API: `pulumi up` of every
// member stack in parallel, then of the identity stack, each judged by the policy pack, in the order
// of tools/plan/deployOrder.ts. --preview runs `pulumi preview` of each stack in that order instead,
// one after another, for a first run by hand. --dry-run prints the order and the commands and needs
// no Pulumi CLI; --github-output prints the order as the workflows' job outputs.
import * as fs from "fs";
import * as path from "path";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { projectName } from "../../components/config";
import { projectFileName } from "../../components/stackFolder";
import { DeployOrder, deployOrder, DeployStack, githubOutputLines } from "../plan/deployOrder";
import { UsageError } from "../../components/errors";
import { parseFlags, runCommand } from "../shared/commandLine";
import { existingDirectory } from "../shared/files";
import { defaultProjectFolder, policyPackFolder } from "../shared/projectFolder";
import { usageLine } from "../shared/invocation";

/** Environment of every real run: the program is type-checked once (npm run typecheck), not per stack. */
export const deployEnvironment = { PULUMI_NODEJS_TRANSPILE_ONLY: "true" };

/**
 * The CLI command the Automation API runs for one stack in the project folder `projectDir`, as a
 * user would type it there: the policy pack is this project's policy/, or the installed package's.
 */
function upCommand(stack: DeployStack, projectDir: string): string {
    return `pulumi up --yes --stack ${stack.stack} --policy-pack ${path.relative(projectDir, policyPackFolder)}`;
}

/** The preview of one stack in the project folder `projectDir`, as a user would type it there: what `--preview` runs. */
function previewCommand(stack: DeployStack, projectDir: string): string {
    return `pulumi preview --stack ${stack.stack} --policy-pack ${path.relative(projectDir, policyPackFolder)}`;
}

/** The order and the commands of a deploy, or of `--preview` (`preview`), nothing run. */
function dryRunLines(order: DeployOrder, configDir: string, preview = false): string[] {
    const environment = Object.entries(deployEnvironment).map(([name, value]) => `${name}=${value}`);
    const command = (stack: DeployStack) =>
        `     ${environment.join(" ")} ${preview ? previewCommand(stack, configDir) : upCommand(stack, configDir)}`;
    return [
        `${preview ? "Preview" : "Deploy"} order of ${projectName} from ${configDir} (${projectName}:memberStacks of Pulumi.${order.identity.name}.yaml); dry run, nothing is ${preview ? "previewed" : "deployed"}`,
        fs.existsSync(path.join(configDir, projectFileName))
            ? `The commands run in ${configDir}, the project folder.`
            : `The commands run in a project folder (with ${projectFileName}) that holds these stack files: ${configDir} has no ${projectFileName}.`,
        `1. member stacks, ${preview ? "one after another" : "in parallel"}: ${order.members.map((m) => m.stack).join(", ")}`,
        ...order.members.map(command),
        `2. then the identity stack, which reads the members' outputs: ${order.identity.stack}`,
        command(order.identity),
        // A preview changes no output, so the direct members' second run is a deploy's only.
        ...(order.afterIdentity.length > 0 && !preview
            ? [
                  `3. then again, in parallel, the members signed in to directly, whose SAML providers take the identity stack's Okta app metadata: ${order.afterIdentity.map((m) => m.stack).join(", ")}`,
                  ...order.afterIdentity.map(command),
              ]
            : []),
    ];
}

/**
 * A failed `pulumi up` in one line, never a stack: the Automation API's CommandError message starts
 * with the CLI's exit code, and the CLI's own output has been printed above already.
 */
const oneLine = (error: unknown, operation = "up") =>
    `pulumi ${operation} failed (${(error instanceof Error ? error.message : String(error)).split("\n")[0].trim()})`;

/** `pulumi up` (or `preview`) of one stack of the project in `projectDir` through the Automation API, its output prefixed with the stack's name. */
async function run(stack: DeployStack, projectDir: string, operation: "up" | "preview"): Promise<void> {
    const workspaceStack = await LocalWorkspace.selectStack(
        { stackName: stack.stack, workDir: projectDir },
        { envVars: deployEnvironment },
    );
    let pending = "";
    const options = {
        policyPacks: [policyPackFolder],
        onOutput: (chunk: string) => {
            const lines = (pending + chunk).split("\n");
            pending = lines.pop()!;
            lines.forEach((line) => console.log(`[${stack.name}] ${line}`));
        },
    };
    await (operation === "up" ? workspaceStack.up(options) : workspaceStack.preview(options));
    if (pending) {
        console.log(`[${stack.name}] ${pending}`);
    }
}

const up = (stack: DeployStack, projectDir: string) => run(stack, projectDir, "up");

/** Every stack's preview in deploy order, one after another (their output stays readable); every stack is previewed whatever failed before. */
async function previewAll(order: DeployOrder, projectDir: string): Promise<string[]> {
    const failures: string[] = [];
    for (const stack of [...order.members, order.identity]) {
        try {
            await run(stack, projectDir, "preview");
        } catch (error) {
            failures.push(`${stack.stack}: ${oneLine(error, "preview")}`);
        }
    }
    return failures;
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
async function deploy(order: DeployOrder, projectDir: string): Promise<string[]> {
    const results = await Promise.allSettled(order.members.map((member) => up(member, projectDir)));
    const failures = results.flatMap((result, i) =>
        result.status === "rejected" ? [`${order.members[i].stack}: ${oneLine(result.reason)}`] : [],
    );
    if (failures.length) {
        return [...failures, `${order.identity.stack}: not deployed, a member stack failed`];
    }
    try {
        await up(order.identity, projectDir);
    } catch (error) {
        return [
            `${order.identity.stack}: ${oneLine(error)}`,
            ...order.afterIdentity.map((m) => `${m.stack}: not deployed again, the identity stack failed`),
        ];
    }
    // The direct members' SAML providers take the metadata the identity stack exports now.
    const again = await Promise.allSettled(order.afterIdentity.map((member) => up(member, projectDir)));
    return again.flatMap((result, i) =>
        result.status === "rejected" ? [`${order.afterIdentity[i].stack}: ${oneLine(result.reason)}`] : [],
    );
}

const usage = usageLine("deploy", "[--preview] [--dry-run [--github-output]] [--config-dir DIR]");

export async function main(argv: string[]): Promise<number> {
    const values = parseFlags(
        argv,
        {
            preview: {
                type: "boolean",
                description: "run `pulumi preview` of each stack in deploy order instead, one after another; changes nothing",
            },
            "dry-run": {
                type: "boolean",
                description: "print the order and the `pulumi up` commands; deploys nothing, needs no Pulumi CLI",
            },
            "github-output": { type: "boolean", description: "with --dry-run: print the order as the workflows' job outputs" },
            "config-dir": {
                type: "string",
                value: "DIR",
                description:
                    "the project folder, with its Pulumi.yaml and Pulumi.<stack>.yaml files (default: this project's); a folder of stack files alone only with --dry-run",
            },
        },
        usage,
        "`pulumi up` of every member stack in parallel, then of the identity stack, each judged by the policy pack (what the deploy workflow does). Needs the Pulumi CLI and credentials. Exit 1 if a stack fails.",
    );
    if (values["github-output"] && !values["dry-run"]) {
        throw new UsageError(`--github-output prints the order of a dry run; add --dry-run\n${usage}`);
    }
    const configDir = existingDirectory("--config-dir", values["config-dir"] ?? defaultProjectFolder());
    const order = deployOrder(configDir);
    if (values["dry-run"]) {
        console.log(
            (values["github-output"] ? githubOutputLines(order) : dryRunLines(order, configDir, values.preview ?? false)).join("\n"),
        );
        return 0;
    }
    // The Pulumi CLI runs a project: its Pulumi.yaml and program (index.ts) beside the stack files.
    if (!fs.existsSync(path.join(configDir, projectFileName))) {
        throw new UsageError(
            `a real deploy runs a Pulumi project, and ${configDir} has no ${projectFileName}: run it in a configuration repository (\`okta-aws new\` writes one); a folder of stack files alone is for --dry-run\n${usage}`,
        );
    }
    if (!onPath("pulumi")) {
        throw new UsageError(
            "the Pulumi CLI is not on PATH: install it (https://www.pulumi.com/docs/iac/download-install/) or add its folder to PATH; --dry-run prints the commands without it",
        );
    }
    const failures = await (values.preview ? previewAll(order, configDir) : deploy(order, configDir));
    failures.forEach((failure) => console.error(failure));
    return failures.length ? 1 : 0;
}

if (require.main === module) {
    runCommand(main);
}
