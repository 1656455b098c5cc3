// Progress on stderr for the runs that take more than a few seconds (the preview and verification,
// the access diff, the audit): what has been done so far — stacks evaluated, sign-ins judged,
// revisions planned — never a timing. On a terminal by default; with stderr a file or a pipe
// (CI logs, scripts) only when asked with --progress, so the run's output holds only its result.
import { count, plural } from "./numbers";

/** Takes one line of progress. */
export type Progress = (line: string) => void;

/** The `--progress` flag, the same on every command that has one. */
export const progressFlag = {
    type: "boolean",
    description: "print progress on stderr even when it is not a terminal (on a terminal it always is)",
} as const;

/** Lines to stderr, prefixed `progress: `, when `asked` or stderr is a terminal; nothing otherwise. */
export const progressTo = (asked: boolean | undefined): Progress =>
    asked || process.stderr.isTTY ? (line) => console.error(`progress: ${line}`) : () => undefined;

/**
 * Counts what a verification judges: each check, and each sign-in (its `SAML sign-in` check), with
 * a line every `every` sign-ins, one before the first (`start`) and one when all are judged (`done`).
 */
export function verificationProgress(
    progress: Progress,
    every = 500,
): { start(): void; judged(check: { step: string }): void; done(): void } {
    let [signIns, checks] = [0, 0];
    return {
        start: () => progress("verifying every sign-in"),
        judged: (check) => {
            checks += 1;
            if (check.step === "SAML sign-in" && ++signIns % every === 0) {
                progress(`judged ${plural(signIns, "sign-in")}`);
            }
        },
        done: () => progress(`judged ${plural(signIns, "sign-in")} (${plural(checks, "check")})`),
    };
}

/**
 * A line every `every` pages an API answered (`read 100 Okta pages`), for OktaReader's `onPage`:
 * a large organisation's read takes thousands of pages, and the line shows it moving.
 */
export const everyPages =
    (progress: Progress, api: string, every = 100) =>
    (pagesRead: number): void => {
        if (pagesRead % every === 0) {
            progress(`read ${count(pagesRead)} ${api} pages`);
        }
    };
