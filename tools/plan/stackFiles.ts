// Reads `Pulumi.<stack>.yaml` files the way the Pulumi CLI hands their config to the program
// (sdk/go/common/workspace/loaders.go `LoadProjectStackBytes`): regular files of their own folder
// only, read as Pulumi's YAML reader reads them (./pulumiYaml.ts), keys namespaced as Pulumi
// namespaces them. What Pulumi would apply and this tool cannot read (an ESC environment) stops
// the run. Every problem is reported in the one message format, `<file>: <where>: <value> — <reason>`.
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import {
    ConfigError,
    configKey,
    configProblem,
    decodeConfigValues,
    notShown,
    parseStackConfig,
    projectName,
    StackConfig,
} from "../../components/config";
import { UnreadableFile } from "../../components/errors";
import { readRegularFile } from "../shared/files";
import { naturalOrder } from "../shared/naturalOrder";
import { pathText } from "../../components/pathText";
import { stackReferenceParts } from "../../components/names";
import { isMapping, readPulumiYaml, YamlPath, yamlPathText } from "../../components/pulumiYaml";

export interface StackFile {
    stack: string;
    file: string;
    /**
     * The project folder the Pulumi CLI runs the stack from (its Pulumi.yaml's), which it passes
     * the program as the root directory: the program finds the stack file's folder from it.
     */
    projectFolder: string;
    /** Config as the CLI passes it: strings, structured values JSON-encoded, secure values hidden. */
    rawConfig: Record<string, string>;
    /** The keys stored as secrets (`secure:` values). */
    secretKeys: string[];
    /**
     * What decides where the deploy's credentials go, or which they are, and which the offline plan
     * cannot show (tools/report/providerTargets.ts compares them): every key outside the project's
     * namespace (`aws:region`, `okta:orgName`, …), the file's secrets provider (secretsTargets) and
     * the project's keys that name a place outside the plan (projectTargets). As the file gives
     * them; a secret as `[secret <fingerprint>]`, the start of its ciphertext's SHA-256, so that a
     * changed secret shows without its value.
     */
    providerSettings: Record<string, string>;
}

/**
 * The keys of a stack file, Pulumi's `ProjectStack` (sdk/go/common/workspace/project.go), which
 * reads these and ignores any other: a key on no row is refused, as one a reviewer reads for nothing.
 */
const stackFileKeys = ["config", "environment", "secretsprovider", "encryptedkey", "encryptionsalt"];

/**
 * The stack file's secrets settings, all provider targets: Pulumi decrypts the stack's secrets
 * (the credentials among them) with the provider `secretsprovider` names (pkg/cmd/pulumi
 * crypto.go `getStackSecretsManager`), and its URL decides where the deploy's calls go (an awskms
 * URL's `endpoint`, `disableSSL`: gocloud.dev aws/aws.go `ConfigFromURLParams`). The encrypted
 * data key is shown as a fingerprint.
 */
const secretsTargets: Readonly<Record<string, "as written" | "fingerprint">> = {
    secretsprovider: "as written",
    encryptionsalt: "as written",
    encryptedkey: "fingerprint",
};

/**
 * The project's keys that name a place outside the offline plan, by what of them is a target:
 * a StackReference that names an organisation reads that organisation's stack at deploy, while the
 * offline plan answers it from the stack file beside it (tools/plan/build.ts), so the entries that
 * name one (`org/stack`, `org/project/stack`) are kept; the custom domain is where people's Okta
 * sign-ins (their passwords) are sent by the CLI profiles the stack outputs.
 */
const projectTargets: Readonly<Record<string, (value: unknown) => string | undefined>> = {
    [`${projectName}:memberStacks`]: (value) => {
        const named = Array.isArray(value) ? value.filter((entry) => typeof entry === "string" && namesOrganisation(entry)) : [];
        return named.length > 0 ? JSON.stringify(named.sort()) : undefined;
    },
    [`${projectName}:identityStack`]: (value) => (typeof value === "string" && namesOrganisation(value) ? value : undefined),
    [`${projectName}:oktaCustomDomain`]: (value) => (typeof value === "string" ? value : JSON.stringify(value)),
};

const namesOrganisation = (reference: string) => stackReferenceParts(reference).organization !== undefined;

/** `[secret <the start of the SHA-256 of what the file holds>]`: shows a change, never the value. */
const fingerprint = (what: string, value: unknown) =>
    `[${what} ${crypto.createHash("sha256").update(JSON.stringify(value)).digest("hex").slice(0, 12)}]`;

/**
 * Pulumi's stack names: letters, digits, `-`, `_` and `.`, at most 100 characters. The name is
 * also part of file paths and URNs, so it may not start with a dot either.
 * https://www.pulumi.com/docs/iac/concepts/stacks/#create-stack
 */
const stackNamePattern = /^[A-Za-z0-9_][\w.-]{0,99}$/;

/**
 * The config key Pulumi makes of a stack file's key: a bare key is the project's
 * (loaders.go `stackConfigNamespacedWithProject`), `<namespace>:config:<name>` is the old spelling
 * of `<namespace>:<name>` (resource/config/key.go `ParseKey`); undefined for a key Pulumi cannot parse.
 */
function configKeyOf(key: string): string | undefined {
    const parts = key.split(":");
    if (parts.length === 1) {
        return `${projectName}:${key}`;
    }
    if (parts.length === 2) {
        return key;
    }
    return parts.length === 3 && parts[1] === "config" && parts[0] !== "" && parts[2] !== "" ? `${parts[0]}:${parts[2]}` : undefined;
}

/**
 * Where a stack file's value is, as the messages name it: config keys as Pulumi names them, each
 * list entry with its name (configKey) read from the file's values.
 */
function whereIn(yamlPath: YamlPath, document: unknown): string {
    if (yamlPath[0] !== "config" || yamlPath.length < 2) {
        return yamlPathText(yamlPath);
    }
    const key = String(yamlPath[1]);
    const fullKey = configKeyOf(key);
    if (key === "<<") {
        return yamlPathText(yamlPath); // a merge key is no config key
    }
    if (fullKey === undefined) {
        return pathText(yamlPath.slice(1));
    }
    const colon = fullKey.indexOf(":");
    const value = (document as { config?: Record<string, unknown> } | undefined)?.config?.[key];
    return configKey([fullKey.slice(colon + 1), ...yamlPath.slice(2)], { [fullKey.slice(colon + 1)]: value }, fullKey.slice(0, colon));
}

export function readStackFile(file: string, projectFolder = path.dirname(file)): StackFile {
    const name = path.basename(file);
    const stack = name.replace(/^Pulumi\.(.+)\.yaml$/, "$1");
    const problems: string[] = [];
    const report = (where: string, value: unknown, reason: string) => problems.push(configProblem(name, where, value, reason));
    const stop: (where: string, value: unknown, reason: string) => never = (where, value, reason) => {
        report(where, value, reason);
        throw new ConfigError(problems);
    };
    if (!stackNamePattern.test(stack)) {
        stop(
            "(file name)",
            stack,
            "is not a Pulumi stack name (letters, digits, - _ and ., at most 100, not starting with a dot); rename the file",
        );
    }
    let text: string;
    try {
        text = readRegularFile(file, { one: "stack file", many: "stack files", syntax: "yaml" });
    } catch (error) {
        if (!(error instanceof UnreadableFile)) {
            throw error;
        }
        error.problems.forEach((each) => report(each.where, each.value, each.reason));
        throw new ConfigError(problems);
    }
    const read = readPulumiYaml(text);
    if ("syntaxError" in read) {
        const { line, reason } = read.syntaxError;
        stop(line ? `line ${line.number}` : "(file)", line ? line.text : notShown, reason);
    }
    read.problems.forEach((problem) => report(whereIn(problem.path, read.value), problem.value, problem.reason));
    const document = read.value ?? {};
    if (!isMapping(document)) {
        stop("(file)", document, "must be a YAML mapping with a config: key");
    }
    for (const key of Object.keys(document).filter((each) => !stackFileKeys.includes(each))) {
        report(
            key,
            document[key],
            `is not a key of a stack file: Pulumi reads ${stackFileKeys.slice(0, -1).join(", ")} and ${stackFileKeys.at(-1)} (sdk/go/common/workspace/project.go \`ProjectStack\`) and ignores any other, so a reviewer would read it for nothing; remove it or spell it as one of these`,
        );
    }
    const { config = {}, environment } = document as { config?: unknown; environment?: unknown };
    if (environment !== undefined && environment !== null && !(Array.isArray(environment) && environment.length === 0)) {
        report(
            "environment",
            environment,
            "imports Pulumi ESC environments, whose values Pulumi merges into the stack's configuration at every preview and update (pkg/workspace/config.go `mergeConfig`); they cannot be read offline, so the offline preview and the access diff stop here: move the values into the stack file, or preview with the Pulumi CLI",
        );
    }
    if (!isMapping(config)) {
        stop("config", config, "must be a mapping of config keys to values (config: { aws:region: us-east-1, … })");
    }
    const rawConfig: Record<string, string> = {};
    const secretKeys: string[] = [];
    const providerSettings: Record<string, string> = {};
    for (const [key, shown] of Object.entries(secretsTargets)) {
        const value = document[key];
        if (value !== undefined && value !== null) {
            providerSettings[key] =
                shown === "fingerprint" ? fingerprint("ciphertext", value) : typeof value === "string" ? value : JSON.stringify(value);
        }
    }
    const written = new Map<string, string>();
    for (const [spelled, value] of Object.entries(config)) {
        const key = configKeyOf(spelled);
        if (key === undefined) {
            report(
                spelled,
                value,
                "is not a configuration key Pulumi can read (config/key.go: configuration keys should be of the form `<namespace>:<name>`)",
            );
            continue;
        }
        const first = written.get(key);
        if (first !== undefined) {
            report(
                spelled,
                value,
                `is ${JSON.stringify(first)} again: Pulumi reads both as ${key}, and which one it keeps is not defined; keep one`,
            );
            continue;
        }
        written.set(key, spelled);
        if (value === null) {
            report(
                key,
                value,
                "has no value: Pulumi passes an empty string for it today and null in a future version (workspace/loaders.go `checkForEmptyConfig`); give it a value or remove it",
            );
            continue;
        }
        const isSecure = isMapping(value) && "secure" in value;
        rawConfig[key] = isSecure ? "[secret]" : typeof value === "string" ? value : JSON.stringify(value);
        if (isSecure) {
            secretKeys.push(key);
        }
        if (!key.startsWith(`${projectName}:`)) {
            providerSettings[key] = isSecure ? fingerprint("secret", value.secure) : rawConfig[key];
        } else if (Object.hasOwn(projectTargets, key)) {
            const target = projectTargets[key](value);
            if (target !== undefined) {
                providerSettings[key] = target;
            }
        }
    }
    if (problems.length > 0) {
        throw new ConfigError(problems);
    }
    return { stack, file, projectFolder, rawConfig, secretKeys, providerSettings };
}

/**
 * Every stack file in a directory, sorted by stack name, and the problems of those that cannot be
 * read; `projectFolder` is the folder of the project they belong to (the directory itself by default).
 */
export function readStackFiles(dir: string, projectFolder = dir): { files: StackFile[]; problems: string[] } {
    const files: StackFile[] = [];
    const problems: string[] = [];
    for (const name of fs
        .readdirSync(dir)
        .filter((each) => /^Pulumi\..+\.yaml$/.test(each))
        .sort(naturalOrder)) {
        try {
            files.push(readStackFile(path.join(dir, name), projectFolder));
        } catch (error) {
            if (!(error instanceof ConfigError)) {
                throw error;
            }
            problems.push(...error.problems);
        }
    }
    return { files, problems };
}

/** Every stack file in a directory, sorted by stack name; every unreadable one reported at once. */
export function listStackFiles(dir: string): StackFile[] {
    const { files, problems } = readStackFiles(dir);
    if (problems.length > 0) {
        throw new ConfigError(problems);
    }
    return files;
}

/** Configurations parsed, by the stack file read: reading the organisation parses each once, the evaluation reuses it. */
const parsedConfigs = new WeakMap<StackFile, StackConfig>();

/**
 * The validated configuration of one stack file, parsed (with the policy files it names) once per
 * stack file read.
 */
export function stackConfigOf(stackFile: StackFile): StackConfig {
    let config = parsedConfigs.get(stackFile);
    if (config === undefined) {
        config = parseStackConfig(
            stackFile.stack,
            decodeConfigValues(stackFile.rawConfig),
            new Set(stackFile.secretKeys),
            path.dirname(stackFile.file),
        );
        parsedConfigs.set(stackFile, config);
    }
    return config;
}
