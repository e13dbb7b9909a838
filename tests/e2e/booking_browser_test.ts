/// <reference lib="dom" />
/**
 * Booking at the kiosk in a real Chromium at 1080×1920: service, day, slot by touch-sized
 * buttons, the form, the slip with its code and .ics, the print stylesheet; axe-core finds
 * no WCAG 2.1 AA violation on any step, and nothing leaves loopback.
 */
import assert from "node:assert/strict";
import { createTestWorld } from "../_world.ts";
import { seedBookingSetup } from "../_booking_world.ts";
import { assertAccessible, kioskContext, launchChromium } from "./_browser.ts";

Deno.test("a citizen books a counter slot at the kiosk in a browser, accessibly", async () => {
  await using world = await createTestWorld();
  await seedBookingSetup(world.db, world.clock());
  const { url } = await world.serve();
  const browser = await launchChromium();
  const escaped: string[] = [];
  try {
    const context = await kioskContext(browser, escaped);
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    await page.setViewportSize({ width: 1080, height: 1920 });

    await page.goto(`${url}/prenota`);
    await assertAccessible(page, "the service step");
    const service = page.getByRole("link", { name: "Consultazione pratica edilizia" });
    const box = await service.boundingBox();
    assert.ok(box && box.height >= 48 && box.width >= 48, `touch target ${JSON.stringify(box)}`);
    await service.click();

    await page.getByRole("heading", { name: /scegli il giorno/ }).waitFor();
    await assertAccessible(page, "the day step");
    await page.getByRole("link", { name: "martedì 4 marzo 2025" }).click();

    await page.getByRole("heading", { name: /scegli l'orario/ }).waitFor();
    await assertAccessible(page, "the slot step");
    await page.getByRole("link", { name: "ore 10:00" }).click();

    await page.getByRole("heading", { name: "I tuoi dati" }).waitFor();
    await assertAccessible(page, "the form");
    // A wrong codice fiscale is said beside the field.
    await page.getByLabel("Codice fiscale").fill("RSSMRA85T10A562A");
    await page.getByLabel("Nome e cognome (obbligatorio)").fill("Mario Rossi");
    await page.getByRole("button", { name: "Conferma la prenotazione" }).click();
    await page.getByText("L'ultimo carattere non corrisponde").waitFor();
    await assertAccessible(page, "the form with an error");
    await page.getByLabel("Codice fiscale").fill("RSSMRA85T10A562S");
    await page.getByRole("button", { name: "Conferma la prenotazione" }).click();

    await page.getByRole("heading", { name: "Prenotazione confermata" }).waitFor();
    await assertAccessible(page, "the slip");
    const code = (await page.getByTestId("booking-code").textContent())?.trim() ?? "";
    assert.match(code, /^K2[2-9A-HJ-NP-Z]{2}-[2-9A-HJ-NP-Z]{4}$/);
    assert.match(await page.getByTestId("booking-when").textContent() ?? "", /ore 10:00/);

    // The .ics link downloads the calendar file.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: /Aggiungi al calendario/ }).click(),
    ]);
    const path = await download.path();
    const ics = await Deno.readTextFile(path);
    assert.match(ics, /^BEGIN:VCALENDAR\r\n/);
    assert.ok(ics.includes(code));

    // In print only the slip remains: no header, no buttons.
    await page.emulateMedia({ media: "print" });
    assert.equal(await page.locator("header").first().isVisible(), false);
    assert.equal(
      await page.getByRole("button", { name: "Stampa il promemoria" }).isVisible(),
      false,
    );
    assert.equal(await page.getByTestId("booking-code").isVisible(), true);
    await page.emulateMedia({ media: "screen" });

    // Found again by code + codice fiscale, and cancelled.
    await page.goto(`${url}/prenota/gestisci`);
    await assertAccessible(page, "the lookup");
    await page.getByLabel("Codice della prenotazione (obbligatorio)").fill(code);
    await page.getByLabel("Codice fiscale (obbligatorio)").fill("RSSMRA85T10A562S");
    await page.getByRole("button", { name: "Cerca" }).click();
    await page.getByTestId("booking-found").waitFor();
    await assertAccessible(page, "the booking found");
    await page.getByRole("button", { name: "Annulla la prenotazione" }).click();
    await page.getByTestId("booking-cancelled").waitFor();
    await context.close();
  } finally {
    await browser.close();
  }
  assert.deepEqual(escaped, []);
});
