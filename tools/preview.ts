// `npm start`: the offline preview of the whole organisation. Builds the plan (tools/plan.ts),
// prints what `pulumi preview` would create and who can reach what, verifies every sign-in, and
// writes out/plan.json, out/access.md and each person's AWS CLI profiles.
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "node:util";
import { ConfigError, projectName } from "../components/config";
import { accessMarkdown, accessTable } from "./access";
import { mockIdpKey } from "./mock/idp";
import { buildPlan, PlannedResource, PreviewResult } from "./plan";
import { verifyPlan } from "./verification/checks";
import { verdictLines, verdictMarkdown } from "./verification/report";
import { Check, checkPassed } from "./verification/simulator";

/** The preview's text: per stack a tree of resources, counts per type and outputs; then access. */
export function renderPreview(result: PreviewResult): string[] {
    const lines: string[] = [];
    for (const evaluation of result.evaluations) {
        const stackPlan = result.plan.stacks[evaluation.stack];
        lines.push(`Stack ${evaluation.stack} (${stackPlan.kind}, account ${stackPlan.accountId})`);
        const children = new Map<string | null, PlannedResource[]>();
        for (const resource of stackPlan.resources) {
            const siblings = children.get(resource.parent);
            if (siblings) {
                siblings.push(resource);
            } else {
                children.set(resource.parent, [resource]);
            }
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

const usage = "usage: npm start -- [--config-dir DIR] [--out DIR] [--no-verify]";

function parseArguments(argv: string[]): { configDir: string; outDir: string; verify: boolean } {
    const root = path.join(__dirname, "..");
    let values;
    try {
        ({ values } = parseArgs({
            args: argv,
            options: { "config-dir": { type: "string" }, out: { type: "string" }, "no-verify": { type: "boolean" } },
            strict: true,
            allowPositionals: false,
        }));
    } catch (error) {
        throw new UsageError(`${(error as Error).message}\n${usage}`);
    }
    return {
        configDir: path.resolve(values["config-dir"] ?? root),
        outDir: path.resolve(values.out ?? path.join(root, "out")),
        verify: !values["no-verify"],
    };
}

/** A command-line mistake: printed as it is, without a stack trace. */
export class UsageError extends Error {}

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
        console.error(error instanceof ConfigError || error instanceof UsageError ? error.message : error);
        return 1;
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then((code) => process.exit(code));
}
