/**
 * A branch's booking setup in the DB: the split rule, services, opening hours and closures.
 * Admins edit it at the archive; every edit moves the branch row's `seq`, so the feed brings
 * the whole setup down to the branches as one document (`bookingConfigFeedEntity`).
 */
import { and, asc, count, eq, gt } from "drizzle-orm";
import { z } from "zod";
import { nextSeq } from "./access_requests.ts";
import type { DbOrTx, Tx } from "./outbox.ts";
import { bookingBranches, bookingClosures, bookingHours, bookingServices } from "./schema.ts";
import type { FeedEntity } from "../sync/feed_entities.ts";
import type { OpeningInterval } from "../domain/booking_slots.ts";
import type { SplitRule } from "../domain/booking_capacity.ts";
import { UserFacingError } from "../domain/user_facing_error.ts";

/** Feed entity name of a branch's booking setup. */
export const BOOKING_CONFIG_ENTITY = "booking_config";

/** A bookable service. */
export interface BookingService {
  id: string;
  name: string;
  slotMinutes: number;
  active: boolean;
}

/** Everything about booking at one branch. */
export interface BookingConfig extends SplitRule {
  code: string;
  name: string;
  place: string;
  services: BookingService[];
  hours: OpeningInterval[];
  closures: { date: string; note: string }[];
  updatedAt: string;
}

/** The rule part an admin saves. */
export interface BookingRuleInput extends SplitRule {
  name: string;
  place: string;
}

/** The branches that take bookings, by name. */
export async function listBookingBranches(db: DbOrTx): Promise<{ code: string; name: string }[]> {
  return await db.select({ code: bookingBranches.code, name: bookingBranches.name })
    .from(bookingBranches).orderBy(asc(bookingBranches.name));
}

/** The whole setup of a branch, or undefined when it takes no bookings. */
export async function readBookingConfig(
  db: DbOrTx,
  code: string,
): Promise<BookingConfig | undefined> {
  const row = await db.select().from(bookingBranches).where(eq(bookingBranches.code, code)).get();
  if (!row) return undefined;
  const services = await db.select().from(bookingServices)
    .where(eq(bookingServices.branchCode, code)).orderBy(asc(bookingServices.name));
  const hours = await db.select().from(bookingHours).where(eq(bookingHours.branchCode, code))
    .orderBy(asc(bookingHours.weekday), asc(bookingHours.opens));
  const closures = await db.select().from(bookingClosures)
    .where(eq(bookingClosures.branchCode, code)).orderBy(asc(bookingClosures.date));
  return {
    code: row.code,
    name: row.name,
    place: row.place,
    capacity: row.capacity,
    onlineShare: row.onlineShare,
    releaseHours: row.releaseHours,
    updatedAt: row.updatedAt,
    services: services.map(({ id, name, slotMinutes, active }) => ({
      id,
      name,
      slotMinutes,
      active,
    })),
    hours: hours.map(({ weekday, opens, closes }) => ({ weekday, opens, closes })),
    closures: closures.map(({ date, note }) => ({ date, note })),
  };
}

async function touch(tx: Tx, code: string, now: Date): Promise<void> {
  const moved = await tx.update(bookingBranches)
    .set({ updatedAt: now.toISOString(), seq: await nextSeq(tx) })
    .where(eq(bookingBranches.code, code)).returning({ code: bookingBranches.code });
  if (moved.length === 0) {
    throw new UserFacingError(
      "Sede senza regole di prenotazione: salva prima sportelli e quota online.",
      { status: 409 },
    );
  }
}

/** Creates or changes a branch's rule (name, place, counters, online share, release hours). */
export async function saveBookingRule(
  db: DbOrTx,
  code: string,
  rule: BookingRuleInput,
  now: Date,
): Promise<void> {
  if (rule.onlineShare > rule.capacity) {
    throw new UserFacingError(
      "La quota online non può superare gli sportelli aperti.",
      { status: 422, field: "onlineShare" },
    );
  }
  await db.transaction(async (tx) => {
    const values = { ...rule, updatedAt: now.toISOString(), seq: await nextSeq(tx) };
    await tx.insert(bookingBranches).values({ code, ...values })
      .onConflictDoUpdate({ target: bookingBranches.code, set: values });
  });
}

/** Adds a service to a branch; returns its id. */
export async function addBookingService(
  db: DbOrTx,
  code: string,
  service: { name: string; slotMinutes: number },
  now: Date,
): Promise<string> {
  const id = crypto.randomUUID();
  await db.transaction(async (tx) => {
    await touch(tx, code, now);
    await tx.insert(bookingServices).values({ id, branchCode: code, ...service, active: true });
  });
  return id;
}

/** Stops (or resumes) offering a service; its bookings stay. */
export async function setBookingServiceActive(
  db: DbOrTx,
  code: string,
  id: string,
  active: boolean,
  now: Date,
): Promise<void> {
  await db.transaction(async (tx) => {
    await touch(tx, code, now);
    const done = await tx.update(bookingServices).set({ active })
      .where(and(eq(bookingServices.id, id), eq(bookingServices.branchCode, code)))
      .returning({ id: bookingServices.id });
    if (done.length === 0) {
      throw new UserFacingError("Servizio non trovato: ricarica la pagina.", { status: 404 });
    }
  });
}

/** Replaces one weekday's opening intervals (an empty list closes the day). */
export async function setBookingHours(
  db: DbOrTx,
  code: string,
  weekday: number,
  intervals: { opens: string; closes: string }[],
  now: Date,
): Promise<void> {
  await db.transaction(async (tx) => {
    await touch(tx, code, now);
    await tx.delete(bookingHours).where(
      and(eq(bookingHours.branchCode, code), eq(bookingHours.weekday, weekday)),
    );
    for (const i of intervals) {
      await tx.insert(bookingHours).values({ branchCode: code, weekday, ...i });
    }
  });
}

/** Adds (or removes) a closure day. */
export async function setBookingClosure(
  db: DbOrTx,
  code: string,
  closure: { date: string; note: string },
  closed: boolean,
  now: Date,
): Promise<void> {
  await db.transaction(async (tx) => {
    await touch(tx, code, now);
    await tx.delete(bookingClosures).where(
      and(eq(bookingClosures.branchCode, code), eq(bookingClosures.date, closure.date)),
    );
    if (closed) await tx.insert(bookingClosures).values({ branchCode: code, ...closure });
  });
}

const configDoc = z.object({
  code: z.string().min(1).max(10),
  name: z.string().max(200),
  place: z.string().max(500),
  capacity: z.number().int().min(0).max(1000),
  onlineShare: z.number().int().min(0).max(1000),
  releaseHours: z.number().int().min(0).max(24 * 60),
  updatedAt: z.string(),
  services: z.array(z.object({
    id: z.string().min(1).max(100),
    name: z.string().max(200),
    slotMinutes: z.number().int().min(1).max(24 * 60),
    active: z.boolean(),
  })).max(200),
  hours: z.array(z.object({
    weekday: z.number().int().min(1).max(7),
    opens: z.string().max(5),
    closes: z.string().max(5),
  })).max(200),
  closures: z.array(z.object({ date: z.string().max(10), note: z.string().max(500) })).max(2000),
});

/** Branch side: replaces a branch's setup with the archive's. */
async function applyConfig(tx: Tx, doc: BookingConfig): Promise<void> {
  const { services, hours, closures, ...rule } = doc;
  const values = { ...rule, seq: await nextSeq(tx) };
  await tx.insert(bookingBranches).values(values)
    .onConflictDoUpdate({ target: bookingBranches.code, set: values });
  await tx.delete(bookingServices).where(eq(bookingServices.branchCode, doc.code));
  for (const s of services) await tx.insert(bookingServices).values({ ...s, branchCode: doc.code });
  await tx.delete(bookingHours).where(eq(bookingHours.branchCode, doc.code));
  for (const h of hours) await tx.insert(bookingHours).values({ ...h, branchCode: doc.code });
  await tx.delete(bookingClosures).where(eq(bookingClosures.branchCode, doc.code));
  for (const c of closures) await tx.insert(bookingClosures).values({ ...c, branchCode: doc.code });
}

/** The feed entity carrying each branch's booking setup down from the archive. */
export const bookingConfigFeedEntity: FeedEntity = {
  entity: BOOKING_CONFIG_ENTITY,
  indexed: false,
  async changedSince(db, after, limit) {
    return await db.select({ id: bookingBranches.code, seq: bookingBranches.seq })
      .from(bookingBranches).where(gt(bookingBranches.seq, after))
      .orderBy(asc(bookingBranches.seq)).limit(limit);
  },
  async countSince(db, after) {
    const [row] = await db.select({ n: count() }).from(bookingBranches)
      .where(gt(bookingBranches.seq, after));
    return row?.n ?? 0;
  },
  async read(db, ids) {
    const out = new Map<string, unknown>();
    for (const id of ids) {
      const config = await readBookingConfig(db, id);
      if (config) out.set(id, config);
    }
    return out;
  },
  async apply(tx, items) {
    for (const { id, doc } of items) {
      const parsed = configDoc.safeParse(doc);
      if (!parsed.success || parsed.data.code !== id) {
        throw new Error(`change ${BOOKING_CONFIG_ENTITY} ${id}: not a booking setup`);
      }
      await applyConfig(tx, parsed.data);
    }
  },
  async remove(tx, id) {
    await tx.delete(bookingBranches).where(eq(bookingBranches.code, id));
  },
};
