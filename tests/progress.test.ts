// Issue 34 item 4: progress on stderr for the runs that take a while — stacks evaluated, sign-ins
// judged — quiet when stderr is not a terminal (as under mocha) unless --progress asks for it.
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main as verify } from "../tools/commands/verify";
import { captureCommand, runPreview } from "./harness";

describe("progress on stderr (--progress)", function () {
    this.timeout(120000);

    it("npm start --progress: each stack evaluated and the sign-ins judged, no timings; nothing without it", async () => {
        const out = fs.mkdtempSync(path.join(os.tmpdir(), "okta-aws-progress-"));
        try {
            const asked = await runPreview(["--out", out, "--progress"]);
            expect(asked.code).to.equal(0);
            expect(asked.stderr.split("\n")).to.deep.equal([
                "progress: evaluating stack retail (1 of 3)",
                "progress: evaluating stack sales (2 of 3)",
                "progress: evaluating stack identity (3 of 3)",
                "progress: verifying every sign-in",
                "progress: judged 5 sign-ins (37 checks)",
            ]);
            const quiet = await runPreview(["--out", out]);
            expect({ code: quiet.code, stderr: quiet.stderr }).to.deep.equal({ code: 0, stderr: "" });
            expect(quiet.stdout).to.equal(asked.stdout);
        } finally {
            fs.rmSync(out, { recursive: true, force: true });
        }
    });

    it("npm run verify --progress: the same lines on stderr", async () => {
        const { code, stderr } = await captureCommand(verify, ["--progress"]);
        expect(code).to.equal(0);
        expect(stderr.split("\n")).to.deep.equal([
            "progress: evaluating stack retail (1 of 3)",
            "progress: evaluating stack sales (2 of 3)",
            "progress: evaluating stack identity (3 of 3)",
            "progress: verifying every sign-in",
            "progress: judged 5 sign-ins (37 checks)",
        ]);
    });
});
