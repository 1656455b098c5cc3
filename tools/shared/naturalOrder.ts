// Names as people sort them: `acct2` before `acct10`. Runs of digits compare by their value, the
// rest by UTF-16 code units as Array.prototype.sort does, so the order never depends on a locale.

/** A comparator for `sort`: `acct1, acct2, acct10`, not `acct1, acct10, acct2`; 0 only for equal names. */
export function naturalOrder(a: string, b: string): number {
    const [x, y] = [a.match(/\d+|\D+/g) ?? [], b.match(/\d+|\D+/g) ?? []];
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
        const [p, q] = [x[i], y[i]];
        if (p === q) {
            continue;
        }
        if (/^\d/.test(p) && /^\d/.test(q)) {
            // By value without Number, which loses digits past 2^53: fewer significant digits is smaller.
            const [pv, qv] = [p.replace(/^0+/, ""), q.replace(/^0+/, "")];
            if (pv !== qv) {
                return pv.length !== qv.length ? pv.length - qv.length : pv < qv ? -1 : 1;
            }
            return p.length - q.length; // `1` before `01`: equal values still have one order
        }
        return p < q ? -1 : 1;
    }
    return x.length - y.length;
}
