// Okta → AWS SAML federation: reads this stack's configuration, builds the identity or a member
// account, and exports its outputs. The logic lives in components/.
import { loadStackConfig } from "./components/config";
import { identityStack } from "./components/identityStack";
import { memberStack } from "./components/memberStack";

const config = loadStackConfig();

export = config.kind === "identity" ? identityStack(config) : memberStack(config);
