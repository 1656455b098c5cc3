// Organisations of real size: the generator the benchmark uses, a console summary whose length
// does not grow with the organisation, verification that grows with sign-ins and roles (never
// people × roles or roles²), and what the Pulumi host compiles the program with.
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { accessMarkdown } from "../tools/report/access";
import { mockIdpKey } from "../tools/mock/idp";
import { AccessRow } from "../tools/plan/model";
import { buildPlan } from "../tools/plan/build";
import { readOrganisation } from "../tools/plan/organisation";
import { stackConfigOf } from "../tools/plan/stackFiles";
import { main as scaleOrganisationCommand } from "../tools/commands/scaleOrganisation";
import type { IdentityConfig } from "../components/config";
import { OrganisationSize, scaleOrganisation, writeScaleOrganisation } from "../tools/bench/scaleOrganisation";
import { registerStack } from "../tools/bench/sdkFloor";
import { verifyPlan } from "../tools/verification/checks";
import { VerificationReport } from "../tools/verification/report";
import { validateNewShapesWith, xmlShape } from "../tools/verification/saml";
import { signInRunner } from "../tools/verification/signInPool";
import { checkPassed } from "../tools/verification/simulator";
import { captureCommand, projectRoot, runPreview, shippedPlan, testIdpKeyFile } from "./harness";

// The Pulumi Node.js host's own reader of the tsconfig it is given (internal, so not in the typings).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { loadTypeScriptCompilerOptions } = require("@pulumi/pulumi/tsutils") as {
    loadTypeScriptCompilerOptions: (tsconfigPath: string) => Record<string, unknown>;
};

/** A generated stack file: its config keys and values. */
type StackYaml = { config: Record<string, unknown> };

const tiny: OrganisationSize = { accounts: 2, rolesPerAccount: 2, people: 3, groups: 1, membersPerGroup: 2 };

function scratch(prefix: string): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), `okta-aws-${prefix}-`));
}

/** The shipped organisation's IdP: the metadata given to AWS and the key behind it. */
async function shippedIdp(): Promise<{ metadata: string; privateKeyPem: string }> {
    const { plan } = await shippedPlan();
    const provider = plan.stacks.identity.resources.find((r) => r.type === "aws:iam/samlProvider:SamlProvider")!;
    return { metadata: provider.inputs.samlMetadataDocument as string, privateKeyPem: mockIdpKey(testIdpKeyFile).privateKeyPem };
}

describe("organisations of real size", function () {
    this.timeout(120000);

    it("generates member stacks acctN with roles RoleN, people with two roles and groups with three", () => {
        const files = scaleOrganisation(tiny);
        expect(Object.keys(files).sort()).to.deep.equal(["Pulumi.acct1.yaml", "Pulumi.acct2.yaml", "Pulumi.identity.yaml"]);
        const member = (parse(files["Pulumi.acct2.yaml"]) as StackYaml).config;
        expect(member["okta-aws:account"]).to.deep.equal({ name: "acct2", label: "Acct2", id: "300000000002" });
        expect(member["okta-aws:crossAccountRoles"]).to.deep.equal([
            { name: "Role1", managedPolicies: ["AmazonEC2ReadOnlyAccess"] },
            { name: "Role2", managedPolicies: ["AmazonS3ReadOnlyAccess"] },
        ]);
        const identity = (parse(files["Pulumi.identity.yaml"]) as StackYaml).config;
        expect(identity["okta-aws:memberStacks"]).to.deep.equal(["acct1", "acct2"]);
        expect((identity["okta-aws:users"] as { login: string; samlRoles: string[] }[]).map((u) => [u.login, u.samlRoles])).to.deep.equal([
            ["person1@example.com", ["Acct1-Role1", "Acct1-Role2"]],
            ["person2@example.com", ["Acct2-Role1", "Acct2-Role2"]],
            ["person3@example.com", ["Acct1-Role1", "Acct1-Role2"]],
        ]);
        expect(identity["okta-aws:groups"]).to.deep.equal([
            {
                name: "team-1",
                samlRoles: ["Acct1-Role1", "Acct1-Role2", "Acct2-Role1"],
                members: ["person1@example.com", "person2@example.com"],
            },
        ]);
    });

    it("--direct-share puts that share of the member accounts on direct sign-in, spread evenly, with group mapping", async () => {
        const size = { ...tiny, accounts: 4 };
        const signIns = (files: Record<string, string>) =>
            [1, 2, 3, 4].map((a) => (parse(files[`Pulumi.acct${a}.yaml`]) as StackYaml).config["okta-aws:signIn"] ?? "(chained)");
        const app = (files: Record<string, string>) => (parse(files["Pulumi.identity.yaml"]) as StackYaml).config["okta-aws:oktaApp"];
        expect(signIns(scaleOrganisation(size))).to.deep.equal(["(chained)", "(chained)", "(chained)", "(chained)"]);
        expect(signIns(scaleOrganisation(size, undefined, 0.5))).to.deep.equal(["(chained)", "direct", "(chained)", "direct"]);
        expect(signIns(scaleOrganisation(size, undefined, 0.25))).to.deep.equal(["(chained)", "(chained)", "(chained)", "direct"]);
        expect(signIns(scaleOrganisation(size, undefined, 1))).to.deep.equal(["direct", "direct", "direct", "direct"]);
        expect(app(scaleOrganisation(size))).to.equal(undefined);
        expect(app(scaleOrganisation(size, undefined, 0.5))).to.deep.equal({ roleAssignment: "groupMapping" });
        expect(app(scaleOrganisation(size, { roleAssignment: "groupMapping", rolesImported: true }, 0.5))).to.deep.equal({
            roleAssignment: "groupMapping",
            rolesImported: true,
        });
        expect(() => scaleOrganisation(size, { roleAssignment: "samlUserRoles" }, 0.5)).to.throw(
            'directShare: 0.5 needs roleAssignment groupMapping (direct sign-in is Okta\'s group mapping), not "samlUserRoles"',
        );
        const dir = scratch("scale-direct");
        try {
            const refused = [];
            for (const flags of [
                ["--direct-share", "2"],
                ["--direct-share", "half"],
                ["--mode", "samlUserRoles", "--direct-share", "0.5"],
            ]) {
                refused.push(await captureCommand(scaleOrganisationCommand, ["--size", "S", "--out", dir, ...flags]));
            }
            const usage =
                "usage: npm run scale-organisation -- --size S|M|L --out DIR [--mode samlUserRoles|groupMapping] [--direct-share SHARE]";
            expect(refused.map((run) => [run.code, run.stderr])).to.deep.equal([
                [1, `--direct-share: "2" is not a share between 0 and 1 (0.5: every second member account)\n${usage}`],
                [1, `--direct-share: "half" is not a share between 0 and 1 (0.5: every second member account)\n${usage}`],
                [1, `--direct-share: direct sign-in needs --mode groupMapping, not samlUserRoles\n${usage}`],
            ]);
            expect(fs.readdirSync(dir)).to.deep.equal([]);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("a generated organisation with a direct share previews: its direct accounts' grants sign in to the member roles themselves", async () => {
        const configDir = scratch("scale-direct-plan");
        try {
            writeScaleOrganisation(configDir, tiny, undefined, 0.5);
            const { plan } = await buildPlan(configDir);
            // acct2 is direct: its grants land in its roles; acct1's switch from federated roles of the identity account.
            expect(
                [
                    ...new Set(
                        plan.access.map(
                            (row) =>
                                `${row.samlRole} ${row.targetAccountId} ${row.samlRoleArn === row.targetRoleArn ? "direct" : "chained"}`,
                        ),
                    ),
                ].sort(),
            ).to.deep.equal([
                "Acct1-Role1 300000000001 chained",
                "Acct1-Role2 300000000001 chained",
                "Acct2-Role1 300000000002 direct",
                "Acct2-Role2 300000000002 direct",
            ]);
            expect(
                plan.stacks.acct2.resources.filter((r) => r.type === "aws:iam/samlProvider:SamlProvider").map((r) => r.inputs.name),
            ).to.deep.equal(["Okta"]);
            expect(plan.stacks.acct1.resources.filter((r) => r.type === "aws:iam/samlProvider:SamlProvider")).to.deep.equal([]);
        } finally {
            fs.rmSync(configDir, { recursive: true, force: true });
        }
    });

    it("npm run scale-organisation --mode writes a deployed organisation the program accepts, in either mode", async () => {
        for (const mode of ["samlUserRoles", "groupMapping"]) {
            const dir = scratch("scale-command");
            try {
                const run = await captureCommand(scaleOrganisationCommand, ["--size", "S", "--out", dir, "--mode", mode]);
                expect(run.code, run.stderr).to.equal(0);
                // Every stack file's configuration parses: rolesImported needs the app's id.
                const { identity } = readOrganisation(dir);
                expect(stackConfigOf(identity)).to.deep.include({ kind: "identity" });
                expect((stackConfigOf(identity) as IdentityConfig).oktaApp).to.deep.include({ roleAssignment: mode, rolesImported: true });
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        }
    });

    it("prints a console summary of the same length for 12 and 16 member accounts @slow", async () => {
        const lengths: number[] = [];
        for (const accounts of [12, 16]) {
            const configDir = scratch("scale-config");
            const outDir = scratch("scale-out");
            writeScaleOrganisation(configDir, { accounts, rolesPerAccount: 1, people: 12 + accounts, groups: 2, membersPerGroup: 3 });
            const { code, stdout } = await runPreview(["--config-dir", configDir, "--out", outDir, "--no-verify"]);
            expect(code).to.equal(0);
            const lines = stdout.split("\n");
            const summarised = (prefix: string) => lines.filter((line) => line.trimStart().startsWith(prefix));
            expect(summarised(`… and ${accounts - 9} more member stacks`)).to.have.length(1);
            expect(summarised(`… and ${accounts - 9} more member stacks`)[0]).to.match(
                new RegExp(`\\((acct\\d+, ){3}…\\): ${(accounts - 9) * 7} resources to create$`),
            );
            expect(summarised("… and")).to.deep.equal([
                summarised(`… and ${accounts - 9} more member stacks`)[0],
                `  … and ${accounts - 10} more accounts (out/access.md)`,
                // Two roles per person, three per group, and the group's three roles for each of its three members.
                `  … and ${(12 + accounts) * 2 + 2 * 3 + 2 * 3 * 3 - 10} more rows (out/access.md, or --verbose)`,
            ]);
            expect(lines.at(-1)).to.equal(
                `Wrote ${path.relative(process.cwd(), outDir)}/plan.json, ${path.relative(process.cwd(), outDir)}/access.md, ${path.relative(process.cwd(), outDir)}/aws-config/ (${12 + accounts} files)`,
            );
            expect(fs.readdirSync(path.join(outDir, "aws-config"))).to.have.length(12 + accounts);
            lengths.push(lines.length);
        }
        expect(lengths[0]).to.equal(lengths[1]);
    });

    it("verifies per sign-in and per role: checks grow with people and roles, never with their product @slow", async () => {
        const keyFile = path.join(scratch("scale-key"), "key.json");
        const counts: Record<string, number>[] = [];
        const ownRoles: number[] = [];
        for (const people of [4, 8]) {
            const configDir = scratch("scale-verify");
            writeScaleOrganisation(configDir, { accounts: 2, rolesPerAccount: 3, people, groups: 1, membersPerGroup: 2 });
            const { plan } = await buildPlan(configDir, keyFile);
            const checks = await verifyPlan(plan, mockIdpKey(keyFile).privateKeyPem);
            const samlRolesByUser = plan.stacks.identity.outputs.samlRolesByUser as Record<string, string[]>;
            ownRoles.push(
                Object.values(samlRolesByUser).reduce((n, roles) => n + roles.length, 0) +
                    plan.access.filter((row) => row.principalType === "group").length,
            );
            expect(checks.filter((c) => !checkPassed(c))).to.deep.equal([]);
            const byStep: Record<string, number> = {};
            for (const c of checks) {
                byStep[`${c.step} ${c.expected}`] = (byStep[`${c.step} ${c.expected}`] ?? 0) + 1;
            }
            counts.push(byStep);
        }
        // One exact sign-in check per person and per group member; per own role the chain; per
        // federated role (6) two provider negatives and a sample of at most three other targets.
        expect(counts[0]["SAML sign-in allowed"]).to.equal(4 + 1);
        expect(counts[1]["SAML sign-in allowed"]).to.equal(8 + 1);
        expect(counts[1]["AssumeRole allowed"]).to.equal(counts[1]["AssumeRoleWithSAML allowed"]);
        expect(counts[1]["AssumeRole allowed"]).to.equal(ownRoles[1]);
        expect(counts[0]["AssumeRoleWithSAML denied"]).to.equal(counts[1]["AssumeRoleWithSAML denied"]);
        expect(counts[0]["AssumeRoleWithSAML denied"]).to.equal(6 * 2);
        expect(counts[0]["AssumeRole denied"]).to.equal(counts[1]["AssumeRole denied"]);
        expect(counts[0]["AssumeRole denied"]).to.be.at.most(6 + 6 * 3);
    });

    it("registers for the SDK floor exactly the plan's resources, bare and through the provider classes", async () => {
        const { plan } = await buildPlan(projectRoot, path.join(scratch("floor-key"), "key.json"));
        const identity = plan.stacks.identity.resources;
        const typeOf = new Map(identity.map((r) => [r.urn, r.type]));
        // As the SDK's mock monitor names them: the parent's type $ the type, and the name.
        const expected = identity
            .filter((r) => r.type !== "pulumi:pulumi:Stack")
            .map((r) => `${typeOf.get(r.parent!)}$${r.type} ${r.name}`)
            .sort();
        for (const typed of [false, true]) {
            await registerStack("okta-aws", "identity", identity, typed);
            // The SDK's mock monitor keeps every registration by URN (parent's type $ type :: name).
            const monitor = pulumi.runtime.getMonitor() as unknown as { resources: Map<string, unknown> };
            const registered = [...monitor.resources.keys()]
                .map((urn) => `${urn.split("::")[2]} ${urn.split("::")[3]}`)
                .filter((typeAndName) => !typeAndName.startsWith("pulumi:pulumi:Stack "));
            expect(registered.sort()).to.deep.equal(expected);
        }
    });

    it("verifies sign-ins in worker threads from 64 on, with the same results as in-process @slow", async () => {
        const { metadata, privateKeyPem } = await shippedIdp();
        const roleValue = (role: string) => `arn:aws:iam::671250594556:saml-provider/Okta,arn:aws:iam::671250594556:role/${role}`;
        const assertions = [
            {
                login: "john@acmecorp.me",
                roleValues: [roleValue("Retail-EC2-Admins"), roleValue("Sales-EC2-Admins")],
                sessionDuration: 3600,
            },
            { login: "jane@acmecorp.me", roleValues: [roleValue("Retail-S3-Admins")], sessionDuration: 3600 },
            { login: "x".repeat(60) + "@acmecorp.me", roleValues: [roleValue("Retail-S3-Admins")], sessionDuration: 3600 },
        ];
        const inProcess = signInRunner(1, metadata, privateKeyPem);
        const pool = signInRunner(64, metadata, privateKeyPem);
        try {
            expect(pool.concurrency).to.be.greaterThan(inProcess.concurrency);
            const [local, pooled] = await Promise.all(
                [inProcess, pool].map((runner) => Promise.all(assertions.map((a) => runner.roundTrip(a)))),
            );
            expect(pooled).to.deep.equal(local);
            expect(pooled.map((r) => ("signIn" in r ? r.signIn.roles.map((pair) => pair.roleArn) : r.refused))).to.deep.equal([
                ["arn:aws:iam::671250594556:role/Retail-EC2-Admins", "arn:aws:iam::671250594556:role/Sales-EC2-Admins"],
                ["arn:aws:iam::671250594556:role/Retail-S3-Admins"],
                (local[2] as { refused: string }).refused,
            ]);
        } finally {
            await pool.close();
        }
    });

    it("validates each response shape once for all the workers, whatever the number of roles, and refuses an invalid one @slow", async () => {
        const { metadata, privateKeyPem } = await shippedIdp();
        const withRoles = (count: number, i: number) => ({
            login: `person${i}@acmecorp.me`,
            roleValues: Array.from(
                { length: count },
                (_, r) => `arn:aws:iam::671250594556:saml-provider/Okta,arn:aws:iam::671250594556:role/Role${r}`,
            ),
            sessionDuration: 3600,
        });
        const validated: string[] = [];
        // Replacing the validator forgets the shapes earlier tests validated.
        const xmllint = validateNewShapesWith((xml) => {
            validated.push(xmlShape(xml));
            return xmllint(xml);
        });
        let pool = signInRunner(64, metadata, privateKeyPem);
        try {
            // One to eight roles, over both workers: one shape, validated once, by xmllint.
            const signIns = await Promise.all(Array.from({ length: 16 }, (_, i) => pool.roundTrip(withRoles(1 + (i % 8), i))));
            expect(signIns.filter((r) => !("signIn" in r))).to.deep.equal([]);
            expect(validated).to.have.length(1);
            await pool.close();

            const refusal = "ERR_EXCEPTION_VALIDATE_XML (refused by this test)";
            validateNewShapesWith((xml) => {
                validated.push(xmlShape(xml));
                return Promise.reject(new Error(refusal));
            });
            pool = signInRunner(64, metadata, privateKeyPem);
            const refused = await Promise.all(Array.from({ length: 4 }, (_, i) => pool.roundTrip(withRoles(2, i))));
            expect(refused).to.deep.equal(Array(4).fill({ refused: refusal }));
            expect(validated).to.have.length(2);
        } finally {
            await pool.close();
            validateNewShapesWith(xmllint);
        }
    });

    it("leaves the Mermaid diagram out of access.md once it is past what Mermaid renders", () => {
        const row = (i: number): AccessRow => ({
            principal: `person${i}@example.com`,
            principalType: "user",
            samlRole: `Acct1-Role${i % 3}`,
            samlRoleArn: `arn:aws:iam::200000000000:role/Acct1-Role${i % 3}`,
            targetAccountId: "300000000001",
            targetAccountLabel: "Acct1",
            targetRoleArn: `arn:aws:iam::300000000001:role/Role${i % 3}`,
            policyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
        });
        const small = accessMarkdown({ stacks: {}, access: [0, 1, 2].map(row) });
        expect(small).to.contain("**3 access grants: 3 users and 0 groups hold 3 federated roles into 1 member account.**");
        expect(small).to.contain("| Acct1 (300000000001) | Role0 | Acct1-Role0 | 1 | 0 | ReadOnlyAccess |");
        expect(small).to.contain("```mermaid\nflowchart LR\n");
        const large = accessMarkdown({ stacks: {}, access: Array.from({ length: 600 }, (_, i) => row(i)) });
        expect(large).to.not.contain("```mermaid");
        expect(large).to.contain("_The diagram is left out: its 606 edges are more than Mermaid renders (500)._");
        expect(large).to.contain("| person599@example.com | user |  | Acct1-Role2 | Acct1 (300000000001) | Role2 | ReadOnlyAccess |");
    });

    it("streams every check to the detail file and keeps only counts, failures and a few examples", () => {
        const rows: string[] = [];
        const report = new VerificationReport((r) => rows.push(r));
        const check = (subject: string, actual: "allowed" | "denied") => ({
            subject,
            samlRole: "Acct1-Role1",
            step: "AssumeRole" as const,
            request: "sts:AssumeRole arn:aws:iam::300000000001:role/Role1",
            expected: "allowed" as const,
            actual,
            reason: "iam-simulate: ExplicitlyDenied",
        });
        for (let i = 0; i < 8; i++) {
            report.add(check(`person${i}@example.com`, i === 6 ? "denied" : "allowed"));
        }
        expect(rows).to.have.length(8);
        expect(rows[6]).to.equal(
            "| ✗ | person6@example.com | Acct1-Role1 | AssumeRole | sts:AssumeRole arn:aws:iam::300000000001:role/Role1 | denied (expected allowed) |",
        );
        expect(report.summaryLines()).to.deep.equal([
            "AssumeRole, expected allowed: 7 of 8",
            "Failed:",
            "  ✗ person6@example.com  Acct1-Role1  AssumeRole: sts:AssumeRole arn:aws:iam::300000000001:role/Role1 — denied (expected allowed; iam-simulate: ExplicitlyDenied)",
            "Examples:",
            ...[0, 1, 2, 3, 4].map(
                (i) => `  ✓ person${i}@example.com  Acct1-Role1  AssumeRole: sts:AssumeRole arn:aws:iam::300000000001:role/Role1 — allowed`,
            ),
            "7 of 8 checks as expected; 1 NOT",
        ]);
    });

    it("has the Pulumi host compile without a type-check, while the project's own tsconfig keeps checking", () => {
        // The tsconfig the host is handed, read with the host's own reader (it does not follow
        // `extends`): noCheck makes it transpile only.
        const { runtime } = parse(fs.readFileSync(path.join(projectRoot, "Pulumi.yaml"), "utf8")) as {
            runtime: { options: { tsconfig: string } };
        };
        expect(loadTypeScriptCompilerOptions(path.join(projectRoot, runtime.options.tsconfig))).to.deep.equal({ noCheck: true });
        expect(loadTypeScriptCompilerOptions(path.join(projectRoot, "tsconfig.json"))).to.not.have.property("noCheck");
    });
});
