// Root hooks that record how long each test file took (required by .mocharc.cjs in every mocha
// worker), so the next run of the same kind hands the longest files out first. In parallel mode a
// root `beforeAll`/`afterAll` runs once per file; in one process (`--no-parallel`) they run once
// around every file, and nothing is recorded. Only .mocharc.cjs names the folder, and only for the
// runs of the whole suite.
import * as fs from "fs";
import * as path from "path";

const folder = process.env.OKTA_AWS_TEST_DURATIONS;
let started = 0;

export const mochaHooks = folder
    ? {
          beforeAll() {
              started = performance.now();
          },
          afterAll(this: Mocha.Context) {
              const files = new Set(this.test?.parent?.suites.map((suite) => suite.file));
              const [file] = files;
              if (files.size !== 1 || !file) {
                  return;
              }
              fs.mkdirSync(folder, { recursive: true });
              const target = path.join(folder, `${path.basename(file)}.json`);
              // Written aside and renamed: a reader never sees half a file.
              const partial = `${target}.${process.pid}.tmp`;
              fs.writeFileSync(
                  partial,
                  JSON.stringify({ ms: Math.round(performance.now() - started), run: process.env.OKTA_AWS_TEST_RUN }),
              );
              fs.renameSync(partial, target);
          },
      }
    : {};
