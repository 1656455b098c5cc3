// The audit of a live organisation against its code: what the plan says it holds, what Okta and
// AWS hold (read-only), the live access matrix judged on the live documents, and every difference
// as drift or access gained and lost — with the Okta API calls the read took, per rate-limit bucket.
import type { AccessRow, OktaOperationBudget, PlanResult } from "../plan/model";
import { oktaLimits } from "../plan/oktaBudget";
import { plural } from "../shared/numbers";
import { compare, DriftRow, UnjudgedMembership } from "./drift";
import { driftKinds } from "./driftKinds";
import { liveAccess } from "./liveAccess";
import { LiveReaders, readLiveOrganisation } from "./liveOrganisation";
import { plannedOrganisation } from "./planned";
import type { CodeOktaIds } from "./stateIds";

export interface AuditResult {
    /** True when the live organisation matches the code: no drift, no access gained or lost. */
    ok: boolean;
    summary: string;
    drift: DriftRow[];
    accessGained: AccessRow[];
    accessLost: AccessRow[];
    /** Access through the code's existing Okta groups, by login (their members are managed in Okta): not drift. */
    membersInOkta: AccessRow[];
    /** groupMapping: members of the code's role groups added elsewhere, reported but not judged. */
    membershipsElsewhere: UnjudgedMembership[];
    /** samlUserRoles before the roles are imported: assignments the code holds back (their access is not expected yet). */
    pendingAssignments: number;
    /** The Okta API calls of this audit per rate-limit bucket, and the least minutes Okta's default limits allow. */
    oktaApiCalls: OktaOperationBudget & { rateLimitWaits: number; limits: { orgType: string; source: string } };
}

/** One line: "no drift", or how many rows of which kinds, and the access gained and lost. */
function summaryOf(drift: DriftRow[], gained: AccessRow[], lost: AccessRow[]): string {
    if (drift.length + gained.length + lost.length === 0) {
        return "no drift: the live organisation matches the code";
    }
    const kinds = driftKinds
        .map((kind) => [kind, drift.filter((row) => row.kind === kind).length] as const)
        .filter(([, n]) => n > 0)
        .map(([kind, n]) => `${n} ${kind}`);
    return `${plural(drift.length, "drift row")}${kinds.length ? ` (${kinds.join(", ")})` : ""}, +${plural(gained.length, "access row")} outside the code, −${lost.length} lost`;
}

/**
 * Audits the live organisation the readers reach against the built plan, the code's Okta objects
 * known by the ids of the code's state (`stateIds`; offline, as in a rehearsal, the plan's own).
 */
export async function auditOrganisation(
    result: PlanResult,
    readers: LiveReaders,
    now = new Date(),
    stateIds?: CodeOktaIds,
): Promise<AuditResult> {
    const planned = plannedOrganisation(result, stateIds);
    const live = await readLiveOrganisation(planned, readers);
    const access = await liveAccess(planned, live);
    const { drift, accessGained, accessLost, membersInOkta, unjudged } = compare(planned, live, access, now);
    const budget = readers.okta.budget();
    return {
        ok: drift.length + accessGained.length + accessLost.length === 0,
        summary: summaryOf(drift, accessGained, accessLost),
        drift,
        accessGained,
        accessLost,
        membersInOkta,
        membershipsElsewhere: unjudged,
        pendingAssignments: planned.pendingAssignments,
        oktaApiCalls: {
            ...budget,
            rateLimitWaits: readers.okta.rateLimitWaits,
            limits: { orgType: oktaLimits.orgType, source: oktaLimits.source },
        },
    };
}
