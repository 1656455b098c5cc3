// The reference tables of docs/, generated from the code that decides them: the configuration keys
// (the zod key schema and its descriptions), the stack outputs (the outputs contract), the policy
// pack's rules (their list in policy/rules.ts) and the Okta API budget of the shipped organisation
// (the budget model). `npm run docs` writes them between their markers; tests/docs.test.ts fails
// when a page and the code disagree.
import { z } from "zod";
import { oktaAwsNamespace } from "../../components/config";
import { outputsJsonSchema } from "../../components/outputs";
import { federationPolicies } from "../../policy/rules";
import type { OktaApiBudget, OktaOperationBudget } from "../plan/model";
import { oktaLimits } from "../plan/oktaBudget";
import { markdownCell } from "./markdown";

/** The part of JSON Schema that zod writes for the project's schemas. */
interface JsonSchema {
    type?: string;
    description?: string;
    default?: unknown;
    const?: unknown;
    enum?: unknown[];
    anyOf?: JsonSchema[];
    properties?: Record<string, JsonSchema>;
    required?: string[];
    items?: JsonSchema;
    additionalProperties?: JsonSchema | boolean;
    minimum?: number;
    maximum?: number;
    minItems?: number;
    maxItems?: number;
}

/** Code in a table cell: a code span, its `|` escaped as GitHub's tables need even there. */
const code = (text: string): string => `\`${text.replace(/\|/g, "\\|")}\``;

const table = (header: string[], rows: string[][]): string =>
    [header, header.map(() => "---"), ...rows].map((cells) => `| ${cells.join(" | ")} |`).join("\n");

const isObject = (schema: JsonSchema): boolean => schema.type === "object" && schema.properties !== undefined;
const isRecord = (schema: JsonSchema): boolean => schema.type === "object" && typeof schema.additionalProperties === "object";

/** A value's kind in a few words: `true or false`, `list of text, at least 1`, `{ name, id? }`. */
function valueText(schema: JsonSchema): string {
    if (schema.const !== undefined) {
        return code(JSON.stringify(schema.const));
    }
    if (schema.enum) {
        return schema.enum.map((value) => code(String(value))).join(" or ");
    }
    if (schema.anyOf) {
        return schema.anyOf.map(valueText).join(", or ");
    }
    switch (schema.type) {
        case "boolean":
            return "true or false";
        case "integer":
        case "number": {
            const range = schema.minimum !== undefined && schema.maximum !== undefined ? ` ${schema.minimum}–${schema.maximum}` : "";
            return `${schema.type === "integer" ? "whole number" : "number"}${range}`;
        }
        case "string":
            return "text";
        case "array": {
            const bounds = [
                schema.minItems !== undefined ? `at least ${schema.minItems}` : "",
                schema.maxItems !== undefined ? `at most ${schema.maxItems}` : "",
            ].filter(Boolean);
            return `list of ${schema.items ? valueText(schema.items) : "values"}${bounds.length > 0 ? `, ${bounds.join(", ")}` : ""}`;
        }
        case "object": {
            if (isObject(schema)) {
                const required = new Set(schema.required ?? []);
                return `{ ${Object.keys(schema.properties!)
                    .map((name) => (required.has(name) ? name : `${name}?`))
                    .join(", ")} }`;
            }
            const values = schema.additionalProperties;
            return typeof values === "object" && Object.keys(values).length > 0 ? `map of text → ${valueText(values)}` : "JSON object";
        }
        default:
            return "any value";
    }
}

interface FieldRow {
    key: string;
    schema: JsonSchema;
    required: boolean;
}

/**
 * Every field under a schema, depth first: `oktaApp`, `oktaApp.label`, …; list entries as
 * `users[].login`, map values as `emergencyRoles.<name>.group`, the object side of a union
 * (`signOnPolicy: false | { … }`) as its fields.
 */
function fieldRows(schema: JsonSchema, prefix: string): FieldRow[] {
    const required = new Set(schema.required ?? []);
    return Object.entries(schema.properties ?? {}).flatMap(([name, field]) => {
        const key = `${prefix}${name}`;
        const nested = [field, ...(field.anyOf ?? [])].flatMap((part): FieldRow[] => {
            if (isObject(part)) {
                return fieldRows(part, `${key}.`);
            }
            if (part.type === "array" && part.items && isObject(part.items)) {
                return fieldRows(part.items, `${key}[].`);
            }
            if (isRecord(part) && isObject(part.additionalProperties as JsonSchema)) {
                return fieldRows(part.additionalProperties as JsonSchema, `${key}.<name>.`);
            }
            return [];
        });
        return [{ key, schema: field, required: required.has(name) }, ...nested];
    });
}

/** A default worth showing: not the empty object an optional section parses from. */
function defaultText(schema: JsonSchema): string {
    const value = schema.default;
    if (value === undefined || (typeof value === "object" && value !== null && Object.keys(value).length === 0)) {
        return "";
    }
    return code(JSON.stringify(value));
}

/**
 * docs/configuration.md's key table: every `okta-aws:` key and field of the key schema
 * (components/config/schema.ts), its values, default and description. A key without a description
 * stops the generation: the schema is where a new key is documented.
 */
export function configurationKeysMarkdown(): string {
    const schema = z.toJSONSchema(oktaAwsNamespace, { io: "input", unrepresentable: "any" }) as JsonSchema;
    const rows = fieldRows(schema, "");
    const undescribed = rows.filter((row) => !row.schema.description).map((row) => row.key);
    if (undescribed.length > 0) {
        throw new Error(
            `components/config/schema.ts: okta-aws:${undescribed.join(", okta-aws:")} — has no description: add .describe("…") to its schema`,
        );
    }
    return table(
        ["key", "value", "default", "what it is"],
        rows.map((row) => [
            code(row.key),
            `${valueText(row.schema)}${row.required ? " (required)" : ""}`,
            defaultText(row.schema),
            markdownCell(row.schema.description!),
        ]),
    );
}

/** An output's value in a stack of the shipped organisation, shortened to a table cell. */
function exampleText(value: unknown): string {
    if (value === undefined) {
        return "";
    }
    const json = JSON.stringify(value);
    return code(json.length > 90 ? `${json.slice(0, 88)}…` : json);
}

/**
 * docs/outputs.md's tables: each stack kind's outputs (components/outputs.ts) with their type,
 * description and the shipped organisation's value (`examples`: the stack kind's outputs); nested
 * fields that carry a description get rows of their own.
 */
export function outputsMarkdown(examples: { member: Record<string, unknown>; identity: Record<string, unknown> }): string {
    const kinds = (outputsJsonSchema().anyOf as JsonSchema[]).map((schema, index) => ({
        schema,
        title: index === 0 ? "Member stacks" : "The identity stack",
        example: index === 0 ? examples.member : examples.identity,
    }));
    return kinds
        .map(({ schema, title, example }) => {
            const rows = fieldRows(schema, "").filter((row) => !row.key.includes(".") || row.schema.description);
            const valueAt = (key: string): unknown => (key.includes(".") ? undefined : example[key]);
            return [
                `**${title}**`,
                "",
                table(
                    ["output", "type", "what it is", "the shipped organisation's value"],
                    rows.map((row) => [
                        code(row.key),
                        `${valueText(row.schema)}${row.required || row.key.includes(".") ? "" : " (not always)"}`,
                        markdownCell(row.schema.description ?? ""),
                        exampleText(valueAt(row.key)),
                    ]),
                ),
            ].join("\n");
        })
        .join("\n\n");
}

/** docs/policy-pack.md's table: every rule of policy/rules.ts, its enforcement and what it enforces. */
export function policyRulesMarkdown(): string {
    return table(
        ["policy", "enforcement", "what it enforces"],
        federationPolicies.map((policy) => [code(policy.name), policy.enforcementLevel, markdownCell(policy.description)]),
    );
}

/** One organisation's budget in the table: its name, and the plan's budget. */
export interface BudgetRow {
    organisation: string;
    budget: OktaApiBudget;
}

function operationCell(op: OktaOperationBudget): string {
    const [slowest] = Object.entries(op.calls)
        .map(([bucket, n]) => ({ bucket, n, limit: oktaLimits.perMinute[bucket as keyof typeof oktaLimits.perMinute] }))
        .sort((a, b) => b.n / b.limit - a.n / a.limit);
    const calls = `${op.total.toLocaleString("en-US")} ${op.total === 1 ? "call" : "calls"}`;
    return slowest
        ? `${calls}, ≥ ${op.minutes} min (${code(slowest.bucket)}: ${slowest.n.toLocaleString("en-US")} at ${slowest.limit}/min)`
        : calls;
}

/** docs/okta-api-budget.md's table: each organisation's calls per operation (tools/plan/oktaBudget.ts). */
export function oktaBudgetMarkdown(rows: BudgetRow[]): string {
    return table(
        ["organisation", "first `pulumi up`", "no-change `pulumi preview`", "`pulumi refresh`"],
        rows.map(({ organisation, budget }) => [
            markdownCell(organisation),
            operationCell(budget.firstUp),
            operationCell(budget.preview),
            operationCell(budget.refresh),
        ]),
    );
}
