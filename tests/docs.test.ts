// The pages of docs/ generated from the code say what the code does: each committed page is the
// one `npm run docs` writes now.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { generatedPages } from "../tools/commands/docs";
import { projectRoot } from "./harness";

describe("generated documentation (npm run docs)", () => {
    it("holds the allow-lists exactly as the code has them", async () => {
        for (const page of await generatedPages()) {
            const committed = fs.readFileSync(page.file, "utf8");
            expect(committed, `${path.relative(projectRoot, page.file)} is out of date: run npm run docs`).to.equal(page.text);
        }
    });
});
