// `npm run audit:rehearse -- [--config-dir DIR] [--drift shadow-app|shadow-certificate|assignment] [--json]`:
// `npm run audit` without a cloud. Stands up moto_server (AWS) and the project's Okta test server,
// seeded from the plan of the stack files as a deploy leaves them, optionally makes one insider's
// change, runs the audit against them exactly as against a live organisation, prints its report
// (out/rehearsal/audit.md) and stops both servers by their PIDs. Exit codes are the audit's.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main as audit } from "../tools/commands/audit";
import { buildPlan } from "../tools/plan/build";
import { configDirFlag, parseFlags, runCommand } from "../tools/shared/commandLine";
import { rehearsePlan } from "./awsRehearsal";
import { seedOktaFromPlan, writeIdentityOutputs } from "./oktaRehearsal";
import { startMoto } from "./servers/moto";
import { startOktaServer, TestOktaOrg } from "./servers/okta";

const usage = "usage: npm run audit:rehearse -- [--config-dir DIR] [--drift shadow-app|assignment] [--json]";
const token = "00rehearsal-read-only-token";

/** One insider's change to show the audit finding it, made in the test org as an Okta administrator would. */
const drifts: Record<string, (org: TestOktaOrg) => void> = {
    /** A second AWS app with a clone of the code's app's signing key, someone assigned every role. */
    "shadow-app": (org) => {
        const app = [...org.apps.values()].find((a) => a.name === "amazon_aws")!;
        const legacy = org.addApp({
            id: "0oa0legacy0000000001",
            name: "amazon_aws",
            label: "AWS (legacy)",
            settings: { ...app.settings },
            metadata: "",
        });
        org.cloneSigningKey(app.id, legacy);
        const roles = [...new Set([...org.appUsers.get(app.id)!.values()].flatMap((p) => (p.samlRoles as string[] | undefined) ?? []))];
        org.assignUser(legacy, org.addUser({ login: "mallory@example.com" }), { role: null, samlRoles: roles });
    },
    /** Someone assigned to the code's app directly, under another person's app username. */
    assignment: (org) => {
        const app = [...org.apps.values()].find((a) => a.name === "amazon_aws")!;
        const [[victim, profile]] = [...org.appUsers.get(app.id)!];
        org.assignUser(app.id, org.addUser({ login: "mallory@example.com" }), profile, org.users.get(victim)!.login);
    },
};

export async function main(argv: string[]): Promise<number> {
    const values = parseFlags(
        argv,
        {
            "config-dir": configDirFlag,
            drift: { type: "string", value: "shadow-app|assignment", description: "a drift to plant in the rehearsed organisation" },
            json: { type: "boolean", description: "print the audit's JSON instead of its summary" },
        },
        usage,
        "Rehearses the audit against moto and the test Okta server, built from the offline plan.",
    );
    const drift = values.drift === undefined ? undefined : drifts[values.drift];
    if (values.drift !== undefined && !drift) {
        throw new Error(`--drift: ${values.drift} — not one of ${Object.keys(drifts).join(", ")}\n${usage}`);
    }
    const root = path.join(__dirname, "..");
    const configDir = path.resolve(values["config-dir"] ?? root);
    const out = path.join(root, "out", "rehearsal");
    const plan = await buildPlan(configDir);
    const moto = await startMoto();
    const org = new TestOktaOrg();
    let okta: Awaited<ReturnType<typeof startOktaServer>> | undefined;
    const saved = { ...process.env };
    try {
        const rehearsal = await rehearsePlan(plan.plan, moto);
        if (rehearsal.refused.length > 0) {
            throw new Error(
                `moto refused the plan's calls: ${rehearsal.refused.map((r) => `${r.resource} ${r.operation}: ${r.error}`).join("; ")}`,
            );
        }
        seedOktaFromPlan(org, plan);
        drift?.(org);
        okta = await startOktaServer(org, { token, pageSize: 200 });
        // The SDK's chains, pointed at moto as a user points them at an emulator; no profile or file of this machine.
        const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-rehearsal-"));
        Object.assign(process.env, {
            AWS_ENDPOINT_URL: moto.endpoint,
            AWS_REGION: "us-east-1",
            AWS_ACCESS_KEY_ID: "testing",
            AWS_SECRET_ACCESS_KEY: "testing",
            AWS_EC2_METADATA_DISABLED: "true",
            AWS_SHARED_CREDENTIALS_FILE: path.join(scratch, "none"),
            AWS_CONFIG_FILE: path.join(scratch, "none"),
            OKTA_API_TOKEN: token,
        });
        // The identity stack's outputs as the deploy left them: the Okta ids the audit knows the code's objects by.
        const outputs = writeIdentityOutputs(plan, path.join(scratch, "identity-outputs.json"));
        const code = await audit([
            "--config-dir",
            configDir,
            "--out",
            out,
            "--okta-url",
            okta.url,
            "--identity-outputs",
            outputs,
            ...(values.json ? ["--json"] : []),
        ]);
        if (!values.json && code !== 2) {
            console.log(`\n${fs.readFileSync(path.join(out, "audit.md"), "utf8")}`);
        }
        if (okta.writes.length > 0) {
            throw new Error(`the audit wrote to the Okta test server: ${okta.writes.map((w) => `${w.method} ${w.url}`).join(", ")}`);
        }
        return code;
    } finally {
        process.env = saved;
        await okta?.stop();
        await moto.stop();
    }
}

if (require.main === module) {
    runCommand(main);
}
