/**
 * Viewing granted documents at a kiosk (issue 11), over loopback HTTP with a real libSQL DB
 * and file store: receipt code + codice fiscale, the list, the viewer in stamped mode, every
 * page stamped (read back with PDF.js), view vs copy mode, and the audit of each open.
 */
import assert from "node:assert/strict";
import { and, eq } from "drizzle-orm";
import { auditLog } from "../db/schema.ts";
import { maskTaxCode } from "../domain/codice_fiscale.ts";
import { FetchBrowser } from "./_citizen_world.ts";
import { docUrl, HOLDER_CF, kioskWorld, openAtKiosk } from "./_consult_world.ts";
import { readWithPdfJs } from "./_stamp_fixtures.ts";

async function pdfOf(browser: FetchBrowser, url: string) {
  const headers = new Headers();
  const jar = [...browser.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  headers.set("Cookie", jar);
  const res = await fetch(url, { headers });
  const bytes = new Uint8Array(await res.arrayBuffer());
  return { res, bytes };
}

Deno.test("at the kiosk, code and codice fiscale open the list of the granted documents", async () => {
  await using w = await kioskWorld();
  const browser = new FetchBrowser();
  const posted = await openAtKiosk(browser, w.url, w.fx.request.receiptCode);
  assert.equal(posted.status, 303);
  assert.equal(posted.location, `${w.url}/consultazione/documenti`);
  const cookie = browser.setCookies.find((l) => l.startsWith("faldone_consult="));
  assert.ok(cookie, "the consultation cookie is set");
  assert.match(cookie, /HttpOnly/i);
  assert.match(cookie, /Max-Age=900/i);
  const list = await browser.request(`${w.url}/consultazione/documenti`);
  assert.equal(list.status, 200);
  assert.equal(list.headers.get("cache-control"), "private, no-store");
  assert.match(list.text, new RegExp(w.fx.request.receiptCode));
  for (const title of ["Tavola 1", "Fotografia", "Relazione"]) {
    assert.match(list.text, new RegExp(title));
  }
  assert.doesNotMatch(list.text, /Tavola 2 non concessa/);
  assert.match(list.text, /Solo visione/);
  assert.match(list.text, /30\/06\/2025/);
  assert.doesNotMatch(list.text, new RegExp(HOLDER_CF));
  assert.match(list.text, /Nessuna consultazione finora/);
});

Deno.test("the viewer shows stamped pages only, and each page is stamped with code and masked CF", async () => {
  await using w = await kioskWorld();
  const browser = new FetchBrowser();
  await openAtKiosk(browser, w.url, w.fx.request.receiptCode);
  const viewer = await browser.request(docUrl(w.url, w.fx, 1));
  assert.equal(viewer.status, 200);
  assert.equal(viewer.headers.get("cache-control"), "private, no-store");
  assert.match(viewer.text, /data-viewer="stamped"/);
  assert.match(viewer.text, /data-pages="3"/);
  assert.match(viewer.text, /pagine\/\{n\}/);
  // View mode: no download of the file, no copy.
  assert.doesNotMatch(viewer.text, /Scarica il file|Scarica la copia|\/file"/);
  // Stamped pages only: no picture of the original page (documents/pdf_preview.ts), neither
  // on the page nor by URL, in the grant's URLs or the viewer's.
  assert.doesNotMatch(viewer.text, /viewer-preview|anteprima/);
  for (
    const path of [
      `${docUrl(w.url, w.fx, 1)}/anteprima`,
      `${w.url}/documenti/pratica/${w.fx.dossierId}/1/anteprima`,
    ]
  ) {
    const res = await browser.request(path);
    assert.equal(res.status, 404, path);
  }
  const code = w.fx.request.receiptCode;
  const masked = maskTaxCode(HOLDER_CF);
  for (let p = 1; p <= 3; p++) {
    const { res, bytes } = await pdfOf(browser, `${docUrl(w.url, w.fx, 1)}/pagine/${p}`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "application/pdf");
    assert.equal(res.headers.get("cache-control"), "private, no-store");
    assert.match(res.headers.get("content-disposition") ?? "", /^inline/);
    const pages = await readWithPdfJs(bytes);
    assert.equal(pages.length, 1, "one page per response");
    const text = pages[0]!.text.join(" ");
    assert.match(text, new RegExp(`Copia per consultazione — richiesta ${code}`));
    assert.ok(text.includes(masked), `page ${p} carries the masked CF`);
    assert.ok(text.includes("03/03/2025"), `page ${p} carries the day`);
    assert.ok(text.includes(`Pagina ${p}`), `page ${p} is the scan's page ${p}`);
    assert.ok(!text.includes(HOLDER_CF));
    assert.ok(!new TextDecoder("latin1").decode(bytes).includes(HOLDER_CF));
  }
  // An image and a TIFF come out stamped the same way.
  for (const [n, count] of [[2, 1], [3, 2]] as const) {
    const page = await browser.request(docUrl(w.url, w.fx, n));
    assert.match(page.text, new RegExp(`data-pages="${count}"`));
    for (let p = 1; p <= count; p++) {
      const { res, bytes } = await pdfOf(browser, `${docUrl(w.url, w.fx, n)}/pagine/${p}`);
      assert.equal(res.status, 200);
      const [seen] = await readWithPdfJs(bytes);
      assert.ok(seen!.text.join(" ").includes(masked));
      assert.ok(seen!.text.join(" ").includes(code));
    }
  }
});

Deno.test("each open is audited once (not per page) and listed as who consulted and when", async () => {
  await using w = await kioskWorld();
  const browser = new FetchBrowser();
  await openAtKiosk(browser, w.url, w.fx.request.receiptCode);
  await browser.request(docUrl(w.url, w.fx, 1));
  for (let p = 1; p <= 3; p++) await pdfOf(browser, `${docUrl(w.url, w.fx, 1)}/pagine/${p}`);
  const entries = await w.world.db.select().from(auditLog).where(and(
    eq(auditLog.action, "consult_document"),
    eq(auditLog.recordId, w.fx.request.id),
  ));
  assert.equal(entries.length, 1);
  const [entry] = entries;
  assert.equal(entry?.actor, `cittadino ${maskTaxCode(HOLDER_CF)}`);
  assert.equal(entry?.branch, w.world.config.branchName);
  assert.match(entry?.detail ?? "", /^sede · visione · pratica .* documento 1 .*Tavola 1$/);
  assert.ok(!(entry?.detail ?? "").includes(HOLDER_CF));
  const list = await browser.request(`${w.url}/consultazione/documenti`);
  assert.match(list.text, /Chi ha consultato e quando/);
  assert.match(list.text, new RegExp(`sede ${w.world.config.branchName}`));
  assert.match(list.text, /data-testid="consult-history"/);
});

Deno.test("copy mode offers the stamped copy as an attachment; view mode refuses it", async () => {
  await using copyWorld = await kioskWorld("copy");
  const browser = new FetchBrowser();
  await openAtKiosk(browser, copyWorld.url, copyWorld.fx.request.receiptCode);
  const viewer = await browser.request(docUrl(copyWorld.url, copyWorld.fx, 1));
  assert.match(viewer.text, /Scarica la copia/);
  const { res, bytes } = await pdfOf(browser, `${docUrl(copyWorld.url, copyWorld.fx, 1)}/copia`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-disposition") ?? "", /^attachment; filename="copia-/);
  assert.equal(res.headers.get("cache-control"), "private, no-store");
  const pages = await readWithPdfJs(bytes);
  assert.equal(pages.length, 3);
  for (const page of pages) {
    assert.ok(page.text.join(" ").includes(maskTaxCode(HOLDER_CF)));
    assert.ok(page.text.join(" ").includes(copyWorld.fx.request.receiptCode));
  }
  const copies = await copyWorld.world.db.select().from(auditLog)
    .where(eq(auditLog.action, "consult_document"));
  assert.deepEqual(copies.map((e) => e.detail?.split(" · ")[1]).sort(), ["copia", "visione"]);

  await using viewWorld = await kioskWorld("view");
  const other = new FetchBrowser();
  await openAtKiosk(other, viewWorld.url, viewWorld.fx.request.receiptCode);
  const refused = await other.request(`${docUrl(viewWorld.url, viewWorld.fx, 1)}/copia`);
  assert.equal(refused.status, 404);
});

Deno.test("the kiosk's status page and footer link to the consultation", async () => {
  await using w = await kioskWorld();
  const status = await new FetchBrowser().request(`${w.url}/richieste/stato`);
  assert.match(status.text, /href="\/consultazione"[^>]*>\s*Consulta i documenti concessi/);
  const home = await new FetchBrowser().request(`${w.url}/`);
  assert.match(home.text, /href="\/consultazione"/);
  // The branch has no citizen area: no link to it.
  assert.doesNotMatch(home.text, /href="\/area-personale"/);
});
