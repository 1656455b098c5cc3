// The Okta ids of the code's objects, from the code's state: the identity stack's outputs
// (`oktaAppId`, `signOnPolicy.policyId`, `oktaObjectIds`), read with `pulumi stack output --json`
// or from a file. The offline plan gives the mock's ids, which no live org has: the audit
// translates each of the plan's ids into the state's by what names it (the app, the policy, a
// group by name, a user by login), so a group or assignment the code made is known by its id and
// a group merely named like one is another group.
import { execFile } from "child_process";
import * as fs from "fs";
import { z } from "zod";
import { configProblem } from "../../components/config/problems";
import { LiveReadError } from "../../components/errors";

/** The Okta ids the identity stack owns. */
export interface CodeOktaIds {
    appId?: string;
    cliAppId?: string;
    signOnPolicyId?: string;
    /** By group name. */
    groups: Record<string, string>;
    /** By login, lower case. */
    users: Record<string, string>;
}

/** What the audit reads of the identity stack's outputs (components/outputs.ts); anything else is ignored. */
const stateOutputs = z.object({
    oktaAppId: z.string(),
    signOnPolicy: z.object({ policyId: z.string().optional() }).optional(),
    oktaObjectIds: z.object({
        cliAppId: z.string().optional(),
        groups: z.record(z.string(), z.string()),
        users: z.record(z.string(), z.string()),
    }),
});

/** The ids of `outputs` (an identity stack's); throws naming `source`, the key and the reason when they are not there. */
export function oktaIdsOf(outputs: unknown, source: string): CodeOktaIds {
    const parsed = stateOutputs.safeParse(outputs);
    if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const key = issue.path.join(".") || "(outputs)";
        const value = issue.path.reduce<unknown>(
            (at, part) => (at && typeof at === "object" ? (at as Record<PropertyKey, unknown>)[part] : undefined),
            outputs,
        );
        throw new LiveReadError(
            configProblem(
                source,
                key,
                value,
                `${issue.message}: the identity stack's outputs must carry the Okta ids it owns (pulumi up the identity stack with this version first)`,
            ),
        );
    }
    const { oktaAppId, signOnPolicy, oktaObjectIds } = parsed.data;
    return {
        appId: oktaAppId,
        cliAppId: oktaObjectIds.cliAppId,
        signOnPolicyId: signOnPolicy?.policyId,
        groups: oktaObjectIds.groups,
        users: Object.fromEntries(Object.entries(oktaObjectIds.users).map(([login, id]) => [login.toLowerCase(), id])),
    };
}

/** Each of the plan's (mock) ids mapped to the state's id of the same object; an id the state does not name maps to undefined. */
export function idTranslation(plan: CodeOktaIds, state: CodeOktaIds): (planId: string) => string | undefined {
    const pairs = new Map<string, string | undefined>();
    const pair = (planId: string | undefined, stateId: string | undefined) => planId !== undefined && pairs.set(planId, stateId);
    pair(plan.appId, state.appId);
    pair(plan.cliAppId, state.cliAppId);
    pair(plan.signOnPolicyId, state.signOnPolicyId);
    for (const [name, id] of Object.entries(plan.groups)) {
        pair(id, state.groups[name]);
    }
    for (const [login, id] of Object.entries(plan.users)) {
        pair(id, state.users[login]);
    }
    return (planId) => pairs.get(planId);
}

/** The ids from a file of `pulumi stack output --json` (the identity stack's). */
export function oktaIdsFromFile(file: string): CodeOktaIds {
    let outputs: unknown;
    try {
        outputs = JSON.parse(fs.readFileSync(file, "utf8")) as unknown;
    } catch (error) {
        throw new LiveReadError(configProblem(file, "(file)", undefined, `not readable as JSON: ${(error as Error).message}`));
    }
    return oktaIdsOf(outputs, file);
}

/** The ids from the identity stack's outputs through the Pulumi CLI (`pulumi stack output --json --stack <stack>`, run in `cwd`). */
export function oktaIdsFromPulumi(stack: string, cwd: string, pulumi = "pulumi"): Promise<CodeOktaIds> {
    return new Promise((resolve, reject) => {
        execFile(pulumi, ["stack", "output", "--json", "--stack", stack], { cwd, maxBuffer: 64 * 1024 * 1024 }, (error, stdout) => {
            if (error) {
                const code = (error as NodeJS.ErrnoException).code;
                reject(
                    new LiveReadError(
                        code === "ENOENT"
                            ? `--identity-outputs: (not set) — the Pulumi CLI is not on PATH: give the identity stack's outputs as a file (pulumi stack output --json --stack ${stack} > FILE)`
                            : `pulumi stack output --json --stack ${stack}: ${error.message.split("\n")[0]}`,
                    ),
                );
                return;
            }
            try {
                resolve(oktaIdsOf(JSON.parse(stdout) as unknown, `pulumi stack output --stack ${stack}`));
            } catch (parseError) {
                reject(
                    parseError instanceof LiveReadError
                        ? parseError
                        : new LiveReadError(`pulumi stack output --json --stack ${stack}: not JSON`),
                );
            }
        });
    });
}
