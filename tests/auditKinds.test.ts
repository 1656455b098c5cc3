// The drift kinds are one table in code (tools/audit/driftKinds.ts): the report orders its rows by
// it, and docs/audit.md shows it, generated (tests/docs.test.ts fails when the two disagree).
import { expect } from "chai";
import { driftKinds } from "../tools/audit/driftKinds";

describe("audit drift kinds (tools/audit/driftKinds.ts)", () => {
    it("lists blind spots and held emergency access first, and every kind once", () => {
        expect(driftKinds.slice(0, 2)).to.deep.equal(["unverified", "emergency-access-held"]);
        expect(new Set(driftKinds).size).to.equal(driftKinds.length);
    });
});
