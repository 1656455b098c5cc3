// Issue 34 item 5: the audit on Node 20 (engines supports it) prints no AWS SDK
// NodeVersionSupportWarning. The command runs in a process of its own, without the opt-out
// tests/setup.ts sets for the test processes, with its clients built and sent to closed ports.
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { projectRoot, shippedPlan } from "./harness";
import { writeIdentityOutputs } from "./oktaRehearsal";

/** A loopback port nothing listens on: one the system just gave out and took back. */
function closedPort(): Promise<number> {
    return new Promise((resolve) => {
        const server = net.createServer().listen(0, "127.0.0.1", () => {
            const { port } = server.address() as net.AddressInfo;
            server.close(() => resolve(port));
        });
    });
}

describe("the audit on the Node versions engines supports @slow", function () {
    this.timeout(120000);

    it("prints no NodeVersionSupportWarning of the AWS SDK (the audit command path, its own process)", async () => {
        const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-node-warning-"));
        try {
            const nowhere = `http://127.0.0.1:${await closedPort()}`;
            const outputs = writeIdentityOutputs(await shippedPlan(), path.join(scratch, "outputs.json"));
            const environment: NodeJS.ProcessEnv = {
                PATH: process.env.PATH,
                HOME: scratch,
                OKTA_API_TOKEN: "00test-token",
                AWS_ACCESS_KEY_ID: "testing",
                AWS_SECRET_ACCESS_KEY: "testing",
                AWS_REGION: "us-east-1",
                AWS_ENDPOINT_URL: nowhere,
                AWS_MAX_ATTEMPTS: "1",
            };
            const run = spawnSync(
                process.execPath,
                [
                    "-r",
                    "sucrase/register/ts",
                    path.join(projectRoot, "tools", "commands", "audit.ts"),
                    "--config-dir",
                    projectRoot,
                    "--out",
                    path.join(scratch, "out"),
                    "--okta-url",
                    nowhere,
                    "--identity-outputs",
                    outputs,
                ],
                { cwd: projectRoot, env: environment, encoding: "utf8" },
            );
            // It got as far as reading the organisation (the clients exist), and could not reach it.
            expect(run.status, run.stderr).to.equal(2);
            expect(run.stderr).to.contain(`okta: cannot reach ${nowhere}`);
            expect(run.stderr).to.not.contain("NodeVersionSupportWarning");
            expect(run.stderr).to.not.contain("will require node");
        } finally {
            fs.rmSync(scratch, { recursive: true, force: true });
        }
    });
});
