/// <reference lib="dom" />
/**
 * The API's reference page in Chromium: readable without anything from outside (the kiosk's
 * CSP refuses nothing on it), accessible (axe-core, WCAG 2.1 AA), its links to the schemas work.
 */
import assert from "node:assert/strict";
import { createTestWorld } from "../_world.ts";
import { assertAccessible, kioskContext, launchChromium } from "./_browser.ts";

Deno.test("the API reference page renders offline, accessible, under the kiosk's CSP", async () => {
  await using world = await createTestWorld();
  const { url } = await world.serve();
  const browser = await launchChromium();
  const escaped: string[] = [];
  try {
    const context = await kioskContext(browser, escaped);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("console", (msg) => {
      // Bootstrap Italia's unused VideoJS font is refused by the CSP on every page.
      if (msg.type() === "error" && !/font-woff/.test(msg.text())) problems.push(msg.text());
    });
    page.on("pageerror", (err) => problems.push(err.message));
    await page.goto(`${url}/api/docs`);
    await page.getByRole("heading", { level: 1, name: /API pubblica/ }).waitFor();
    await page.getByRole("heading", { name: /GET \/api\/dossiers\/\{id\}/ }).waitFor();
    await assertAccessible(page, "API reference");
    // A type links to its schema on the same page.
    await page.locator("#op-getDossier").getByRole("link", { name: "Dossier" }).click();
    await page.waitForURL(/#schema-Dossier$/);
    assert.equal(await page.locator("#schema-Dossier").isVisible(), true);
    // The page's frame in English (the reference itself is the English document).
    await page.goto(`${url}/lingua/en?torna=%2Fapi%2Fdocs`);
    assert.equal(await page.locator("html").getAttribute("lang"), "en");
    await page.getByRole("heading", { name: /GET \/api\/dossiers\/\{id\}/ }).waitFor();
    await assertAccessible(page, "API reference (en)");
    assert.deepEqual(problems, []);
    assert.deepEqual(escaped, []);
  } finally {
    await browser.close();
  }
});
