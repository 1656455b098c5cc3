// Field rules: what AWS and Okta accept in one value (IAM names, account ids, Okta logins and ids,
// regions, URLs, durations), each with the reason a person reads when a value breaks it.
import { Region } from "@pulumi/aws/types/enums";
import { z } from "zod";
import { awsSessionNameLimit } from "../awsSignInLimits";
import { awsManagedPolicyPaths, closest, iamNameCharacter, partitionOf } from "../names";
import { plainLineProblem } from "../plainText";

const iamNameChars = "A-Z a-z 0-9 + = , . @ _ -";

/** A name of IAM's characters, of `min`–`max` of them. */
const iamName = (max: number, what: string, min = 1) =>
    z.string().regex(new RegExp(`^${iamNameCharacter}{${min},${max}}$`), `must be ${min}–${max} characters of ${iamNameChars} (${what})`);

/** An Okta object id: the 3-character prefix of its kind and 17 letters and digits (`00u…`, `0oa…`). */
export const oktaId = (prefix: string) => `${prefix}[A-Za-z0-9]{17}`;

export const accountId = z
    .string({
        error: (issue) =>
            typeof issue.input === "number"
                ? "must be a quoted string of 12 digits: YAML reads an unquoted number and drops leading zeros"
                : "must be a string of exactly 12 digits",
    })
    .regex(/^\d{12}$/, "must be a string of exactly 12 digits");

export const iamRoleName = iamName(64, "IAM role names");
export const iamUserName = iamName(64, "IAM user names");
export const iamPolicyName = iamName(128, "IAM policy names");
export const samlProviderName = z
    .string()
    .regex(/^[\w.-]{1,128}$/, "must be 1–128 characters of A-Z a-z 0-9 . _ - (IAM SAML provider names)");
/** An IAM principal that may be trusted to assume a role: an account's root, a role or a user, by ARN. */
export const iamPrincipalArn = z
    .string()
    .regex(
        new RegExp(`^arn:aws:iam::\\d{12}:(root|(role|user)/(${iamNameCharacter}+/)*${iamNameCharacter}{1,64})$`),
        "must be the ARN of an account root, a role or a user in the aws partition (arn:aws:iam::<account>:role/<name>)",
    );
export const accountLabel = z
    .string()
    .regex(new RegExp(`^${iamNameCharacter}{1,32}$`), `must be 1–32 characters of ${iamNameChars}: it starts every federated role name`);
export const managedPolicy = z.string().superRefine((policy, ctx) => {
    if (policy.startsWith("arn:")) {
        const arn = new RegExp(`^arn:([a-z-]+):iam::(aws|\\d{12}):policy/(${iamNameCharacter}+/)*${iamNameCharacter}{1,128}$`).exec(policy);
        if (!arn) {
            ctx.addIssue({ code: "custom", message: "is not a valid IAM policy ARN (arn:aws:iam::<account or aws>:policy/<path/>name)" });
        } else if (arn[1] !== supportedPartition) {
            // IAM cannot attach a policy of another partition; the verification could not judge it either.
            ctx.addIssue({ code: "custom", message: `is in partition ${arn[1]}; the stack's partition is ${supportedPartition}` });
        }
    } else if (!(policy in awsManagedPolicyPaths)) {
        const suggestion = closest(policy, Object.keys(awsManagedPolicyPaths));
        ctx.addIssue({
            code: "custom",
            message: `is not an AWS managed policy name${suggestion ? ` (did you mean "${suggestion}"?)` : ""}; give any other policy as its full ARN`,
        });
    }
});
// Okta logins are e-mail-like user names (https://developer.okta.com/docs/reference/api/users/#default-profile-properties).
// The characters are also what AWS accepts in a session name, which keeps every login safe in a
// file name, an INI file and a Markdown table.
export const oktaLogin = z.string().superRefine((login, ctx) => {
    const fail = (message: string) => ctx.addIssue({ code: "custom", message });
    const unplain = plainLineProblem(login);
    if (unplain) {
        fail(unplain);
    } else if (!new RegExp(`^${iamNameCharacter}*$`).test(login)) {
        fail("may hold only A-Z a-z 0-9 + = , . @ _ - (the characters AWS accepts in RoleSessionName and SourceIdentity)");
    } else if (login.startsWith(".") || login.includes("..")) {
        fail("may not start with a dot or hold two dots in a row (Okta logins are e-mail-like)");
    } else if (!/^[^@]+@[^@]+\.[^@.]+$/.test(login)) {
        fail("must be an e-mail-like Okta login (name@example.com)");
    } else if (login.length > awsSessionNameLimit) {
        fail(
            `has ${login.length} characters; AWS takes the login as RoleSessionName (and as SourceIdentity where the app sends it), which allow at most ${awsSessionNameLimit} (IAM User Guide, "Configure SAML assertions for the authentication response")`,
        );
    }
});
/** Free text that reaches Okta, reports and tables: one line of plain characters (components/plainText.ts). */
export const oneLine = (max: number, what: string) =>
    z
        .string()
        .min(1, "may not be empty")
        .max(max, `must be at most ${max} characters (${what})`)
        .superRefine((text, ctx) => {
            const unplain = plainLineProblem(text);
            if (unplain) {
                ctx.addIssue({ code: "custom", message: unplain });
            }
        });
export const personName = oneLine(50, "Okta profile names");
// Adoption imports by Okta ids, so a malformed one stops here rather than at the import.
export const oktaObjectId = (prefix: string, what: string) =>
    z
        .string()
        .regex(
            new RegExp(`^${oktaId(prefix)}$`),
            `must be the ${what}'s Okta id: ${prefix} and 17 letters and digits, as in the Admin Console's URL`,
        );
export const iamDescription = z
    .string()
    .max(1000, "must be at most 1000 characters (IAM role descriptions)")
    .regex(/^[\t\n\r\x20-\x7E\xA1-\xFF]*$/, "has characters IAM does not accept in a description");
// Pulumi names: letters, digits, `_`, `.` and `-`; no part may start with a dot, so `..` cannot
// climb out of a path built from a stack name.
export const stackName = z
    .string()
    .regex(
        /^\w[\w.-]{0,99}(\/\w[\w.-]{0,99}){0,2}$/,
        "must be a stack name: `stack`, `org/stack` or `org/project/stack`, each part starting with a letter, digit or _",
    );
export const sessionDuration = (min: number, what: string) =>
    z
        .number({ error: "must be a number of seconds" })
        .int("must be a whole number of seconds")
        .min(min, `must be ${min}–43200 seconds (${what})`)
        .max(43200, `must be ${min}–43200 seconds (${what})`);

/**
 * An ISO 8601 duration of hours, minutes and seconds (`PT12H`, `PT30M`, `PT0S`), as Okta's policy
 * rules take `reAuthenticationFrequency` ("Use the ISO 8601 Period format", okta.AppSignonPolicyRule).
 */
export const isoDuration = z
    .string()
    .regex(/^PT(?=\d)(\d+H)?(\d+M)?(\d+S)?$/, "must be an ISO 8601 duration of hours, minutes or seconds, such as PT12H or PT30M");

/** Seconds of an `isoDuration`. */
export function isoDurationSeconds(duration: string): number {
    const [, h = "0", m = "0", s = "0"] = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(duration) ?? [];
    return Number(h) * 3600 + Number(m) * 60 + Number(s);
}

/**
 * The regions AWS has, as @pulumi/aws lists them (its `Region` enum, types/enums), so a typo or an
 * invented region stops the program instead of reaching the provider.
 */
const knownRegions: readonly string[] = Object.values(Region);

/** The partition this program builds for: its SAML audience, sign-in, switch-role and console URLs. */
const supportedPartition = "aws";

/**
 * The Okta domains an org lives under (Okta's "Allow access to Okta IP addresses", required Okta
 * domains: https://help.okta.com/oie/en-us/content/topics/security/ip-address-allow-listing.htm).
 * okta-aws-cli users send their Okta credentials to `<okta:orgName>.<okta:baseUrl>`.
 */
export const oktaDomains = ["okta.com", "oktapreview.com", "okta-emea.com", "okta-gov.com", "okta.mil"];

/** Where the Okta AWS app may send people after sign-in: the console of the commercial partition. */
export function isAwsConsoleUrl(text: string): boolean {
    let url: URL;
    try {
        url = new URL(text);
    } catch {
        return false;
    }
    return (
        url.protocol === "https:" &&
        url.username === "" &&
        url.password === "" &&
        url.port === "" &&
        /^([a-z]{2}(-[a-z]+)+-\d\.)?console\.aws\.amazon\.com$/.test(url.hostname)
    );
}

export const awsKeys = {
    region: z.string({ error: "must be an AWS region such as us-east-1" }).superRefine((region, ctx) => {
        if (!knownRegions.includes(region)) {
            const suggestion = closest(region, [...knownRegions]);
            ctx.addIssue({
                code: "custom",
                message: `is not an AWS region${suggestion ? ` (did you mean "${suggestion}"?)` : " such as us-east-1"}; the known regions are @pulumi/aws's Region list`,
            });
        } else if (partitionOf(region) !== supportedPartition) {
            ctx.addIssue({
                code: "custom",
                message: `is in the ${partitionOf(region)} partition, which this program does not support: its SAML audience, sign-in, switch-role and console URLs and the Okta app's AWS environment are those of the commercial partition (aws)`,
            });
        }
    }),
    allowedAccountIds: z.array(accountId).min(1, "must list the stack's own account id"),
};
