// The documentation says what the code does: each page of docs/ generated whole, and each reference
// table inside a hand-written page, is what `npm run docs` writes now; every relative link of the
// README and docs/ leads to a file (and heading) that exists.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { docsSources, generatedPages, generatedSections, withSection } from "../tools/commands/docs";
import { projectRoot, shippedPlan, testIdpKeyFile } from "./harness";

const docsFolder = path.join(projectRoot, "docs");
const sources = docsSources(testIdpKeyFile, shippedPlan);

/** The README and every page of docs/, by path from the project root. */
const markdownFiles = (): string[] => [
    "README.md",
    ...fs
        .readdirSync(docsFolder)
        .filter((name) => name.endsWith(".md"))
        .map((name) => path.join("docs", name)),
];

/** GitHub's anchor of a heading: lower case, punctuation but `-` and `_` dropped, spaces as `-`. */
const anchorOf = (heading: string): string =>
    heading
        .trim()
        .toLowerCase()
        .replace(/`/g, "")
        .replace(/[^\p{L}\p{N}\s_-]/gu, "")
        .replace(/\s/g, "-");

/** The anchors of a Markdown file's headings (outside code blocks). */
function anchorsOf(text: string): Set<string> {
    const withoutCode = text.replace(/^```[\s\S]*?^```/gm, "");
    return new Set([...withoutCode.matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchorOf(m[1])));
}

describe("generated documentation (npm run docs)", () => {
    it("holds the allow-lists exactly as the code has them", async () => {
        for (const page of await generatedPages()) {
            const committed = fs.readFileSync(page.file, "utf8");
            expect(committed, `${path.relative(projectRoot, page.file)} is out of date: run npm run docs`).to.equal(page.text);
        }
    });

    for (const section of generatedSections) {
        it(`docs/${section.page} holds the ${section.name} table as the code has it${section.slow ? " @slow" : ""}`, async () => {
            const committed = fs.readFileSync(path.join(docsFolder, section.page), "utf8");
            expect(committed, `docs/${section.page}: the ${section.name} table is out of date: run npm run docs`).to.equal(
                await withSection(committed, section, sources),
            );
        });
    }

    it("refuses a page whose generated section lost its markers", async () => {
        const [section] = generatedSections;
        let message = "";
        await withSection("# A page\n\nno table here\n", section, sources).catch((e: Error) => (message = e.message));
        expect(message).to.equal(`docs/${section.page}: the markers of the generated section ${section.name} are missing`);
    });
});

describe("documentation links", () => {
    it("every relative link of the README and docs/ names a file that exists, and a heading of it", () => {
        const broken: string[] = [];
        for (const file of markdownFiles()) {
            const text = fs.readFileSync(path.join(projectRoot, file), "utf8").replace(/^```[\s\S]*?^```/gm, "");
            for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
                if (/^[a-z]+:/i.test(target)) {
                    continue;
                }
                const [linkPath, anchor] = target.split("#");
                const resolved = linkPath === "" ? path.join(projectRoot, file) : path.join(projectRoot, path.dirname(file), linkPath);
                if (!fs.existsSync(resolved)) {
                    broken.push(`${file}: ${target} — no such file`);
                } else if (anchor !== undefined && resolved.endsWith(".md") && !anchorsOf(fs.readFileSync(resolved, "utf8")).has(anchor)) {
                    broken.push(`${file}: ${target} — no such heading`);
                }
            }
        }
        expect(broken).to.deep.equal([]);
    });

    it("docs/README.md lists every page of docs/", () => {
        const index = fs.readFileSync(path.join(docsFolder, "README.md"), "utf8");
        const listed = new Set([...index.matchAll(/\]\(([^)#]+\.md)[^)]*\)/g)].map((m) => m[1]));
        const pages = fs.readdirSync(docsFolder).filter((name) => name.endsWith(".md") && name !== "README.md");
        expect(pages.filter((page) => !listed.has(page))).to.deep.equal([]);
    });

    it("the README stays a front page: under 250 lines", () => {
        const lines = fs.readFileSync(path.join(projectRoot, "README.md"), "utf8").split("\n").length;
        expect(lines).to.be.below(250);
    });
});
