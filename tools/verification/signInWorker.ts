// One sign-in's round trip — Okta signs the SAML response, AWS sign-in verifies it — run in a
// worker thread by ./signInPool.ts, so the XML signing and parsing of a large organisation's
// sign-ins use every core. The same function runs in-process for small organisations.
import { parentPort, workerData } from "worker_threads";
import { issueLoginResponse, LoginAssertion, validateNewShapesWith, VerifiedSignIn, verifyLoginResponse } from "./saml";

/**
 * The verified sign-in, or why AWS would refuse it; with `providers`, what each direct member
 * account's SAML provider (by ARN) makes of the same response: accepted, or its refusal.
 */
export type RoundTrip = { signIn: VerifiedSignIn; providers?: Record<string, true | string> } | { refused: string };

/**
 * Okta signs one response; AWS validates it against the provider of the role pair the person picks:
 * the identity account's (`metadata`), and for a direct role its own account's (`alsoBy`, provider
 * ARN → the metadata the plan gives that provider).
 */
export async function signInRoundTrip(
    metadata: string,
    privateKeyPem: string,
    assertion: LoginAssertion,
    alsoBy: Record<string, string> = {},
): Promise<RoundTrip> {
    const response = issueLoginResponse(metadata, privateKeyPem, assertion);
    let signIn: VerifiedSignIn;
    try {
        signIn = await verifyLoginResponse(metadata, response);
    } catch (error) {
        return { refused: (error as Error).message };
    }
    // A provider holding the same metadata decides the same response alike: each distinct metadata
    // is verified once (every direct member's provider holds the identity's, once deployed again).
    const outcomes = new Map<string, true | string>([[metadata, true]]);
    const providers: Record<string, true | string> = {};
    for (const [arn, providerMetadata] of Object.entries(alsoBy)) {
        let outcome = outcomes.get(providerMetadata);
        if (outcome === undefined) {
            try {
                await verifyLoginResponse(providerMetadata, response);
                outcome = true;
            } catch (error) {
                outcome = (error as Error).message;
            }
            outcomes.set(providerMetadata, outcome);
        }
        providers[arn] = outcome;
    }
    return Object.keys(alsoBy).length > 0 ? { signIn, providers } : { signIn };
}

/** From the pool to a worker: a round trip to run, or the answer to a schema validation it asked for. */
export type ToWorker =
    { kind: "roundTrip"; id: number; assertion: LoginAssertion; alsoBy: string[] } | { kind: "schema"; id: number; invalid?: string };

/** From a worker to the pool: a round trip's outcome, or a document of a shape it has not seen validated. */
export type FromWorker =
    | { kind: "roundTrip"; id: number; result: RoundTrip }
    | { kind: "roundTrip"; id: number; failure: string }
    | { kind: "schema"; id: number; xml: string };

const startedAs = workerData as
    { signInWorker?: boolean; metadata: string; privateKeyPem: string; providerMetadata: Record<string, string> } | undefined;
if (parentPort && startedAs?.signInWorker) {
    const port = parentPort;
    const { metadata, privateKeyPem, providerMetadata } = startedAs;
    const send = (message: FromWorker) => port.postMessage(message);
    // New document shapes are validated by the pool, so all workers share one validation per shape.
    const validations = new Map<number, { resolve(valid: true): void; reject(error: Error): void }>();
    let nextValidation = 0;
    validateNewShapesWith(
        (xml) =>
            new Promise((resolve, reject) => {
                const id = nextValidation++;
                validations.set(id, { resolve, reject });
                send({ kind: "schema", id, xml });
            }),
    );
    port.on("message", (message: ToWorker) => {
        if (message.kind === "schema") {
            const validation = validations.get(message.id)!;
            validations.delete(message.id);
            if (message.invalid === undefined) {
                validation.resolve(true);
            } else {
                validation.reject(new Error(message.invalid));
            }
            return;
        }
        signInRoundTrip(
            metadata,
            privateKeyPem,
            message.assertion,
            Object.fromEntries(message.alsoBy.map((arn) => [arn, providerMetadata[arn]])),
        ).then(
            (result) => send({ kind: "roundTrip", id: message.id, result }),
            (error: unknown) => send({ kind: "roundTrip", id: message.id, failure: String((error as Error).stack ?? error) }),
        );
    });
}
