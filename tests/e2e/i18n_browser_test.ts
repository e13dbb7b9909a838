/// <reference lib="dom" />
/**
 * A visitor who reads no Italian, in a real Chromium: switches the kiosk to English, finds a
 * dossier, files an access request (a bad then a valid codice fiscale), reads the receipt in
 * English; the idle wipe brings Italian back for the next person. axe-core finds no WCAG 2.1
 * AA violation on any kiosk page in either language.
 */
import assert from "node:assert/strict";
import { createTestWorld } from "../_world.ts";
import { act, dossier, person } from "../fixtures.ts";
import { assertAccessible, kioskContext, launchChromium } from "./_browser.ts";
import { seedBookingSetup } from "../_booking_world.ts";

Deno.test("a visitor uses the kiosk in English and the idle wipe returns it to Italian", async (t) => {
  const d = dossier({
    id: "pe-ce-1987-452",
    number: "452",
    subject: "AMPLIAMENTO FABBRICATO E COSTRUZIONE AUTORIMESSA",
    addresses: [{ street: "Via Vittorio Veneto", civic: "14/A", locality: "Case Nuove" }],
  });
  const a = act({ id: "dcc-2019-34", number: "34" });
  // A real codice fiscale from the fixtures: the requester of every fixture dossier.
  const validCf = person().taxCode ?? "";
  await using world = await createTestWorld({ records: [d, a] });
  const serviceId = await seedBookingSetup(world.db, world.clock());
  const { url } = await world.serve();
  const browser = await launchChromium();
  const escaped: string[] = [];
  try {
    const context = await kioskContext(browser, escaped);
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();

    await t.step("the switch turns the kiosk to English and stays for the session", async () => {
      await page.goto(`${url}/`);
      assert.equal(await page.locator("html").getAttribute("lang"), "it");
      const en = page.getByRole("link", { name: "EN English" });
      const box = await en.boundingBox();
      assert.ok(box && box.width >= 44 && box.height >= 44, `touch target ${JSON.stringify(box)}`);
      await en.click();
      await page.waitForURL(`${url}/`);
      assert.equal(await page.locator("html").getAttribute("lang"), "en");
      await page.getByRole("heading", { level: 1, name: /Find a building permit/ }).waitFor();
      assert.equal(
        await page.getByRole("link", { name: "EN English" }).getAttribute("aria-current"),
        "true",
      );
    });

    await t.step("search, dossier and request form in English", async () => {
      await page.getByRole("searchbox").pressSequentially("autorimessa");
      await page.getByRole("heading", { name: "1 result" }).waitFor();
      await page.waitForURL(`${url}/cerca?q=autorimessa`);
      // The switch now leads back to these results, not to the page first rendered.
      assert.equal(
        await page.getByRole("link", { name: "IT Italiano" }).getAttribute("href"),
        "/lingua/it?torna=%2Fcerca%3Fq%3Dautorimessa",
      );
      await page.getByRole("link", { name: "CE 452/1987" }).click();
      await page.getByRole("heading", { level: 1, name: /Building permit CE 452\/1987/ })
        .waitFor();
      await page.getByRole("link", { name: "Request access" }).click();
      await page.getByRole("heading", { level: 1, name: "Access request (accesso agli atti)" })
        .waitFor();
      // The legal term keeps its Italian name, read with an Italian voice.
      assert.equal(
        await page.locator('h1 span[lang="it"]').textContent(),
        "accesso agli atti",
      );
      await page.getByLabel("First name and surname (or company name) (required)")
        .fill("Mario Rossi");
      const cf = page.getByLabel(/^Tax code/);
      await cf.fill("RSSMRA85T10A562A");
      await cf.press("Tab");
      await page.getByText("The last character does not match").waitFor();
      assert.equal(await page.getByLabel(/^Tax code/).getAttribute("aria-invalid"), "true");
      await page.getByLabel(/^Tax code/).fill(validCf);
      await page.getByLabel(/^Tax code/).press("Tab");
      await page.getByText("The last character does not match").waitFor({ state: "detached" });
      // Bootstrap Italia draws the radio on its label: click it as a finger would.
      await page.locator(`label[for="regime-documentale"]`).click();
      await page.getByLabel("Reason (required for documentary access)")
        .fill("Purchase of the flat");
      await page.locator(`label[for="privacyAck"]`).click();
      await page.getByRole("button", { name: "Next: check your details" }).click();
      await page.getByRole("heading", { name: "Check your details before sending" }).waitFor();
      await assertAccessible(page, "summary (en)");
      await page.getByRole("button", { name: "Confirm and send" }).click();
    });

    await t.step("the receipt is in English", async () => {
      await page.getByRole("heading", { level: 1, name: /Access request .*filed/ }).waitFor();
      assert.equal(await page.locator("html").getAttribute("lang"), "en");
      assert.match(await page.getByTestId("due-date").innerText(), /^\d{1,2} [A-Z][a-z]+ \d{4}$/);
      await page.getByRole("button", { name: "Print the receipt" }).waitFor();
      await assertAccessible(page, "receipt (en)");
      // The status of that request, looked up in English (the answer, not only the form).
      const code = (await page.getByTestId("receipt-code").textContent()) ?? "";
      await page.goto(`${url}/richieste/stato`);
      await page.locator('form[action="/richieste/stato"] input[name="code"]').fill(code);
      await page.locator('form[action="/richieste/stato"] input[name="taxCode"]').fill(validCf);
      await page.locator('form[action="/richieste/stato"] button[type="submit"]').click();
      await page.getByTestId("status-answer").waitFor();
      assert.equal(await page.locator("html").getAttribute("lang"), "en");
      await assertAccessible(page, "status answer (en)");
    });

    await t.step("every kiosk page has no axe violation in either language", async () => {
      // Tuesday 4 March 2025, 09:00 in Rome: the first slot of the seeded morning.
      const startsAt = "2025-03-04T08:00:00.000Z";
      const pages = [
        "/",
        "/cerca?q=autorimessa",
        "/cerca?q=zzzqqq",
        `/pratiche/${d.id}?q=autorimessa`,
        `/atti/${a.id}`,
        `/richieste/nuova?record=dossier:${d.id}`,
        "/richieste/cestino",
        "/richieste/stato",
        "/pratiche/nessuna",
        "/registro-accessi",
        // Booking: service, day, time, who comes, and finding a booking again.
        "/prenota",
        `/prenota?servizio=${serviceId}`,
        `/prenota?servizio=${serviceId}&giorno=2025-03-04`,
        `/prenota/dati?servizio=${serviceId}&inizio=${encodeURIComponent(startsAt)}`,
        "/prenota/gestisci",
      ];
      for (const lang of ["en", "it"]) {
        await page.goto(`${url}/lingua/${lang}`);
        for (const path of pages) {
          await page.goto(`${url}${path}`);
          assert.equal(await page.locator("html").getAttribute("lang"), lang, path);
          await assertAccessible(page, `${path} (${lang})`);
        }
        // The slip: book through the form, as a visitor would (a slot per language: the
        // branch's share of a slot is one seat).
        const slot = lang === "en" ? startsAt : "2025-03-04T08:30:00.000Z";
        await page.goto(
          `${url}/prenota/dati?servizio=${serviceId}&inizio=${encodeURIComponent(slot)}`,
        );
        await page.locator("#taxCode").fill(validCf);
        await page.locator("#name").fill("Mario Rossi");
        await page.locator('form[action="/prenota/dati"] button[type="submit"]').click();
        await page.waitForURL(`${url}/prenota/ricevuta`).catch(async (err) => {
          throw new Error(`not booked (${lang}): ${await page.locator("main").innerText()}`, {
            cause: err,
          });
        });
        assert.equal(await page.locator("html").getAttribute("lang"), lang);
        const bookingCode = (await page.getByTestId("booking-code").textContent()) ?? "";
        await assertAccessible(page, `/prenota/ricevuta (${lang})`);
        // Found again by code and tax code: the booking with its buttons.
        await page.goto(`${url}/prenota/gestisci`);
        const manage = page.locator('form[action="/prenota/gestisci"]').first();
        await manage.locator('input[name="code"]').fill(bookingCode.trim());
        await manage.locator('input[name="taxCode"]').fill(validCf);
        await manage.locator('button[type="submit"]').click();
        await page.getByTestId("booking-found").waitFor();
        await assertAccessible(page, `/prenota/gestisci, found (${lang})`);
      }
      await page.goto(`${url}/lingua/en`);
    });

    await t.step("the idle wipe warns in English, then resets the kiosk to Italian", async () => {
      const idle = await context.newPage();
      await idle.clock.install();
      await idle.goto(`${url}/richieste/nuova?record=dossier:${d.id}`);
      const name = idle.getByLabel("First name and surname (or company name) (required)");
      await name.fill("Mario Rossi");
      const dialog = idle.getByRole("dialog", { name: "Are you still there?" });
      await idle.clock.runFor(121_000);
      await dialog.waitFor();
      await idle.getByRole("button", { name: "Continue" }).waitFor();
      await assertAccessible(idle, "idle dialog (en)");
      await idle.clock.runFor(31_000);
      await idle.waitForURL(`${url}/`);
      await idle.getByRole("heading", { level: 1, name: "Cerca una pratica edilizia o un atto" })
        .waitFor();
      assert.equal(await idle.locator("html").getAttribute("lang"), "it");
      const cookies = await context.cookies();
      assert.equal(cookies.some((c) => c.name === "faldone_lang"), false);
    });
    assert.deepEqual(escaped, [], "no request left loopback");
  } finally {
    await browser.close();
  }
});
