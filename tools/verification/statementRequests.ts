// What one statement of a permission policy is about, as requests IAM would evaluate: the IAM
// service reference (../../components/iamCatalogue.ts) says which resource types an action applies
// to, and a request names a concrete resource of such a type that the statement's `Resource`
// matches. An action that applies to none of the statement's resources grants nothing there; that
// is a finding, never a request IAM would not evaluate (iam-simulate refuses those, as AWS never
// authorises them).
import { IamAction, iamActionsMatching, iamActionsOf, iamPatternRegex } from "../../components/iamCatalogue";
import { IamStatement, NamesElement, nameText, readIamStatement } from "../../components/iamDocument";

/** The session a request is made in: what IAM substitutes for policy variables and puts in the request context. */
export interface SessionValues {
    partition: string;
    accountId: string;
    region: string;
    /** `aws:userid` of an assumed-role session: `<role unique id>:<session name>`. */
    userId: string;
    /** `aws:SourceIdentity`, when the sign-in sets one. */
    sourceIdentity?: string;
    /** `aws:PrincipalTag/<key>`: the session's tags. */
    principalTags: Record<string, string>;
}

export interface Statement {
    Sid?: string;
    Effect?: string;
    Action?: string | string[];
    NotAction?: string | string[];
    Resource?: string | string[];
    NotResource?: string | string[];
    Condition?: Record<string, Record<string, unknown>>;
}

/** One request a statement is about. */
interface StatementRequest {
    action: string;
    resource: string;
}

export interface StatementAnalysis {
    requests: StatementRequest[];
    /** Why an action or resource of the statement grants nothing, one sentence each. */
    grantsNothing: string[];
}

/** The names an element holds (none without it), as text. */
const names = (element: NamesElement | undefined): string[] => (element?.values ?? []).map(nameText);

export const asList = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

// Services a `NotAction` statement (or `Action: "*"`) is probed in: common ones, each with
// resource types of its own, in a fixed order.
const probeServices = ["s3", "ec2", "iam", "lambda", "dynamodb", "kms", "logs", "sqs", "sns", "secretsmanager", "ssm", "cloudformation"];

// A pattern matching many actions is checked with a few of them, one per access level in this
// order, the first by name of each that applies to the statement's resources.
const accessLevels = ["Read", "List", "Write", "Permissions management, Write", "Tagging, Write"];
const actionsPerPattern = 3;

/** Policy variables with the session's values (IAM User Guide, "IAM policy elements: Variables and tags"); undefined when one has none. */
function resolveVariables(text: string, session: SessionValues): string | undefined {
    let unresolved = false;
    const resolved = text.replace(/\$\{([^}]*)\}/g, (whole, name: string) => {
        const key = name.toLowerCase();
        const value =
            key === "*" || key === "?" || key === "$"
                ? name
                : key === "aws:userid"
                  ? session.userId
                  : key === "aws:principalaccount"
                    ? session.accountId
                    : key === "aws:requestedregion"
                      ? session.region
                      : key === "aws:principaltype"
                        ? "AssumedRole"
                        : key === "aws:sourceidentity"
                          ? session.sourceIdentity
                          : key.startsWith("aws:principaltag/")
                            ? Object.entries(session.principalTags).find(([tag]) => tag.toLowerCase() === key.slice(17))?.[1]
                            : undefined;
        if (value === undefined) {
            unresolved = true;
        }
        return value ?? whole;
    });
    return unresolved ? undefined : resolved;
}

/** A wildcard of the ARN's first five segments stays within its segment; in the resource part it spans `:` and `/`. */
type PatternToken = { kind: "literal"; char: string } | { kind: "star"; spansColon: boolean } | { kind: "one"; spansColon: boolean };
type TemplateToken = { kind: "literal"; char: string } | { kind: "var"; name: string; last: boolean };

function patternTokens(pattern: string): PatternToken[] {
    let colons = pattern.startsWith("arn:") ? 0 : 5;
    return [...pattern].map((char) => {
        const spansColon = colons >= 5;
        if (char === ":") colons++;
        return char === "*" ? { kind: "star", spansColon } : char === "?" ? { kind: "one", spansColon } : { kind: "literal", char };
    });
}

/** The template as a regular expression: each variable one name, the last possibly a path. */
function templateRegex(tokens: TemplateToken[]): RegExp {
    const body = tokens
        .map((t) =>
            t.kind === "literal"
                ? t.char.replace(/[.+^${}()|[\]\\*?]/g, "\\$&")
                : `[^${varAccepts(t, ":") ? "" : ":"}${varAccepts(t, "/") ? "" : "/"}]+`,
        )
        .join("");
    return new RegExp(`^${body}$`, "is");
}

/** The statement's pattern with its wildcards filled as a person would name a resource: the session's region and account, a name elsewhere. */
function filledPattern(pattern: string, session: SessionValues): string {
    const segments = pattern.split(":");
    const fill = (segment: string, value: string) => segment.replace(/\*/g, value).replace(/\?/g, "x");
    if (!pattern.startsWith("arn:") || segments.length < 6) return fill(pattern, "okta-aws-verification");
    const [arn, partition, service, region, account, ...resource] = segments;
    return [
        arn,
        fill(partition, session.partition),
        service,
        fill(region, session.region),
        fill(account, session.accountId),
        fill(resource.join(":"), "okta-aws-verification"),
    ].join(":");
}

function templateTokens(template: string, partition: string): TemplateToken[] {
    const tokens: TemplateToken[] = [];
    const parts = template.replace(/\$\{Partition\}/g, partition).split(/(\$\{[^}]+\})/);
    parts.forEach((part, i) => {
        if (part.startsWith("${")) {
            tokens.push({ kind: "var", name: part.slice(2, -1), last: parts.slice(i + 1).every((rest) => rest === "") });
        } else {
            [...part].forEach((char) => tokens.push({ kind: "literal", char }));
        }
    });
    return tokens;
}

/**
 * A variable of a resource type's ARN template stands for one name: no `:` in it unless it ends
 * the ARN, no `/` unless it ends the ARN or names a path (an object key, a log group, an IAM path)
 * — and never in a bucket name (Amazon S3 User Guide, "Bucket naming rules").
 */
const pathVariable = /(WithPath|ObjectName|LogGroupName|ParameterNameWithoutLeadingSlash)$/;
function varAccepts(token: { name: string; last: boolean }, char: string): boolean {
    if (char === ":") return token.last;
    if (char === "/") return !/BucketName$/.test(token.name) && (token.last || pathVariable.test(token.name));
    return true;
}

/** The text a wildcard of the statement stands for where the template has a variable. */
function filler(name: string, session: SessionValues): string {
    return name === "Region" ? session.region : name === "Account" ? session.accountId : "okta-aws-verification";
}

/**
 * A concrete ARN that both the statement's resource pattern (`*` any run, `?` one character)
 * and the resource type's ARN template describe: the shortest, with the session's region and
 * account where both are free. Undefined when the two describe no common ARN.
 */
function commonResource(pattern: string, template: string, session: SessionValues): string | undefined {
    const key = JSON.stringify([pattern, template, session.partition, session.region, session.accountId]);
    if (!commonResources.has(key)) {
        commonResources.set(key, searchCommonResource(pattern, template, session));
    }
    return commonResources.get(key);
}

const commonResources = new Map<string, string | undefined>();

function searchCommonResource(pattern: string, template: string, session: SessionValues): string | undefined {
    const p = patternTokens(pattern);
    const t = templateTokens(template, session.partition);
    const filled = filledPattern(pattern, session);
    if (templateRegex(t).test(filled)) {
        return filled;
    }
    // States (i, j, open): positions in both, and whether the template variable at j has text yet.
    const key = (i: number, j: number, open: boolean) => `${i},${j},${open ? 1 : 0}`;
    const seen = new Map<string, { from?: string; text: string }>();
    const queue: [number, number, boolean][] = [[0, 0, false]];
    seen.set(key(0, 0, false), { text: "" });
    while (queue.length > 0) {
        const [i, j, open] = queue.shift()!;
        const here = key(i, j, open);
        if (i === p.length && j === t.length) {
            const text: string[] = [];
            for (let at: string | undefined = here; at !== undefined; at = seen.get(at)!.from) {
                text.unshift(seen.get(at)!.text);
            }
            return text.join("");
        }
        const next: [number, number, boolean, string][] = [];
        const pt = p[i];
        const tt = t[j];
        if (pt?.kind === "star") next.push([i + 1, j, open, ""]);
        if (tt?.kind === "var" && open) next.push([i, j + 1, false, ""]);
        if (pt && tt) {
            const wildcardTakes = (char: string) => pt.kind !== "literal" && (pt.spansColon || char !== ":");
            if (tt.kind === "literal") {
                if (pt.kind === "star" && wildcardTakes(tt.char)) next.push([i, j + 1, false, tt.char]);
                else if (
                    (pt.kind === "one" && wildcardTakes(tt.char)) ||
                    (pt.kind === "literal" && pt.char.toLowerCase() === tt.char.toLowerCase())
                )
                    next.push([i + 1, j + 1, false, tt.char]);
            } else if (pt.kind === "star") {
                next.push([i, j, true, filler(tt.name, session)]);
            } else if (pt.kind === "one") {
                next.push([i + 1, j, true, "x"]);
            } else if (varAccepts(tt, pt.char)) {
                next.push([i + 1, j, true, pt.char]);
            }
        }
        for (const [ni, nj, nopen, text] of next) {
            const k = key(ni, nj, nopen);
            if (!seen.has(k)) {
                seen.set(k, { from: here, text });
                queue.push([ni, nj, nopen]);
            }
        }
    }
    return undefined;
}

/** Whether an IAM resource pattern matches a concrete resource (wildcards span `:` and `/`). */
const resourceMatches = (pattern: string, resource: string) => iamPatternRegex(pattern).test(resource);

/**
 * The resource a request for `action` names under the statement, or why there is none: the first
 * of the statement's resources (in its order) that is of a resource type the action applies to;
 * an action that takes no resource is asked on `*`, which only `Resource: "*"` grants.
 */
function requestResource(action: IamAction, statement: IamStatement, session: SessionValues): { resource: string } | { not: string } {
    const notResources = statement.resources?.not ? names(statement.resources) : [];
    if (action.resourceArns.length === 0) {
        const resources = statement.resources?.not ? [] : names(statement.resources);
        if (resources.includes("*") || (statement.resources?.not && !notResources.includes("*"))) {
            return { resource: "*" };
        }
        return { not: `${action.name} takes "*" only (it applies to no resource type), not ${resources.join(", ")}` };
    }
    if (statement.resources?.not) {
        const excluded = notResources.map((r) => resolveVariables(r, session)).filter((r) => r !== undefined);
        for (const template of action.resourceArns) {
            const resource = commonResource("*", template, session);
            if (resource && !excluded.some((pattern) => resourceMatches(pattern, resource))) {
                return { resource };
            }
        }
        return { not: `${action.name} applies to ${action.resourceTypes.join(", ")}, all in NotResource ${notResources.join(", ")}` };
    }
    const unresolved: string[] = [];
    for (const written of names(statement.resources)) {
        const pattern = resolveVariables(written, session);
        if (pattern === undefined) {
            unresolved.push(written);
            continue;
        }
        for (const template of action.resourceArns) {
            const resource = commonResource(pattern, template, session);
            if (resource !== undefined) {
                return { resource };
            }
        }
    }
    const others = names(statement.resources).filter((r) => !unresolved.includes(r));
    return {
        not: [
            ...(others.length > 0 ? [`${action.name} applies to ${action.resourceTypes.join(", ")}, not ${others.join(", ")}`] : []),
            ...unresolved.map((r) => `${r} names a policy variable a federated session has no value for`),
        ].join("; "),
    };
}

/** The actions a statement's `Action` (or, for `NotAction`, the probe services' actions it leaves out) stands for, grouped by written entry. */
function actionGroups(statement: IamStatement): { pattern: string; explicit: boolean; actions: IamAction[] }[] {
    if (statement.actions?.not) {
        const excluded = names(statement.actions);
        const excludedNames = new Set(excluded.flatMap((pattern) => iamActionsMatching(pattern).map((a) => a.name)));
        const left = probeServices.flatMap((service) => iamActionsOf(service) ?? []).filter((action) => !excludedNames.has(action.name));
        return [{ pattern: `NotAction ${excluded.join(", ")}`, explicit: false, actions: left }];
    }
    return names(statement.actions).map((pattern) => {
        const explicit = pattern !== "*" && !/[*?]/.test(pattern);
        const actions = pattern === "*" ? probeServices.flatMap((service) => iamActionsOf(service) ?? []) : iamActionsMatching(pattern);
        return { pattern, explicit, actions };
    });
}

/**
 * The requests a statement is about, with a finding for each of its actions that grants nothing
 * where it says. An action it names is asked on its first applicable resource; a pattern (`s3:Get*`,
 * `*`, `NotAction`) is asked with a few of its actions, one per access level, that apply.
 */
export function statementRequests(written: Statement, session: SessionValues): StatementAnalysis {
    const statement = readIamStatement({ ...written });
    const requests: StatementRequest[] = [];
    const grantsNothing: string[] = [];
    const seen = new Set<string>();
    const add = (action: string, resource: string) => {
        if (!seen.has(action)) {
            seen.add(action);
            requests.push({ action, resource });
        }
    };
    for (const group of actionGroups(statement)) {
        if (group.explicit) {
            const [action] = group.actions;
            if (!action) {
                // Refused in the team's own documents (components/config/policyDocuments.ts); AWS's own may name retired actions.
                grantsNothing.push(`${group.pattern} is not an action of the IAM service reference`);
                continue;
            }
            const found = requestResource(action, statement, session);
            if ("resource" in found) add(action.name, found.resource);
            else grantsNothing.push(found.not);
            continue;
        }
        const chosen = new Map<string, { action: string; resource: string }>();
        for (const action of group.actions) {
            const level = accessLevels.includes(action.accessLevel) ? action.accessLevel : "Write";
            if (chosen.has(level) || seen.has(action.name)) continue;
            const found = requestResource(action, statement, session);
            if ("resource" in found) chosen.set(level, { action: action.name, resource: found.resource });
            if (accessLevels.filter((l) => chosen.has(l)).length >= actionsPerPattern) break;
        }
        const picked = accessLevels.flatMap((level) => chosen.get(level) ?? []).slice(0, actionsPerPattern);
        picked.forEach((r) => add(r.action, r.resource));
        if (picked.length === 0) {
            grantsNothing.push(`no action of ${group.pattern} applies to ${names(statement.resources).join(", ")}`);
        }
    }
    return { requests, grantsNothing: [...new Set(grantsNothing)] };
}
