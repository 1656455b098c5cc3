// `npm run audit -- [--config-dir DIR] [--out DIR] [--okta-url URL] [--identity-outputs FILE] [--json]`:
// reads the live organisation read-only (tools/audit/) and compares it with the code's offline plan,
// the code's Okta objects known by the ids of the identity stack's outputs (FILE, from
// `pulumi stack output --json`; without it, the Pulumi CLI reads them). Writes
// out/audit.md (fits a GitHub comment) and out/audit.json; --json prints the JSON instead of the
// summary. Exit 0: the live organisation matches the code; 1: drift or access outside the code;
// 2: the audit could not run (an unreachable API, missing or refused credentials, bad flags).
import * as path from "path";
import { IAMClient } from "@aws-sdk/client-iam";
import { STSClient } from "@aws-sdk/client-sts";
import type { IdentityConfig } from "../../components/config";
import { auditOrganisation } from "../audit/audit";
import { LiveReadError } from "../audit/errors";
import { OktaReader, oktaTokenFromEnvironment } from "../audit/okta";
import { oktaIdsFromFile, oktaIdsFromPulumi } from "../audit/stateIds";
import { buildPlan } from "../plan/build";
import { readOrganisation } from "../plan/organisation";
import { auditMarkdown } from "../audit/report";
import { failureMessage, parseFlags, runCommand } from "../shared/commandLine";
import { existingDirectory, outputDirectory, writeAtomically } from "../shared/files";

const usage = "usage: npm run audit -- [--config-dir DIR] [--out DIR] [--okta-url URL] [--identity-outputs FILE] [--json]";

/** `https://<okta:orgName>.<okta:baseUrl>`, from the identity stack file or, as the Okta provider allows, its environment. */
function oktaOrgUrl(configDir: string): string {
    const { identity } = readOrganisation(configDir);
    const orgName = identity.rawConfig["okta:orgName"] ?? process.env.OKTA_ORG_NAME;
    const baseUrl = identity.rawConfig["okta:baseUrl"] ?? process.env.OKTA_BASE_URL ?? "okta.com";
    return `https://${orgName}.${baseUrl}`;
}

/** Exit codes of their own (0 no drift, 1 drift, 2 errors), so this main prints its failures itself. */
export async function main(argv: string[], now = new Date()): Promise<number> {
    try {
        const values = parseFlags(
            argv,
            {
                "config-dir": { type: "string" },
                out: { type: "string" },
                "okta-url": { type: "string" },
                "identity-outputs": { type: "string" },
                json: { type: "boolean" },
            },
            usage,
        );
        const root = path.join(__dirname, "..", "..");
        const configDir = existingDirectory("--config-dir", values["config-dir"] ?? root);
        const outDir = outputDirectory("--out", values.out ?? path.join(root, "out"));
        const token = oktaTokenFromEnvironment();
        const result = await buildPlan(configDir, path.join(outDir, ".mock-idp-key.json"));
        const identity = result.evaluations.find((e) => e.config.kind === "identity")!.config as IdentityConfig;
        // The code's Okta objects by the ids of its state, never the plan's mock ids.
        const stateIds = values["identity-outputs"]
            ? oktaIdsFromFile(values["identity-outputs"])
            : await oktaIdsFromPulumi(identity.stack, configDir);
        // The SDK's chains give credentials and endpoint (AWS_ENDPOINT_URL); the stack's region is the fallback.
        const region = process.env.AWS_REGION ?? identity.region;
        const audit = await auditOrganisation(
            result,
            {
                okta: new OktaReader({ orgUrl: values["okta-url"] ?? oktaOrgUrl(configDir), token }),
                sts: new STSClient({ region }),
                iam: (credentials) => new IAMClient({ region, credentials }),
            },
            now,
            stateIds,
        );
        const files = [path.join(outDir, "audit.md"), path.join(outDir, "audit.json")];
        const { GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID } = process.env;
        const fullReportAt = GITHUB_RUN_ID
            ? `in the \`audit\` artifact of [this workflow run](${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/actions/runs/${GITHUB_RUN_ID})`
            : `in ${path.relative(process.cwd(), files[1])}`;
        writeAtomically(files[0], auditMarkdown(audit, `${now.toISOString().slice(0, 10)}, ${path.basename(configDir)}`, { fullReportAt }));
        writeAtomically(files[1], `${JSON.stringify(audit, null, 2)}\n`);
        console.log(
            values.json
                ? JSON.stringify(audit, null, 2)
                : `${audit.summary}\nWrote ${files.map((f) => path.relative(process.cwd(), f)).join(", ")}`,
        );
        return audit.ok ? 0 : 1;
    } catch (error) {
        console.error(error instanceof LiveReadError ? error.message : failureMessage(error));
        return 2;
    }
}

if (require.main === module) {
    runCommand(main);
}
