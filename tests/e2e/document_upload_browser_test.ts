/// <reference lib="dom" />
/**
 * The counter upload in a real Chromium: the clerk's dossier page with its form passes
 * axe-core, a PDF chosen with the file picker is added in place by htmx, and a file of the
 * wrong type gets the Italian notice in #messages without leaving the page.
 */
import assert from "node:assert/strict";
import { PDFDocument } from "pdf-lib";
import { openFileStore } from "../../documents/file_store.ts";
import { createTestWorld } from "../_world.ts";
import { dossier } from "../fixtures.ts";
import { addUser, TEST_PASSWORD } from "../_access_client.ts";
import { assertAccessible, kioskContext, launchChromium } from "./_browser.ts";

Deno.test("a clerk adds a scan from the dossier page, and a wrong file is explained", async () => {
  const d = dossier({ id: "pe-ce-1987-452", number: "452", documents: [] });
  const dir = await Deno.makeTempDir({ prefix: "faldone-upload-e2e-" });
  const store = await openFileStore(`${dir}/files`);
  await using world = await createTestWorld({ records: [d], fileStore: store });
  await addUser(world.db, "anna", "clerk", world.clock());
  const { url } = await world.serve();
  const pdf = await PDFDocument.create({ updateMetadata: false });
  pdf.addPage();
  const pdfPath = `${dir}/sopralluogo.pdf`;
  await Deno.writeFile(pdfPath, await pdf.save());
  const zipPath = `${dir}/finto.pdf`;
  await Deno.writeTextFile(zipPath, "PK\x03\x04 not a pdf");
  const browser = await launchChromium();
  const escaped: string[] = [];
  try {
    const context = await kioskContext(browser, escaped);
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    await page.goto(`${url}/login`);
    await page.getByLabel("Nome utente").fill("anna");
    await page.getByLabel("Password").fill(TEST_PASSWORD);
    await page.getByRole("button", { name: "Entra" }).click();
    await page.waitForURL(`${url}/sportello`);
    await page.goto(`${url}/sportello/pratiche/dossier:${d.id}`);
    await page.getByRole("heading", { name: "Aggiungi una scansione" }).waitFor();
    await assertAccessible(page, "dossier page with upload form");

    await page.getByLabel("File (PDF, TIFF o JPEG)").setInputFiles(pdfPath);
    await page.getByLabel("Titolo (facoltativo)").fill("Verbale di sopralluogo");
    await page.getByRole("button", { name: "Carica" }).click();
    await page.getByText("Scansione «Verbale di sopralluogo» aggiunta (1 pagina).").waitFor();
    await page.getByText(/Verbale di sopralluogo \(1 pp\., 1 KB\) — presente in questa sede/)
      .waitFor();
    assert.equal(page.url(), `${url}/sportello/pratiche/dossier:${d.id}`);
    await assertAccessible(page, "after upload");

    await page.getByLabel("File (PDF, TIFF o JPEG)").setInputFiles(zipPath);
    await page.getByRole("button", { name: "Carica" }).click();
    await page.locator("#messages").getByText(/Tipo di file non accettato/).waitFor();
    assert.equal(await page.locator("#documenti li").count(), 1);
    await context.close();
  } finally {
    await browser.close();
    await Deno.remove(dir, { recursive: true });
  }
  assert.deepEqual(escaped, []);
});
