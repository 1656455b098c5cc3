// `npm run docs`: writes the pages of docs/ that are generated from the code (docs/allow-lists.md),
// laid out by the project's Prettier. A test fails when a committed page is out of date.
import * as path from "path";
import * as prettier from "prettier";
import { allowListsMarkdown } from "../report/allowLists";
import { parseFlags, runCommand } from "../shared/commandLine";
import { writeAtomically } from "../shared/files";

const docsFolder = path.join(__dirname, "..", "..", "docs");

/** Each generated page: its file and its text as Prettier lays it out. */
export async function generatedPages(): Promise<{ file: string; text: string }[]> {
    const file = path.join(docsFolder, "allow-lists.md");
    const options = await prettier.resolveConfig(file);
    return [{ file, text: await prettier.format(allowListsMarkdown(), { ...options, filepath: file }) }];
}

const usage = "usage: npm run docs";

export async function main(argv: string[]): Promise<number> {
    parseFlags(argv, {}, usage);
    for (const page of await generatedPages()) {
        writeAtomically(page.file, page.text);
        console.log(`Wrote ${path.relative(process.cwd(), page.file)}`);
    }
    return 0;
}

if (require.main === module) {
    runCommand(main);
}
