// `npm run deploy [-- --dry-run [--github-output]] [--config-dir DIR]`: what .github/workflows/deploy.yml
// does, from this machine, with the Automation API: `pulumi up` of every member stack in parallel,
// then of the identity stack (it reads the members' outputs through StackReferences), each judged
// by the policy pack. The member list is the identity stack file's `okta-aws:memberStacks`, the
// same list the workflow's matrix is read from. --dry-run prints the order and the commands and
// needs no Pulumi CLI; --github-output prints the order as the workflow's job outputs.
import * as path from "path";
import { parseArgs } from "node:util";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { ConfigError, configProblem, IdentityConfig, projectName } from "../components/config";
import { organisationOf } from "./plan";
import { listStackFiles, stackConfigOf } from "./stackFiles";

const projectRoot = path.join(__dirname, "..");

/** One stack to deploy: its stack file's name (`sales`) and the name Pulumi selects it by. */
export interface DeployStack {
    /** The stack file `Pulumi.<name>.yaml`; also names the stack's credentials in the workflow. */
    name: string;
    /** As `okta-aws:memberStacks` writes it: a bare name of this organisation, or `org/project/stack`. */
    stack: string;
}

export interface DeployOrder {
    /** Deployed first, in parallel: nothing reads another member. */
    members: DeployStack[];
    /** Deployed last: it reads every member's outputs. */
    identity: DeployStack;
}

/** The deploy order of the organisation in `configDir`, from the identity stack's own member list. */
export function deployOrder(configDir: string): DeployOrder {
    const stackFiles = listStackFiles(configDir);
    const { identity } = organisationOf(stackFiles, configDir);
    const config = stackConfigOf(identity) as IdentityConfig;
    const key = `${projectName}:memberStacks`;
    const members = config.memberStacks.map((stack) => ({ name: stack.split("/").pop()!, stack }));
    const missing = members.filter((m) => !stackFiles.some((f) => f.stack === m.name));
    if (missing.length) {
        throw new ConfigError(
            missing.map((m) =>
                configProblem(path.basename(identity.file), key, m.stack, `no Pulumi.${m.name}.yaml in ${configDir} to deploy it from`),
            ),
        );
    }
    return { members, identity: { name: identity.stack, stack: identity.stack } };
}

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
    ];
}

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

/** Members in parallel, then identity only if every member succeeded. */
async function deploy(order: DeployOrder): Promise<string[]> {
    const results = await Promise.allSettled(order.members.map(up));
    const failures = results.flatMap((result, i) =>
        result.status === "rejected" ? [`${order.members[i].stack}: ${String(result.reason)}`] : [],
    );
    if (failures.length) {
        return [...failures, `${order.identity.stack}: not deployed, a member stack failed`];
    }
    try {
        await up(order.identity);
        return [];
    } catch (error) {
        return [`${order.identity.stack}: ${String(error)}`];
    }
}

/** The order as `name=value` lines for $GITHUB_OUTPUT: the deploy workflow's matrix and identity job. */
export function githubOutputLines(order: DeployOrder): string[] {
    return [`members=${JSON.stringify(order.members)}`, `identity=${JSON.stringify(order.identity)}`];
}

const usage = "usage: npm run deploy -- [--dry-run [--github-output]] [--config-dir DIR]";

export async function main(argv: string[]): Promise<number> {
    let values;
    try {
        ({ values } = parseArgs({
            args: argv,
            options: { "dry-run": { type: "boolean" }, "github-output": { type: "boolean" }, "config-dir": { type: "string" } },
            strict: true,
            allowPositionals: false,
        }));
        if (values["github-output"] && !values["dry-run"]) {
            throw new Error("--github-output prints the order of a dry run; add --dry-run");
        }
    } catch (error) {
        console.error(`${(error as Error).message}\n${usage}`);
        return 1;
    }
    try {
        const configDir = path.resolve(values["config-dir"] ?? projectRoot);
        const order = deployOrder(configDir);
        if (values["dry-run"]) {
            console.log((values["github-output"] ? githubOutputLines(order) : dryRunLines(order, configDir)).join("\n"));
            return 0;
        }
        if (configDir !== projectRoot) {
            console.error(`a real deploy runs the project's own stack files in ${projectRoot}; --config-dir is for --dry-run\n${usage}`);
            return 1;
        }
        const failures = await deploy(order);
        failures.forEach((failure) => console.error(failure));
        return failures.length ? 1 : 0;
    } catch (error) {
        console.error(error instanceof ConfigError ? error.message : error);
        return 1;
    }
}

if (require.main === module) {
    void main(process.argv.slice(2)).then((code) => process.exit(code));
}
