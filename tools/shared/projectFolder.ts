// Which project a command works on when no flag names one. In this repository's checkout the tools
// sit beside the example organisation (Pulumi.yaml at their root), and `npm start` previews it; in
// the installed package (node_modules/okta-aws/dist/, which ships no Pulumi.yaml) they work on the
// configuration repository they are run in, as `npx okta-aws preview` is meant.
import * as fs from "fs";
import * as path from "path";
import { shellFolder } from "./files";

/** The root of the tree these tools were loaded from: the checkout, or the package's dist/. */
const toolsRoot = path.join(__dirname, "..", "..");

/** This checkout's root when it holds the example organisation; undefined in the installed package. */
const exampleRoot = fs.existsSync(path.join(toolsRoot, "Pulumi.yaml")) ? toolsRoot : undefined;

/** Whether these tools run from this repository's checkout (beside its example), not from the installed package. */
export const inCheckout = exampleRoot !== undefined;

/** The default of --config-dir and --repo: the example in its own checkout, else the folder the command runs in. */
export function defaultProjectFolder(): string {
    return exampleRoot ?? shellFolder();
}

/** The policy pack the deploy runs (`pulumi up --policy-pack`): policy/ beside the tools, compiled in the package. */
export const policyPackFolder = path.join(toolsRoot, "policy");

/** The okta-aws package's own package.json: above dist/ in the package, at the checkout's root. */
export const ownPackage = (() => {
    for (let dir = __dirname; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
        const file = path.join(dir, "package.json");
        if (fs.existsSync(file)) {
            const manifest = JSON.parse(fs.readFileSync(file, "utf8")) as {
                name: string;
                version: string;
                devDependencies: Record<string, string>;
                scripts?: Record<string, string>;
            };
            if (manifest.name === "okta-aws") {
                return manifest;
            }
        }
    }
    throw new Error(`no package.json of okta-aws above ${__dirname}`);
})();
