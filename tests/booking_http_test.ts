/**
 * Booking over HTTP at a branch kiosk: pick, book, slip, .ics; a full slot, a bad codice
 * fiscale; cancel and move by code + codice fiscale; the counter's agenda; the admin setup.
 */
import assert from "node:assert/strict";
import { eq } from "drizzle-orm";
import { auditLog, bookings, documentFiles, outbox } from "../db/schema.ts";
import { readBookingConfig } from "../db/booking_config.ts";
import { unpinPastBookings } from "../db/bookings.ts";
import type { BookingEvent } from "../db/booking_events.ts";
import { zonedInstant } from "../domain/booking_slots.ts";
import { addUser, TestClient } from "./_access_client.ts";
import { seedBookingSetup } from "./_booking_world.ts";
import { createTestWorld } from "./_world.ts";
import { dossier } from "./fixtures.ts";

const CF = "RSSMRA85T10A562S";
const OTHER_CF = "MRTMTT91D08F205J";
const TUE_9 = zonedInstant("2025-03-04", 9 * 60).toISOString();
const TUE_930 = zonedInstant("2025-03-04", 9 * 60 + 30).toISOString();

async function book(client: TestClient, serviceId: string, startsAt: string, extra = {}) {
  await client.get(`/prenota/dati?servizio=${serviceId}&inizio=${encodeURIComponent(startsAt)}`);
  return await client.post("/prenota/dati", {
    sede: "",
    servizio: serviceId,
    inizio: startsAt,
    pratica: "",
    taxCode: CF,
    name: "Mario Rossi",
    email: "",
    requestCode: "",
    ...extra,
  });
}

async function slipCode(client: TestClient): Promise<string> {
  const res = await client.get("/prenota/ricevuta");
  assert.equal(res.status, 200);
  const m = /data-testid="booking-code">([^<]+)</.exec(await res.text());
  assert.ok(m?.[1]);
  return m[1];
}

Deno.test("a citizen books at the kiosk: service, day, slot, slip and .ics", async () => {
  await using world = await createTestWorld();
  const serviceId = await seedBookingSetup(world.db, world.clock());
  const client = new TestClient(world.app);

  let res = await client.get("/prenota");
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /^text\/html/);
  assert.match(await res.text(), /Consultazione pratica edilizia/);
  res = await client.get(`/prenota?servizio=${serviceId}`);
  const days = await res.text();
  assert.match(days, /martedì 4 marzo 2025/);
  assert.match(days, /mercoledì 5 marzo 2025/);
  assert.doesNotMatch(days, /giovedì 6 marzo/);
  res = await client.get(`/prenota?servizio=${serviceId}&giorno=2025-03-04`);
  const slots = await res.text();
  assert.match(slots, /ore 09:00/);
  assert.match(slots, /ore 11:30/);

  res = await book(client, serviceId, TUE_9);
  assert.equal(res.status, 303);
  assert.equal(res.headers.get("location"), "/prenota/ricevuta");
  const code = await slipCode(client);
  assert.match(code, /^K2[2-9A-HJ-NP-Z]{2}-[2-9A-HJ-NP-Z]{4}$/);

  const ics = await client.get("/prenota/ricevuta.ics");
  assert.equal(ics.status, 200);
  assert.match(ics.headers.get("content-type") ?? "", /^text\/calendar/);
  const body = await ics.text();
  assert.match(body, /\r\nDTSTART:20250304T080000Z\r\n/);
  assert.ok(body.includes(code));

  // "Fine" wipes the slip for the next person at the kiosk.
  await client.get("/richieste/azzera");
  assert.equal((await client.get("/prenota/ricevuta")).status, 404);

  // The branch queued it for the archive, in the same transaction.
  const queued = await world.db.select().from(outbox).where(eq(outbox.entity, "booking"));
  assert.equal(queued.length, 1);
});

Deno.test("a full slot is refused and shown as full; a bad codice fiscale writes nothing", async () => {
  await using world = await createTestWorld();
  const serviceId = await seedBookingSetup(world.db, world.clock());
  const first = new TestClient(world.app);
  assert.equal((await book(first, serviceId, TUE_9)).status, 303);
  // Two counters, one kept for online bookings: the branch's one seat at 9:00 is taken.
  const second = new TestClient(world.app);
  const full = await book(second, serviceId, TUE_9);
  assert.equal(full.status, 409);
  assert.match(await full.text(), /Orario già al completo: scegline un altro/);
  const page = await (await second.get(`/prenota?servizio=${serviceId}&giorno=2025-03-04`)).text();
  assert.match(page, /ore 09:00: completo/);

  const bad = await book(second, serviceId, TUE_930, { taxCode: "RSSMRA85T10A562A" });
  assert.equal(bad.status, 422);
  assert.match(await bad.text(), /L&#39;ultimo carattere non corrisponde|L'ultimo carattere/);
  // A slot outside the hours, e.g. Tuesday at 13:00, is refused too.
  const off = await book(second, serviceId, zonedInstant("2025-03-04", 13 * 60).toISOString());
  assert.equal(off.status, 422);
  assert.equal((await world.db.select().from(bookings)).length, 1);
});

Deno.test("cancel and move need code and codice fiscale; a wrong one gets the same answer as a wrong code", async () => {
  await using world = await createTestWorld();
  const serviceId = await seedBookingSetup(world.db, world.clock());
  const client = new TestClient(world.app);
  await book(client, serviceId, TUE_9);
  const code = await slipCode(client);
  await client.get("/prenota/gestisci");

  const wrongCf = await client.post("/prenota/annulla", { code, taxCode: OTHER_CF });
  const wrongCode = await client.post("/prenota/annulla", { code: "K2AB-CD7E", taxCode: CF });
  assert.equal(wrongCf.status, 404);
  assert.equal(wrongCode.status, 404);
  const a = await wrongCf.text();
  const b = await wrongCode.text();
  assert.match(a, /Nessuna prenotazione con questo codice e questo codice fiscale/);
  assert.equal(a, b);

  const found = await client.post("/prenota/gestisci", { code, taxCode: CF, giorno: "2025-03-04" });
  assert.equal(found.status, 200);
  assert.match(await found.text(), /ore 09:30/);
  const moved = await client.post("/prenota/sposta", { code, taxCode: CF, inizio: TUE_930 });
  assert.equal(moved.status, 303);
  const newCode = await slipCode(client);
  assert.notEqual(newCode, code);
  const rows = await world.db.select().from(bookings);
  assert.deepEqual(
    rows.map((r) => [r.code, r.state, r.startsAt]).sort(),
    [
      [code, "cancelled", TUE_9],
      [newCode, "booked", TUE_930],
    ].sort(),
  );
  // The old code is spent.
  assert.equal((await client.post("/prenota/annulla", { code, taxCode: CF })).status, 409);
  const cancelled = await client.post("/prenota/annulla", {
    code: newCode.toLowerCase(),
    taxCode: CF.toLowerCase(),
  });
  assert.equal(cancelled.status, 200);
  assert.match(await cancelled.text(), /Prenotazione annullata/);
  // The seat is free again.
  assert.equal((await book(new TestClient(world.app), serviceId, TUE_930)).status, 303);
});

Deno.test("booking events reach the hook: confirmed, rescheduled, cancelled", async () => {
  const events: BookingEvent[] = [];
  await using world = await createTestWorld();
  const serviceId = await seedBookingSetup(world.db, world.clock());
  const { createApp } = await import("../app.ts");
  const app = createApp({
    db: world.db,
    index: world.index,
    clock: world.clock,
    config: world.config,
    onBookingEvent: (e) => {
      events.push(e);
    },
  });
  const client = new TestClient(app);
  await book(client, serviceId, TUE_9);
  const code = await slipCode(client);
  await client.post("/prenota/sposta", { code, taxCode: CF, inizio: TUE_930 });
  const newCode = await slipCode(client);
  await client.post("/prenota/annulla", { code: newCode, taxCode: CF });
  assert.deepEqual(events.map((e) => e.kind), ["confirmed", "rescheduled", "cancelled"]);
  const moved = events[1];
  assert.ok(moved?.kind === "rescheduled");
  assert.equal(moved.previous.code, code);
  assert.equal(moved.booking.code, newCode);
});

Deno.test("a booking naming a dossier pins its scans, unpinned after the day", async () => {
  const d = dossier({ id: "pe-ce-1987-452" });
  await using world = await createTestWorld({ records: [d] });
  const serviceId = await seedBookingSetup(world.db, world.clock());
  const client = new TestClient(world.app);
  const res = await book(client, serviceId, TUE_9, { pratica: d.id });
  assert.equal(res.status, 303);
  const pinned = await world.db.select().from(documentFiles).where(eq(documentFiles.pinned, true));
  assert.equal(pinned.length, d.documents.length);
  assert.ok(pinned.length > 0);
  assert.equal(await unpinPastBookings(world.db, new Date("2025-03-04T20:00:00Z")), 0);
  assert.equal(await unpinPastBookings(world.db, new Date("2025-03-05T08:00:00Z")), 1);
  const still = await world.db.select().from(documentFiles).where(eq(documentFiles.pinned, true));
  assert.equal(still.length, 0);
  const unknown = await book(new TestClient(world.app), serviceId, TUE_930, { pratica: "nessuna" });
  assert.equal(unknown.status, 422);
});

Deno.test("the counter's agenda lists the day by time, marks arrivals and adds walk-ins", async () => {
  await using world = await createTestWorld();
  const serviceId = await seedBookingSetup(world.db, world.clock());
  await book(new TestClient(world.app), serviceId, TUE_930);
  await book(new TestClient(world.app), serviceId, TUE_9, { name: "Anna Bianchi" });
  await addUser(world.db, "mario", "clerk", world.clock());
  const clerk = new TestClient(world.app);
  assert.equal((await clerk.login("mario")).status, 303);
  let res = await clerk.get("/sportello/agenda?giorno=2025-03-04");
  assert.equal(res.status, 200);
  const html = await res.text();
  assert.ok(html.indexOf("Anna Bianchi") < html.indexOf("Mario Rossi"), "by time");
  const [anna] = await world.db.select().from(bookings).where(eq(bookings.name, "Anna Bianchi"));
  assert.ok(anna);
  res = await clerk.post("/sportello/agenda/stato", { id: anna.id, state: "arrived" });
  assert.equal(res.status, 303);
  res = await clerk.post("/sportello/agenda/accesso", {
    serviceId,
    name: "Luca Verdi",
    taxCode: "",
  });
  assert.equal(res.status, 303);
  const today = await (await clerk.get("/sportello/agenda")).text();
  assert.match(today, /Luca Verdi/);
  assert.match(today, /senza prenotazione/);
  const audited = await world.db.select().from(auditLog).where(
    eq(auditLog.action, "booking_agenda_view"),
  );
  assert.deepEqual(audited.map((e) => [e.actor, e.detail]).slice(0, 1), [["mario", "2025-03-04"]]);
  const states = await world.db.select().from(bookings);
  assert.equal(states.find((b) => b.id === anna.id)?.state, "arrived");
  // Citizens do not see it: they are sent to the login.
  const anonymous = await new TestClient(world.app).get("/sportello/agenda");
  assert.ok([302, 303, 401].includes(anonymous.status), String(anonymous.status));
  assert.doesNotMatch(await anonymous.text(), /Anna Bianchi/);
});

Deno.test("a branch not set up for bookings says so instead of an error", async () => {
  await using world = await createTestWorld();
  const res = await new TestClient(world.app).get("/prenota");
  assert.equal(res.status, 200);
  assert.match(await res.text(), /Le prenotazioni non sono ancora attive in questa sede/);
});

Deno.test("admins set services, hours, closures and the split rule; a share over capacity is refused", async () => {
  await using world = await createTestWorld();
  await addUser(world.db, "capo", "admin", world.clock());
  const admin = new TestClient(world.app);
  await admin.login("capo");
  await admin.get("/admin/prenotazioni");
  const rule = { sede: "K2", name: "Sede centrale", place: "Piano terra", releaseHours: "24" };
  let res = await admin.post("/admin/prenotazioni/regola", {
    ...rule,
    capacity: "2",
    onlineShare: "3",
  });
  assert.equal(res.status, 422);
  assert.match(await res.text(), /quota online non può superare/);
  res = await admin.post("/admin/prenotazioni/regola", {
    ...rule,
    capacity: "3",
    onlineShare: "1",
  });
  assert.equal(res.status, 303);
  res = await admin.post("/admin/prenotazioni/servizi", {
    sede: "K2",
    name: "Ritiro copie",
    slotMinutes: "15",
  });
  assert.equal(res.status, 303);
  res = await admin.post("/admin/prenotazioni/orari", {
    sede: "K2",
    weekday: "1",
    intervals: "09:00-12:30, 15:00-17:00",
  });
  assert.equal(res.status, 303);
  res = await admin.post("/admin/prenotazioni/orari", {
    sede: "K2",
    weekday: "2",
    intervals: "09:00-12:30, 12:00-13:00",
  });
  assert.equal(res.status, 422);
  res = await admin.post("/admin/prenotazioni/chiusure", {
    sede: "K2",
    date: "2025-03-10",
    note: "Inventario",
    action: "add",
  });
  assert.equal(res.status, 303);
  const config = await readBookingConfig(world.db, "K2");
  assert.equal(config?.capacity, 3);
  assert.equal(config?.onlineShare, 1);
  assert.deepEqual(config?.services.map((s) => [s.name, s.slotMinutes]), [["Ritiro copie", 15]]);
  assert.deepEqual(config?.hours.map((h) => `${h.weekday} ${h.opens}-${h.closes}`), [
    "1 09:00-12:30",
    "1 15:00-17:00",
  ]);
  assert.deepEqual(config?.closures.map((c) => c.date), ["2025-03-10"]);
  const page = await (await admin.get("/admin/prenotazioni?sede=K2")).text();
  assert.match(page, /Ritiro copie/);
});

Deno.test("the booking form keeps the App IO choice; a forged value is refused and writes nothing", async () => {
  await using world = await createTestWorld();
  const serviceId = await seedBookingSetup(world.db, world.clock());
  const bad = await book(new TestClient(world.app), serviceId, TUE_9, { notifyAppIo: "sì" });
  assert.ok(bad.status >= 400 && bad.status < 500, `status ${bad.status}`);
  assert.match(await bad.text(), /Avvisi su App IO: spunta la casella oppure no/);
  assert.equal((await world.db.select().from(bookings)).length, 0);
  const form = await (await new TestClient(world.app).get(
    `/prenota/dati?servizio=${serviceId}&inizio=${encodeURIComponent(TUE_9)}`,
  )).text();
  assert.match(form, /name="notifyAppIo"/);
  const ok = await book(new TestClient(world.app), serviceId, TUE_9, { notifyAppIo: "1" });
  assert.equal(ok.status, 303);
  const [row] = await world.db.select().from(bookings);
  assert.equal(row?.notifyAppIo, true);
});
