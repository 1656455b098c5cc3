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
}

/** Reads the live organisation the plan describes. */
export async function readLiveOrganisation(planned: PlannedOrganisation, readers: LiveReaders): Promise<LiveOrganisation> {
    const okta = await readLiveOkta(readers.okta, {
        id: planned.okta.appId,
        label: planned.okta.appLabel,
        otherAppIds: planned.okta.cliAppId ? [planned.okta.cliAppId] : [],
    });
    const accounts = new Map<string, LiveAccount>();
    for (const account of planned.accounts) {
        const credentials = await assumeAuditRole(readers.sts, auditRoleArn(planned.partition, account.accountId, account.auditRoleName));
        const isIdentity = account.kind === "identity";
        const live = await readAwsAccount(readers.iam(credentials), {
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
    }
    return { okta, accounts };
}
