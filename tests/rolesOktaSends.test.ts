// The one rule for the SAML roles Okta sends a person (components/rolesOktaSends.ts), and the
// identity checks that count them: the SAML response size check counts what Okta sends.
import { expect } from "chai";
import { ConfigError, IdentityConfig } from "../components/config";
import { MemberStackReading, resolveFederatedRoles } from "../components/federatedRolesFromMembers";
import { assignmentsOktaSends, joinsAllRoles } from "../components/rolesOktaSends";
import { shippedConfig } from "./harness";

/**
 * The Sales member stack's outputs with these roles (each its member role name and the SAML role
 * it is reached by), on chained sign-in or, with `signIn`, on the direct path too.
 */
function salesReading(roles: { name: string; samlRole: string }[], signIn?: "direct" | "both"): MemberStackReading[] {
    const direct = signIn && { signIn, samlProviderArn: "arn:aws:iam::881102293469:saml-provider/Okta" };
    return [
        {
            stack: "sales",
            outputs: {
                accountId: "881102293469",
                accountLabel: "Sales",
                identityAccountId: "671250594556",
                ...direct,
                crossAccountRoles: roles.map(({ samlRole, name }) => ({
                    name,
                    arn: `arn:aws:iam::881102293469:role/${name}`,
                    federatedRoleName: samlRole,
                    assumePolicyName: `allow-assume-${samlRole.toLowerCase()}`,
                    policyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
                    switchRoleUrl: `https://signin.aws.amazon.com/switchrole?account=881102293469&roleName=${name}`,
                    ...(direct && { ...direct, maxSessionDuration: 3600 }),
                })),
            },
        },
    ];
}

/** The Sales member stack's outputs with `count` roles named `Role<n>`, on chained sign-in. */
function salesWithRoles(count: number): MemberStackReading[] {
    const names = Array.from({ length: count }, (_, n) => `Role${String(n).padStart(3, "0")}_Operators_With_A_Long_Name`);
    return salesReading(names.map((name) => ({ name, samlRole: `Sales-${name}` })));
}

/**
 * The Sales member stack on `signIn` with `count` roles whose member role names are IAM's longest
 * (64 characters) and whose SAML roles (`S-R<n>`) are short.
 */
function salesSignedInTo(signIn: "direct" | "both", count: number): MemberStackReading[] {
    const roles = Array.from({ length: count }, (_, n) => ({
        samlRole: `S-R${n}`,
        name: `R${String(n).padStart(3, "0")}_`.padEnd(64, "x"),
    }));
    return salesReading(roles, signIn);
}

describe("the roles Okta sends (components/rolesOktaSends.ts)", () => {
    it("direct sign-in: the size check counts the values Okta sends for the member account, both paths' during a migration", () => {
        // Okta renders a direct role group into `<member account's provider>,<member role>` (Okta,
        // "Integrate multiple AWS instances"): 250 of those are over AWS's limit where 250 values of
        // the identity account's short role names would not be; on `both` it sends both values.
        const shipped = shippedConfig<IdentityConfig>("identity");
        const withGroup = (count: number): IdentityConfig => ({
            ...shipped,
            oktaApp: { ...shipped.oktaApp, roleAssignment: "groupMapping" },
            users: [],
            groups: [{ name: "everything", samlRoles: Array.from({ length: count }, (_, n) => `S-R${n}`), members: ["john@acmecorp.me"] }],
        });
        const problems = (count: number, signIn: "direct" | "both") => {
            try {
                resolveFederatedRoles(withGroup(count), salesSignedInTo(signIn, count));
                return [];
            } catch (error) {
                return (error as ConfigError).problems;
            }
        };
        const oversized = (count: number, size: number, sent = "") =>
            `Pulumi.identity.yaml: okta-aws:groups[0] (everything).members[0]: "john@acmecorp.me" — gets ${count} SAML roles${sent}: Okta's SAML response would be about ${size} characters, over the 100000 AWS accepts (AssumeRoleWithSAML SAMLAssertion); split the roles over fewer people or groups`;
        expect(problems(250, "direct")).to.deep.equal([oversized(250, 110668)]);
        expect(problems(150, "both")).to.deep.equal([
            oversized(150, 118920, " (300 role values: both paths of the members on signIn: both)"),
        ]);
        expect(problems(150, "direct")).to.deep.equal([]);
    });

    it("group mapping with joinAllRoles off: the size check counts every group's roles, as Okta sends them", () => {
        // Okta joins every role group of a person in group-mapping mode (the program exports the same
        // in samlRolesByUser): 150 roles from each of two groups are 300 in one SAML response.
        const shipped = shippedConfig<IdentityConfig>("identity");
        const roles = Array.from({ length: 300 }, (_, n) => `Sales-Role${String(n).padStart(3, "0")}_Operators_With_A_Long_Name`);
        const config: IdentityConfig = {
            ...shipped,
            oktaApp: { ...shipped.oktaApp, roleAssignment: "groupMapping", joinAllRoles: false },
            users: [],
            groups: [
                { name: "first-half", samlRoles: roles.slice(0, 150), members: ["john@acmecorp.me"] },
                { name: "second-half", samlRoles: roles.slice(150), members: ["john@acmecorp.me"] },
            ],
        };
        expect(() => resolveFederatedRoles(config, salesWithRoles(300)))
            .to.throw(ConfigError)
            .with.property("problems")
            .that.deep.equals([
                'Pulumi.identity.yaml: okta-aws:groups[0] (first-half).members[0]: "john@acmecorp.me" — gets 300 SAML roles: Okta\'s SAML response would be about 121068 characters, over the 100000 AWS accepts (AssumeRoleWithSAML SAMLAssertion); split the roles over fewer people or groups',
            ]);
    });

    it("joinAllRoles off without group mapping: one group of highest priority, and any that gives the same roles", () => {
        const groups = [
            { name: "a", samlRoles: ["R1", "R2"] },
            { name: "b", samlRoles: ["R3"] },
            { name: "c", samlRoles: ["R2", "R1"] },
        ];
        const names = (sent: { own: boolean; groups: { name: string }[] }) => ({ own: sent.own, groups: sent.groups.map((g) => g.name) });
        expect(names(assignmentsOktaSends(false, groups, false))).to.deep.equal({ own: false, groups: ["a", "c"] });
        expect(names(assignmentsOktaSends(true, groups, false))).to.deep.equal({ own: true, groups: [] });
        expect(names(assignmentsOktaSends(true, groups, true))).to.deep.equal({ own: true, groups: ["a", "b", "c"] });
        expect(joinsAllRoles({ joinAllRoles: false, roleAssignment: "groupMapping" })).to.equal(true);
        expect(joinsAllRoles({ joinAllRoles: false, roleAssignment: "samlUserRoles" })).to.equal(false);
    });
});
