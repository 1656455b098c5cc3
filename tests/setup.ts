// Loaded by mocha in every process that runs tests (.mocharc.cjs `require`; in parallel mode each
// worker loads it too).
// Mock IdP keys made once and reused by later runs (tests/idpKeyCache.ts); it loads no AWS SDK.
import "./idpKeyCache";

// The AWS SDK warns once a process that its releases from 2027 need Node 22; package.json's
// engines still claim Node 20 on purpose (docs/development.md), so in the tests the warning would
// only clutter the run. The audit command sets the same opt-out itself (tools/commands/audit.ts;
// tests/nodeWarning.test.ts runs it in a process without this one).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
