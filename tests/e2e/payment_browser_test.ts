/// <reference lib="dom" />
/**
 * Fees in a real Chromium: the amount on the summary before filing, the pagoPA notice on the
 * status page with its QR, printed alone on A4, and the admin's fee table, axe-core on each.
 */
import assert from "node:assert/strict";
import { createTestWorld } from "../_world.ts";
import { dossier } from "../fixtures.ts";
import { addUser, TEST_PASSWORD } from "../_access_client.ts";
import { startGpdContractServer } from "../_gpd_contract_server.ts";
import { jobDeps, seedFeeTable } from "../_pagopa_setup.ts";
import { runNoticeRound } from "../../pagopa/notice_job.ts";
import { assertAccessible, kioskContext, launchChromium } from "./_browser.ts";

const CF = "RSSMRA85T10A562S";

Deno.test("the fee before filing, the printable notice after, in a browser", async (t) => {
  const d = dossier({ year: 1987 });
  await using world = await createTestWorld({ records: [d], config: { role: "archive" } });
  await using gpd = await startGpdContractServer();
  await seedFeeTable(world.db, world.clock());
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
    await t.step("citizen: the summary shows the fee, then the request is filed", async () => {
      const page = await newPage();
      await page.goto(`${url}/richieste/nuova?record=dossier:${d.id}`);
      await page.getByLabel("Nome e cognome (o denominazione) (obbligatorio)").fill("Mario Rossi");
      await page.getByLabel(/^Codice fiscale/).fill(CF);
      await page.locator(`label[for="regime-documentale"]`).click();
      await page.getByLabel(/^Motivazione/).fill("Compravendita dell'appartamento");
      await page.getByLabel("Esenzione dai diritti").waitFor();
      await assertAccessible(page, "request form with fee options");
      await page.locator(`label[for="privacyAck"]`).click();
      await page.getByRole("button", { name: "Avanti: controlla i dati" }).click();
      await page.getByRole("heading", { name: "Diritti da pagare" }).waitFor();
      assert.equal(await page.getByTestId("fee-total").textContent(), "€ 102,50");
      await assertAccessible(page, "summary with fee");
      await page.getByRole("button", { name: "Conferma e invia" }).click();
      await page.waitForURL(`${url}/richieste/ricevuta`);
      code = (await page.getByTestId("receipt-code").textContent()) ?? "";
      await page.context().close();
    });

    await t.step("citizen: the notice on the status page, printed alone on A4", async () => {
      await runNoticeRound(jobDeps(world.db, world.clock, gpd));
      const page = await newPage();
      await page.goto(`${url}/richieste/stato`);
      await page.getByLabel(/^Codice della richiesta/).fill(code);
      await page.getByLabel(/^Codice fiscale di chi/).fill(CF);
      await page.getByRole("button", { name: "Verifica" }).click();
      await page.getByTestId("payment-notice").waitFor();
      assert.match(
        (await page.getByTestId("notice-number").textContent()) ?? "",
        /^3472 0250 0000 0001 \d\d$/,
      );
      await page.getByRole("img", { name: /^Codice QR pagoPA dell'avviso 3\d{17}$/ }).waitFor();
      await page.getByRole("button", { name: "Stampa l'avviso" }).waitFor();
      await assertAccessible(page, "status with notice");
      await page.emulateMedia({ media: "print" });
      assert.equal(await page.locator("header.it-header-wrapper").isVisible(), false);
      assert.equal(await page.getByRole("button", { name: "Verifica" }).isVisible(), false);
      assert.equal(await page.getByTestId("notice-number").isVisible(), true);
      const qrWidth = await page.locator(".payment-notice-qr").evaluate((el) =>
        el.getBoundingClientRect().width
      );
      // 25 mm at 96 px per inch.
      assert.ok(Math.abs(qrWidth - 25 / 25.4 * 96) < 1, `QR is ${qrWidth}px wide`);
      await page.context().close();
    });

    await t.step("admin: the fee table page", async () => {
      const page = await newPage();
      await page.goto(`${url}/login`);
      await page.getByLabel("Nome utente").fill("capo");
      await page.getByLabel("Password").fill(TEST_PASSWORD);
      await page.getByRole("button", { name: "Entra" }).click();
      await page.waitForURL(`${url}/sportello`);
      await page.getByRole("link", { name: "Tariffario" }).click();
      await page.getByRole("heading", { level: 1, name: "Tariffario e pagamenti" }).waitFor();
      await page.getByText("1 registrati").waitFor();
      await assertAccessible(page, "fee table");
      await page.getByLabel("Voce").selectOption("urgent");
      await page.getByLabel("Importo (€)").fill("25,00");
      await page.getByRole("button", { name: "Aggiungi", exact: true }).click();
      await page.getByRole("cell", { name: "€ 25,00" }).waitFor();
      await page.context().close();
    });
    assert.deepEqual(escaped, []);
  } finally {
    await browser.close();
  }
});
