// The whole Pulumi program as one function: reads the running stack's configuration (its stack file,
// found from the project folder the Pulumi CLI passes: ./stackFolder.ts), builds the identity or a
// member account, and returns its outputs. This repository's index.ts and a team's own
// configuration repository (`okta-aws new`) call it the same way: `export = program();`.
import { loadStackConfig } from "./config";
import { identityStack } from "./identityStack";
import { memberStack } from "./memberStack";

/** Runs the current stack of the project the Pulumi CLI runs; what it returns is the stack's outputs. */
export function program(): ReturnType<typeof identityStack> | ReturnType<typeof memberStack> {
    const config = loadStackConfig();
    return config.kind === "identity" ? identityStack(config) : memberStack(config);
}
