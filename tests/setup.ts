// Loaded by mocha in every process that runs tests (.mocharc.cjs `require`; in parallel mode each
// worker loads it too, and so does the process that hands the files out and runs none).
// Mock IdP keys made once and reused by later runs (tests/idpKeyCache.ts); it loads no AWS SDK,
// but the Pulumi SDK, so the process that runs no test skips it (.mocharc.cjs names that process).
if (process.env.OKTA_AWS_TEST_DISPATCHER !== String(process.pid)) {
    // As the tools load the SDK (tools/cli.ts), before anything loads it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require("../tools/shared/lazySdkDependencies");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require("./idpKeyCache");
}

// The AWS SDK warns once a process that its releases from 2027 need Node 22; package.json's
// engines still claim Node 20 on purpose (docs/development.md), so in the tests the warning would
// only clutter the run. The audit command sets the same opt-out itself (tools/commands/audit.ts;
// tests/nodeWarning.test.ts runs it in a process without this one).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
// As the npm scripts' `node --stack-trace-limit=10`: the Pulumi SDK takes a stack trace for each
// resource it registers. Set here rather than as mocha's `node-option`, which would make mocha
// start a second Node process to pass the flag.
Error.stackTraceLimit = 10;
