// `npm run docs`: writes the documentation generated from the code — whole pages of docs/
// (docs/allow-lists.md) and the reference tables inside hand-written pages, between their markers
// (`<!-- generated: NAME … -->` … `<!-- /generated: NAME -->`) — laid out by the project's Prettier.
// tests/docs.test.ts fails when a committed page or table is out of date.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as prettier from "prettier";
import * as YAML from "yaml";
import { driftKindsMarkdown } from "../audit/driftKinds";
import { buildPlan } from "../plan/build";
import type { PlanResult } from "../plan/model";
import { allowListsMarkdown } from "../report/allowLists";
import { configurationKeysMarkdown, oktaBudgetMarkdown, outputsMarkdown, policyRulesMarkdown } from "../report/referenceTables";
import { parseFlags, runCommand } from "../shared/commandLine";
import { writeAtomically } from "../shared/files";

const root = path.join(__dirname, "..", "..");
const docsFolder = path.join(root, "docs");

/** What the tables are made from: the shipped organisation's plan, and two variants of it (slow: two more plans). */
export interface DocsSources {
    shipped: () => Promise<PlanResult>;
    variants: () => Promise<{ rolesImported: PlanResult; groupMapping: PlanResult }>;
}

/** A table inside a hand-written page: its page, marker name and the code it is made from. */
interface GeneratedSection {
    page: string;
    name: string;
    /** Needs more than the shipped plan (tests/docs.test.ts runs it with the @slow tests). */
    slow?: boolean;
    markdown: (sources: DocsSources) => Promise<string> | string;
}

const stackOutputs = (result: PlanResult, kind: "member" | "identity"): Record<string, unknown> =>
    Object.values(result.plan.stacks).find((stack) => stack.kind === kind)!.outputs;

export const generatedSections: GeneratedSection[] = [
    { page: "configuration.md", name: "configuration-keys", markdown: configurationKeysMarkdown },
    {
        page: "outputs.md",
        name: "outputs",
        markdown: async ({ shipped }) => {
            const result = await shipped();
            return outputsMarkdown({ member: stackOutputs(result, "member"), identity: stackOutputs(result, "identity") });
        },
    },
    { page: "policy-pack.md", name: "policy-rules", markdown: policyRulesMarkdown },
    { page: "audit.md", name: "drift-kinds", markdown: driftKindsMarkdown },
    {
        page: "okta-api-budget.md",
        name: "okta-api-budget",
        slow: true,
        markdown: async ({ shipped, variants }) => {
            const { rolesImported, groupMapping } = await variants();
            return oktaBudgetMarkdown([
                {
                    organisation: "shipped, as shipped (samlUserRoles, before the roles import)",
                    budget: (await shipped()).plan.oktaApiBudget,
                },
                { organisation: "shipped, rolesImported: true (samlUserRoles)", budget: rolesImported.plan.oktaApiBudget },
                { organisation: "shipped, roleAssignment: groupMapping", budget: groupMapping.plan.oktaApiBudget },
            ]);
        },
    },
];

/** The markers around a generated section: `<!-- generated: NAME, … -->`, a blank line, the table, a blank line, the end. */
const sectionPattern = (name: string) =>
    new RegExp(`(<!-- generated: ${name}[ ,][^>]*-->\\n\\n)[\\s\\S]*?(\\n\\n<!-- /generated: ${name} -->)`);

/** A page with one section as the code has it; throws when the page lacks the section's markers. */
export async function withSection(text: string, section: GeneratedSection, sources: DocsSources): Promise<string> {
    const pattern = sectionPattern(section.name);
    if (!pattern.test(text)) {
        throw new Error(`docs/${section.page}: the markers of the generated section ${section.name} are missing`);
    }
    const table = (await prettier.format(await section.markdown(sources), { parser: "markdown" })).trimEnd();
    return text.replace(pattern, (_, open: string, close: string) => `${open}${table}${close}`);
}

/** Each page of docs/ generated whole: its file and its text as Prettier lays it out. */
export async function generatedPages(): Promise<{ file: string; text: string }[]> {
    const file = path.join(docsFolder, "allow-lists.md");
    const options = await prettier.resolveConfig(file);
    return [{ file, text: await prettier.format(allowListsMarkdown(), { ...options, filepath: file }) }];
}

/** The shipped organisation with `okta-aws:oktaApp` fields of its identity stack file set, in a scratch folder. */
async function shippedWith(oktaApp: Record<string, unknown>, idpKeyFile: string): Promise<PlanResult> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-docs-"));
    try {
        for (const file of fs.readdirSync(root).filter((name) => /^Pulumi\.[^.]+\.yaml$/.test(name))) {
            fs.copyFileSync(path.join(root, file), path.join(dir, file));
        }
        const identityFile = path.join(dir, "Pulumi.identity.yaml");
        const document = YAML.parseDocument(fs.readFileSync(identityFile, "utf8"));
        for (const [field, value] of Object.entries(oktaApp)) {
            document.setIn(["config", "okta-aws:oktaApp", field], value);
        }
        fs.writeFileSync(identityFile, document.toString());
        return await buildPlan(dir, idpKeyFile);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** The sources built once each, on demand. */
export function docsSources(idpKeyFile: string, shipped?: () => Promise<PlanResult>): DocsSources {
    let shippedPlan: Promise<PlanResult> | undefined;
    let variantPlans: Promise<{ rolesImported: PlanResult; groupMapping: PlanResult }> | undefined;
    const shippedResult = shipped ?? (() => (shippedPlan ??= buildPlan(root, idpKeyFile)));
    return {
        shipped: shippedResult,
        variants: () =>
            (variantPlans ??= (async () => {
                // Deploy step 6 (docs/deploy.md): once the roles are imported, the app is named by its id.
                const identity = Object.values((await shippedResult()).plan.stacks).find((stack) => stack.kind === "identity")!;
                return {
                    rolesImported: await shippedWith({ rolesImported: true, id: identity.outputs.oktaAppId }, idpKeyFile),
                    groupMapping: await shippedWith({ roleAssignment: "groupMapping" }, idpKeyFile),
                };
            })()),
    };
}

const usage = "usage: npm run docs";

export async function main(argv: string[]): Promise<number> {
    parseFlags(argv, {}, usage, "Regenerates the reference tables of docs/ from the code.");
    const idpKeyFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-docs-key-")), "idp-key.json");
    try {
        const sources = docsSources(idpKeyFile);
        const pages = await generatedPages();
        for (const section of generatedSections) {
            const file = path.join(docsFolder, section.page);
            const page = pages.find((p) => p.file === file) ?? { file, text: fs.readFileSync(file, "utf8") };
            page.text = await withSection(page.text, section, sources);
            if (!pages.includes(page)) {
                pages.push(page);
            }
        }
        for (const page of pages) {
            writeAtomically(page.file, page.text);
            console.log(`Wrote ${path.relative(process.cwd(), page.file)}`);
        }
    } finally {
        fs.rmSync(path.dirname(idpKeyFile), { recursive: true, force: true });
    }
    return 0;
}

if (require.main === module) {
    runCommand(main);
}
