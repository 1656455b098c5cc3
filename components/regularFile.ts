// Reads a file only if it is a regular one: a FIFO or device is refused from its type before it
// is opened, and the open is non-blocking and checked again, so one swapped in meanwhile cannot
// hang the run or fill its memory. Shared by the program (policy document files) and the tools.
import * as fs from "fs";

/** A file that is not a regular file: what it is instead. */
export class NotRegularFile extends Error {
    constructor(readonly kind: string) {
        super(`is ${kind}`);
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
 * The text of `file` (a path without links: resolve it with realpath first), or NotRegularFile;
 * other failures are thrown as fs throws them.
 */
export function readRegularFileText(file: string): string {
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
        return fs.readFileSync(fd, "utf8");
    } finally {
        fs.closeSync(fd);
    }
}
