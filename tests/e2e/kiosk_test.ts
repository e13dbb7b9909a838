/// <reference lib="dom" />
/**
 * The kiosk in a real Chromium: live search, facets, record pages, history, the no-JS form,
 * axe-core (WCAG 2.1 AA) on every screen, and no request leaving loopback.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { createTestWorld } from "../_world.ts";
import { act, dossier } from "../fixtures.ts";
import { assertAccessible, kioskContext, launchChromium, loopbackOnly } from "./_browser.ts";

/** Where to keep screenshots for a person to look at; none are written unless it is set. */
const SHOTS = Deno.env.get("FALDONE_SHOTS_DIR");

// caret "initial": Playwright's default hides the caret by writing style="" on inputs,
// which htmx later copies while settling and the CSP then refuses (a test artifact).
async function screenshot(page: Page, name: string, fullPage: boolean) {
  if (SHOTS === undefined) return;
  await page.screenshot({ path: `${SHOTS}/${name}`, fullPage, caret: "initial" });
}

const EXPECTED_CONSOLE = [
  // The pages that are meant to answer 404 / 400 (Chromium logs every failed load).
  /status of 40[04]/,
  // htmx logs these when a newer keystroke cancels the request still in flight (hx-sync).
  /^htmx:(sendAbort|afterRequest)/,
  // Bootstrap Italia's CSS embeds the VideoJS icon font as data:, which the kiosk never uses;
  // Chromium tries it eagerly and the CSP (font-src 'self') refuses it.
  /Loading the font 'data:application\/font-woff/,
];

function archive() {
  return [
    dossier({
      id: "pe-ce-1987-452",
      number: "452",
      year: 1987,
      subject: "AMPLIAMENTO FABBRICATO E COSTRUZIONE AUTORIMESSA",
      addresses: [{ street: "Via Vittorio Veneto", civic: "14/A", locality: "Case Nuove" }],
    }),
    dossier({
      id: "pe-pdc-2005-7",
      type: "PDC",
      number: "7",
      year: 2005,
      subject: "COSTRUZIONE AUTORIMESSA INTERRATA",
      addresses: [{ street: "Via Garibaldi", civic: "3", locality: "Capoluogo" }],
    }),
    dossier({ type: "SCIA", year: 2015, subject: "RIFACIMENTO COPERTURA" }),
    act({ id: "dcc-2019-34", number: "34", subject: "Approvazione regolamento autorimesse" }),
  ];
}

Deno.test("the kiosk in a browser: live search, facets, records, history, no-JS, accessibility", async (t) => {
  await using world = await createTestWorld({ records: archive() });
  const { url } = await world.serve();
  const browser = await launchChromium();
  const escaped: string[] = [];
  try {
    const context = await kioskContext(browser, escaped);
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    // CSP refusals, failed loads and script errors all land here: the kiosk must have none.
    const consoleErrors: string[] = [];
    page.on("console", (msg) => {
      if (
        msg.type() !== "error" || EXPECTED_CONSOLE.some((re) => re.test(msg.text()))
      ) {
        return;
      }
      consoleErrors.push(`${page.url()}: ${msg.text()}`);
    });
    page.on("pageerror", (err) => consoleErrors.push(err.message));

    await t.step("home page is accessible and looks like a PA site", async () => {
      await page.goto(`${url}/`);
      await assert.doesNotReject(page.getByRole("searchbox").waitFor());
      assert.equal(
        await page.getByRole("heading", { level: 1 }).textContent(),
        "Cerca una pratica edilizia o un atto",
      );
      await assertAccessible(page, "home");
      await screenshot(page, "faldone_home.png", true);
    });

    await t.step(
      "typing updates the results without reloading and keeps the URL in sync",
      async () => {
        await page.evaluate(() => Reflect.set(window, "__samePage", true));
        await page.getByRole("searchbox").pressSequentially("autorimessa");
        await page.getByRole("heading", { name: "3 risultati" }).waitFor();
        await page.waitForURL(`${url}/cerca?q=autorimessa`);
        assert.equal(await page.evaluate(() => Reflect.get(window, "__samePage")), true);
        assert.equal(await page.locator(".result").count(), 3);
        await assertAccessible(page, "results");
        await screenshot(page, "faldone_results.png", false);
      },
    );

    await t.step("a facet narrows the results", async () => {
      // Facets are folded: open the group, then touch the label, where Bootstrap Italia
      // draws the box, as a finger would.
      await page.locator("summary", { hasText: "Tipo di pratica" }).click();
      await page.getByRole("group", { name: "Tipo di pratica" }).getByText(/PDC/).click();
      await page.getByRole("heading", { name: "1 risultato" }).waitFor();
      await page.waitForURL(`${url}/cerca?q=autorimessa&type=PDC`);
      assert.equal(await page.locator(".result").count(), 1);
      await page.getByRole("link", { name: "PDC 7/2005" }).waitFor();
      assert.equal(await page.evaluate(() => Reflect.get(window, "__samePage")), true);
    });

    await t.step("a result opens its record page, and back restores the results", async () => {
      await page.getByRole("link", { name: "PDC 7/2005" }).click();
      await page.waitForURL(/\/pratiche\/pe-pdc-2005-7\?q=autorimessa&type=PDC$/);
      await page.getByRole("heading", { level: 1, name: /Pratica PDC 7\/2005/ }).waitFor();
      await assertAccessible(page, "record");
      await page.goBack();
      await page.waitForURL(/type=PDC/);
      await page.getByRole("link", { name: "PDC 7/2005" }).waitFor();
      assert.equal(await page.getByRole("searchbox").inputValue(), "autorimessa");
      assert.equal(
        await page.getByRole("group", { name: "Tipo di pratica" }).getByLabel(/PDC/).isChecked(),
        true,
      );
    });

    await t.step(
      "keyboard: skip link first, a facet toggled with Space keeps the focus",
      async () => {
        await page.goto(`${url}/cerca?q=autorimessa`);
        await page.keyboard.press("Tab");
        const skip = page.getByRole("link", { name: "Vai al contenuto principale" });
        assert.equal(await skip.evaluate((el) => el === document.activeElement), true);
        assert.ok(
          ((await skip.boundingBox())?.height ?? 0) >= 44,
          "the skip link shows when focused",
        );
        await page.locator("summary", { hasText: "Tipo di pratica" }).click();
        const box = page.getByRole("group", { name: "Tipo di pratica" }).getByLabel(/CE/);
        await box.focus();
        await page.keyboard.press("Space");
        await page.waitForURL(`${url}/cerca?q=autorimessa&type=CE`);
        await page.getByRole("heading", { name: "1 risultato" }).waitFor();
        const focused = await page.evaluate(() => document.activeElement?.getAttribute("value"));
        assert.equal(focused, "CE", "focus stays on the box just toggled");
      },
    );

    await t.step("touch targets are at least 44px and text at least 18px", async () => {
      for (const path of ["/", "/cerca?q=autorimessa", "/pratiche/pe-ce-1987-452"]) {
        await page.goto(`${url}${path}`);
        const problems = await page.evaluate(() => {
          const out: string[] = [];
          for (const el of Array.from(document.querySelectorAll("body *"))) {
            const r = el.getBoundingClientRect();
            if (r.width <= 1 || r.height <= 1) continue; // visually hidden (skip link, inputs)
            const text = Array.from(el.childNodes).some((n) =>
              n.nodeType === Node.TEXT_NODE && (n.textContent ?? "").trim() !== ""
            );
            const size = parseFloat(getComputedStyle(el).fontSize);
            if (text && size < 18) out.push(`text ${el.tagName}.${el.className} ${size}px`);
            const target = el.matches(
              "a, button, select, input:not([type=checkbox]):not([type=radio]), label.form-check-label",
            );
            if (target && (r.height < 44 || r.width < 44)) {
              out.push(
                `target ${el.tagName}.${el.className} ${Math.round(r.width)}x${
                  Math.round(r.height)
                }`,
              );
            }
          }
          return out;
        });
        assert.deepEqual(problems, [], path);
      }
    });

    await t.step(
      "an error while typing shows in the message area, not as a broken page",
      async () => {
        await page.goto(`${url}/cerca?q=autorimessa`);
        await page.locator("summary", { hasText: "Anni" }).click();
        await page.getByLabel("Dal").fill("2000");
        await page.getByLabel("Dal").press("Enter");
        await page.getByRole("heading", { name: "2 risultati" }).waitFor();
        await page.getByLabel("Al", { exact: true }).fill("1990");
        await page.getByLabel("Al", { exact: true }).press("Enter");
        await page.locator("#messages").getByText(/anno iniziale viene dopo/).waitFor();
        assert.equal(await page.locator(".result").count(), 2, "the previous results stay");
        await page.getByLabel("Al", { exact: true }).fill("");
        await page.getByLabel("Al", { exact: true }).press("Enter");
        await page.locator("#messages:empty").waitFor({ state: "attached" });
      },
    );

    await t.step("empty results, act page and 404 are accessible", async () => {
      await page.goto(`${url}/cerca?q=xilofono`);
      await page.getByRole("heading", { name: /Nessun risultato/ }).waitFor();
      await assertAccessible(page, "empty results");
      await page.goto(`${url}/atti/dcc-2019-34`);
      await page.getByRole("heading", { level: 1, name: /Delibera di Consiglio n\. 34\/2019/ })
        .waitFor();
      await assertAccessible(page, "act");
      const missing = await page.goto(`${url}/pratiche/nessuna`);
      assert.equal(missing?.status(), 404);
      await page.getByText(/non esiste o non è consultabile/).waitFor();
      await assertAccessible(page, "404");
    });
    assert.deepEqual(consoleErrors, [], "no console errors (CSP, missing files, scripts)");
    await context.close();

    await t.step("without JavaScript the same search works as a plain form", async () => {
      const noJs = await browser.newContext({ javaScriptEnabled: false });
      noJs.setDefaultTimeout(10_000);
      await loopbackOnly(noJs, escaped);
      const plain = await noJs.newPage();
      await plain.goto(`${url}/`);
      await plain.getByRole("searchbox").fill("autorimessa");
      await plain.getByRole("button", { name: "Cerca" }).click();
      await plain.waitForURL(/\/cerca\?q=autorimessa/);
      await plain.getByRole("heading", { name: "3 risultati" }).waitFor();
      await plain.locator("summary", { hasText: "Tipo di pratica" }).click();
      await plain.getByRole("group", { name: "Tipo di pratica" }).getByText(/PDC/).click();
      await plain.getByRole("button", { name: "Applica filtri" }).click();
      await plain.getByRole("heading", { name: "1 risultato" }).waitFor();
      assert.match(plain.url(), /type=PDC/);
      await noJs.close();
    });
  } finally {
    await browser.close();
  }
  assert.deepEqual(escaped, [], "no request may leave loopback");
});
