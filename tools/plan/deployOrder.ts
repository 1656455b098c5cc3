// The deploy order of an organisation: every member stack (in parallel, first), then the identity
// stack, which reads their outputs, then once more the members people sign in to directly
// (okta-aws:signIn direct or both), whose SAML providers take the metadata the identity stack now
// exports: so a change of the Okta app's metadata reaches every provider in one deploy
// (docs/topologies.md). The member list is the identity stack file's
// `okta-aws:memberStacks`, the one list the deploy and pull-request workflows' matrices come from.
import type { MemberConfig } from "../../components/config";
import { readOrganisation } from "./organisation";
import { stackConfigOf } from "./stackFiles";

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
    /** Deployed after the members: it reads every member's outputs. */
    identity: DeployStack;
    /**
     * Deployed again after the identity stack, in parallel: the direct members (signIn direct or
     * both), whose SAML providers read the Okta app's metadata from the identity stack's outputs.
     */
    afterIdentity: DeployStack[];
}

/**
 * The deploy order of the organisation in `configDir`, from the identity stack's own member list
 * (tools/plan/organisation.ts matches each entry to its file, and the program refuses an entry
 * that names the identity stack in any form: the identity stack is never deployed as a member).
 */
export function deployOrder(configDir: string): DeployOrder {
    const { identity, members } = readOrganisation(configDir);
    const listed = [...members].sort((a, b) => a.index - b.index);
    const direct = listed.filter((m) => (stackConfigOf(m.file) as MemberConfig).signIn !== "chained");
    return {
        members: listed.map((m) => ({ name: m.file.stack, stack: m.entry })),
        identity: { name: identity.stack, stack: identity.stack },
        afterIdentity: direct.map((m) => ({ name: m.file.stack, stack: m.entry })),
    };
}

/** The order as `name=value` lines for $GITHUB_OUTPUT: the deploy workflow's matrix and identity job. */
export function githubOutputLines(order: DeployOrder): string[] {
    return [
        `members=${JSON.stringify(order.members)}`,
        `identity=${JSON.stringify(order.identity)}`,
        `afterIdentity=${JSON.stringify(order.afterIdentity)}`,
    ];
}
