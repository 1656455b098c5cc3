// How the messages write a path into a document (a stack file, a config value, a policy or an
// output): one writer for the stack file checks, the config errors and the access diff.

/**
 * A path as the messages write it: keys joined by `.`, list indexes as `[n]`
 * (`config.okta-aws:oktaApp.label`, `Statement[0].Condition`). With `after`, the path follows text
 * already written (a config key), so a first key also takes its `.`; with `quoteKeys`, a key that
 * would read ambiguously (empty, or holding `.`, `[`, `]`, `"` or white space) is written `["…"]`.
 */
export function pathText(path: readonly PropertyKey[], options: { after?: boolean; quoteKeys?: boolean } = {}): string {
    return path
        .map((part, i) => {
            if (typeof part === "number") {
                return `[${part}]`;
            }
            const key = String(part);
            if (options.quoteKeys && !/^[^.[\]\s"]+$/.test(key)) {
                return `[${JSON.stringify(key)}]`;
            }
            return i > 0 || options.after ? `.${key}` : key;
        })
        .join("");
}
