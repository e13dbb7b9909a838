/// <reference lib="dom" />
/**
 * Printing, as Chromium prints: the record sheet of a dossier and of an act (A4, the record
 * with its identifiers, a QR back to its page and the time printed, none of the kiosk's frame)
 * and the request slip (A4 and an 80 mm roll), rendered to PDF and read back with pdf.js.
 */
import assert from "node:assert/strict";
import type { BrowserContext, Page } from "playwright-core";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { createAccessRequest } from "../../db/access_requests.ts";
import { readDeadlineSettings } from "../../db/access_settings.ts";
import { receiptQrDataUri } from "../../views/receipt_qr.ts";
import { createTestWorld } from "../_world.ts";
import { act, dossier } from "../fixtures.ts";
import { kioskContext, launchChromium } from "./_browser.ts";

const CF = "RSSMRA85T10A562S";
const A4 = { width: 595, height: 842 };

/** Each page's text (runs joined by spaces, whitespace collapsed) and size in points. */
async function readPdf(bytes: Uint8Array) {
  // pdf.js refuses a Node Buffer (what Playwright returns): a plain Uint8Array copy.
  const pdf = await getDocument({ data: new Uint8Array(bytes), verbosity: 0 }).promise;
  const pages: { text: string; width: number; height: number }[] = [];
  for (let n = 1; n <= pdf.numPages; n++) {
    const page = await pdf.getPage(n);
    const content = await page.getTextContent();
    const text = content.items.map((i) => ("str" in i ? i.str : "")).join(" ")
      .replace(/\s+/g, " ");
    const { width, height } = page.getViewport({ scale: 1 });
    pages.push({ text, width, height });
  }
  await pdf.cleanup();
  return pages;
}

function assertA4(pages: { width: number; height: number }[], what: string) {
  for (const p of pages) {
    assert.ok(Math.abs(p.width - A4.width) < 2, `${what}: width ${p.width}`);
    assert.ok(Math.abs(p.height - A4.height) < 2, `${what}: height ${p.height}`);
  }
}

/** The page as its own stylesheet asks to print it (A4 for the record sheet). */
async function printed(page: Page) {
  return await readPdf(await page.pdf({ preferCSSPageSize: true }));
}

/** A click on "Stampa" calls the browser's print, without opening a dialog in the test. */
async function printButtonPrints(page: Page, name: string) {
  await page.evaluate(() => {
    Reflect.set(window, "__printed", 0);
    globalThis.print = () => Reflect.set(window, "__printed", 1);
  });
  await page.getByRole("button", { name }).click();
  assert.equal(await page.evaluate(() => Reflect.get(window, "__printed")), 1);
}

function archive() {
  return [
    dossier({
      id: "pe-ce-1987-452",
      number: "452",
      year: 1987,
      subject: "AMPLIAMENTO FABBRICATO PER CONTO DI BIANCHI GIULIA",
      addresses: [{ street: "Via Vittorio Veneto", civic: "14/A", locality: "Case Nuove" }],
    }),
    act({
      id: "dcc-2019-34",
      number: "34",
      year: 2019,
      subject: "Approvazione regolamento autorimesse",
      // A long published text: the sheet runs over several A4 pages.
      text: Array.from(
        { length: 160 },
        (_, i) => `Articolo ${i + 1}. Il Consiglio comunale approva la norma numero ${i + 1}.`,
      ).join("\n"),
    }),
  ];
}

Deno.test("record sheets and the request slip print as PDF in Chromium", async (t) => {
  await using world = await createTestWorld({ records: archive() });
  const { url } = await world.serve();
  const request = await createAccessRequest(world.db, {
    regime: "documentale",
    requesterName: "Mario Rossi",
    taxCode: CF,
    motivation: "Compravendita",
    mode: "view",
    records: [{ kind: "dossier", id: "pe-ce-1987-452" }],
  }, {
    now: world.clock(),
    branch: "sede",
    branchCode: "K2",
    outbox: false,
    settings: await readDeadlineSettings(world.db),
  });
  const browser = await launchChromium();
  const escaped: string[] = [];
  let context: BrowserContext | undefined;
  try {
    context = await kioskContext(browser, escaped);
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();

    await t.step("a dossier's sheet: one A4 page with identifiers, QR and date", async () => {
      const recordUrl = `${url}/pratiche/pe-ce-1987-452`;
      await page.goto(`${recordUrl}?q=ampliamento`);
      // On screen: the button, not the paper-only head.
      assert.equal(await page.locator(".record-sheet-head").isVisible(), false);
      await printButtonPrints(page, "Stampa la scheda");
      // The QR encodes the record's own page (not the search it was opened from).
      const qr = page.locator("img.record-sheet-qr");
      assert.equal(await qr.getAttribute("src"), await receiptQrDataUri(recordUrl));
      await page.emulateMedia({ media: "print" });
      const box = await qr.boundingBox();
      assert.ok(box && box.width > 90 && box.height > 90, `QR of ${box?.width} px`);
      // Back to no emulation: page.pdf() then prints with print media, as a browser does.
      await page.emulateMedia({ media: null });

      const pages = await printed(page);
      assert.equal(pages.length, 1);
      assertA4(pages, "dossier sheet");
      const text = pages[0]?.text ?? "";
      for (
        const expected of [
          "Comune di Borgo Esempio",
          "Scheda: Pratica CE 452/1987",
          "Identificativo: pe-ce-1987-452",
          recordUrl,
          "Stampata il 3 marzo 2025",
          "Via Vittorio Veneto 14/A",
          "Esito",
          "Riferimenti catastali",
          "i dati personali non sono riportati",
        ]
      ) assert.ok(text.includes(expected), `dossier sheet lacks "${expected}": ${text}`);
      for (
        const frame of [
          "Vai al contenuto",
          "Nuova ricerca",
          "Torna ai risultati",
          "Richiedi accesso",
          "Stampa la scheda",
          "Stato di una richiesta",
          "Bianchi",
          "Giulia",
        ]
      ) assert.ok(!text.includes(frame), `dossier sheet shows "${frame}"`);
    });

    await t.step("an act's long text runs over several A4 pages, head first", async () => {
      await page.goto(`${url}/atti/dcc-2019-34`);
      await printButtonPrints(page, "Stampa la scheda");
      const pages = await printed(page);
      assert.ok(pages.length >= 2, `${pages.length} pages`);
      assertA4(pages, "act sheet");
      const first = pages[0]?.text ?? "";
      assert.ok(first.includes("Identificativo: dcc-2019-34"), first);
      assert.ok(first.includes("Approvazione regolamento autorimesse"));
      const all = pages.map((p) => p.text).join(" ");
      assert.ok(all.includes("Articolo 160."), "the text's end is printed");
      assert.ok(pages.at(-1)?.text.includes("Stampata il 3 marzo 2025"), "foot on the last page");
      assert.ok(!all.includes("Richiedi accesso"));
    });

    await t.step("the request slip: one A4 page, or a narrow 80 mm roll", async () => {
      await context?.addCookies([{
        name: "faldone_receipt",
        value: request.receiptCode,
        url,
      }]);
      await page.goto(`${url}/richieste/ricevuta`);
      await printButtonPrints(page, "Stampa la ricevuta");
      const a4 = await readPdf(await page.pdf({ format: "A4" }));
      assert.equal(a4.length, 1);
      assertA4(a4, "slip");
      const roll = await readPdf(await page.pdf({ width: "80mm", height: "297mm" }));
      for (const [name, pages] of [["A4", a4], ["80 mm", roll]] as const) {
        const text = pages.map((p) => p.text).join(" ");
        for (
          const expected of [
            request.receiptCode,
            "Termine per la risposta",
            "Dove andare",
            "RSS•••••••••562S",
          ]
        ) assert.ok(text.includes(expected), `${name} slip lacks "${expected}": ${text}`);
        for (const frame of ["Vai al contenuto", "Stampa la ricevuta", "Mario Rossi", CF]) {
          assert.ok(!text.includes(frame), `${name} slip shows "${frame}"`);
        }
      }
      // 80 mm is 227 points: the slip fits the roll's width on one page.
      assert.equal(roll.length, 1);
      assert.ok(Math.abs((roll[0]?.width ?? 0) - 226.8) < 2, `roll width ${roll[0]?.width}`);
    });
    assert.deepEqual(escaped, []);
  } finally {
    await context?.close();
    await browser.close();
  }
});
