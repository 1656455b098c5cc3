// Every fixture plan's inputs judged against the providers' own resource schemas at the versions the
// lock file pins: the `<Resource>Args` interfaces that @pulumi/okta and @pulumi/aws generate from
// their provider schema (provider/cmd/pulumi-resource-<name>/schema.json) — the property names, which
// are required, and their primitive types. The pinned SDKs are the schema's copy that ships with
// the lock file; pulumi/pulumi-okta's stored history stops before the 7.0.0 release.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { buildPlan } from "../tools/plan/build";
import type { Plan } from "../tools/plan/model";
import { secretMarker } from "../tools/mock/outputs";
import { projectRoot, shippedPlan, testIdpKeyFile } from "./harness";

interface ArgsSchema {
    properties: Map<string, { required: boolean; type: string }>;
}

/** The Args interface of a provider resource type, read from the pinned SDK's declarations. */
function argsSchema(token: string): ArgsSchema {
    const [pkg, modulePath, typeName] = token.split(":");
    const [module, file] = modulePath.split("/");
    const root = path.join(projectRoot, "node_modules", "@pulumi", pkg);
    const dir = module === "index" ? root : path.join(root, module);
    const declaration = fs.readdirSync(dir).find((f) => f.toLowerCase() === `${file.toLowerCase()}.d.ts`);
    if (!declaration) throw new Error(`no declaration for ${token} in ${dir}`);
    const text = fs.readFileSync(path.join(dir, declaration), "utf8");
    const start = text.indexOf(`export interface ${typeName}Args {`);
    if (start < 0) throw new Error(`no ${typeName}Args in ${declaration}`);
    const body = text.slice(start, text.indexOf("\n}\n", start));
    const properties = new Map<string, { required: boolean; type: string }>();
    for (const [, name, optional, type] of body.matchAll(/^ {4}(\w+)(\??): (.+);$/gm)) {
        properties.set(name, { required: optional !== "?", type });
    }
    return { properties };
}

const sdkVersion = (pkg: string) =>
    (JSON.parse(fs.readFileSync(path.join(projectRoot, "node_modules", "@pulumi", pkg, "package.json"), "utf8")) as { version: string })
        .version;

/** Whether a planned value fits the SDK's type: strings, numbers, booleans and lists of them; objects are not looked into. */
function fits(value: unknown, type: string): boolean {
    if (value === secretMarker || value === undefined) return true;
    const inner = /^pulumi\.Input<(.+)>$/.exec(type)?.[1] ?? type;
    if (/\[\]$/.test(inner) || /^pulumi\.Input<.+>\[\]$/.test(inner)) return Array.isArray(value);
    if (inner === "string" || /^pulumi\.Input<string>$/.test(inner) || /^enums\./.test(inner) || / \| string/.test(inner))
        return typeof value === "string";
    if (inner === "number") return typeof value === "number";
    if (inner === "boolean") return typeof value === "boolean";
    return true;
}

/** What a plan sends a provider that the provider's schema would refuse: unknown, missing or mistyped inputs. */
function schemaProblems(plan: Plan): string[] {
    const problems: string[] = [];
    for (const [stack, stackPlan] of Object.entries(plan.stacks)) {
        for (const resource of stackPlan.resources.filter((r) => /^(okta|aws):/.test(r.type))) {
            const schema = argsSchema(resource.type);
            const inputs = resource.inputs;
            for (const [name, property] of schema.properties) {
                if (property.required && inputs[name] === undefined)
                    problems.push(`${stack} ${resource.type} ${resource.urn}: ${name} is required`);
            }
            for (const [name, value] of Object.entries(inputs)) {
                const property = schema.properties.get(name);
                if (!property) problems.push(`${stack} ${resource.type}: ${name} is not an input of the schema`);
                else if (!fits(value, property.type))
                    problems.push(`${stack} ${resource.type}: ${name} ${JSON.stringify(value)} is not ${property.type}`);
            }
        }
    }
    return problems;
}

describe("plans judged against the providers' schemas (the lock file's @pulumi/okta and @pulumi/aws)", function () {
    this.timeout(120000);

    it("reads the schema of the pinned versions", () => {
        expect([sdkVersion("okta"), sdkVersion("aws")]).to.deep.equal(["7.0.0", "7.48.0"]);
        const saml = argsSchema("okta:app/saml:Saml");
        expect([...saml.properties].filter(([, p]) => p.required).map(([name]) => name)).to.deep.equal(["label"]);
        expect(argsSchema("okta:index/appOauthApiScope:AppOauthApiScope").properties.get("issuer")).to.deep.equal({
            required: true,
            type: "pulumi.Input<string>",
        });
    });

    it("finds an input the schema does not have, and a required one missing", async () => {
        const plan = (await shippedPlan()).plan;
        const app = plan.stacks.identity.resources.find((r) => r.type === "okta:app/saml:Saml")!;
        app.inputs.attributeStatement = [];
        delete app.inputs.label;
        expect(schemaProblems(plan)).to.deep.equal([
            `identity okta:app/saml:Saml ${app.urn}: label is required`,
            "identity okta:app/saml:Saml: attributeStatement is not an input of the schema",
        ]);
    });

    for (const fixture of ["", "tests/fixtures/initech", "tests/fixtures/globex", "tests/fixtures/acme-guide", "tests/fixtures/hooli"]) {
        it(`sends only inputs the schemas know, with every required one: ${fixture || "the shipped organisation"}`, async () => {
            const plan =
                fixture === "" ? (await shippedPlan()).plan : (await buildPlan(path.join(projectRoot, fixture), testIdpKeyFile)).plan;
            expect(schemaProblems(plan)).to.deep.equal([]);
        });
    }
});
