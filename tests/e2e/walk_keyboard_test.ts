/// <reference lib="dom" />
/**
 * Issue 13's walk, citizen side, with the keyboard only (Tab, Enter, Space, arrows; no
 * mouse) on the demo archive: every kind of search, filters, a record, a request with a bad
 * then a good codice fiscale, the receipt and its print sheet, the status lookup, a booking,
 * the English switch and the idle wipe. Every page passes the checks of `_walk.ts` at both
 * sizes, with a visible focus ring on every Tab stop.
 */
import assert from "node:assert/strict";
import { count } from "drizzle-orm";
import type { Locator, Page } from "playwright-core";
import { accessRequests } from "../../db/schema.ts";
import { DEMO_ARCHIVE, generateArchive, SHOWCASE } from "../../demo/demo_archive.ts";
import { createTestWorld } from "../_world.ts";
import { seedBookingSetup } from "../_booking_world.ts";
import { kioskContext, launchChromium } from "./_browser.ts";
import { checkPage } from "./_walk.ts";

const CF = "RSSMRA85T10A562S";
const BAD_CF = "RSSMRA85T10A562A";

/** Presses Tab until `target` has the focus (fails after `max` stops). */
async function tabTo(page: Page, target: Locator, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    if (await target.evaluate((el) => el === document.activeElement)) return;
  }
  throw new Error(`${target} not reached by Tab in ${max} stops`);
}

/** Types a search into the box by keyboard and waits for the results heading. */
async function searchFor(page: Page, q: string): Promise<number> {
  const box = page.getByRole("searchbox");
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await tabTo(page, box);
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type(q);
  await page.keyboard.press("Enter");
  const heading = page.locator("#results-count");
  await page.waitForFunction(
    (q) => new URL(location.href).searchParams.get("q") === q,
    q,
  );
  await heading.waitFor();
  return Number(((await heading.textContent()) ?? "").replace(/\D/g, ""));
}

Deno.test("the kiosk walked by keyboard at both sizes, in Italian and English", async (t) => {
  await using world = await createTestWorld({ records: [...generateArchive(DEMO_ARCHIVE)] });
  await seedBookingSetup(world.db, world.clock());
  const { url } = await world.serve();
  const browser = await launchChromium();
  const escaped: string[] = [];
  try {
    const context = await kioskContext(browser, escaped);
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    await page.setViewportSize({ width: 1080, height: 1920 });

    await t.step("home", async () => {
      await page.goto(`${url}/`);
      await checkPage(page, "k01_home", { focus: true });
    });

    await t.step("every kind of search finds the showcase or an act", async () => {
      const searches: [string, string][] = [
        ["word", "ampliamento"],
        ["typo", "ampliamento autorimesa"],
        ["street", "v. roma 12"],
        ["type_number", "CE 452/1987"],
        ["protocol", "prot. 1234/1987"],
        ["cadastral", "fg 12 part 345"],
        ["act", "determina 1/2010"],
      ];
      for (const [kind, q] of searches) {
        const n = await searchFor(page, q);
        assert.ok(n > 0, `${kind}: «${q}» finds nothing`);
        if (kind === "word") await checkPage(page, `k02_search_${kind}`, { focus: true });
      }
      assert.equal(await searchFor(page, "zzqxw nessuna"), 0);
      await page.getByText(/Nessun risultato|nessun risultato/).first().waitFor();
      await checkPage(page, "k03_no_results");
    });

    await t.step("filters by keyboard (Space on a box) and the record", async () => {
      await searchFor(page, "ampliamento");
      const summary = page.locator("summary", { hasText: "Tipo di pratica" });
      await tabTo(page, summary);
      await page.keyboard.press("Enter");
      const ce = page.getByRole("group", { name: "Tipo di pratica" }).getByLabel(/^CE —/);
      await tabTo(page, ce, 40);
      await page.keyboard.press("Space");
      await page.waitForURL(/type=CE/);
      await checkPage(page, "k04_filtered", { focus: true });
      await page.goto(`${url}/pratiche/${SHOWCASE.id}`);
      await checkPage(page, "k05_record", { focus: true });
    });

    await t.step("a request: bad CF, then good, confirm, receipt, print", async () => {
      const ask = page.getByRole("link", { name: "Richiedi accesso" });
      await tabTo(page, ask);
      await page.keyboard.press("Enter");
      await page.getByRole("heading", { level: 1, name: "Richiesta di accesso agli atti" })
        .waitFor();
      await checkPage(page, "k06_request_form", { focus: true });
      await tabTo(page, page.getByLabel("Nome e cognome (o denominazione) (obbligatorio)"));
      await page.keyboard.type("Mario Rossi");
      await tabTo(page, page.getByLabel(/^Codice fiscale/));
      await page.keyboard.type(BAD_CF);
      await tabTo(page, page.locator("#regime-documentale"));
      await page.keyboard.press("Space");
      await tabTo(page, page.getByLabel(/^Motivazione/));
      await page.keyboard.type("Compravendita dell'appartamento");
      await tabTo(page, page.locator("#privacyAck"));
      await page.keyboard.press("Space");
      await tabTo(page, page.getByRole("button", { name: "Avanti: controlla i dati" }));
      await page.keyboard.press("Enter");
      const cf = page.getByLabel(/^Codice fiscale/);
      await page.waitForFunction(() => document.querySelector('[aria-invalid="true"]') !== null);
      assert.equal(await cf.getAttribute("aria-invalid"), "true");
      await checkPage(page, "k07_request_bad_cf");
      await cf.evaluate((el) => (el as HTMLInputElement).select());
      await cf.focus();
      await page.keyboard.press("ControlOrMeta+a");
      await page.keyboard.type(CF);
      await tabTo(page, page.getByRole("button", { name: "Avanti: controlla i dati" }));
      await page.keyboard.press("Enter");
      await page.waitForURL(`${url}/richieste/conferma`);
      await checkPage(page, "k08_confirm", { focus: true });
      const before = await requestCount(world.db);
      await tabTo(page, page.getByRole("button", { name: "Conferma e invia" }));
      // A double press of Enter files one request.
      await page.keyboard.press("Enter");
      await page.keyboard.press("Enter").catch(() => {});
      await page.waitForURL(`${url}/richieste/ricevuta`);
      assert.equal(await requestCount(world.db), before + 1, "one request filed");
      await checkPage(page, "k09_receipt", { focus: true });
      await page.emulateMedia({ media: "print" });
      await checkPage(page, "k10_receipt_print", { axe: false });
      await page.emulateMedia({ media: "screen" });
      const code = (await page.getByTestId("receipt-code").textContent()) ?? "";
      // Back after filing does not file again.
      await page.goBack();
      await page.waitForLoadState();
      await page.goForward().catch(() => {});
      await page.waitForLoadState();
      assert.equal(await requestCount(world.db), before + 1, "Back/Forward refiled");
      await page.goto(`${url}/richieste/stato`);
      const codeBox = page.getByLabel(/^Codice della richiesta/);
      await tabTo(page, codeBox);
      await page.keyboard.type(code);
      await tabTo(page, page.getByLabel(/^Codice fiscale di chi/));
      await page.keyboard.type(CF);
      await page.keyboard.press("Enter");
      await page.getByTestId("status-answer").waitFor();
      await checkPage(page, "k11_status", { focus: true });
    });

    await t.step("booking at /prenota by keyboard", async () => {
      await page.goto(`${url}/prenota`);
      await checkPage(page, "k12_booking_services", { focus: true });
      await tabTo(page, page.getByRole("link", { name: "Consultazione pratica edilizia" }));
      await page.keyboard.press("Enter");
      await page.getByRole("heading", { name: /scegli il giorno/ }).waitFor();
      await checkPage(page, "k13_booking_days", { focus: true });
      await tabTo(page, page.getByRole("link", { name: "martedì 4 marzo 2025" }));
      await page.keyboard.press("Enter");
      await page.getByRole("heading", { name: /scegli l'orario/ }).waitFor();
      await checkPage(page, "k14_booking_times");
      await tabTo(page, page.getByRole("link", { name: "ore 10:00" }));
      await page.keyboard.press("Enter");
      await page.getByRole("heading", { name: "I tuoi dati" }).waitFor();
      await checkPage(page, "k15_booking_form", { focus: true });
    });

    await t.step("English: the switch by keyboard, the same pages pass", async () => {
      await page.goto(`${url}/`);
      await tabTo(page, page.getByRole("link", { name: "EN English" }));
      await page.keyboard.press("Enter");
      await page.waitForFunction(() => document.documentElement.lang === "en");
      await checkPage(page, "k20_en_home", { focus: true });
      for (
        const [name, path] of [
          ["results", "/cerca?q=ampliamento"],
          ["no_results", "/cerca?q=zzqxw"],
          ["record", `/pratiche/${SHOWCASE.id}`],
          ["request", `/richieste/nuova?record=dossier:${SHOWCASE.id}`],
          ["status", "/richieste/stato"],
          ["booking", "/prenota"],
        ]
      ) {
        await page.goto(`${url}${path}`);
        await checkPage(page, `k21_en_${name}`);
      }
    });

    await t.step("idle wipe: the dialog, then the home in Italian", async () => {
      const idle = await context.newPage();
      await idle.clock.install();
      await idle.setViewportSize({ width: 1080, height: 1920 });
      await idle.goto(`${url}/richieste/nuova?record=dossier:${SHOWCASE.id}`);
      await idle.clock.runFor(121_000);
      const dialog = idle.getByRole("dialog");
      await dialog.waitFor();
      await checkPage(idle, "k30_idle_dialog");
      await idle.clock.runFor(60_000);
      await idle.waitForURL(`${url}/`);
      await idle.waitForFunction(() => document.documentElement.lang === "it");
      await checkPage(idle, "k31_after_wipe");
      await idle.close();
    });
    assert.deepEqual(escaped, [], "no request left loopback");
  } finally {
    await browser.close();
  }
});

async function requestCount(db: Parameters<typeof seedBookingSetup>[0]): Promise<number> {
  const [row] = await db.select({ n: count() }).from(accessRequests);
  return row?.n ?? 0;
}
