// mocha's settings for `npm test` (`--grep @slow --invert`) and `npm run test:all`; the test files
// of each, and their order, are tests/suite.cjs's.
"use strict";
const path = require("path");
const { spec } = require("./tests/suite.cjs");

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

module.exports = {
    require: ["sucrase/register/ts", "./tests/transpileCache.ts", "./tests/setup.ts", "./tests/fileDurations.ts"],
    spec: spec({ testsFolder: path.join(__dirname, "tests"), quick, durations }),
    timeout: 20000,
    parallel: true,
    jobs: 2,
};
