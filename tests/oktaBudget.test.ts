// The Okta API budget: calls per rate-limit bucket of a first up, a no-change preview and a
// refresh of the identity stack, in plan.json and in the console summary.
import { expect } from "chai";
import { oktaApiBudget, oktaBudgetLines } from "../tools/plan/oktaBudget";
import { shippedPlan } from "./harness";

const resource = (type: string, inputs: Record<string, unknown> = {}) => ({
    urn: `urn:${type}`,
    type,
    name: type,
    parent: null,
    protect: false,
    inputs,
});

describe("Okta API budget", () => {
    it("the shipped organisation before the roles import: exact calls per bucket", async () => {
        const { plan } = await shippedPlan();
        expect(plan.oktaApiBudget.limits).to.deep.include({
            orgType: "Workforce Identity",
            source: "https://developer.okta.com/docs/reference/rl-global-mgmt/",
        });
        expect(plan.oktaApiBudget.firstUp).to.deep.equal({
            // The sign-on policy (4) and its two rules (2 each); each app's UpdateApplicationPolicy.
            calls: {
                "/api/v1 (other)": 8,
                "/api/v1/apps": 13,
                "/api/v1/apps/{id}": 6,
                "GET /api/v1/users/{idOrLogin}": 2,
                "GET, POST /api/v1/users": 2,
            },
            total: 31,
            minutes: 0.1,
        });
        expect(plan.oktaApiBudget.preview).to.deep.equal({ calls: {}, total: 0, minutes: 0 });
        expect(plan.oktaApiBudget.refresh).to.deep.equal({
            calls: { "/api/v1 (other)": 4, "/api/v1/apps": 5, "/api/v1/apps/{id}": 4, "GET /api/v1/users/{idOrLogin}": 2 },
            total: 15,
            minutes: 0.1,
        });
    });

    it("counts look-ups on every operation, memberships per user and per page of 200", () => {
        const budget = oktaApiBudget(
            [
                resource("okta:index/groupMemberships:GroupMemberships", { users: Array.from({ length: 450 }, (_, i) => `00u${i}`) }),
                resource("okta:group/rule:Rule"),
                resource("aws:iam/role:Role"),
            ],
            ["okta:user/getUser:getUser", "okta:user/getUser:getUser", "okta:app/getSaml:getSaml"],
        );
        expect(budget.firstUp.calls).to.deep.equal({ "/api/v1/apps": 1, "/api/v1/groups": 450 + 6 + 3, "GET, POST /api/v1/users": 2 });
        expect(budget.preview.calls).to.deep.equal({ "/api/v1/apps": 1, "GET, POST /api/v1/users": 2 });
        expect(budget.refresh.calls).to.deep.equal({ "/api/v1/apps": 1, "/api/v1/groups": 6 + 1, "GET, POST /api/v1/users": 2 });
        // 459 calls to the groups bucket at 500 a minute.
        expect(budget.firstUp.minutes).to.equal(0.9);
        expect(oktaBudgetLines(budget)).to.deep.equal([
            "Okta API budget (identity stack; default limits of a Workforce Identity org, https://developer.okta.com/docs/reference/rl-global-mgmt/)",
            "  first pulumi up: 462 calls, at least 0.9 min (slowest bucket /api/v1/groups: 459 at 500/min)",
            "  pulumi preview, no change: 3 calls, at least 0 min (slowest bucket /api/v1/apps: 1 at 100/min)",
            "  pulumi refresh: 10 calls, at least 0 min (slowest bucket /api/v1/groups: 7 at 500/min)",
        ]);
    });

    it("an app without an authentication policy costs the provider's look-up of Okta's default policy", () => {
        const withPolicy = oktaApiBudget([resource("okta:app/oAuth:OAuth", { authenticationPolicy: "rst1" })], []);
        const withoutPolicy = oktaApiBudget([resource("okta:app/oAuth:OAuth")], []);
        expect(withPolicy.firstUp.calls).to.deep.equal({ "/api/v1/apps": 2, "/api/v1/apps/{id}": 1 });
        expect(withoutPolicy.firstUp.calls).to.deep.equal({ "/api/v1 (other)": 1, "/api/v1/apps": 2, "/api/v1/apps/{id}": 1 });
    });
});
