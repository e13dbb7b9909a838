/**
 * Access requests in the DB: filing, lookup, the clerk's queue. Every write bumps the row's
 * `seq` (so the archive feed carries it back down) and, on a branch, enqueues the request's
 * full snapshot in the outbox in the same transaction (so it goes up exactly once).
 */
import { and, asc, count, desc, eq, gte, inArray, lt, type SQL, sql } from "drizzle-orm";
import type { Db } from "./client.ts";
import { accessRequestEvents, accessRequestRecords, accessRequests, counters } from "./schema.ts";
import { enqueueMutation, type Tx } from "./outbox.ts";
import { enqueueRequestEventNotice } from "./notices.ts";
import {
  computeDueDate,
  type DeadlineSettings,
  localDate,
  type Regime,
} from "../domain/access_deadline.ts";
import { newReceiptCode } from "../domain/receipt_code.ts";
import type { AccessState } from "../domain/access_states.ts";
import type { Locale } from "../i18n/locale.ts";

/** A request row as stored. */
export type AccessRequestRow = typeof accessRequests.$inferSelect;
/** One event of a request's history. */
export type AccessRequestEvent = typeof accessRequestEvents.$inferSelect;
/** A record asked for. */
export interface RequestedRecord {
  kind: "dossier" | "act";
  id: string;
}
/** A request with what it asks for and its history: also the sync payload. */
export interface AccessRequestSnapshot {
  request: AccessRequestRow;
  records: RequestedRecord[];
  events: AccessRequestEvent[];
}

/** The outbox/feed entity name of access requests. */
export const ACCESS_REQUEST_ENTITY = "access_request";

/** What the citizen gives at the kiosk, already validated. */
export interface NewAccessRequest {
  regime: Regime;
  requesterName: string;
  /** Normalised codice fiscale or company code. */
  taxCode: string;
  email?: string | undefined;
  /** Notices on App IO too, to `taxCode`. */
  notifyAppIo?: boolean | undefined;
  /** The language the citizen filed in (their notices' language); Italian if not given. */
  locale?: Locale | undefined;
  phone?: string | undefined;
  motivation?: string | undefined;
  requesterTitle?: string | undefined;
  mode: "view" | "copy" | "certified_copy";
  recordsDescription?: string | undefined;
  records: RequestedRecord[];
  /** Urgent handling asked for (a surcharge when the fee table has one). */
  urgent?: boolean | undefined;
  /** The fee shown before filing; one that is due makes the request wait for payment. */
  fee?: {
    dueCents: number;
    totalCents: number;
    exemption?: { id: string; reason: string } | undefined;
  } | undefined;
}

/** Where and when a write happens. */
export interface WriteContext {
  now: Date;
  /** Branch name stored on the request and in audit rows. */
  branch: string;
  /** Branches queue their writes for the archive; the archive itself does not. */
  outbox: boolean;
}

/** Takes the next change sequence number in the caller's transaction. */
export async function nextSeq(tx: Tx): Promise<number> {
  const [row] = await tx.update(counters).set({ value: sql`${counters.value} + 1` })
    .where(eq(counters.name, "change_seq")).returning({ value: counters.value });
  if (!row) throw new Error("counters.change_seq is missing");
  return row.value;
}

async function snapshotIn(tx: Tx | Db, id: string): Promise<AccessRequestSnapshot | undefined> {
  const request = await tx.select().from(accessRequests).where(eq(accessRequests.id, id)).get();
  if (!request) return undefined;
  const records = await tx.select().from(accessRequestRecords)
    .where(eq(accessRequestRecords.requestId, id));
  const events = await tx.select().from(accessRequestEvents)
    .where(eq(accessRequestEvents.requestId, id)).orderBy(asc(accessRequestEvents.at));
  return {
    request,
    records: records.map((r) => ({ kind: r.recordKind, id: r.recordId })),
    events,
  };
}

/** The request with its records and history, or undefined. */
export function readAccessRequest(
  db: Db | Tx,
  id: string,
): Promise<AccessRequestSnapshot | undefined> {
  return snapshotIn(db, id);
}

/** Queues the request's current snapshot for the archive (branches only). */
export async function queueSnapshot(tx: Tx, id: string, ctx: WriteContext): Promise<void> {
  if (!ctx.outbox) return;
  const payload = await snapshotIn(tx, id);
  await enqueueMutation(tx, { entity: ACCESS_REQUEST_ENTITY, entityId: id, payload }, ctx.now);
}

/**
 * Files a request: new receipt code, due date from today, history row, outbox entry.
 * `within` writes what belongs with the request (an online filing's attachments) in the same
 * transaction, so a failure leaves neither.
 */
export async function createAccessRequest(
  db: Db,
  input: NewAccessRequest,
  ctx: WriteContext & {
    branchCode: string;
    settings: DeadlineSettings;
    within?: (tx: Tx, row: AccessRequestRow) => Promise<void>;
  },
): Promise<AccessRequestRow> {
  const today = localDate(ctx.now);
  const at = ctx.now.toISOString();
  const id = crypto.randomUUID();
  const dueOn = computeDueDate({ regime: input.regime, clockStartOn: today }, ctx.settings);
  // A fee that is due holds the request back from the desk until pagoPA says it was paid.
  const initialState: AccessState = (input.fee?.dueCents ?? 0) > 0
    ? "awaiting_payment"
    : "received";
  for (let attempt = 0;; attempt++) {
    // 32^5 codes per branch: a clash is rare, and the unique index turns it into a retry.
    const receiptCode = newReceiptCode(ctx.branchCode);
    const taken = await db.select({ id: accessRequests.id }).from(accessRequests)
      .where(eq(accessRequests.receiptCode, receiptCode)).get();
    if (taken && attempt < 10) continue;
    return await db.transaction(async (tx) => {
      const seq = await nextSeq(tx);
      const [row] = await tx.insert(accessRequests).values({
        id,
        receiptCode,
        branch: ctx.branch,
        regime: input.regime,
        requesterName: input.requesterName,
        taxCode: input.taxCode,
        email: input.email ?? null,
        notifyAppIo: input.notifyAppIo ?? false,
        locale: input.locale ?? "it",
        phone: input.phone ?? null,
        motivation: input.motivation ?? null,
        requesterTitle: input.requesterTitle ?? null,
        mode: input.mode,
        recordsDescription: input.recordsDescription ?? null,
        state: initialState,
        urgent: input.urgent ?? false,
        feeCents: input.fee?.totalCents ?? null,
        feeExemptionId: input.fee?.exemption?.id ?? null,
        feeExemptionReason: input.fee?.exemption?.reason ?? null,
        filedAt: at,
        clockStartOn: today,
        dueOn,
        updatedAt: at,
        seq,
      }).returning();
      if (!row) throw new Error("request insert returned no row");
      if (input.records.length > 0) {
        await tx.insert(accessRequestRecords).values(
          input.records.map((r) => ({ requestId: id, recordKind: r.kind, recordId: r.id })),
        ).onConflictDoNothing();
      }
      const filed = {
        id: crypto.randomUUID(),
        requestId: id,
        at,
        fromState: null,
        toState: initialState,
        actor: null,
        note: `Presentata presso ${ctx.branch}`,
        updatedAt: at,
        seq,
      };
      await tx.insert(accessRequestEvents).values(filed);
      // The archive tells the citizen at once; a branch's filing is told when it arrives there.
      if (!ctx.outbox) await enqueueRequestEventNotice(tx, row, filed, ctx.now);
      if (ctx.within) await ctx.within(tx, row);
      await queueSnapshot(tx, id, ctx);
      return row;
    });
  }
}

/** The request with this receipt code, or undefined. */
export function findByReceiptCode(db: Db, code: string): Promise<AccessRequestRow | undefined> {
  return db.select().from(accessRequests).where(eq(accessRequests.receiptCode, code)).get();
}

/** Filters of the clerk's queue. */
export interface QueueFilter {
  state?: AccessState | undefined;
  regime?: Regime | undefined;
  /** Include closed requests (decided, withdrawn). */
  all?: boolean;
}

const CLOSED: AccessState[] = ["accepted", "partially_accepted", "refused", "withdrawn"];

/** The queue, soonest due first (days left ascending, so overdue comes on top). */
export function listQueue(db: Db, filter: QueueFilter, limit = 200): Promise<AccessRequestRow[]> {
  const where: SQL[] = [];
  if (filter.state) where.push(eq(accessRequests.state, filter.state));
  else if (!filter.all) where.push(sql`${accessRequests.state} not in ${CLOSED}`);
  if (filter.regime) where.push(eq(accessRequests.regime, filter.regime));
  return db.select().from(accessRequests).where(and(...where))
    .orderBy(asc(accessRequests.dueOn), asc(accessRequests.filedAt)).limit(limit);
}

/** Requests filed in a period (ISO dates, both optional and inclusive), newest first. */
export function listAllRequests(
  db: Db,
  period: { from?: string | undefined; to?: string | undefined } = {},
  limit = 20_000,
): Promise<AccessRequestRow[]> {
  const where: SQL[] = [];
  if (period.from) where.push(gte(accessRequests.filedAt, period.from));
  // filedAt is a full timestamp: everything of the last day sorts below "YYYY-MM-DDU".
  if (period.to) where.push(lt(accessRequests.filedAt, `${period.to}U`));
  return db.select().from(accessRequests).where(and(...where))
    .orderBy(desc(accessRequests.filedAt)).limit(limit);
}

/** Records asked for by several requests at once. */
export async function recordsOfRequests(
  db: Db,
  ids: string[],
): Promise<Map<string, RequestedRecord[]>> {
  const out = new Map<string, RequestedRecord[]>();
  if (ids.length === 0) return out;
  const rows = await db.select().from(accessRequestRecords)
    .where(inArray(accessRequestRecords.requestId, ids));
  for (const r of rows) {
    const list = out.get(r.requestId) ?? [];
    list.push({ kind: r.recordKind, id: r.recordId });
    out.set(r.requestId, list);
  }
  return out;
}

/**
 * Applies a snapshot that came from elsewhere (a branch's push at the archive, the archive's
 * feed at a branch): the newer `updatedAt` wins, history rows are added once, and the row
 * takes a local seq so the archive's feed passes it on to every branch.
 */
export async function applyAccessRequestSnapshot(
  tx: Tx,
  snap: AccessRequestSnapshot,
  /** Receives the history rows this apply added (not those already known): their notices. */
  newEvents?: AccessRequestEvent[],
): Promise<"applied" | "stale"> {
  const current = await tx.select({ updatedAt: accessRequests.updatedAt }).from(accessRequests)
    .where(eq(accessRequests.id, snap.request.id)).get();
  const [known] = await tx.select({ n: count() }).from(accessRequestEvents)
    .where(eq(accessRequestEvents.requestId, snap.request.id));
  for (const e of snap.events) {
    const added = await tx.insert(accessRequestEvents).values({ ...e, seq: 0 })
      .onConflictDoNothing().returning({ id: accessRequestEvents.id });
    if (added.length > 0) newEvents?.push(e);
  }
  // Newest wins; two writes in the same millisecond are told apart by how much history each
  // has seen, since every change adds one event.
  if (current) {
    if (current.updatedAt > snap.request.updatedAt) return "stale";
    if (current.updatedAt === snap.request.updatedAt && (known?.n ?? 0) >= snap.events.length) {
      return "stale";
    }
  }
  const seq = await nextSeq(tx);
  const row = { ...snap.request, seq };
  await tx.insert(accessRequests).values(row).onConflictDoUpdate({
    target: accessRequests.id,
    set: row,
  });
  await tx.delete(accessRequestRecords).where(eq(accessRequestRecords.requestId, row.id));
  if (snap.records.length > 0) {
    await tx.insert(accessRequestRecords).values(
      snap.records.map((r) => ({ requestId: row.id, recordKind: r.kind, recordId: r.id })),
    );
  }
  return "applied";
}

/** Receipt codes of these request ids (the code is what clerks and citizens call a request). */
export async function receiptCodesOf(db: Db, ids: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db.select({ id: accessRequests.id, code: accessRequests.receiptCode })
    .from(accessRequests).where(inArray(accessRequests.id, unique));
  return new Map(rows.map((r) => [r.id, r.code]));
}
