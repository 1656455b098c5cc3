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
}

/** Milliseconds the file took when last timed, or undefined. */
function lastDuration(file) {
    try {
        const { ms } = JSON.parse(fs.readFileSync(path.join(durations, `${file}.json`), "utf8"));
        return typeof ms === "number" ? ms : undefined;
    } catch {
        return undefined;
    }
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
    "node-option": ["stack-trace-limit=10"],
    parallel: true,
    jobs: 2,
};
