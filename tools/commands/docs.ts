// `npm run docs`: writes the documentation generated from the code — the pages of docs/
// (docs/allow-lists.md) and the README's drift-kinds table — laid out by the project's Prettier.
// Tests fail when a committed page or section is out of date.
import * as fs from "fs";
import * as path from "path";
import * as prettier from "prettier";
import { driftKindsMarkdown } from "../audit/driftKinds";
import { allowListsMarkdown } from "../report/allowLists";
import { parseFlags, runCommand } from "../shared/commandLine";
import { writeAtomically } from "../shared/files";

const root = path.join(__dirname, "..", "..");
const docsFolder = path.join(root, "docs");

/** The README's generated drift-kinds section: between its markers (tests/auditKinds.test.ts). */
const driftKindsSection = /(<!-- drift-kinds:[^>]*-->\n\n)[\s\S]*?(\n\n<!-- \/drift-kinds -->)/;

/** The README with its drift-kinds section as the code has it. */
async function readmeWithDriftKinds(): Promise<{ file: string; text: string }> {
    const file = path.join(root, "README.md");
    const table = (await prettier.format(driftKindsMarkdown(), { parser: "markdown" })).trimEnd();
    return {
        file,
        text: fs.readFileSync(file, "utf8").replace(driftKindsSection, (_, open: string, close: string) => `${open}${table}${close}`),
    };
}

/** Each generated page: its file and its text as Prettier lays it out. */
export async function generatedPages(): Promise<{ file: string; text: string }[]> {
    const file = path.join(docsFolder, "allow-lists.md");
    const options = await prettier.resolveConfig(file);
    return [{ file, text: await prettier.format(allowListsMarkdown(), { ...options, filepath: file }) }];
}

const usage = "usage: npm run docs";

export async function main(argv: string[]): Promise<number> {
    parseFlags(argv, {}, usage);
    for (const page of [...(await generatedPages()), await readmeWithDriftKinds()]) {
        writeAtomically(page.file, page.text);
        console.log(`Wrote ${path.relative(process.cwd(), page.file)}`);
    }
    return 0;
}

if (require.main === module) {
    runCommand(main);
}
