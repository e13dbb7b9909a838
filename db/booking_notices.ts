/**
 * Archive side: the notices of bookings (docs/NOTICES.md). Each is queued in the transaction
 * that makes the archive learn of the change: an online booking when it is made, a branch's
 * when its push is applied. Event ids are per booking and kind, so a push replayed after a
 * lost answer, or a reminder round run twice, queues nothing more.
 */
import { and, eq, gte, lt } from "drizzle-orm";
import type { Db } from "./client.ts";
import type { DbOrTx } from "./outbox.ts";
import { bookings } from "./schema.ts";
import { readBookingConfig } from "./booking_config.ts";
import type { Booking } from "./bookings.ts";
import { enqueueNotice, type NoticeRecipients } from "./notices.ts";
import { addDays, localDate } from "../domain/access_deadline.ts";
import { localTime, zonedInstant } from "../domain/booking_slots.ts";

/** What a booking's notice says happened. */
export type BookingNoticeKind = "confirmed" | "rescheduled" | "cancelled" | "reminder";

/** The event id of a booking's notice: `booking:<id>:confirmed` and so on. */
export function bookingEventId(bookingId: string, kind: BookingNoticeKind): string {
  // A move confirms the new booking: one confirmation per booking, whichever way it came.
  return `booking:${bookingId}:${kind === "rescheduled" ? "confirmed" : kind}`;
}

/** Where a booking asked to be told: its e-mail; its codice fiscale when App IO was chosen. */
export function bookingRecipients(
  b: Pick<Booking, "email" | "taxCode" | "notifyAppIo" | "locale">,
): NoticeRecipients {
  return { email: b.email, appIoTaxCode: b.notifyAppIo ? b.taxCode : undefined, locale: b.locale };
}

/**
 * Queues a booking's notice for its channels; returns how many rows are new. A walk-in is
 * told nothing (they are at the counter). `previous` is the booking a move replaced.
 */
export async function enqueueBookingNotice(
  db: DbOrTx,
  kind: BookingNoticeKind,
  b: Booking,
  now: Date,
  previous?: Pick<Booking, "code">,
): Promise<number> {
  if (b.walkIn) return 0;
  const config = await readBookingConfig(db, b.branchCode);
  const place = [config?.name, config?.place].filter(Boolean).join(", ") || b.branchCode;
  const start = new Date(b.startsAt);
  const base = {
    eventId: bookingEventId(b.id, kind),
    receiptCode: b.code,
    at: `${localDate(start)}T${localTime(start)}`,
    place,
    service: b.serviceName,
  };
  const event = kind === "rescheduled"
    ? { ...base, kind: "booking_rescheduled" as const, previousCode: previous?.code ?? "" }
    : kind === "confirmed"
    ? { ...base, kind: "booking_confirmed" as const }
    : kind === "cancelled"
    ? { ...base, kind: "booking_cancelled" as const }
    : { ...base, kind: "booking_reminder" as const };
  return await enqueueNotice(db, event, bookingRecipients(b), now);
}

/**
 * One round of the reminders: every live booking starting tomorrow (Europe/Rome) gets one.
 * A booking made today for tomorrow is skipped: its confirmation came today. Returns how many
 * notice rows are new (0 on a second run the same day).
 */
export async function queueBookingReminders(db: Db, now: Date): Promise<number> {
  const today = localDate(now);
  const tomorrow = addDays(today, 1);
  const from = zonedInstant(tomorrow, 0).toISOString();
  const to = zonedInstant(addDays(tomorrow, 1), 0).toISOString();
  const rows = await db.select().from(bookings).where(and(
    eq(bookings.state, "booked"),
    eq(bookings.walkIn, false),
    gte(bookings.startsAt, from),
    lt(bookings.startsAt, to),
  ));
  let queued = 0;
  for (const b of rows) {
    if (localDate(new Date(b.createdAt)) >= today) continue;
    queued += await enqueueBookingNotice(db, "reminder", b, now);
  }
  return queued;
}
