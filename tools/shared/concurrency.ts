// Bounded concurrency: independent tasks a few at a time, their results in the order of the items.

/**
 * Runs `task` over `items` with at most `limit` at a time and hands the results to `deliver` in
 * the items' order, so the output is the same however the tasks interleave.
 */
export async function mapInOrder<T, R>(
    items: T[],
    limit: number,
    task: (item: T) => Promise<R>,
    deliver: (result: R) => void,
): Promise<void> {
    const done = new Map<number, R>();
    let next = 0;
    let delivered = 0;
    const worker = async () => {
        while (next < items.length) {
            const index = next++;
            done.set(index, await task(items[index]));
            for (; done.has(delivered); delivered++) {
                deliver(done.get(delivered)!);
                done.delete(delivered);
            }
        }
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** The results of `task` over `items`, at most `limit` at a time, in the items' order. */
export async function mapLimited<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
    const results: R[] = [];
    await mapInOrder(items, limit, task, (result) => results.push(result));
    return results;
}
