// The benchmark's measurements: each command run as a user runs it (a fresh Node process each time)
// under GNU time, for time and peak resident memory; variants measured in one run so that their
// ratios mean something on whatever machine runs this.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as prettier from "prettier";
import type { Plan } from "../plan/model";
import { UsageError } from "../../components/errors";
import { writeAtomically } from "../shared/files";
import { count } from "../shared/numbers";
import { deployedApp, scaleSizes, writeScaleOrganisation } from "./scaleOrganisation";

const root = path.join(__dirname, "..", "..");
const loader = ["--stack-trace-limit=10", "-r", "sucrase/register/ts"];

interface Measurement {
    seconds: number;
    /** Peak resident set size, in MB. */
    peakMb: number;
}

/** Runs a Node command under GNU time; throws with its stderr if it fails. */
function measure(label: string, node: string[], args: string[], env: NodeJS.ProcessEnv = {}): Measurement {
    const run = spawnSync("/usr/bin/time", ["-f", "BENCH %e %M", process.execPath, ...node, ...args], {
        cwd: root,
        encoding: "utf8",
        env: { ...process.env, ...env },
        maxBuffer: 1 << 30,
    });
    const timing = /BENCH ([\d.]+) (\d+)\s*$/.exec(run.stderr ?? "");
    if (run.error || run.status !== 0 || !timing) {
        throw new UsageError(`${label} failed (${run.error?.message ?? `exit ${run.status}`}):\n${(run.stderr ?? "").slice(-2000)}`);
    }
    return { seconds: Number(timing[1]), peakMb: Number(timing[2]) / 1024 };
}

const megabytes = (mb: number): string => `${count(Math.round(mb))} MB`;

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
}

function medianOf(results: Measurement[]): Measurement {
    return { seconds: median(results.map((r) => r.seconds)), peakMb: median(results.map((r) => r.peakMb)) };
}

/**
 * The program's start as the Pulumi CLI's Node.js host does it (@pulumi/pulumi cmd/run): ts-node,
 * type-checking unless the tsconfig it is given sets `noCheck`, loading index.ts's modules.
 */
const hostStart = (tsconfig: string) => [
    "-e",
    [
        `const { loadTypeScriptCompilerOptions } = require("@pulumi/pulumi/tsutils");`,
        `const options = loadTypeScriptCompilerOptions(${JSON.stringify(tsconfig)});`,
        `require("ts-node").register({ compiler: "typescript", transpileOnly: options.noCheck, project: ${JSON.stringify(tsconfig)}, skipProject: false, compilerOptions: {} });`,
        `for (const module of ["./components/config", "./components/identityStack", "./components/memberStack"]) require(module);`,
    ].join("\n"),
];

/** The shipped organisation: `npm start` and its variants. */
export function benchShipped(runs: number, outDir: string): string[] {
    // What `npm start` runs: the command through tools/cli.ts, which loads the SDK as every command does.
    const preview = ["tools/cli.ts", "preview", "--out", outDir];
    const variants: [string, string[], string[], NodeJS.ProcessEnv?][] = [
        ["npm start (plan + verification)", loader, preview],
        ["npm start -- --no-verify (plan only)", loader, [...preview, "--no-verify"]],
        ["npm start, stack traces kept (OKTA_AWS_STACK_TRACES=1)", loader, preview, { OKTA_AWS_STACK_TRACES: "1" }],
        [
            "npm start under ts-node transpile-only (source-map hook)",
            ["--stack-trace-limit=10", "-r", "ts-node/register/transpile-only"],
            preview,
        ],
        ["Pulumi host start, tsconfig.json (type-checks every run)", hostStart("tsconfig.json"), []],
        ["Pulumi host start, tsconfig.pulumi.json (noCheck; Pulumi.yaml)", hostStart("tsconfig.pulumi.json"), []],
    ];
    // Round after round, each variant once in turn (as the scale runs are measured): a machine that
    // speeds up or slows down over the minutes shifts every variant alike.
    const rounds = Array.from({ length: runs }, () => variants.map(([label, node, args, env]) => measure(label, node, args, env)));
    const results = variants.map(([label], index) => [label, medianOf(rounds.map((round) => round[index]))] as const);
    const baseline = results[0][1].seconds;
    return [
        `Offline preview of the shipped organisation, ${runs} rounds of every variant in turn, each cell the median of its runs; ratios to the first row.`,
        "",
        "| variant | time | ratio | peak memory |",
        "| --- | --- | --- | --- |",
        ...results.map(
            ([label, { seconds, peakMb }]) =>
                `| ${label} | ${seconds.toFixed(2)} s | ×${(seconds / baseline).toFixed(2)} | ${megabytes(peakMb)} |`,
        ),
    ];
}

/**
 * Each size: the plan, the plan with verification, and both SDK floors. The four are measured in
 * turn, round after round, so that a machine that speeds up or slows down over the minutes a size
 * takes shifts them all alike; each ratio is the median of the rounds' own ratios.
 */
export function benchScale(
    sizes: (keyof typeof scaleSizes)[],
    roleAssignment: string,
    runs: number,
    scratch: string,
    directShare = 0,
): string[] {
    const rows: string[][] = [];
    for (const size of sizes) {
        const configDir = path.join(scratch, `org-${size}`);
        const outDir = path.join(scratch, `out-${size}`);
        // Deployed: the roles imported, so every person's assignment is in the plan.
        writeScaleOrganisation(configDir, scaleSizes[size], deployedApp(roleAssignment), directShare);
        const preview = ["tools/cli.ts", "preview", "--config-dir", configDir, "--out", outDir];
        const planFile = path.join(outDir, "plan.json");
        const variants = {
            plan: () => measure(`${size} plan`, loader, [...preview, "--no-verify"]),
            floor: () => measure(`${size} SDK floor`, loader, ["tools/commands/sdkFloorRun.ts", "--plan", planFile]),
            typedFloor: () => measure(`${size} typed floor`, loader, ["tools/commands/sdkFloorRun.ts", "--plan", planFile, "--typed"]),
            verified: () => measure(`${size} plan + verification`, loader, preview),
        };
        const rounds: Record<keyof typeof variants, Measurement>[] = [];
        for (let round = 0; round < runs; round++) {
            // The plan first: it writes the plan.json the floors register.
            const plan = variants.plan();
            rounds.push({ plan, floor: variants.floor(), typedFloor: variants.typedFloor(), verified: variants.verified() });
        }
        const resources = Object.values((JSON.parse(fs.readFileSync(planFile, "utf8")) as Plan).stacks).reduce(
            (n, stack) => n + stack.resources.length,
            0,
        );
        const cell = (variant: keyof typeof variants) => {
            const seconds = median(rounds.map((r) => r[variant].seconds));
            const peakMb = median(rounds.map((r) => r[variant].peakMb));
            return `${seconds.toFixed(1)} s, ${megabytes(peakMb)}`;
        };
        const ratio = (variant: keyof typeof variants, base: keyof typeof variants) =>
            `×${median(rounds.map((r) => r[variant].seconds / r[base].seconds)).toFixed(2)} / ×${median(
                rounds.map((r) => r[variant].peakMb / r[base].peakMb),
            ).toFixed(2)}`;
        const s = scaleSizes[size];
        rows.push([
            `${size}: ${s.accounts}×${s.rolesPerAccount}, ${count(s.people)} people, ${s.groups} groups (${roleAssignment}${directShare > 0 ? `, direct share ${directShare}` : ""})`,
            count(resources),
            cell("floor"),
            cell("typedFloor"),
            `${cell("plan")} (${ratio("plan", "floor")}; ${ratio("plan", "typedFloor")})`,
            `${cell("verified")} (${ratio("verified", "floor")}; ${ratio("verified", "typedFloor")})`,
        ]);
    }
    const intro = `${runs} round${runs === 1 ? "" : "s"} of the four commands of a size in turn; each cell the median of its runs, each ratio the median of the rounds' own ratios (time / peak memory), to the bare floor; then to the provider-class floor.`;
    const header = [
        "organisation",
        "resources",
        "SDK floor (bare)",
        "SDK floor (provider classes)",
        "plan (--no-verify)",
        "plan + verification",
    ];
    return [intro, "", ...[header, header.map(() => "---"), ...rows].map((row) => `| ${row.join(" | ")} |`)];
}

/** Where the benchmark keeps its latest results, one section per kind of run. */
export const resultsFile = path.join(root, "bench", "results.md");

/** The machine a run measured on, for the section's heading. */
export function machineLine(): string {
    const cpu = os.cpus()[0]?.model.trim() ?? "unknown CPU";
    return `${new Date().toISOString().slice(0, 10)}, ${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
}

const kindOf = (heading: string): string => heading.split(",")[0];

/**
 * The results file with the section of `heading`'s kind (the heading up to its first comma, before
 * the date and the machine) replaced in place by `body`, or added last when it is new; the other
 * sections are kept as they were.
 */
export function withSection(text: string, heading: string, body: string[]): string {
    const title = "# Benchmark results\n\nWritten by `npm run bench`; each section is the latest run of its kind.\n";
    const sections = new Map<string, string>();
    for (const part of (text || title).split(/^(?=## )/m).slice(1)) {
        sections.set(kindOf(part.split("\n")[0].slice("## ".length)), part.trimEnd());
    }
    sections.set(kindOf(heading), [`## ${heading}`, "", ...body].join("\n"));
    return `${title}\n${[...sections.values()].join("\n\n")}\n`;
}

/**
 * Writes `file` with the section of `heading`'s kind replaced by `lines`, formatted by the project's
 * Prettier so that `npm run lint` (prettier --check) accepts the file the benchmark wrote.
 * Returns the text written.
 */
export async function recordResults(file: string, heading: string, lines: string[]): Promise<string> {
    const previous = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
    const options = await prettier.resolveConfig(file);
    const text = await prettier.format(withSection(previous, heading, lines), { ...options, filepath: file });
    writeAtomically(file, text);
    return text;
}
