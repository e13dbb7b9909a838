/// <reference lib="dom" />
/**
 * Issue 13's walk by touch (a touch screen, `page.tap`, no mouse, no keyboard but for typing
 * into fields) on the demo archive with its documents: a search typed into the tapped box and
 * sent with a tap, a filter, a result tapped open, a search that finds nothing, an act and
 * its signed document in the viewer, a request filed with a double tap on «Conferma e invia»
 * (one request filed), Back after filing (nothing refiled), the receipt, the status page,
 * and the same pages in English. Every page passes the checks of `_walk.ts` at both sizes.
 */
import assert from "node:assert/strict";
import { count } from "drizzle-orm";
import { accessRequests } from "../../db/schema.ts";
import { documentUrl } from "../../views/document_url.ts";
import { createDocumentWorld } from "../_document_world.ts";
import { createTestWorld } from "../_world.ts";
import { DEMO_ARCHIVE, generateArchive } from "../../demo/demo_archive.ts";
import { launchChromium, loopbackOnly } from "./_browser.ts";
import { checkPage } from "./_walk.ts";
import { fileURLToPath } from "node:url";

const AXE = await Deno.readTextFile(fileURLToPath(import.meta.resolve("axe-core/axe.min.js")));

Deno.test("the kiosk walked by touch at both sizes", async (t) => {
  await using w = await createDocumentWorld();
  const { url } = await w.world.serve();
  // The document world's index is built before its demo is loaded: the searches run on the
  // demo archive of the keyboard walk, served alongside.
  await using searchWorld = await createTestWorld({ records: [...generateArchive(DEMO_ARCHIVE)] });
  const { url: searchUrl } = await searchWorld.serve();
  const db = w.world.db;
  const filed = async () => (await db.select({ n: count() }).from(accessRequests))[0]?.n ?? 0;
  const browser = await launchChromium();
  const escaped: string[] = [];
  try {
    const context = await browser.newContext({
      viewport: { width: 1080, height: 1920 },
      locale: "it-IT",
      hasTouch: true,
      isMobile: false,
    });
    await loopbackOnly(context, escaped);
    await context.addInitScript({ content: AXE });
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();

    await t.step(
      "a search by touch: tap the box, type, tap Cerca, a filter, a result",
      async () => {
        await page.goto(`${searchUrl}/`);
        await checkPage(page, "t01_home_touch");
        await page.getByRole("searchbox").tap();
        await page.keyboard.type("ampliamento");
        await page.getByRole("button", { name: "Cerca", exact: true }).tap();
        await page.waitForURL(/\/cerca\?q=ampliamento$/);
        const count = page.locator("#results-count");
        await count.waitFor();
        assert.match((await count.innerText()).trim(), /^\d[\d.]* risultat[io]$/);
        await checkPage(page, "t02_results_touch");
        // A filter by touch: open the group, tap a value's label (what a finger reaches).
        await page.locator("summary", { hasText: "Tipo di pratica" }).tap();
        const first = page.getByRole("group", { name: "Tipo di pratica" })
          .locator("input[type=checkbox] + label").first();
        await first.tap();
        await page.waitForURL(/type=/);
        await count.waitFor();
        await checkPage(page, "t03_filtered_touch", { axe: false });
        const result = page.locator("ol.results h3 a").first();
        const href = (await result.getAttribute("href")) ?? "";
        assert.match(href, /^\/(pratiche|atti)\//);
        await result.tap();
        await page.waitForURL((u) => u.pathname === href.split("?")[0]);
        await page.getByRole("heading", { level: 1 }).waitFor();
        await checkPage(page, "t04_result_record_touch");
      },
    );

    await t.step("nothing found by touch: said once, with what to try next", async () => {
      await page.goto(`${searchUrl}/`);
      await page.getByRole("searchbox").tap();
      await page.keyboard.type("zzqxw nessuna");
      await page.getByRole("button", { name: "Cerca", exact: true }).tap();
      await page.waitForURL(/q=zzqxw/);
      await page.getByRole("heading", { name: "Nessun risultato per «zzqxw nessuna»" }).waitFor();
      // What the page shows (the live region that announces it to screen readers aside).
      const main = await page.locator("#results").innerText();
      assert.doesNotMatch(main, /\b0 risultati\b/, "«0 risultati» and «Nessun risultato» both");
      assert.equal(main.match(/Nessun risultato/g)?.length, 1, "nothing found said once");
      await page.getByText("Prova così:").waitFor();
      await checkPage(page, "t05_no_results_touch");
      // An example search is one tap away.
      await page.getByRole("link", { name: "fg 12 part 345" }).tap();
      await page.waitForURL(/q=fg/);
    });

    await t.step("a dossier by touch", async () => {
      await page.goto(`${url}/pratiche/${encodeURIComponent(w.scan.id)}`);
      await checkPage(page, "t06_record_touch");
    });

    await t.step("an act's signed document in the viewer", async () => {
      await page.goto(`${url}/atti/${encodeURIComponent(w.session.id)}`);
      await checkPage(page, "t07_act_touch");
      await page.goto(`${url}${documentUrl("act", w.session.id, w.session.position)}`);
      await page.getByRole("region", { name: "Firme digitali" }).waitFor();
      await checkPage(page, "t08_viewer_touch");
      await page.goto(`${url}${documentUrl("act", w.attachment.id, w.attachment.position)}`);
      await checkPage(page, "t09_viewer_pdf_touch");
    });

    await t.step(
      "a double tap on «Conferma e invia» files one request; Back refiles none",
      async () => {
        await page.goto(`${url}/pratiche/${encodeURIComponent(w.scan.id)}`);
        await page.getByRole("link", { name: "Richiedi accesso" }).tap();
        const name = page.getByLabel("Nome e cognome (o denominazione) (obbligatorio)");
        await name.tap();
        await page.keyboard.type("Mario Rossi");
        await page.getByLabel(/^Codice fiscale/).tap();
        await page.keyboard.type("RSSMRA85T10A562S");
        await page.locator(`label[for="regime-civico_generalizzato"]`).tap();
        // Civic access asks for no reason: the documentale-only fields step aside.
        assert.equal(await page.getByLabel(/^Motivazione/).isVisible(), false);
        await page.locator(`label[for="privacyAck"]`).tap();
        await checkPage(page, "t10_request_touch", { axe: false });
        await page.getByRole("button", { name: "Avanti: controlla i dati" }).tap();
        await page.waitForURL(`${url}/richieste/conferma`);
        const before = await filed();
        const send = page.getByRole("button", { name: "Conferma e invia" });
        await checkPage(page, "t11_confirm_touch");
        const box = await send.boundingBox();
        assert.ok(box);
        await page.touchscreen.tap(box.x + box.width / 2, box.y + box.height / 2);
        await page.touchscreen.tap(box.x + box.width / 2, box.y + box.height / 2).catch(() => {});
        await page.waitForURL(`${url}/richieste/ricevuta`);
        assert.equal(await filed(), before + 1, "a double tap filed twice");
        await checkPage(page, "t12_receipt_touch");
        await page.goBack();
        await page.waitForLoadState();
        assert.equal(await filed(), before + 1, "Back refiled");
        await checkPage(page, "t13_after_back_touch", { axe: false });
      },
    );

    await t.step("English by touch", async () => {
      await page.goto(`${url}/`);
      await page.getByRole("link", { name: "EN English" }).tap();
      await page.waitForFunction(() => document.documentElement.lang === "en");
      await page.goto(`${url}/atti/${encodeURIComponent(w.session.id)}`);
      await checkPage(page, "t14_en_act_touch");
      await page.goto(`${url}${documentUrl("act", w.session.id, w.session.position)}`);
      await checkPage(page, "t15_en_viewer_touch");
    });
    assert.deepEqual(escaped, [], "no request left loopback");
  } finally {
    await browser.close();
  }
});
