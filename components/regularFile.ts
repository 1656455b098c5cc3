// Reads a file only if it is a regular one: a FIFO or device is refused from its type before it
// is opened, and the open is non-blocking and checked again, so one swapped in meanwhile cannot
// hang the run or fill its memory. Its text must hold only the characters every reader reads
// alike (./plainText.ts). Shared by the program (policy document files) and the tools.
import * as fs from "fs";
import { NotRegularFile } from "./errors";
import { RefusedCharacter, refusedCharacters, shownPlainly, TextSyntax } from "./plainText";

/** A file holding characters that readers (or a person and a parser) read differently. */
export class RefusedText extends Error {
    constructor(readonly refused: RefusedCharacter[]) {
        super(
            refused
                .map((each) => `line ${each.line} column ${each.column} (${shownPlainly(JSON.stringify(each.excerpt))}): ${each.reason}`)
                .join("; "),
        );
    }
}

/** What a file is, for a file that is not a regular one; undefined for a regular file. */
function kindOf(stat: fs.Stats): string | undefined {
    return stat.isFile()
        ? undefined
        : stat.isDirectory()
          ? "a directory"
          : stat.isFIFO()
            ? "a FIFO (named pipe)"
            : stat.isCharacterDevice()
              ? "a character device"
              : stat.isBlockDevice()
                ? "a block device"
                : stat.isSocket()
                  ? "a socket"
                  : "not a regular file";
}

/**
 * The text of `file` (a path without links: resolve it with realpath first), parsed as `syntax`;
 * NotRegularFile or RefusedText otherwise; other failures are thrown as fs throws them.
 */
export function readRegularFileText(file: string, syntax: TextSyntax): string {
    const kind = kindOf(fs.statSync(file));
    if (kind) {
        throw new NotRegularFile(kind);
    }
    const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOFOLLOW);
    try {
        const swapped = kindOf(fs.fstatSync(fd));
        if (swapped) {
            throw new NotRegularFile(swapped);
        }
        const { text, refused } = refusedCharacters(fs.readFileSync(fd), syntax);
        if (refused.length > 0) {
            throw new RefusedText(refused);
        }
        return text;
    } finally {
        fs.closeSync(fd);
    }
}
