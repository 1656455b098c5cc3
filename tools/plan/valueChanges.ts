// One value against another, change by change: an input, or (where both sides are structured or
// JSON documents) each path inside it that differs, with microdiff (maintained, dependency-free,
// and it reports paths and both values, which is what a reviewer reads). The access diff and the
// audit's drift both read changes this way.
import microdiff from "microdiff";
import type { OktaObject } from "../mock/providers";
import { pathText } from "../../components/pathText";
import { jsonDocument } from "../shared/json";

/** One changed value, in full: an input, or a path inside an input that holds a JSON document. */
export interface ValueChange {
    input: string;
    /** Where inside the input's document (`Statement[0].Condition.ArnEquals.aws:PrincipalArn`); "" for the whole input. */
    path: string;
    /** Absent when the value was not there before; secrets stay "[secret]". */
    before?: unknown;
    /** Absent when the value is gone. */
    after?: unknown;
    /** The Okta ids in either value and the object each stands for: an id alone tells a reviewer nothing. */
    ids?: Record<string, OktaObject>;
    /** A list's entry added (`after`) or removed (`before`): the list at `path` compares as a set, never by position. */
    entry?: true;
}

/** The inputs that differ, diffed by path (microdiff) where both sides are structured or JSON documents. */
export function valueChanges(input: string, before: unknown, after: unknown): ValueChange[] {
    const structured = (value: unknown) => jsonDocument(value) ?? (value !== null && typeof value === "object" ? value : undefined);
    const [beforeDocument, afterDocument] = [structured(before), structured(after)];
    if (beforeDocument && afterDocument && Array.isArray(beforeDocument) === Array.isArray(afterDocument)) {
        return microdiff(beforeDocument as Record<string, unknown>, afterDocument as Record<string, unknown>).map((d) => ({
            input,
            path: pathText(d.path, { quoteKeys: true }),
            ...(d.type !== "CREATE" && { before: d.oldValue as unknown }),
            ...(d.type !== "REMOVE" && { after: d.value as unknown }),
        }));
    }
    return JSON.stringify(before) === JSON.stringify(after)
        ? []
        : [{ input, path: "", ...(before !== undefined && { before }), ...(after !== undefined && { after }) }];
}
