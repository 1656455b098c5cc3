// The provider settings of a stack file whose change the access diff puts first: `okta:orgName`,
// `okta:baseUrl`, `aws:region`, `aws:profile`, `aws:allowedAccountIds`, the credentials — what
// decides where the deploy's credentials go, and which they are. Such a change moves no resource
// in the offline plan (the mock answers every org and account alike), so without this a pull
// request that only edits a stack file could point the deploy at another Okta org as "data".
// By allow-list: the keys below are ordinary to change (each with why); any other key outside the
// project's namespace, known to the program or not, is a provider target.
import { shownPlainly } from "../../components/plainText";
import { naturalOrder } from "../shared/naturalOrder";
import type { Plan } from "../plan/model";

/** Provider settings whose change sends nothing elsewhere: retries, waits and rate-limit shares. */
export const ordinaryProviderChanges: Readonly<Record<string, string>> = {
    "aws:maxRetries": "how often a throttled AWS call is retried; the calls go where they went",
    "aws:forbiddenAccountIds": "can only refuse accounts to the deploy, never add one",
    "okta:backoff": "whether to back off after a rate limit; the calls go where they went",
    "okta:maxApiCapacity": "the share of Okta's rate limits the provider uses",
    "okta:minWaitSeconds": "a wait after a rate limit",
    "okta:maxWaitSeconds": "a wait after a rate limit",
    "okta:maxRetries": "retries before an error",
    "okta:requestTimeout": "seconds per request",
    "okta:parallelism": "concurrent requests within one resource",
};

/** A provider setting of a stack in both plans that changed, and is on no row of ordinaryProviderChanges. */
export interface ProviderTargetChange {
    stack: string;
    /** The stack file, `Pulumi.<stack>.yaml`. */
    file: string;
    key: string;
    /** The value as the stack file gives it (a secret as its fingerprint); undefined: not set. */
    before?: string;
    after?: string;
}

/**
 * Every provider target changed between the plans, by stack and key: a stack in the head only
 * against none (its targets all new); a stack in the base only deploys nothing; a plan written
 * before provider settings were kept has none to compare.
 */
export function providerTargetChanges(base: Plan, head: Plan): ProviderTargetChange[] {
    const changes: ProviderTargetChange[] = [];
    for (const stack of Object.keys(head.stacks).sort(naturalOrder)) {
        // A stack new in the head has every target new: where its credentials go is as much a change.
        const [before, after] = [base.stacks[stack] ? base.stacks[stack].providerSettings : {}, head.stacks[stack].providerSettings];
        if (before === undefined || after === undefined) {
            continue;
        }
        for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
            if (before[key] !== after[key] && !Object.hasOwn(ordinaryProviderChanges, key)) {
                changes.push({ stack, file: `Pulumi.${stack}.yaml`, key, before: before[key], after: after[key] });
            }
        }
    }
    return changes;
}

/**
 * A value as the summary and the comment show it: on its one line, every character that is not
 * visible written as `\uXXXX` (components/plainText.ts). A provider setting the program does not
 * otherwise check (`aws:profile`) is any text YAML can spell, line breaks and escapes included.
 */
export const providerTargetValue = (value: string | undefined): string => (value === undefined ? "(not set)" : shownPlainly(value));

/** `Pulumi.identity.yaml okta:orgName acme → evil`. */
export const providerTargetText = (change: ProviderTargetChange): string =>
    `${change.file} ${change.key} ${providerTargetValue(change.before)} → ${providerTargetValue(change.after)}`;
