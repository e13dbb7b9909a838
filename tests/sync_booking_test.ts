/**
 * Bookings at a branch and online at the archive for the same days, with the network cut
 * between them, then synced: no slot is ever over capacity on either side.
 */
import assert from "node:assert/strict";
import { addBookingService, saveBookingRule } from "../db/booking_config.ts";
import {
  type BookingContext,
  cancelBooking,
  createBooking,
  type NewBooking,
} from "../db/bookings.ts";
import type { Db } from "../db/client.ts";
import { bookings, documentFiles } from "../db/schema.ts";
import { setBookingHours } from "../db/booking_config.ts";
import { DEFAULT_HOLIDAYS } from "../domain/access_deadline.ts";
import { zonedInstant } from "../domain/booking_slots.ts";
import { UserFacingError } from "../domain/user_facing_error.ts";
import { syncOnce } from "../sync/run_sync.ts";
import { createSyncPair } from "./_sync_setup.ts";
import { seedBookingSetup } from "./_booking_world.ts";
import { dossier } from "./fixtures.ts";
import { eq } from "drizzle-orm";

const FAST = { sleep: () => Promise.resolve(), backoffBaseMs: 1, maxAttempts: 2 };
const CUT = { fetchFn: () => Promise.reject(new TypeError("rete interrotta")) };

/** Books and says whether it went through (409 when the side's share is full). */
async function tryBook(db: Db, input: NewBooking, ctx: BookingContext): Promise<boolean> {
  try {
    await createBooking(db, input, ctx);
    return true;
  } catch (err) {
    if (err instanceof UserFacingError && err.status === 409) return false;
    throw err;
  }
}

/** Live bookings per slot start on one side. */
async function perSlot(db: Db): Promise<Map<string, number>> {
  const rows = await db.select().from(bookings);
  const out = new Map<string, number>();
  for (const r of rows.filter((r) => r.state !== "cancelled")) {
    out.set(r.startsAt, (out.get(r.startsAt) ?? 0) + 1);
  }
  return out;
}

Deno.test("booked at the kiosk offline and online for the same day, no slot is over capacity after sync", async () => {
  await using pair = await createSyncPair();
  const { archive, branch } = pair;
  const now = archive.clock(); // Monday 3 March 2025, 10:00 in Rome
  // Three counters, one seat online; online booking closes 24 hours before a slot.
  await saveBookingRule(archive.db, "K2", {
    name: "Sede centrale",
    place: "Piano terra",
    capacity: 3,
    onlineShare: 1,
    releaseHours: 24,
  }, now);
  const serviceId = await addBookingService(archive.db, "K2", {
    name: "Consultazione pratica edilizia",
    slotMinutes: 30,
  }, now);
  await setBookingHours(archive.db, "K2", 2, [{ opens: "09:00", closes: "12:00" }], now);
  await setBookingHours(archive.db, "K2", 3, [{ opens: "09:00", closes: "12:00" }], now);
  await syncOnce(pair.clientDeps(), FAST);

  const kiosk: BookingContext = {
    now,
    side: "branch",
    makerCode: "K2",
    holidays: DEFAULT_HOLIDAYS,
    branch: true,
  };
  const online: BookingContext = {
    now,
    side: "archive",
    makerCode: "AR",
    holidays: DEFAULT_HOLIDAYS,
    branch: false,
  };
  const person = (n: number, startsAt: string): NewBooking => ({
    branchCode: "K2",
    serviceId,
    startsAt,
    taxCode: "RSSMRA85T10A562S",
    name: `Persona ${n}`,
    email: null,
    notifyAppIo: false,
    requestCode: null,
    dossierId: null,
  });
  const wednesday = zonedInstant("2025-03-05", 9 * 60).toISOString();
  const tuesday = zonedInstant("2025-03-04", 9 * 60).toISOString();

  // The network is down: a sync fails and changes nothing.
  await assert.rejects(syncOnce(pair.clientDeps(CUT), FAST));

  // Wednesday, beyond the release horizon: two seats at the branch, one online.
  const branchWed = [];
  for (let i = 0; i < 4; i++) branchWed.push(await tryBook(branch.db, person(i, wednesday), kiosk));
  assert.deepEqual(branchWed, [true, true, false, false]);
  const onlineWed = [];
  for (let i = 0; i < 3; i++) {
    onlineWed.push(await tryBook(archive.db, person(10 + i, wednesday), online));
  }
  assert.deepEqual(onlineWed, [true, false, false]);

  // Tuesday 9:00 is within 24 hours: the archive released it at the first sync, so the branch
  // may fill all three counters and the archive takes nobody there.
  const branchTue = [];
  for (let i = 0; i < 4; i++) {
    branchTue.push(await tryBook(branch.db, person(20 + i, tuesday), kiosk));
  }
  assert.deepEqual(branchTue, [true, true, true, false]);
  assert.equal(await tryBook(archive.db, person(30, tuesday), online), false);

  await syncOnce(pair.clientDeps(), FAST);
  for (const side of [archive.db, branch.db]) {
    const counts = await perSlot(side);
    assert.equal(counts.get(wednesday), 3);
    assert.equal(counts.get(tuesday), 3);
    for (const n of counts.values()) assert.ok(n <= 3);
  }

  // A cancellation on either side reaches the other, and a seat freed online stays online.
  const [onlineOne] = await archive.db.select().from(bookings).all().then((rows) =>
    rows.filter((r) => r.side === "archive")
  );
  assert.ok(onlineOne);
  await cancelBooking(branch.db, onlineOne.code, onlineOne.taxCode, { now, branch: true });
  assert.equal(await tryBook(branch.db, person(40, wednesday), kiosk), false);
  await syncOnce(pair.clientDeps(), FAST);
  const there = await archive.db.select().from(bookings).all();
  assert.equal(there.find((r) => r.id === onlineOne.id)?.state, "cancelled");
  assert.equal(await tryBook(archive.db, person(41, wednesday), online), true);
  await syncOnce(pair.clientDeps(), FAST);
  assert.equal((await perSlot(branch.db)).get(wednesday), 3);
  assert.equal((await perSlot(archive.db)).get(wednesday), 3);
});

Deno.test("an online booking naming a dossier pins its scans at the branch when it arrives", async () => {
  const d = dossier({ id: "pe-ce-1987-452" });
  await using pair = await createSyncPair({ archiveRecords: [d] });
  const { archive, branch } = pair;
  const now = archive.clock();
  const serviceId = await seedBookingSetup(archive.db, now);
  await syncOnce(pair.clientDeps(), FAST);
  await createBooking(archive.db, {
    branchCode: "K2",
    serviceId,
    startsAt: zonedInstant("2025-03-05", 9 * 60).toISOString(),
    taxCode: "RSSMRA85T10A562S",
    name: "Mario Rossi",
    email: "mario@example.org",
    notifyAppIo: false,
    requestCode: null,
    dossierId: d.id,
  }, { now, side: "archive", makerCode: "AR", holidays: DEFAULT_HOLIDAYS, branch: false });
  await syncOnce(pair.clientDeps(), FAST);
  const pinned = await branch.db.select().from(documentFiles)
    .where(eq(documentFiles.pinned, true));
  assert.equal(pinned.length, d.documents.length);
  assert.ok(pinned.length > 0);
});
