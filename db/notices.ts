/**
 * The notice outbox (archive side): queuing a notice per chosen channel in the transaction of
 * its event, what is due, and the outcome of each attempt. `enqueueNotice` is the one call an
 * event's code makes; the idempotency key (event id + channel) makes a second call for the
 * same event (a sync replay, a retried transaction) queue nothing.
 */
import { and, asc, desc, eq, inArray, lte, sql } from "drizzle-orm";
import type { Db } from "./client.ts";
import type { DbOrTx } from "./outbox.ts";
import { type AccessRequestEvent, type AccessRequestRow } from "./access_requests.ts";
import { notices } from "./schema.ts";
import { type NoticeEvent, type NoticePayment, noticeText } from "../domain/notice_texts.ts";
import type { Locale } from "../i18n/locale.ts";

/** A notice as stored. */
export type NoticeRow = typeof notices.$inferSelect;
/** The channels a notice can go by. */
export type NoticeChannel = NoticeRow["channel"];

/** Where the citizen asked to be told: none of the two means no notice at all. */
export interface NoticeRecipients {
  /** An e-mail address given on the request (or at sign-in). */
  email?: string | null | undefined;
  /** The codice fiscale to message on App IO, when the citizen asked for it. */
  appIoTaxCode?: string | null | undefined;
  /** The language the citizen filed in; Italian when unknown (a row from before it). */
  locale?: Locale | undefined;
}

/** The recipients a request asked for: its e-mail, and its CF when App IO was ticked. */
export function recipientsOf(
  r: Pick<AccessRequestRow, "email" | "taxCode" | "notifyAppIo" | "locale">,
): NoticeRecipients {
  return {
    email: r.email,
    appIoTaxCode: r.notifyAppIo ? r.taxCode : undefined,
    locale: r.locale,
  };
}

/** The idempotency key of an event's notice on a channel. */
export function idempotencyKeyOf(eventId: string, channel: NoticeChannel): string {
  return `${eventId}:${channel}`;
}

/**
 * Queues the notice of `event` once per channel the citizen chose; returns how many rows are
 * new (0 for an event already queued, or a citizen with no channel). Call it inside the
 * event's own transaction so the notice exists exactly when the event does.
 */
export async function enqueueNotice(
  db: DbOrTx,
  event: NoticeEvent,
  to: NoticeRecipients,
  now: Date,
): Promise<number> {
  // Written once, in the citizen's language: a retry sends the same words.
  const text = noticeText(event, to.locale);
  const at = now.toISOString();
  const targets: { channel: NoticeChannel; recipient: string }[] = [];
  if (to.appIoTaxCode) targets.push({ channel: "app_io", recipient: to.appIoTaxCode });
  if (to.email) targets.push({ channel: "email", recipient: to.email });
  if (targets.length === 0) return 0;
  const inserted = await db.insert(notices).values(targets.map((t) => ({
    id: crypto.randomUUID(),
    idempotencyKey: idempotencyKeyOf(event.eventId, t.channel),
    eventId: event.eventId,
    kind: event.kind,
    channel: t.channel,
    recipient: t.recipient,
    receiptCode: event.receiptCode,
    subject: text.subject,
    body: text.body,
    paymentData: text.payment ? JSON.stringify(text.payment) : null,
    dueDate: text.dueDate ?? null,
    state: "pending" as const,
    nextAttemptAt: at,
    createdAt: at,
  }))).onConflictDoNothing({ target: notices.idempotencyKey }).returning({ id: notices.id });
  return inserted.length;
}

/**
 * The notice a request's history event calls for, or undefined (a review started, a
 * withdrawal: nothing the citizen is waiting to hear).
 */
export function requestEventNotice(
  r: AccessRequestRow,
  e: Pick<AccessRequestEvent, "id" | "fromState" | "toState" | "note">,
): NoticeEvent | undefined {
  const base = { eventId: e.id, receiptCode: r.receiptCode };
  if (e.fromState === null) {
    return { ...base, kind: "request_received", awaitingPayment: e.toState === "awaiting_payment" };
  }
  if (e.fromState === e.toState) return undefined;
  switch (e.toState) {
    case "awaiting_counterparties":
      return { ...base, kind: "suspended_counterparties" };
    case "awaiting_completion":
      return { ...base, kind: "sent_back_for_completion" };
    case "accepted":
    case "partially_accepted":
    case "deferred":
    case "refused":
      return {
        ...base,
        kind: "decision",
        outcome: e.toState,
        place: r.consultationPlace ?? undefined,
        from: r.consultationFrom ?? undefined,
        to: r.consultationTo ?? undefined,
        deferredUntil: r.deferredUntil ?? undefined,
      };
    default:
      return undefined;
  }
}

/** Queues the notice of a request's history event for the channels the request chose. */
export async function enqueueRequestEventNotice(
  db: DbOrTx,
  r: AccessRequestRow,
  e: Pick<AccessRequestEvent, "id" | "fromState" | "toState" | "note">,
  now: Date,
): Promise<number> {
  const event = requestEventNotice(r, e);
  return event ? await enqueueNotice(db, event, recipientsOf(r), now) : 0;
}

/** The fee notice's pagoPA data as stored, or undefined. */
export function paymentOf(n: Pick<NoticeRow, "paymentData">): NoticePayment | undefined {
  return n.paymentData ? JSON.parse(n.paymentData) as NoticePayment : undefined;
}

/** Pending notices whose next attempt is due, oldest first. */
export function dueNotices(db: Db, now: Date, limit = 100): Promise<NoticeRow[]> {
  return db.select().from(notices).where(and(
    eq(notices.state, "pending"),
    lte(notices.nextAttemptAt, now.toISOString()),
  )).orderBy(asc(notices.nextAttemptAt), asc(notices.createdAt)).limit(limit);
}

/** The channel took the notice. Only a pending one: a sent notice is never sent again. */
export async function markNoticeSent(
  db: Db,
  id: string,
  providerId: string | undefined,
  now: Date,
): Promise<void> {
  await db.update(notices).set({
    state: "sent",
    sentAt: now.toISOString(),
    providerId: providerId ?? null,
    attempts: sql`${notices.attempts} + 1`,
    nextAttemptAt: null,
    lastError: null,
  }).where(and(eq(notices.id, id), eq(notices.state, "pending")));
}

/** A temporary failure: tried again at `retryAt`. */
export async function markNoticeRetry(
  db: Db,
  id: string,
  reason: string,
  retryAt: Date,
): Promise<void> {
  await db.update(notices).set({
    attempts: sql`${notices.attempts} + 1`,
    nextAttemptAt: retryAt.toISOString(),
    lastError: reason,
  }).where(and(eq(notices.id, id), eq(notices.state, "pending")));
}

/** A permanent failure: set aside with the reason until an admin's "riprova". */
export async function markNoticeFailed(db: Db, id: string, reason: string): Promise<void> {
  await db.update(notices).set({
    state: "failed_permanent",
    attempts: sql`${notices.attempts} + 1`,
    nextAttemptAt: null,
    lastError: reason,
  }).where(and(eq(notices.id, id), eq(notices.state, "pending")));
}

/** "Riprova": a set-aside notice goes back to pending, due now. False: not set aside. */
export async function retryNotice(db: Db, id: string, now: Date): Promise<boolean> {
  const moved = await db.update(notices).set({
    state: "pending",
    attempts: 0,
    nextAttemptAt: now.toISOString(),
  }).where(and(eq(notices.id, id), eq(notices.state, "failed_permanent")))
    .returning({ id: notices.id });
  return moved.length > 0;
}

/** The admin page: set-aside notices and pending ones (with their next attempt). */
export async function noticesForAdmin(db: Db, limit = 200): Promise<{
  failed: NoticeRow[];
  pending: NoticeRow[];
  sentCount: number;
}> {
  const failed = await db.select().from(notices).where(eq(notices.state, "failed_permanent"))
    .orderBy(desc(notices.createdAt)).limit(limit);
  const pending = await db.select().from(notices).where(eq(notices.state, "pending"))
    .orderBy(asc(notices.nextAttemptAt)).limit(limit);
  const [sent] = await db.select({ n: sql<number>`count(*)` }).from(notices)
    .where(eq(notices.state, "sent"));
  return { failed, pending, sentCount: sent?.n ?? 0 };
}

/** Every notice of some events (tests, the status page's "avvisi inviati"). */
export function noticesOfEvents(db: Db, eventIds: string[]): Promise<NoticeRow[]> {
  if (eventIds.length === 0) return Promise.resolve([]);
  return db.select().from(notices).where(inArray(notices.eventId, eventIds))
    .orderBy(asc(notices.createdAt));
}
