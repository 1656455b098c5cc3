// Names as people sort them: `acct2` before `acct10`. Where both names have a run of digits, the
// runs compare by value; everything else compares by UTF-16 code unit as Array.prototype.sort
// does, so the order never depends on a locale and is the plain order for names without numbers.

const isDigit = (code: number) => code >= 48 && code <= 57;

/** The end of the run of digits that starts at `from`. */
function digitsEnd(text: string, from: number): number {
    let end = from;
    while (end < text.length && isDigit(text.charCodeAt(end))) {
        end++;
    }
    return end;
}

/** A comparator for `sort`: `acct1, acct2, acct10`, not `acct1, acct10, acct2`; 0 only for equal names. */
export function naturalOrder(a: string, b: string): number {
    let [i, j] = [0, 0];
    while (i < a.length && j < b.length) {
        if (isDigit(a.charCodeAt(i)) && isDigit(b.charCodeAt(j))) {
            const [endA, endB] = [digitsEnd(a, i), digitsEnd(b, j)];
            // By value without Number, which loses digits past 2^53: fewer significant digits is smaller.
            const [p, q] = [a.slice(i, endA).replace(/^0+/, ""), b.slice(j, endB).replace(/^0+/, "")];
            if (p !== q) {
                return p.length !== q.length ? p.length - q.length : p < q ? -1 : 1;
            }
            if (endA - i !== endB - j) {
                return endA - i - (endB - j); // `1` before `01`: equal values still have one order
            }
            [i, j] = [endA, endB];
        } else if (a.charCodeAt(i) !== b.charCodeAt(j)) {
            return a.charCodeAt(i) - b.charCodeAt(j);
        } else {
            i++;
            j++;
        }
    }
    return a.length - i - (b.length - j);
}
