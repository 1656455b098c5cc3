// What npm start does to its --out folder: it replaces only what a run of its own wrote there (a
// person's own files are never deleted or overwritten), one run at a time (a lock that a signal
// or the end of its process removes), with a mock IdP key it can trust, and without leaving
// half-written files, even for an identity stack with nobody in it.
import { expect } from "chai";
import { spawn, spawnSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main as verify } from "../tools/commands/verify";
import { Plan } from "../tools/plan/model";
import { writtenFilesList } from "../tools/report/outFiles";
import { lockFileName, shellFolder } from "../tools/shared/files";
import { captureCommand, projectRoot, runPreview } from "./harness";

/** Every file below `dir` with its text, by relative path. */
function contents(dir: string): Record<string, string> {
    return Object.fromEntries(
        fs
            .readdirSync(dir, { recursive: true, encoding: "utf8" })
            .filter((file) => fs.statSync(path.join(dir, file)).isFile())
            .sort()
            .map((file) => [file, fs.readFileSync(path.join(dir, file), "utf8")]),
    );
}

describe("npm start's --out folder", function () {
    this.timeout(120000);
    let scratch: string;
    let out: string;
    beforeEach(() => {
        scratch = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-out-folder-"));
        out = path.join(scratch, "out");
    });
    afterEach(() => fs.rmSync(scratch, { recursive: true, force: true }));

    const preview = (...argv: string[]) => runPreview(["--out", out, "--no-verify", ...argv]);

    it("lists what it wrote, and never deletes or overwrites a file it did not write", async () => {
        expect((await preview()).code).to.equal(0);
        expect(JSON.parse(fs.readFileSync(path.join(out, writtenFilesList), "utf8"))).to.deep.equal({
            writtenBy: "npm start",
            files: ["access.md", "aws-config/jane@acmecorp.me.ini", "aws-config/john@acmecorp.me.ini", "plan.json"],
        });
        for (const own of ["aws-config/notes.txt", "import/mine.json", "import/drafts/x.json"]) {
            fs.mkdirSync(path.dirname(path.join(out, own)), { recursive: true });
            fs.writeFileSync(path.join(out, own), "mine\n");
        }
        const before = contents(out);
        expect(await preview()).to.deep.equal({
            code: 1,
            stdout: "",
            stderr: `--out: ${out}: holds 4 files npm start did not write (aws-config/notes.txt, import/drafts, import/drafts/x.json, …; ${writtenFilesList} lists what it wrote), which it would replace or delete: move them away, or give another --out`,
        });
        expect(contents(out)).to.deep.equal(before);
        fs.rmSync(path.join(out, "aws-config", "notes.txt"));
        fs.rmSync(path.join(out, "import"), { recursive: true });
        expect((await preview()).code).to.equal(0);
    });

    it("removes an earlier run's verification.md when it does not verify, and its list says so", async () => {
        expect((await runPreview(["--out", out])).code).to.equal(0);
        expect(fs.existsSync(path.join(out, "verification.md"))).to.equal(true);
        const { code, stdout } = await preview();
        expect(code).to.equal(0);
        const shownPath = (file: string) => path.relative(process.cwd(), path.join(out, file));
        expect(stdout.split("\n").at(-1)).to.equal(
            `Wrote ${shownPath("plan.json")}, ${shownPath("access.md")}, ${shownPath("aws-config")}/ (2 files); removed ${shownPath("verification.md")} of an earlier run (not verified now)`,
        );
        expect(fs.existsSync(path.join(out, "verification.md"))).to.equal(false);
        expect(JSON.parse(fs.readFileSync(path.join(out, writtenFilesList), "utf8"))).to.deep.equal({
            writtenBy: "npm start",
            files: ["access.md", "aws-config/jane@acmecorp.me.ini", "aws-config/john@acmecorp.me.ini", "plan.json"],
            removed: ["verification.md"],
        });
    });

    it("takes npm's INIT_CWD as the shell's folder only in the folder of the package npm runs", () => {
        const here = process.cwd();
        expect(shellFolder({ INIT_CWD: scratch, npm_package_json: path.join(here, "package.json") })).to.equal(scratch);
        // A process started elsewhere inherits npm's variables without meaning them.
        expect(shellFolder({ INIT_CWD: scratch, npm_package_json: path.join(scratch, "elsewhere", "package.json") })).to.equal(here);
        expect(shellFolder({ npm_package_json: path.join(here, "package.json") })).to.equal(here);
    });

    it("reads relative paths from the shell's folder under `npm --prefix <project> start`, not from the project @slow", () => {
        const configDir = path.join(scratch, "config");
        fs.mkdirSync(configDir);
        for (const stack of ["identity", "sales", "retail"]) {
            const text = fs.readFileSync(path.join(projectRoot, `Pulumi.${stack}.yaml`), "utf8");
            fs.writeFileSync(
                path.join(configDir, `Pulumi.${stack}.yaml`),
                text.replace("login: jane@acmecorp.me", "login: jane.dye@acmecorp.me"),
            );
        }
        const npm = spawnSync(
            "npm",
            ["--prefix", projectRoot, "--silent", "start", "--", "--config-dir", ".", "--out", "out", "--no-verify"],
            {
                cwd: configDir,
                encoding: "utf8",
            },
        );
        expect([npm.status, npm.stderr]).to.deep.equal([0, ""]);
        const lines = npm.stdout.trimEnd().split("\n");
        expect(lines[0]).to.equal(`Offline preview of okta-aws: 3 stacks from ${configDir} (mock runtime; nothing is sent to AWS or Okta)`);
        expect(lines.at(-1)).to.equal("Wrote out/plan.json, out/access.md, out/aws-config/ (2 files)");
        expect(fs.readFileSync(path.join(configDir, "out", "access.md"), "utf8")).to.include("jane.dye@acmecorp.me");
    });

    it("refuses a folder of someone else's plan.json instead of overwriting it", async () => {
        fs.mkdirSync(out);
        fs.writeFileSync(path.join(out, "plan.json"), "my own plan\n");
        expect((await preview()).stderr).to.equal(
            `--out: ${out}: holds a file npm start did not write (plan.json; ${writtenFilesList} lists what it wrote), which it would replace or delete: move it away, or give another --out`,
        );
        expect(fs.readFileSync(path.join(out, "plan.json"), "utf8")).to.equal("my own plan\n");
    });

    it("stops while another run is writing the folder, and takes over the lock of one that has ended", async () => {
        fs.mkdirSync(out);
        const other = spawn("sleep", ["600"]);
        try {
            fs.writeFileSync(path.join(out, lockFileName), `${other.pid}\n`);
            expect(await preview()).to.deep.equal({
                code: 1,
                stdout: "",
                stderr: `another run is writing ${out} (process ${other.pid}); wait for it to end`,
            });
            expect(fs.readdirSync(out)).to.deep.equal([lockFileName]);
        } finally {
            other.kill();
            await new Promise((resolve) => other.once("exit", resolve));
        }
        expect((await preview()).code).to.equal(0);
        expect(fs.existsSync(path.join(out, lockFileName))).to.equal(false);
    });

    it("removes its lock when a signal ends the run @slow", async () => {
        const child = spawn(
            process.execPath,
            [
                "-r",
                "sucrase/register/ts",
                "-e",
                `require("./tools/shared/files").lockDirectory(${JSON.stringify(out)}); console.log("locked"); setInterval(() => undefined, 1000);`,
            ],
            { cwd: projectRoot, stdio: ["ignore", "pipe", "inherit"] },
        );
        await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
        expect(fs.readFileSync(path.join(out, lockFileName), "utf8")).to.equal(`${child.pid}\n`);
        child.kill("SIGTERM");
        const signal = await new Promise((resolve) => child.once("exit", (_code, exitSignal) => resolve(exitSignal)));
        expect(signal).to.equal("SIGTERM");
        // The folder it created for the lock goes too, being empty.
        expect(fs.existsSync(out)).to.equal(false);
    });

    for (const [what, text] of [
        ["not JSON", "{ this is not a key"],
        [
            "a certificate that is not the key's",
            JSON.stringify({ privateKeyPem: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", certificatePem: "bogus" }),
        ],
    ]) {
        it(`replaces a mock IdP key file that is ${what}, and never puts its certificate in plan.json`, async () => {
            fs.mkdirSync(out);
            fs.writeFileSync(path.join(out, ".mock-idp-key.json"), text);
            expect((await preview()).code).to.equal(0);
            const key = JSON.parse(fs.readFileSync(path.join(out, ".mock-idp-key.json"), "utf8")) as {
                privateKeyPem: string;
                certificatePem: string;
            };
            expect(new crypto.X509Certificate(key.certificatePem).checkPrivateKey(crypto.createPrivateKey(key.privateKeyPem))).to.equal(
                true,
            );
            const plan = JSON.parse(fs.readFileSync(path.join(out, "plan.json"), "utf8")) as Plan;
            const metadata = plan.stacks.identity.resources.find((r) => r.type === "aws:iam/samlProvider:SamlProvider")!.inputs
                .samlMetadataDocument as string;
            const certificate = /<ds:X509Certificate>([^<]+)</.exec(metadata)![1];
            expect(key.certificatePem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, "")).to.equal(certificate);
        });
    }

    it("previews an identity stack with no users and no groups, and the verification says what it checked", async () => {
        const configDir = path.join(scratch, "config");
        fs.mkdirSync(configDir);
        for (const stack of ["identity", "sales", "retail"]) {
            fs.copyFileSync(path.join(projectRoot, `Pulumi.${stack}.yaml`), path.join(configDir, `Pulumi.${stack}.yaml`));
        }
        const identityFile = path.join(configDir, "Pulumi.identity.yaml");
        fs.writeFileSync(
            identityFile,
            fs.readFileSync(identityFile, "utf8").replace(/ {2}okta-aws:users:\n( {4}- .*\n)+/, "  okta-aws:users: []\n"),
        );
        const { code, stdout } = await runPreview(["--config-dir", configDir, "--out", out]);
        expect(code).to.equal(0);
        const verification = stdout
            .slice(stdout.indexOf("\nVerification") + 1)
            .split("\n")
            .slice(1, 5);
        expect(verification).to.deep.equal([
            "  Nobody holds a federated role: no sign-in is expected to succeed, and every check is of an attack that must be denied",
            "  SAML sign-in, expected denied: 3 of 3",
            "  AssumeRoleWithSAML, expected denied: 6 of 6",
            "  AssumeRole, expected denied: 8 of 8",
        ]);
        expect(stdout).to.not.include("undefined");
        expect(fs.readdirSync(out).filter((file) => file.endsWith(".tmp"))).to.deep.equal([]);
        const verified = await captureCommand(verify, ["--config-dir", configDir]);
        expect([verified.code, verified.stdout.split("\n").at(-1)]).to.deep.equal([0, "17 of 17 checks as expected"]);
        expect(verified.stdout).to.not.include("undefined");
    });

    it("leaves no folder behind when it fails before writing", async () => {
        const configDir = path.join(scratch, "config");
        fs.mkdirSync(configDir);
        spawnSync("cp", [path.join(projectRoot, "Pulumi.sales.yaml"), configDir]);
        expect((await preview("--config-dir", configDir)).code).to.equal(1);
        expect(fs.existsSync(out)).to.equal(false);
    });
});
