// A disk cache of sucrase's output for the test processes (.mocharc.cjs requires this file after
// sucrase/register/ts): each mocha worker loads the same TypeScript files, and sucrase transforms
// each one on every load. The cache is keyed by sucrase's version, the options and the source
// text, so a changed file is transformed again; what a module runs is exactly sucrase's output.
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";

// sucrase/register/ts calls the package's exported `transform` through its module object
// (sucrase/dist/register.js `_index.transform`), so replacing the export reaches every load.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const sucrase = require("sucrase") as typeof import("sucrase");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { version } = require("sucrase/package.json") as { version: string };

const cacheFolder = path.join(__dirname, "..", "node_modules", ".cache", "okta-aws-tests-sucrase");
const transform = sucrase.transform;

sucrase.transform = (code, options) => {
    const key = crypto
        .createHash("sha256")
        .update(`${version}\0${JSON.stringify(options)}\0${code}`)
        .digest("hex");
    const file = path.join(cacheFolder, `${key}.json`);
    try {
        return JSON.parse(fs.readFileSync(file, "utf8")) as ReturnType<typeof transform>;
    } catch {
        // not cached yet (or a partial file from elsewhere): transform and keep it
    }
    const result = transform(code, options);
    fs.mkdirSync(cacheFolder, { recursive: true });
    // Written aside and renamed: two workers may cache the same file at once.
    const partial = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(partial, JSON.stringify(result));
    fs.renameSync(partial, file);
    return result;
};
