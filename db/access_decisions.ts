/**
 * The clerk's actions on a request (DOMAIN §5): review, counter-party notice, completion,
 * decision, withdrawal, consultation. Each checks the state machine and the decision rules,
 * writes a history row and its audit entry, recomputes the due date and queues the snapshot for
 * the archive.
 */
import { eq } from "drizzle-orm";
import type { Db } from "./client.ts";
import { auditActionIn } from "./audit.ts";
import { accessRequestEvents, accessRequests } from "./schema.ts";
import { enqueueRequestEventNotice } from "./notices.ts";
import type { Tx } from "./outbox.ts";
import {
  type AccessRequestRow,
  nextSeq,
  queueSnapshot,
  type WriteContext,
} from "./access_requests.ts";
import {
  completionNoticeBy,
  computeDueDate,
  daysBetween,
  type DeadlineSettings,
  localDate,
} from "../domain/access_deadline.ts";
import {
  AccessRuleError,
  type AccessState,
  canMove,
  type DecisionOutcome,
  isAccessState,
} from "../domain/access_states.ts";

/** Minimum consultation window for an accepted request (DPR 184/2006 art. 7). */
export const MIN_CONSULTATION_DAYS = 15;

/** A decision with its reasons and, when granted, where and when to consult. */
export interface Decision {
  outcome: DecisionOutcome;
  reason?: string | undefined;
  legalBasis?: string | undefined;
  grantedScope?: string | undefined;
  deferredUntil?: string | undefined;
  consultationFrom?: string | undefined;
  consultationTo?: string | undefined;
  consultationPlace?: string | undefined;
}

/** Everything a clerk can do to a request. */
export type DeskAction =
  | { kind: "start_review" }
  | { kind: "notify_counterparties"; on: string }
  | { kind: "counterparties_resolved"; on: string }
  | { kind: "request_completion"; note?: string | undefined }
  | { kind: "completed"; on: string }
  | { kind: "decide"; decision: Decision }
  | { kind: "withdraw" }
  | { kind: "consultation_done"; on: string; fees?: string | undefined }
  | { kind: "record_appeal"; text: string };

type Changes = Partial<typeof accessRequests.$inferInsert>;

function checkDecision(d: Decision, today: string): Changes {
  const granted = d.outcome === "accepted" || d.outcome === "partially_accepted";
  if (d.outcome !== "accepted") {
    // L. 241/1990 art. 25 c.3: anything short of full access must be motivated.
    if (!d.reason) throw new AccessRuleError((t) => t.deskRequest.reasonRequired, "reason");
    if (!d.legalBasis) {
      throw new AccessRuleError((t) => t.deskRequest.legalBasisRequired, "legalBasis");
    }
  }
  if (d.outcome === "deferred" && !(d.deferredUntil && d.deferredUntil > today)) {
    throw new AccessRuleError((t) => t.deskRequest.deferredFuture, "deferredUntil");
  }
  if (granted) {
    if (!d.consultationPlace) {
      throw new AccessRuleError((t) => t.deskRequest.placeRequired, "consultationPlace");
    }
    if (!d.consultationFrom || !d.consultationTo) {
      throw new AccessRuleError((t) => t.deskRequest.periodRequired, "consultationFrom");
    }
    if (daysBetween(d.consultationFrom, d.consultationTo) + 1 < MIN_CONSULTATION_DAYS) {
      throw new AccessRuleError(
        (t) => t.deskRequest.periodTooShort(MIN_CONSULTATION_DAYS),
        "consultationTo",
      );
    }
  }
  return {
    decidedOn: today,
    outcomeReason: d.reason ?? null,
    legalBasis: d.legalBasis ?? null,
    grantedScope: d.grantedScope ?? null,
    deferredUntil: d.outcome === "deferred" ? d.deferredUntil ?? null : null,
    consultationFrom: granted ? d.consultationFrom ?? null : null,
    consultationTo: granted ? d.consultationTo ?? null : null,
    consultationPlace: granted ? d.consultationPlace ?? null : null,
  };
}

function target(action: DeskAction): AccessState | undefined {
  switch (action.kind) {
    case "start_review":
    case "counterparties_resolved":
    case "completed":
      return "in_review";
    case "notify_counterparties":
      return "awaiting_counterparties";
    case "request_completion":
      return "awaiting_completion";
    case "decide":
      return action.decision.outcome;
    case "withdraw":
      return "withdrawn";
    case "consultation_done":
    case "record_appeal":
      return undefined;
  }
}

function changesFor(
  action: DeskAction,
  row: AccessRequestRow,
  today: string,
): Changes {
  switch (action.kind) {
    case "notify_counterparties":
      return { hasCounterparties: true, counterpartiesNotifiedOn: action.on };
    case "counterparties_resolved":
      return { counterpartiesResolvedOn: action.on };
    case "completed":
      // DPR 184/2006 art. 6: the 30 days restart from the completed request.
      return {
        clockStartOn: action.on,
        counterpartiesNotifiedOn: null,
        counterpartiesResolvedOn: null,
      };
    case "decide":
      return { ...checkDecision(action.decision, today), decidedBy: null };
    case "consultation_done":
      if (row.state !== "accepted" && row.state !== "partially_accepted") {
        throw new AccessRuleError((t) => t.deskRequest.consultationOnlyGranted);
      }
      return { deliveredOn: action.on, fees: action.fees ?? null };
    case "record_appeal":
      // Riesame (RPCT) or appeal (TAR, difensore civico): published as yes/no in the registro.
      if (!row.decidedOn) throw new AccessRuleError((t) => t.deskRequest.appealAfterDecision);
      return { appeal: action.text };
    default:
      return {};
  }
}

/**
 * An incomplete documentale request is sent back within 10 days (DPR 184/2006 art. 6): later
 * it counts as complete, and sending it back would restart its 30 days unlawfully.
 */
function checkCompletionWindow(
  regime: AccessRequestRow["regime"],
  clockStartOn: string,
  today: string,
  settings: DeadlineSettings,
): void {
  const by = completionNoticeBy(regime, clockStartOn, settings.holidays);
  if (by === undefined || today <= by) return;
  throw new AccessRuleError((t) => t.deskRequest.completionClosed(by));
}

/**
 * Applies one desk action by `actor` and appends its audit entry (with its outbox row on a
 * branch) in the same transaction; throws AccessRuleError when the rules refuse it.
 */
export async function applyDeskAction(
  db: Db,
  id: string,
  action: DeskAction,
  actor: string,
  ctx: WriteContext & {
    settings: DeadlineSettings;
    /** Writes what belongs with the action (the grant of an acceptance) in its transaction. */
    within?: ((tx: Tx, row: AccessRequestRow) => Promise<void>) | undefined;
  },
): Promise<AccessRequestRow> {
  const today = localDate(ctx.now);
  const at = ctx.now.toISOString();
  return await db.transaction(async (tx) => {
    const row = await tx.select().from(accessRequests).where(eq(accessRequests.id, id)).get();
    if (!row) throw new AccessRuleError((t) => t.deskRequest.requestNotFound);
    const from = isAccessState(row.state) ? row.state : "received";
    const to = target(action);
    if (to && !canMove(from, to)) {
      throw new AccessRuleError((t) => t.deskRequest.notAllowed(t.request.states[from]));
    }
    if (action.kind === "request_completion") {
      checkCompletionWindow(row.regime, row.clockStartOn, today, ctx.settings);
    }
    // Documentale access rests on the requester's title (DPR 184/2006 art. 2): the desk
    // checks and records it before granting anything.
    if (
      action.kind === "decide" && row.regime === "documentale" && !row.titleKind &&
      (to === "accepted" || to === "partially_accepted")
    ) {
      throw new AccessRuleError((t) => t.deskRequest.titleBeforeAccepting, "titleKind");
    }
    const changes = changesFor(action, row, today);
    if (action.kind === "decide") changes.decidedBy = actor;
    const merged = { ...row, ...changes };
    const dueOn = computeDueDate({
      regime: merged.regime,
      clockStartOn: merged.clockStartOn,
      counterpartiesNotifiedOn: merged.counterpartiesNotifiedOn,
      counterpartiesResolvedOn: merged.counterpartiesResolvedOn,
    }, ctx.settings);
    const seq = await nextSeq(tx);
    const [updated] = await tx.update(accessRequests)
      .set({ ...changes, state: to ?? from, dueOn, updatedAt: at, seq })
      .where(eq(accessRequests.id, id)).returning();
    if (!updated) throw new Error("request vanished during update");
    const event = {
      id: crypto.randomUUID(),
      requestId: id,
      at,
      fromState: from,
      toState: to ?? from,
      actor,
      note: action.kind,
      updatedAt: at,
      seq,
    };
    await tx.insert(accessRequestEvents).values(event);
    // At the archive the citizen's notice is queued with the event; a branch's event is
    // queued by the archive when the snapshot arrives (db/access_request_sync.ts).
    if (!ctx.outbox) await enqueueRequestEventNotice(tx, updated, event, ctx.now);
    await queueSnapshot(tx, id, ctx);
    // What goes with the action (an acceptance's grant), after its snapshot in the outbox.
    if (ctx.within) await ctx.within(tx, updated);
    // In the same transaction: a decision is never kept without its audit entry, nor the
    // entry without the decision.
    await auditActionIn(tx, { ...ctx, actor }, {
      action: action.kind === "decide" ? "decide" : `request_${action.kind}`,
      recordKind: "access_request",
      recordId: id,
      detail: updated.state,
    });
    return updated;
  });
}
