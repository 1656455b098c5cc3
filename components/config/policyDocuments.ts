// The team's own policy documents: read from the stack file (inline) or from a `.json` file that
// may not leave the stack file's folder, and checked for what IAM would refuse, before anything is
// registered.
import * as fs from "fs";
import * as path from "path";
import { NotRegularFile } from "../errors";
import { readRegularFileText, RefusedText } from "../regularFile";
import { readIamDocument } from "../iamDocument";
import { jsonSyntaxError } from "./jsonSyntax";
import { iamPolicySize, iamSizeLimits, providerNormalisedJson } from "../policies";
import { unknownActionReason } from "../iamCatalogue";
import { closest } from "../names";

/** One problem of a document: where in it (a suffix of the key, such as `.Statement[1]`) and why. */
export interface DocumentProblem {
    at: string;
    value: unknown;
    reason: string;
}

/**
 * What IAM refuses in an identity (permission) policy document, as `CreatePolicy` answers
 * MalformedPolicyDocument: the grammar's required elements (IAM User Guide, "IAM JSON policy
 * element reference": `Version` 2012-10-17 for policy variables and every current feature;
 * `Statement`; per statement `Effect`, `Action` or `NotAction`, `Resource` or `NotResource`, each a
 * name or a non-empty list of them, and no `Principal`, which only resource-based policies take), and
 * the managed policy size quota: 6,144 characters, not counting white space, of the document as the
 * AWS provider sends it ("IAM and AWS STS quotas").
 */
function policyDocumentProblems(document: unknown): DocumentProblem[] {
    if (document === null || typeof document !== "object" || Array.isArray(document)) {
        return [{ at: "", value: document, reason: "must be a JSON object (a policy document)" }];
    }
    const problems: DocumentProblem[] = [];
    const { Version, Statement } = document as Record<string, unknown>;
    if (Version === undefined) {
        // IAM accepts a document without Version and reads it as 2008-10-17, in which `${…}` is
        // plain text (IAM User Guide, "IAM JSON policy elements: Version"): refused, so that a
        // policy variable means what its author meant.
        problems.push({
            at: ".Version",
            value: Version,
            reason: 'is not set: IAM then reads the document as version 2008-10-17, in which policy variables such as ${aws:username} are plain text; set "2012-10-17"',
        });
    } else if (Version !== "2012-10-17") {
        problems.push({
            at: ".Version",
            value: Version,
            reason: 'must be "2012-10-17": IAM takes policy variables and every current element only in that version',
        });
    }
    const entries = readIamDocument(document)?.entries ?? [];
    if (entries.length === 0) {
        problems.push({ at: ".Statement", value: Statement, reason: "must hold at least one statement" });
    }
    entries.forEach(({ at, value: statement, statement: read }) => {
        if (!read) {
            problems.push({ at, value: statement, reason: "must be a statement object" });
            return;
        }
        // The grammar is judged as written: which elements are there, and each one's form.
        const element = read.written;
        if (read.effect !== "Allow" && read.effect !== "Deny") {
            problems.push({ at: `${at}.Effect`, value: read.effect, reason: 'must be "Allow" or "Deny"' });
        }
        const exactlyOne = (a: string, b: string) => (element[a] === undefined) !== (element[b] === undefined);
        if (!exactlyOne("Action", "NotAction")) {
            problems.push({ at, value: statement, reason: "must have exactly one of Action and NotAction" });
        }
        if (!exactlyOne("Resource", "NotResource")) {
            problems.push({
                at,
                value: statement,
                reason: "must have exactly one of Resource and NotResource (a permission policy names what it applies to)",
            });
        }
        for (const name of ["Action", "NotAction", "Resource", "NotResource"]) {
            const value = element[name];
            const names = Array.isArray(value) ? (value as unknown[]) : [value];
            if (value !== undefined && (names.length === 0 || names.some((v) => typeof v !== "string" || v === ""))) {
                problems.push({
                    at: `${at}.${name}`,
                    value,
                    reason: "must be a name or a non-empty list of names (IAM: MalformedPolicyDocument)",
                });
            }
        }
        problems.push(...statementNameProblems(at, element));
        for (const name of ["Principal", "NotPrincipal"].filter((n) => element[n] !== undefined)) {
            problems.push({
                at: `${at}.${name}`,
                value: element[name],
                reason: "is for resource-based policies; IAM refuses it in a permission policy, which applies to the role it is attached to",
            });
        }
    });
    const sids = entries.map((entry) => entry.statement?.written.Sid).filter((sid) => typeof sid === "string");
    for (const sid of new Set(sids.filter((sid, i) => sids.indexOf(sid) !== i))) {
        problems.push({
            at: ".Statement",
            value: sid,
            reason: "is the Sid of two statements; IAM requires a Sid to be unique within a policy",
        });
    }
    const size = iamPolicySize(providerNormalisedJson(JSON.stringify(document)));
    if (size > iamSizeLimits.managedPolicy) {
        problems.push({
            at: "",
            value: document,
            reason: `has ${size} characters without white space, over IAM's ${iamSizeLimits.managedPolicy} for a managed policy (IAM and AWS STS quotas)`,
        });
    }
    return problems;
}

/** The folder beside the stack files that holds the policy documents they name, and nothing else. */
export const policyFolder = "policies";

/**
 * The names of one statement against IAM's grammar (IAM User Guide, "IAM JSON policy element
 * reference"): a `Sid` of ASCII letters and digits only ("Sid"); each `Action`/`NotAction` entry a
 * known service's action or a pattern matching at least one ("Action": IAM accepts unknown ones
 * silently; Access Analyzer reports them); each `Resource`/`NotResource` entry `*` or an ARN,
 * `arn:partition:service:region:account-id:resource` ("Resource"; policy variables may stand in
 * any segment).
 */
function statementNameProblems(at: string, element: Record<string, unknown>): DocumentProblem[] {
    const problems: DocumentProblem[] = [];
    if (element.Sid !== undefined && (typeof element.Sid !== "string" || !/^[A-Za-z0-9]+$/.test(element.Sid))) {
        problems.push({
            at: `${at}.Sid`,
            value: element.Sid,
            reason: "must be ASCII letters and digits only (A-Z, a-z, 0-9), as IAM requires",
        });
    }
    const entries = (name: string) => {
        const value = element[name];
        return Array.isArray(value)
            ? value.map((entry: unknown, i) => ({ key: `${at}.${name}[${i}]`, entry }))
            : value === undefined
              ? []
              : [{ key: `${at}.${name}`, entry: value }];
    };
    for (const { key, entry } of [...entries("Action"), ...entries("NotAction")]) {
        const reason = typeof entry === "string" && entry !== "" ? unknownActionReason(entry, closest) : undefined;
        if (reason) {
            problems.push({ at: key, value: entry, reason });
        }
    }
    for (const { key, entry } of [...entries("Resource"), ...entries("NotResource")]) {
        if (typeof entry === "string" && entry !== "" && !isResourceName(entry)) {
            problems.push({
                at: key,
                value: entry,
                reason: 'is neither "*" nor an ARN (arn:partition:service:region:account-id:resource); IAM refuses it (MalformedPolicyDocument)',
            });
        }
    }
    return problems;
}

/** `*` or an ARN whose partition, service and resource are not empty; a policy variable counts as one segment's text. */
function isResourceName(resource: string): boolean {
    return resource === "*" || /^arn:[^:]+:[^:]+:[^:]*:[^:]*:.+$/s.test(resource.replace(/\$\{[^}]*\}/g, "x"));
}

/**
 * Reads a policy document file named relative to the stack file's folder, in its policies/ folder.
 * A name that leaves the folder (`../x.json`, an absolute path) or a link that resolves outside it
 * is refused before the file is opened: a stack file is reviewed in a pull request, and what it
 * makes the program read must be there too. Returns the parsed document, or why not.
 */
function readPolicyFile(stackFolder: string, file: string): { document: unknown } | { problem: string } {
    const folder = path.resolve(stackFolder);
    const target = path.resolve(folder, file);
    const inside = (parent: string, child: string) => {
        const relative = path.relative(parent, child);
        // `..ops.json` is a name inside the folder; `..` and `../x` leave it.
        return relative !== "" && relative !== ".." && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
    };
    if (path.isAbsolute(file) || !inside(folder, target)) {
        return { problem: "leaves the stack file's folder; a policy file is named relative to it and stays inside it (nothing was read)" };
    }
    if (!file.endsWith(".json")) {
        return { problem: "must be a .json file" };
    }
    if (!inside(path.join(folder, policyFolder), target)) {
        return {
            problem: `must be in the ${policyFolder}/ folder beside the stack file (${policyFolder}/<name>.json): that folder holds policy documents only, so the access diff reviews a change to it as configuration, while a .json elsewhere may be code (package.json, tsconfig.json)`,
        };
    }
    let real: string;
    try {
        // realpath resolves links without opening the file.
        real = fs.realpathSync(target);
    } catch (error) {
        return { problem: `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
    }
    if (!inside(fs.realpathSync(folder), real)) {
        return { problem: "links to a file outside the stack file's folder; a policy file stays inside it (nothing was read)" };
    }
    if (!inside(fs.realpathSync(path.join(folder, policyFolder)), real)) {
        return { problem: `links to a file outside the ${policyFolder}/ folder; a policy file stays inside it (nothing was read)` };
    }
    let text: string;
    try {
        text = readRegularFileText(real, "json");
    } catch (error) {
        if (error instanceof NotRegularFile) {
            return { problem: `is ${error.kind}, not a policy file` };
        }
        if (error instanceof RefusedText) {
            return { problem: `holds characters that readers do not all read alike: ${error.message}` };
        }
        return { problem: `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
    }
    const syntaxError = jsonSyntaxError(text);
    return syntaxError ? { problem: `is not JSON: ${syntaxError}` } : { document: JSON.parse(text) as unknown };
}

/**
 * The document of a policy entry as JSON text, or the problems that stop it. An inline document's
 * problems are at `.document…`; a file's at `.file`, with the place in the file in the reason.
 */
export function customPolicyDocument(
    stackFolder: string,
    entry: { document?: Record<string, unknown>; file?: string },
): { document: string } | { problems: DocumentProblem[] } {
    if (entry.file === undefined) {
        const problems = policyDocumentProblems(entry.document).map((p) => ({ ...p, at: `.document${p.at}` }));
        return problems.length > 0 ? { problems } : { document: JSON.stringify(entry.document) };
    }
    const read = readPolicyFile(stackFolder, entry.file);
    if ("problem" in read) {
        return { problems: [{ at: ".file", value: entry.file, reason: read.problem }] };
    }
    const problems = policyDocumentProblems(read.document).map((p) => ({
        at: ".file",
        value: entry.file,
        reason: p.at === "" ? p.reason : `${p.at.slice(1)} ${p.reason}`,
    }));
    return problems.length > 0 ? { problems } : { document: JSON.stringify(read.document) };
}
