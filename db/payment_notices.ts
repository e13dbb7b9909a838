/**
 * pagoPA payment notices in the DB. The archive opens a notice for each request waiting for
 * payment (fee from its own fee table, IUV allocated from a yearly counter in the same
 * transaction, unique index as the last guard), tracks its registration on GPD and, once
 * GPD says it was paid, lets the request through to the desk. Every write takes a `seq`, so
 * the feed (`paymentNoticeFeedEntity`) brings notices down to the branches.
 */
import { and, asc, eq, gt, inArray, isNull, lte, or, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "./client.ts";
import {
  accessRequestEvents,
  accessRequestRecords,
  accessRequests,
  acts,
  counters,
  documents,
  dossiers,
  paymentNotices,
} from "./schema.ts";
import { nextSeq } from "./access_requests.ts";
import { readFeeTable } from "./fees.ts";
import { computeFee, type FeeInput, type FeeQuote } from "../domain/fees.ts";
import { buildIuv, iuvBaseFor, noticeNumberOf, noticePurpose } from "../domain/pagopa_notice.ts";
import { addDays, localDate } from "../domain/access_deadline.ts";
import type { DbOrTx, Tx } from "./outbox.ts";
import { enqueueNotice, recipientsOf } from "./notices.ts";
import type { FeedEntity } from "../sync/feed_entities.ts";

/** A notice row as stored. */
export type PaymentNotice = typeof paymentNotices.$inferSelect;
/** Feed entity name. */
export const PAYMENT_NOTICE_ENTITY = "payment_notice";

/** What the archive needs to open notices. */
export interface NoticeSettings {
  enteFiscalCode: string;
  enteName: string;
  segregationCode: string;
  dueDays: number;
}

/** The fee inputs of a request: its records' years and scan pages, looked up here. */
export async function feeInputOf(
  db: DbOrTx,
  r: {
    regime: FeeInput["regime"];
    mode: FeeInput["mode"];
    urgent: boolean;
    records: { kind: "dossier" | "act"; id: string }[];
    recordsDescription?: string | null | undefined;
    exemptionId?: string | null | undefined;
  },
): Promise<FeeInput> {
  const dossierIds = r.records.filter((x) => x.kind === "dossier").map((x) => x.id);
  const actIds = r.records.filter((x) => x.kind === "act").map((x) => x.id);
  const years = new Map<string, number>();
  if (dossierIds.length > 0) {
    for (
      const d of await db.select({ id: dossiers.id, year: dossiers.year }).from(dossiers)
        .where(inArray(dossiers.id, dossierIds))
    ) years.set(`dossier:${d.id}`, d.year);
  }
  if (actIds.length > 0) {
    for (
      const a of await db.select({ id: acts.id, year: acts.year }).from(acts)
        .where(inArray(acts.id, actIds))
    ) years.set(`act:${a.id}`, a.year);
  }
  const pages = new Map<string, number>();
  if (r.records.length > 0) {
    const rows = await db.select({
      kind: documents.recordKind,
      id: documents.recordId,
      pages: sql<number>`sum(${documents.pages})`,
    }).from(documents).where(
      inArray(documents.recordId, r.records.map((x) => x.id)),
    ).groupBy(documents.recordKind, documents.recordId);
    for (const p of rows) pages.set(`${p.kind}:${p.id}`, Number(p.pages));
  }
  return {
    regime: r.regime,
    mode: r.mode,
    urgent: r.urgent,
    records: r.records.map((x) => ({
      kind: x.kind,
      year: years.get(`${x.kind}:${x.id}`) ?? null,
      pages: pages.get(`${x.kind}:${x.id}`) ?? 0,
    })),
    described: Boolean(r.recordsDescription?.trim()),
    exemptionId: r.exemptionId ?? null,
  };
}

/** The bill of a request as the fee table of this DB prices it. */
export async function quoteFee(
  db: DbOrTx,
  r: Parameters<typeof feeInputOf>[1],
): Promise<FeeQuote> {
  const table = await readFeeTable(db);
  return computeFee(table.rules, table.exemptions, await feeInputOf(db, r));
}

/** The notice of a request, or undefined. */
export function findNotice(db: DbOrTx, requestId: string): Promise<PaymentNotice | undefined> {
  return db.select().from(paymentNotices).where(eq(paymentNotices.requestId, requestId)).get();
}

/** Allocates the next IUV base of `year` in the caller's transaction. */
async function nextIuvBase(tx: Tx, year: number): Promise<string> {
  const name = `iuv.${year}`;
  const [row] = await tx.insert(counters).values({ name, value: 1 }).onConflictDoUpdate({
    target: counters.name,
    set: { value: sql`${counters.value} + 1` },
  }).returning({ value: counters.value });
  if (!row) throw new Error("IUV counter returned no row");
  return iuvBaseFor(year, row.value);
}

/** Moves a paid (or free) request on to the desk; returns its history event, if it moved. */
async function moveToDesk(
  tx: Tx,
  requestId: string,
  note: string,
  now: Date,
): Promise<{ id: string; row: typeof accessRequests.$inferSelect } | undefined> {
  const at = now.toISOString();
  const seq = await nextSeq(tx);
  const [row] = await tx.update(accessRequests).set({ state: "received", updatedAt: at, seq })
    .where(and(eq(accessRequests.id, requestId), eq(accessRequests.state, "awaiting_payment")))
    .returning();
  if (!row) return undefined;
  const id = crypto.randomUUID();
  await tx.insert(accessRequestEvents).values({
    id,
    requestId,
    at,
    fromState: "awaiting_payment",
    toState: "received",
    actor: null,
    note,
    updatedAt: at,
    seq,
  });
  return { id, row };
}

/**
 * Archive: opens the notice of every request waiting for payment that has none yet (filed at
 * a branch and just received by sync, or filed here). A request the archive's table prices at
 * nothing goes straight to the desk. Returns how many notices were opened.
 */
export async function openPendingNotices(
  db: Db,
  settings: NoticeSettings,
  now: Date,
): Promise<number> {
  const waiting = await db.select({ id: accessRequests.id }).from(accessRequests)
    .leftJoin(paymentNotices, eq(paymentNotices.requestId, accessRequests.id))
    .where(and(eq(accessRequests.state, "awaiting_payment"), isNull(paymentNotices.requestId)))
    .limit(500);
  let opened = 0;
  for (const { id } of waiting) {
    if (await openNotice(db, id, settings, now)) opened++;
  }
  return opened;
}

async function openNotice(
  db: Db,
  requestId: string,
  settings: NoticeSettings,
  now: Date,
): Promise<boolean> {
  return await db.transaction(async (tx) => {
    const r = await tx.select().from(accessRequests).where(eq(accessRequests.id, requestId))
      .get();
    if (!r || r.state !== "awaiting_payment") return false;
    if (await findNotice(tx, requestId)) return false;
    const records = await tx.select().from(accessRequestRecords)
      .where(eq(accessRequestRecords.requestId, requestId));
    const quote = await quoteFee(tx, {
      regime: r.regime,
      mode: r.mode,
      urgent: r.urgent,
      records: records.map((x) => ({ kind: x.recordKind, id: x.recordId })),
      recordsDescription: r.recordsDescription,
      exemptionId: r.feeExemptionId,
    });
    if (quote.dueCents === 0) {
      await moveToDesk(tx, requestId, "Nessun diritto dovuto secondo il tariffario", now);
      return false;
    }
    const base = await nextIuvBase(tx, now.getUTCFullYear());
    const iuv = buildIuv(settings.segregationCode, base);
    const at = now.toISOString();
    await tx.insert(paymentNotices).values({
      requestId,
      receiptCode: r.receiptCode,
      iuv,
      noticeNumber: noticeNumberOf(iuv),
      enteFiscalCode: settings.enteFiscalCode,
      enteName: settings.enteName,
      amountCents: quote.dueCents,
      lines: JSON.stringify(quote.lines),
      dueOn: addDays(localDate(now), settings.dueDays),
      purpose: noticePurpose(r.receiptCode),
      payerTaxCode: r.taxCode,
      payerName: r.requesterName,
      status: "pending",
      nextAttemptAt: at,
      updatedAt: at,
      seq: await nextSeq(tx),
    });
    return true;
  });
}

/** Archive: notices still to register on GPD whose next attempt is due. */
export function noticesToRegister(db: Db, now: Date, limit = 50): Promise<PaymentNotice[]> {
  return db.select().from(paymentNotices).where(and(
    eq(paymentNotices.status, "pending"),
    lte(paymentNotices.nextAttemptAt, now.toISOString()),
  )).orderBy(asc(paymentNotices.nextAttemptAt)).limit(limit);
}

/** Archive: registered notices not polled since `before` (oldest poll first). */
export function noticesToPoll(db: Db, before: Date, limit = 50): Promise<PaymentNotice[]> {
  return db.select().from(paymentNotices).where(and(
    eq(paymentNotices.status, "registered"),
    or(isNull(paymentNotices.lastPolledAt), lte(paymentNotices.lastPolledAt, before.toISOString())),
  )).orderBy(asc(paymentNotices.lastPolledAt)).limit(limit);
}

/** Archive: GPD has the position; the notice becomes payable (and travels down). */
export async function markRegistered(db: Db, requestId: string, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    const at = now.toISOString();
    const [n] = await tx.update(paymentNotices).set({
      status: "registered",
      registeredAt: at,
      lastError: null,
      nextAttemptAt: null,
      updatedAt: at,
      seq: await nextSeq(tx),
    }).where(and(eq(paymentNotices.requestId, requestId), eq(paymentNotices.status, "pending")))
      .returning();
    if (!n) return;
    // Payable now: the citizen is told, with the data App IO's "Paga" button needs.
    const r = await tx.select().from(accessRequests).where(eq(accessRequests.id, requestId)).get();
    if (!r) return;
    await enqueueNotice(
      tx,
      {
        eventId: `fee_notice:${n.noticeNumber}`,
        kind: "fee_notice_issued",
        receiptCode: n.receiptCode,
        payment: {
          amountCents: n.amountCents,
          noticeNumber: n.noticeNumber,
          payeeFiscalCode: n.enteFiscalCode,
        },
        dueOn: n.dueOn,
      },
      recipientsOf(r),
      now,
    );
  });
}

/**
 * Archive: a registration attempt failed. `retryAt` undefined leaves the notice waiting for
 * an admin (a refused payload); the message is kept for the admin page. No seq: the branches
 * need not hear of each failed attempt.
 */
export async function markAttemptFailed(
  db: Db,
  requestId: string,
  message: string,
  retryAt: Date | undefined,
): Promise<void> {
  await db.update(paymentNotices).set({
    attempts: sql`${paymentNotices.attempts} + 1`,
    lastError: message,
    nextAttemptAt: retryAt ? retryAt.toISOString() : null,
  }).where(eq(paymentNotices.requestId, requestId));
}

/** Archive: a position GPD does not know under our IUV's number, taken by another: new IUV. */
export async function reallocateIuv(
  db: Db,
  requestId: string,
  segregationCode: string,
  now: Date,
): Promise<void> {
  await db.transaction(async (tx) => {
    const iuv = buildIuv(segregationCode, await nextIuvBase(tx, now.getUTCFullYear()));
    await tx.update(paymentNotices).set({
      iuv,
      noticeNumber: noticeNumberOf(iuv),
      nextAttemptAt: now.toISOString(),
      updatedAt: now.toISOString(),
      seq: await nextSeq(tx),
    }).where(and(eq(paymentNotices.requestId, requestId), eq(paymentNotices.status, "pending")));
  });
}

/** Archive: remembers a poll that found the notice still unpaid (or failed). */
export async function markPolled(
  db: Db,
  requestId: string,
  now: Date,
  error?: string,
): Promise<void> {
  await db.update(paymentNotices).set({
    lastPolledAt: now.toISOString(),
    lastError: error ?? null,
  }).where(eq(paymentNotices.requestId, requestId));
}

/** Archive: GPD says it was paid; the request goes on to the desk's title check. */
export async function markPaid(
  db: Db,
  requestId: string,
  paidAt: string,
  now: Date,
): Promise<void> {
  await db.transaction(async (tx) => {
    const at = now.toISOString();
    await tx.update(paymentNotices).set({
      status: "paid",
      paidAt,
      lastPolledAt: at,
      lastError: null,
      updatedAt: at,
      seq: await nextSeq(tx),
    }).where(eq(paymentNotices.requestId, requestId));
    const moved = await moveToDesk(tx, requestId, "Pagamento pagoPA ricevuto", now);
    if (moved) {
      await enqueueNotice(
        tx,
        {
          eventId: moved.id,
          kind: "payment_received",
          receiptCode: moved.row.receiptCode,
        },
        recipientsOf(moved.row),
        now,
      );
    }
  });
}

/** Counts and failures for the admin page. */
export async function noticeOverview(db: Db): Promise<{
  counts: Record<PaymentNotice["status"], number>;
  failing: PaymentNotice[];
}> {
  const rows = await db.select({ status: paymentNotices.status, n: sql<number>`count(*)` })
    .from(paymentNotices).groupBy(paymentNotices.status);
  const counts = { pending: 0, registered: 0, paid: 0 };
  for (const r of rows) counts[r.status] = Number(r.n);
  const failing = await db.select().from(paymentNotices)
    .where(sql`${paymentNotices.lastError} is not null`)
    .orderBy(asc(paymentNotices.updatedAt)).limit(50);
  return { counts, failing };
}

const noticeDoc = z.object({
  requestId: z.string().min(1).max(100),
  receiptCode: z.string().max(20),
  iuv: z.string().regex(/^\d{17}$/),
  noticeNumber: z.string().regex(/^3\d{17}$/),
  enteFiscalCode: z.string().max(16),
  enteName: z.string().max(200),
  amountCents: z.number().int().min(0),
  lines: z.string().max(20_000),
  dueOn: z.string(),
  purpose: z.string().max(140),
  payerTaxCode: z.string().max(16),
  payerName: z.string().max(5000),
  status: z.enum(["pending", "registered", "paid"]),
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  lastError: z.string().nullable(),
  registeredAt: z.string().nullable(),
  paidAt: z.string().nullable(),
  lastPolledAt: z.string().nullable(),
  updatedAt: z.string(),
});

/** Brings notices (and their registered / paid state) down to the branches. */
export const paymentNoticeFeedEntity: FeedEntity = {
  entity: PAYMENT_NOTICE_ENTITY,
  indexed: false,
  async changedSince(db, after, limit) {
    return await db.select({ id: paymentNotices.requestId, seq: paymentNotices.seq })
      .from(paymentNotices).where(gt(paymentNotices.seq, after))
      .orderBy(asc(paymentNotices.seq)).limit(limit);
  },
  async countSince(db, after) {
    const [row] = await db.select({ n: sql<number>`count(*)` }).from(paymentNotices)
      .where(gt(paymentNotices.seq, after));
    return Number(row?.n ?? 0);
  },
  async read(db, ids) {
    const out = new Map<string, unknown>();
    for (const id of ids) {
      const row = await findNotice(db, id);
      if (row) {
        const { seq: _seq, ...doc } = row;
        out.set(id, doc);
      }
    }
    return out;
  },
  async apply(tx, items) {
    for (const { id, doc } of items) {
      const parsed = noticeDoc.safeParse(doc);
      if (!parsed.success || parsed.data.requestId !== id) {
        throw new Error(`change ${PAYMENT_NOTICE_ENTITY} ${id}: not a notice`);
      }
      // The archive is the only writer: its copy replaces the branch's whole.
      const row = { ...parsed.data, seq: 0 };
      await tx.insert(paymentNotices).values(row).onConflictDoUpdate({
        target: paymentNotices.requestId,
        set: row,
      });
    }
  },
  async remove(tx, id) {
    await tx.delete(paymentNotices).where(eq(paymentNotices.requestId, id));
  },
};
