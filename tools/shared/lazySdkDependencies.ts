// Imported first, for its side effect, by tools/cli.ts (every `okta-aws` command and the npm
// scripts that run one), the bench's SDK floor and tests/setup.ts: it must run before
// `@pulumi/pulumi` is first required. (The Pulumi CLI's Node.js host loads index.ts, never this.)
//
// The SDK's index loads its function serialization (runtime/closure/) with everything else, and it
// loads TypeScript's compiler (through typescript-shim.js, 9 MB) and npm's Arborist
// (closure/codePaths.js): most of the SDK's start, for code that only serializing a function
// (`pulumi.runtime.serializeFunction`, `computeCodePaths`) calls, and the tools never do. Each is
// stood in for by a module that loads the real one at its first use, so the SDK behaves as before
// and starts without them.
import Module from "module";
import * as path from "path";

/**
 * What the SDK loads that it uses only to serialize a function: the SDK file that requires it, and
 * what that file tries in turn (typescript-shim.js falls back to the compiler the SDK vendors). The
 * stand-in is a function where the module's exports are (Arborist's are its class), and `interop`
 * where the SDK imports the module with TypeScript's `__importStar` (codePaths.js, @pulumi/pulumi
 * 3.248.0): see `standInFor`.
 */
const deferred = [
    {
        from: "@pulumi/pulumi/typescript-shim",
        requests: ["typescript", "./vendor/typescript@3.8.3/typescript.js"],
        callable: false,
        interop: false,
    },
    { from: "@pulumi/pulumi/runtime/closure/codePaths", requests: ["@npmcli/arborist"], callable: true, interop: true },
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

type Exports = Record<PropertyKey, unknown> & ((...args: unknown[]) => unknown) & (new (...args: unknown[]) => unknown);

/**
 * Exports that behave as the real module's, which `load` gives at the first use: every operation
 * (a property, `in`, `Object.keys`, the prototype, a call, `new`, `instanceof`) is the real
 * module's, so a module that requires it before the SDK first uses it sees no difference.
 *
 * With `interop`, the stand-in says `__esModule`: TypeScript's `__importStar` then keeps it as it
 * is, where it would copy every export and so load the module at once; and its `default` is the
 * module itself, as `__importStar` and `__importDefault` would have made it.
 */
function standInFor(load: () => Exports, callable: boolean, interop: boolean): unknown {
    const esModule = (key: PropertyKey) => interop && key === "__esModule";
    const itself = (key: PropertyKey) => interop && key === "default" && !Reflect.has(load(), key);
    // A bound function has no own `prototype` (whose descriptor a proxy could not report as the real one's).
    const target = callable ? function () {}.bind(undefined) : {};
    const standIn: object = new Proxy(target, {
        get: (_, key) => (esModule(key) ? true : itself(key) ? load() : Reflect.get(load(), key)),
        has: (_, key) => esModule(key) || itself(key) || Reflect.has(load(), key),
        set: (_, key, value) => Reflect.set(load(), key, value),
        deleteProperty: (_, key) => Reflect.deleteProperty(load(), key),
        defineProperty: (_, key, descriptor) => Reflect.defineProperty(load(), key, descriptor),
        ownKeys: () => Reflect.ownKeys(load()),
        // Reported configurable: a proxy may not report a property the target lacks as fixed.
        getOwnPropertyDescriptor: (_, key) => {
            const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
            return descriptor && { ...descriptor, configurable: true };
        },
        getPrototypeOf: () => Reflect.getPrototypeOf(load()),
        apply: (_, self, args) => Reflect.apply(load(), self, args),
        construct: (_, args, newTarget) => Reflect.construct(load(), args, newTarget === standIn ? load() : newTarget) as object,
    });
    return standIn;
}

for (const { from, requests, callable, interop } of deferred) {
    const file = resolvedFrom(from, requests);
    if (!file || cache[file]) {
        continue;
    }
    const entry = new Module(file);
    let real: Exports | undefined;
    const load = (): Exports => {
        if (!real) {
            // The stand-in's entry, unless something cleared the cache since: require then loads
            // the real module into its place, or gives the one already there.
            if (cache[file] === entry) {
                delete cache[file];
            }
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            real = require(file) as Exports;
        }
        return real;
    };
    entry.filename = file;
    entry.loaded = true;
    entry.exports = standInFor(load, callable, interop);
    cache[file] = entry;
}
