// `npm run build` (and npm pack's prepack): the package's dist/ — the program, the components, the
// policy pack and the tools compiled by tsc (tsconfig.build.json) with their .d.ts, and the files
// they read by path beside them, so nothing in the package depends on this repository's layout.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parseFlags, runCommand } from "../shared/commandLine";

const root = path.join(__dirname, "..", "..");
const dist = path.join(root, "dist");

const usage = "usage: npm run build";

/** What the compiled tools read by path, copied to the same place below dist/. */
const dataFolders = ["tools/verification/managedPolicies"];

export async function main(argv: string[]): Promise<number> {
    parseFlags(
        argv,
        {},
        usage,
        "Compiles the package into dist/ (tsc with tsconfig.build.json) and copies the files it reads by path; npm pack runs it.",
    );
    fs.rmSync(dist, { recursive: true, force: true });
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(root, "tsconfig.build.json")], {
        stdio: "inherit",
    });
    for (const folder of dataFolders) {
        fs.cpSync(path.join(root, folder), path.join(dist, folder), { recursive: true });
    }
    // The policy pack as `pulumi up --policy-pack <dist/policy>` runs it: its PulumiPolicy.yaml, and a
    // package.json whose main is the compiled index.js.
    fs.copyFileSync(path.join(root, "policy", "PulumiPolicy.yaml"), path.join(dist, "policy", "PulumiPolicy.yaml"));
    const policyPackage = JSON.parse(fs.readFileSync(path.join(root, "policy", "package.json"), "utf8")) as Record<string, unknown>;
    fs.writeFileSync(path.join(dist, "policy", "package.json"), `${JSON.stringify({ ...policyPackage, main: "index.js" }, null, 4)}\n`);
    fs.chmodSync(path.join(dist, "tools", "cli.js"), 0o755);
    console.log(`Built ${path.relative(process.cwd(), dist) || dist}`);
    return 0;
}

if (require.main === module) {
    runCommand(main);
}
