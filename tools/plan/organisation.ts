// The organisation of a config folder as Pulumi and the deploy see it: the stack folder the project
// file names, every stack file there, the identity stack, and the member stacks its
// `okta-aws:memberStacks` names, each matched to its file. Every problem of every file (the
// project file, each stack file's reading and configuration, the member list) is reported at once,
// so that one stack's mistakes never hide another's.
import * as path from "path";
import { ConfigError, configProblem, projectName, stackName } from "../../components/config";
import { stackReferenceParts } from "../../components/names";
import { readProjectFile } from "./projectFile";
import { readStackFiles, StackFile, stackConfigOf } from "./stackFiles";

/** A member stack: its file, and the `okta-aws:memberStacks` entry that names it. */
interface MemberStackFile {
    file: StackFile;
    /** As `okta-aws:memberStacks` writes it: `sales`, `<org>/sales` or `<org>/okta-aws/sales`. */
    entry: string;
    /** Its place in `okta-aws:memberStacks`. */
    index: number;
}

export interface Organisation {
    /** Where the stack files are: the project's stackConfigDir, or the folder itself. */
    stackDir: string;
    identity: StackFile;
    /** Every member stack, in stack file order. */
    members: MemberStackFile[];
}

const memberStacksKey = `${projectName}:memberStacks`;

/** The stack file that sets `okta-aws:memberStacks` (and is no member): the identity stack. */
function isIdentity(file: StackFile): boolean {
    // A stack that sets both keys is a member the program itself rejects, with its own message.
    return file.rawConfig[memberStacksKey] !== undefined && file.rawConfig[`${projectName}:identityAccountId`] === undefined;
}

/**
 * The member stack entries of the identity stack file that name a member (the program refuses the
 * others itself: malformed names, the identity stack, another project, a second spelling of one).
 */
function memberEntries(identity: StackFile): { listed?: unknown[]; entries: { entry: string; index: number; stack: string }[] } {
    let listed: unknown;
    try {
        listed = JSON.parse(identity.rawConfig[memberStacksKey]);
    } catch {
        return { entries: [] };
    }
    if (!Array.isArray(listed)) {
        return { entries: [] };
    }
    const seen = new Set<string>();
    const entries = listed.flatMap((entry: unknown, index) => {
        if (typeof entry !== "string" || !stackName.safeParse(entry).success) {
            return [];
        }
        const { project, stack } = stackReferenceParts(entry);
        if (stack === identity.stack || (project !== undefined && project !== projectName) || seen.has(stack)) {
            return [];
        }
        seen.add(stack);
        return [{ entry, index, stack }];
    });
    return { listed, entries };
}

/** Reads the organisation in `configDir`; throws ConfigError listing every problem of every file. */
export function readOrganisation(configDir: string): Organisation {
    const problems: string[] = [];
    const collect = (work: () => void) => {
        try {
            work();
        } catch (error) {
            if (!(error instanceof ConfigError)) {
                throw error;
            }
            problems.push(...error.problems);
        }
    };
    let stackDir = configDir;
    collect(() => {
        stackDir = readProjectFile(configDir).stackDir;
    });
    if (stackDir !== configDir) {
        // Pulumi reads the stack folder only: a stack file left beside Pulumi.yaml is one a reviewer reads for nothing.
        for (const stray of readStackFiles(configDir).files) {
            const name = path.basename(stray.file);
            problems.push(
                configProblem(
                    name,
                    "(file)",
                    path.relative(configDir, stackDir),
                    `is not read by Pulumi, which reads the stack files of Pulumi.yaml's stackConfigDir (${path.relative(configDir, path.join(stackDir, name))}): delete it, or move it there`,
                ),
            );
        }
    }
    const { files, problems: unreadable } = readStackFiles(stackDir, configDir);
    problems.push(...unreadable);
    for (const file of files) {
        collect(() => stackConfigOf(file));
    }

    const identities = files.filter(isIdentity);
    if (files.length === 0 && unreadable.length === 0) {
        problems.push(
            configProblem(
                stackDir,
                "(stack files)",
                [],
                "has no Pulumi.<stack>.yaml; --config-dir names the folder of an organisation's stack files",
            ),
        );
    } else if (identities.length > 1 || (identities.length === 0 && unreadable.length === 0)) {
        // With a file unread, it may be the identity stack's: its own problems say enough.
        problems.push(
            configProblem(
                stackDir,
                memberStacksKey,
                identities.length ? identities.map((f) => path.basename(f.file)) : undefined,
                `exactly one stack file, the identity stack's, sets it; ${identities.length ? `${identities.length} do` : "none does"}`,
            ),
        );
    }
    if (identities.length !== 1) {
        throw new ConfigError(problems);
    }

    const [identity] = identities;
    const identityFile = path.basename(identity.file);
    const { listed, entries } = memberEntries(identity);
    const members: MemberStackFile[] = [];
    for (const { entry, index, stack } of entries) {
        const file = files.find((f) => f.stack === stack);
        if (file) {
            members.push({ file, entry, index });
        } else if (!unreadable.some((problem) => problem.startsWith(`Pulumi.${stack}.yaml: `))) {
            problems.push(
                configProblem(
                    identityFile,
                    `${memberStacksKey}[${index}]`,
                    entry,
                    `no Pulumi.${stack}.yaml in ${stackDir}: a member stack is previewed and deployed from its stack file`,
                ),
            );
        }
    }
    // A member file the list leaves out is never deployed and its roles never reach the identity
    // stack: previewing it would count access that does not exist. Most likely it was forgotten.
    for (const file of listed ? files.filter((f) => f !== identity && !entries.some((e) => e.stack === f.stack)) : []) {
        problems.push(
            configProblem(
                identityFile,
                memberStacksKey,
                listed,
                `does not list ${file.stack}, whose Pulumi.${file.stack}.yaml is here: the deploy never deploys an unlisted stack and the identity stack never reads its roles; add "${file.stack}", or delete the file`,
            ),
        );
    }
    // A direct member's SAML provider takes the metadata of the identity stack it names: any other
    // stack (an old or a staging one in the same account) would be trusted unseen, since offline
    // every member is answered with this folder's identity stack.
    for (const { file } of members) {
        // A string value is kept as written (stackFiles.ts); anything else fails the stack name's check.
        const named = file.rawConfig[`${projectName}:identityStack`];
        if (named === undefined || !stackName.safeParse(named).success) {
            continue; // absent or malformed: the member's own checks say so
        }
        const { project, stack } = stackReferenceParts(named);
        if (stack !== identity.stack || (project !== undefined && project !== projectName)) {
            problems.push(
                configProblem(
                    path.basename(file.file),
                    `${projectName}:identityStack`,
                    named,
                    `is not this organisation's identity stack (${identity.stack}, ${identityFile}): a member signed in to directly takes the Okta app metadata of the stack it names, so it must be the one beside it`,
                ),
            );
        }
    }
    if (problems.length > 0) {
        throw new ConfigError(problems);
    }
    return { stackDir, identity, members: members.sort((a, b) => files.indexOf(a.file) - files.indexOf(b.file)) };
}
