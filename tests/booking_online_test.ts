/**
 * Booking online at the archive: by codice fiscale + e-mail, or signed in with SPID/CIE (the
 * test broker on loopback), where the codice fiscale is the sign-in's and no field asks it.
 */
import assert from "node:assert/strict";
import { bookings } from "../db/schema.ts";
import { zonedInstant } from "../domain/booking_slots.ts";
import { seedBookingSetup } from "./_booking_world.ts";
import { createCitizenWorld, csrfOf, FetchBrowser, signIn } from "./_citizen_world.ts";

const WED_10 = zonedInstant("2025-03-05", 10 * 60).toISOString();

Deno.test("online, a signed-in citizen books under the sign-in's codice fiscale; others give CF and e-mail", async () => {
  await using world = await createCitizenWorld();
  const serviceId = await seedBookingSetup(world.db, world.clock());
  const slot = `sede=K2&servizio=${serviceId}&inizio=${encodeURIComponent(WED_10)}`;

  // Anonymous: the sede is chosen first, the e-mail is required.
  const anonymous = new FetchBrowser();
  const start = await anonymous.get(`${world.url}/prenota`);
  assert.match(start.text, /Scegli la sede/);
  const form = await anonymous.get(`${world.url}/prenota/dati?${slot}`);
  assert.match(form.text, /name="taxCode"/);
  const fields = {
    _csrf: csrfOf(form.text),
    sede: "K2",
    servizio: serviceId,
    inizio: WED_10,
    pratica: "",
    taxCode: "MRTMTT91D08F205J",
    name: "Matteo Martini",
    email: "",
    requestCode: "",
  };
  const noMail = await anonymous.postForm(`${world.url}/prenota/dati`, fields);
  assert.equal(noMail.status, 422);
  assert.match(noMail.text, /e-mail a cui mandare la conferma/);
  const withMail = await anonymous.postForm(`${world.url}/prenota/dati`, {
    ...fields,
    email: "matteo@example.org",
  });
  assert.equal(withMail.status, 303);

  // Signed in: the one online seat at 10:00 is taken, 10:30 is free.
  const browser = new FetchBrowser();
  assert.equal((await signIn(browser, world, "mario")).status, 303);
  const next = zonedInstant("2025-03-05", 10 * 60 + 30).toISOString();
  const mine = await browser.get(
    `${world.url}/prenota/dati?sede=K2&servizio=${serviceId}&inizio=${encodeURIComponent(next)}`,
  );
  assert.equal(mine.status, 200);
  assert.doesNotMatch(mine.text, /name="taxCode"/);
  assert.match(mine.text, /RSS•+562S|RSS.+562S/);
  const booked = await browser.postForm(`${world.url}/prenota/dati`, {
    _csrf: csrfOf(mine.text),
    sede: "K2",
    servizio: serviceId,
    inizio: next,
    pratica: "",
    // Whatever is sent here, the sign-in's codice fiscale is the one used.
    taxCode: "MRTMTT91D08F205J",
    name: "Mario Rossi",
    email: "",
    requestCode: "",
  });
  assert.equal(booked.status, 303);
  const full = await browser.postForm(`${world.url}/prenota/dati`, {
    _csrf: csrfOf(mine.text),
    sede: "K2",
    servizio: serviceId,
    inizio: WED_10,
    pratica: "",
    taxCode: "",
    name: "Mario Rossi",
    email: "",
    requestCode: "",
  });
  assert.equal(full.status, 409);

  const rows = await world.db.select().from(bookings);
  assert.deepEqual(
    rows.map((r) => [r.name, r.taxCode, r.side]).sort(),
    [
      ["Mario Rossi", "RSSMRA85T10A562S", "archive"],
      ["Matteo Martini", "MRTMTT91D08F205J", "archive"],
    ],
  );
});
