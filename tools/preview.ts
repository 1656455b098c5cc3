// `npm start`: the offline preview of the whole organisation. Evaluates every stack of a config
// directory with the real program under the mock runtime (members first, then identity with its
// StackReferences answered), prints what `pulumi preview` would create and who can reach what,
// and writes out/plan.json and out/access.md.
import * as fs from "fs";
import * as path from "path";
import { ConfigError, projectName } from "../components/config";
import { qualifiedStackName } from "../components/names";
import { AccessRow, accessMarkdown, accessRows, accessTable } from "./access";
import { evaluateStack, PlannedResource, StackEvaluation } from "./evaluate";
import { mockIdpKey, StackOutputsForReference } from "./mockCloud";
import { listStackFiles, StackFile } from "./stackFiles";
import { Check, checkPassed, verdictLines, verdictMarkdown, verifyPlan } from "./verify";

export interface StackPlan {
    kind: "identity" | "member";
    accountId: string;
    resources: PlannedResource[];
    outputs: Record<string, unknown>;
}

export interface Plan {
    project: string;
    stacks: Record<string, StackPlan>;
    access: AccessRow[];
}

export interface PreviewResult {
    plan: Plan;
    evaluations: StackEvaluation[];
}

/** Which stack files are the identity stack and its members. */
export function organisationOf(stackFiles: StackFile[], configDir: string): { identity: StackFile; members: StackFile[] } {
    const identities = stackFiles.filter((f) => f.rawConfig[`${projectName}:memberStacks`] !== undefined);
    if (identities.length !== 1) {
        throw new ConfigError([
            `${configDir}: expected exactly one identity stack file (with ${projectName}:memberStacks), found ${identities.length}${identities.length ? `: ${identities.map((f) => path.basename(f.file)).join(", ")}` : ""}`,
        ]);
    }
    const members = stackFiles.filter((f) => f !== identities[0]);
    return { identity: identities[0], members };
}

/** Evaluates the organisation in a config directory. */
export async function buildPlan(configDir: string, idpKeyCacheFile?: string): Promise<PreviewResult> {
    const stackFiles = listStackFiles(configDir);
    const { identity, members } = organisationOf(stackFiles, configDir);

    const memberEvaluations: StackEvaluation[] = [];
    for (const member of members) {
        memberEvaluations.push(await evaluateStack(member, {}, idpKeyCacheFile));
    }
    const stackOutputs: Record<string, StackOutputsForReference> = {};
    for (const evaluation of memberEvaluations) {
        stackOutputs[qualifiedStackName("organization", projectName, evaluation.stack)] = evaluation.reference;
    }
    const identityEvaluation = await evaluateStack(identity, stackOutputs, idpKeyCacheFile);
    const evaluations = [...memberEvaluations, identityEvaluation];

    const stacks: Record<string, StackPlan> = {};
    for (const evaluation of evaluations) {
        stacks[evaluation.stack] = {
            kind: evaluation.config.kind,
            accountId: evaluation.config.account.id,
            resources: [...evaluation.resources].sort((a, b) => a.urn.localeCompare(b.urn)),
            outputs: evaluation.outputs,
        };
    }
    return { plan: { project: projectName, stacks, access: accessRows(identityEvaluation, memberEvaluations) }, evaluations };
}

/** The preview's text: per stack a tree of resources, counts per type and outputs; then access. */
export function renderPreview(result: PreviewResult): string[] {
    const lines: string[] = [];
    for (const evaluation of result.evaluations) {
        const stackPlan = result.plan.stacks[evaluation.stack];
        lines.push(`Stack ${evaluation.stack} (${stackPlan.kind}, account ${stackPlan.accountId})`);
        const children = new Map<string | null, PlannedResource[]>();
        for (const resource of stackPlan.resources) {
            children.set(resource.parent, [...(children.get(resource.parent) ?? []), resource]);
        }
        const typeWidth = Math.max(...stackPlan.resources.map((r) => r.type.length)) + 8;
        const walk = (parent: string | null, depth: number) => {
            for (const resource of children.get(parent) ?? []) {
                const type = `${"  ".repeat(depth)}${resource.type}`;
                lines.push(
                    `  + ${type.padEnd(typeWidth)} ${resource.name}${resource.protect && resource.type.includes("/") ? "  [protected]" : ""}`,
                );
                walk(resource.urn, depth + 1);
            }
        };
        walk(null, 0);
        const counts = new Map<string, number>();
        for (const resource of stackPlan.resources) {
            counts.set(resource.type, (counts.get(resource.type) ?? 0) + 1);
        }
        lines.push(`  Resources: ${stackPlan.resources.length} to create`);
        for (const [type, count] of [...counts].sort()) {
            lines.push(`    ${String(count).padStart(3)} ${type}`);
        }
        lines.push("  Outputs:");
        for (const line of JSON.stringify(stackPlan.outputs, null, 2).split("\n").slice(1, -1)) {
            lines.push(`  ${line}`);
        }
        lines.push("");
    }
    lines.push("Access (who → federated role → member account role → policies)");
    lines.push(...accessTable(result.plan.access).map((line) => `  ${line}`));
    return lines;
}

/** Writes a file whole or not at all. */
function writeAtomically(file: string, content: string): void {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, content);
    fs.renameSync(temporary, file);
}

export function writePlanFiles(result: PreviewResult, outDir: string, checks: Check[] = []): string[] {
    const planFile = path.join(outDir, "plan.json");
    const accessFile = path.join(outDir, "access.md");
    writeAtomically(planFile, `${JSON.stringify(result.plan, null, 2)}\n`);
    writeAtomically(accessFile, [accessMarkdown(result.plan.access), ...(checks.length ? [verdictMarkdown(checks)] : [])].join("\n"));
    const identity = result.evaluations.find((e) => e.config.kind === "identity")!;
    const profiles = identity.reference.outputs.awsCliProfiles as Record<string, string>;
    const profileFiles = Object.entries(profiles).map(([login, text]) => {
        const file = path.join(outDir, "aws-config", `${login}.ini`);
        writeAtomically(file, text);
        return file;
    });
    return [planFile, accessFile, ...profileFiles];
}

function parseArguments(argv: string[]): { configDir: string; outDir: string; verify: boolean } {
    const root = path.join(__dirname, "..");
    const options = { configDir: root, outDir: path.join(root, "out"), verify: true };
    for (let i = 0; i < argv.length; i++) {
        const value = argv[i + 1];
        if ((argv[i] === "--config-dir" || argv[i] === "--out") && value) {
            options[argv[i] === "--config-dir" ? "configDir" : "outDir"] = path.resolve(value);
            i++;
        } else if (argv[i] === "--no-verify") {
            options.verify = false;
        } else {
            throw new Error(`usage: npm start -- [--config-dir DIR] [--out DIR] [--no-verify] (unexpected ${JSON.stringify(argv[i])})`);
        }
    }
    return options;
}

/** The offline preview, then the verification of every sign-in; 1 on bad input or a failed check. */
export async function main(argv: string[]): Promise<number> {
    try {
        const { configDir, outDir, verify } = parseArguments(argv);
        const idpKeyFile = path.join(outDir, ".mock-idp-key.json");
        const result = await buildPlan(configDir, idpKeyFile);
        const checks = verify ? await verifyPlan(result.plan, mockIdpKey(idpKeyFile).privateKeyPem) : [];
        const files = writePlanFiles(result, outDir, checks);
        console.log(
            `Offline preview of ${projectName}: ${result.evaluations.length} stacks from ${configDir} (mock runtime; nothing is sent to AWS or Okta)\n`,
        );
        console.log(renderPreview(result).join("\n"));
        if (verify) {
            console.log(
                `\nVerification (samlify + iam-simulate)\n${verdictLines(checks)
                    .map((line) => `  ${line}`)
                    .join("\n")}`,
            );
        }
        console.log(`\nWrote ${files.map((f) => path.relative(process.cwd(), f)).join(", ")}`);
        return checks.every(checkPassed) ? 0 : 1;
    } catch (error) {
        console.error(error instanceof ConfigError ? error.message : error);
        return 1;
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then((code) => process.exit(code));
}
