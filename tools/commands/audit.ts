// `npm run audit -- [--config-dir DIR] [--out DIR] [--okta-url URL] [--identity-outputs FILE] [--json]`:
// reads the live organisation read-only (tools/audit/) and compares it with the code's offline plan,
// the code's Okta objects known by the ids of the identity stack's outputs (FILE, from
// `pulumi stack output --json`; without it, the Pulumi CLI reads them). Writes
// out/audit.md (fits a GitHub comment) and out/audit.json; --json prints the JSON instead of the
// summary. Exit 0: the live organisation matches the code; 1: drift or access outside the code;
// 2: the audit could not run (an unreachable API, missing or refused credentials, bad flags).
import { everyPages, progressFlag, progressTo } from "../shared/progress";
import * as path from "path";
import { IAMClient } from "@aws-sdk/client-iam";
import { STSClient } from "@aws-sdk/client-sts";
import type { IdentityConfig } from "../../components/config";
import { failingWith } from "../../components/errors";
import { auditOrganisation } from "../audit/audit";
import { OktaReader, oktaTokenFromEnvironment } from "../audit/okta";
import { oktaIdsFromFile, oktaIdsFromPulumi } from "../audit/stateIds";
import { buildPlan } from "../plan/build";
import { readOrganisation } from "../plan/organisation";
import { auditMarkdown } from "../audit/report";
import { configDirFlag, parseFlags, runCommand } from "../shared/commandLine";
import { existingDirectory, fromShell, outputDirectory, shownFromShell, writeAtomically } from "../shared/files";
import { defaultProjectFolder } from "../shared/projectFolder";
import { usageLine } from "../shared/invocation";

const usage = usageLine("audit", "[--config-dir DIR] [--out DIR] [--okta-url URL] [--identity-outputs FILE] [--json] [--progress]");

/** `https://<okta:orgName>.<okta:baseUrl>`, from the identity stack file or, as the Okta provider allows, its environment. */
function oktaOrgUrl(configDir: string): string {
    const { identity } = readOrganisation(configDir);
    const orgName = identity.rawConfig["okta:orgName"] ?? process.env.OKTA_ORG_NAME;
    const baseUrl = identity.rawConfig["okta:baseUrl"] ?? process.env.OKTA_BASE_URL ?? "okta.com";
    return `https://${orgName}.${baseUrl}`;
}

/** 0 no drift, 1 drift; a failure (the audit could not run) is exit 2. */
export function main(argv: string[], now = new Date()): Promise<number> {
    return failingWith(2, () => runAudit(argv, now));
}

async function runAudit(argv: string[], now: Date): Promise<number> {
    const values = parseFlags(
        argv,
        {
            "config-dir": configDirFlag,
            out: { type: "string", value: "DIR", description: "where to write audit.md and audit.json (default: out/)" },
            "okta-url": { type: "string", value: "URL", description: "the Okta org's URL (default: from okta:orgName and okta:baseUrl)" },
            "identity-outputs": {
                type: "string",
                value: "FILE",
                description:
                    "the identity stack's outputs as `pulumi stack output --json` writes them, for the Okta ids of the code's objects (default: run that command)",
            },
            json: { type: "boolean", description: "print the audit's JSON instead of its summary" },
            progress: progressFlag,
        },
        usage,
        "Reads the live organisation read-only (AWS through the SDK's credential chain, Okta with OKTA_API_TOKEN) and compares it with the code's offline plan. Exit 0: the live organisation matches the code; 1: drift or access outside the code; 2: the audit could not run.",
    );
    // The AWS SDK warns (nine lines on stderr) in every process on Node before 22 that its releases
    // after the first week of January 2027 need Node 22: each client's getRuntimeConfig calls
    // emitWarningIfUnsupportedVersion (@aws-sdk/core 3.981 dist-cjs/submodules/client/index.js),
    // which skips it when AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED is "true". engines keeps
    // Node 20 (docs/development.md) and the lock file pins the SDK the audit runs, so the notice is
    // about releases this install never gets; a caller's own setting of the variable wins.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
    const root = defaultProjectFolder();
    const configDir = existingDirectory("--config-dir", values["config-dir"] ?? root);
    const outDir = outputDirectory("--out", values.out ?? path.join(root, "out"));
    const token = oktaTokenFromEnvironment();
    const progress = progressTo(values.progress);
    const result = await buildPlan(configDir, path.join(outDir, ".mock-idp-key.json"), undefined, progress);
    const identity = result.evaluations.find((e) => e.config.kind === "identity")!.config as IdentityConfig;
    // The code's Okta objects by the ids of its state, never the plan's mock ids.
    const stateIds = values["identity-outputs"]
        ? oktaIdsFromFile(fromShell(values["identity-outputs"]))
        : await oktaIdsFromPulumi(identity.stack, configDir);
    // The SDK's chains give credentials and endpoint (AWS_ENDPOINT_URL); the stack's region is the fallback.
    const region = process.env.AWS_REGION ?? identity.region;
    const audit = await auditOrganisation(
        result,
        {
            okta: new OktaReader({ orgUrl: values["okta-url"] ?? oktaOrgUrl(configDir), token, onPage: everyPages(progress, "Okta") }),
            sts: new STSClient({ region }),
            iam: (credentials) => new IAMClient({ region, credentials }),
            progress,
        },
        now,
        stateIds,
    );
    const files = [path.join(outDir, "audit.md"), path.join(outDir, "audit.json")];
    const { GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID } = process.env;
    const fullReportAt = GITHUB_RUN_ID
        ? `in the \`audit\` artifact of [this workflow run](${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/actions/runs/${GITHUB_RUN_ID})`
        : `in ${shownFromShell(files[1])}`;
    writeAtomically(files[0], auditMarkdown(audit, `${now.toISOString().slice(0, 10)}, ${path.basename(configDir)}`, { fullReportAt }));
    writeAtomically(files[1], `${JSON.stringify(audit, null, 2)}\n`);
    console.log(values.json ? JSON.stringify(audit, null, 2) : `${audit.summary}\nWrote ${files.map((f) => shownFromShell(f)).join(", ")}`);
    return audit.ok ? 0 : 1;
}

if (require.main === module) {
    runCommand(main);
}
