/**
 * Bookings of counter slots: made, cancelled, rescheduled and marked at either side, each
 * seat taken from the maker's share only (domain/booking_capacity.ts), checked in the same
 * transaction as the insert. A branch queues every change for the archive in that
 * transaction too; the archive's changes come down the feed (db/booking_sync.ts).
 */
import { and, asc, eq, gt, gte, lt, ne } from "drizzle-orm";
import { nextSeq } from "./access_requests.ts";
import type { Db } from "./client.ts";
import { enqueueMutation, type Tx } from "./outbox.ts";
import { bookingReleases, bookings, documents, dossiers } from "./schema.ts";
import { readBookingConfig } from "./booking_config.ts";
import { setDocumentFilePinned, wantDocumentFile } from "./document_files.ts";
import { enqueueBookingNotice } from "./booking_notices.ts";
import { type BookingSide, freeSeats, releaseHorizon } from "../domain/booking_capacity.ts";
import { daySlots } from "../domain/booking_slots.ts";
import { addDays, type HolidaySettings, localDate } from "../domain/access_deadline.ts";
import { newReceiptCode } from "../domain/receipt_code.ts";
import { type LocalText, UserFacingError } from "../domain/user_facing_error.ts";
import type { Locale } from "../i18n/locale.ts";

/** Outbox and feed entity name of a booking. */
export const BOOKING_ENTITY = "booking";
/** Outbox and feed entity name of a release horizon. */
export const BOOKING_RELEASE_ENTITY = "booking_release";

/** A booking row. */
export type Booking = typeof bookings.$inferSelect;
/** What travels between the sides: the row without the local seq and pinning state. */
export type BookingSnapshot = Omit<Booking, "seq" | "filesPinned">;

/** Where a booking is made. */
export interface BookingContext {
  now: Date;
  side: BookingSide;
  /** The 2 characters opening the new booking's code (this node's code). */
  makerCode: string;
  holidays: HolidaySettings;
  /**
   * A branch queues the change for the archive and pins the dossier's scans; the archive
   * (false) queues the citizen's notice instead, in the same transaction.
   */
  branch: boolean;
}

/** What the citizen (or a clerk for them) gives. */
export interface NewBooking {
  branchCode: string;
  serviceId: string;
  startsAt: string;
  taxCode: string;
  name: string;
  email: string | null;
  /** Tell the citizen on App IO too, by this codice fiscale. */
  notifyAppIo: boolean;
  /** The language the citizen booked in (their notices' language); Italian if not given. */
  locale?: Locale | undefined;
  requestCode: string | null;
  dossierId: string | null;
}

/** The one answer for "no such code" and "not this tax code": neither tells which it was. */
export const NO_SUCH_BOOKING: LocalText = (t) => t.booking.noSuchBooking;

/** The branch's live (not cancelled, not walk-in) bookings between two instants. */
async function liveBetween(tx: Db | Tx, branchCode: string, from: string, to: string) {
  return await tx.select().from(bookings).where(and(
    eq(bookings.branchCode, branchCode),
    ne(bookings.state, "cancelled"),
    eq(bookings.walkIn, false),
    lt(bookings.startsAt, to),
    gt(bookings.endsAt, from),
  ));
}

/** The archive's release horizon of a branch as this node knows it. */
export async function releasedUntil(tx: Db | Tx, branchCode: string): Promise<string | undefined> {
  const row = await tx.select().from(bookingReleases)
    .where(eq(bookingReleases.branchCode, branchCode)).get();
  return row?.releasedUntil;
}

/**
 * Archive side: moves a branch's release horizon to now + H (never back), with a new seq, so
 * the feed carries it after every online booking it covers.
 */
export async function advanceRelease(
  tx: Tx,
  branchCode: string,
  releaseHours: number,
  now: Date,
): Promise<string> {
  const previous = await releasedUntil(tx, branchCode);
  const next = releaseHorizon(now, { capacity: 0, onlineShare: 0, releaseHours }, previous);
  if (next !== previous) {
    const values = { releasedUntil: next, updatedAt: now.toISOString(), seq: await nextSeq(tx) };
    await tx.insert(bookingReleases).values({ branchCode, ...values })
      .onConflictDoUpdate({ target: bookingReleases.branchCode, set: values });
  }
  return next;
}

/** A slot of a day with the seats this side can still give. */
export interface SlotOffer {
  startsAt: string;
  endsAt: string;
  free: number;
}

/** The slots of a service on a day, with this side's free seats (0: full for this side). */
export async function slotOffers(
  db: Db | Tx,
  branchCode: string,
  serviceId: string,
  date: string,
  side: BookingSide,
  holidays: HolidaySettings,
  now: Date,
): Promise<SlotOffer[]> {
  const config = await readBookingConfig(db, branchCode);
  const service = config?.services.find((s) => s.id === serviceId && s.active);
  if (!config || !service) return [];
  const slots = daySlots(
    date,
    service.slotMinutes,
    config.hours,
    holidays,
    config.closures.map((c) => c.date),
  ).filter((s) => Date.parse(s.startsAt) > now.getTime());
  if (slots.length === 0) return [];
  const booked = await liveBetween(
    db,
    branchCode,
    slots[0]?.startsAt ?? "",
    slots[slots.length - 1]?.endsAt ?? "",
  );
  const view = { rule: config, booked, releasedUntil: await releasedUntil(db, branchCode) };
  return slots.map((s) => ({ ...s, free: freeSeats(side, s, view) }));
}

/** The days from `from` on (at most `days`) that have a slot this side can still give. */
export async function daysWithSlots(
  db: Db,
  branchCode: string,
  serviceId: string,
  from: string,
  days: number,
  side: BookingSide,
  holidays: HolidaySettings,
  now: Date,
): Promise<{ date: string; free: number }[]> {
  const out: { date: string; free: number }[] = [];
  for (let i = 0; i < days; i++) {
    const date = addDays(from, i);
    const offers = await slotOffers(db, branchCode, serviceId, date, side, holidays, now);
    if (offers.length > 0) out.push({ date, free: offers.filter((o) => o.free > 0).length });
  }
  return out;
}

function snapshotOf(row: Booking): BookingSnapshot {
  const { seq: _seq, filesPinned: _pinned, ...snap } = row;
  return snap;
}

async function queue(tx: Tx, row: Booking, ctx: { now: Date; branch: boolean }) {
  if (!ctx.branch) return;
  await enqueueMutation(tx, {
    entity: BOOKING_ENTITY,
    entityId: row.id,
    payload: snapshotOf(row),
  }, ctx.now);
}

/** The dossier's scans are wanted at the branch before the citizen comes; true if it has any. */
export async function pinDossierFiles(tx: Tx, dossierId: string, now: Date): Promise<boolean> {
  const docs = await tx.select().from(documents).where(
    and(eq(documents.recordKind, "dossier"), eq(documents.recordId, dossierId)),
  );
  for (const d of docs) {
    await wantDocumentFile(tx, {
      sha256: d.sha256,
      mime: d.mime ?? "application/octet-stream",
      bytes: d.bytes,
    }, now);
  }
  return docs.length > 0;
}

async function insertBooking(tx: Tx, input: NewBooking, ctx: BookingContext, replaces?: string) {
  const config = await readBookingConfig(tx, input.branchCode);
  const service = config?.services.find((s) => s.id === input.serviceId && s.active);
  if (!config || !service) {
    throw new UserFacingError((t) => t.booking.serviceHere, { status: 404 });
  }
  const date = localDate(new Date(input.startsAt));
  const slot = daySlots(
    date,
    service.slotMinutes,
    config.hours,
    ctx.holidays,
    config.closures.map((c) => c.date),
  ).find((s) => s.startsAt === input.startsAt);
  if (!slot || Date.parse(slot.startsAt) <= ctx.now.getTime()) {
    throw new UserFacingError((t) => t.booking.slotInvalid, {
      status: 422,
      field: "slot",
    });
  }
  // The archive first moves its horizon: a slot it has released is never booked online.
  if (ctx.side === "archive") await advanceRelease(tx, config.code, config.releaseHours, ctx.now);
  const view = {
    rule: config,
    booked: await liveBetween(tx, config.code, slot.startsAt, slot.endsAt),
    releasedUntil: await releasedUntil(tx, config.code),
  };
  if (freeSeats(ctx.side, slot, view) < 1) {
    throw new UserFacingError((t) => t.booking.slotFull, {
      status: 409,
      field: "slot",
    });
  }
  const at = ctx.now.toISOString();
  const filesPinned = ctx.branch && input.dossierId !== null
    ? await pinDossierFiles(tx, input.dossierId, ctx.now)
    : false;
  const [row] = await tx.insert(bookings).values({
    id: crypto.randomUUID(),
    code: newReceiptCode(ctx.makerCode),
    ...input,
    serviceName: service.name,
    endsAt: slot.endsAt,
    state: "booked",
    walkIn: false,
    side: ctx.side,
    replaces: replaces ?? null,
    filesPinned,
    createdAt: at,
    updatedAt: at,
    seq: await nextSeq(tx),
  }).returning();
  if (!row) throw new Error("booking insert returned no row");
  await queue(tx, row, ctx);
  return row;
}

/** Books a slot from this side's share; refuses a full, closed or past slot. */
export async function createBooking(
  db: Db,
  input: NewBooking,
  ctx: BookingContext,
): Promise<Booking> {
  return await db.transaction(async (tx) => {
    const row = await insertBooking(tx, input, ctx);
    if (!ctx.branch) await enqueueBookingNotice(tx, "confirmed", row, ctx.now);
    return row;
  });
}

/** The booking of this code, only when the tax code is its own. */
export async function findBookingByCode(
  db: Db | Tx,
  code: string,
  taxCode: string,
): Promise<Booking | undefined> {
  const row = await db.select().from(bookings).where(eq(bookings.code, code)).get();
  return row && row.taxCode === taxCode ? row : undefined;
}

/** The booking of this id. */
export async function findBooking(db: Db | Tx, id: string): Promise<Booking | undefined> {
  return await db.select().from(bookings).where(eq(bookings.id, id)).get();
}

async function setState(
  tx: Tx,
  row: Booking,
  state: Booking["state"],
  ctx: { now: Date; branch: boolean },
  queueNow = true,
): Promise<Booking> {
  const [updated] = await tx.update(bookings).set({
    state,
    updatedAt: ctx.now.toISOString(),
    seq: await nextSeq(tx),
    filesPinned: state === "cancelled" ? false : row.filesPinned,
  }).where(eq(bookings.id, row.id)).returning();
  if (!updated) throw new Error("booking vanished");
  if (state === "cancelled" && row.filesPinned) await unpinFiles(tx, row, ctx.now);
  if (queueNow) await queue(tx, updated, ctx);
  return updated;
}

async function ownLiveBooking(tx: Tx, code: string, taxCode: string): Promise<Booking> {
  const row = await findBookingByCode(tx, code, taxCode);
  if (!row) throw new UserFacingError(NO_SUCH_BOOKING, { status: 404 });
  if (row.state !== "booked") {
    throw new UserFacingError(
      (t) => row.state === "cancelled" ? t.booking.alreadyCancelled : t.booking.alreadyServed,
      { status: 409 },
    );
  }
  return row;
}

/** Cancels a booking by its code and the booker's tax code. */
export async function cancelBooking(
  db: Db,
  code: string,
  taxCode: string,
  ctx: { now: Date; branch: boolean },
): Promise<Booking> {
  return await db.transaction(async (tx) => {
    const row = await setState(tx, await ownLiveBooking(tx, code, taxCode), "cancelled", ctx);
    if (!ctx.branch) await enqueueBookingNotice(tx, "cancelled", row, ctx.now);
    return row;
  });
}

/** Moves a booking to another slot: the old one cancelled, a new one (new code) from this side's share. */
export async function rescheduleBooking(
  db: Db,
  code: string,
  taxCode: string,
  startsAt: string,
  ctx: BookingContext,
): Promise<{ booking: Booking; previous: Booking }> {
  return await db.transaction(async (tx) => {
    const old = await ownLiveBooking(tx, code, taxCode);
    // The new booking is queued ahead of the old one's cancellation, so the archive knows
    // the cancellation is a move when it applies it (one "spostata" notice, no "annullata").
    const previous = await setState(tx, old, "cancelled", ctx, false);
    const booking = await insertBooking(
      tx,
      {
        branchCode: old.branchCode,
        serviceId: old.serviceId,
        startsAt,
        taxCode: old.taxCode,
        name: old.name,
        email: old.email,
        notifyAppIo: old.notifyAppIo,
        locale: old.locale,
        requestCode: old.requestCode,
        dossierId: old.dossierId,
      },
      ctx,
      old.id,
    );
    await queue(tx, previous, ctx);
    if (!ctx.branch) await enqueueBookingNotice(tx, "rescheduled", booking, ctx.now, previous);
    return { booking, previous };
  });
}

/** The counter marks a booking of its branch: arrived or not come. */
export async function markBooking(
  db: Db,
  id: string,
  state: "arrived" | "no_show",
  ctx: { now: Date; branch: boolean; branchCode: string },
): Promise<Booking> {
  return await db.transaction(async (tx) => {
    const row = await findBooking(tx, id);
    if (!row || row.branchCode !== ctx.branchCode) {
      throw new UserFacingError("Prenotazione non trovata: ricarica l'agenda.", { status: 404 });
    }
    if (row.state === "cancelled") {
      throw new UserFacingError("La prenotazione è stata annullata.", { status: 409 });
    }
    return await setState(tx, row, state, ctx);
  });
}

/**
 * Someone who came without booking, recorded as arrived now. A walk-in is served as the
 * counters allow: it takes no seat from either share.
 */
export async function addWalkIn(
  db: Db,
  input: { branchCode: string; serviceId: string; name: string; taxCode: string },
  ctx: { now: Date; makerCode: string; branch: boolean },
): Promise<Booking> {
  return await db.transaction(async (tx) => {
    const config = await readBookingConfig(tx, input.branchCode);
    const service = config?.services.find((s) => s.id === input.serviceId);
    if (!service) {
      throw new UserFacingError("Servizio non trovato: ricarica l'agenda.", { status: 404 });
    }
    const at = ctx.now.toISOString();
    const [row] = await tx.insert(bookings).values({
      id: crypto.randomUUID(),
      code: newReceiptCode(ctx.makerCode),
      ...input,
      serviceName: service.name,
      startsAt: at,
      endsAt: new Date(ctx.now.getTime() + service.slotMinutes * 60_000).toISOString(),
      email: null,
      notifyAppIo: false,
      requestCode: null,
      dossierId: null,
      state: "arrived",
      walkIn: true,
      side: "branch",
      createdAt: at,
      updatedAt: at,
      seq: await nextSeq(tx),
    }).returning();
    if (!row) throw new Error("walk-in insert returned no row");
    await queue(tx, row, ctx);
    return row;
  });
}

/** True when this node holds the dossier a booking names. */
export async function dossierExists(db: Db, id: string): Promise<boolean> {
  const row = await db.select({ id: dossiers.id }).from(dossiers).where(eq(dossiers.id, id)).get();
  return row !== undefined;
}

/** A branch's bookings of one day (cancelled ones included), by time. */
export async function dayAgenda(db: Db, branchCode: string, date: string): Promise<Booking[]> {
  const rows = await db.select().from(bookings).where(and(
    eq(bookings.branchCode, branchCode),
    gte(bookings.startsAt, new Date(`${addDays(date, -1)}T12:00:00Z`).toISOString()),
    lt(bookings.startsAt, new Date(`${addDays(date, 1)}T12:00:00Z`).toISOString()),
  )).orderBy(asc(bookings.startsAt));
  return rows.filter((r) => localDate(new Date(r.startsAt)) === date);
}

async function unpinFiles(tx: Db | Tx, row: Booking, now: Date): Promise<void> {
  if (row.dossierId === null) return;
  const docs = await tx.select({ sha256: documents.sha256 }).from(documents).where(
    and(eq(documents.recordKind, "dossier"), eq(documents.recordId, row.dossierId)),
  );
  // Another live booking of the same dossier keeps its scans pinned.
  const others = await tx.select({ id: bookings.id }).from(bookings).where(and(
    eq(bookings.dossierId, row.dossierId),
    eq(bookings.filesPinned, true),
    ne(bookings.id, row.id),
  ));
  if (others.length > 0) return;
  for (const d of docs) await setDocumentFilePinned(tx, d.sha256, false, now);
}

/** Branch side: unpins the scans of bookings whose day is over. Returns how many. */
export async function unpinPastBookings(db: Db, now: Date): Promise<number> {
  const today = localDate(now);
  const rows = await db.select().from(bookings).where(eq(bookings.filesPinned, true));
  let n = 0;
  for (const row of rows.filter((r) => localDate(new Date(r.startsAt)) < today)) {
    await db.transaction(async (tx) => {
      await tx.update(bookings).set({ filesPinned: false }).where(eq(bookings.id, row.id));
      await unpinFiles(tx, row, now);
    });
    n++;
  }
  return n;
}
