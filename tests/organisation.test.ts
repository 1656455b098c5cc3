// What the offline preview reads from a config folder is what Pulumi reads: scalars as Pulumi's Go
// YAML reader resolves them, keys as Pulumi namespaces them, the stack folder Pulumi.yaml names,
// member stacks as `pulumi stack select` names them, every member file listed, and every problem
// of every stack file reported at once.
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildPlan } from "../tools/plan/build";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, loadStackConfig, StackConfig } from "../components/config";
import { mockCloudFor } from "../tools/plan/evaluate";
import { installMockCloud } from "../tools/mock/runtime";
import { readOrganisation } from "../tools/plan/organisation";
import { naturalOrder } from "../tools/shared/naturalOrder";
import { goYamlScalar } from "../components/pulumiYaml";
import { projectRoot, runPreview } from "./harness";

/** A folder with the shipped stack files, each edited by `edit` (stack → text → text). */
function organisation(edit: Record<string, (text: string) => string> = {}, into = ""): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-org-"));
    fs.mkdirSync(path.join(dir, into), { recursive: true });
    for (const stack of ["identity", "sales", "retail"]) {
        const text = fs.readFileSync(path.join(projectRoot, `Pulumi.${stack}.yaml`), "utf8");
        fs.writeFileSync(path.join(dir, into, `Pulumi.${stack}.yaml`), (edit[stack] ?? ((t) => t))(text));
    }
    return dir;
}

/** Replaces `from` (which must be there) by `to`. */
const replacing = (from: string, to: string) => (text: string) => {
    expect(text).to.include(from);
    return text.replace(from, to);
};

describe("the configuration Pulumi reads (config folders, stack files, Pulumi.yaml)", function () {
    this.timeout(60000);
    const folders: string[] = [];
    const folder = (dir: string) => (folders.push(dir), dir);
    after(() => folders.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

    it("orders member stacks as people count them: acct2 before acct10", () => {
        const dir = folder(
            organisation({
                identity: replacing("okta-aws:memberStacks: [sales, retail]", "okta-aws:memberStacks: [acct10, acct2, acct1, acct11]"),
            }),
        );
        const sales = fs.readFileSync(path.join(dir, "Pulumi.sales.yaml"), "utf8");
        for (const stack of ["acct10", "acct2", "acct1", "acct11"]) {
            fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), sales);
        }
        fs.rmSync(path.join(dir, "Pulumi.sales.yaml"));
        fs.rmSync(path.join(dir, "Pulumi.retail.yaml"));
        expect(readOrganisation(dir).members.map((member) => member.file.stack)).to.deep.equal(["acct1", "acct2", "acct10", "acct11"]);
        // Without numbers, the plain order: `identity` before `identity2`.
        expect(["Pulumi.identity2.yaml", "Pulumi.identity.yaml"].sort(naturalOrder)).to.deep.equal([
            "Pulumi.identity.yaml",
            "Pulumi.identity2.yaml",
        ]);
        expect(
            ["b", "a10", "a2", "a02", "a", "a1b", "a1a", "a.x", "a99999999999999999999", "a100000000000000000000"].sort(naturalOrder),
        ).to.deep.equal(["a", "a.x", "a1a", "a1b", "a2", "a02", "a10", "a99999999999999999999", "a100000000000000000000", "b"]);
    });

    it("resolves unquoted scalars as gopkg.in/yaml.v3 v3.0.1 (resolve.go), which Pulumi's marshal.go uses", () => {
        const cases: [string, unknown][] = [
            ["07200", { kind: "int", value: 3712n }], // a leading 0 is octal to Go's ParseInt base 0
            ["089", { kind: "float", value: 89 }], // not octal, so yamlStyleFloat reads it
            ["0o17", { kind: "int", value: 15n }],
            ["0x1F", { kind: "int", value: 31n }],
            ["0b101", { kind: "int", value: 5n }],
            ["-0b11", { kind: "int", value: -3n }],
            ["1_000", { kind: "int", value: 1000n }], // underscores are dropped first
            ["18446744073709551615", { kind: "int", value: 18446744073709551615n }], // ParseUint after ParseInt
            ["6.71250594556e11", { kind: "float", value: 671250594556 }],
            [".5", { kind: "float", value: 0.5 }],
            ["+.inf", { kind: "float", value: Infinity }],
            ["2025-06-01", { kind: "timestamp" }],
            ["2025-6-1 3:04:05", { kind: "timestamp" }],
            ["2025-13-01", { kind: "str" }], // not a date time.Parse accepts
            ["yes", { kind: "str" }], // YAML 1.1 booleans are text to v3 when decoding into any
            ["Off", { kind: "str" }],
            ["1:20", { kind: "str" }], // "Base 60 floats ... are purposefully unsupported"
            ["1.2.3", { kind: "str" }],
            ["True", { kind: "bool", value: true }],
            ["~", { kind: "null" }],
            ["", { kind: "null" }],
            ["<<", { kind: "merge" }],
        ];
        expect(cases.map(([text]) => [text, goYamlScalar(text)])).to.deep.equal(cases);
    });

    it("reads bare keys as the project's and `<namespace>:config:<name>` as `<namespace>:<name>`, as Pulumi does", async () => {
        const dir = folder(
            organisation({
                identity: replacing("okta-aws:samlProviderName: Okta", "samlProviderName: AcmeOkta"),
                sales: replacing("okta-aws:identityAccountId:", "okta-aws:config:identityAccountId:"),
            }),
        );
        const { plan } = await buildPlan(dir);
        const provider = plan.stacks.identity.resources.find((r) => r.type === "aws:iam/samlProvider:SamlProvider")!;
        expect(provider.inputs.name).to.equal("AcmeOkta");
        expect(plan.stacks.sales.outputs.identityAccountId).to.equal("671250594556");
    });

    for (const [setting, line] of [
        ["stackConfigDir", "stackConfigDir: deploy"],
        ["config (the old spelling of stackConfigDir)", "config: deploy"],
    ]) {
        it(`reads the stack files from the folder Pulumi.yaml names with ${setting}, as Pulumi does`, async () => {
            const admins = "okta-aws:groups: [{ name: Admins, samlRoles: [Sales-EC2-Admins], members: [jane@acmecorp.me] }]";
            const dir = folder(organisation({ identity: replacing("okta-aws:groups: []", admins) }, "deploy"));
            fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: okta-aws\nruntime: nodejs\n${line}\n`);
            const { plan } = await buildPlan(dir);
            expect(plan.access.filter((row) => row.principal === "Admins").map((row) => row.samlRole)).to.deep.equal(["Sales-EC2-Admins"]);
        });
    }

    describe("policy files of a stack file in Pulumi.yaml's stackConfigDir", () => {
        const narrow = {
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::pay-logs/*" }],
        };
        const admin = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
        /** A project whose stack files are in deploy/, a reader role naming policies/s3-read.json, and a file of that name in both folders. */
        function project(): string {
            const readers = "    - name: S3_Readers\n      policies: [{ name: s3-read, file: policies/s3-read.json }]\n";
            const dir = folder(organisation({ retail: (text) => `${text}${readers}` }, "deploy"));
            fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: okta-aws\nruntime: nodejs\nstackConfigDir: deploy\n");
            for (const [where, document] of [
                ["deploy", narrow],
                [".", admin],
            ] as const) {
                fs.mkdirSync(path.join(dir, where, "policies"), { recursive: true });
                fs.writeFileSync(path.join(dir, where, "policies", "s3-read.json"), JSON.stringify(document));
            }
            return dir;
        }
        /** The documents of the retail stack's customer managed policies, as the program registered them. */
        const documentsOf = (resources: { type: string; inputs: Record<string, unknown> }[]) =>
            resources.filter((r) => r.type === "aws:iam/policy:Policy").map((r) => JSON.parse(String(r.inputs.policy)) as unknown);

        it("refuses a project file spelled Pulumi.yml, whose stack folder the program would not read", async () => {
            const dir = project();
            fs.renameSync(path.join(dir, "Pulumi.yaml"), path.join(dir, "Pulumi.yml"));
            const problems = await buildPlan(dir).then(
                () => [],
                (error: ConfigError) => error.problems,
            );
            expect(problems).to.deep.equal([
                `Pulumi.yml: (file): ${JSON.stringify(path.join(dir, "Pulumi.yml"))} — is a project file Pulumi reads, but this program and its tools read Pulumi.yaml only (its stackConfigDir decides where the stack files and their policies/ are): rename it to Pulumi.yaml`,
                `${dir}: (stack files): [] — has no Pulumi.<stack>.yaml; --config-dir names the folder of an organisation's stack files`,
            ]);
        });

        it("reads them from the stack file's folder offline, whatever the working folder", async () => {
            const { plan } = await buildPlan(project());
            expect(documentsOf(plan.stacks.retail.resources)).to.deep.equal([narrow]);
        });

        it("reads them from the stack file's folder when the program runs in the project folder, as the Pulumi CLI runs it", async () => {
            const dir = project();
            const retail = readOrganisation(dir).members.find((member) => member.file.stack === "retail")!.file;
            // What index.ts does first, in the process the CLI starts: in the project folder, told the project's root directory.
            await installMockCloud(mockCloudFor(retail, {}), "okta-aws", "retail", dir);
            pulumi.runtime.setAllConfig(retail.rawConfig, retail.secretKeys);
            const cwd = process.cwd();
            process.chdir(dir);
            let config: StackConfig;
            try {
                config = loadStackConfig();
            } finally {
                process.chdir(cwd);
            }
            const roles = config.kind === "member" ? config.crossAccountRoles : [];
            expect(roles.flatMap((role) => role.policies.map((policy) => JSON.parse(policy.document) as unknown))).to.deep.equal([narrow]);
        });
    });

    it("answers the identity stack's references to qualified member names (<org>/<stack>, <org>/<project>/<stack>)", async () => {
        const dir = folder(
            organisation({
                identity: replacing("okta-aws:memberStacks: [sales, retail]", "okta-aws:memberStacks: [acme/sales, acme/okta-aws/retail]"),
            }),
        );
        const { plan } = await buildPlan(dir);
        expect([...new Set(plan.access.map((row) => row.targetAccountLabel))].sort()).to.deep.equal(["Retail", "Sales"]);
    });

    it("refuses a member stack file the identity stack does not list, instead of previewing it", async () => {
        const dir = folder(
            organisation({ identity: replacing("okta-aws:memberStacks: [sales, retail]", "okta-aws:memberStacks: [sales]") }),
        );
        const { code, stderr } = await runPreview(["--config-dir", dir, "--out", path.join(dir, "out"), "--no-verify"]);
        expect([code, stderr]).to.deep.equal([
            1,
            'Invalid stack configuration (1 problem):\n  Pulumi.identity.yaml: okta-aws:memberStacks: ["sales"] — does not list retail, whose Pulumi.retail.yaml is here: the deploy never deploys an unlisted stack and the identity stack never reads its roles; add "retail", or delete the file',
        ]);
        expect(fs.existsSync(path.join(dir, "out"))).to.equal(false);
    });

    it("reports every stack's problems at once: the identity file's clear-text token beside a member's clear-text keys", async () => {
        const dir = folder(
            organisation({
                identity: (text) => `${text}  okta:apiToken: 00abcdefghijklmnopqrstuvwxyz0123456789ABCD\n`,
                retail: (text) => `${text}  aws:accessKey: AKIAIOSFODNN7EXAMPLE\n`,
            }),
        );
        const { code, stderr } = await runPreview(["--config-dir", dir, "--out", path.join(dir, "out"), "--no-verify"]);
        expect([code, stderr.split("\n")]).to.deep.equal([
            1,
            [
                "Invalid stack configuration (2 problems):",
                "  Pulumi.identity.yaml: okta:apiToken: (value not shown) — is a credential in clear text: remove it from Pulumi.identity.yaml, store it with `pulumi config set --secret okta:apiToken <value> -s identity`, and rotate it, since it has been in a file",
                "  Pulumi.retail.yaml: aws:accessKey: (value not shown) — is a credential in clear text: remove it from Pulumi.retail.yaml, store it with `pulumi config set --secret aws:accessKey <value> -s retail`, and rotate it, since it has been in a file",
            ],
        ]);
    });
});
