// Which test files a mocha run holds, and in which order: .mocharc.cjs hands mocha this list, and
// tests/testFiles.test.ts checks it.
//
// Every test file under tests/, in nested folders too (as `tests/**/*.test.ts` named them): a file
// left out here runs in neither `npm test` nor `npm run test:all`, and nothing would say so. The
// quick run (`npm test`, `--grep @slow --invert`) leaves out the files whose tests are all @slow:
// mocha would load each (its servers' clients, the AWS SDK) to run none of it.
//
// The files are handed to the two workers longest first, by the time each took in the last run of
// the same kind (tests/fileDurations.ts records it), as jest orders its files: a long file handed
// out last keeps one worker busy after the other has finished. Files not timed yet go first. The
// order only schedules; every file runs whole in one worker either way.
"use strict";
const fs = require("fs");
const path = require("path");

/**
 * Where a statement at a file's top level starts: a line (after any line terminator JavaScript
 * knows, so CR-only and CRLF files too) that begins in its first column with neither a closing
 * bracket nor a comment, as prettier lays a file out (`npm run lint` checks test files with it).
 */
const topLevelStatement = /^(?![\s})\]]|\/\/|\/\*)./gm;
/** A top-level statement that registers no test when it runs: an import, or a declaration. */
const inert = /(?:import[\s{*"']|(?:export\s+)?(?:const|let|(?:async\s+)?function\*?|interface|type)\s)/y;
/** A `describe` block whose title is one literal string (a test inherits its block's title). */
const describeBlock = /describe(?:\.only|\.skip)?\(\s*(["'`])((?:\\.|(?!\1)[^\\])*)\1\s*,/y;

/**
 * What of a title is the same whatever it is run with: a template's text outside its `${…}`
 * substitutions (whose values the file decides), or nothing where one nests braces.
 */
function literalText(quote, title) {
    const text = quote === "`" ? title.replace(/\$\{[^{}]*\}/g, "") : title;
    return text.includes("${") ? "" : text;
}

/**
 * Whether a test file's text may hold a test `--grep @slow --invert` runs. It holds none only when
 * its top level is imports, declarations and at least one `describe` block whose literal title says
 * @slow (mocha's grep then leaves out every test in them). Any other top-level statement (a test, a
 * block without the tag or with a title that is not one literal, an `if` or a loop, a helper's
 * call) counts as quick: the file is loaded and mocha's grep decides. (A declaration's initializer
 * that calls a helper registering tests is the one shape it misses; tests/testFiles.test.ts's
 * @slow guard checks the list against what mocha itself selects.)
 */
function holdsQuickTests(text) {
    const source = text.replace(/^\uFEFF/, "");
    let slowBlocks = 0;
    for (const { index } of source.matchAll(topLevelStatement)) {
        inert.lastIndex = index;
        if (inert.test(source)) {
            continue;
        }
        describeBlock.lastIndex = index;
        const block = describeBlock.exec(source);
        if (!block || !literalText(block[1], block[2]).includes("@slow")) {
            return true;
        }
        slowBlocks += 1;
    }
    return slowBlocks === 0;
}

/** Every test file under `folder`, as paths relative to it. */
function testFilesIn(folder) {
    return fs
        .readdirSync(folder, { recursive: true, encoding: "utf8" })
        .filter((file) => file.endsWith(".test.ts"))
        .sort();
}

/** What the last runs recorded in `durations`, by file name: `{ ms, run }`. */
function recordedDurations(durations) {
    const recorded = new Map();
    for (const name of fs.existsSync(durations) ? fs.readdirSync(durations) : []) {
        try {
            const { ms, run } = JSON.parse(fs.readFileSync(path.join(durations, name), "utf8"));
            recorded.set(name.replace(/\.json$/, ""), typeof ms === "number" && typeof run === "string" ? { ms, run } : { ms: 0, run: "" });
        } catch {
            // unreadable: timed, but not in the latest run
            recorded.set(name.replace(/\.json$/, ""), { ms: 0, run: "" });
        }
    }
    return recorded;
}

/**
 * The spec of a run: the test files under `testsFolder` (those that may hold a quick test, for
 * the quick run), longest first by what `durations` recorded, as paths from `testsFolder`'s parent.
 */
function spec({ testsFolder, quick, durations }) {
    const recorded = recordedDurations(durations);
    const latestRun = [...recorded.values()].reduce((latest, { run }) => (run > latest ? run : latest), "");
    /**
     * Milliseconds the file took in the latest run, or undefined if it was never timed. A file timed
     * only in an earlier run ran no test in the latest: it takes no time.
     */
    const lastDuration = (file) => {
        const entry = recorded.get(file);
        return entry === undefined ? undefined : entry.run === latestRun ? entry.ms : 0;
    };
    return testFilesIn(testsFolder)
        .filter((file) => !quick || holdsQuickTests(fs.readFileSync(path.join(testsFolder, file), "utf8")))
        .map((file) => ({ file, ms: lastDuration(path.basename(file)) ?? Infinity }))
        .sort((a, b) => b.ms - a.ms || a.file.localeCompare(b.file))
        .map(({ file }) => path.join(path.basename(testsFolder), file));
}

module.exports = { holdsQuickTests, spec, testFilesIn };
