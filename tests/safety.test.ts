// Safety rails: what keeps a deployed federation intact when its config or its code changes.
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { FederatedRole, FederatedRoleArgs } from "../components/federatedRole";
import { buildPlan } from "../tools/plan/build";
import { cloud, projectRoot, settled, shippedPlan, useStack } from "./harness";

const federatedRoleArgs: FederatedRoleArgs = {
    roleName: "Retail-EC2-Admins",
    samlProviderArn: "arn:aws:iam::671250594556:saml-provider/Okta",
    targetRoleArn: "arn:aws:iam::253541269580:role/EC2_Admins",
    assumePolicyName: "allow-assume-retail-ec2-admin-role",
    maxSessionDuration: 3600,
};

/** The URNs a FederatedRole built by `build` registers, in a fresh identity stack. */
async function federatedRoleUrns(build: () => void): Promise<typeof cloud.resources> {
    await useStack("identity", { accountId: "671250594556" });
    build();
    await settled();
    return [...cloud.resources];
}

describe("safety rails", () => {
    it("reordering users, groups and roles in the stack files changes no resource", async () => {
        const shuffled = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-shuffled-"));
        for (const file of fs.readdirSync(projectRoot).filter((f) => /^Pulumi\..+\.yaml$/.test(f))) {
            fs.copyFileSync(path.join(projectRoot, file), path.join(shuffled, file));
        }
        const reverseList = (file: string, startMarker: string) => {
            const lines = fs.readFileSync(path.join(shuffled, file), "utf8").split("\n");
            const start = lines.findIndex((l) => l.includes(startMarker)) + 1;
            let end = start;
            while (end < lines.length && /^\s{4}/.test(lines[end])) {
                end++;
            }
            const items: string[][] = [];
            for (const line of lines.slice(start, end)) {
                if (/^\s{4}- /.test(line)) {
                    items.push([line]);
                } else {
                    items[items.length - 1].push(line);
                }
            }
            expect(items.length).to.be.at.least(2);
            lines.splice(start, end - start, ...items.reverse().flat());
            fs.writeFileSync(path.join(shuffled, file), lines.join("\n"));
        };
        reverseList("Pulumi.identity.yaml", "okta-aws:users:");
        reverseList("Pulumi.retail.yaml", "okta-aws:crossAccountRoles:");
        fs.writeFileSync(
            path.join(shuffled, "Pulumi.identity.yaml"),
            fs.readFileSync(path.join(shuffled, "Pulumi.identity.yaml"), "utf8").replace("[sales, retail]", "[retail, sales]"),
        );

        const original = await buildPlan(projectRoot);
        const reordered = await buildPlan(shuffled);
        expect(fs.readFileSync(path.join(shuffled, "Pulumi.identity.yaml"), "utf8")).to.match(/jane@acmecorp\.me[\s\S]*john@acmecorp\.me/);
        for (const stack of Object.keys(original.plan.stacks)) {
            expect(reordered.plan.stacks[stack].resources).to.deep.equal(original.plan.stacks[stack].resources);
        }
        expect(reordered.plan.access).to.deep.equal(original.plan.access);
    });

    it("names every child after its component, so a component's alias carries its children", async () => {
        const { plan } = await shippedPlan();
        for (const stackPlan of Object.values(plan.stacks)) {
            const byUrn = new Map(stackPlan.resources.map((r) => [r.urn, r]));
            for (const resource of stackPlan.resources) {
                const parent = resource.parent ? byUrn.get(resource.parent) : undefined;
                if (parent && parent.type !== "pulumi:pulumi:Stack") {
                    expect(resource.name.startsWith(`${parent.name}-`), `${resource.name} under ${parent.name}`).to.equal(true);
                }
            }
        }
    });

    it("renaming a component keeps every resource under it, through one alias", async () => {
        const before = await federatedRoleUrns(() => new FederatedRole("Retail-EC2-Admins", federatedRoleArgs));
        const after = await federatedRoleUrns(
            () => new FederatedRole("retail-ec2-admins-federated", federatedRoleArgs, { aliases: [{ name: "Retail-EC2-Admins" }] }),
        );
        expect(after.map((r) => r.name).sort()).to.deep.equal([
            "retail-ec2-admins-federated",
            "retail-ec2-admins-federated-policy",
            "retail-ec2-admins-federated-policy-attachment",
            "retail-ec2-admins-federated-role",
        ]);
        for (const resource of after) {
            const previous = before.find((r) => r.type === resource.type)!;
            expect(resource.aliases, resource.name).to.include(previous.urn);
        }
    });

    it("moving a component under a new parent keeps every resource under it", async () => {
        const before = await federatedRoleUrns(() => new FederatedRole("Retail-EC2-Admins", federatedRoleArgs));
        const after = await federatedRoleUrns(() => {
            const account = new pulumi.ComponentResource("okta-aws:identity:IdentityAccount", "identity");
            new FederatedRole("Retail-EC2-Admins", federatedRoleArgs, { parent: account, aliases: [{ parent: pulumi.rootStackResource }] });
        });
        const moved = after.filter((r) => r.type !== "okta-aws:identity:IdentityAccount");
        expect(moved).to.have.length(4);
        for (const resource of moved) {
            const previous = before.find((r) => r.type === resource.type)!;
            expect(resource.urn).to.not.equal(previous.urn);
            expect(resource.aliases, resource.name).to.include(previous.urn);
        }
    });
});
