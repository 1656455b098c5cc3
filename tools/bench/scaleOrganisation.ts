// Generated organisations of a chosen size, for the scale benchmark: member stacks `acct1..N`, each
// with roles `Role1..R` (one AWS managed policy each); people with two SAML roles each; team groups
// with three SAML roles and a few members each; optionally a share of the member accounts on direct
// sign-in (`okta-aws:signIn: direct`, which needs group mapping). Deterministic: the same size and
// share give the same files.
import * as fs from "fs";
import * as path from "path";
import { stringify } from "yaml";

export interface OrganisationSize {
    accounts: number;
    rolesPerAccount: number;
    people: number;
    groups: number;
    /** Members per team group, taken from the people in turn. */
    membersPerGroup: number;
}

/** The sizes the benchmark measures (issue 10): small, medium and the target organisation. */
export const scaleSizes: Record<"S" | "M" | "L", OrganisationSize> = {
    S: { accounts: 5, rolesPerAccount: 4, people: 50, groups: 5, membersPerGroup: 10 },
    M: { accounts: 20, rolesPerAccount: 10, people: 1000, groups: 50, membersPerGroup: 10 },
    L: { accounts: 50, rolesPerAccount: 20, people: 5000, groups: 200, membersPerGroup: 10 },
};

const identityAccountId = "200000000000";
// Managed policies the verification has documents for (tools/verification/managedPolicies).
const policies = [
    "AmazonEC2FullAccess",
    "AmazonS3FullAccess",
    "AmazonEC2ReadOnlyAccess",
    "AmazonS3ReadOnlyAccess",
    "AmazonAthenaFullAccess",
];

const accountId = (account: number) => String(300000000000 + account);
const federatedRoleName = (index: number, size: OrganisationSize) =>
    `Acct${Math.floor(index / size.rolesPerAccount) + 1}-Role${(index % size.rolesPerAccount) + 1}`;
const login = (person: number) => `person${person + 1}@example.com`;

/**
 * Whether member account `account` (1-based) of `accounts` signs in directly when `directShare` of
 * them do: spread evenly (a share of one half makes every second account direct), so direct and
 * chained accounts alike hold roles of people, groups and the first accounts the console shows.
 */
function isDirectAccount(account: number, directShare: number): boolean {
    return Math.floor(account * directShare) > Math.floor((account - 1) * directShare);
}

/**
 * The stack files of an organisation of `size`: file name → YAML text. With a `directShare` above
 * zero, that share of the member accounts is on direct sign-in and the app uses group mapping
 * (direct sign-in requires it); an `oktaApp` in another mode is refused.
 */
export function scaleOrganisation(size: OrganisationSize, oktaApp?: Record<string, unknown>, directShare = 0): Record<string, string> {
    if (!(directShare >= 0 && directShare <= 1)) {
        throw new RangeError(`directShare: ${directShare} is not a share between 0 and 1`);
    }
    if (directShare > 0 && oktaApp !== undefined && oktaApp.roleAssignment !== "groupMapping") {
        throw new RangeError(
            `directShare: ${directShare} needs roleAssignment groupMapping (direct sign-in is Okta's group mapping), not ${JSON.stringify(oktaApp.roleAssignment)}`,
        );
    }
    const app = directShare > 0 ? { roleAssignment: "groupMapping", ...oktaApp } : oktaApp;
    const files: Record<string, string> = {};
    const yamlFile = (comment: string, config: Record<string, unknown>) => `# ${comment}\n${stringify({ config }, { lineWidth: 0 })}`;
    for (let a = 1; a <= size.accounts; a++) {
        files[`Pulumi.acct${a}.yaml`] = yamlFile(`Generated member stack ${a} of ${size.accounts}.`, {
            "aws:region": "us-east-1",
            "aws:allowedAccountIds": [accountId(a)],
            "okta-aws:account": { name: `acct${a}`, label: `Acct${a}`, id: accountId(a) },
            "okta-aws:identityAccountId": identityAccountId,
            ...(isDirectAccount(a, directShare) && { "okta-aws:signIn": "direct", "okta-aws:identityStack": "identity" }),
            "okta-aws:crossAccountRoles": Array.from({ length: size.rolesPerAccount }, (_, r) => ({
                name: `Role${r + 1}`,
                managedPolicies: [policies[(a + r) % policies.length]],
            })),
        });
    }
    const roleCount = size.accounts * size.rolesPerAccount;
    files["Pulumi.identity.yaml"] = yamlFile("Generated identity stack.", {
        "aws:region": "us-east-1",
        "aws:allowedAccountIds": [identityAccountId],
        "okta:orgName": "scale",
        "okta:baseUrl": "okta.com",
        "okta-aws:account": { name: "identity", label: "Identity", id: identityAccountId },
        "okta-aws:memberStacks": Array.from({ length: size.accounts }, (_, a) => `acct${a + 1}`),
        "okta-aws:cliApp": { enabled: true },
        ...(app && { "okta-aws:oktaApp": app }),
        "okta-aws:users": Array.from({ length: size.people }, (_, p) => ({
            login: login(p),
            firstName: "Person",
            lastName: String(p + 1),
            samlRoles: [federatedRoleName((2 * p) % roleCount, size), federatedRoleName((2 * p + 1) % roleCount, size)],
        })),
        "okta-aws:groups": Array.from({ length: size.groups }, (_, g) => ({
            name: `team-${g + 1}`,
            samlRoles: [0, 1, 2].map((k) => federatedRoleName((3 * g + k) % roleCount, size)),
            members: Array.from({ length: size.membersPerGroup }, (_, m) => login((g * size.membersPerGroup + m) % size.people)),
        })),
    });
    return files;
}

/** `--direct-share`, as `npm run scale-organisation` and `npm run bench -- --scale` take it. */
export const directShareFlag = {
    type: "string",
    value: "SHARE",
    description: "the share of member accounts on direct sign-in, 0 to 1 (default 0; above 0 needs groupMapping)",
} as const;

/** `--direct-share`'s value as a share (0 when absent); a message naming the flag when it is none. */
export function directShareOf(value: string | undefined): number | string {
    if (value === undefined) {
        return 0;
    }
    const share = /^(0|1|0?\.\d+|1\.0+)$/.test(value) ? Number(value) : NaN;
    return share >= 0 && share <= 1
        ? share
        : `--direct-share: ${JSON.stringify(value)} is not a share between 0 and 1 (0.5: every second member account)`;
}

/**
 * `okta-aws:oktaApp` of a deployed organisation in `roleAssignment` mode: the roles imported, and so
 * the app named by its id, which the program requires once rolesImported is true.
 */
export function deployedApp(roleAssignment: string): Record<string, unknown> {
    return { roleAssignment, rolesImported: true, id: "0oa1scaleorgaws000a7" };
}

/** Writes an organisation's stack files into `dir` (created if needed); how many it wrote. */
export function writeScaleOrganisation(dir: string, size: OrganisationSize, oktaApp?: Record<string, unknown>, directShare = 0): number {
    fs.mkdirSync(dir, { recursive: true });
    const files = Object.entries(scaleOrganisation(size, oktaApp, directShare));
    for (const [name, text] of files) {
        fs.writeFileSync(path.join(dir, name), text);
    }
    return files.length;
}
