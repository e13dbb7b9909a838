/// <reference lib="dom" />
/**
 * Viewing granted documents at a kiosk in a real Chromium at 1080×1920: receipt code and
 * codice fiscale, the list, the viewer drawing the stamped page 1 (PDF.js over the server's
 * one-page PDF), "Successiva" drawing page 2, axe-core clean on each screen, nothing leaving
 * loopback and no CSP refusal.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { PAGE_COLOURS } from "../_document_fixtures.ts";
import { HOLDER_CF, kioskWorld } from "../_consult_world.ts";
import { assertAccessible, kioskContext, launchChromium } from "./_browser.ts";

/** The colour at the canvas' middle (the scan's page colour) and at the bottom band. */
function canvasSample(page: Page) {
  return page.evaluate(() => {
    const canvas = document.querySelector("canvas.viewer-canvas");
    if (!(canvas instanceof HTMLCanvasElement)) throw new Error("no canvas");
    const ctx = canvas.getContext("2d");
    if (!ctx) throw new Error("no 2d context");
    const at = (fx: number, fy: number) =>
      Array.from(
        ctx.getImageData(Math.floor(canvas.width * fx), Math.floor(canvas.height * fy), 1, 1)
          .data,
      );
    return { centre: at(0.5, 0.5), width: canvas.width };
  });
}

function closeTo(actual: number[], expected: [number, number, number]): boolean {
  // The diagonal watermark is light (16 %): the page colour stays close.
  return expected.every((v, i) => Math.abs((actual[i] ?? -1) - v) <= 60);
}

Deno.test("kiosk consultation in a browser: code + CF, list, stamped page 1, next page, axe clean", async (t) => {
  await using w = await kioskWorld();
  const browser = await launchChromium();
  const escaped: string[] = [];
  const refused: string[] = [];
  try {
    const context = await kioskContext(browser, escaped);
    const page = await context.newPage();
    await page.setViewportSize({ width: 1080, height: 1920 });
    page.on("console", (m) => {
      // Bootstrap Italia's CSS embeds the VideoJS icon font as data:, which the CSP refuses
      // (as in document_viewer_test.ts); the kiosk never uses that font.
      if (/Loading the font 'data:application\/font-woff/.test(m.text())) return;
      if (/Content Security Policy|Refused to/i.test(m.text())) refused.push(m.text());
    });
    page.on("pageerror", (e) => refused.push(`page error: ${e.message}`));
    const pages: string[] = [];
    page.on("request", (r) => {
      if (/\/pagine\/\d+$/.test(r.url())) pages.push(r.url());
    });

    await t.step("the form opens the list", async () => {
      await page.goto(`${w.url}/consultazione`);
      await assertAccessible(page, "the consultation form");
      await page.fill("input[name=code]", w.fx.request.receiptCode);
      await page.fill("input[name=taxCode]", HOLDER_CF);
      await Promise.all([
        page.waitForURL(`${w.url}/consultazione/documenti`),
        page.click("button[type=submit]"),
      ]);
      assert.equal(await page.locator("[data-testid=consult-document]").count(), 3);
      await assertAccessible(page, "the list of granted documents");
    });

    await t.step("the viewer draws the stamped page 1, then page 2", async () => {
      await page.click("[data-testid=consult-document] >> text=Tavola 1");
      await page.waitForSelector('.doc-viewer[data-rendered-page="1"]', { timeout: 30_000 });
      assert.equal(await page.locator("[data-role=status]").textContent(), "Pagina 1 di 3");
      const first = await canvasSample(page);
      assert.ok(first.width > 300, "the page is drawn at width");
      assert.ok(closeTo(first.centre, PAGE_COLOURS[0]!), `page 1 colour ${first.centre}`);
      assert.ok(pages.some((u) => u.endsWith("/pagine/1")), "page 1 came from the stamped route");
      assert.equal(await page.locator("a[download]").count(), 0, "no download in view mode");
      assert.equal(await page.getByText("Scarica il file").count(), 0);
      await assertAccessible(page, "the stamped viewer");
      await page.click("[data-action=next]");
      await page.waitForSelector('.doc-viewer[data-rendered-page="2"]', { timeout: 30_000 });
      assert.equal(await page.locator("[data-role=status]").textContent(), "Pagina 2 di 3");
      assert.ok(closeTo((await canvasSample(page)).centre, PAGE_COLOURS[1]!), "page 2 colour");
      assert.ok(pages.some((u) => u.endsWith("/pagine/2")), "page 2 came from the stamped route");
      assert.equal(await page.locator(".doc-viewer[data-failed]").count(), 0);
    });
    await t.step("the same pages in English pass axe", async () => {
      await page.goto(`${w.url}/lingua/en?torna=%2Fconsultazione%2Fdocumenti`);
      assert.equal(await page.locator("html").getAttribute("lang"), "en");
      await page.locator("[data-testid=consult-document]").first().waitFor();
      await assertAccessible(page, "the list of granted documents (en)");
      await page.click("[data-testid=consult-document] >> text=Tavola 1");
      await page.waitForSelector('.doc-viewer[data-rendered-page="1"]', { timeout: 30_000 });
      assert.equal(await page.locator("[data-role=status]").textContent(), "Page 1 of 3");
      await assertAccessible(page, "the stamped viewer (en)");
      // The form, as the next visitor in English meets it (a fresh session).
      const fresh = await (await kioskContext(browser, escaped)).newPage();
      await fresh.goto(`${w.url}/lingua/en?torna=%2Fconsultazione`);
      await fresh.getByRole("heading", { level: 1, name: "View the documents granted" })
        .waitFor();
      await assertAccessible(fresh, "the consultation form (en)");
      await fresh.context().close();
    });
    assert.deepEqual(escaped, [], "no request left loopback");
    assert.deepEqual(refused, [], "no CSP refusal");
  } finally {
    await browser.close();
  }
});
