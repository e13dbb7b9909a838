/// <reference lib="dom" />
/**
 * The document viewer in a real Chromium, over real files served with Range on loopback:
 * PDF pages drawn by PDF.js (buttons, keyboard, swipe, zoom), a large scan's first page
 * before the whole file, an image, a signed audio file that seeks with 206 and shows both
 * signers, a document whose bytes are not here, axe-core on each page, and no CSP refusal.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { createRootCa, createSigner, signEnveloping } from "../../documents/demo_signing.ts";
import { fileByteSource } from "../../documents/file_byte_source.ts";
import { verifySignedFile } from "../../documents/signed_file.ts";
import type { ViewableDocument } from "../../routes/documents.tsx";
import { bandedPng, PAGE_COLOURS, pagedPdf, scanPdf, toneWav } from "../_document_fixtures.ts";
import { startViewerApp } from "../_viewer_app.ts";
import { assertAccessible, kioskContext, launchChromium } from "./_browser.ts";

const VALIDITY = {
  notBefore: new Date("2020-01-01T00:00:00Z"),
  notAfter: new Date("2040-01-01T00:00:00Z"),
};

/** The colour at the middle of the viewer's canvas, and whether the canvas has any ink. */
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
    const centre = at(0.5, 0.5);
    const points = [at(0.1, 0.1), at(0.3, 0.7), centre, at(0.9, 0.9)];
    const distinct = new Set(points.map((p) => p.join(","))).size;
    return { centre, distinct, width: canvas.width, height: canvas.height };
  });
}

function closeTo(actual: number[], expected: [number, number, number]): boolean {
  return expected.every((v, i) => Math.abs((actual[i] ?? -1) - v) <= 12);
}

async function renderedPage(page: Page, n: number) {
  await page.waitForSelector(`.doc-viewer[data-rendered-page="${n}"]`, { timeout: 20_000 });
}

Deno.test("the document viewer in a browser: PDF, large scan, image, signed audio, missing bytes", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "faldone-viewer-" });
  const write = async (name: string, bytes: Uint8Array) => {
    const path = join(dir, name);
    await Deno.writeFile(path, bytes);
    return path;
  };
  const pdfPath = await write("tavole.pdf", await pagedPdf(3));
  // 48 pages of 520 KB uncompressed noise: a 25 MB scan that cannot be compressed away.
  const bigPath = await write(
    "scansione.pdf",
    await scanPdf(48, { kind: "raw", width: 416, height: 416 }),
  );
  const pngPath = await write("foto.png", await bandedPng(400, 300, [30, 100, 200]));

  // A council session: 60 s of audio signed by the President and the Secretary.
  const root = await createRootCa("Faldone Test Root CA", VALIDITY);
  const person = (givenName: string, surname: string, taxCode: string) =>
    createSigner(
      root,
      { givenName, surname, taxCode, organization: "Comune di Esempio" },
      VALIDITY,
    );
  const president = await person("Mario", "Rossi", "RSSMRA80A01H501U");
  const secretary = await person("Anna", "Bianchi", "BNCNNA85M41F205Q");
  const envelope = await signEnveloping(
    toneWav(60),
    [president, secretary],
    new Date("2024-03-15T10:30:00Z"),
  );
  const signed = await verifySignedFile(envelope, { anchors: [root.certificate] });
  const wavPath = await write("seduta.wav", signed.content);

  const source = (path: string, mime: string) => fileByteSource(path, mime);
  const doc = (title: string, mime: string, restricted: boolean) => ({
    title,
    mime,
    restricted,
    back: { href: "/pratiche/pe-1", label: "Torna alla pratica" },
  });
  const docs = new Map<string, ViewableDocument>([
    ["pratica/pe-1/1", {
      ...doc("Tavole di progetto", "application/pdf", true),
      bytes: 0,
      present: true,
      source: await source(pdfPath, "application/pdf"),
    }],
    ["pratica/pe-1/2", {
      ...doc("Scansione del fascicolo", "application/pdf", true),
      bytes: 0,
      present: true,
      source: await source(bigPath, "application/pdf"),
    }],
    ["pratica/pe-1/3", {
      ...doc("Fotografia dello stato dei luoghi", "image/png", true),
      bytes: 0,
      present: true,
      source: await source(pngPath, "image/png"),
    }],
    ["atto/dcc-1/1", {
      ...doc("Registrazione della seduta", "audio/wav", false),
      bytes: 0,
      present: true,
      source: await source(wavPath, "audio/wav"),
      signatures: { envelopes: signed.envelopes, signers: signed.signers },
    }],
    ["pratica/pe-1/4", {
      ...doc("Tavola 4", "application/pdf", true),
      bytes: 2_480_331,
      present: false,
    }],
  ]);
  for (const d of docs.values()) d.bytes = d.source?.bytes ?? d.bytes;

  await using app = startViewerApp(docs);
  const browser = await launchChromium();
  const escaped: string[] = [];
  const refused: string[] = [];
  try {
    const context = await kioskContext(browser, escaped);
    const page = await context.newPage();
    page.on("console", (m) => {
      // Bootstrap Italia's CSS embeds the VideoJS icon font as data:, which the CSP refuses
      // (kiosk_test.ts expects it too); the kiosk never uses that font.
      if (/Loading the font 'data:application\/font-woff/.test(m.text())) return;
      if (/Content Security Policy|Refused to/i.test(m.text())) refused.push(m.text());
    });
    page.on("pageerror", (e) => refused.push(`page error: ${e.message}`));

    await t.step(
      "a PDF's first page is drawn, and buttons, keys and swipes turn pages",
      async () => {
        await page.goto(`${app.url}/documenti/pratica/pe-1/1`);
        await renderedPage(page, 1);
        await page.getByText("Pagina 1 di 3").waitFor();
        const first = await canvasSample(page);
        assert.ok(closeTo(first.centre, PAGE_COLOURS[0]!), `page 1 centre ${first.centre}`);
        assert.ok(first.distinct >= 2, "the canvas is not one flat colour");

        await page.getByRole("button", { name: "Successiva" }).click();
        await renderedPage(page, 2);
        assert.ok(closeTo((await canvasSample(page)).centre, PAGE_COLOURS[1]!));
        await page.keyboard.press("ArrowRight");
        await renderedPage(page, 3);
        assert.ok(closeTo((await canvasSample(page)).centre, PAGE_COLOURS[2]!));
        assert.equal(await page.getByRole("button", { name: "Successiva" }).isDisabled(), true);
        await page.keyboard.press("PageUp");
        await renderedPage(page, 2);
        await page.getByRole("button", { name: "Precedente" }).click();
        await renderedPage(page, 1);
        await page.getByText("Pagina 1 di 3").waitFor();

        // A finger swiping right to left turns to the next page.
        await page.evaluate(() => {
          const stage = document.querySelector(".viewer-stage");
          if (!stage) throw new Error("no stage");
          const at = (type: string, x: number) =>
            stage.dispatchEvent(
              new PointerEvent(type, {
                pointerId: 7,
                pointerType: "touch",
                clientX: x,
                clientY: 300,
                bubbles: true,
              }),
            );
          at("pointerdown", 600);
          at("pointerup", 350);
        });
        await renderedPage(page, 2);
        await assertAccessible(page, "the PDF viewer");
      },
    );

    await t.step("zoom makes the canvas bigger and fit width brings it back", async () => {
      const before = await canvasSample(page);
      await page.getByRole("button", { name: "Ingrandisci" }).click();
      await page.waitForSelector('.doc-viewer[data-rendered-zoom="1.25"]');
      const zoomed = await canvasSample(page);
      assert.ok(zoomed.width > before.width * 1.2, `${before.width} → ${zoomed.width}`);
      await page.keyboard.press("-");
      await page.keyboard.press("-");
      await page.waitForSelector('.doc-viewer[data-rendered-zoom="0.75"]');
      assert.ok((await canvasSample(page)).width < before.width);
      await page.getByRole("button", { name: "Adatta alla larghezza" }).click();
      await page.waitForSelector('.doc-viewer[data-rendered-zoom="1"]');
      assert.equal((await canvasSample(page)).width, before.width);
    });

    await t.step("a 25 MB scan shows its first page after a fraction of the file", async () => {
      const key = "pratica/pe-1/2";
      const size = docs.get(key)!.bytes;
      assert.ok(size > 20 * 1024 * 1024, `scan is ${size} bytes`);
      await page.goto(`${app.url}/documenti/${key}`);
      await renderedPage(page, 1);
      const servedAtFirstPage = app.served.get(key) ?? 0;
      console.log(`first page of a ${size}-byte scan after ${servedAtFirstPage} bytes served`);
      const sample = await canvasSample(page);
      assert.ok(sample.distinct >= 3, "the scan's noise is drawn");
      await page.getByText("Pagina 1 di 48").waitFor();
      assert.ok(
        servedAtFirstPage < size * 0.3,
        `served ${servedAtFirstPage} of ${size} bytes before the first page`,
      );
      const ranged = app.requests.filter((r) => r.path.endsWith(key + "/file") && r.status === 206);
      assert.ok(ranged.length >= 2, "PDF.js read the scan by ranges");
      // The first chunks came from viewer_boot.js's prefetch; later pages are asked for by
      // PDF.js through the same range transport.
      assert.ok(ranged.some((r) => r.range === "bytes=0-524287"), "the head was prefetched");
      await page.locator(".viewer-stage").focus();
      await page.keyboard.press("ArrowRight");
      await renderedPage(page, 2);
      await page.getByText("Pagina 2 di 48").waitFor();
      await assertAccessible(page, "the large scan");
    });

    await t.step("an image document shows in the same viewer and zooms", async () => {
      await page.goto(`${app.url}/documenti/pratica/pe-1/3`);
      await renderedPage(page, 1);
      await page.getByText("Pagina 1 di 1").waitFor();
      const img = page.getByRole("img", { name: /Pagina 1 di 1 di Fotografia/ });
      const width = (await img.boundingBox())!.width;
      await page.getByRole("button", { name: "Ingrandisci" }).click();
      await page.waitForSelector('.doc-viewer[data-rendered-zoom="1.25"]');
      assert.ok((await img.boundingBox())!.width > width * 1.2);
      assert.equal(await img.evaluate((e) => (e as HTMLImageElement).naturalWidth), 400);
      await assertAccessible(page, "the image viewer");
    });

    await t.step(
      "a signed session plays, seeks by a 206 range and shows both signers",
      async () => {
        const before = app.requests.length;
        await page.goto(`${app.url}/documenti/atto/dcc-1/1`);
        const panel = page.getByRole("region", { name: "Firme digitali" });
        await panel.getByText("2 firme").waitFor();
        await panel.getByRole("heading", { name: "Mario Rossi" }).waitFor();
        await panel.getByRole("heading", { name: "Anna Bianchi" }).waitFor();
        assert.equal(await panel.getByText("Firma valida").count(), 2);
        // The public sees the officials' names, not their tax codes.
        assert.equal(await panel.getByText("RSSMRA80A01H501U").count(), 0);
        const duration = await page.evaluate(async () => {
          const audio = document.querySelector("audio");
          if (!audio) throw new Error("no audio");
          audio.muted = true;
          if (audio.readyState < 1) {
            await new Promise((r) => audio.addEventListener("loadedmetadata", r, { once: true }));
          }
          await audio.play();
          await new Promise((r) => setTimeout(r, 300));
          audio.currentTime = 50;
          await new Promise((r) => audio.addEventListener("seeked", r, { once: true }));
          return audio.duration;
        });
        assert.ok(Math.abs(duration - 60) < 0.5, `duration ${duration}`);
        const seeks = app.requests.slice(before).filter((r) =>
          r.path.endsWith("atto/dcc-1/1/file") && r.status === 206 &&
          /bytes=[1-9]\d*-/.test(r.range ?? "")
        );
        assert.ok(seeks.length >= 1, JSON.stringify(app.requests.slice(before)));
        await assertAccessible(page, "the signed audio page");
      },
    );

    await t.step("a document whose bytes are not here says so, never a broken viewer", async () => {
      const res = await page.goto(`${app.url}/documenti/pratica/pe-1/4`);
      assert.equal(res?.status(), 200);
      await page.getByText("disponibile in questa sede dopo la prossima sincronizzazione")
        .waitFor();
      assert.equal(await page.locator("canvas, audio, video, .doc-viewer").count(), 0);
      await assertAccessible(page, "the missing-bytes page");
    });

    await t.step("at 1080×1920 the controls are touch-sized and nothing overflows", async () => {
      await page.setViewportSize({ width: 1080, height: 1920 });
      await page.goto(`${app.url}/documenti/pratica/pe-1/1`);
      await renderedPage(page, 1);
      for (
        const name of ["Precedente", "Successiva", "Ingrandisci", "Riduci", "Adatta alla larghezza"]
      ) {
        const box = (await page.getByRole("button", { name }).boundingBox())!;
        assert.ok(box.width >= 44 && box.height >= 44, `${name}: ${box.width}×${box.height}`);
      }
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
      assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
      await assertAccessible(page, "the PDF viewer at 1080×1920");
    });

    await t.step(
      "a JPEG scan shows page 1 as the server's picture at once, then PDF.js's canvas",
      async () => {
        // A real JPEG from the browser's encoder: thirds red, green and blue, A4 at 150 dpi.
        const jpeg = Uint8Array.from(
          await page.evaluate(async () => {
            const canvas = document.createElement("canvas");
            canvas.width = 1240;
            canvas.height = 1754;
            const ctx = canvas.getContext("2d")!;
            const third = Math.ceil(1754 / 3);
            [["#c81e1e", 0], ["#1ea01e", third], ["#1e1edc", 2 * third]].forEach(([c, y]) => {
              ctx.fillStyle = String(c);
              ctx.fillRect(0, Number(y), 1240, third);
            });
            const blob = await new Promise<Blob | null>((r) => canvas.toBlob(r, "image/jpeg", 0.9));
            return Array.from(new Uint8Array(await blob!.arrayBuffer()));
          }),
        );
        const path = await write(
          "scansione-jpeg.pdf",
          await scanPdf(4, { kind: "jpeg", images: [jpeg] }),
        );
        const key = "pratica/pe-1/5";
        const scan = await source(path, "application/pdf");
        docs.set(key, {
          ...doc("Scansione JPEG", "application/pdf", true),
          bytes: scan.bytes,
          present: true,
          source: scan,
        });
        // The file's bytes wait until the picture has been looked at: PDF.js cannot draw
        // before, so what shows meanwhile is the server's picture alone.
        let release = () => {};
        const released = new Promise<void>((r) => release = r);
        await page.route(`**/documenti/${key}/file`, async (route) => {
          await released;
          await route.continue();
        });
        const audited = app.audits.length;
        await page.goto(`${app.url}/documenti/${key}`);
        const preview = page.locator("img.viewer-preview");
        await preview.waitFor();
        await page.waitForFunction(() => {
          const img = document.querySelector("img.viewer-preview");
          return img instanceof HTMLImageElement && img.complete && img.naturalWidth > 0;
        });
        const shown = await page.evaluate(() => {
          const img = document.querySelector("img.viewer-preview") as HTMLImageElement;
          const stage = document.querySelector(".viewer-stage")!;
          const canvas = document.querySelector("canvas.viewer-canvas") as HTMLCanvasElement;
          const draw = document.createElement("canvas");
          draw.width = img.naturalWidth;
          draw.height = img.naturalHeight;
          const ctx = draw.getContext("2d")!;
          ctx.drawImage(img, 0, 0);
          const at = (fy: number) =>
            Array.from(ctx.getImageData(620, Math.floor(img.naturalHeight * fy), 1, 1).data);
          const box = img.getBoundingClientRect();
          return {
            natural: [img.naturalWidth, img.naturalHeight],
            width: box.width,
            inView: box.top < innerHeight && box.bottom > 0,
            stage: stage.clientWidth,
            canvasHidden: canvas.hidden && canvas.getBoundingClientRect().width === 0,
            top: at(0.15),
            bottom: at(0.85),
            alt: img.alt,
          };
        });
        assert.deepEqual(shown.natural, [1240, 1754]);
        assert.ok(shown.inView, "painted inside the screen");
        assert.ok(shown.width >= 0.9 * (shown.stage - 20), `${shown.width} of ${shown.stage}`);
        assert.ok(shown.canvasHidden, "the canvas waits, hidden");
        assert.ok(closeTo(shown.top, [200, 30, 30]), `top ${shown.top}`);
        assert.ok(closeTo(shown.bottom, [30, 30, 220]), `bottom ${shown.bottom}`);
        assert.equal(shown.alt, "Pagina 1 di 4 di Scansione JPEG");
        await assertAccessible(page, "the scan's picture before PDF.js");

        release();
        await renderedPage(page, 1);
        await page.unroute(`**/documenti/${key}/file`);
        assert.equal(await preview.count(), 0, "the picture gave way to the canvas");
        const drawn = await page.evaluate(() => {
          const canvas = document.querySelector("canvas.viewer-canvas") as HTMLCanvasElement;
          const ctx = canvas.getContext("2d")!;
          const at = (fy: number) =>
            Array.from(
              ctx.getImageData(canvas.width >> 1, Math.floor(canvas.height * fy), 1, 1).data,
            );
          return { hidden: canvas.hidden, top: at(0.15), bottom: at(0.85) };
        });
        assert.equal(drawn.hidden, false);
        assert.ok(closeTo(drawn.top, [200, 30, 30]), `canvas top ${drawn.top}`);
        assert.ok(closeTo(drawn.bottom, [30, 30, 220]), `canvas bottom ${drawn.bottom}`);
        await page.getByText("Pagina 1 di 4").waitFor();
        // The picture was fetched by the page (Sec-Fetch-Dest: image): one audit, the viewer's.
        assert.deepEqual(app.audits.slice(audited).map((a) => a.via), ["viewer"]);

        // Pages still turn by key and by touch.
        await page.locator(".viewer-stage").focus();
        await page.keyboard.press("ArrowRight");
        await renderedPage(page, 2);
        await page.evaluate(() => {
          const stage = document.querySelector(".viewer-stage")!;
          const at = (type: string, x: number) =>
            stage.dispatchEvent(
              new PointerEvent(type, {
                pointerId: 9,
                pointerType: "touch",
                clientX: x,
                clientY: 400,
                bubbles: true,
              }),
            );
          at("pointerdown", 300);
          at("pointerup", 700);
        });
        await renderedPage(page, 1);
        await assertAccessible(page, "the JPEG scan after PDF.js");
      },
    );

    await t.step(
      "when the server is slow to find the picture, the page asks for it itself",
      async () => {
        // The same scan behind a store that answers each read 250 ms late: the server's
        // search (several reads) outlasts the page's wait, so the page goes out without the
        // picture's size and viewer_boot.js fetches it.
        const fast = docs.get("pratica/pe-1/5")!.source!;
        const slow = {
          ...fast,
          etag: `${fast.etag}-slow`,
          async open(start: number, end: number) {
            await new Promise((r) => setTimeout(r, 250));
            return await fast.open(start, end);
          },
        };
        const key = "pratica/pe-1/6";
        docs.set(key, { ...docs.get("pratica/pe-1/5")!, title: "Scansione lenta", source: slow });
        let release = () => {};
        const released = new Promise<void>((r) => release = r);
        await page.route(`**/documenti/${key}/file`, async (route) => {
          await released;
          await route.continue();
        });
        await page.goto(`${app.url}/documenti/${key}`);
        const root = page.locator(".doc-viewer");
        assert.equal(await root.getAttribute("data-preview-later"), `/documenti/${key}/anteprima`);
        const preview = page.locator("img.viewer-preview");
        await preview.waitFor();
        assert.equal(await preview.getAttribute("alt"), "Prima pagina di Scansione lenta");
        assert.equal(await page.locator("canvas.viewer-canvas").isHidden(), true);
        const width = await preview.evaluate((img) => img.getBoundingClientRect().width);
        assert.ok(width > 900, `shown ${width} px wide`);
        await assertAccessible(page, "the picture fetched by the page");
        release();
        await renderedPage(page, 1);
        await page.unroute(`**/documenti/${key}/file`);
        assert.equal(await preview.count(), 0);
        assert.equal(await page.locator("canvas.viewer-canvas").isVisible(), true);
        // A text PDF whose search is quick has no picture and no try.
        await page.goto(`${app.url}/documenti/pratica/pe-1/1`);
        await renderedPage(page, 1);
        assert.equal(await root.getAttribute("data-preview-later"), null);
        assert.equal(await page.locator("img.viewer-preview").count(), 0);
      },
    );

    assert.deepEqual(refused, [], "no CSP refusal or page error");
    assert.deepEqual(escaped, [], "no request left loopback");
  } finally {
    await browser.close();
    await Deno.remove(dir, { recursive: true });
  }
});
