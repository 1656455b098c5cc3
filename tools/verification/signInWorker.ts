// One sign-in's round trip — Okta signs the SAML response, AWS sign-in verifies it — run in a
// worker thread by ./signInPool.ts, so the XML signing and parsing of a large organisation's
// sign-ins use every core. The same function runs in-process for small organisations.
import { parentPort, workerData } from "worker_threads";
import { issueLoginResponse, LoginAssertion, VerifiedSignIn, verifyLoginResponse } from "./saml";

/** The verified sign-in, or why AWS would refuse it. */
export type RoundTrip = { signIn: VerifiedSignIn } | { refused: string };

export async function signInRoundTrip(metadata: string, privateKeyPem: string, assertion: LoginAssertion): Promise<RoundTrip> {
    const response = await issueLoginResponse(metadata, privateKeyPem, assertion);
    try {
        return { signIn: await verifyLoginResponse(metadata, response) };
    } catch (error) {
        return { refused: (error as Error).message };
    }
}

export interface RoundTripRequest {
    id: number;
    assertion: LoginAssertion;
}

export type RoundTripReply = { id: number; result: RoundTrip } | { id: number; failure: string };

const startedAs = workerData as { signInWorker?: boolean; metadata: string; privateKeyPem: string } | undefined;
if (parentPort && startedAs?.signInWorker) {
    const port = parentPort;
    const { metadata, privateKeyPem } = startedAs;
    port.on("message", (request: RoundTripRequest) => {
        signInRoundTrip(metadata, privateKeyPem, request.assertion).then(
            (result) => port.postMessage({ id: request.id, result } satisfies RoundTripReply),
            (error: unknown) =>
                port.postMessage({ id: request.id, failure: String((error as Error).stack ?? error) } satisfies RoundTripReply),
        );
    });
}
