// `npm run bench`: how long the offline preview of the shipped organisation takes, as a user runs
// it (a fresh Node process each time). Medians of several runs, variants measured in one run so
// their ratio is meaningful on whatever machine runs this.
import { spawnSync } from "child_process";
import * as os from "os";
import * as path from "path";

const root = path.join(__dirname, "..");
const runs = Number(process.env.BENCH_RUNS ?? 5);
const outDir = path.join(os.tmpdir(), `okta-aws-bench-${process.pid}`);

const transpileOnly = ["--stack-trace-limit=10", "-r", "ts-node/register/transpile-only"];
const variants: Record<string, { node: string[]; args: string[] }> = {
    "npm start (plan + verification; transpile-only, --stack-trace-limit=10)": { node: transpileOnly, args: [] },
    "npm start -- --no-verify (plan only)": { node: transpileOnly, args: ["--no-verify"] },
    "npm start, default stack traces": { node: ["-r", "ts-node/register/transpile-only"], args: [] },
    "npm start, ts-node type-checking": { node: ["-r", "ts-node/register"], args: [] },
};

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
}

const results: [string, number][] = [];
for (const [label, { node, args }] of Object.entries(variants)) {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
        const started = process.hrtime.bigint();
        const run = spawnSync(process.execPath, [...node, "tools/preview.ts", "--out", outDir, ...args], { cwd: root, encoding: "utf8" });
        if (run.status !== 0) {
            throw new Error(`${label} failed:\n${run.stderr}`);
        }
        times.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    results.push([label, median(times)]);
}
const baseline = results[0][1];
console.log(`Offline preview of the shipped organisation, median of ${runs} runs (${os.cpus().length} cores):`);
for (const [label, ms] of results) {
    console.log(`  ${(ms / 1000).toFixed(2)} s  ×${(ms / baseline).toFixed(2)}  ${label}`);
}
