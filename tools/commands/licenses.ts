// `npm run licenses`: the licence gate. Fails when a production dependency (what `pulumi up` loads)
// is licensed only under copyleft terms, or under terms nobody has reviewed. npm lists the
// dependencies and their package.json licence; spdx-expression-parse (the parser npm validates
// licences with) reads the expressions. Dev dependencies (the offline verification's tools) are
// not shipped with the program; docs/development.md lists their copyleft ones.
import { execFileSync } from "child_process";
import * as path from "path";
import { parseFlags, runCommand } from "../shared/commandLine";
import parseSpdx from "spdx-expression-parse";

/**
 * Copyleft licence families, by SPDX id prefix: strong (GPL, AGPL, SSPL, OSL, EUPL, RPL) and weak,
 * file- or library-level (LGPL, MPL, EPL, CDDL, CPAL): either kind obliges whoever modifies and
 * distributes the code to publish source, so it needs a human decision, not a silent install.
 */
const copyleftPrefixes = ["AGPL-", "GPL-", "LGPL-", "MPL-", "EPL-", "EUPL-", "CDDL-", "CPAL-", "OSL-", "RPL-", "SSPL-"];

/** Packages whose package.json names no SPDX licence, with the licence their LICENSE file holds. */
const reviewed: Record<string, string> = {
    // "SEE LICENSE IN LICENSE"; the file is the MIT License text.
    "@logdna/tail-file": "MIT",
    // "MIT License" (not an SPDX id); its LICENSE file is the MIT License text. Through samlify.
    "xml-escape": "MIT",
};

/** Whether a licence expression can be taken without copyleft terms: one side of an OR suffices. */
export function permissive(expression: string): boolean {
    const acceptable = (node: parseSpdx.Info): boolean => {
        if ("license" in node) {
            return !copyleftPrefixes.some((prefix) => node.license.startsWith(prefix));
        }
        return node.conjunction === "or"
            ? acceptable(node.left) || acceptable(node.right)
            : acceptable(node.left) && acceptable(node.right);
    };
    try {
        return acceptable(parseSpdx(expression));
    } catch {
        return false; // not an SPDX expression: unknown terms are not known to be permissive
    }
}

/**
 * The dependencies (production ones unless told) whose licence fails the gate, as
 * `name@version: licence`. npm itself lists them: `npm query .prod` selects exactly what
 * `npm ci --omit=dev` installs (npm docs, "Dependency Selector Syntax"), with each package.json.
 */
export function licenceProblems(root: string, scope: "prod" | "dev" = "prod"): string[] {
    const query = execFileSync("npm", ["query", `.${scope}`], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    const packages = JSON.parse(query) as { name: string; version: string; private?: boolean; license?: string | { type: string } }[];
    return packages
        .filter((pkg) => !pkg.private)
        .flatMap((pkg) => {
            const licence = reviewed[pkg.name] ?? (typeof pkg.license === "object" ? pkg.license.type : (pkg.license ?? "(none)"));
            return permissive(licence) ? [] : [`${pkg.name}@${pkg.version}: ${licence}`];
        })
        .sort();
}

const usage = "usage: npm run licenses";

/** 0 when every production dependency's licence passes the gate; 1, listing them, otherwise. */
export async function main(argv: string[]): Promise<number> {
    parseFlags(argv, {}, usage, "Lists copyleft or unreviewed licences in the production dependencies. Exit 1 if there are any.");
    const problems = licenceProblems(path.join(__dirname, "..", ".."));
    console.log(
        problems.length
            ? `Copyleft or unreviewed licences in production dependencies:\n  ${problems.join("\n  ")}`
            : "licences: no copyleft in production dependencies",
    );
    return problems.length ? 1 : 0;
}

if (require.main === module) {
    runCommand(main);
}
