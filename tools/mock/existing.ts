// What exists in AWS and Okta before the program's first `pulumi up` (an organisation built by hand
// from the guide), and how the mock cloud answers an import against it as the engine does: the
// import id must have its type's documented format and name an existing object, and the update
// that follows the import (pulumi/pulumi#19339) may change properties in place but never one that
// forces a replacement. A create that would collide with an existing object fails as AWS and Okta
// refuse it.
import * as fs from "fs";
import * as path from "path";
import { importIdFormats } from "../../components/adoption";
import { ConfigError, configProblem, notShown } from "../../components/config";
import { providerBehaviour } from "../../components/providerBehaviour";
import { UnreadableFile } from "../../components/errors";
import { readRegularFile } from "../shared/files";
import { canonicalJson, jsonDocument } from "../shared/json";

/** One object built by hand, as its provider reads it. */
export interface ExistingObject {
    type: string;
    /** Its import id, in its type's documented format. */
    id: string;
    /** The object's value of every input the program sets, as the provider reads it. */
    inputs: Record<string, unknown>;
    /** Inputs equal to the program's by construction, not recorded (the adopted app's own metadata). */
    sameAsProgram?: string[];
}

/** An organisation's hand-built objects: per AWS account id, and per Okta org host. */
export interface ExistingOrganisation {
    aws: Record<string, ExistingObject[]>;
    okta: Record<string, ExistingObject[]>;
}

/** The file beside the stack files that describes what exists before the first `pulumi up`. */
const existingFileName = "existing.json";

/**
 * The hand-built organisation described beside the stack files of `configDir`, if any. Read as the
 * stack files are (a regular file of their folder); a file that is not one, or not the JSON of an
 * ExistingOrganisation, stops the run with the one message format and nothing of its text.
 */
export function readExistingOrganisation(configDir: string): ExistingOrganisation | undefined {
    const file = path.join(configDir, existingFileName);
    if (!fs.lstatSync(file, { throwIfNoEntry: false })) {
        return undefined;
    }
    const stop = (value: unknown, reason: string): never => {
        throw new ConfigError([configProblem(existingFileName, "(file)", value, reason)]);
    };
    let document: unknown;
    try {
        document = JSON.parse(readRegularFile(file, { one: "file", many: `${existingFileName} and the stack files`, syntax: "json" }));
    } catch (error) {
        if (error instanceof UnreadableFile) {
            throw new ConfigError(error.problems.map((each) => configProblem(existingFileName, each.where, each.value, each.reason)));
        }
        stop(notShown, "is not valid JSON");
    }
    const isMapping = (value: unknown) => typeof value === "object" && value !== null && !Array.isArray(value);
    const { aws = {}, okta = {} } = (isMapping(document) ? document : {}) as Partial<ExistingOrganisation>;
    const lists = (byOwner: unknown) => isMapping(byOwner) && Object.values(byOwner as object).every(Array.isArray);
    if (!isMapping(document) || !lists(aws) || !lists(okta)) {
        stop(
            notShown,
            'must be a JSON object { "aws": { <account id>: [objects] }, "okta": { <org host>: [objects] } } (tools/mock/existing.ts)',
        );
    }
    return { aws, okta };
}

/** A registration with the `import` option, as the engine receives it. */
export interface ImportRequest {
    type: string;
    name: string;
    importId: string;
    /** The program's inputs, made readable (redactInputs). */
    inputs: Record<string, unknown>;
    ignoreChanges: string[];
}

/** Policy documents and app settings are JSON text: the providers compare what they mean. */
function comparable(value: unknown): string {
    // Not JSON after all: compared as text.
    return canonicalJson(jsonDocument(value) ?? value);
}

/**
 * Checks an import and returns the inputs the update after it changes in place. Throws, naming the
 * resource, when the id is not in its type's documented format, when `existing` (if known) has no
 * such object, or when the update would replace it.
 */
export function checkImport(request: ImportRequest, existing: ExistingObject[] | undefined): string[] {
    const what = `${request.name} (${request.type})`;
    const format = importIdFormats[request.type];
    if (!format) {
        throw new Error(`mock cloud: ${what}: no documented import id format for ${request.type}`);
    }
    if (!format.pattern.test(request.importId)) {
        throw new Error(
            `mock cloud: ${what}: import id ${JSON.stringify(request.importId)} is not in the documented format ${format.documented}`,
        );
    }
    if (!existing) {
        return [];
    }
    const object = existing.find((o) => o.type === request.type && o.id === request.importId);
    if (!object) {
        throw new Error(`mock cloud: ${what}: importing ${JSON.stringify(request.importId)}: no such object exists`);
    }
    const skipped = new Set([...request.ignoreChanges, ...(object.sameAsProgram ?? [])]);
    const changed = Object.keys(request.inputs)
        .filter((key) => !skipped.has(key))
        .filter((key) => {
            if (!(key in object.inputs)) {
                throw new Error(`mock cloud: ${what}: the existing object ${request.importId} records no ${key}`);
            }
            return comparable(object.inputs[key]) !== comparable(request.inputs[key]);
        })
        .sort();
    // The providers' "Forces new resource" (components/providerBehaviour.ts): an import followed by
    // a change of one of these would delete what it adopted.
    const replacing = changed.filter((key) => providerBehaviour[request.type]?.replacedBy.includes(key));
    if (replacing.length > 0) {
        throw new Error(
            `mock cloud: ${what}: importing ${JSON.stringify(request.importId)} would then replace it (${replacing.join(", ")} differ${replacing.length === 1 ? "s" : ""}); give the existing object's value`,
        );
    }
    return changed;
}

/**
 * Fails a create that AWS or Okta would refuse because the object exists: an IAM object of the
 * same id (EntityAlreadyExists), an Okta user of the same login.
 */
export function checkCreate(
    type: string,
    name: string,
    id: string,
    inputs: Record<string, unknown>,
    existing: ExistingObject[] | undefined,
): void {
    const clash = existing?.find(
        (o) => o.type === type && (type === "okta:user/user:User" ? o.inputs.login === inputs.login : o.id === id),
    );
    if (clash) {
        throw new Error(
            `mock cloud: ${name} (${type}): creating ${JSON.stringify(id)} fails: ${JSON.stringify(clash.id)} exists already (set okta-aws:adopt to import it)`,
        );
    }
}
