/// <reference lib="dom" />
/**
 * Search URLs in a real Chromium: a shared `/?q=…` link opens results, every page and filter
 * lands in the address bar, a reload shows the same results, and back and forward walk them.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { createTestWorld } from "../_world.ts";
import { dossier } from "../fixtures.ts";
import { kioskContext, launchChromium } from "./_browser.ts";

function archive() {
  return [
    ...Array.from({ length: 4 }, (_, i) =>
      dossier({
        id: `pe-ce-${1980 + i}`,
        number: String(100 + i),
        year: 1980 + i,
        subject: "COSTRUZIONE AUTORIMESSA",
      })),
    dossier({ id: "pe-pdc-2005", type: "PDC", number: "7", year: 2005, subject: "AUTORIMESSA" }),
  ];
}

/** The titles of the result cards on screen. */
async function titles(page: Page): Promise<string[]> {
  return await page.locator(".result h3 a, .result h2 a").allTextContents();
}

Deno.test("search URLs survive a reload and walk back and forward", async () => {
  await using world = await createTestWorld({ records: archive() });
  const { url } = await world.serve();
  const browser = await launchChromium();
  const escaped: string[] = [];
  try {
    const context = await kioskContext(browser, escaped);
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (err) => errors.push(err.message));

    // A link someone shared: the home page path with the words and a page size.
    await page.goto(`${url}/?q=autorimessa&sort=number&per_page=2`);
    await page.getByRole("heading", { name: "5 risultati" }).waitFor();
    const first = await titles(page);
    assert.equal(first.length, 2);
    assert.equal(await page.getByRole("searchbox").inputValue(), "autorimessa");

    // The next page, through htmx: the URL says which page it is.
    await page.getByRole("link", { name: "Pagina successiva" }).click();
    await page.waitForURL(`${url}/cerca?q=autorimessa&sort=number&page=2&per_page=2`);
    await page.getByText("Pagina 2 di 3").waitFor();
    const second = await titles(page);
    assert.equal(second.length, 2);
    assert.notDeepEqual(second, first);

    // A reload asks the server for that URL: the same page of the same results.
    await page.reload();
    await page.getByText("Pagina 2 di 3").waitFor();
    assert.deepEqual(await titles(page), second);
    assert.equal(await page.getByRole("searchbox").inputValue(), "autorimessa");

    // A filter: back to page 1 of fewer results, the page size kept.
    await page.locator("summary", { hasText: "Tipo di pratica" }).click();
    await page.getByRole("group", { name: "Tipo di pratica" }).getByText(/PDC/).click();
    await page.getByRole("heading", { name: "1 risultato" }).waitFor();
    await page.waitForURL(`${url}/cerca?q=autorimessa&type=PDC&sort=number&per_page=2`);
    await page.reload();
    await page.getByRole("heading", { name: "1 risultato" }).waitFor();
    assert.deepEqual(await titles(page), ["PDC 7/2005"]);
    const pdc = page.getByRole("group", { name: "Tipo di pratica" }).getByLabel(/PDC/);
    assert.equal(await pdc.isChecked(), true);

    // Back: page 2 unfiltered, then the shared link's first page; forward: page 2 again.
    await page.goBack();
    await page.waitForURL(/page=2&per_page=2$/);
    await page.getByText("Pagina 2 di 3").waitFor();
    assert.deepEqual(await titles(page), second);
    await page.goBack();
    await page.waitForURL(`${url}/?q=autorimessa&sort=number&per_page=2`);
    await page.getByRole("heading", { name: "5 risultati" }).waitFor();
    assert.deepEqual(await titles(page), first);
    await page.goForward();
    await page.waitForURL(/page=2&per_page=2$/);
    await page.getByText("Pagina 2 di 3").waitFor();
    assert.deepEqual(await titles(page), second);

    assert.deepEqual(errors, []);
    assert.deepEqual(escaped, []);
  } finally {
    await browser.close();
  }
});
