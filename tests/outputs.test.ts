// The published output contract: outputs.schema.json is generated from components/outputs.ts, every
// shipped and test stack's outputs validate against the file with an independent JSON Schema
// validator, and a consuming program reads the stacks through StackReferences as docs/outputs.md shows.
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { ConfigError, IdentityConfig } from "../components/config";
import { resolveFederatedRoles } from "../components/federatedRolesFromMembers";
import { buildPlan } from "../tools/plan/build";
import { PlanResult } from "../tools/plan/model";
import { schemaFile, schemaText } from "../tools/commands/schema";
import consumer from "./consumer";
import { projectRoot, settled, shippedConfig, shippedPlan, useStack, valueOf } from "./harness";

describe("output contract (components/outputs.ts, outputs.schema.json)", () => {
    let shipped: PlanResult;
    let globex: PlanResult;
    before(async () => {
        shipped = await shippedPlan();
        globex = await buildPlan(path.join(projectRoot, "tests", "fixtures", "globex"));
    });
    const schema = JSON.parse(fs.readFileSync(schemaFile, "utf8")) as { anyOf: { title: string }[] };
    const ajv = new Ajv2020({ strict: true });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    const verdict = (outputs: unknown) => (validate(outputs) ? "valid" : ajv.errorsText(validate.errors));
    const validateMember = ajv.compile(schema.anyOf[0]);

    it("is the committed outputs.schema.json, generated from the zod schema (npm run schema)", () => {
        expect(fs.readFileSync(schemaFile, "utf8")).to.equal(schemaText());
        expect(schema.anyOf.map((alternative) => alternative.title)).to.deep.equal(["Member stack outputs", "Identity stack outputs"]);
    });

    it("accepts the outputs of every shipped and test stack, secrets as their values", () => {
        const verdicts = [...shipped.evaluations, ...globex.evaluations].map((e) => `${e.stack}: ${verdict(e.reference.outputs)}`);
        expect(verdicts).to.deep.equal([
            "retail: valid",
            "sales: valid",
            "identity: valid",
            "data: valid",
            "dev: valid",
            "prod: valid",
            "hub: valid",
        ]);
    });

    it("rejects a missing output, an unknown one and another version", () => {
        const { outputsVersion, ...member } = shipped.evaluations[0].reference.outputs;
        const broken = [member, { ...member, outputsVersion, extra: true }, { ...member, outputsVersion: 3 }];
        expect(broken.map((outputs) => validate(outputs))).to.deep.equal([false, false, false]);
        expect(broken.map((outputs) => (validateMember(outputs) ? "valid" : ajv.errorsText(validateMember.errors)))).to.deep.equal([
            "data must have required property 'outputsVersion'",
            "data must NOT have additional properties",
            "data/outputsVersion must be equal to constant",
        ]);
    });

    it("makes the identity stack refuse a member stack of another contract version", () => {
        const readings = shipped.evaluations
            .filter((e) => e.config.kind === "member")
            .map((e) => ({ stack: e.stack, outputs: { ...e.reference.outputs, outputsVersion: 3 } }));
        expect(() => resolveFederatedRoles(shippedConfig<IdentityConfig>("identity"), readings))
            .to.throw(ConfigError)
            .with.property("problems")
            .that.deep.equals([
                'Pulumi.identity.yaml: okta-aws:memberStacks[0]: "retail" — the stack exports outputs version 3, but this program reads version 2: deploy both from the same release',
                'Pulumi.identity.yaml: okta-aws:memberStacks[1]: "sales" — the stack exports outputs version 3, but this program reads version 2: deploy both from the same release',
            ]);
    });

    it("serves a consuming program's StackReferences (tests/consumer, the example of docs/outputs.md)", async () => {
        const stackOutputs = Object.fromEntries(shipped.evaluations.map((e) => [`organization/okta-aws/${e.stack}`, e.reference]));
        await useStack("consumer", { stackOutputs });
        const exported = await consumer();
        await settled();
        expect(await valueOf(exported.retailFederatedRoleArns)).to.deep.equal([
            "arn:aws:iam::671250594556:role/Retail-EC2-Admins",
            "arn:aws:iam::671250594556:role/Retail-S3-Admins",
        ]);
        expect(await valueOf(exported.retailSwitchRoleLinks)).to.deep.equal([
            "https://signin.aws.amazon.com/switchrole?account=253541269580&roleName=EC2_Admins",
            "https://signin.aws.amazon.com/switchrole?account=253541269580&roleName=S3_Admins",
        ]);
        const page = fs.readFileSync(path.join(projectRoot, "docs", "outputs.md"), "utf8");
        const program = fs.readFileSync(path.join(__dirname, "consumer", "index.ts"), "utf8");
        // The page's copy, as Prettier indents Markdown code: compared with whitespace collapsed.
        const squash = (code: string) => code.replace(/\s+/g, " ");
        expect(squash(page)).to.include(squash(program.slice(program.indexOf("export = async"))));
    });
});
