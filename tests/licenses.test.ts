// The licence gate: which SPDX expressions it accepts, that the shipped dependencies pass it, and
// which copyleft packages are among the dev dependencies.
import { expect } from "chai";
import { licenceProblems, permissive } from "../tools/commands/licenses";
import { projectRoot } from "./harness";

describe("licence gate (tools/commands/licenses.ts)", () => {
    it("accepts permissive licences and a choice that avoids copyleft", () => {
        const accepted = ["MIT", "Apache-2.0", "(BSD-3-Clause AND Apache-2.0)", "(BSD-3-Clause OR GPL-2.0)", "BlueOak-1.0.0"];
        expect(accepted.filter((expression) => !permissive(expression))).to.deep.equal([]);
    });

    it("rejects copyleft, copyleft that cannot be avoided, and terms it cannot read", () => {
        const rejected = [
            "AGPL-3.0-or-later",
            "GPL-2.0-only",
            "LGPL-3.0-only",
            "MPL-2.0",
            "(MIT AND GPL-3.0-only)",
            "SEE LICENSE IN LICENSE",
            "MIT*",
        ];
        expect(rejected.filter(permissive)).to.deep.equal([]);
    });

    it("passes every production dependency @slow", () => {
        expect(licenceProblems(projectRoot)).to.deep.equal([]);
    });

    it("finds the AGPL verification tools among the dev dependencies @slow", () => {
        const names = licenceProblems(projectRoot, "dev").map((problem) => problem.slice(0, problem.lastIndexOf("@")));
        // The IAM simulator stays a dev dependency: the package does not ship it (tools/verification/simulator.ts).
        expect(names).to.deep.equal(["@cloud-copilot/iam-policy", "@cloud-copilot/iam-simulate", "@cloud-copilot/iam-utils"]);
    });
});
