// Reads the project file, Pulumi.yaml, for what the Pulumi CLI applies from it to every stack:
// where the stack files are (`stackConfigDir`, modelled), the program it runs (`main`: only the
// program the offline preview runs, index.ts, is accepted) and project-level configuration
// (refused: this tool reads each stack's configuration from its own file).
import * as fs from "fs";
import * as path from "path";
import { ConfigError, configProblem, projectName } from "../../components/config";
import { inside, otherProjectFileProblem, projectFileName, stackConfigDirOf } from "../../components/stackFolder";
import { UnreadableFile } from "../../components/errors";
import { readRegularFile } from "../shared/files";
import { isMapping, readPulumiYaml, yamlPathText } from "../../components/pulumiYaml";

/** This checkout's own project folder: its Pulumi.yaml, package.json and index.ts. */
const projectRoot = path.join(__dirname, "..", "..");

export interface ProjectFile {
    /** The Pulumi.yaml read. */
    file: string;
    /** Where Pulumi reads `Pulumi.<stack>.yaml` from: the project folder or its `stackConfigDir`, else the folder given. */
    stackDir: string;
}

/**
 * The project file that governs the stack files of `configDir`: its own Pulumi.yaml, or, for a
 * folder of stack files alone, the Pulumi.yaml of this project, whose program they run with.
 * Throws ConfigError naming every setting the offline preview cannot follow.
 */
export function readProjectFile(configDir: string): ProjectFile {
    const own = path.join(configDir, projectFileName);
    const file = fs.lstatSync(own, { throwIfNoEntry: false }) ? own : path.join(projectRoot, projectFileName);
    if (file !== own && !fs.existsSync(file)) {
        // The installed package (dist/) has no project file of its own to lend a folder of stack files.
        throw new ConfigError([
            configProblem(
                projectFileName,
                "(file)",
                configDir,
                `has no ${projectFileName}: a configuration repository holds its project file beside the stack files (\`okta-aws new\` writes one)`,
            ),
        ]);
    }
    const folder = path.dirname(file);
    const otherSpelling = otherProjectFileProblem(configDir);
    const problems: string[] = otherSpelling === undefined ? [] : [otherSpelling];
    const report = (key: string, value: unknown, reason: string) => problems.push(configProblem(projectFileName, key, value, reason));
    let project: unknown;
    try {
        const read = readPulumiYaml(readRegularFile(file, { one: "project file", many: "project files", syntax: "yaml" }));
        if ("syntaxError" in read) {
            report(
                read.syntaxError.line ? `line ${read.syntaxError.line.number}` : "(file)",
                read.syntaxError.line?.text,
                read.syntaxError.reason,
            );
        } else {
            read.problems.forEach((problem) => report(yamlPathText(problem.path), problem.value, problem.reason));
            project = read.value;
        }
    } catch (error) {
        if (!(error instanceof UnreadableFile)) {
            throw error;
        }
        error.problems.forEach((each) => report(each.where, each.value, each.reason));
    }
    if (!isMapping(project)) {
        if (problems.length === 0) {
            report("(file)", project, "must be a YAML mapping with the project's name:");
        }
        throw new ConfigError(problems);
    }
    const { name, config, main } = project;
    if (name !== projectName) {
        report(
            "name",
            name,
            `must be ${projectName}: Pulumi namespaces the stack files' bare keys with the project's name, and the program reads ${projectName}:<key>`,
        );
    }

    // A mapping under `config:` is project-level configuration; a string is the old spelling of
    // stackConfigDir, read with it.
    if (isMapping(config)) {
        for (const [key, value] of Object.entries(config)) {
            report(
                `config.${key}`,
                value,
                "is project-level configuration, which Pulumi applies to every stack whose file does not set the key (pkg/workspace/config.go `mergeConfig`); the offline preview and the access diff read each stack's configuration from its own file: set it in the stack files",
            );
        }
    } else if (config !== undefined && config !== null && typeof config !== "string") {
        report("config", config, "must be a mapping of project-level configuration, or a folder (the old spelling of stackConfigDir)");
    }
    const stackDir = stackConfigDirOf(project, folder, report);

    // Pulumi runs `main` (default: the project folder, whose package.json `main` Node then loads).
    const program = programOf(folder, main, report);
    if (program && program.entry !== path.join(folder, "index.ts")) {
        const reason = `makes Pulumi run ${path.relative(folder, program.entry) || "."}, but the offline preview and the access diff run index.ts: their plan would not be what deploys`;
        if (program.packageMain === undefined) {
            report("main", main, `${reason}; remove main`);
        } else {
            problems.push(configProblem("package.json", "main", program.packageMain, `${reason}; set it to index.ts`));
        }
    }
    if (problems.length > 0) {
        throw new ConfigError(problems);
    }
    // A folder of stack files alone is read where it is: the project's stackConfigDir is its own folder's.
    return { file, stackDir: file === own ? stackDir : configDir };
}

/**
 * The program file Pulumi's Node.js host loads for `main`, and the package.json `main` that
 * chose it when `main` is a folder (Node loads a folder's package.json `main`, else its index,
 * trying .js before the .ts the host registers).
 */
function programOf(
    folder: string,
    main: unknown,
    report: (key: string, value: unknown, reason: string) => void,
): { entry: string; packageMain?: string } | undefined {
    if (main !== undefined && main !== null && typeof main !== "string") {
        report("main", main, "must be the program's folder or file");
        return undefined;
    }
    const target = inside(folder, main || ".");
    if (target === undefined) {
        report("main", main, "must be inside the project folder");
        return undefined;
    }
    if (!fs.statSync(target, { throwIfNoEntry: false })?.isDirectory()) {
        return { entry: target };
    }
    let packageMain: unknown;
    try {
        packageMain = (JSON.parse(fs.readFileSync(path.join(target, "package.json"), "utf8")) as { main?: unknown }).main;
    } catch {
        packageMain = undefined; // no package.json: Node loads the folder's index
    }
    if (!main && typeof packageMain !== "string") {
        return undefined; // nothing names another program than the folder's index.ts
    }
    const file = path.join(target, typeof packageMain === "string" ? packageMain : "index");
    const entry =
        [file, `${file}.js`, `${file}.ts`].find((candidate) => fs.statSync(candidate, { throwIfNoEntry: false })?.isFile()) ?? file;
    return { entry, ...(typeof packageMain === "string" && { packageMain }) };
}
