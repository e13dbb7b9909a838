/// <reference lib="dom" />
/**
 * Online, in a real Chromium: a citizen signs in through the real OpenID provider on
 * loopback (its login and consent pages), sees "Le mie richieste", files a request with a
 * delegation attached and finds it listed; axe-core finds nothing on the archive's pages.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { createAccessRequest } from "../../db/access_requests.ts";
import { DEFAULT_DEADLINE_SETTINGS } from "../../domain/access_deadline.ts";
import { requestAttachments } from "../../db/schema.ts";
import { createCitizenWorld } from "../_citizen_world.ts";
import { dossier } from "../fixtures.ts";
import { assertAccessible, kioskContext, launchChromium } from "./_browser.ts";

const PDF = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n");

Deno.test("a citizen signs in with the broker, sees their requests and files one with a delegation", async () => {
  await using world = await createCitizenWorld({
    records: [dossier({ id: "pe-ce-1987-452", number: "452", year: 1987 })],
  });
  const atKiosk = await createAccessRequest(world.db, {
    regime: "civico_generalizzato",
    requesterName: "Mario Rossi",
    taxCode: "RSSMRA85T10A562S",
    mode: "view",
    recordsDescription: "Licenze di Via Roma 4",
    records: [],
  }, {
    now: world.clock(),
    branch: "sede-K2",
    branchCode: "K2",
    outbox: false,
    settings: DEFAULT_DEADLINE_SETTINGS,
  });
  const browser = await launchChromium();
  const escaped: string[] = [];
  try {
    const context = await kioskContext(browser, escaped);
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    await page.goto(`${world.url}/area-personale`);
    await page.getByRole("heading", { level: 1, name: "Area personale" }).waitFor();
    await assertAccessible(page, "sign-in page");
    await page.getByRole("button", { name: "Entra con SPID o CIE" }).click();
    // The provider's own login and consent pages (not ours: no axe on them).
    await page.waitForURL((u) => u.href.startsWith(world.issuer));
    await page.locator('input[name="login"]').fill("mario");
    await page.locator('input[name="password"]').fill("qualsiasi");
    await page.locator('button[type="submit"]').click();
    await page.locator('button[type="submit"]').click();
    await page.waitForURL(`${world.url}/area-personale`);
    await page.getByRole("heading", { level: 1, name: "Le mie richieste" }).waitFor();
    assert.equal(
      await page.getByTestId("citizen-who").textContent(),
      "Mario Rossi · RSS•••••••••562S",
    );
    assert.equal(await page.getByTestId("request-code").textContent(), atKiosk.receiptCode);
    assert.equal(await page.getByTestId("request-state").textContent(), "Ricevuta");
    assert.match((await page.getByTestId("request-due").textContent()) ?? "", /2 aprile 2025/);
    await assertAccessible(page, "Le mie richieste");

    await page.getByRole("link", { name: "Presenta una nuova richiesta" }).click();
    await page.getByRole("heading", { level: 1, name: "Nuova richiesta di accesso agli atti" })
      .waitFor();
    await assertAccessible(page, "online request form");
    assert.equal(await page.getByLabel(/^Nome e cognome/).inputValue(), "Mario Rossi");
    await page.getByLabel("Descrizione dei documenti").fill(
      "CE 452/1987, Via Vittorio Veneto 14/A",
    );
    await page.locator('label[for="regime-documentale"]').click();
    await page.getByLabel("A che titolo chiedi").selectOption("Tecnico incaricato con delega");
    await page.getByLabel("Motivazione", { exact: true }).fill(
      "Verifica dello stato legittimo per la vendita",
    );
    await page.locator('label[for="privacyAck"]').click();
    // First a file that is no PDF: the message appears and the form keeps what was typed.
    await page.getByLabel(/^Delega/).setInputFiles({
      name: "delega.pdf",
      mimeType: "application/pdf",
      buffer: Buffer.from("non sono un pdf"),
    });
    await page.getByRole("button", { name: "Presenta la richiesta" }).click();
    await page.getByText("non è un PDF, un JPEG o un PNG").waitFor();
    assert.equal(
      await page.getByLabel("Motivazione", { exact: true }).inputValue(),
      "Verifica dello stato legittimo per la vendita",
    );
    await assertAccessible(page, "online request form with an error");
    await page.getByLabel(/^Delega/).setInputFiles({
      name: "delega.pdf",
      mimeType: "application/pdf",
      buffer: PDF,
    });
    await page.getByRole("button", { name: "Presenta la richiesta" }).click();
    await page.getByText("Richiesta presentata").waitFor();
    assert.match(page.url(), /\/area-personale\?presentata=K2..-....$/);
    assert.equal(await page.getByTestId("request-code").count(), 2);
    await page.getByText(/Delega \(PDF/).waitFor();
    await assertAccessible(page, "Le mie richieste after filing");
    assert.equal((await world.db.select().from(requestAttachments)).length, 1);

    // The same pages in English (axe in both languages), then signing out in English.
    await page.goto(`${world.url}/lingua/en?torna=%2Farea-personale`);
    await page.getByRole("heading", { level: 1, name: "My requests" }).waitFor();
    assert.equal(await page.locator("html").getAttribute("lang"), "en");
    await assertAccessible(page, "My requests (en)");
    await page.goto(`${world.url}/area-personale/nuova`);
    assert.equal(await page.locator("html").getAttribute("lang"), "en");
    await page.locator("main h1").waitFor();
    await assertAccessible(page, "online request form (en)");
    await page.goto(`${world.url}/area-personale`);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("button", { name: "Sign in with SPID or CIE" }).waitFor();
    assert.equal(await page.locator("html").getAttribute("lang"), "en");
    await assertAccessible(page, "citizen sign-in page (en)");
    await page.goto(`${world.url}/lingua/it?torna=%2Farea-personale`);
    // The provider's development login page asks for a web font (refused, as everything
    // off loopback is); the archive's pages ask for nothing outside.
    assert.deepEqual(escaped.filter((u) => !u.startsWith("https://fonts.googleapis.com/")), []);
  } finally {
    await browser.close();
  }
});
