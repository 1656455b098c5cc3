// `okta-aws new DIR`: writes a team's own configuration repository — Pulumi.yaml, a one-line
// program that runs the okta-aws package's, package.json pinning the package, the stack files of
// the identity account, the member accounts and the Okta org given (asked for on a terminal when
// a flag is missing), policies/, .gitignore and a README with the next steps. It never overwrites a
// file: one that exists already stops it before anything is written.
import * as fs from "fs";
import * as path from "path";
import * as readline from "readline/promises";
import { accountId, awsKeys, oktaDomains } from "../../components/config/fields";
import { UsageError } from "../../components/errors";
import { parseFlags, runCommand } from "../shared/commandLine";
import { fromShell, makeDirectory, shownFromShell } from "../shared/files";
import { ownPackage } from "../shared/projectFolder";
import { usageLine } from "../shared/invocation";

const usage = usageLine(
    "new",
    "DIR [--identity-account ID] [--members NAME=ID,…] [--okta-org ORG.okta.com] [--region REGION] [--package SPEC]",
);

const flags = {
    "identity-account": { type: "string", value: "ID", description: "the identity account's id (12 digits): people sign in to it" },
    members: {
        type: "string",
        value: "NAME=ID,…",
        description: "the member accounts, each a short lower-case name and its account id, e.g. sales=123456789012,data=210987654321",
    },
    "okta-org": { type: "string", value: "ORG.okta.com", description: "the Okta org's domain, e.g. acme.okta.com (or its https:// URL)" },
    region: { type: "string", value: "REGION", description: "the AWS region of every stack's resources, e.g. eu-west-1" },
    package: {
        type: "string",
        value: "SPEC",
        description:
            "where package.json installs okta-aws from: a tarball (file:…/okta-aws-<version>.tgz, https://…) or a git URL (git+https://, git+ssh://, github:); okta-aws is not on a registry, so a version is refused",
    },
} as const;

/** What the repository is written from: the flags' values, checked. */
interface NewRepository {
    identityAccount: string;
    members: { name: string; id: string }[];
    oktaOrgName: string;
    oktaBaseUrl: string;
    region: string;
    packageSpec: string;
}

type Answers = Partial<Record<"identity-account" | "members" | "okta-org" | "region" | "package", string>>;

/** The questions asked on a terminal for a missing flag. */
const questions: Record<keyof Answers, string> = {
    "identity-account": "Identity account id (12 digits): ",
    members: "Member accounts (name=id, comma-separated, e.g. sales=123456789012,data=210987654321): ",
    "okta-org": "Okta org domain (e.g. acme.okta.com): ",
    region: "AWS region (e.g. eu-west-1): ",
    package: "okta-aws package to install (file:…/okta-aws-<version>.tgz or a git URL): ",
};

/**
 * The package specs npm installs from a named place (npm-package-arg's `file`, `remote` and `git`
 * types: https://docs.npmjs.com/cli/v11/configuring-npm/package-json#dependencies). okta-aws is not
 * published, so a version, range, tag or `npm:` alias would install whatever package of that name a
 * registry serves: a dependency-confusion hole, refused.
 */
const packageSpecPattern = /^(file:\S+|https:\/\/\S+\.tgz|git\+(https|ssh):\/\/\S+|github:\S+)$/;

/** A short lower-case account name, as okta-aws:account.name takes it (components/config/schema.ts). */
const accountNamePattern = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** The identity stack's name and account name; no member may take it. */
const identityName = "identity";

const zodReason = (result: { success: boolean; error?: { issues: { message: string }[] } }) =>
    result.success ? undefined : result.error!.issues.map((issue) => issue.message).join("; ");

/** The checked values of the answers, or every problem at once in the one message format. */
function checkAnswers(answers: Required<Answers>): NewRepository {
    const problems: string[] = [];
    const problem = (flag: string, value: string, reason: string) => problems.push(`--${flag}: ${JSON.stringify(value)} — ${reason}`);
    const idReason = (id: string) => zodReason(accountId.safeParse(id));
    const identityReason = idReason(answers["identity-account"]);
    if (identityReason) {
        problem("identity-account", answers["identity-account"], identityReason);
    }
    const members = answers.members
        .split(",")
        .map((entry) => entry.trim())
        .filter((entry) => entry !== "")
        .map((entry) => {
            const [name, id = ""] = entry.split("=").map((part) => part.trim());
            if (!accountNamePattern.test(name)) {
                problem(
                    "members",
                    entry,
                    "the name must be a short lower-case name (a-z 0-9 -): it names the member's stack and its resources",
                );
            } else if (name === identityName) {
                problem(
                    "members",
                    entry,
                    `"${identityName}" is the identity stack's name: name the member account after its team or purpose`,
                );
            }
            const reason = idReason(id);
            if (reason) {
                problem("members", entry, `the account id ${reason}`);
            } else if (id === answers["identity-account"]) {
                problem("members", entry, "is the identity account: a member account is another AWS account, reached by switching role");
            }
            return { name, id };
        });
    if (members.length === 0) {
        problem("members", answers.members, "must name at least one member account as NAME=ID");
    }
    for (const duplicate of new Set(members.map((m) => m.name).filter((name, i, all) => all.indexOf(name) !== i))) {
        problem("members", duplicate, "is named twice: each member account is a stack of its own");
    }
    const org = answers["okta-org"].replace(/^https:\/\//, "").replace(/\/$/, "");
    const [oktaOrgName, ...rest] = org.split(".");
    const oktaBaseUrl = rest.join(".");
    if (!/^[a-z0-9][a-z0-9-]*$/i.test(oktaOrgName) || !oktaDomains.includes(oktaBaseUrl)) {
        problem(
            "okta-org",
            answers["okta-org"],
            `must be the org's Okta domain, <org>.<one of ${oktaDomains.join(", ")}> (e.g. acme.okta.com): the Okta API token goes there`,
        );
    }
    const regionReason = zodReason(awsKeys.region.safeParse(answers.region));
    if (regionReason) {
        problem("region", answers.region, regionReason);
    }
    if (!packageSpecPattern.test(answers.package)) {
        problem(
            "package",
            answers.package,
            "must name where okta-aws comes from: a tarball (file:…/okta-aws-<version>.tgz, https://….tgz) or a git URL (git+https://, git+ssh://, github:); okta-aws is not on a registry, so a version would install whatever package of that name a registry serves",
        );
    }
    if (problems.length > 0) {
        throw new UsageError(
            `okta-aws new: ${problems.length === 1 ? "1 problem" : `${problems.length} problems`}:\n${problems.map((p) => `  ${p}`).join("\n")}\n${usage}\nFAILED: nothing was written; correct the values above`,
        );
    }
    return {
        identityAccount: answers["identity-account"],
        members,
        oktaOrgName,
        oktaBaseUrl,
        region: answers.region,
        packageSpec: answers.package,
    };
}

/** A member's label: its name with each part capitalised (data-lake → DataLake); it starts its federated role names. */
const labelOf = (name: string) =>
    name
        .split("-")
        .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
        .join("");

/** The name of the repository's own package: the folder's name, never okta-aws itself. */
function packageNameOf(dir: string): string {
    const name = path
        .basename(dir)
        .toLowerCase()
        .replace(/[^a-z0-9._-]+/g, "-")
        .replace(/^[._-]+/, "");
    return name === "" || name === ownPackage.name ? `${ownPackage.name}-config` : name;
}

/** The repository's dev dependencies, at the ranges okta-aws itself is developed with. */
const scaffoldDevDependencies = ["@cloud-copilot/iam-simulate", "ts-node", "typescript"];

/**
 * Where the scaffold's README links the package's documentation: the installed package's docs/
 * (package.json `files` ships it), so the links resolve in the repository once `npm install` has
 * run, whatever version is pinned; the project has no published documentation site to link instead.
 */
const packageDocs = "node_modules/okta-aws/docs";

/** The pages a team's README links, with their subjects. */
const scaffoldDocs: [page: string, title: string][] = [
    ["package.md", "Your own organisation: the okta-aws package"],
    ["configuration.md", "Every key of a stack file"],
    ["member-roles.md", "Member roles: their own policies and a boundary"],
    ["preview.md", "The offline preview and what it writes"],
    ["access-diff.md", "Reviewing a change: the access diff"],
    ["deploy.md", "Deploying, and each account's credentials"],
    ["audit.md", "Auditing the live organisation"],
    ["allow-lists.md", "What a stack file may hold, and what the review calls data"],
];

/** The files of the repository, by path relative to it: what `okta-aws new` writes, nothing else. */
function repositoryFiles(dir: string, repository: NewRepository): Record<string, string> {
    const { identityAccount, members, oktaOrgName, oktaBaseUrl, region, packageSpec } = repository;
    const memberStackFiles = Object.fromEntries(
        members.map(({ name, id }) => [
            `Pulumi.${name}.yaml`,
            [
                `# Member stack: the ${labelOf(name)} account. Deploy before the identity stack.`,
                "config:",
                `  aws:region: ${region}`,
                `  aws:allowedAccountIds: ["${id}"]`,
                `  okta-aws:account: { name: ${name}, label: ${labelOf(name)}, id: "${id}" }`,
                `  okta-aws:identityAccountId: "${identityAccount}"`,
                "  # The roles people switch into from the identity account (node_modules/okta-aws/docs/member-roles.md);",
                `  # each gets a federated role ${labelOf(name)}-<role> in the identity account.`,
                "  okta-aws:crossAccountRoles:",
                "    - name: ReadOnly",
                "      managedPolicies: [ReadOnlyAccess]",
                "",
            ].join("\n"),
        ]),
    );
    return {
        "Pulumi.yaml": [
            "# The okta-aws project: the okta-aws package's program (index.ts) with this repository's stack files.",
            "# The name is the stack files' key namespace (okta-aws:<key>); keep it.",
            "name: okta-aws",
            "description: Okta → AWS SAML federation (okta-aws), one stack per AWS account",
            "runtime:",
            "  name: nodejs",
            "  options:",
            "    typescript: true",
            "",
        ].join("\n"),
        "index.ts": [
            "// The okta-aws program, run with this repository's stack files (Pulumi.<stack>.yaml).",
            'import { program } from "okta-aws";',
            "",
            "export = program();",
            "",
        ].join("\n"),
        "package.json": `${JSON.stringify(
            {
                name: packageNameOf(dir),
                private: true,
                description: "Our Okta → AWS federation: stack files and policies for the okta-aws package",
                scripts: {
                    preview: "okta-aws preview",
                    verify: "okta-aws verify",
                    "access-diff": "okta-aws access-diff",
                    deploy: "okta-aws deploy",
                    audit: "okta-aws audit",
                },
                dependencies: { [ownPackage.name]: packageSpec },
                // What the Pulumi CLI compiles index.ts with (its Node.js host loads the project's own),
                // and the verification's IAM simulator, which okta-aws does not ship (AGPL-3.0-or-later).
                devDependencies: Object.fromEntries(scaffoldDevDependencies.map((name) => [name, ownPackage.devDependencies[name]])),
            },
            null,
            4,
        )}\n`,
        "tsconfig.json": `${JSON.stringify(
            {
                compilerOptions: {
                    strict: true,
                    target: "es2022",
                    module: "commonjs",
                    moduleResolution: "node",
                    esModuleInterop: true,
                    skipLibCheck: true,
                },
                files: ["index.ts"],
            },
            null,
            4,
        )}\n`,
        [`Pulumi.${identityName}.yaml`]: [
            "# Identity stack: people sign in to this account through Okta. Deploy last; it reads the member stacks' outputs.",
            "# The Okta API token is not kept here: set OKTA_API_TOKEN (or `pulumi config set --secret okta:apiToken`).",
            "config:",
            `  aws:region: ${region}`,
            `  aws:allowedAccountIds: ["${identityAccount}"]`,
            `  okta:orgName: ${oktaOrgName}`,
            `  okta:baseUrl: ${oktaBaseUrl}`,
            `  okta-aws:account: { name: ${identityName}, label: Identity, id: "${identityAccount}" }`,
            `  okta-aws:memberStacks: [${members.map((m) => m.name).join(", ")}]`,
            "  okta-aws:samlProviderName: Okta",
            "  # rolesImported: set to true, with id: <the stack output oktaAppId>, once the app's API integration has imported the roles",
            '  okta-aws:oktaApp: { label: Amazon Web Services, sessionDuration: 3600, loginUrl: "https://console.aws.amazon.com/", rolesImported: false }',
            "  okta-aws:oktaSsoUser: { name: OktaSSO }",
            "  # People, each with the federated roles (<Label>-<role>) they may take; groups give roles to their members.",
            "  okta-aws:users: []",
            "  okta-aws:groups: []",
            "",
        ].join("\n"),
        ...memberStackFiles,
        "policies/README.md": [
            "# Policy documents",
            "",
            "IAM policy documents (JSON) that a member stack's `crossAccountRoles[].policies` names, by a path",
            "relative to the stack file (`policies/<name>.json`). The access diff reads them as data.",
            "",
        ].join("\n"),
        ".gitignore": ["out/", "node_modules/", ""].join("\n"),
        "README.md": [
            "# Okta → AWS federation",
            "",
            `Our identity account (${identityAccount}) and member accounts (${members.map((m) => `${m.name} ${m.id}`).join(", ")}), federated`,
            `with the Okta org ${oktaOrgName}.${oktaBaseUrl} by the okta-aws package (${packageSpec}).`,
            "This repository holds only configuration: the stack files (`Pulumi.<stack>.yaml`), the policy",
            "documents they name (`policies/`) and the package's version, pinned in `package-lock.json`.",
            "",
            "## Next steps",
            "",
            "1. `npm install` — installs okta-aws and writes `package-lock.json`; commit both. The dev",
            "   dependencies are TypeScript for the Pulumi CLI and the IAM simulator the offline verification",
            "   uses (@cloud-copilot/iam-simulate, AGPL-3.0-or-later: okta-aws itself does not ship it).",
            "2. Add people and groups to `Pulumi.identity.yaml` and roles to the member stack files.",
            "3. `npx okta-aws preview` — the offline preview: what would deploy, who can reach what, the",
            "   policy pack's verdicts, every sign-in verified; nothing is sent to AWS or Okta. Files in `out/`.",
            "4. Commit, and review each change with `npx okta-aws access-diff --base <ref>`: what it does to",
            "   access, built with the tools of the base revision's okta-aws; an upgrade of the package shows",
            "   as a change of code (the lock file).",
            "5. `npx okta-aws deploy --dry-run` prints the `pulumi up` commands in deploy order (members, then",
            "   identity); `npx okta-aws deploy` runs them here with the Pulumi CLI and each account's credentials.",
            "",
            "Every command describes its flags with `--help`.",
            "",
            "## Documentation",
            "",
            "The okta-aws package carries its documentation; once `npm install` has run, these links open it:",
            "",
            ...scaffoldDocs.map(([page, title]) => `- [${title}](${packageDocs}/${page})`),
            "",
        ].join("\n"),
    };
}

/** The positional DIR and the flags of `argv` apart: DIR is the one argument that is neither a flag nor a flag's value. */
function splitDirectory(argv: string[]): { dir?: string; rest: string[] } {
    const rest: string[] = [];
    const positional: string[] = [];
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (!arg.startsWith("-")) {
            positional.push(arg);
            continue;
        }
        rest.push(arg);
        const name = arg.replace(/^--?/, "");
        if (!arg.includes("=") && Object.hasOwn(flags, name) && i + 1 < argv.length) {
            rest.push(argv[++i]);
        }
    }
    if (positional.length > 1) {
        throw new UsageError(`one DIR, not ${positional.length} (${positional.join(", ")})\n${usage}`);
    }
    return { dir: positional[0], rest };
}

/** Asks one question and returns the answer typed. */
type Ask = (question: string) => Promise<string>;

/** Asks on this process's terminal; undefined when stdin or stdout is not a terminal (nobody to ask). */
function terminalAsk(): Ask | undefined {
    if (!process.stdin.isTTY || !process.stdout.isTTY) {
        return undefined;
    }
    return async (question) => {
        const terminal = readline.createInterface({ input: process.stdin, output: process.stdout });
        try {
            return await terminal.question(question);
        } finally {
            terminal.close();
        }
    };
}

/** `ask` asks for a missing value (default: on the terminal, when there is one). */
export async function main(argv: string[], ask: Ask | undefined = terminalAsk()): Promise<number> {
    const { dir: dirArgument, rest } = splitDirectory(argv);
    const values = parseFlags(
        rest,
        flags,
        usage,
        "Writes a configuration repository of your own organisation into DIR (created if missing): Pulumi.yaml, a one-line index.ts that runs the okta-aws package's program, package.json pinning the package, the stack files of the accounts and the Okta org given, policies/, .gitignore and a README with the next steps. A missing flag is asked for on a terminal. It never overwrites a file. Exit 1 on a missing or bad value, or a file that exists.",
    );
    if (dirArgument === undefined) {
        throw new UsageError(`${usage}\nFAILED: DIR is required: the folder to write the repository into`);
    }
    const dir = fromShell(dirArgument);
    const given: Answers = {
        "identity-account": values["identity-account"],
        members: values.members,
        "okta-org": values["okta-org"],
        region: values.region,
        package: values.package,
    };
    const missing = (Object.keys(questions) as (keyof Answers)[]).filter((key) => given[key] === undefined);
    if (missing.length > 0) {
        if (ask === undefined) {
            throw new UsageError(
                `${usage}\nFAILED: ${missing.map((key) => `--${key}`).join(", ")} missing, and there is no terminal to ask on: give ${missing.length === 1 ? "it" : "them"} as flags`,
            );
        }
        for (const key of missing) {
            given[key] = (await ask(questions[key])).trim();
        }
    }
    const repository = checkAnswers(given as Required<Answers>);
    const files = repositoryFiles(dir, repository);
    const existing = Object.keys(files).filter((file) => fs.lstatSync(path.join(dir, file), { throwIfNoEntry: false }));
    if (existing.length > 0) {
        throw new UsageError(
            `FAILED: ${existing.map((file) => shownFromShell(path.join(dir, file))).join(", ")} ${existing.length === 1 ? "exists" : "exist"} already; okta-aws new never overwrites a file: choose an empty folder, or move ${existing.length === 1 ? "it" : "them"} away`,
        );
    }
    for (const [file, content] of Object.entries(files)) {
        makeDirectory(path.dirname(path.join(dir, file)));
        // `wx`: a file that appeared meanwhile is not overwritten either.
        fs.writeFileSync(path.join(dir, file), content, { flag: "wx" });
    }
    const shown = shownFromShell(dir);
    console.log(
        [
            `Wrote ${shown}: ${Object.keys(files).join(", ")}`,
            "Next:",
            `  cd ${shown} && git init && npm install`,
            "  npx okta-aws preview",
            "  git add -A && git commit -m 'Our okta-aws configuration'",
            "  npx okta-aws access-diff --base HEAD    (after a change: what it does to access)",
            "  npx okta-aws deploy --dry-run",
        ].join("\n"),
    );
    return 0;
}

if (require.main === module) {
    runCommand(main);
}
