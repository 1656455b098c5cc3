// moto_server (an AWS API emulator) on a free loopback port, for the tests that send AWS calls to it.
import { IAMClient } from "@aws-sdk/client-iam";
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as http from "http";
import * as net from "net";
import * as path from "path";

/** How a user gets moto_server (moto's docs: https://docs.getmoto.org/en/latest/docs/server_mode.html). */
const motoInstallHint = 'pip install "moto[server]"';

/** A running moto_server: its URL and how to end it. */
export interface MotoServer {
    /** `http://127.0.0.1:<port>`, the endpoint of every AWS service moto emulates. */
    readonly endpoint: string;
    /** Forgets every account's state (moto's `POST /moto-api/reset`). */
    reset(): Promise<void>;
    /** Ends the server by its PID and waits until it has exited. */
    stop(): Promise<void>;
}

/** The moto_server executable on PATH, or undefined when moto is not installed. */
function motoServerPath(): string | undefined {
    for (const dir of (process.env.PATH ?? "").split(path.delimiter).filter(Boolean)) {
        const candidate = path.join(dir, "moto_server");
        try {
            fs.accessSync(candidate, fs.constants.X_OK);
            return candidate;
        } catch {
            // not in this directory
        }
    }
    return undefined;
}

/** A port nobody listens on right now, on loopback. */
function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const probe = net.createServer();
        probe.once("error", reject);
        probe.listen(0, "127.0.0.1", () => {
            const { port } = probe.address() as net.AddressInfo;
            probe.close(() => resolve(port));
        });
    });
}

/** Resolves with the HTTP status of a request to the endpoint; rejects when nothing answers. */
function request(method: string, url: string): Promise<number> {
    return new Promise((resolve, reject) => {
        const req = http.request(url, { method }, (res) => {
            res.resume();
            res.on("end", () => resolve(res.statusCode ?? 0));
        });
        req.once("error", reject);
        req.end();
    });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once the child has exited (at once when it already has). */
function exited(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => child.once("exit", () => resolve()));
}

/** Sends the signal to the child by its PID, ignoring a child that is already gone. */
function signal(child: ChildProcess, name: NodeJS.Signals): void {
    try {
        process.kill(child.pid!, name);
    } catch {
        // already exited
    }
}

/** Ends the child by PID (SIGTERM, then SIGKILL if it lingers) and waits for its exit. */
async function stopChild(child: ChildProcess): Promise<void> {
    signal(child, "SIGTERM");
    const killer = setTimeout(() => signal(child, "SIGKILL"), 5000);
    await exited(child);
    clearTimeout(killer);
}

/**
 * Starts `moto_server -H 127.0.0.1 -p <free port>` with AWS's managed policy catalogue loaded
 * (`MOTO_IAM_LOAD_MANAGED_POLICIES=true`, so attaching an unknown AWS managed policy is refused as
 * AWS refuses it) and resolves once it answers HTTP. `untilProcessExit`: the server does not keep
 * this process alive, and is ended by its PID when the process exits.
 */
export async function startMoto(executable = motoServerPath(), readyWithinMs = 60000, untilProcessExit = false): Promise<MotoServer> {
    if (!executable) throw new Error(`moto_server is not on PATH (${motoInstallHint})`);
    // Another process may take the probed port before moto binds it: try a few ports.
    for (let attempt = 1; ; attempt++) {
        const port = await freePort();
        const endpoint = `http://127.0.0.1:${port}`;
        const child = spawn(executable, ["-H", "127.0.0.1", "-p", String(port)], {
            env: {
                ...process.env,
                MOTO_IAM_LOAD_MANAGED_POLICIES: "true",
                // ./moto-python/sitecustomize.py: AWS's managed policy catalogue parsed once, not per account.
                PYTHONPATH: [path.join(__dirname, "moto-python"), process.env.PYTHONPATH].filter(Boolean).join(path.delimiter),
                // ...without leaving a __pycache__ folder in the checkout.
                PYTHONDONTWRITEBYTECODE: "1",
            },
            stdio: ["ignore", "ignore", "pipe"],
        });
        // moto logs every request on stderr: keep draining it, remember the end for error messages.
        let stderrTail = "";
        child.stderr.on("data", (chunk: Buffer) => (stderrTail = (stderrTail + chunk.toString()).slice(-2000)));
        let spawnError: Error | undefined;
        child.once("error", (error) => (spawnError = error));

        const deadline = Date.now() + readyWithinMs;
        while (child.exitCode === null && child.signalCode === null && !spawnError && Date.now() < deadline) {
            try {
                await request("GET", `${endpoint}/moto-api/data.json`);
                if (untilProcessExit) {
                    child.unref();
                    (child.stderr as unknown as { unref(): void }).unref();
                    process.once("exit", () => signal(child, "SIGTERM"));
                }
                return {
                    endpoint,
                    reset: async () => {
                        const status = await request("POST", `${endpoint}/moto-api/reset`);
                        if (status !== 200) throw new Error(`moto_server reset answered HTTP ${status}`);
                    },
                    stop: () => stopChild(child),
                };
            } catch {
                await sleep(100);
            }
        }
        await stopChild(child);
        if (spawnError) throw new Error(`moto_server could not start: ${spawnError.message}`);
        if (/address already in use/i.test(stderrTail) && attempt < 5) continue;
        const why = child.exitCode !== null ? `exited with ${child.exitCode}` : `did not answer within ${readyWithinMs / 1000} s`;
        throw new Error(`moto_server on ${endpoint} ${why}: ${stderrTail.trim().split("\n").slice(-3).join(" | ")}`);
    }
}

/**
 * The one moto_server of this test process, started by the first suite that needs it and ended by
 * its PID when the process exits: starting moto and loading AWS's managed policies is paid once
 * per process, whether mocha runs the files in one process or spreads them over parallel workers
 * (a root `after` hook would stop it after the first file of a worker: in parallel mode each file
 * has its own root suite). Outside mocha (npm run audit:rehearse) the importer starts and stops
 * its own server.
 */
let shared: Promise<MotoServer> | undefined;

/**
 * The run's moto_server for the calling mocha suite, forgetting what earlier suites made (each
 * suite starts from empty accounts); returns a getter for it. Without moto_server on PATH the
 * suite fails under CI (`process.env.CI`) and is skipped elsewhere with one line saying how to
 * install it.
 */
export function useMotoServer(): () => MotoServer {
    let server: MotoServer | undefined;
    before(async function () {
        const executable = motoServerPath();
        if (!executable) {
            if (process.env.CI) throw new Error(`moto_server is not on PATH, and CI must rehearse the AWS calls: ${motoInstallHint}`);
            console.log(`    skipped: moto_server is not on PATH; to run these tests: ${motoInstallHint}`);
            this.skip();
        }
        this.timeout(90000);
        const starting = !shared;
        shared ??= startMoto(executable, undefined, true);
        server = await shared;
        if (!starting) await server.reset();
    });
    after(() => {
        server = undefined;
    });
    return () => {
        if (!server) throw new Error("moto_server is not running (use the getter inside a test)");
        return server;
    };
}

/** Middleware-capable AWS SDK v3 client, as far as the account header needs it. */
interface SdkClient {
    middlewareStack: IAMClient["middlewareStack"];
}

/**
 * Makes every request of an AWS SDK v3 client act in the given account: moto keeps one state per
 * account and picks it from the `x-moto-account-id` header
 * (https://docs.getmoto.org/en/latest/docs/multi_account.html).
 */
function inMotoAccount<C extends SdkClient>(client: C, accountId: string): C {
    client.middlewareStack.add(
        (next) => (args) => {
            (args.request as { headers: Record<string, string> }).headers["x-moto-account-id"] = accountId;
            return next(args);
        },
        { step: "build", name: "motoAccountId" },
    );
    return client;
}

/** The settings every AWS SDK client needs to talk to moto: its endpoint, a region, dummy keys. */
function motoClientConfig(endpoint: string) {
    return {
        endpoint,
        region: "us-east-1",
        credentials: { accessKeyId: "testing", secretAccessKey: "testing" },
        // A refused call is an answer to report, not a reason to retry.
        maxAttempts: 1,
    };
}

/** An IAM client that acts in the given account of the moto_server at the endpoint. */
export function motoIamClient(endpoint: string, accountId: string): IAMClient {
    return inMotoAccount(new IAMClient(motoClientConfig(endpoint)), accountId);
}
