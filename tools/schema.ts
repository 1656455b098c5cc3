// `npm run schema`: writes outputs.schema.json, the stacks' output contract as JSON Schema, from
// its zod source (components/outputs.ts). A test fails when the committed file is out of date.
import * as fs from "fs";
import * as path from "path";
import { outputsJsonSchema } from "../components/outputs";

export const schemaFile = path.join(__dirname, "..", "outputs.schema.json");

/** The file's exact text: two-space JSON, as Prettier formats it. */
export function schemaText(): string {
    return `${JSON.stringify(outputsJsonSchema(), null, 2)}\n`;
}

if (require.main === module) {
    fs.writeFileSync(schemaFile, schemaText());
    console.log(`Wrote ${path.relative(process.cwd(), schemaFile)}`);
}
