/// <reference lib="dom" />
/**
 * Access requests in a real Chromium: the citizen's path (search → record → request →
 * receipt → status), the clerk's (login → queue → decide), axe-core on every page, and the
 * kiosk's idle reset (on Playwright's fake clock, so no test waits for real minutes).
 */
import assert from "node:assert/strict";
import { createTestWorld } from "../_world.ts";
import { dossier } from "../fixtures.ts";
import { addUser, TEST_PASSWORD } from "../_access_client.ts";
import { assertAccessible, kioskContext, launchChromium } from "./_browser.ts";

const CF = "RSSMRA85T10A562S";

Deno.test("citizen and clerk paths in a browser, accessible, and the kiosk resets when idle", async (t) => {
  const d = dossier({
    id: "pe-ce-1987-452",
    number: "452",
    subject: "AMPLIAMENTO FABBRICATO E COSTRUZIONE AUTORIMESSA",
    addresses: [{ street: "Via Vittorio Veneto", civic: "14/A", locality: "Case Nuove" }],
  });
  await using world = await createTestWorld({ records: [d] });
  await addUser(world.db, "anna", "clerk", world.clock());
  await addUser(world.db, "capo", "admin", world.clock());
  const { url } = await world.serve();
  const browser = await launchChromium();
  const escaped: string[] = [];
  const newPage = async () => {
    const context = await kioskContext(browser, escaped);
    context.setDefaultTimeout(10_000);
    return await context.newPage();
  };
  try {
    let code = "";
    await t.step(
      "citizen: search → record → request form with a CF error beside the field",
      async () => {
        const page = await newPage();
        await page.goto(`${url}/`);
        await page.getByRole("searchbox").pressSequentially("autorimessa");
        await page.getByRole("heading", { name: "1 risultato" }).waitFor();
        await page.waitForURL(`${url}/cerca?q=autorimessa`);
        await page.getByRole("link", { name: "CE 452/1987" }).click();
        await page.waitForURL(/\/pratiche\/pe-ce-1987-452\?q=autorimessa$/);
        await page.getByRole("link", { name: "Richiedi accesso" }).click();
        await page.getByRole("heading", { level: 1, name: "Richiesta di accesso agli atti" })
          .waitFor();
        await assertAccessible(page, "request form");
        await page.getByLabel("Nome e cognome (o denominazione) (obbligatorio)").fill(
          "Mario Rossi",
        );
        const cf = page.getByLabel(/^Codice fiscale/);
        await cf.fill("RSSMRA85T10A562A");
        await cf.press("Tab");
        await page.getByText("L'ultimo carattere non corrisponde").waitFor();
        assert.equal(await page.getByLabel(/^Codice fiscale/).getAttribute("aria-invalid"), "true");
        assert.equal(
          await page.getByLabel("Nome e cognome (o denominazione) (obbligatorio)").inputValue(),
          "Mario Rossi",
        );
        await assertAccessible(page, "request form with error");
        await page.getByLabel(/^Codice fiscale/).fill(CF);
        // Bootstrap Italia draws the radio on its label: click it as a finger would.
        await page.locator(`label[for="regime-documentale"]`).click();
        await page.getByLabel(/^Motivazione/).fill("Compravendita dell'appartamento");
        await page.locator(`label[for="privacyAck"]`).click();
        await page.getByRole("button", { name: "Avanti: controlla i dati" }).click();
        await page.getByRole("heading", { name: "Controlla i dati prima di inviare" }).waitFor();
        await page.getByText("RSS•••••••••562S").waitFor();
        await assertAccessible(page, "confirmation");
        await page.getByRole("button", { name: "Conferma e invia" }).click();
        await page.waitForURL(`${url}/richieste/ricevuta`);
        code = (await page.getByTestId("receipt-code").textContent()) ?? "";
        assert.match(code, /^K2..-....$/);
        assert.equal(await page.getByTestId("due-date").textContent(), "2 aprile 2025");
        await page.getByRole("img", { name: `Codice QR della richiesta ${code}` }).waitFor();
        await assertAccessible(page, "receipt");
        // The slip prints without the site's header and footer.
        await page.emulateMedia({ media: "print" });
        assert.equal(await page.locator("header.it-header-wrapper").isVisible(), false);
        assert.equal(await page.getByTestId("receipt-code").isVisible(), true);
        await page.emulateMedia({ media: "screen" });
        await page.getByRole("link", { name: "Stato di una richiesta" }).first().click();
        await page.getByLabel(/^Codice della richiesta/).fill(code.toLowerCase().replace("-", ""));
        await page.getByLabel(/^Codice fiscale di chi/).fill(CF);
        await page.getByRole("button", { name: "Verifica" }).click();
        await page.getByTestId("status-answer").waitFor();
        assert.match(
          (await page.getByTestId("status-answer").textContent()) ?? "",
          /Ricevuta.*2 aprile 2025/s,
        );
        await assertAccessible(page, "status");
        await page.context().close();
      },
    );

    await t.step("clerk: login → queue → request → review → decide", async () => {
      const page = await newPage();
      await page.goto(`${url}/sportello`);
      await page.waitForURL(/\/login\?next=/);
      await assertAccessible(page, "login");
      await page.getByLabel("Nome utente").fill("anna");
      await page.getByLabel("Password").fill(TEST_PASSWORD);
      await page.getByRole("button", { name: "Entra" }).click();
      await page.waitForURL(`${url}/sportello`);
      await assertAccessible(page, "queue");
      await page.getByRole("link", { name: code }).click();
      await page.getByRole("heading", { level: 1, name: `Richiesta ${code}` }).waitFor();
      await assertAccessible(page, "desk request");
      await page.getByRole("button", { name: "Avvia istruttoria" }).click();
      await page.getByText("In istruttoria").first().waitFor();
      // Documentale: the title is checked and recorded before any acceptance (issue 11).
      await page.getByLabel("Titolo", { exact: true }).selectOption("owner");
      await page.getByLabel(/^Su cosa si fonda/).fill("Atto di compravendita del 2019");
      await page.getByRole("button", { name: "Registra il titolo" }).click();
      await page.getByText("Titolo registrato.").waitFor();
      await page.getByLabel("Esito").selectOption("accepted");
      await page.getByLabel("Luogo").fill("Ufficio tecnico, piano terra");
      await page.getByLabel("Dal", { exact: true }).fill("2025-03-10");
      await page.getByLabel("Al", { exact: true }).fill("2025-03-31");
      await page.getByRole("button", { name: "Registra la decisione" }).click();
      await page.getByText(/Decisa il 3 marzo 2025 da anna/).waitFor();
      await assertAccessible(page, "decided request");
      await page.goto(`${url}/registro-accessi`);
      await assertAccessible(page, "registro");
      await page.goto(`${url}/audit`);
      await assertAccessible(page, "audit");
      await page.goto(`${url}/sportello/cerca`);
      await page.getByRole("searchbox").fill("Bianchi");
      await page.getByRole("button", { name: "Cerca" }).click();
      assert.equal(page.url(), `${url}/sportello/cerca`, "no surname in the URL");
      await page.getByRole("link", { name: "CE 452/1987" }).click();
      await page.getByRole("heading", { name: "Persone (dati personali)" }).waitFor();
      await assertAccessible(page, "clerk record page");
      await page.context().close();
    });

    await t.step("admin: users and settings pages", async () => {
      const page = await newPage();
      await page.goto(`${url}/login`);
      await page.getByLabel("Nome utente").fill("capo");
      await page.getByLabel("Password").fill(TEST_PASSWORD);
      await page.getByRole("button", { name: "Entra" }).click();
      await page.waitForURL(`${url}/sportello`);
      await page.goto(`${url}/admin/utenti`);
      await page.getByRole("heading", { level: 1, name: "Utenti" }).waitFor();
      await assertAccessible(page, "users");
      await page.goto(`${url}/admin/impostazioni`);
      await assertAccessible(page, "settings");
      await page.context().close();
    });

    await t.step(
      "idle kiosk: warning with countdown, Continua keeps, then everything is wiped",
      async () => {
        const page = await newPage();
        await page.clock.install();
        await page.goto(`${url}/richieste/nuova?record=dossier:${d.id}`);
        const name = page.getByLabel("Nome e cognome (o denominazione) (obbligatorio)");
        await name.fill("Mario Rossi");
        const dialog = page.getByRole("dialog", { name: "Sei ancora qui?" });
        await page.clock.runFor(121_000);
        await dialog.waitFor();
        const seconds = Number(await dialog.locator(".idle-count").textContent());
        assert.ok(seconds >= 20, `countdown of ${seconds}s`);
        await assertAccessible(page, "idle dialog");
        await page.getByRole("button", { name: "Continua" }).click();
        await dialog.waitFor({ state: "hidden" });
        assert.equal(await name.inputValue(), "Mario Rossi", "Continua keeps what was typed");
        await page.clock.runFor(121_000);
        await dialog.waitFor();
        await page.clock.runFor(31_000);
        await page.waitForURL(`${url}/`);
        await page.getByRole("searchbox").waitFor();
        await page.goto(`${url}/richieste/nuova`);
        assert.equal(await name.inputValue(), "");
        await page.context().close();
      },
    );
    assert.deepEqual(escaped, [], "no request left loopback");
  } finally {
    await browser.close();
  }
});
