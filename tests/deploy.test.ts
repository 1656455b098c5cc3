// npm run deploy: the order (members in parallel, identity last) read from the identity stack
// file's okta-aws:memberStacks, and the dry run's exact output; no Pulumi CLI needed.
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../tools/commands/deploy";
import { deployOrder } from "../tools/plan/deployOrder";
import { projectRoot, captureCommand } from "./harness";

const run = (argv: string[]) => captureCommand(main, argv);

describe("deploy (npm run deploy)", () => {
    it("prints the shipped organisation's order and commands in a dry run", async () => {
        expect(await run(["--dry-run"])).to.deep.equal({
            code: 0,
            stdout: [
                `Deploy order of okta-aws from ${projectRoot} (okta-aws:memberStacks of Pulumi.identity.yaml); dry run, nothing is deployed`,
                `The commands run in ${projectRoot}, the project folder.`,
                "1. member stacks, in parallel: sales, retail",
                "     PULUMI_NODEJS_TRANSPILE_ONLY=true pulumi up --yes --stack sales --policy-pack policy",
                "     PULUMI_NODEJS_TRANSPILE_ONLY=true pulumi up --yes --stack retail --policy-pack policy",
                "2. then the identity stack, which reads the members' outputs: identity",
                "     PULUMI_NODEJS_TRANSPILE_ONLY=true pulumi up --yes --stack identity --policy-pack policy",
            ].join("\n"),
            stderr: "",
        });
    });

    it("--preview: `pulumi preview` of each stack in deploy order, one after another; --dry-run prints those commands", async () => {
        expect(await run(["--preview", "--dry-run"])).to.deep.equal({
            code: 0,
            stdout: [
                `Preview order of okta-aws from ${projectRoot} (okta-aws:memberStacks of Pulumi.identity.yaml); dry run, nothing is previewed`,
                `The commands run in ${projectRoot}, the project folder.`,
                "1. member stacks, one after another: sales, retail",
                "     PULUMI_NODEJS_TRANSPILE_ONLY=true pulumi preview --stack sales --policy-pack policy",
                "     PULUMI_NODEJS_TRANSPILE_ONLY=true pulumi preview --stack retail --policy-pack policy",
                "2. then the identity stack, which reads the members' outputs: identity",
                "     PULUMI_NODEJS_TRANSPILE_ONLY=true pulumi preview --stack identity --policy-pack policy",
            ].join("\n"),
            stderr: "",
        });
    });

    it("--preview without the Pulumi CLI says so before it previews anything", async () => {
        const emptyFolder = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-no-pulumi-"));
        const pathBefore = process.env.PATH;
        process.env.PATH = emptyFolder;
        try {
            expect(await run(["--preview"])).to.deep.equal({
                code: 1,
                stdout: "",
                stderr: "the Pulumi CLI is not on PATH: install it (https://www.pulumi.com/docs/iac/download-install/) or add its folder to PATH; --dry-run prints the commands without it",
            });
        } finally {
            process.env.PATH = pathBefore;
            fs.rmSync(emptyFolder, { recursive: true, force: true });
        }
    });

    it("keeps qualified member stack names and finds their stack files by the last segment", () => {
        expect(deployOrder(path.join(projectRoot, "tests", "fixtures", "globex"))).to.deep.equal({
            members: [
                { name: "dev", stack: "dev" },
                { name: "prod", stack: "prod" },
                { name: "data", stack: "organization/okta-aws/data" },
            ],
            identity: { name: "hub", stack: "hub" },
            afterIdentity: [],
        });
    });

    it("says the Pulumi CLI is not on PATH before it deploys anything, not `code: -2`", async () => {
        const emptyFolder = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-no-pulumi-"));
        const pathBefore = process.env.PATH;
        process.env.PATH = emptyFolder;
        try {
            expect(await run([])).to.deep.equal({
                code: 1,
                stdout: "",
                stderr: "the Pulumi CLI is not on PATH: install it (https://www.pulumi.com/docs/iac/download-install/) or add its folder to PATH; --dry-run prints the commands without it",
            });
        } finally {
            process.env.PATH = pathBefore;
            fs.rmSync(emptyFolder, { recursive: true, force: true });
        }
    });

    it("prints the order as the workflow's job outputs", async () => {
        const { code, stdout } = await run(["--dry-run", "--github-output"]);
        expect(code).to.equal(0);
        expect(stdout.split("\n")).to.deep.equal([
            'members=[{"name":"sales","stack":"sales"},{"name":"retail","stack":"retail"}]',
            'identity={"name":"identity","stack":"identity"}',
            "afterIdentity=[]",
        ]);
    });

    it("stops on a member stack without a stack file, in the one message format", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-deploy-"));
        try {
            for (const stack of ["identity", "sales"]) {
                fs.copyFileSync(path.join(projectRoot, `Pulumi.${stack}.yaml`), path.join(dir, `Pulumi.${stack}.yaml`));
            }
            const { code, stderr } = await run(["--dry-run", "--config-dir", dir]);
            expect(code).to.equal(1);
            expect(stderr).to.equal(
                `Invalid stack configuration (1 problem):\n  Pulumi.identity.yaml: okta-aws:memberStacks[1]: "retail" — no Pulumi.retail.yaml in ${dir}: a member stack is previewed and deployed from its stack file`,
            );
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("never lists the identity stack as a member, however the member list spells it", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-deploy-"));
        try {
            for (const stack of ["identity", "sales", "retail"]) {
                fs.copyFileSync(path.join(projectRoot, `Pulumi.${stack}.yaml`), path.join(dir, `Pulumi.${stack}.yaml`));
            }
            const identityFile = path.join(dir, "Pulumi.identity.yaml");
            for (const self of ["acme/okta-aws/identity", "acme/identity"]) {
                fs.writeFileSync(
                    identityFile,
                    fs
                        .readFileSync(path.join(projectRoot, "Pulumi.identity.yaml"), "utf8")
                        .replace("okta-aws:memberStacks: [sales, retail]", `okta-aws:memberStacks: [sales, retail, ${self}]`),
                );
                expect(await run(["--dry-run", "--github-output", "--config-dir", dir])).to.deep.equal({
                    code: 1,
                    stdout: "",
                    stderr: `Invalid stack configuration (1 problem):\n  Pulumi.identity.yaml: okta-aws:memberStacks[2]: "${self}" — is this identity stack itself (${self} names the stack identity of this project); list the member stacks`,
                });
            }
            // Qualified names of real members are kept for `pulumi up --stack` and matched to their files.
            fs.writeFileSync(
                identityFile,
                fs
                    .readFileSync(path.join(projectRoot, "Pulumi.identity.yaml"), "utf8")
                    .replace("okta-aws:memberStacks: [sales, retail]", "okta-aws:memberStacks: [acme/sales, acme/okta-aws/retail]"),
            );
            expect((await run(["--dry-run", "--github-output", "--config-dir", dir])).stdout.split("\n")).to.deep.equal([
                'members=[{"name":"sales","stack":"acme/sales"},{"name":"retail","stack":"acme/okta-aws/retail"}]',
                'identity={"name":"identity","stack":"identity"}',
                "afterIdentity=[]",
            ]);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("refuses bad flags, and a real deploy of another directory's stack files", async () => {
        const usage = "usage: npm run deploy -- [--preview] [--dry-run [--github-output]] [--config-dir DIR]";
        expect(await run(["--github-output"])).to.deep.equal({
            code: 1,
            stdout: "",
            stderr: `--github-output prints the order of a dry run; add --dry-run\n${usage}`,
        });
        const unknownFlag = (await run(["--stack", "sales"])).stderr; // the wording is node:util's
        expect(unknownFlag).to.match(/^Unknown option '--stack'/);
        expect(unknownFlag.endsWith(`\n${usage}`)).to.equal(true);
        const globex = path.join(projectRoot, "tests", "fixtures", "globex");
        expect((await run(["--config-dir", globex])).stderr).to.equal(
            `a real deploy runs a Pulumi project, and ${globex} has no Pulumi.yaml: run it in a configuration repository (\`okta-aws new\` writes one); a folder of stack files alone is for --dry-run\n${usage}`,
        );
    });
});
