/**
 * The jobs the calendar drives: on the archive, grant expiry notices (active grants only,
 * within N days, once); at a branch, the pins that end by the day (a booking's scans after
 * its day, an expired grant's files), offline, without anyone opening a page.
 */
import assert from "node:assert/strict";
import { eq } from "drizzle-orm";
import { accessRequests, documentFiles, notices } from "../db/schema.ts";
import { createGrant, revokeGrant } from "../db/access_grants.ts";
import { grantPinsOf } from "../db/grant_pins.ts";
import { createBooking } from "../db/bookings.ts";
import { queueGrantExpiryNotices } from "../db/grant_notices.ts";
import { DEFAULT_HOLIDAYS } from "../domain/access_deadline.ts";
import { zonedInstant } from "../domain/booking_slots.ts";
import { runPinRound } from "../sync/pin_job.ts";
import { acceptWithTitle, actor, fileDocumentale, scannedDossier } from "./_grant_world.ts";
import { seedBookingSetup } from "./_booking_world.ts";
import { createTestWorld } from "./_world.ts";

Deno.test("an active grant is told N days before its last day, once; a revoked or ended one never", async () => {
  const d = scannedDossier();
  await using world = await createTestWorld({ records: [d], config: { role: "archive" } });
  const req = await fileDocumentale(world, [d.id]);
  await world.db.update(accessRequests).set({ email: "lucia@example.it", notifyAppIo: true })
    .where(eq(accessRequests.id, req.id));
  await acceptWithTitle(world, req.id);
  const grant = (until: string) =>
    createGrant(
      world.db,
      req.id,
      { scope: "whole", mode: "view", validUntil: until },
      actor(world),
    );
  const kept = await grant("2025-03-20");
  const revoked = await grant("2025-03-21");
  await revokeGrant(world.db, revoked.grant.id, "Titolo non più valido", actor(world));
  const at = (iso: string) => new Date(`${iso}T09:00:00Z`);

  // 8 days before: nothing; 7 days before, both channels of the request; then never again.
  assert.equal(await queueGrantExpiryNotices(world.db, at("2025-03-12"), 7), 0);
  assert.equal(await queueGrantExpiryNotices(world.db, at("2025-03-13"), 7), 2);
  assert.equal(await queueGrantExpiryNotices(world.db, at("2025-03-14"), 7), 0);
  assert.equal(await queueGrantExpiryNotices(world.db, at("2025-03-20"), 7), 0);
  // (The decision's own notices are there too: only the expiry's are looked at.)
  const rows = await world.db.select().from(notices).where(eq(notices.kind, "grant_expiring"));
  assert.deepEqual(rows.map((n) => [n.eventId, n.channel, n.recipient]).sort(), [
    [`grant:${kept.grant.id}:expiring`, "app_io", "MRTMTT91D08F205J"],
    [`grant:${kept.grant.id}:expiring`, "email", "lucia@example.it"],
  ]);
  assert.ok(rows.every((n) => n.body.includes("20 marzo 2025")));
  // After its last day a grant is over: a later grant with a wider setting is the only one.
  const later = await grant("2025-04-30");
  assert.equal(await queueGrantExpiryNotices(world.db, at("2025-03-21"), 60), 2);
  const newest = await world.db.select().from(notices)
    .where(eq(notices.eventId, `grant:${later.grant.id}:expiring`));
  assert.equal(newest.length, 2);
});

Deno.test("a branch's pin job unpins a booking's scans after its day and an expired grant's files, offline", async () => {
  const d = scannedDossier({ id: "pe-ce-1987-452" });
  await using world = await createTestWorld({ records: [d] });
  const serviceId = await seedBookingSetup(world.db, world.clock());
  await createBooking(world.db, {
    branchCode: "K2",
    serviceId,
    startsAt: zonedInstant("2025-03-04", 9 * 60).toISOString(),
    taxCode: "RSSMRA85T10A562S",
    name: "Mario Rossi",
    email: null,
    notifyAppIo: false,
    requestCode: null,
    dossierId: d.id,
  }, {
    now: world.clock(),
    side: "branch",
    makerCode: "K2",
    holidays: DEFAULT_HOLIDAYS,
    branch: true,
  });
  const req = await fileDocumentale(world, [d.id]);
  await acceptWithTitle(world, req.id);
  await createGrant(world.db, req.id, {
    scope: "whole",
    mode: "view",
    validUntil: "2025-03-06",
  }, actor(world));
  const pinned = async () =>
    (await world.db.select().from(documentFiles).where(eq(documentFiles.pinned, true))).length;
  const sha = d.documents.map((x) => x.sha256);
  assert.equal(await pinned(), 3);
  assert.equal((await grantPinsOf(world.db, sha)).size, 3);
  const deps = (iso: string) => ({
    db: world.db,
    clock: () => new Date(iso),
    branchName: world.config.branchName,
  });

  // During the booking's day nothing moves; the day after, the booking's pin goes.
  assert.deepEqual(await runPinRound(deps("2025-03-04T15:00:00Z")), {
    bookingsUnpinned: 0,
    grantPinsAdded: 0,
    grantPinsRemoved: 0,
  });
  assert.deepEqual(await runPinRound(deps("2025-03-05T07:00:00Z")), {
    bookingsUnpinned: 1,
    grantPinsAdded: 0,
    grantPinsRemoved: 0,
  });
  assert.equal(await pinned(), 0);
  assert.equal((await grantPinsOf(world.db, sha)).size, 3, "the grant still holds its files");
  // The day after the grant's last: its pins go too, with no sync and no page opened.
  assert.equal((await runPinRound(deps("2025-03-07T07:00:00Z"))).grantPinsRemoved, 3);
  assert.equal((await grantPinsOf(world.db, sha)).size, 0);
});
