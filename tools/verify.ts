// `npm run verify [-- --config-dir DIR]`: builds the offline plan of an organisation and replays
// every sign-in with independent judges (tools/verification/); exits 1 if any check fails.
import * as path from "path";
import { parseArgs } from "node:util";
import { ConfigError } from "../components/config";
import { mockIdpKey } from "./mock/idp";
import { buildPlan } from "./plan";
import { verifyPlanInto } from "./verification/checks";
import { verdictLine, VerificationReport } from "./verification/report";

const usage = "usage: npm run verify -- [--config-dir DIR] [--verbose]";

export async function main(argv: string[]): Promise<number> {
    try {
        let values;
        try {
            ({ values } = parseArgs({
                args: argv,
                options: { "config-dir": { type: "string" }, verbose: { type: "boolean" } },
                strict: true,
                allowPositionals: false,
            }));
        } catch (error) {
            console.error(`${(error as Error).message}\n${usage}`);
            return 1;
        }
        const root = path.join(__dirname, "..");
        const idpKeyFile = path.join(root, "out", ".mock-idp-key.json");
        const { plan } = await buildPlan(path.resolve(values["config-dir"] ?? root), idpKeyFile);
        const report = new VerificationReport();
        await verifyPlanInto(plan, mockIdpKey(idpKeyFile).privateKeyPem, (check) => {
            report.add(check);
            if (values.verbose) {
                console.log(verdictLine(check));
            }
        });
        console.log((values.verbose ? [report.totalLine()] : report.summaryLines()).join("\n"));
        return report.failed.length ? 1 : 0;
    } catch (error) {
        console.error(error instanceof ConfigError ? error.message : ((error as Error).message ?? error));
        return 1;
    }
}

if (require.main === module) {
    void main(process.argv.slice(2)).then((code) => process.exit(code));
}
