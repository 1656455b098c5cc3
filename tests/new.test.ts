// `okta-aws new DIR`: the exact files of a configuration repository, a plan the offline preview
// builds from them, the values asked for on a terminal, every bad value at once, a refusal when
// nothing can be asked, and never a file overwritten. Plus `okta-aws --help`, which lists the commands.
import { expect } from "chai";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main as cli } from "../tools/cli";
import { main as newRepository } from "../tools/commands/new";
import { buildPlan } from "../tools/plan/build";
import { captureCommand, projectRoot, testIdpKeyFile } from "./harness";

const usage =
    "usage: okta-aws new DIR [--identity-account ID] [--members NAME=ID,…] [--okta-org ORG.okta.com] [--region REGION] [--package SPEC]";

const flags = [
    "--identity-account",
    "111111111111",
    "--members",
    "sales=222222222222,data-lake=333333333333",
    "--okta-org",
    "acme.okta.com",
    "--region",
    "eu-west-1",
    "--package",
    "file:../okta-aws-0.1.0.tgz",
];

/** Every file below `dir`, relative to it, sorted. */
function filesBelow(dir: string): string[] {
    return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((file) => fs.statSync(path.join(dir, file)).isFile()).sort();
}

describe("okta-aws new", function () {
    this.timeout(120000);
    let tmp: string;
    beforeEach(() => (tmp = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-new-"))));
    afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("writes the repository's files: the stack files of the accounts and Okta org given, a one-line program, the package pinned", async () => {
        const dir = path.join(tmp, "acme-aws");
        const { code, stdout, stderr } = await captureCommand((argv) => newRepository(argv, undefined), [dir, ...flags]);
        expect({ code, stderr, first: stdout.split("\n")[0] }).to.deep.equal({
            code: 0,
            stderr: "",
            first: `Wrote ${path.relative(process.cwd(), dir)}: Pulumi.yaml, index.ts, package.json, tsconfig.json, Pulumi.identity.yaml, Pulumi.sales.yaml, Pulumi.data-lake.yaml, policies/README.md, .gitignore, README.md`,
        });
        expect(filesBelow(dir)).to.deep.equal([
            ".gitignore",
            "Pulumi.data-lake.yaml",
            "Pulumi.identity.yaml",
            "Pulumi.sales.yaml",
            "Pulumi.yaml",
            "README.md",
            "index.ts",
            "package.json",
            path.join("policies", "README.md"),
            "tsconfig.json",
        ]);
        const read = (file: string) => fs.readFileSync(path.join(dir, file), "utf8");
        expect(read(".gitignore")).to.equal("out/\nnode_modules/\n");
        expect(read("index.ts")).to.equal(
            '// The okta-aws program, run with this repository\'s stack files (Pulumi.<stack>.yaml).\nimport { program } from "okta-aws";\n\nexport = program();\n',
        );
        const ownPackage = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "package.json"), "utf8")) as {
            version: string;
            devDependencies: Record<string, string>;
        };
        const manifest = JSON.parse(read("package.json")) as Record<string, unknown>;
        expect([manifest.name, manifest.dependencies, manifest.devDependencies]).to.deep.equal([
            "acme-aws",
            { "okta-aws": "file:../okta-aws-0.1.0.tgz" },
            {
                "@cloud-copilot/iam-simulate": ownPackage.devDependencies["@cloud-copilot/iam-simulate"],
                "ts-node": ownPackage.devDependencies["ts-node"],
                typescript: ownPackage.devDependencies.typescript,
            },
        ]);
        expect(read("Pulumi.data-lake.yaml")).to.equal(
            [
                "# Member stack: the DataLake account. Deploy before the identity stack.",
                "config:",
                "  aws:region: eu-west-1",
                '  aws:allowedAccountIds: ["333333333333"]',
                '  okta-aws:account: { name: data-lake, label: DataLake, id: "333333333333" }',
                '  okta-aws:identityAccountId: "111111111111"',
                "  # The roles people switch into from the identity account (node_modules/okta-aws/docs/member-roles.md);",
                "  # each gets a federated role DataLake-<role> in the identity account.",
                "  okta-aws:crossAccountRoles:",
                "    - name: ReadOnly",
                "      managedPolicies: [ReadOnlyAccess]",
                "",
            ].join("\n"),
        );
        // The program and its tools accept what it wrote: the offline plan of its three stacks.
        const { plan } = await buildPlan(dir, testIdpKeyFile);
        expect(Object.keys(plan.stacks)).to.deep.equal(["data-lake", "sales", "identity"]);
        expect(plan.stacks.identity.outputs.federatedRoles).to.deep.equal({
            "DataLake-ReadOnly": "arn:aws:iam::111111111111:role/DataLake-ReadOnly",
            "Sales-ReadOnly": "arn:aws:iam::111111111111:role/Sales-ReadOnly",
        });
        expect([plan.stacks.identity.accountId, plan.stacks.identity.region]).to.deep.equal(["111111111111", "eu-west-1"]);
    });

    it("links only documentation the repository holds once the package is installed: the package's docs/, packed with it @slow", async () => {
        const dir = path.join(tmp, "acme-aws");
        expect((await captureCommand((argv) => newRepository(argv, undefined), [dir, ...flags])).code).to.equal(0);
        // What `npm pack` puts in the package (its `files`; dist/ is built by prepack, skipped here).
        const [packed] = JSON.parse(
            execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: projectRoot, encoding: "utf8", stdio: "pipe" }),
        ) as { files: { path: string }[] }[];
        const installed = new Set(packed.files.map((file) => `node_modules/okta-aws/${file.path}`));
        const links = [...fs.readFileSync(path.join(dir, "README.md"), "utf8").matchAll(/\]\(([^)]+)\)/g)].map(([, target]) => target);
        expect(links).to.deep.equal(
            ["package", "configuration", "member-roles", "preview", "access-diff", "deploy", "audit", "allow-lists"].map(
                (page) => `node_modules/okta-aws/docs/${page}.md`,
            ),
        );
        // Every link, and every documentation page a written file names, resolves in the installed package.
        const named = filesBelow(dir).flatMap((file) =>
            [...fs.readFileSync(path.join(dir, file), "utf8").matchAll(/[\w./-]*docs\/[\w-]+\.md/g)].map(([page]) => ({ file, page })),
        );
        expect(named.length).to.be.above(links.length);
        expect(named.filter(({ page }) => !installed.has(page))).to.deep.equal([]);
    });

    it("asks for each missing value on a terminal", async () => {
        const dir = path.join(tmp, "asked");
        const asked: string[] = [];
        const answers: Record<string, string> = {
            "Identity account id (12 digits): ": "111111111111",
            "Member accounts (name=id, comma-separated, e.g. sales=123456789012,data=210987654321): ": " prod=444444444444 ",
            "AWS region (e.g. eu-west-1): ": "us-east-1",
            "okta-aws package to install (file:…/okta-aws-<version>.tgz or a git URL): ": "git+https://git.example/okta-aws.git#v0.1.0",
        };
        const ask = (question: string) => {
            asked.push(question);
            return Promise.resolve(answers[question]);
        };
        const { code } = await captureCommand((argv) => newRepository(argv, ask), [dir, "--okta-org", "https://acme.oktapreview.com/"]);
        expect([code, asked]).to.deep.equal([0, Object.keys(answers)]);
        expect(fs.readFileSync(path.join(dir, "Pulumi.identity.yaml"), "utf8").split("\n").slice(2, 10)).to.deep.equal([
            "config:",
            "  aws:region: us-east-1",
            '  aws:allowedAccountIds: ["111111111111"]',
            "  okta:orgName: acme",
            "  okta:baseUrl: oktapreview.com",
            '  okta-aws:account: { name: identity, label: Identity, id: "111111111111" }',
            "  okta-aws:memberStacks: [prod]",
            "  okta-aws:samlProviderName: Okta",
        ]);
    });

    it("refuses with FAILED and the usage when a value is missing and there is no terminal to ask on", async () => {
        const dir = path.join(tmp, "nothing");
        expect(await captureCommand((argv) => newRepository(argv, undefined), [dir, "--region", "eu-west-1"])).to.deep.equal({
            code: 1,
            stdout: "",
            stderr: `${usage}\nFAILED: --identity-account, --members, --okta-org, --package missing, and there is no terminal to ask on: give them as flags`,
        });
        expect(await captureCommand((argv) => newRepository(argv, undefined), flags)).to.deep.equal({
            code: 1,
            stdout: "",
            stderr: `${usage}\nFAILED: DIR is required: the folder to write the repository into`,
        });
        expect(fs.existsSync(dir)).to.equal(false);
    });

    it("names every bad value at once and writes nothing", async () => {
        const dir = path.join(tmp, "bad");
        const argv = [
            dir,
            "--identity-account",
            "12345",
            "--members",
            "Sales=222222222222,identity=333333333333,data=12345,data=444444444444",
        ];
        const { code, stdout, stderr } = await captureCommand(
            (args) => newRepository(args, undefined),
            [...argv, "--okta-org", "acme.example.com", "--region", "eu-west-9", "--package", "0.1.0"],
        );
        expect({ code, stdout, stderr: stderr.split("\n") }).to.deep.equal({
            code: 1,
            stdout: "",
            stderr: [
                "okta-aws new: 8 problems:",
                '  --identity-account: "12345" — must be a string of exactly 12 digits',
                '  --members: "Sales=222222222222" — the name must be a short lower-case name (a-z 0-9 -): it names the member\'s stack and its resources',
                '  --members: "identity=333333333333" — "identity" is the identity stack\'s name: name the member account after its team or purpose',
                '  --members: "data=12345" — the account id must be a string of exactly 12 digits',
                '  --members: "data" — is named twice: each member account is a stack of its own',
                '  --okta-org: "acme.example.com" — must be the org\'s Okta domain, <org>.<one of okta.com, oktapreview.com, okta-emea.com, okta-gov.com, okta.mil> (e.g. acme.okta.com): the Okta API token goes there',
                '  --region: "eu-west-9" — is not an AWS region (did you mean "eu-west-1"?); the known regions are @pulumi/aws\'s Region list',
                '  --package: "0.1.0" — must name where okta-aws comes from: a tarball (file:…/okta-aws-<version>.tgz, https://….tgz) or a git URL (git+https://, git+ssh://, github:); okta-aws is not on a registry, so a version would install whatever package of that name a registry serves',
                usage,
                "FAILED: nothing was written; correct the values above",
            ],
        });
        expect(fs.existsSync(dir)).to.equal(false);
    });

    it("never overwrites a file: one that exists stops it, named, before anything is written", async () => {
        const dir = path.join(tmp, "existing");
        fs.mkdirSync(path.join(dir, "policies"), { recursive: true });
        fs.writeFileSync(path.join(dir, "Pulumi.sales.yaml"), "# ours\n");
        fs.writeFileSync(path.join(dir, "policies", "README.md"), "# ours too\n");
        fs.writeFileSync(path.join(dir, "notes.txt"), "unrelated\n");
        const shown = (file: string) => path.relative(process.cwd(), path.join(dir, file));
        expect(await captureCommand((argv) => newRepository(argv, undefined), [dir, ...flags])).to.deep.equal({
            code: 1,
            stdout: "",
            stderr: `FAILED: ${shown("Pulumi.sales.yaml")}, ${shown(path.join("policies", "README.md"))} exist already; okta-aws new never overwrites a file: choose an empty folder, or move them away`,
        });
        expect(filesBelow(dir)).to.deep.equal(["Pulumi.sales.yaml", "notes.txt", path.join("policies", "README.md")]);
        expect(fs.readFileSync(path.join(dir, "Pulumi.sales.yaml"), "utf8")).to.equal("# ours\n");
    });
});

describe("okta-aws (the package's command)", () => {
    it("--help lists its commands; an unknown command is refused with the usage line", async () => {
        const { code, stdout } = await captureCommand(cli, ["--help"]);
        expect([
            code,
            stdout
                .split("\n")
                .filter((line) => line.startsWith("  "))
                .map((line) => line.trim().split(" ")[0]),
        ]).to.deep.equal([0, ["new", "preview", "verify", "access-diff", "deploy", "audit"]]);
        expect(await captureCommand(cli, ["plan"])).to.deep.equal({
            code: 1,
            stdout: "",
            stderr: 'unknown command "plan"\nusage: okta-aws <new|preview|verify|access-diff|deploy|audit> [flags]  (okta-aws <command> --help describes its flags)',
        });
    });

    it("runs a command's entry point with the rest of the command line", async () => {
        const { code, stdout } = await captureCommand(cli, ["deploy", "--dry-run", "--github-output"]);
        expect([code, stdout.split("\n")]).to.deep.equal([
            0,
            [
                'members=[{"name":"sales","stack":"sales"},{"name":"retail","stack":"retail"}]',
                'identity={"name":"identity","stack":"identity"}',
                "afterIdentity=[]",
            ],
        ]);
    });
});
