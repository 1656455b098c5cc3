// Which changed paths of a revision are data — their whole effect is in the plan the access diff
// compares, or they have none — by allow-list. Every other path is code: the program, the tools,
// the policy pack, and anything that can make code run (dotfiles such as .npmrc, tsconfig*.json
// whose ts-node options preload scripts, the lock file, the workflows, Pulumi.yaml's runtime
// options, files at the root). A change to code is named at the top of the pull-request comment
// for a human review: the offline diff cannot see what it does for real.
import * as path from "path";
import { policyFolder } from "../../components/config/policyDocuments";
import { readPulumiYaml } from "../../components/pulumiYaml";
import { stackConfigDirOf } from "../../components/stackFolder";

/** One kind of data path, relative to the stack folder (`inStackFolder`) or anywhere, and why it is data. */
interface DataPath {
    readonly what: string;
    readonly inStackFolder: boolean;
    readonly matches: (relative: string) => boolean;
    readonly reason: string;
}

/** The table: a changed path that matches no row is code. */
export const dataPaths: readonly DataPath[] = [
    {
        what: "Pulumi.<stack>.yaml in the stack folder",
        inStackFolder: true,
        matches: (relative) => /^Pulumi\.[A-Za-z0-9_][\w.-]{0,99}\.yaml$/.test(relative),
        reason: "a stack file: the program reads it only as configuration, and the plan shows all it does",
    },
    {
        what: `${policyFolder}/**/*.json in the stack folder`,
        inStackFolder: true,
        matches: (relative) => relative.startsWith(`${policyFolder}/`) && relative.endsWith(".json"),
        reason: "a policy document: read as JSON from the one folder stack files may name (components/config/policyDocuments.ts), and the plan shows each document",
    },
    {
        what: "*.md anywhere",
        inStackFolder: false,
        matches: (relative) => relative.endsWith(".md"),
        reason: "documentation: nothing runs it, and neither the program nor the tools read it",
    },
];

/**
 * The stack folder (relative to the repository, "" for its root) of a revision whose Pulumi.yaml
 * holds `projectFileText` (undefined: none), as Pulumi reads it (components/stackFolder.ts).
 */
export function stackFolderOfProject(projectFileText: string | undefined): string {
    if (projectFileText === undefined) {
        return "";
    }
    const read = readPulumiYaml(projectFileText);
    const project = "value" in read ? read.value : undefined;
    if (typeof project !== "object" || project === null || Array.isArray(project)) {
        return "";
    }
    // Resolved against a stand-in root; a folder Pulumi.yaml may not name leaves the root (and is refused by the preview).
    const root = "/repository";
    return path.posix.relative(
        root,
        stackConfigDirOf(project as Record<string, unknown>, root, () => undefined),
    );
}

/** Whether a changed `file` (a repository path, `/`-separated) is data for a revision whose stack folders are `stackFolders`. */
export function isData(file: string, stackFolders: string[]): boolean {
    return dataPaths.some((row) => {
        if (!row.inStackFolder) {
            return row.matches(file);
        }
        return stackFolders.some((folder) => {
            const relative = folder === "" ? file : file.startsWith(`${folder}/`) ? file.slice(folder.length + 1) : undefined;
            return relative !== undefined && row.matches(relative);
        });
    });
}
