// Progress on stderr for the runs that take more than a few seconds (the preview and verification,
// the access diff, the audit): what has been done so far — stacks evaluated, sign-ins judged,
// revisions planned — never a timing. On a terminal by default; with stderr a file or a pipe
// (CI logs, scripts) only when asked with --progress, so the run's output holds only its result.

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
