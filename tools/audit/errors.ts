// The one failure the audit's readers throw: the live organisation could not be read (unreachable,
// no or refused credentials, an answer it cannot use). The audit prints its message as one line
// and exits 2.
export class LiveReadError extends Error {
    constructor(
        message: string,
        /** The HTTP status of the answer that could not be used, when there was one. */
        readonly status?: number,
    ) {
        super(message);
    }
}
