// `npm run verify [-- --config-dir DIR]`: builds the offline plan of an organisation and replays
// every sign-in with independent judges (tools/verification/); exits 1 if any check fails.
import * as path from "path";
import { configDirFlag, parseFlags, runCommand } from "../shared/commandLine";
import { existingDirectory } from "../shared/files";
import { defaultProjectFolder } from "../shared/projectFolder";
import { progressFlag, progressTo, verificationProgress } from "../shared/progress";
import { mockIdpKey } from "../mock/idp";
import { buildPlan } from "../plan/build";
import { verifyPlanInto } from "../verification/checks";
import { groupsWithMembersInOkta, verdictLine, VerificationReport } from "../verification/report";
import { usageLine } from "../shared/invocation";

const usage = usageLine("verify", "[--config-dir DIR] [--verbose] [--progress]");

export async function main(argv: string[]): Promise<number> {
    const values = parseFlags(
        argv,
        {
            "config-dir": configDirFlag,
            verbose: { type: "boolean", description: "print every check, not a summary" },
            progress: progressFlag,
        },
        usage,
        "Builds the offline plan and replays every sign-in with independent judges (a SAML library, an IAM policy simulator). Exit 1 if any check fails.",
    );
    const root = defaultProjectFolder();
    const configDir = existingDirectory("--config-dir", values["config-dir"] ?? root);
    const idpKeyFile = path.join(root, "out", ".mock-idp-key.json");
    const progress = progressTo(values.progress);
    const { plan } = await buildPlan(configDir, idpKeyFile, undefined, progress);
    const report = new VerificationReport(undefined, groupsWithMembersInOkta(plan.access));
    const counted = verificationProgress(progress);
    counted.start();
    await verifyPlanInto(
        plan,
        mockIdpKey(idpKeyFile).privateKeyPem,
        (check) => {
            counted.judged(check);
            report.add(check);
            if (values.verbose) {
                console.log(verdictLine(check));
            }
        },
        (finding) => report.addFinding(finding),
    );
    counted.done();
    console.log((values.verbose ? [report.totalLine()] : report.summaryLines()).join("\n"));
    return report.failed.length ? 1 : 0;
}

if (require.main === module) {
    runCommand(main);
}
