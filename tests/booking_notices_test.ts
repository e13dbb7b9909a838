/**
 * Booking notices on the archive: every booking it learns of is confirmed once (online when
 * made, a branch's when its push arrives), a move says "spostata" and not "annullata", a
 * cancellation is told, and the reminder job queues one reminder per booking of tomorrow.
 * The mails reach a real SMTP server on loopback and App IO its contract server.
 */
import assert from "node:assert/strict";
import { eq } from "drizzle-orm";
import { bookings, notices, outbox } from "../db/schema.ts";
import { cancelBooking, createBooking } from "../db/bookings.ts";
import { applyBranchBooking } from "../db/booking_sync.ts";
import { DEFAULT_HOLIDAYS } from "../domain/access_deadline.ts";
import { zonedInstant } from "../domain/booking_slots.ts";
import { syncOnce } from "../sync/run_sync.ts";
import { runNoticeSendRound } from "../notices/sender_job.ts";
import { runReminderRound } from "../notices/reminder_job.ts";
import { TestClient } from "./_access_client.ts";
import { seedBookingSetup } from "./_booking_world.ts";
import { manualClock, startChannels } from "./_notice_setup.ts";
import { createSyncPair } from "./_sync_setup.ts";

const FAST = { sleep: () => Promise.resolve(), backoffBaseMs: 1, maxAttempts: 2 };
const CUT = { fetchFn: () => Promise.reject(new TypeError("rete interrotta")) };
const CF = "RSSMRA85T10A562S";
const OTHER_CF = "MRTMTT91D08F205J";
const WED = (minutes: number) => zonedInstant("2025-03-05", minutes).toISOString();

async function kioskBook(client: TestClient, serviceId: string, startsAt: string, extra = {}) {
  await client.get(`/prenota/dati?servizio=${serviceId}&inizio=${encodeURIComponent(startsAt)}`);
  return await client.post("/prenota/dati", {
    sede: "",
    servizio: serviceId,
    inizio: startsAt,
    pratica: "",
    taxCode: CF,
    name: "Mario Rossi",
    email: "mario.rossi@example.it",
    requestCode: "",
    ...extra,
  });
}

async function slipCode(client: TestClient): Promise<string> {
  const m = /data-testid="booking-code">([^<]+)</.exec(
    await (await client.get("/prenota/ricevuta")).text(),
  );
  assert.ok(m?.[1]);
  return m[1];
}

Deno.test("the archive tells each booking once: confirmed, moved, cancelled, and a reminder the day before", async () => {
  await using pair = await createSyncPair();
  await using ch = await startChannels([CF]);
  const { archive, branch } = pair;
  const monday = archive.clock(); // Monday 3 March 2025, 10:00 in Rome
  const serviceId = await seedBookingSetup(archive.db, monday, { capacity: 3, onlineShare: 1 });
  await syncOnce(pair.clientDeps(), FAST);
  const rows = async (kind?: string) =>
    (await archive.db.select().from(notices)).filter((n) => !kind || n.kind === kind);

  // With the network cut, a citizen books at the kiosk asking for e-mail and App IO.
  await assert.rejects(syncOnce(pair.clientDeps(CUT), FAST));
  const kiosk = new TestClient(branch.app);
  assert.equal((await kioskBook(kiosk, serviceId, WED(9 * 60), { notifyAppIo: "1" })).status, 303);
  const kioskCode = await slipCode(kiosk);
  assert.equal((await branch.db.select().from(notices)).length, 0, "the branch sends nothing");

  // Online, another citizen books with an e-mail only: confirmed in the booking's transaction.
  const online = await createBooking(archive.db, {
    branchCode: "K2",
    serviceId,
    startsAt: WED(9 * 60 + 30),
    taxCode: OTHER_CF,
    name: "Matteo Martini",
    email: "matteo@example.it",
    notifyAppIo: false,
    requestCode: null,
    dossierId: null,
  }, { now: monday, side: "archive", makerCode: "AR", holidays: DEFAULT_HOLIDAYS, branch: false });
  assert.deepEqual((await rows()).map((n) => [n.eventId, n.channel, n.recipient]), [
    [`booking:${online.id}:confirmed`, "email", "matteo@example.it"],
  ]);

  // The kiosk's booking arrives by sync: confirmed on both channels the citizen chose.
  await syncOnce(pair.clientDeps(), FAST);
  const fromKiosk = await archive.db.select().from(bookings)
    .where(eq(bookings.code, kioskCode)).get();
  assert.ok(fromKiosk?.notifyAppIo);
  const confirmed = await rows("booking_confirmed");
  assert.deepEqual(
    confirmed.filter((n) => n.receiptCode === kioskCode).map((n) => [n.channel, n.recipient])
      .sort(),
    [["app_io", CF], ["email", "mario.rossi@example.it"]],
  );
  // A push replayed after a lost answer queues nothing more.
  const { seq: _seq, filesPinned: _p, ...snap } = fromKiosk;
  await archive.db.transaction((tx) =>
    applyBranchBooking(tx, snap, {
      branch: "sede-prova",
      number: 999,
      mutationId: "replay",
      entityId: fromKiosk.id,
      now: monday,
    })
  );
  assert.equal((await rows()).length, 3);

  // Moved at the kiosk: the new booking is pushed ahead of the old one's cancellation, and
  // the archive says "spostata" once, never "annullata".
  const manage = new TestClient(branch.app);
  await manage.get("/prenota/gestisci");
  assert.equal(
    (await manage.post("/prenota/sposta", {
      code: kioskCode,
      taxCode: CF,
      inizio: WED(10 * 60),
    })).status,
    303,
  );
  const movedCode = await slipCode(manage);
  const pushed = await branch.db.select().from(outbox).where(eq(outbox.state, "pending"));
  assert.deepEqual(pushed.map((m) => m.entity), ["booking", "booking"]);
  assert.equal(pushed[1]?.entityId, fromKiosk.id, "the new booking first, then the cancellation");
  await syncOnce(pair.clientDeps(), FAST);
  const moved = await rows("booking_rescheduled");
  assert.deepEqual(moved.map((n) => n.channel).sort(), ["app_io", "email"]);
  assert.ok(moved.every((n) => n.receiptCode === movedCode && n.body.includes(kioskCode)));
  assert.equal((await rows("booking_cancelled")).length, 0);

  // The online booking cancelled at the kiosk: the archive tells its citizen.
  await cancelBooking(branch.db, online.code, OTHER_CF, { now: monday, branch: true });
  await syncOnce(pair.clientDeps(), FAST);
  assert.deepEqual((await rows("booking_cancelled")).map((n) => n.recipient), [
    "matteo@example.it",
  ]);

  // Tuesday: the reminder job finds Wednesday's live bookings (the moved one), once. A
  // booking made on Tuesday for Wednesday is not reminded: its confirmation just came.
  const tuesday = new Date("2025-03-04T09:00:00Z");
  const late = await createBooking(archive.db, {
    branchCode: "K2",
    serviceId,
    startsAt: WED(11 * 60),
    taxCode: OTHER_CF,
    name: "Matteo Martini",
    email: "matteo@example.it",
    notifyAppIo: false,
    requestCode: null,
    dossierId: null,
  }, { now: tuesday, side: "archive", makerCode: "AR", holidays: DEFAULT_HOLIDAYS, branch: false });
  const jobDeps = { db: archive.db, clock: () => tuesday, grantNoticeDays: 7 };
  assert.deepEqual(await runReminderRound(jobDeps), { bookingReminders: 2, grantsExpiring: 0 });
  assert.deepEqual(await runReminderRound(jobDeps), { bookingReminders: 0, grantsExpiring: 0 });
  // Monday nothing was due yet.
  assert.equal((await runReminderRound({ ...jobDeps, clock: () => monday })).bookingReminders, 0);
  const reminders = await rows("booking_reminder");
  assert.ok(reminders.every((n) => n.receiptCode === movedCode));

  // Sent: each message once per channel, in Italian, with the booking's code.
  const clock = manualClock(tuesday);
  await runNoticeSendRound(ch.deps(archive.db, clock));
  const subjects = ch.sink.mails.map((m) => m.subject).sort();
  assert.deepEqual(
    subjects,
    [
      `Prenotazione annullata (${online.code})`,
      `Prenotazione confermata (${kioskCode})`,
      `Prenotazione confermata (${online.code})`,
      `Prenotazione confermata (${late.code})`,
      `Prenotazione spostata (${movedCode})`,
      `Promemoria: appuntamento di domani (${movedCode})`,
    ].sort(),
  );
  assert.deepEqual(ch.io.messages.map((m) => m.content.subject).sort(), [
    `Prenotazione confermata (${kioskCode})`,
    `Prenotazione spostata (${movedCode})`,
    `Promemoria: appuntamento di domani (${movedCode})`,
  ]);
  const reminder = ch.io.messages.find((m) => m.content.subject.startsWith("Promemoria"));
  assert.match(reminder?.content.markdown ?? "", /5 marzo 2025 alle 10:00/);
});
