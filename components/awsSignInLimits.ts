// What AWS sign-in accepts of a SAML sign-in. The program refuses configurations past these, and
// the offline verification (tools/verification/saml.ts) refuses responses past them as AWS does;
// this module imports nothing, so the verification's worker threads load it cheaply.

/**
 * AWS takes the Okta login as the session's RoleSessionName (and SourceIdentity, where an admin added
 * that attribute to the app): 2–64 characters of
 * A-Z a-z 0-9 + = , . @ _ - each.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_saml_assertions.html
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html (RoleSessionName, SourceIdentity)
 */
export const awsSessionNameLimit = 64;

/**
 * AWS accepts a SAML response of at most 100,000 characters, base64-encoded (AssumeRoleWithSAML,
 * `SAMLAssertion`: https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithSAML.html;
 * IAM and AWS STS quotas: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
 */
export const samlResponseLimit = 100_000;

/**
 * Role chaining (a federated role's session switching into a member role) caps the session at one
 * hour, whatever the member role's MaxSessionDuration: "role chaining limits your AWS CLI or AWS API
 * role session to a maximum of one hour".
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-role-chaining
 */
export const chainedSessionSeconds = 3600;
