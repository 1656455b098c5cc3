// The Okta test server is the project's own, so the audit would be tested against our idea of Okta:
// this test holds both sides to Okta's published Management API specification (the paths and
// schemas the audit uses, vendored with the spec's version by `npm run vendor:okta-spec`): every
// request the audit makes names a path and query parameters the spec declares for a GET (enum
// values included), and every JSON answer the test server gives is valid against the operation's
// 200 response schema.
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { expect } from "chai";
import { defaultGroupFilter } from "../components/groupFilter";
import * as fs from "fs";
import * as path from "path";
import { readLiveOkta } from "../tools/audit/liveOkta";
import { OktaReader } from "../tools/audit/okta";
import { plannedOrganisation } from "../tools/audit/planned";
import { buildPlan } from "../tools/plan/build";
import { projectRoot } from "./harness";
import { seedOktaFromPlan } from "./oktaRehearsal";
import { startOktaServer, TestOktaOrg } from "./servers/okta";

interface Parameter {
    name: string;
    in: string;
    schema?: { enum?: string[]; type?: string };
    $ref?: string;
}
interface Operation {
    operationId: string;
    parameters?: Parameter[];
    responses: Record<string, { content?: Record<string, { schema?: object }> }>;
}
interface VendoredSpec {
    version: string;
    paths: Record<string, { parameters?: Parameter[]; get: Operation }>;
    components: { parameters?: Record<string, Parameter> };
}

const spec = JSON.parse(fs.readFileSync(path.join(projectRoot, "tests/okta-management-spec.json"), "utf8")) as VendoredSpec;
const token = "00spec-token";

/** The spec's operation for a request path, by its path template (`{appId}` one segment). */
function operationOf(pathname: string): { template: string; parameters: Parameter[]; operation: Operation } | undefined {
    for (const [template, item] of Object.entries(spec.paths)) {
        const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`);
        if (pattern.test(pathname)) {
            const resolve = (p: Parameter) => (p.$ref ? spec.components.parameters![p.$ref.split("/").pop()!] : p);
            return { template, parameters: [...(item.parameters ?? []), ...(item.get.parameters ?? [])].map(resolve), operation: item.get };
        }
    }
    return undefined;
}

describe(`audit against Okta's published Management API specification (okta-management-openapi-spec ${spec.version})`, function () {
    this.timeout(60000);

    it("every request of the audit is a GET the spec declares, with its query parameters; every JSON answer of the test server fits the spec's 200 schema", async () => {
        const plan = await buildPlan(path.join(projectRoot, "tests/fixtures/initech"));
        const org = new TestOktaOrg();
        seedOktaFromPlan(org, plan);
        // Another AWS app with a clone of the key and a group assigned: every kind of list has items.
        const appId = [...org.apps.values()].find((app) => app.name === "amazon_aws")!.id;
        // With group mapping, so that the audit reads every group of the org too.
        const legacy = org.addApp({
            id: "0oa0legacy0000000001",
            name: "amazon_aws",
            label: "AWS (legacy)",
            settings: { useGroupMapping: true, appFilter: "okta", groupFilter: defaultGroupFilter },
            metadata: "",
        });
        org.cloneSigningKey(appId, legacy);
        const group = org.addGroup({ name: "legacy-admins", type: "APP_GROUP" });
        org.addMember(group, org.addUser({ login: "mallory@initech.example" }));
        org.assignGroup(legacy, group, { priority: 1, profile: { role: null, samlRoles: ["Payments-Deployers"] } });
        const server = await startOktaServer(org, { token, pageSize: 2 });
        try {
            const planned = plannedOrganisation(plan);
            await readLiveOkta(new OktaReader({ orgUrl: server.url, token }), {
                id: planned.okta.appId,
                label: planned.okta.appLabel,
                otherAppIds: planned.okta.cliAppId ? [planned.okta.cliAppId] : [],
            });
            const requests = [...server.requests];
            expect(requests.length).to.be.greaterThan(10);

            const ajv = new Ajv({ strict: false, allErrors: true });
            addFormats(ajv);
            ajv.addSchema({ ...spec, $id: "okta-management" });
            const problems: string[] = [];
            const operations = new Set<string>();
            for (const request of requests) {
                const url = new URL(request.url, server.url);
                const found = operationOf(url.pathname);
                if (!found || request.method !== "GET") {
                    problems.push(`${request.method} ${url.pathname}: no GET operation of the spec`);
                    continue;
                }
                operations.add(found.operation.operationId);
                for (const [name, value] of url.searchParams) {
                    const parameter = found.parameters.find((p) => p.in === "query" && p.name === name);
                    if (!parameter) {
                        problems.push(`${found.operation.operationId}: query parameter ${name} is not the spec's`);
                    } else if (parameter.schema?.enum && !parameter.schema.enum.includes(value)) {
                        problems.push(`${found.operation.operationId}: ${name}=${value} is none of ${parameter.schema.enum.join(", ")}`);
                    }
                }
                const response = await fetch(url, { headers: { Authorization: `SSWS ${token}`, Accept: "application/json" } });
                const content = found.operation.responses["200"]?.content ?? {};
                const type = (response.headers.get("content-type") ?? "").split(";")[0];
                if (!(type in content)) {
                    problems.push(`${found.operation.operationId}: answered ${type}, the spec says ${Object.keys(content).join(", ")}`);
                    continue;
                }
                if (type !== "application/json") {
                    continue;
                }
                const pointer = `okta-management#/paths/${found.template.replace(/~/g, "~0").replace(/\//g, "~1")}/get/responses/200/content/application~1json/schema`;
                const validate = ajv.getSchema(pointer) ?? ajv.compile({ $ref: pointer });
                if (!validate(await response.json())) {
                    problems.push(
                        `${found.operation.operationId} ${url.pathname}: ${ajv.errorsText(validate.errors, { separator: "; " })}`,
                    );
                }
            }
            expect(problems).to.deep.equal([]);
            expect([...operations].sort()).to.deep.equal([
                "getApplication",
                "getGroup",
                "listApplicationGroupAssignments",
                "listApplicationKeys",
                "listApplicationUsers",
                "listApplications",
                "listGroupUsers",
                "listGroups",
                "listPolicyRules",
                "previewSAMLmetadataForApplication",
            ]);
        } finally {
            await server.stop();
        }
    });
});
