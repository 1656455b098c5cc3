// Each grant's path (direct sign-in, or via a federated role) and the session it gives, as access.md,
// the console and the access diff show them once a grant signs in directly; an organisation whose
// every grant is chained reads as it always did (the shipped one's access.md, byte for byte).
import { expect } from "chai";
import type { AccessRow, Plan, StackPlan } from "../tools/plan/model";
import { accessMarkdown, accessSummary, accessTable } from "../tools/report/access";
import { diffPlans } from "../tools/report/accessDiff";
import { accessDiffMarkdown, diffSummary } from "../tools/report/accessDiffMarkdown";
import { directSessionsOf } from "../tools/report/planView";
import { shippedPlan } from "./harness";
import { expectSnapshot } from "./snapshots";

const identity = "671250594556";
const sales = "881102293469";
const retail = "253541269580";
const ec2 = "arn:aws:iam::aws:policy/AmazonEC2FullAccess";
const s3 = "arn:aws:iam::aws:policy/AmazonS3FullAccess";

/** A grant: through the federated role `samlRole` (chained), or signed in to the member role itself (direct). */
function grant(login: string, samlRole: string, account: string, label: string, role: string, direct: boolean, policy: string): AccessRow {
    const target = `arn:aws:iam::${account}:role/${role}`;
    return {
        principal: login,
        principalType: "user",
        samlRole,
        samlRoleArn: direct ? target : `arn:aws:iam::${identity}:role/${samlRole}`,
        targetAccountId: account,
        targetAccountLabel: label,
        targetRoleArn: target,
        policyArns: [policy],
    };
}

function stack(kind: StackPlan["kind"], accountId: string, outputs: Record<string, unknown>): StackPlan {
    return { kind, accountId, resources: [], outputs: outputs };
}

/**
 * Sales on direct sign-in (its role's maximum 12 hours, the app's session 8), Retail in migration
 * (signIn both: EC2_Admins both ways, its maximum one hour).
 */
function mixedPlan(): Pick<Plan, "access" | "stacks" | "oktaIds"> {
    const role = (account: string, name: string, maxSessionDuration: number, signIn: string) => ({
        name,
        arn: `arn:aws:iam::${account}:role/${name}`,
        signIn,
        samlProviderArn: `arn:aws:iam::${account}:saml-provider/Okta`,
        maxSessionDuration,
    });
    return {
        oktaIds: {},
        access: [
            grant("jane@acmecorp.me", "Retail-EC2-Admins", retail, "Retail", "EC2_Admins", false, ec2),
            grant("jane@acmecorp.me", "Retail-EC2-Admins", retail, "Retail", "EC2_Admins", true, ec2),
            grant("john@acmecorp.me", "Sales-EC2-Admins", sales, "Sales", "EC2_Admins", true, ec2),
            grant("john@acmecorp.me", "Retail-S3-Admins", retail, "Retail", "S3_Admins", false, s3),
        ],
        stacks: {
            identity: stack("identity", identity, { oktaAppSettings: { sessionDuration: 28800 } }),
            sales: stack("member", sales, { accountLabel: "Sales", crossAccountRoles: [role(sales, "EC2_Admins", 43200, "direct")] }),
            retail: stack("member", retail, {
                accountLabel: "Retail",
                crossAccountRoles: [role(retail, "EC2_Admins", 3600, "both"), role(retail, "S3_Admins", 3600, "both")],
            }),
        },
    };
}

/** The Markdown section from its heading up to (not including) the next `## ` heading. */
function section(markdown: string, heading: string): string[] {
    const lines = markdown.split("\n");
    const start = lines.indexOf(heading);
    expect(start, heading).to.be.at.least(0);
    const end = lines.findIndex((line, i) => i > start && line.startsWith("## "));
    return lines.slice(start, end === -1 ? undefined : end);
}

describe("each grant's path and session limit in the reports", function () {
    this.timeout(120000);

    it("a direct sign-in's session: the role's maxSessionDuration capped by the app's sessionDuration", () => {
        expect(directSessionsOf(mixedPlan())).to.deep.equal({
            [`arn:aws:iam::${sales}:role/EC2_Admins`]: 28800,
            [`arn:aws:iam::${retail}:role/EC2_Admins`]: 3600,
            [`arn:aws:iam::${retail}:role/S3_Admins`]: 3600,
        });
    });

    it("access.md: the session notes, the path and session of each role and grant, the direct edges of the diagram", () => {
        const markdown = accessMarkdown(mixedPlan());
        const lines = markdown.split("\n");
        expect(lines.slice(0, 11)).to.deep.equal([
            "# Access",
            "",
            "Who can sign in to which role: a federated role of the identity account, which switches into a member account role (chained), or the member account role itself (direct); and the policies the member role has.",
            "",
            "**4 access grants: 2 users and 0 groups hold 3 roles (2 through federated roles, 2 signed in to directly) into 2 member accounts.**",
            "",
            "Chained grants (1 member account) are role-chained (identity account role → member role): each session lasts at most one hour, whatever a member role's maxSessionDuration says ([AWS IAM: role chaining](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-role-chaining)).",
            "",
            "Direct grants (2 member accounts) sign in to the member role itself: a session lasts as long as the role's maxSessionDuration allows, capped by the Okta app's sessionDuration (the session column).",
            "",
            "## Emergency roles",
        ]);
        expect(section(markdown, "## By account and role")).to.deep.equal([
            "## By account and role",
            "",
            "| Target account | Target role | SAML role | Path | Session | Users | Groups | Policies |",
            "| --- | --- | --- | --- | --- | --- | --- | --- |",
            "| Retail (253541269580) | EC2\\_Admins | Retail-EC2-Admins | via Retail-EC2-Admins | 1 h | 1 | 0 | AmazonEC2FullAccess |",
            "| Retail (253541269580) | EC2\\_Admins | Retail-EC2-Admins | direct | 1 h | 1 | 0 | AmazonEC2FullAccess |",
            "| Retail (253541269580) | S3\\_Admins | Retail-S3-Admins | via Retail-S3-Admins | 1 h | 1 | 0 | AmazonS3FullAccess |",
            "| Sales (881102293469) | EC2\\_Admins | Sales-EC2-Admins | direct | 8 h | 1 | 0 | AmazonEC2FullAccess |",
            "",
        ]);
        const whoHasWhat = section(markdown, "## Who has what");
        expect(whoHasWhat.slice(0, 8)).to.deep.equal([
            "## Who has what",
            "",
            "| Principal | Type | Via | SAML role | Target account | Target role | Path | Session | Policies |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
            "| jane@acmecorp.me | user |  | Retail-EC2-Admins | Retail (253541269580) | EC2\\_Admins | via Retail-EC2-Admins | 1 h | AmazonEC2FullAccess |",
            "| jane@acmecorp.me | user |  | Retail-EC2-Admins | Retail (253541269580) | EC2\\_Admins | direct | 1 h | AmazonEC2FullAccess |",
            "| john@acmecorp.me | user |  | Sales-EC2-Admins | Sales (881102293469) | EC2\\_Admins | direct | 8 h | AmazonEC2FullAccess |",
            "| john@acmecorp.me | user |  | Retail-S3-Admins | Retail (253541269580) | S3\\_Admins | via Retail-S3-Admins | 1 h | AmazonS3FullAccess |",
        ]);
        // The diagram: a direct sign-in's edge says so; a chained one's does not.
        expect(whoHasWhat.filter((line) => line.includes("target_") && line.includes("saml_"))).to.deep.equal([
            `    saml_${Buffer.from("Retail-EC2-Admins").toString("hex")} --> target_${Buffer.from(`arn:aws:iam::${retail}:role/EC2_Admins`).toString("hex")}["Retail: EC2_Admins"]`,
            `    saml_${Buffer.from("Retail-EC2-Admins").toString("hex")} -->|direct| target_${Buffer.from(`arn:aws:iam::${retail}:role/EC2_Admins`).toString("hex")}["Retail: EC2_Admins"]`,
            `    saml_${Buffer.from("Sales-EC2-Admins").toString("hex")} -->|direct| target_${Buffer.from(`arn:aws:iam::${sales}:role/EC2_Admins`).toString("hex")}["Sales: EC2_Admins"]`,
            `    saml_${Buffer.from("Retail-S3-Admins").toString("hex")} --> target_${Buffer.from(`arn:aws:iam::${retail}:role/S3_Admins`).toString("hex")}["Retail: S3_Admins"]`,
        ]);
    });

    it("the console: each account's paths, and the path and session columns", () => {
        const plan = mixedPlan();
        expect(accessSummary(plan.access, 10, new Map(), directSessionsOf(plan)).slice(0, 4)).to.deep.equal([
            "4 access grants: 2 users and 0 groups hold 3 roles (2 through federated roles, 2 signed in to directly) into 2 member accounts",
            "Retail (253541269580): 3 grants of 2 roles, chained and direct sign-in",
            "Sales (881102293469): 1 grant of 1 role, direct sign-in",
            "",
        ]);
        expect(accessTable(plan.access.slice(2, 3), new Map(), directSessionsOf(plan))).to.deep.equal([
            "principal         type  via  SAML role         → account               role        path    session  policies",
            "john@acmecorp.me  user       Sales-EC2-Admins  → Sales (881102293469)  EC2_Admins  direct  8 h      AmazonEC2FullAccess",
        ]);
    });

    it("the access diff: a migration's deploy adds the direct path, the next removes the chained one, access kept, each with its session", () => {
        const full = mixedPlan();
        const chainedOnly = { ...full, access: full.access.filter((row) => row.samlRoleArn !== row.targetRoleArn) } as Plan;
        const both = { ...full, access: full.access.filter((row) => row.principal === "jane@acmecorp.me") } as Plan;
        const directOnly = { ...full, access: [full.access[1]] } as Plan;
        const base = { ...both, access: [full.access[0]] };
        const added = diffPlans(base, both);
        expect([added.gained, added.lost, added.paths]).to.deep.equal([[], [], { added: [full.access[1]], removed: [] }]);
        expect(diffSummary(added)).to.equal(
            "+0 access, −0 access, 1 path added, access kept (jane@acmecorp.me → Retail-EC2-Admins (direct)), no resource changes",
        );
        const removed = diffPlans(both, directOnly);
        expect([removed.gained, removed.lost, removed.paths]).to.deep.equal([[], [], { added: [], removed: [full.access[0]] }]);
        const markdown = accessDiffMarkdown(removed, "migration", "direct").split("\n");
        const section = markdown.indexOf("### Paths changed, access kept");
        expect(markdown.slice(section, section + 7)).to.deep.equal([
            "### Paths changed, access kept",
            "",
            "Removed:",
            "",
            "| Principal | Type | Via | SAML role | Target account | Target role | Path | Session | Policies |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
            "| jane@acmecorp.me | user |  | Retail-EC2-Admins | Retail (253541269580) | EC2\\_Admins | via Retail-EC2-Admins | 1 h | AmazonEC2FullAccess |",
        ]);
        // Access that is new, by a direct path: gained, with its path and session.
        const gained = accessDiffMarkdown(diffPlans({ ...chainedOnly, access: [] }, directOnly), "main", "pr").split("\n");
        expect(gained.slice(gained.indexOf("### Access gained") + 2, gained.indexOf("### Access gained") + 5)).to.deep.equal([
            "| Principal | Type | Via | SAML role | Target account | Target role | Path | Session | Policies |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
            "| jane@acmecorp.me | user |  | Retail-EC2-Admins | Retail (253541269580) | EC2\\_Admins | direct | 1 h | AmazonEC2FullAccess |",
        ]);
        // Sessions come from each side's own plan: the lost row's from the base, the gained row's from the head.
        const longer = structuredClone(chainedOnly);
        longer.access = [full.access[2]];
        const shorter = structuredClone(longer);
        (shorter.stacks.identity.outputs as { oktaAppSettings: { sessionDuration: number } }).oktaAppSettings.sessionDuration = 3600;
        const grown = diffPlans(structuredClone({ ...longer, access: [] }), longer);
        expect(grown.directSessions?.head).to.deep.include({ [`arn:aws:iam::${sales}:role/EC2_Admins`]: 28800 });
        expect(diffPlans(shorter, { ...shorter, access: [] }).directSessions?.base).to.deep.include({
            [`arn:aws:iam::${sales}:role/EC2_Admins`]: 3600,
        });
        // Chained grants only: no path columns, no sessions in the diff.
        expect(diffPlans(chainedOnly, { ...chainedOnly, access: [] }).directSessions).to.equal(undefined);
    });

    it("the shipped organisation (every grant chained): access.md byte for byte as before direct sign-in", async () => {
        const { plan } = await shippedPlan();
        expectSnapshot("shipped-access-md", accessMarkdown(plan).split("\n"));
    });
});
