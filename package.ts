// What the okta-aws npm package exports (package.json `main`/`types`): the program a configuration
// repository runs (`export = program();`, what `okta-aws new` writes), and the components with
// their documented Args, for teams who compose them in a Pulumi program of their own. The command,
// `okta-aws`, is tools/cli.ts.
export { program } from "./components/program";
export { identityStack } from "./components/identityStack";
export { memberStack } from "./components/memberStack";
export type { IdentityConfig, MemberConfig, StackConfig } from "./components/config";
export type { IdentityOutputs, MemberOutputs } from "./components/outputs";
export { AuditRole, type AuditRoleArgs } from "./components/auditRole";
export { CrossAccountRole, type CrossAccountRoleArgs } from "./components/crossAccountRole";
export { EmergencyAccess, type EmergencyAccessArgs } from "./components/emergencyAccess";
export { FederatedRole, type FederatedRoleArgs } from "./components/federatedRole";
export { OktaAwsApp, type OktaAwsAppArgs } from "./components/oktaAwsApp";
export { OktaCliApp, type OktaCliAppArgs } from "./components/oktaCliApp";
export { SamlProvider, type SamlProviderArgs } from "./components/samlProvider";
export { SamlRoleAssignments, type SamlRoleAssignmentsArgs } from "./components/samlRoleAssignments";
export { ServiceUser, type ServiceUserArgs } from "./components/serviceUser";
export { SignOnPolicy, type SignOnPolicyArgs } from "./components/signOnPolicy";
