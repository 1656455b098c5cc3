// The deploy order of an organisation: every member stack (in parallel, first), then the identity
// stack, which reads their outputs. The member list is the identity stack file's
// `okta-aws:memberStacks`, the one list the deploy and pull-request workflows' matrices come from.
import * as path from "path";
import { ConfigError, configProblem, IdentityConfig, projectName } from "../../components/config";
import { organisationOf } from "./build";
import { listStackFiles, stackConfigOf } from "./stackFiles";

/** One stack to deploy: its stack file's name (`sales`) and the name Pulumi selects it by. */
export interface DeployStack {
    /** The stack file `Pulumi.<name>.yaml`; also names the stack's credentials in the workflow. */
    name: string;
    /** As `okta-aws:memberStacks` writes it: a bare name of this organisation, or `org/project/stack`. */
    stack: string;
}

export interface DeployOrder {
    /** Deployed first, in parallel: nothing reads another member. */
    members: DeployStack[];
    /** Deployed last: it reads every member's outputs. */
    identity: DeployStack;
}

/** The deploy order of the organisation in `configDir`, from the identity stack's own member list. */
export function deployOrder(configDir: string): DeployOrder {
    const stackFiles = listStackFiles(configDir);
    const { identity } = organisationOf(stackFiles, configDir);
    const config = stackConfigOf(identity) as IdentityConfig;
    const key = `${projectName}:memberStacks`;
    const members = config.memberStacks.map((stack) => ({ name: stack.split("/").pop()!, stack }));
    const missing = members.filter((m) => !stackFiles.some((f) => f.stack === m.name));
    if (missing.length) {
        throw new ConfigError(
            missing.map((m) =>
                configProblem(path.basename(identity.file), key, m.stack, `no Pulumi.${m.name}.yaml in ${configDir} to deploy it from`),
            ),
        );
    }
    return { members, identity: { name: identity.stack, stack: identity.stack } };
}

/** The order as `name=value` lines for $GITHUB_OUTPUT: the deploy workflow's matrix and identity job. */
export function githubOutputLines(order: DeployOrder): string[] {
    return [`members=${JSON.stringify(order.members)}`, `identity=${JSON.stringify(order.identity)}`];
}
