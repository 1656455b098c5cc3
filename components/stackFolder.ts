// The one folder a stack file's relative paths (policy documents) are read from: the stack file's
// own, wherever the program runs. Pulumi reads `Pulumi.<stack>.yaml` from the project folder or
// its `stackConfigDir` (workspace/paths.go `ProjectStackPath`), and runs the program in the project
// folder; the offline tools run it elsewhere. So the program takes the folder from what the Pulumi
// CLI passes it — the project's root directory — and the project file there, never from the
// working directory.
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, configProblem } from "./config/problems";
import { isMapping, readPulumiYaml } from "./pulumiYaml";
import { readRegularFileText, RefusedText } from "./regularFile";

/** The project file's name; Pulumi looks for it first (workspace/paths.go `findProjectInDir`). */
export const projectFileName = "Pulumi.yaml";

/**
 * The project file's other spellings Pulumi reads (encoding.Exts: .yml and .json); the program and
 * the tools read Pulumi.yaml only, so a project with one of these is refused rather than read with
 * a stack folder Pulumi would not use.
 */
const otherProjectFileNames = ["Pulumi.yml", "Pulumi.json"];

/** The problem of a project folder that holds another spelling of the project file, if any. */
export function otherProjectFileProblem(projectFolder: string): string | undefined {
    const other = otherProjectFileNames.find((name) => fs.lstatSync(path.join(projectFolder, name), { throwIfNoEntry: false }));
    return other === undefined
        ? undefined
        : configProblem(
              other,
              "(file)",
              path.join(projectFolder, other),
              `is a project file Pulumi reads, but this program and its tools read ${projectFileName} only (its stackConfigDir decides where the stack files and their policies/ are): rename it to ${projectFileName}`,
          );
}

/** A path that stays inside `folder` once resolved from it, in the form Pulumi joins it. */
export function inside(folder: string, relative: string): string | undefined {
    const resolved = path.join(folder, relative);
    return resolved === folder || resolved.startsWith(`${folder}${path.sep}`) ? resolved : undefined;
}

/**
 * Where Pulumi reads the stack files of a project in `folder` whose Pulumi.yaml holds `project`:
 * its `stackConfigDir` (or `config: <folder>`, the old spelling: workspace/project.go
 * `RewriteConfigPathIntoStackConfigDir`), inside the project folder, or the folder itself.
 * Problems are reported with the key that holds them.
 */
export function stackConfigDirOf(
    project: Record<string, unknown>,
    folder: string,
    report: (key: string, value: unknown, reason: string) => void,
): string {
    const { config, stackConfigDir: setting } = project;
    let stackConfigDir = setting;
    let key = "stackConfigDir";
    if (typeof config === "string") {
        if (setting !== undefined) {
            report("config", config, "Pulumi stops when both config and stackConfigDir name the stack folder; use only stackConfigDir");
        }
        stackConfigDir = config;
        key = setting === undefined ? "config" : key;
    }
    if (stackConfigDir === undefined || stackConfigDir === null || stackConfigDir === "") {
        return folder;
    }
    const resolved = typeof stackConfigDir === "string" ? inside(folder, stackConfigDir) : undefined;
    if (resolved === undefined) {
        report(key, stackConfigDir, "must be a folder inside the project folder: the stack files are part of the project's review");
        return folder;
    }
    return resolved;
}

/**
 * The stack files' folder of the project in `projectFolder`, as the program sees it: its
 * Pulumi.yaml's stack folder. A project folder with no Pulumi.yaml is a folder of stack files alone,
 * which only the offline tools run (the Pulumi CLI needs the file), and holds its own stack files.
 */
function stackFolderOf(projectFolder: string): string {
    const file = path.join(projectFolder, projectFileName);
    const otherSpelling = otherProjectFileProblem(projectFolder);
    if (otherSpelling !== undefined) {
        throw new ConfigError([otherSpelling]);
    }
    if (!fs.lstatSync(file, { throwIfNoEntry: false })) {
        return projectFolder;
    }
    const problems: string[] = [];
    const report = (key: string, value: unknown, reason: string) => problems.push(configProblem(projectFileName, key, value, reason));
    let text: string;
    try {
        text = readRegularFileText(fs.realpathSync(file), "yaml");
    } catch (error) {
        if (error instanceof RefusedText) {
            throw new ConfigError(
                error.refused.map((each) =>
                    configProblem(projectFileName, `line ${each.line} column ${each.column}`, each.excerpt, each.reason),
                ),
            );
        }
        throw error;
    }
    const read = readPulumiYaml(text);
    const project = "value" in read && isMapping(read.value) ? read.value : {};
    const folder = stackConfigDirOf(project, projectFolder, report);
    if (problems.length > 0) {
        throw new ConfigError(problems);
    }
    return folder;
}

/**
 * The folder of this stack's file, from the project root directory the Pulumi CLI passes the
 * program (`--root-directory`, sdk/nodejs `getRootDirectory`); the offline tools pass theirs the
 * same way (tools/mock/sdkInternals.ts).
 */
export function currentStackFolder(): string {
    const root = pulumi.getRootDirectory();
    if (!path.isAbsolute(root)) {
        throw new ConfigError([
            configProblem(
                projectFileName,
                "(project folder)",
                root,
                "was not passed to the program by the Pulumi CLI, and the policy files a stack file names are read from the stack file's folder below it: use the Pulumi CLI docs/deploy.md requires (3.208.0 or later), which passes it",
            ),
        ]);
    }
    return stackFolderOf(root);
}
