// Reads `Pulumi.<stack>.yaml` files the way the Pulumi CLI hands their config to the program.
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { decodeConfigValues, parseStackConfig, StackConfig } from "../components/config";

export interface StackFile {
    stack: string;
    file: string;
    /** Config as the CLI passes it: strings, structured values JSON-encoded, secure values hidden. */
    rawConfig: Record<string, string>;
    /** The keys stored as secrets (`secure:` values). */
    secretKeys: string[];
}

export function readStackFile(file: string): StackFile {
    const stack = path.basename(file).replace(/^Pulumi\.(.+)\.yaml$/, "$1");
    const document = (parse(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
    const rawConfig: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [key, value] of Object.entries(document.config ?? {})) {
        const isSecure = typeof value === "object" && value !== null && "secure" in value;
        rawConfig[key] = isSecure ? "[secret]" : typeof value === "string" ? value : JSON.stringify(value);
        if (isSecure) {
            secretKeys.push(key);
        }
    }
    return { stack, file, rawConfig, secretKeys };
}

/** Every stack file in a directory, sorted by stack name. */
export function listStackFiles(dir: string): StackFile[] {
    return fs
        .readdirSync(dir)
        .filter((name) => /^Pulumi\..+\.yaml$/.test(name))
        .sort()
        .map((name) => readStackFile(path.join(dir, name)));
}

/** The validated configuration of one stack file. */
export function stackConfigOf(stackFile: StackFile): StackConfig {
    return parseStackConfig(stackFile.stack, decodeConfigValues(stackFile.rawConfig), new Set(stackFile.secretKeys));
}
