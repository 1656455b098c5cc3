// Reads `Pulumi.<stack>.yaml` files the way the Pulumi CLI hands their config to the program.
// A file that is not a readable YAML stack file stops the run with the one message format,
// `<file>: <where>: <value> — <reason>`, never a parser's stack trace.
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { ConfigError, configProblem, decodeConfigValues, notShown, parseStackConfig, StackConfig } from "../../components/config";

export interface StackFile {
    stack: string;
    file: string;
    /** Config as the CLI passes it: strings, structured values JSON-encoded, secure values hidden. */
    rawConfig: Record<string, string>;
    /** The keys stored as secrets (`secure:` values). */
    secretKeys: string[];
}

/**
 * Pulumi's stack names: letters, digits, `-`, `_` and `.`, at most 100 characters. The name is
 * also part of file paths and URNs, so it may not start with a dot either.
 * https://www.pulumi.com/docs/iac/concepts/stacks/#create-stack
 */
const stackNamePattern = /^[A-Za-z0-9_][\w.-]{0,99}$/;

/**
 * At most this many alias expansions in one file: a stack file needs few, and a "billion laughs"
 * document would otherwise expand without bound (the `yaml` package's `maxAliasCount`).
 * https://eemeli.org/yaml/#options
 */
const maxAliasCount = 100;

export function readStackFile(file: string): StackFile {
    const name = path.basename(file);
    const stack = name.replace(/^Pulumi\.(.+)\.yaml$/, "$1");
    const fail = (where: string, value: unknown, reason: string): never => {
        throw new ConfigError([configProblem(name, where, value, reason)]);
    };
    if (!stackNamePattern.test(stack)) {
        fail(
            "(file name)",
            stack,
            "is not a Pulumi stack name (letters, digits, - _ and ., at most 100, not starting with a dot); rename the file",
        );
    }
    let text = "";
    try {
        // A link out of the folder could make an error message print another file's lines.
        if (path.dirname(fs.realpathSync(file)) !== fs.realpathSync(path.dirname(file))) {
            fail("(file)", notShown, "links to a file outside its folder; stack files are read from their own folder only");
        }
        text = fs.readFileSync(file, "utf8");
    } catch (error) {
        if (error instanceof ConfigError) {
            throw error;
        }
        const code = (error as NodeJS.ErrnoException).code;
        fail("(file)", file, code === "EISDIR" ? "is a directory, not a stack file" : `cannot be read (${code ?? String(error)})`);
    }
    let document: unknown;
    try {
        document = parse(text, { maxAliasCount, uniqueKeys: true });
    } catch (error) {
        const { message, linePos } = error as Error & { linePos?: [{ line: number }] };
        const reason = `is not valid YAML: ${message.replace(/ at line \d+, column \d+:[\s\S]*$/, "")}`;
        if (linePos) {
            fail(`line ${linePos[0].line}`, text.split(/\r?\n/)[linePos[0].line - 1], reason);
        }
        fail("(file)", notShown, reason);
    }
    const isMapping = (value: unknown) => typeof value === "object" && value !== null && !Array.isArray(value);
    if (document !== null && document !== undefined && !isMapping(document)) {
        fail("(file)", document, "must be a YAML mapping with a config: key");
    }
    const config = (document as { config?: unknown } | null)?.config ?? {};
    if (!isMapping(config)) {
        fail("config", config, "must be a mapping of config keys to values (config: { aws:region: us-east-1, … })");
    }
    const rawConfig: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [key, value] of Object.entries(config as Record<string, unknown>)) {
        const isSecure = typeof value === "object" && value !== null && "secure" in value;
        rawConfig[key] = isSecure ? "[secret]" : typeof value === "string" ? value : JSON.stringify(value);
        if (isSecure) {
            secretKeys.push(key);
        }
    }
    return { stack, file, rawConfig, secretKeys };
}

/** Every stack file in a directory, sorted by stack name; every unreadable one reported at once. */
export function listStackFiles(dir: string): StackFile[] {
    const files: StackFile[] = [];
    const problems: string[] = [];
    for (const name of fs
        .readdirSync(dir)
        .filter((each) => /^Pulumi\..+\.yaml$/.test(each))
        .sort()) {
        try {
            files.push(readStackFile(path.join(dir, name)));
        } catch (error) {
            if (!(error instanceof ConfigError)) {
                throw error;
            }
            problems.push(...error.problems);
        }
    }
    if (problems.length > 0) {
        throw new ConfigError(problems);
    }
    return files;
}

/** The validated configuration of one stack file. */
export function stackConfigOf(stackFile: StackFile): StackConfig {
    return parseStackConfig(
        stackFile.stack,
        decodeConfigValues(stackFile.rawConfig),
        new Set(stackFile.secretKeys),
        path.dirname(stackFile.file),
    );
}
