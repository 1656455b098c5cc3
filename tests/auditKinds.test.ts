// The drift kinds are one table in code (tools/audit/driftKinds.ts): the report orders its rows by
// it, and the README's audit section shows it, generated — this test fails when the two disagree.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import * as prettier from "prettier";
import { driftKindsMarkdown, driftKinds } from "../tools/audit/driftKinds";
import { projectRoot } from "./harness";

describe("audit drift kinds (tools/audit/driftKinds.ts)", () => {
    it("the README's audit section holds the table, as Prettier formats it", async () => {
        const readme = fs.readFileSync(path.join(projectRoot, "README.md"), "utf8");
        const [, section] = /<!-- drift-kinds:[^>]*-->\n\n([\s\S]*?)\n\n<!-- \/drift-kinds -->/.exec(readme) ?? [];
        expect(section, "README.md: the drift-kinds markers").to.be.a("string");
        expect(section).to.equal((await prettier.format(driftKindsMarkdown(), { parser: "markdown" })).trimEnd());
    });

    it("lists blind spots and held emergency access first, and every kind once", () => {
        expect(driftKinds.slice(0, 2)).to.deep.equal(["unverified", "emergency-access-held"]);
        expect(new Set(driftKinds).size).to.equal(driftKinds.length);
    });
});
