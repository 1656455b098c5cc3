// Sign-in round trips spread over worker threads (./signInWorker.ts), one per core: a sign-in is
// mostly XML signing, canonicalisation and parsing, which a single thread does one at a time.
// Small organisations stay in-process, where starting the workers would cost more than it saves.
import * as os from "os";
import * as path from "path";
import { Worker } from "worker_threads";
import type { LoginAssertion } from "./saml";
import { validateSchema } from "./saml";
import { FromWorker, RoundTrip, signInRoundTrip, ToWorker } from "./signInWorker";

/** Below this many sign-ins the workers' start (loading samlify and xmllint in each) does not pay. */
const workersFrom = 64;

/** Each worker's old generation: its modules and one round trip at a time fit with room to spare. */
const workerHeapMb = 96;

export interface SignInRunner {
    /** How many round trips may usefully be in flight at once. */
    readonly concurrency: number;
    /** Signs and verifies one sign-in; `alsoBy`: the direct member providers (by ARN) that validate it too. */
    roundTrip(assertion: LoginAssertion, alsoBy?: string[]): Promise<RoundTrip>;
    close(): Promise<void>;
}

/** A runner for `signIns` sign-ins against one metadata document and IdP key. */
export function signInRunner(
    signIns: number,
    metadata: string,
    privateKeyPem: string,
    providerMetadata: Record<string, string> = {},
): SignInRunner {
    const cores = os.cpus().length;
    if (signIns < workersFrom || cores < 2) {
        return {
            concurrency: 2 * cores,
            roundTrip: (assertion, alsoBy = []) =>
                signInRoundTrip(metadata, privateKeyPem, assertion, Object.fromEntries(alsoBy.map((arn) => [arn, providerMetadata[arn]]))),
            close: async () => {},
        };
    }
    return new SignInPool(cores, metadata, privateKeyPem, providerMetadata);
}

class SignInPool implements SignInRunner {
    readonly concurrency: number;
    private readonly workers: { worker: Worker; inFlight: number }[];
    private readonly pending = new Map<number, { resolve(result: RoundTrip): void; reject(error: Error): void; worker: number }>();
    private nextId = 0;

    constructor(size: number, metadata: string, privateKeyPem: string, providerMetadata: Record<string, string>) {
        this.concurrency = 8 * size;
        // The worker loads the tools the way this file was loaded: TypeScript through sucrase in the
        // checkout, the compiled JavaScript in the package (dist/).
        const compiled = path.extname(__filename) === ".js";
        const workerFile = path.join(__dirname, compiled ? "signInWorker.js" : "signInWorker.ts");
        const bootstrap = `${compiled ? "" : 'require("sucrase/register/ts"); '}require(${JSON.stringify(workerFile)});`;
        this.workers = Array.from({ length: size }, () => {
            const worker = new Worker(bootstrap, {
                eval: true,
                workerData: { signInWorker: true, metadata, privateKeyPem, providerMetadata },
                // A round trip keeps nothing: a small heap collects often and keeps memory flat.
                resourceLimits: { maxOldGenerationSizeMb: workerHeapMb },
            });
            worker.on("message", (message: FromWorker) => {
                if (message.kind === "schema") {
                    // Validated here once per shape, whichever worker meets it first.
                    const answer = (invalid?: string) => worker.postMessage({ kind: "schema", id: message.id, invalid } satisfies ToWorker);
                    validateSchema(message.xml).then(
                        () => answer(),
                        (error: unknown) => answer(String((error as Error).message ?? error)),
                    );
                } else {
                    this.settle(message);
                }
            });
            worker.on("error", (error) => this.failAll(error));
            return { worker, inFlight: 0 };
        });
    }

    roundTrip(assertion: LoginAssertion, alsoBy: string[] = []): Promise<RoundTrip> {
        const index = this.workers.reduce((best, w, i) => (w.inFlight < this.workers[best].inFlight ? i : best), 0);
        const id = this.nextId++;
        this.workers[index].inFlight++;
        return new Promise((resolve, reject) => {
            this.pending.set(id, { resolve, reject, worker: index });
            this.workers[index].worker.postMessage({ kind: "roundTrip", id, assertion, alsoBy } satisfies ToWorker);
        });
    }

    private settle(reply: Extract<FromWorker, { kind: "roundTrip" }>): void {
        const request = this.pending.get(reply.id)!;
        this.pending.delete(reply.id);
        this.workers[request.worker].inFlight--;
        if ("result" in reply) {
            request.resolve(reply.result);
        } else {
            request.reject(new Error(`sign-in worker: ${reply.failure}`));
        }
    }

    private failAll(error: Error): void {
        for (const request of this.pending.values()) {
            request.reject(error);
        }
        this.pending.clear();
    }

    async close(): Promise<void> {
        await Promise.all(this.workers.map(({ worker }) => worker.terminate()));
    }
}
