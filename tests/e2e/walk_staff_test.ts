/// <reference lib="dom" />
/**
 * Issue 13's walk, staff side, by keyboard on the demo archive: a clerk logs in, opens the
 * queue (empty first, then with a request), records the title and a decision that grants
 * access, reads the registro and the audit log; an admin goes through users, settings, sync,
 * fees and bookings, and (on the archive) the citizens' notices; the clerk's search; after
 * logout, Back shows no staff data. Every page passes the checks of
 * `_walk.ts` at both sizes, focus ring included.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { DEMO_ARCHIVE, generateArchive, SHOWCASE } from "../../demo/demo_archive.ts";
import { addUser, TEST_PASSWORD } from "../_access_client.ts";
import { seedBookingSetup } from "../_booking_world.ts";
import { createTestWorld } from "../_world.ts";
import { manualClock, startChannels } from "../_notice_setup.ts";
import { createAccessRequest } from "../../db/access_requests.ts";
import { DEFAULT_DEADLINE_SETTINGS } from "../../domain/access_deadline.ts";
import { runNoticeSendRound } from "../../notices/sender_job.ts";
import { kioskContext, launchChromium } from "./_browser.ts";
import { checkPage } from "./_walk.ts";

async function login(page: Page, url: string, user: string): Promise<void> {
  await page.goto(`${url}/login`);
  await page.getByLabel("Nome utente").focus();
  await page.keyboard.type(user);
  await page.keyboard.press("Tab");
  await page.keyboard.type(TEST_PASSWORD);
  await page.keyboard.press("Enter");
  await page.waitForURL(`${url}/sportello`);
}

Deno.test("the desk and the admin pages walked by keyboard at both sizes", async (t) => {
  await using world = await createTestWorld({ records: [...generateArchive(DEMO_ARCHIVE)] });
  await addUser(world.db, "anna", "clerk", world.clock());
  await addUser(world.db, "capo", "admin", world.clock());
  await seedBookingSetup(world.db, world.clock());
  const { url } = await world.serve();
  const browser = await launchChromium();
  const escaped: string[] = [];
  try {
    const context = await kioskContext(browser, escaped);
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    await page.setViewportSize({ width: 1366, height: 768 });

    await t.step("login and an empty queue that says so", async () => {
      await page.goto(`${url}/login`);
      await checkPage(page, "s01_login", { focus: true });
      await login(page, url, "anna");
      await page.getByText(/Nessuna richiesta/).first().waitFor();
      await checkPage(page, "s02_desk_empty", { focus: true });
    });

    let code = "";
    await t.step("a citizen files a request (setup)", async () => {
      const kiosk = await browser.newPage();
      await kiosk.goto(`${url}/richieste/nuova?record=dossier:${SHOWCASE.id}`);
      await kiosk.getByLabel("Nome e cognome (o denominazione) (obbligatorio)").fill("Mario Rossi");
      await kiosk.getByLabel(/^Codice fiscale/).fill("RSSMRA85T10A562S");
      await kiosk.locator(`label[for="regime-documentale"]`).click();
      await kiosk.getByLabel(/^Motivazione/).fill("Compravendita dell'appartamento");
      await kiosk.locator(`label[for="privacyAck"]`).click();
      await kiosk.getByRole("button", { name: "Avanti: controlla i dati" }).click();
      await kiosk.getByRole("button", { name: "Conferma e invia" }).click();
      await kiosk.waitForURL(`${url}/richieste/ricevuta`);
      code = (await kiosk.getByTestId("receipt-code").textContent()) ?? "";
      await kiosk.close();
    });

    await t.step("desk: the request, title, decision with a grant", async () => {
      await page.goto(`${url}/sportello`);
      await checkPage(page, "s03_desk_queue", { focus: true });
      await page.getByRole("link", { name: code }).focus();
      await page.keyboard.press("Enter");
      await page.getByRole("heading", { level: 1, name: `Richiesta ${code}` }).waitFor();
      await checkPage(page, "s04_request", { focus: true });
      await page.getByRole("button", { name: "Avvia istruttoria" }).focus();
      await page.keyboard.press("Enter");
      await page.getByText("In istruttoria").first().waitFor();
      await page.getByLabel("Titolo", { exact: true }).selectOption("owner");
      await page.getByLabel(/^Su cosa si fonda/).fill("Atto di compravendita del 2019");
      await page.getByRole("button", { name: "Registra il titolo" }).focus();
      await page.keyboard.press("Enter");
      await page.getByText("Titolo registrato.").waitFor();
      await checkPage(page, "s05_title", { focus: true });
      await page.getByLabel("Esito").selectOption("accepted");
      await page.getByLabel("Luogo").fill("Ufficio tecnico, piano terra");
      await page.getByLabel("Dal", { exact: true }).fill("2025-03-10");
      await page.getByLabel("Al", { exact: true }).fill("2025-03-31");
      await page.getByRole("button", { name: "Registra la decisione" }).focus();
      await page.keyboard.press("Enter");
      await page.getByText(/Decisa il 3 marzo 2025 da anna/).waitFor();
      await checkPage(page, "s06_decided", { focus: true });
    });

    await t.step("registro and audit", async () => {
      await page.goto(`${url}/registro-accessi`);
      await page.getByText(code).first().waitFor();
      await checkPage(page, "s07_registro", { focus: true });
      await page.goto(`${url}/audit`);
      await checkPage(page, "s08_audit", { focus: true });
    });

    await t.step("the clerk's search, empty and with results", async () => {
      await page.goto(`${url}/sportello/cerca`);
      await checkPage(page, "s09_desk_search", { focus: true });
      await page.getByRole("searchbox").focus();
      await page.keyboard.type("ampliamento");
      await page.keyboard.press("Enter");
      await page.locator('main a[href^="/sportello/pratiche/"]').first().waitFor();
      await checkPage(page, "s10_desk_search_results", { focus: true });
    });

    await t.step("after logout Back shows no staff data", async () => {
      await page.goto(`${url}/sportello`);
      await page.getByRole("button", { name: "Esci" }).focus();
      await page.keyboard.press("Enter");
      await page.waitForURL(/\/(login)?$/);
      await page.goBack();
      await page.waitForLoadState();
      assert.equal(await page.getByText(code).count(), 0, "the receipt code is gone");
    });

    await t.step("admin: users, settings, sync, fees, bookings", async () => {
      await login(page, url, "capo");
      for (
        const [name, path] of [
          ["users", "/admin/utenti"],
          ["settings", "/admin/impostazioni"],
          ["sync", "/admin/sync"],
          ["fees", "/admin/tariffe"],
          ["bookings", "/admin/prenotazioni"],
          ["agenda", "/sportello/agenda"],
        ] as const
      ) {
        const res = await page.goto(`${url}${path}`);
        assert.equal(res?.status(), 200, path);
        await checkPage(page, `s1_admin_${name}`, { focus: true });
      }
    });
    assert.deepEqual(escaped, [], "no request left loopback");
  } finally {
    await browser.close();
  }
});

Deno.test("the archive's notices page walked by keyboard at both sizes", async () => {
  await using world = await createTestWorld({ config: { role: "archive" } });
  await using ch = await startChannels();
  const clock = manualClock();
  await createAccessRequest(world.db, {
    regime: "civico_generalizzato",
    requesterName: "Mario Rossi",
    taxCode: "RSSMRA85T10A562S",
    email: "mario.rossi@example.it",
    notifyAppIo: true,
    mode: "view",
    records: [],
    recordsDescription: "Licenza edilizia del 1987, via Roma 12",
  }, {
    now: clock(),
    branch: "archivio",
    branchCode: "AR",
    outbox: false,
    settings: DEFAULT_DEADLINE_SETTINGS,
  });
  // One notice set aside (no IO profile), one waiting for another try (the mail server's 451).
  ch.sink.rejectRcpt.push(451);
  await runNoticeSendRound(ch.deps(world.db, clock));
  await addUser(world.db, "capo", "admin", world.clock());
  const { url } = await world.serve();
  const browser = await launchChromium();
  const escaped: string[] = [];
  try {
    const context = await kioskContext(browser, escaped);
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    await page.setViewportSize({ width: 1366, height: 768 });
    await login(page, url, "capo");
    const res = await page.goto(`${url}/admin/avvisi`);
    assert.equal(res?.status(), 200);
    await page.getByTestId("notices-failed").waitFor();
    await checkPage(page, "s20_admin_notices", { focus: true });
    assert.deepEqual(escaped, [], "no request left loopback");
  } finally {
    await browser.close();
  }
});
