/**
 * Bookings over sync. Up: a branch pushes the whole booking at each change (outbox). Down:
 * the feed carries bookings and each branch's release horizon. Both sides merge a booking
 * the same way: a cancellation is final, otherwise the newer `updatedAt` wins.
 */
import { asc, count, eq, gt } from "drizzle-orm";
import { z } from "zod";
import { nextSeq } from "./access_requests.ts";
import type { Db } from "./client.ts";
import type { Tx } from "./outbox.ts";
import { bookingBranches, bookingReleases, bookings } from "./schema.ts";
import {
  advanceRelease,
  type Booking,
  BOOKING_ENTITY,
  BOOKING_RELEASE_ENTITY,
  type BookingSnapshot,
  pinDossierFiles,
} from "./bookings.ts";
import { enqueueBookingNotice } from "./booking_notices.ts";
import { type MutationContext, MutationRejected } from "./branch_mutations.ts";
import type { FeedEntity } from "../sync/feed_entities.ts";

const text = z.string().max(500);

const snapshotSchema = z.object({
  id: z.string().min(1).max(100),
  code: z.string().regex(/^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/),
  branchCode: z.string().min(1).max(10),
  serviceId: z.string().min(1).max(100),
  serviceName: text,
  startsAt: z.iso.datetime(),
  endsAt: z.iso.datetime(),
  taxCode: z.string().max(16),
  name: text,
  email: text.nullable(),
  // Absent in a push from a branch not yet updated: no App IO.
  notifyAppIo: z.boolean().default(false),
  // Absent in a push from a branch that predates English notices: booked in Italian.
  locale: z.enum(["it", "en"]).default("it"),
  requestCode: text.nullable(),
  dossierId: text.nullable(),
  state: z.enum(["booked", "cancelled", "arrived", "no_show"]),
  walkIn: z.boolean(),
  side: z.enum(["branch", "archive"]),
  replaces: text.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** Reads an untrusted booking, or says why not. */
export function parseBookingSnapshot(
  doc: unknown,
): { ok: true; snap: BookingSnapshot } | { ok: false; reason: string } {
  const parsed = snapshotSchema.safeParse(doc);
  if (parsed.success) return { ok: true, snap: parsed.data };
  const issue = parsed.error.issues[0];
  return {
    ok: false,
    reason: `Prenotazione non valida (${issue?.path.join(".")}: ${issue?.message})`,
  };
}

/** Writes a booking from the other side: a cancellation stays, else the newer one wins. */
export async function mergeBooking(tx: Tx, snap: BookingSnapshot): Promise<boolean> {
  const mine = await tx.select().from(bookings).where(eq(bookings.id, snap.id)).get();
  if (mine) {
    if (mine.state === "cancelled") return false;
    if (snap.state !== "cancelled" && snap.updatedAt <= mine.updatedAt) return false;
    await tx.update(bookings).set({ ...snap, seq: await nextSeq(tx) })
      .where(eq(bookings.id, snap.id));
    return true;
  }
  await tx.insert(bookings).values({ ...snap, filesPinned: false, seq: await nextSeq(tx) });
  return true;
}

/** Archive side: a booking a branch made or changed (mutation handler). */
export async function applyBranchBooking(
  tx: Tx,
  payload: unknown,
  ctx: MutationContext,
): Promise<void> {
  const parsed = parseBookingSnapshot(payload);
  if (!parsed.ok) throw new MutationRejected(parsed.reason);
  if (parsed.snap.id !== ctx.entityId) {
    throw new MutationRejected("Prenotazione non valida: identificativo diverso");
  }
  const known = await tx.select({ state: bookings.state }).from(bookings)
    .where(eq(bookings.id, parsed.snap.id)).get();
  // A branch books from its own share only; online seats are the archive's to give.
  if (!known && parsed.snap.side !== "branch") {
    throw new MutationRejected("Prenotazione non valida: una sede non prenota la quota online");
  }
  if (!await mergeBooking(tx, parsed.snap)) return;
  await noticeOfBranchChange(tx, known?.state, parsed.snap.id, ctx.now);
}

/**
 * The citizen's notice of a booking change the archive has just applied: a new live booking
 * is confirmed (as a move when it replaces one), a cancellation told unless a move replaced
 * it (the branch pushes the new booking first). Nothing for a slot already begun.
 */
async function noticeOfBranchChange(
  tx: Tx,
  before: Booking["state"] | undefined,
  id: string,
  now: Date,
): Promise<void> {
  const row = await tx.select().from(bookings).where(eq(bookings.id, id)).get();
  if (!row || Date.parse(row.startsAt) <= now.getTime()) return;
  if (before === undefined && row.state === "booked") {
    const previous = row.replaces === null
      ? undefined
      : await tx.select().from(bookings).where(eq(bookings.id, row.replaces)).get();
    if (previous) await enqueueBookingNotice(tx, "rescheduled", row, now, previous);
    else await enqueueBookingNotice(tx, "confirmed", row, now);
  } else if (before !== undefined && before !== "cancelled" && row.state === "cancelled") {
    const movedTo = await tx.select({ id: bookings.id }).from(bookings)
      .where(eq(bookings.replaces, id)).get();
    if (!movedTo) await enqueueBookingNotice(tx, "cancelled", row, now);
  }
}

/**
 * Archive side: moves every branch's release horizon to now + its H hours. Called before
 * each feed page, so a branch learns of a release at its next pull.
 */
export async function advanceAllReleases(db: Db, now: Date): Promise<void> {
  const rules = await db.select({ code: bookingBranches.code, h: bookingBranches.releaseHours })
    .from(bookingBranches);
  if (rules.length === 0) return;
  await db.transaction(async (tx) => {
    for (const r of rules) await advanceRelease(tx, r.code, r.h, now);
  });
}

/** The feed entity carrying bookings down from the archive. */
export const bookingFeedEntity: FeedEntity = {
  entity: BOOKING_ENTITY,
  indexed: false,
  async changedSince(db, after, limit) {
    return await db.select({ id: bookings.id, seq: bookings.seq }).from(bookings)
      .where(gt(bookings.seq, after)).orderBy(asc(bookings.seq)).limit(limit);
  },
  async countSince(db, after) {
    const [row] = await db.select({ n: count() }).from(bookings).where(gt(bookings.seq, after));
    return row?.n ?? 0;
  },
  async read(db, ids) {
    const out = new Map<string, unknown>();
    for (const id of ids) {
      const row = await db.select().from(bookings).where(eq(bookings.id, id)).get();
      if (row) {
        const { seq: _seq, filesPinned: _pinned, ...snap } = row;
        out.set(id, snap);
      }
    }
    return out;
  },
  async apply(tx, items, now) {
    for (const { id, doc } of items) {
      const parsed = parseBookingSnapshot(doc);
      if (!parsed.ok || parsed.snap.id !== id) {
        throw new Error(`change ${BOOKING_ENTITY} ${id}: not a booking`);
      }
      const known = await tx.select({ id: bookings.id }).from(bookings)
        .where(eq(bookings.id, id)).get();
      await mergeBooking(tx, parsed.snap);
      // An online booking naming a dossier: its scans come to the branch before the day.
      const { dossierId, state } = parsed.snap;
      if (!known && dossierId !== null && state === "booked") {
        const pinned = await pinDossierFiles(tx, dossierId, now);
        if (pinned) await tx.update(bookings).set({ filesPinned: true }).where(eq(bookings.id, id));
      }
    }
  },
  async remove(tx, id) {
    await tx.delete(bookings).where(eq(bookings.id, id));
  },
};

const releaseDoc = z.object({
  branchCode: z.string().min(1).max(10),
  releasedUntil: z.iso.datetime(),
});

/** The feed entity carrying each branch's release horizon down from the archive. */
export const bookingReleaseFeedEntity: FeedEntity = {
  entity: BOOKING_RELEASE_ENTITY,
  indexed: false,
  async changedSince(db, after, limit) {
    return await db.select({ id: bookingReleases.branchCode, seq: bookingReleases.seq })
      .from(bookingReleases).where(gt(bookingReleases.seq, after))
      .orderBy(asc(bookingReleases.seq)).limit(limit);
  },
  async countSince(db, after) {
    const [row] = await db.select({ n: count() }).from(bookingReleases)
      .where(gt(bookingReleases.seq, after));
    return row?.n ?? 0;
  },
  async read(db, ids) {
    const out = new Map<string, unknown>();
    for (const id of ids) {
      const row = await db.select().from(bookingReleases)
        .where(eq(bookingReleases.branchCode, id)).get();
      if (row) out.set(id, { branchCode: row.branchCode, releasedUntil: row.releasedUntil });
    }
    return out;
  },
  async apply(tx, items, now) {
    for (const { id, doc } of items) {
      const parsed = releaseDoc.safeParse(doc);
      if (!parsed.success || parsed.data.branchCode !== id) {
        throw new Error(`change ${BOOKING_RELEASE_ENTITY} ${id}: not a release`);
      }
      const mine = await tx.select().from(bookingReleases)
        .where(eq(bookingReleases.branchCode, id)).get();
      // Seqs only grow: a horizon never moves back.
      if (mine && mine.releasedUntil >= parsed.data.releasedUntil) continue;
      const values = {
        releasedUntil: parsed.data.releasedUntil,
        updatedAt: now.toISOString(),
        seq: await nextSeq(tx),
      };
      await tx.insert(bookingReleases).values({ branchCode: id, ...values })
        .onConflictDoUpdate({ target: bookingReleases.branchCode, set: values });
    }
  },
  async remove(tx, id) {
    await tx.delete(bookingReleases).where(eq(bookingReleases.branchCode, id));
  },
};
