// `npm run vendor:okta-spec -- --spec <management-minimal.yaml>`: vendors, from Okta's published Management
// API specification (github.com/okta/okta-management-openapi-spec, dist/<version>/management-minimal.yaml,
// Apache-2.0), only what the audit reads: the GET operations of tools/audit/okta.ts, their
// parameters, and the schemas their 200 answers use (every `$ref` they reach), with the spec's
// version — into tests/okta-management-spec.json, which the tests hold the Okta test
// server's answers and the audit's requests to.
import * as fs from "fs";
import * as path from "path";
import * as prettier from "prettier";
import { parse } from "yaml";
import { parseFlags, runCommand } from "../shared/commandLine";

/** The paths the audit GETs (tools/audit/okta.ts), as the spec names them. */
const auditPaths = [
    "/api/v1/apps",
    "/api/v1/apps/{appId}",
    "/api/v1/apps/{appId}/users",
    "/api/v1/apps/{appId}/groups",
    "/api/v1/apps/{appId}/sso/saml/metadata",
    "/api/v1/apps/{appId}/credentials/keys",
    "/api/v1/groups",
    "/api/v1/groups/{groupId}",
    "/api/v1/groups/{groupId}/users",
    "/api/v1/users/{id}",
    "/api/v1/policies/{policyId}/rules",
];

type Json = Record<string, unknown>;

/** Every `#/components/<kind>/<name>` reference reached from `value`, followed through `components`. */
function closure(value: unknown, components: Record<string, Json>, found = new Map<string, unknown>()): Map<string, unknown> {
    if (Array.isArray(value)) {
        value.forEach((item) => closure(item, components, found));
    } else if (value && typeof value === "object") {
        for (const [key, item] of Object.entries(value)) {
            if (key === "$ref" && typeof item === "string" && item.startsWith("#/components/") && !found.has(item)) {
                const [, , kind, name] = item.split("/");
                const target = components[kind]?.[name];
                found.set(item, target);
                closure(target, components, found);
            } else {
                closure(item, components, found);
            }
        }
    }
    return found;
}

export async function main(argv: string[]): Promise<number> {
    const usage = "usage: npm run vendor:okta-spec -- --spec <management-minimal.yaml>";
    const file = parseFlags(
        argv,
        {
            spec: {
                type: "string",
                value: "<management-minimal.yaml>",
                description: "Okta's management API spec to vendor from (required)",
            },
        },
        usage,
        "Vendors the parts of Okta's management API spec the audit's test server follows into tests/okta-management-spec.json.",
    ).spec;
    if (!file) {
        throw new Error(usage);
    }
    const spec = parse(fs.readFileSync(file, "utf8")) as { info: { version: string }; paths: Json; components: Record<string, Json> };
    const paths = Object.fromEntries(
        auditPaths.map((p) => {
            const item = spec.paths[p] as Json | undefined;
            if (!item?.get) {
                throw new Error(`${file}: paths: ${p} — no GET operation in the spec`);
            }
            return [p, { parameters: item.parameters, get: item.get }];
        }),
    );
    const components: Record<string, Json> = {};
    for (const [ref, target] of [...closure(paths, spec.components)].sort(([a], [b]) => a.localeCompare(b))) {
        const [, , kind, name] = ref.split("/");
        (components[kind] ??= {})[name] = target;
    }
    const out = path.join(__dirname, "..", "..", "tests", "okta-management-spec.json");
    const vendored = {
        source: "https://github.com/okta/okta-management-openapi-spec (Apache-2.0), management-minimal.yaml",
        version: spec.info.version,
        openapi: "3.0.3",
        paths,
        components,
    };
    // Through the project's Prettier, so that `npm run lint` accepts the file as written.
    const options = await prettier.resolveConfig(out);
    fs.writeFileSync(out, await prettier.format(JSON.stringify(vendored), { ...options, filepath: out }));
    console.log(
        `Wrote ${path.relative(process.cwd(), out)} (${spec.info.version}: ${auditPaths.length} paths, ${Object.values(components).reduce((n, c) => n + Object.keys(c).length, 0)} components)`,
    );
    return 0;
}

if (require.main === module) {
    runCommand(main);
}
