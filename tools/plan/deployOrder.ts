// The deploy order of an organisation: every member stack (in parallel, first), then the identity
// stack, which reads their outputs. The member list is the identity stack file's
// `okta-aws:memberStacks`, the one list the deploy and pull-request workflows' matrices come from.
import { readOrganisation } from "./organisation";

/** One stack to deploy: its stack file's name (`sales`) and the name Pulumi selects it by. */
export interface DeployStack {
    /** The stack file `Pulumi.<name>.yaml`; also names the stack's credentials in the workflow. */
    name: string;
    /** As `okta-aws:memberStacks` writes it: `stack`, `org/stack` or `org/project/stack`. */
    stack: string;
}

export interface DeployOrder {
    /** Deployed first, in parallel: nothing reads another member. */
    members: DeployStack[];
    /** Deployed last: it reads every member's outputs. */
    identity: DeployStack;
}

/**
 * The deploy order of the organisation in `configDir`, from the identity stack's own member list
 * (tools/plan/organisation.ts matches each entry to its file, and the program refuses an entry
 * that names the identity stack in any form: the identity stack is never deployed as a member).
 */
export function deployOrder(configDir: string): DeployOrder {
    const { identity, members } = readOrganisation(configDir);
    return {
        members: [...members].sort((a, b) => a.index - b.index).map((m) => ({ name: m.file.stack, stack: m.entry })),
        identity: { name: identity.stack, stack: identity.stack },
    };
}

/** The order as `name=value` lines for $GITHUB_OUTPUT: the deploy workflow's matrix and identity job. */
export function githubOutputLines(order: DeployOrder): string[] {
    return [`members=${JSON.stringify(order.members)}`, `identity=${JSON.stringify(order.identity)}`];
}
