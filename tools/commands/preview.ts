// `npm start`: the offline preview of the whole organisation. Builds the plan (tools/plan/),
// prints what `pulumi preview` would create and who can reach what, judges it with the policy
// pack, verifies every sign-in, and writes the files of tools/report/outFiles.ts.
import { Progress, progressFlag, progressTo, verificationProgress } from "../shared/progress";
import * as path from "path";
import { projectName } from "../../components/config";
import { mockIdpKey } from "../mock/idp";
import { buildPlan } from "../plan/build";
import { renderPreview, summaryLimit } from "../report/console";
import { checkOutFolder, writePlanFiles } from "../report/outFiles";
import {
    mandatoryViolations,
    policyLines,
    PolicyPackConfig,
    PolicyVerdict,
    policyVerdicts,
    readPolicyPackConfig,
} from "../report/policyPack";
import { configDirFlag, parseFlags, runCommand } from "../shared/commandLine";
import { existingDirectory, fromShell, lockDirectory, outputDirectory, shownFromShell, StreamedFile } from "../shared/files";
import { count, plural } from "../shared/numbers";
import { defaultProjectFolder } from "../shared/projectFolder";
import { verifyPlanInto } from "../verification/checks";
import { groupsWithMembersInOkta, verdictLine, verdictTableHeader, verificationIntro, VerificationReport } from "../verification/report";
import { usageLine } from "../shared/invocation";

const usage = usageLine("preview", "[--config-dir DIR] [--out DIR] [--no-verify] [--verbose] [--policy-pack-config FILE] [--progress]");

function parseArguments(argv: string[]): {
    configDir: string;
    outDir: string;
    verify: boolean;
    verbose: boolean;
    policyPackConfig: PolicyPackConfig;
    progress: Progress;
} {
    const root = defaultProjectFolder();
    const values = parseFlags(
        argv,
        {
            "config-dir": configDirFlag,
            out: {
                type: "string",
                value: "DIR",
                description: "where to write plan.json, access.md, verification.md, aws-config/ (default: out/)",
            },
            "no-verify": {
                type: "boolean",
                description: "skip the verification of every sign-in (and remove an earlier run's verification.md)",
            },
            verbose: { type: "boolean", description: "print every resource, policy verdict and check, not a summary" },
            "policy-pack-config": {
                type: "string",
                value: "FILE",
                description: "the policy pack's configuration (`pulumi preview --policy-pack-config`): a rule's enforcement level",
            },
            progress: progressFlag,
        },
        usage,
        "The offline preview of the whole organisation under Pulumi's mock runtime: what `pulumi preview` would create, who can reach what, the policy pack's verdicts and the verification of every sign-in. Nothing is sent to AWS or Okta. Exit 1 on bad configuration, a mandatory policy violation or a failed check.",
    );
    return {
        configDir: existingDirectory("--config-dir", values["config-dir"] ?? root),
        outDir: outputDirectory("--out", values.out ?? path.join(root, "out")),
        verify: !values["no-verify"],
        verbose: values.verbose ?? false,
        policyPackConfig: values["policy-pack-config"] ? readPolicyPackConfig(fromShell(values["policy-pack-config"])) : {},
        progress: progressTo(values.progress),
    };
}

/**
 * The offline preview, the policy pack's verdicts, then the verification of every sign-in; 1 on
 * bad input, a mandatory policy violation or a failed check.
 */
export async function main(argv: string[]): Promise<number> {
    const options = parseArguments(argv);
    // One run at a time writes into a folder; it writes only over what a run of its own wrote.
    const release = lockDirectory(options.outDir);
    try {
        checkOutFolder(options.outDir);
        return await preview(options);
    } finally {
        release();
    }
}

async function preview({
    configDir,
    outDir,
    verify,
    verbose,
    policyPackConfig,
    progress,
}: ReturnType<typeof parseArguments>): Promise<number> {
    const idpKeyFile = path.join(outDir, ".mock-idp-key.json");
    const result = await buildPlan(configDir, idpKeyFile, undefined, progress);
    let verification: { report: VerificationReport; file: string } | undefined;
    const verificationLines: string[] = [];
    if (verify) {
        // Every check is streamed to out/verification.md; only counts and failures stay in memory.
        const detail = new StreamedFile(path.join(outDir, "verification.md"));
        const report = new VerificationReport((row) => detail.write(row), groupsWithMembersInOkta(result.plan.access));
        const counted = verificationProgress(progress);
        try {
            detail.write(["# Verification", "", verificationIntro, "", ...verdictTableHeader].join("\n"));
            counted.start();
            await verifyPlanInto(
                result.plan,
                mockIdpKey(idpKeyFile).privateKeyPem,
                (check) => {
                    counted.judged(check);
                    report.add(check);
                    if (verbose) {
                        verificationLines.push(verdictLine(check));
                    }
                },
                (finding) => report.addFinding(finding),
            );
        } catch (error) {
            detail.discard();
            throw error;
        }
        detail.commit();
        counted.done();
        verification = { report, file: detail.file };
        verificationLines.push(...(verbose ? [report.totalLine()] : report.summaryLines()));
    }
    const verdicts = policyVerdicts(result.plan, policyPackConfig);
    const written = writePlanFiles(result, outDir, verification, verdicts);
    console.log(
        `Offline preview of ${projectName}: ${result.evaluations.length} stacks from ${configDir} (mock runtime; nothing is sent to AWS or Okta)\n`,
    );
    console.log(renderPreview(result, verbose).join("\n"));
    console.log(
        `\nPolicy pack (policy/, as \`pulumi preview --policy-pack policy\` judges)\n${policyLines(
            verdicts,
            verbose ? Infinity : summaryLimit,
        )
            .map((line) => `  ${line}`)
            .join("\n")}`,
    );
    if (verification) {
        console.log(`\nVerification (samlify + iam-simulate)\n${verificationLines.map((line) => `  ${line}`).join("\n")}`);
    }
    const relative = shownFromShell;
    console.log(
        `\nWrote ${[
            ...written.files.map(relative),
            `${relative(written.profiles.dir)}/ (${count(written.profiles.count)} files)`,
            ...written.importFiles.map(relative),
        ].join(
            ", ",
        )}${written.removed.length ? `; removed ${written.removed.map(relative).join(", ")} of an earlier run (not verified now)` : ""}`,
    );
    const failure = failureLine(verdicts, verification?.report.failed.length ?? 0, written.files.map(relative));
    if (failure) {
        console.error(failure);
    }
    return failure ? 1 : 0;
}

/**
 * The last line of a run that exits 1: `FAILED:`, why, and what to do next; undefined when it
 * exits 0. `files` are the written files as printed (access.md, verification.md).
 */
function failureLine(verdicts: PolicyVerdict[], failedChecks: number, files: string[]): string | undefined {
    const violated = verdicts.filter((verdict) => verdict.enforcementLevel === "mandatory" && verdict.violations.length > 0);
    const accessFile = files.find((file) => path.basename(file) === "access.md");
    const verificationFile = files.find((file) => path.basename(file) === "verification.md");
    const reasons = [
        ...(violated.length
            ? [
                  `mandatory ${violated.length === 1 ? "policy" : "policies"} ${violated.map((v) => v.policy).join(", ")} violated (${plural(mandatoryViolations(verdicts), "violation")}, listed above and in ${accessFile}): fix the stack files, or, for a sandbox, lower ${violated.length === 1 ? "it" : "them"} with --policy-pack-config FILE holding ${JSON.stringify(Object.fromEntries(violated.map((v) => [v.policy, "advisory"])))} (the file \`pulumi preview --policy-pack-config\` reads)`,
              ]
            : []),
        ...(failedChecks
            ? [
                  `${plural(failedChecks, "verification check")} not as expected (in ${verificationFile}): the plan grants or denies what it should not`,
              ]
            : []),
    ];
    return reasons.length ? `FAILED: ${reasons.join("; and ")}` : undefined;
}

if (require.main === module) {
    runCommand(main);
}
