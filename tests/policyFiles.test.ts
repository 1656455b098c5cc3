// A member role's policy `file:` is read from the stack file's folder only: a link out of it is
// refused without being opened, and a file inside is parsed and checked as an inline document is.
import { expect } from "chai";
import { ChildProcess, execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ConfigError, parseStackConfig } from "../components/config";

const retail = (policyFile: string) => ({
    "aws:region": "us-east-1",
    "aws:allowedAccountIds": ["253541269580"],
    "okta-aws:account": { name: "retail", label: "Retail", id: "253541269580" },
    "okta-aws:identityAccountId": "671250594556",
    "okta-aws:crossAccountRoles": [{ name: "Ops", policies: [{ name: "ops", file: policyFile }] }],
});

const describeInstances = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "ec2:DescribeInstances", Resource: "*" }] };

function problemsOf(stackFolder: string, policyFile: string): string[] {
    try {
        parseStackConfig("retail", retail(policyFile), new Set(), stackFolder);
    } catch (error) {
        expect(error).to.be.instanceOf(ConfigError);
        return (error as ConfigError).problems;
    }
    throw new Error("expected the configuration to be rejected");
}

describe("policy files (policies[].file)", () => {
    let root: string;
    let stackFolder: string;
    let unblocker: ChildProcess | undefined;

    beforeEach(() => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-policy-files-"));
        stackFolder = path.join(root, "stacks");
        fs.mkdirSync(path.join(stackFolder, "policies"), { recursive: true });
    });

    afterEach(() => {
        unblocker?.kill();
        unblocker = undefined;
        fs.rmSync(root, { recursive: true, force: true });
    });

    /**
     * A FIFO at `fifo`: opening it to read blocks until a writer comes, so a check that passes
     * shows it was not opened. Should the program open it, a writer comes after a few seconds with
     * text the check's message does not hold, so a regression fails instead of hanging the run.
     */
    function blockingFifo(fifo: string): void {
        execFileSync("mkfifo", [fifo]);
        unblocker = spawn("sh", ["-c", 'sleep 3; printf "{}" > "$1"', "sh", fifo], { stdio: "ignore" });
    }

    it("refuses a link to a FIFO outside the folder without opening it", () => {
        const fifo = path.join(root, "outside.json");
        blockingFifo(fifo);
        fs.symlinkSync(fifo, path.join(stackFolder, "policies", "ops.json"));
        expect(problemsOf(stackFolder, "policies/ops.json")).to.deep.equal([
            'Pulumi.retail.yaml: okta-aws:crossAccountRoles[0] (Ops).policies[0] (ops).file: "policies/ops.json" — links to a file outside the stack file\'s folder; a policy file stays inside it (nothing was read)',
        ]);
    });

    it("refuses a FIFO inside the folder from its type, without opening it", () => {
        blockingFifo(path.join(stackFolder, "policies", "ops.json"));
        expect(problemsOf(stackFolder, "policies/ops.json")).to.deep.equal([
            'Pulumi.retail.yaml: okta-aws:crossAccountRoles[0] (Ops).policies[0] (ops).file: "policies/ops.json" — is a FIFO (named pipe), not a policy file',
        ]);
    });

    it("refuses a file inside the folder that is not JSON", () => {
        fs.writeFileSync(path.join(stackFolder, "policies", "ops.json"), "{ Version: 2012-10-17 }");
        expect(problemsOf(stackFolder, "policies/ops.json")).to.deep.equal([
            'Pulumi.retail.yaml: okta-aws:crossAccountRoles[0] (Ops).policies[0] (ops).file: "policies/ops.json" — is not JSON: expected a property name in double quotes at line 1 column 3',
        ]);
    });

    it("names the place in the file of a statement's problem", () => {
        const document = {
            Version: "2012-10-17",
            Statement: [describeInstances.Statement[0], { Effect: "Allow", Action: "s3:ListBucket" }],
        };
        fs.writeFileSync(path.join(stackFolder, "policies", "ops.json"), JSON.stringify(document, null, 2));
        expect(problemsOf(stackFolder, "policies/ops.json")).to.deep.equal([
            'Pulumi.retail.yaml: okta-aws:crossAccountRoles[0] (Ops).policies[0] (ops).file: "policies/ops.json" — Statement[1] must have exactly one of Resource and NotResource (a permission policy names what it applies to)',
        ]);
    });

    it("reads a file inside the folder whose name starts with two dots", () => {
        fs.writeFileSync(path.join(stackFolder, "policies", "..ops.json"), JSON.stringify(describeInstances));
        const config = parseStackConfig("retail", retail("policies/..ops.json"), new Set(), stackFolder);
        expect(config.kind === "member" && config.crossAccountRoles[0].policies).to.deep.equal([
            { name: "ops", document: JSON.stringify(describeInstances) },
        ]);
    });

    it("refuses a .json file outside the policies/ folder, and a link out of it, unread", () => {
        fs.writeFileSync(path.join(stackFolder, "package.json"), JSON.stringify(describeInstances));
        fs.symlinkSync(path.join(stackFolder, "package.json"), path.join(stackFolder, "policies", "ops.json"));
        expect([...problemsOf(stackFolder, "package.json"), ...problemsOf(stackFolder, "policies/ops.json")]).to.deep.equal([
            'Pulumi.retail.yaml: okta-aws:crossAccountRoles[0] (Ops).policies[0] (ops).file: "package.json" — must be in the policies/ folder beside the stack file (policies/<name>.json): that folder holds policy documents only, so the access diff reviews a change to it as configuration, while a .json elsewhere may be code (package.json, tsconfig.json)',
            'Pulumi.retail.yaml: okta-aws:crossAccountRoles[0] (Ops).policies[0] (ops).file: "policies/ops.json" — links to a file outside the policies/ folder; a policy file stays inside it (nothing was read)',
        ]);
    });

    it("reads a valid file and uses its document", () => {
        fs.writeFileSync(path.join(stackFolder, "policies", "ops.json"), JSON.stringify(describeInstances, null, 2));
        const config = parseStackConfig("retail", retail("policies/ops.json"), new Set(), stackFolder);
        expect(config.kind === "member" && config.crossAccountRoles[0].policies).to.deep.equal([
            { name: "ops", document: JSON.stringify(describeInstances) },
        ]);
    });
});
