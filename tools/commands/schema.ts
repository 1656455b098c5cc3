// `npm run schema`: writes outputs.schema.json, the stacks' output contract as JSON Schema, from
// its zod source (components/outputs.ts). A test fails when the committed file is out of date.
import * as path from "path";
import { outputsJsonSchema } from "../../components/outputs";
import { parseFlags, runCommand } from "../shared/commandLine";
import { writeAtomically } from "../shared/files";

export const schemaFile = path.join(__dirname, "..", "..", "outputs.schema.json");

/** The file's exact text: two-space JSON, as Prettier formats it. */
export function schemaText(): string {
    return `${JSON.stringify(outputsJsonSchema(), null, 2)}\n`;
}

const usage = "usage: npm run schema";

export async function main(argv: string[]): Promise<number> {
    parseFlags(argv, {}, usage, "Writes outputs.schema.json, the JSON Schema of the stacks' outputs.");
    writeAtomically(schemaFile, schemaText());
    console.log(`Wrote ${path.relative(process.cwd(), schemaFile)}`);
    return 0;
}

if (require.main === module) {
    runCommand(main);
}
