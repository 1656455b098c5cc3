// What exists in AWS and Okta before the program's first `pulumi up` (an organisation built by hand
// from the guide), and how the mock cloud answers an import against it as the engine does: the
// import id must have its type's documented format and name an existing object, and the update
// that follows the import (pulumi/pulumi#19339) may change properties in place but never one that
// forces a replacement. A create that would collide with an existing object fails as AWS and Okta
// refuse it.
import { isMapping } from "../../components/pulumiYaml";
import * as fs from "fs";
import * as path from "path";
import { importIdFormats } from "../../components/adoption";
import { ConfigError, configProblem, notShown } from "../../components/config";
import { providerBehaviour, withProviderDefaults } from "../../components/providerBehaviour";
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

/** A value an update that does not send it would clear: one that holds something. */
function holdsSomething(value: unknown): boolean {
    return value !== undefined && value !== null && value !== "" && !(Array.isArray(value) && value.length === 0);
}

/**
 * Checks an import and returns the inputs the update after it changes in place. The update sends
 * the program's inputs and, for what the program leaves out, the provider's defaults; for some
 * types (an Okta user's profile) the whole object, clearing what it does not name
 * (components/providerBehaviour.ts). Throws, naming the resource, when the id is not in its type's
 * documented format or `existing` (if known) has no such object; refuses, in the one message format
 * and naming each attribute of the live object, an update that would replace the object, reset
 * one of its settings to a provider default, or clear one.
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
    const behaviour = providerBehaviour[request.type];
    const skipped = new Set([...request.ignoreChanges, ...(object.sameAsProgram ?? [])]);
    const sent = withProviderDefaults(request.type, request.inputs);
    for (const key of Object.keys(request.inputs).filter((k) => !skipped.has(k))) {
        if (!(key in object.inputs)) {
            throw new Error(`mock cloud: ${what}: the existing object ${request.importId} records no ${key}`);
        }
    }
    const problems: string[] = [];
    const refuse = (key: string, reason: string) =>
        problems.push(configProblem(existingFileName, `${object.id}.inputs.${key}`, object.inputs[key], `adopting ${what}: ${reason}`));
    const changed: string[] = [];
    for (const key of Object.keys(object.inputs)
        .filter((k) => !skipped.has(k))
        .sort()) {
        const live = object.inputs[key];
        if (!(key in sent)) {
            if (behaviour?.updateSendsWholeObject && holdsSomething(live)) {
                refuse(
                    key,
                    `the update after the import would clear it: ${behaviour.updateSendsWholeObject}. ${wayOut(request.type, "cleared")}`,
                );
            }
            continue;
        }
        if (comparable(live) === comparable(sent[key])) {
            continue;
        }
        if (behaviour?.replacedBy.includes(key)) {
            refuse(
                key,
                `the update after the import would replace it (${key} forces a new object: ${JSON.stringify(sent[key])}), deleting what exists. ${wayOut(request.type, "replaced", key)}`,
            );
        } else if (key in request.inputs) {
            changed.push(key);
        } else {
            refuse(
                key,
                `the program does not set ${key}, so the update after the import would reset it to the provider's default ${JSON.stringify(sent[key])}. ${wayOut(request.type, "reset", key)}`,
            );
        }
    }
    if (problems.length > 0) {
        throw new ConfigError(problems);
    }
    return changed;
}

/** What to do instead of adopting an object whose update would lose what it holds. */
function wayOut(type: string, loss: "cleared" | "replaced" | "reset", key?: string): string {
    if (type === "okta:user/user:User") {
        return "Give the user no firstName and lastName in the stack file: the program then looks the existing user up and assigns them, and never updates their profile";
    }
    if (loss === "replaced" && key === "path") {
        return "IAM cannot move a role or policy to another path: recreate it at path / by hand before adopting, or give the program's object another name and retire this one by hand";
    }
    if (loss === "replaced") {
        return "Give the existing object's value in the stack file, or leave it out of adoption";
    }
    return `Set it to the provider's default in ${type.startsWith("okta:") ? "Okta" : "AWS"} before adopting, since the program manages the object with that value`;
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
