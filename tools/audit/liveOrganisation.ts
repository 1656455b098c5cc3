// The live organisation, read once for the audit: Okta's AWS app and who it lets in, and in every
// account of the organisation (the identity account and each member stack's) the roles that are
// the code's or are a way in from outside the account, the code's policies, every SAML and OIDC provider and the
// role-listing user's keys — each account through its own read-only audit role.
import { IAMClient } from "@aws-sdk/client-iam";
import { STSClient } from "@aws-sdk/client-sts";
import { assumeAuditRole, auditRoleArn, LiveAccount, readAwsAccount, RoleCredentials } from "./aws";
import { LiveOkta, readLiveOkta } from "./liveOkta";
import { OktaReader } from "./okta";
import type { PlannedOrganisation } from "./planned";
import { principalsAdmitting, waysIn } from "./trustPaths";
import { plural } from "../shared/numbers";
import type { Progress } from "../shared/progress";

export interface LiveOrganisation {
    okta: LiveOkta;
    /** By account id. */
    accounts: Map<string, LiveAccount>;
}

export interface LiveReaders {
    okta: OktaReader;
    /** The caller's STS client (credentials, region and endpoint from the SDK's chains). */
    sts: STSClient;
    /** An IAM client acting with an account's audit role credentials. */
    iam: (credentials: RoleCredentials) => IAMClient;
    /** Progress lines: Okta's pages read, then each account with the IAM pages read in it (tools/shared/progress.ts). */
    progress?: Progress;
}

/**
 * Counts the answers `iam` reads — each page of a list and each single read (the SDK's paginators
 * send one command per page) — as a middleware around every command it sends.
 */
function countingPages(iam: IAMClient): { pages: number } {
    const counter = { pages: 0 };
    iam.middlewareStack.add(
        (next) => async (args) => {
            const output = await next(args);
            counter.pages++;
            return output;
        },
        { step: "initialize", name: "oktaAwsAuditPageCount" },
    );
    return counter;
}

/** Reads the live organisation the plan describes. */
export async function readLiveOrganisation(planned: PlannedOrganisation, readers: LiveReaders): Promise<LiveOrganisation> {
    const progress = readers.progress ?? (() => undefined);
    progress("reading Okta: the AWS app, who it lets in, its groups and its sign-on policy");
    const okta = await readLiveOkta(readers.okta, {
        id: planned.okta.appId,
        label: planned.okta.appLabel,
        otherAppIds: planned.okta.cliAppId ? [planned.okta.cliAppId] : [],
    });
    progress(`read Okta: ${plural(readers.okta.pagesRead, "page")}`);
    const accounts = new Map<string, LiveAccount>();
    for (const [index, account] of planned.accounts.entries()) {
        const credentials = await assumeAuditRole(readers.sts, auditRoleArn(planned.partition, account.accountId, account.auditRoleName));
        const isIdentity = account.kind === "identity";
        const iam = readers.iam(credentials);
        const counted = countingPages(iam);
        const live = await readAwsAccount(iam, {
            accountId: account.accountId,
            // The code's roles, and every other role that is a way in: its trust admits anyone
            // from outside the account (a federated provider, another account, a service, anyone),
            // or, in the identity account, its own principals — the federated roles among them.
            relevant: (role) =>
                account.roles.has(role.arn) ||
                waysIn(role.trust, account.accountId).length > 0 ||
                (isIdentity && principalsAdmitting(role.trust, account.accountId).length > 0),
            policyArns: [...account.policies.keys()],
            keysOfUser: isIdentity ? planned.roleListingUser?.name : undefined,
            codeUsers: [...account.users.keys()],
        });
        accounts.set(account.accountId, live);
        progress(
            `read account ${account.stack} (${account.accountId}, ${index + 1} of ${planned.accounts.length}): ${plural(counted.pages, "IAM page")}`,
        );
    }
    return { okta, accounts };
}
