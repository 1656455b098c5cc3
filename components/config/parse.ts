// Parses a stack's configuration once at start-up: the values as the Pulumi CLI hands them,
// decoded; the `okta-aws:` namespace read as one strict object; then the cross-field checks on its
// typed value. Every problem of a kind is reported at once, naming the stack file, the key and the
// value, before any resource is registered.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { closest, partitionOf } from "../names";
import { isConfigSecret } from "../sdkInternals";
import { currentStackFolder } from "../stackFolder";
import { checkOktaProviderSettings } from "../oktaProviderSettings";
import { oktaOrgDomainOf, parseIdentity } from "./identity";
import { parseMember } from "./member";
import { awsKeys } from "./fields";
import { credentialKeys, providerKeyProblem, providerValueProblem } from "./providerKeys";
import { ConfigError, configKey, ConfigPath, configProblem, notShown, projectName } from "./problems";
import { oktaAwsKeys, oktaAwsNamespace, StackConfig } from "./schema";

/** The config namespaces a stack file may use: the program's own, its providers', and Pulumi's. */
const knownNamespaces = [projectName, "aws", "okta", "pulumi"];

/**
 * The `pulumi:` keys that change nothing the program registers: `pulumi:template`, which
 * `pulumi new` leaves in a stack made from a template (pkg/cmd/pulumi/project/newcmd/config.go).
 * Others (`pulumi:autonaming`, `pulumi:disable-default-providers`) steer the engine.
 */
const pulumiKeysRead = ["template"];

/**
 * Config values as the Pulumi CLI hands them to the program: strings, with structured values
 * (objects, lists, numbers, booleans) JSON-encoded. Decodes them back to plain values.
 */
export function decodeConfigValues(raw: Record<string, string>): Record<string, unknown> {
    const decode = (text: string): unknown => {
        try {
            return /^\s*[[{]/.test(text) || text === "true" || text === "false" ? JSON.parse(text) : text;
        } catch {
            return text;
        }
    };
    // fromEntries defines own properties: a key such as `__proto__` stays a key.
    return Object.fromEntries(Object.entries(raw).map(([key, text]) => [key, decode(text)]));
}

/**
 * Parses and checks a stack's configuration. `values` maps full keys (`okta-aws:account`) to
 * decoded values; `secretKeys` are the keys stored as secrets; policy files are read relative to
 * `stackFolder`, the stack file's folder. Throws ConfigError listing every problem.
 */
export function parseStackConfig(
    stack: string,
    values: Record<string, unknown>,
    secretKeys: ReadonlySet<string>,
    stackFolder: string,
): StackConfig {
    const stackFile = `Pulumi.${stack}.yaml`;
    const problems: string[] = [];
    const report = (key: string, value: unknown, reason: string) => problems.push(configProblem(stackFile, key, value, reason));

    /** Reports a failed parse's issues at `<namespace>:<key><path>`, with the value found there. */
    /** Reports a failed parse's issues at their keys (configKey), with the value found there; `root` holds the namespace's values. */
    const reportIssues = (namespace: string, issues: z.core.$ZodIssue[], root: Record<string, unknown>, at: PropertyKey[] = []) => {
        for (const issue of issues.flatMap(unionBranchIssues)) {
            const path = [...at, ...issue.path];
            const value = path.reduce<unknown>((v, p) => (v as Record<PropertyKey, unknown> | undefined)?.[p], root);
            const reason =
                issue.code === "invalid_type" && value === undefined
                    ? missingReason(path)
                    : issue.code === "unrecognized_keys"
                      ? `unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.join(", ")}`
                      : issue.message;
            report(configKey(path, root, namespace), value, reason);
        }
    };
    const awsValues = Object.fromEntries(
        Object.entries(values)
            .filter(([key]) => key.startsWith("aws:"))
            .map(([key, value]) => [key.slice("aws:".length), value]),
    );
    const readAws = <T>(key: string, schema: z.ZodType<T>): T | undefined => {
        const result = schema.safeParse(awsValues[key]);
        if (!result.success) {
            reportIssues("aws", result.error.issues, awsValues, [key]);
        }
        return result.data;
    };

    for (const key of credentialKeys.filter((k) => values[k] !== undefined && !secretKeys.has(k))) {
        report(
            key,
            notShown,
            `is a credential in clear text: remove it from ${stackFile}, store it with \`pulumi config set --secret ${key} <value> -s ${stack}\`, and rotate it, since it has been in a file`,
        );
    }
    // A provider setting's change leads the access diff, but a secret shows there only as a
    // fingerprint (tools/report/providerTargets.ts): only a credential may be one.
    const notCredentialSecret = `is stored as a secret, but it is no credential: the access diff would show a reviewer only its fingerprint, not where the deploy now goes; set it in clear text (only ${credentialKeys.slice(0, -1).join(", ")} and ${credentialKeys.at(-1)} are secrets)`;
    const isIdentity = values[`${projectName}:memberStacks`] !== undefined;
    const isMember = values[`${projectName}:identityAccountId`] !== undefined;
    for (const key of Object.keys(values)) {
        const [namespace, name] = key.split(":");
        const isProviderKey = namespace === "aws" || namespace === "okta";
        const providerProblem = isProviderKey
            ? (providerKeyProblem(key, isIdentity && !isMember) ??
              (credentialKeys.includes(key) ? undefined : secretKeys.has(key) ? notCredentialSecret : providerValueProblem(values[key])))
            : undefined;
        if (providerProblem) {
            report(key, secretKeys.has(key) || credentialKeys.includes(key) ? notShown : values[key], providerProblem);
            continue;
        }
        if (!knownNamespaces.includes(namespace)) {
            const suggestion = closest(namespace, knownNamespaces);
            report(
                key,
                values[key],
                `is in namespace ${namespace}, which nothing here reads${suggestion ? ` (did you mean ${suggestion}:?)` : ""}: keys are ${knownNamespaces.map((n) => `${n}:`).join(", ")} (the program's, the AWS and Okta providers', Pulumi's)`,
            );
        } else if (namespace === "pulumi" && !pulumiKeysRead.includes(name)) {
            report(
                key,
                values[key],
                "is a Pulumi engine setting (such as pulumi:autonaming or pulumi:disable-default-providers) that changes what the program registers, which the offline preview does not model; remove it",
            );
        }
    }

    const region = readAws("region", awsKeys.region);
    const allowedAccountIds = readAws("allowedAccountIds", awsKeys.allowedAccountIds);
    // fromEntries defines own properties: `okta-aws:__proto__` stays a key, and an unknown one.
    const input = Object.fromEntries(
        Object.entries(values)
            .filter(([key]) => key.startsWith(`${projectName}:`))
            .map(([key, value]) => [key.slice(projectName.length + 1), value]),
    );
    const parsed = oktaAwsNamespace.safeParse(input);
    if (!parsed.success) {
        const unknownKeys = (issue: z.core.$ZodIssue) => (issue.code === "unrecognized_keys" && issue.path.length === 0 ? issue.keys : []);
        for (const key of parsed.error.issues.flatMap(unknownKeys)) {
            // Own keys only: `okta-aws:constructor` or `okta-aws:toString` are typos too.
            report(
                `${projectName}:${key}`,
                input[key],
                `unknown key; the keys are ${Object.keys(oktaAwsKeys)
                    .map((k) => `${projectName}:${k}`)
                    .join(", ")}`,
            );
        }
        const issues = parsed.error.issues.filter((issue) => unknownKeys(issue).length === 0);
        reportIssues(projectName, issues, input);
    }
    const account = oktaAwsKeys.account.safeParse(input.account).data;
    if (account && allowedAccountIds && !allowedAccountIds.includes(account.id)) {
        report(
            "aws:allowedAccountIds",
            allowedAccountIds,
            `must contain the stack's own account id "${account.id}", so it cannot deploy into another account`,
        );
    }

    if (isIdentity === isMember) {
        report(
            `${projectName}:memberStacks`,
            values[`${projectName}:memberStacks`],
            isIdentity
                ? `a stack is either the identity stack (okta-aws:memberStacks) or a member stack (okta-aws:identityAccountId), not both`
                : `set okta-aws:memberStacks for the identity stack, or okta-aws:identityAccountId for a member stack`,
        );
        throw new ConfigError(problems);
    }
    // The cross-field checks read a whole, well-typed namespace: a key that failed its own rules
    // stops the run here, with every such problem.
    if (!parsed.success || region === undefined) {
        throw new ConfigError(problems);
    }
    const namespace = parsed.data;
    const common = {
        stack,
        stackFile,
        region,
        partition: partitionOf(region),
        account: namespace.account,
        adopt: namespace.adopt,
        auditRole: namespace.auditRole,
    };
    const config = isIdentity
        ? parseIdentity(common, namespace, report, oktaOrgDomainOf(values, namespace.oktaCustomDomain, report))
        : parseMember(common, namespace, report, stackFolder);
    if (isIdentity) {
        checkOktaProviderSettings(values, report);
    }
    if (problems.length > 0 || config === undefined) {
        throw new ConfigError(problems);
    }
    return config;
}

/**
 * Why a missing value is refused. A person listed under `users` holds roles of their own, so
 * `samlRoles` is required there; someone who holds roles only through groups belongs in
 * `groups[].members` instead, and must exist in Okta already (docs/configuration.md).
 */
function missingReason(path: ConfigPath): string {
    return path.length === 3 && path[0] === "users" && path[2] === "samlRoles"
        ? "is required: okta-aws:users lists people with roles of their own; a person who holds roles only through groups is not listed here but by login in okta-aws:groups[].members (the person must exist in Okta already)"
        : "is required";
}

/**
 * A value of a union key (`false` or an object, an ARN or a policy entry) that fails only inside
 * the branch it is meant for is reported by that branch's own issues, at their own paths; one that
 * fits no branch at all keeps the union's message.
 */
function unionBranchIssues(issue: z.core.$ZodIssue): z.core.$ZodIssue[] {
    if (issue.code !== "invalid_union") {
        return [issue];
    }
    // A branch the value is not even the type of fails at its root with invalid_type or invalid_value.
    const meant = issue.errors.find(
        (branch) => !branch.every((inner) => inner.path.length === 0 && (inner.code === "invalid_type" || inner.code === "invalid_value")),
    );
    return meant ? meant.flatMap((inner) => unionBranchIssues({ ...inner, path: [...issue.path, ...inner.path] })) : [issue];
}

/**
 * Reads this stack's configuration from the Pulumi runtime (what `index.ts` does); policy files are
 * read from the stack file's folder, found from the project folder the CLI passes (../stackFolder.ts).
 */
export function loadStackConfig(): StackConfig {
    const values = decodeConfigValues(pulumi.runtime.allConfig());
    return parseStackConfig(pulumi.getStack(), values, new Set(Object.keys(values).filter(isConfigSecret)), currentStackFolder());
}
