// npm run audit:rehearse: the audit without a cloud — moto_server and the Okta test server stood up
// from the plan, the audit run against them, its report printed, both servers stopped.
import { expect } from "chai";
import * as path from "path";
import { captureCommand, projectRoot } from "./harness";
import { main } from "./rehearseAudit";

describe("npm run audit:rehearse @slow", function () {
    this.timeout(180000);

    it("a clean organisation: no drift, exit 0; an insider's app username trick: the row, exit 1", async () => {
        const clean = await captureCommand((argv) => main(argv), []);
        expect([clean.code, clean.stdout.split("\n")[0], clean.stderr]).to.deep.equal([
            0,
            "no drift: the live organisation matches the code",
            "",
        ]);
        const drift = await captureCommand(
            (argv) => main(argv),
            ["--config-dir", path.join(projectRoot, "tests/fixtures/initech"), "--drift", "assignment"],
        );
        expect([drift.code, drift.stdout.split("\n")[0]]).to.deep.equal([
            1,
            "1 drift row (1 assignment-outside-code), +1 access row outside the code, −0 lost",
        ]);
        expect(drift.stdout).to.include(
            '| assignment-outside-code |  | mallory@example.com | Okta app "Initech AWS" | assigned to the app directly with SAML roles Payments-Log-Readers under the app username "peter@initech.example", not by the code | mallory@example.com |',
        );
    });

    it("an organisation on direct sign-in (tests/fixtures/hooli): every account's provider rehearsed, no drift, exit 0", async () => {
        const clean = await captureCommand((argv) => main(argv), ["--config-dir", path.join(projectRoot, "tests/fixtures/hooli")]);
        expect([clean.code, clean.stdout.split("\n")[0], clean.stderr]).to.deep.equal([
            0,
            "no drift: the live organisation matches the code",
            "",
        ]);
    });
});
