// Imported first, for its side effect, by every entry point that loads the Pulumi SDK (tools/cli.ts,
// the bench's SDK floor, tests/setup.ts): it must run before `@pulumi/pulumi` is first required.
//
// The SDK's index loads its function serialization (runtime/closure/) with everything else, and it
// loads TypeScript's compiler (through typescript-shim.js, 9 MB) and npm's Arborist
// (closure/codePaths.js): about 0.6 s of the SDK's 0.8 s start, for code that only serializing a
// function (`pulumi.runtime.serializeFunction`, `computeCodePaths`) calls, and the tools never do.
// Each is stood in for by a module that loads the real one at its first use, so the SDK behaves as
// before and starts in a quarter of the time.
import Module from "module";
import * as path from "path";

/**
 * What the SDK loads that it uses only to serialize a function: the SDK file that requires it, and
 * what that file tries in turn (typescript-shim.js falls back to the compiler the SDK vendors).
 */
const deferred = [
    { from: "@pulumi/pulumi/typescript-shim", requests: ["typescript", "./vendor/typescript@3.8.3/typescript.js"] },
    { from: "@pulumi/pulumi/runtime/closure/codePaths", requests: ["@npmcli/arborist"] },
];

/** The module file the first of `requests` that resolves from `from`'s folder is, as node resolves it there. */
function resolvedFrom(from: string, requests: string[]): string | undefined {
    let folder: string;
    try {
        folder = path.dirname(require.resolve(from));
    } catch {
        return undefined; // no SDK here: nothing to stand in for
    }
    for (const request of requests) {
        try {
            return require.resolve(request.startsWith(".") ? path.join(folder, request) : request, { paths: [folder] });
        } catch {
            // not installed: the SDK file tries the next one too
        }
    }
    return undefined;
}

const cache = require.cache as Record<string, NodeJS.Module | undefined>;

for (const { from, requests } of deferred) {
    const file = resolvedFrom(from, requests);
    if (!file || cache[file]) {
        continue;
    }
    let real: Record<PropertyKey, unknown> | undefined;
    const load = (): Record<PropertyKey, unknown> => {
        if (!real) {
            delete cache[file]; // the stand-in's entry: require loads the real module into its place
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            real = require(file) as Record<PropertyKey, unknown>;
        }
        return real;
    };
    const standIn = new Module(file);
    standIn.filename = file;
    standIn.loaded = true;
    // `__esModule`: TypeScript's `__importStar` (codePaths.js imports Arborist with it) then keeps the
    // stand-in as it is, where it would copy every export and so load the module at once.
    standIn.exports = new Proxy(
        {},
        {
            get: (_, key) => (key === "__esModule" ? true : Reflect.get(load(), key)),
            has: (_, key) => key === "__esModule" || Reflect.has(load(), key),
        },
    );
    cache[file] = standIn;
}
