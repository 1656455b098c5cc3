// The one reader of IAM JSON policy documents (permission and trust policies alike): a document's
// statements as typed data — Action or NotAction, Resource or NotResource, Principal or
// NotPrincipal with each principal's form (everyone, AWS, Federated, Service, CanonicalUser) — so
// that the config check, the policy pack, the verification, the access diff's grants and the
// audit's trust paths all read the same elements the same way, and none keeps its own text form.
//
// IAM JSON policy element reference: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html
// (…_statement.html: `Statement` is one statement object or a list of them; …_action.html,
// …_notaction.html, …_resource.html, …_notresource.html: a name or a list of names;
// …_principal.html, …_notprincipal.html: `"*"`, or an object of principal types, each a value or a list).

/** An element that names things (Action, Resource and their Not forms): the names as written, and whether it is the Not form. */
export interface NamesElement {
    /** NotAction / NotResource: everything but these. */
    not: boolean;
    /** The entries as written (strings in a valid document). */
    values: unknown[];
}

/** One principal of a Principal or NotPrincipal element. */
export type Principal =
    /** `"Principal": "*"`: everyone. */
    | { form: "*" }
    /** One value of one principal type (`AWS`, `Federated`, `Service`, `CanonicalUser`, or a type IAM does not know). */
    | { form: "typed"; type: string; value: unknown }
    /** A Principal that is neither `"*"` nor an object of types (not valid IAM): its value as written. */
    | { form: "invalid"; value: unknown };

/** A Principal or NotPrincipal element. */
export interface PrincipalElement {
    /** NotPrincipal: everyone but these. */
    not: boolean;
    /** The principal types it is written with (`*` for everyone), an empty list included. */
    types: string[];
    principals: Principal[];
}

/** One statement object of a document, read. */
export interface IamStatement {
    /** Where it is in the document: `.Statement[1]`, or `.Statement` when the element is one object. */
    at: string;
    /** The statement as written, for messages that quote it. */
    written: Record<string, unknown>;
    effect: unknown;
    /** Action, or NotAction when the statement has one; undefined with neither. */
    actions: NamesElement | undefined;
    /** Resource, or NotResource when the statement has one; undefined with neither. */
    resources: NamesElement | undefined;
    /** Principal, or NotPrincipal when the statement has one; undefined with neither (a permission policy). */
    principal: PrincipalElement | undefined;
    /** The principal types Principal and NotPrincipal are written with, both read (IAM refuses the two together). */
    principalTypes: string[];
    condition: unknown;
}

/** A document's statements, read. */
export interface IamDocument {
    /** The `Statement` element as written. */
    statementElement: unknown;
    /** Whether `Statement` is a list (entries are then `.Statement[i]`). */
    listed: boolean;
    /** The statement objects, in order. */
    statements: IamStatement[];
    /** Entries of `Statement` that are not objects (not valid IAM), where they are. */
    notObjects: { at: string; value: unknown }[];
    /** Every entry of `Statement` in order: where it is, as written, and read when it is a statement object. */
    entries: { at: string; value: unknown; statement: IamStatement | undefined }[];
}

/** A value or a list of values as a list; nothing (undefined) as none. */
const listOf = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** Element `name`, or `not<name>` when the statement has that one (the Not form wins, as every reader read it). */
function namesElement(statement: Record<string, unknown>, name: string, notName: string): NamesElement | undefined {
    if (statement[notName] !== undefined) {
        return { not: true, values: listOf(statement[notName]) };
    }
    return statement[name] === undefined ? undefined : { not: false, values: listOf(statement[name]) };
}

function readPrincipal(not: boolean, value: unknown): PrincipalElement {
    if (value === "*") {
        return { not, types: ["*"], principals: [{ form: "*" }] };
    }
    if (!isObject(value)) {
        return { not, types: [], principals: [{ form: "invalid", value }] };
    }
    return {
        not,
        types: Object.keys(value),
        principals: Object.entries(value).flatMap(([type, values]) =>
            listOf(values).map((v): Principal => ({ form: "typed", type, value: v })),
        ),
    };
}

/** The statements of a JSON policy document (parsed); undefined when it is not an object with a `Statement`. */
export function readIamDocument(document: unknown): IamDocument | undefined {
    if (!isObject(document) || document.Statement === undefined) {
        return undefined;
    }
    const statementElement = document.Statement;
    const listed = Array.isArray(statementElement);
    const entries = listOf(statementElement).map((value, i) => {
        const at = listed ? `.Statement[${i}]` : ".Statement";
        return { at, value, statement: isObject(value) ? readIamStatement(value, at) : undefined };
    });
    return {
        statementElement,
        listed,
        statements: entries.flatMap((entry) => entry.statement ?? []),
        notObjects: entries.filter((entry) => !entry.statement).map(({ at, value }) => ({ at, value })),
        entries,
    };
}

/** One statement object, read; `at` says where it is in its document. */
export function readIamStatement(statement: Record<string, unknown>, at = ".Statement"): IamStatement {
    return {
        at,
        written: statement,
        effect: statement.Effect,
        actions: namesElement(statement, "Action", "NotAction"),
        resources: namesElement(statement, "Resource", "NotResource"),
        principal:
            statement.NotPrincipal !== undefined
                ? readPrincipal(true, statement.NotPrincipal)
                : statement.Principal === undefined
                  ? undefined
                  : readPrincipal(false, statement.Principal),
        principalTypes: [statement.Principal, statement.NotPrincipal].flatMap((element) =>
            element === undefined ? [] : readPrincipal(false, element).types,
        ),
        condition: statement.Condition,
    };
}

/** A name an element holds, as text: a string as it is, anything else (not valid IAM) as its JSON, so it never matches by accident. */
export const nameText = (value: unknown): string => (typeof value === "string" ? value : JSON.stringify(value));

/** A principal as text: `*`, or `<type>:<value>` (`AWS:arn:aws:iam::123456789012:root`). */
export function principalText(principal: Principal): string {
    switch (principal.form) {
        case "*":
            return "*";
        case "typed":
            return `${principal.type}:${nameText(principal.value)}`;
        case "invalid":
            return `?:${nameText(principal.value)}`;
    }
}
