// `npm run verify [-- --config-dir DIR]`: builds the offline plan of an organisation and replays
// every sign-in with independent judges (tools/verification/); exits 1 if any check fails.
import * as path from "path";
import { parseArgs } from "node:util";
import { ConfigError } from "../components/config";
import { mockIdpKey } from "./mock/idp";
import { buildPlan } from "./plan";
import { verifyPlan } from "./verification/checks";
import { verdictLines } from "./verification/report";
import { checkPassed } from "./verification/simulator";

const usage = "usage: npm run verify -- [--config-dir DIR]";

export async function main(argv: string[]): Promise<number> {
    try {
        let values;
        try {
            ({ values } = parseArgs({ args: argv, options: { "config-dir": { type: "string" } }, strict: true, allowPositionals: false }));
        } catch (error) {
            console.error(`${(error as Error).message}\n${usage}`);
            return 1;
        }
        const root = path.join(__dirname, "..");
        const idpKeyFile = path.join(root, "out", ".mock-idp-key.json");
        const { plan } = await buildPlan(path.resolve(values["config-dir"] ?? root), idpKeyFile);
        const checks = await verifyPlan(plan, mockIdpKey(idpKeyFile).privateKeyPem);
        console.log(verdictLines(checks).join("\n"));
        return checks.every(checkPassed) ? 0 : 1;
    } catch (error) {
        console.error(error instanceof ConfigError ? error.message : ((error as Error).message ?? error));
        return 1;
    }
}

if (require.main === module) {
    main(process.argv.slice(2)).then((code) => process.exit(code));
}
