// Snapshot files (tests/__snapshots__/<name>.json): the whole value a test compares when writing it
// out by hand would only restate the code (as pulumi-eks `nodes/userdata.test.ts` keeps its
// expected user data in `__snapshots__`). The comparison stays exact; `UPDATE_SNAPSHOTS=1 npm test`
// rewrites the files from what the code makes now, so an intended change is one command and shows
// in review as a diff of the file.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";

const snapshotFolder = path.join(__dirname, "__snapshots__");

/** Asserts that `actual` deep-equals the snapshot `name`; with `UPDATE_SNAPSHOTS=1`, writes it instead. */
export function expectSnapshot(name: string, actual: unknown): void {
    const file = path.join(snapshotFolder, `${name}.json`);
    if (process.env.UPDATE_SNAPSHOTS === "1") {
        fs.mkdirSync(snapshotFolder, { recursive: true });
        fs.writeFileSync(file, `${JSON.stringify(actual, null, 4)}\n`);
        return;
    }
    expect(fs.existsSync(file), `tests/__snapshots__/${name}.json is missing: run UPDATE_SNAPSHOTS=1 npm test`).to.equal(true);
    expect(actual, `tests/__snapshots__/${name}.json (UPDATE_SNAPSHOTS=1 npm test rewrites it)`).to.deep.equal(
        JSON.parse(fs.readFileSync(file, "utf8")),
    );
}
