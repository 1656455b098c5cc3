// mocha's settings for `npm test` (`--grep @slow --invert`) and `npm run test:all`.
//
// The test files are handed to the two workers longest first, by the time each took in the last
// run of the same kind (tests/fileDurations.ts records it), as jest orders its files: a long file
// handed out last keeps one worker busy after the other has finished. Files not timed yet go first.
// The order only schedules; every file runs whole in one worker either way.
"use strict";
const fs = require("fs");
const path = require("path");

const testsFolder = path.join(__dirname, "tests");
const quick = process.argv.includes("--invert") && process.argv.includes("@slow");
const filtered = process.argv.some((arg) => /^(-g|--grep|-f|--fgrep)(=|$)/.test(arg));
const durations = path.join(__dirname, "node_modules", ".cache", "okta-aws-test-durations", quick ? "quick" : "all");
// Only the two runs of the whole suite record: a run of some tests would time files partly.
if (quick || !filtered) {
    process.env.OKTA_AWS_TEST_DURATIONS = durations;
    // Set once by the process mocha starts with; a worker that reads these settings again keeps it.
    process.env.OKTA_AWS_TEST_RUN ??= String(Date.now());
}

// The process that hands the files to the parallel workers runs no test itself: tests/setup.ts
// skips loading what only tests need there. Not in a worker (mocha sets MOCHA_WORKER_ID), nor with
// --no-parallel, where this process runs every test.
if (process.env.MOCHA_WORKER_ID === undefined && !process.argv.includes("--no-parallel")) {
    process.env.OKTA_AWS_TEST_DISPATCHER = String(process.pid);
}

/** What the last runs recorded, by file name: `{ ms, run }`. */
const recorded = new Map();
for (const name of fs.existsSync(durations) ? fs.readdirSync(durations) : []) {
    try {
        const { ms, run } = JSON.parse(fs.readFileSync(path.join(durations, name), "utf8"));
        recorded.set(name.replace(/\.json$/, ""), typeof ms === "number" && typeof run === "string" ? { ms, run } : { ms: 0, run: "" });
    } catch {
        // unreadable: timed, but not in the latest run
        recorded.set(name.replace(/\.json$/, ""), { ms: 0, run: "" });
    }
}
const latestRun = [...recorded.values()].reduce((latest, { run }) => (run > latest ? run : latest), "");

/**
 * Milliseconds the file took in the latest run, or undefined if it was never timed. A file timed
 * only in an earlier run ran no test in the latest (in `npm test`, one whose tests are all @slow):
 * it takes no time.
 */
function lastDuration(file) {
    const entry = recorded.get(file);
    return entry === undefined ? undefined : entry.run === latestRun ? entry.ms : 0;
}

// Every test file under tests/, in nested folders too (as `tests/**/*.test.ts` named them): a file
// left out here runs in neither `npm test` nor `npm run test:all`, and nothing would say so
// (tests/testFiles.test.ts). Durations are recorded by file name (tests/fileDurations.ts).
const files = fs
    .readdirSync(testsFolder, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".test.ts"))
    .map((file) => ({ file, ms: lastDuration(path.basename(file)) ?? Infinity }))
    .sort((a, b) => b.ms - a.ms || a.file.localeCompare(b.file));

module.exports = {
    require: ["sucrase/register/ts", "./tests/transpileCache.ts", "./tests/setup.ts", "./tests/fileDurations.ts"],
    spec: files.map(({ file }) => path.join("tests", file)),
    timeout: 20000,
    parallel: true,
    jobs: 2,
};
