// `npm run scale-organisation -- --size S|M|L --out DIR [--mode samlUserRoles|groupMapping] [--direct-share SHARE]`:
// writes a generated organisation's stack files (tools/bench/scaleOrganisation.ts) into DIR. With a
// mode, a deployed organisation in that mode (its roles imported), as the scale benchmark previews
// it; with a direct share, that share of the member accounts on direct sign-in (group mapping).
import { deployedApp, directShareFlag, directShareOf, scaleSizes, writeScaleOrganisation } from "../bench/scaleOrganisation";
import { UsageError } from "../../components/errors";
import { parseFlags, runCommand } from "../shared/commandLine";
import { outputDirectory } from "../shared/files";

const usage = "usage: npm run scale-organisation -- --size S|M|L --out DIR [--mode samlUserRoles|groupMapping] [--direct-share SHARE]";

export async function main(argv: string[]): Promise<number> {
    const values = parseFlags(
        argv,
        {
            size: { type: "string", value: "S|M|L", description: "the organisation's size (required)" },
            out: { type: "string", value: "DIR", description: "the folder to write its stack files into (required)" },
            mode: { type: "string", value: "samlUserRoles|groupMapping", description: "who gets which role" },
            "direct-share": directShareFlag,
        },
        usage,
        "Writes a generated organisation of the given size, for the bench and the scale tests.",
    );
    const size = values.size;
    if (size === undefined || !Object.hasOwn(scaleSizes, size)) {
        throw new UsageError(`--size: ${JSON.stringify(size ?? null)} is not one of ${Object.keys(scaleSizes).join(", ")}\n${usage}`);
    }
    if (values.out === undefined) {
        throw new UsageError(`--out is required\n${usage}`);
    }
    const mode = values.mode;
    if (mode !== undefined && mode !== "samlUserRoles" && mode !== "groupMapping") {
        throw new UsageError(`--mode: ${JSON.stringify(mode)} is not samlUserRoles or groupMapping\n${usage}`);
    }
    const directShare = directShareOf(values["direct-share"]);
    if (typeof directShare === "string") {
        throw new UsageError(`${directShare}\n${usage}`);
    }
    if (directShare > 0 && mode === "samlUserRoles") {
        throw new UsageError(`--direct-share: direct sign-in needs --mode groupMapping, not samlUserRoles\n${usage}`);
    }
    const dir = outputDirectory("--out", values.out);
    const files = writeScaleOrganisation(dir, scaleSizes[size as keyof typeof scaleSizes], mode && deployedApp(mode), directShare);
    console.log(
        `Wrote ${files} stack files of size ${size}${directShare > 0 ? ` (direct sign-in: a share of ${directShare} of the member accounts)` : ""} into ${dir}`,
    );
    return 0;
}

if (require.main === module) {
    runCommand(main);
}
