// The `pulumi import --file` document of a stack that adopts objects built by hand: the same
// objects, ids and names as the program's `import` options, for those who import with the CLI.
//
// The format is pulumi's importFile (pkg/cmd/pulumi/operations/import.go; docs "Bulk Import
// Operations"): `resources` of `type`, `name` (the logical name, unique in the file), `id`,
// `parent` and `version`. A parent is named either in `nameTable` (name → URN of a resource
// already in the stack's state) or as another entry of the file; a stack being adopted has no
// state yet, so each component parent is an entry with `component: true`, which the import creates
// empty (pulumi/pulumi#14467) and the next `pulumi up` fills. The URN the CLI gives each entry is
// the one the program registers (the parent's type, the type, the name), so `pulumi up` afterwards
// finds them in the state.
import * as fs from "fs";
import type { PlannedResource, StackPlan } from "./model";

export interface ImportFileEntry {
    type: string;
    name: string;
    id?: string;
    parent?: string;
    component?: true;
    /** The provider plugin version the program registers with, so the import reads with the same one. */
    version?: string;
}

export interface ImportFile {
    resources: ImportFileEntry[];
}

/** The version of the provider SDK (`@pulumi/aws`, `@pulumi/okta`) that owns a type: its plugin's version. */
function providerVersion(type: string): string {
    const pkg = type.split(":")[0];
    return (JSON.parse(fs.readFileSync(require.resolve(`@pulumi/${pkg}/package.json`), "utf8")) as { version: string }).version;
}

/**
 * The import file of a stack's adopted resources, or `undefined` when it adopts none. Throws when
 * two entries would share a name, since the CLI resolves parents by name.
 */
export function importFileOf(plan: StackPlan, versionOf: (type: string) => string = providerVersion): ImportFile | undefined {
    const adopted = plan.resources.filter((r) => r.import !== undefined);
    if (adopted.length === 0) {
        return undefined;
    }
    const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
    const parentOf = (resource: PlannedResource) => {
        const parent = resource.parent === null ? undefined : byUrn.get(resource.parent);
        return parent && parent.type !== "pulumi:pulumi:Stack" ? parent : undefined;
    };
    const components = new Set<PlannedResource>();
    for (const resource of adopted) {
        for (let parent = parentOf(resource); parent; parent = parentOf(parent)) {
            components.add(parent);
        }
    }
    const entries = [
        ...plan.resources.filter((r) => components.has(r)).map((r) => ({ resource: r, component: true as const })),
        ...adopted.map((r) => ({ resource: r, component: undefined })),
    ].map(({ resource, component }): ImportFileEntry => {
        const parent = parentOf(resource);
        return {
            type: resource.type,
            name: resource.name,
            ...(component ? { component } : { id: resource.import, version: versionOf(resource.type) }),
            ...(parent && { parent: parent.name }),
        };
    });
    const names = new Set<string>();
    for (const entry of entries) {
        if (names.has(entry.name)) {
            throw new Error(`import file: two resources are named ${JSON.stringify(entry.name)}; the CLI resolves parents by name`);
        }
        names.add(entry.name);
    }
    return { resources: entries };
}
