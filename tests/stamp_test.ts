import assert from "node:assert/strict";
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, PDFRef } from "pdf-lib";
import { openFileStore } from "../documents/file_store.ts";
import { storeByteSource } from "../documents/store_byte_source.ts";
import {
  type ImagePages,
  type Stamp,
  StampCache,
  stampedPage,
  stampedWholeDocument,
  StampError,
  stampPageCount,
  stampText,
} from "../documents/stamp.ts";
import { tiffToPngPages } from "../documents/tiff_pages.ts";
import { UserFacingError } from "../domain/user_facing_error.ts";
import { bandedPng, noise, pagedPdf, scanPdf } from "./_document_fixtures.ts";
import { memorySource, readWithPdfJs } from "./_stamp_fixtures.ts";
import { writeTiff } from "./_tiff_writer.ts";
import { launchChromium } from "./e2e/_browser.ts";

const FULL_CF = "RSSMRA80A01H501U";
const MASKED_CF = "RSS•••••••••501U";
// 23:30 UTC on 3 March is already 4 March in Rome.
const STAMP: Stamp = {
  receiptCode: "K2AB-CD7E",
  taxCode: FULL_CF,
  at: new Date("2026-03-03T23:30:00Z"),
};
const TEXT = `Copia per consultazione — richiesta K2AB-CD7E — ${MASKED_CF} — 04/03/2026`;

/** The stamp is on the page twice: the band and the diagonal watermark. */
function assertStamped(text: string[], what: string) {
  const stamps = text.filter((t) => t === TEXT).length;
  assert.equal(stamps, 2, `${what}: stamp text twice, got ${JSON.stringify(text)}`);
}

/** The full codice fiscale appears nowhere: not as text, not in the bytes, not in hex. */
function assertNoFullTaxCode(bytes: Uint8Array, text: string[]) {
  assert.ok(!text.join(" ").includes(FULL_CF));
  const raw = new TextDecoder("latin1").decode(bytes);
  assert.ok(!raw.includes(FULL_CF));
  const hex = Array.from(new TextEncoder().encode(FULL_CF), (b) => b.toString(16).padStart(2, "0"))
    .join("");
  assert.ok(!raw.toLowerCase().includes(hex));
}

Deno.test("the stamp text says copy, request, masked codice fiscale and the day in Rome", () => {
  assert.equal(stampText(STAMP), TEXT);
  assert.equal(
    stampText({ ...STAMP, at: new Date("2026-07-10T08:00:00Z"), taxCode: "12345678903" }),
    "Copia per consultazione — richiesta K2AB-CD7E — 12••••••903 — 10/07/2026",
  );
});

for (const objectStreams of [true, false]) {
  const xref = objectStreams ? "an xref stream with object streams" : "a classic xref table";
  Deno.test(`every page of a PDF with ${xref} comes stamped with its own content`, async () => {
    const doc = await PDFDocument.load(await pagedPdf(4));
    const pdf = await doc.save({ useObjectStreams: objectStreams });
    const source = memorySource(pdf, "application/pdf");
    const cache = new StampCache();
    const stampable = { mime: "application/pdf" as const, source };
    assert.equal(await stampPageCount(stampable, cache), 4);
    for (let i = 0; i < 4; i++) {
      const bytes = await stampedPage(stampable, i, STAMP, cache);
      const [page, ...more] = await readWithPdfJs(bytes);
      assert.equal(more.length, 0, "one page per answer");
      assert.ok(page!.text.includes(`Pagina ${i + 1}`), `page ${i + 1}: ${page!.text}`);
      assert.ok(!page!.text.some((t) => /^Pagina \d/.test(t) && t !== `Pagina ${i + 1}`));
      assertStamped(page!.text, `page ${i + 1}`);
      assertNoFullTaxCode(bytes, page!.text);
      assert.deepEqual(page!.view, [0, 0, 595, 842]);
    }
  });
}

Deno.test("the first page of a large scan reads a small part of the file", async () => {
  // 40 pages of 120 KB raw images: ~4.8 MB, each page its own object.
  const pdf = await scanPdf(40, { kind: "raw", width: 200, height: 200 });
  const source = memorySource(pdf, "application/pdf");
  const cache = new StampCache();
  const first = await stampedPage({ mime: "application/pdf", source }, 0, STAMP, cache);
  const [page] = await readWithPdfJs(first);
  assert.equal(page!.images.length, 1);
  assert.equal(page!.images[0]!.width, 200);
  assertStamped(page!.text, "scan page 1");
  assert.ok(source.read < pdf.length / 10, `read ${source.read} of ${pdf.length} bytes`);
  // The last page too, without reading what lies between.
  const before = source.read;
  await stampedPage({ mime: "application/pdf", source }, 39, STAMP, cache);
  assert.ok(source.read - before < pdf.length / 10);
});

Deno.test("pages are served from an encrypted file store", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const store = await openFileStore(`${dir}/files`, {
      key: "chiave-di-prova-lunga-32-caratteri",
    });
    const pdf = await pagedPdf(3);
    const put = await store.put(ReadableStream.from([pdf]));
    const source = storeByteSource(store, { ...put, mime: "application/pdf" });
    const bytes = await stampedPage(
      { mime: "application/pdf", source },
      2,
      STAMP,
      new StampCache(),
    );
    const [page] = await readWithPdfJs(bytes);
    assert.ok(page!.text.includes("Pagina 3"));
    assertStamped(page!.text, "stored page 3");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a rotated page keeps its rotation and its stamp", async () => {
  const doc = await PDFDocument.load(await pagedPdf(2));
  doc.getPage(1).node.set(PDFName.of("Rotate"), PDFNumber.of(90));
  const source = memorySource(await doc.save(), "application/pdf");
  const bytes = await stampedPage({ mime: "application/pdf", source }, 1, STAMP, new StampCache());
  const [page] = await readWithPdfJs(bytes);
  assert.equal(page!.rotate, 90);
  assert.ok(page!.text.includes("Pagina 2"));
  assertStamped(page!.text, "rotated page");
});

Deno.test("a PNG becomes a stamped one-page PDF whose picture decodes as it was", async () => {
  const png = await bandedPng(30, 20, [200, 40, 40]);
  const source = memorySource(png, "image/png");
  const cache = new StampCache();
  assert.equal(await stampPageCount({ mime: "image/png", source }, cache), 1);
  const bytes = await stampedPage({ mime: "image/png", source }, 0, STAMP, cache);
  const [page] = await readWithPdfJs(bytes);
  assertStamped(page!.text, "png");
  assertNoFullTaxCode(bytes, page!.text);
  const image = page!.images[0]!;
  assert.equal(image.width, 30);
  assert.equal(image.height, 20);
  // Row 0 is the colour, row 10 the black band (pixels as PDF.js decoded them, RGB or RGBA).
  const channels = image.data.length / (30 * 20);
  assert.deepEqual([...image.data.subarray(0, 3)], [200, 40, 40]);
  const band = 10 * 30 * channels;
  assert.deepEqual([...image.data.subarray(band, band + 3)], [0, 0, 0]);
  // Short side 595 pt: a landscape picture makes a landscape page.
  assert.deepEqual(page!.view.map(Math.round), [0, 0, 893, 595]);
});

Deno.test("a JPEG is embedded as it is, under the stamp", async () => {
  const browser = await launchChromium();
  let jpeg: Uint8Array;
  try {
    const tab = await browser.newPage();
    jpeg = Uint8Array.from(
      await tab.evaluate(async () => {
        const canvas = document.createElement("canvas");
        canvas.width = 40;
        canvas.height = 60;
        const ctx = canvas.getContext("2d")!;
        ctx.fillStyle = "#2050c0";
        ctx.fillRect(0, 0, 40, 60);
        const blob = await new Promise<Blob | null>((r) => canvas.toBlob(r, "image/jpeg", 0.9));
        return Array.from(new Uint8Array(await blob!.arrayBuffer()));
      }),
    );
  } finally {
    await browser.close();
  }
  const source = memorySource(jpeg, "image/jpeg");
  const bytes = await stampedPage({ mime: "image/jpeg", source }, 0, STAMP, new StampCache());
  const [page] = await readWithPdfJs(bytes);
  assertStamped(page!.text, "jpeg");
  assert.equal(page!.images[0]!.width, 40);
  assert.equal(page!.images[0]!.height, 60);
  // DCT data copied, not re-encoded.
  const raw = new TextDecoder("latin1").decode(bytes);
  assert.ok(raw.includes(new TextDecoder("latin1").decode(jpeg)));
});

/** The PNG pages of a TIFF as the viewer's page cache gives them. */
function tiffPages(tiff: Uint8Array): ImagePages {
  const pngs = tiffToPngPages(tiff).map((p) => memorySource(p.png, "image/png"));
  return {
    count: pngs.length,
    page: (n) => Promise.resolve(pngs[n - 1]),
  };
}

function twoPageTiff(): Uint8Array {
  const grey = new Uint8Array(16 * 8).map((_, i) => (i % 16 < 8 ? 0 : 255));
  const rgb = new Uint8Array(5 * 4 * 3).fill(0).map((_, i) => (i % 3 === 1 ? 180 : 20));
  return writeTiff([
    { width: 16, height: 8, bitsPerSample: [8], photometric: 1, data: grey },
    { width: 5, height: 4, bitsPerSample: [8, 8, 8], photometric: 2, data: rgb },
  ]);
}

Deno.test("TIFF pages come stamped, each with its own picture", async () => {
  const pages = tiffPages(twoPageTiff());
  const cache = new StampCache();
  const tiff = { mime: "image/tiff" as const, pages };
  assert.equal(await stampPageCount(tiff, cache), 2);
  const first = await readWithPdfJs(await stampedPage(tiff, 0, STAMP, cache));
  assertStamped(first[0]!.text, "tiff page 1");
  assert.equal(first[0]!.images[0]!.width, 16);
  const second = await readWithPdfJs(await stampedPage(tiff, 1, STAMP, cache));
  assertStamped(second[0]!.text, "tiff page 2");
  const image = second[0]!.images[0]!;
  assert.equal(image.width, 5);
  assert.deepEqual([...image.data.subarray(0, 3)], [20, 180, 20]);
});

Deno.test("a bilevel TIFF page (1-bit PNG) decodes black and white the right way round", async () => {
  // 16×2: left half black, right half white; PhotometricInterpretation 1 (BlackIsZero).
  const data = new Uint8Array([0x00, 0xff, 0x00, 0xff]);
  const tiff = writeTiff([{ width: 16, height: 2, bitsPerSample: [1], photometric: 1, data }]);
  const seen = await readWithPdfJs(
    await stampedPage({ mime: "image/tiff", pages: tiffPages(tiff) }, 0, STAMP, new StampCache()),
  );
  const image = seen[0]!.images[0]!;
  assert.equal(image.width, 16);
  // PDF.js keeps a 1-bit grey image packed (kind 1, GRAYSCALE_1BPP): 8 pixels a byte, 1 white.
  assert.equal(image.kind, 1);
  assert.deepEqual([...image.data], [0x00, 0xff, 0x00, 0xff]);
});

Deno.test("the whole document in copy mode has every page stamped, its length told first", async () => {
  const pdf = await pagedPdf(5);
  const cache = new StampCache();
  const whole = await stampedWholeDocument(
    { mime: "application/pdf", source: memorySource(pdf, "application/pdf") },
    STAMP,
    cache,
  );
  const bytes = new Uint8Array(await new Response(whole.stream).arrayBuffer());
  assert.equal(bytes.length, whole.bytes);
  const pages = await readWithPdfJs(bytes);
  assert.equal(pages.length, 5);
  pages.forEach((page, i) => {
    assert.ok(page.text.includes(`Pagina ${i + 1}`));
    assertStamped(page.text, `copy page ${i + 1}`);
  });
  assertNoFullTaxCode(bytes, pages.flatMap((p) => p.text));
  // The parse it used is shared: single pages served afterwards carry one stamp, not two.
  const source = memorySource(pdf, "application/pdf");
  cache.giveUpLazy(source); // force the whole-file parse path
  const again = await readWithPdfJs(
    await stampedPage({ mime: "application/pdf", source }, 0, STAMP, cache),
  );
  assertStamped(again[0]!.text, "page after copy");

  const tiff = await stampedWholeDocument(
    { mime: "image/tiff", pages: tiffPages(twoPageTiff()) },
    STAMP,
    cache,
  );
  const tiffPdf = await readWithPdfJs(
    new Uint8Array(await new Response(tiff.stream).arrayBuffer()),
  );
  assert.equal(tiffPdf.length, 2);
  tiffPdf.forEach((page) => assertStamped(page.text, "tiff copy"));
});

async function refusal(promise: Promise<unknown>): Promise<StampError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof StampError, `a StampError, got ${err}`);
    assert.ok(err instanceof UserFacingError);
    return err;
  }
  assert.fail("expected a refusal");
}

Deno.test("a page out of range is a 404 in Italian, for every kind", async () => {
  const cache = new StampCache();
  const pdf = {
    mime: "application/pdf" as const,
    source: memorySource(await pagedPdf(4), "application/pdf"),
  };
  for (const index of [4, 99, -1, 1.5]) {
    const err = await refusal(stampedPage(pdf, index, STAMP, cache));
    assert.equal(err.reason, "page");
    assert.equal(err.status, 404);
    assert.match(err.message, /^La pagina .* non esiste: il documento ha 4 pagine\.$/);
  }
  assert.equal(
    (await refusal(stampedPage(pdf, 4, STAMP, cache))).message,
    "La pagina 5 non esiste: il documento ha 4 pagine.",
  );
  const png = {
    mime: "image/png" as const,
    source: memorySource(await bandedPng(4, 4, [1, 2, 3]), "image/png"),
  };
  assert.equal(
    (await refusal(stampedPage(png, 1, STAMP, cache))).message,
    "La pagina 2 non esiste: il documento ha 1 pagina.",
  );
  const tiff = { mime: "image/tiff" as const, pages: tiffPages(twoPageTiff()) };
  assert.equal((await refusal(stampedPage(tiff, 2, STAMP, cache))).status, 404);
});

Deno.test("a damaged or encrypted file is a clear refusal, never a crash", async () => {
  const cache = new StampCache();
  const pdf = (bytes: Uint8Array) => ({
    mime: "application/pdf" as const,
    source: memorySource(bytes, "application/pdf"),
  });
  const header = new TextEncoder().encode("%PDF-1.7\n");
  for (
    const [what, bytes] of [
      ["noise", noise(4096, 7)],
      ["empty", new Uint8Array()],
      ["header then noise", new Uint8Array([...header, ...noise(4096, 9)])],
    ] as const
  ) {
    const err = await refusal(stampedPage(pdf(bytes), 0, STAMP, cache));
    assert.equal(err.reason, "unreadable", what);
    assert.equal(err.status, 422);
    assert.equal(err.message, "Il PDF non si apre: è danneggiato o incompleto.");
    await refusal(stampPageCount(pdf(bytes), cache));
    await refusal(stampedWholeDocument(pdf(bytes), STAMP, cache));
  }
  const png = { mime: "image/png" as const, source: memorySource(noise(500, 3), "image/png") };
  assert.equal((await refusal(stampedPage(png, 0, STAMP, cache))).reason, "unreadable");

  const locked = await PDFDocument.load(await pagedPdf(1));
  locked.context.trailerInfo.Encrypt = locked.context.register(
    locked.context.obj({ Filter: "Standard" }),
  );
  for (const objectStreams of [true, false]) {
    const bytes = await locked.save({ useObjectStreams: objectStreams });
    const err = await refusal(stampedPage(pdf(bytes), 0, STAMP, new StampCache()));
    assert.equal(err.reason, "encrypted");
    assert.match(err.message, /cifratura/);
  }
});

Deno.test("a PDF whose cross-reference offsets are wrong is still served, by the whole parse", async () => {
  const good = await (await PDFDocument.load(await pagedPdf(3))).save({ useObjectStreams: false });
  // Junk before the header shifts every object away from where the xref table says it is.
  const shifted = new Uint8Array([...new TextEncoder().encode("junk line\n"), ...good]);
  const bytes = await stampedPage(
    { mime: "application/pdf", source: memorySource(shifted, "application/pdf") },
    1,
    STAMP,
    new StampCache(),
  );
  const [page] = await readWithPdfJs(bytes);
  assert.ok(page!.text.includes("Pagina 2"));
  assertStamped(page!.text, "repaired");
});

Deno.test("a nested page tree with inherited box and resources gives the right page", async () => {
  // Five pages under two intermediate nodes (2 + 3); the second node carries the MediaBox and
  // Resources its pages inherit.
  const doc = await PDFDocument.load(await pagedPdf(5));
  const context = doc.context;
  const leaves = doc.getPages().map((p) => ({ ref: p.ref, node: p.node }));
  const rootRef = doc.catalog.get(PDFName.of("Pages")) as PDFRef;
  const nodeA = context.nextRef();
  const nodeB = context.nextRef();
  const sharedResources = leaves[2]!.node.get(PDFName.of("Resources"))!;
  context.assign(
    nodeA,
    context.obj({
      Type: "Pages",
      Parent: rootRef,
      Count: 2,
      Kids: [leaves[0]!.ref, leaves[1]!.ref],
    }),
  );
  context.assign(
    nodeB,
    context.obj({
      Type: "Pages",
      Parent: rootRef,
      Count: 3,
      Kids: leaves.slice(2).map((l) => l.ref),
      MediaBox: [0, 0, 595, 842],
      Resources: sharedResources,
    }),
  );
  leaves.forEach((leaf, i) => {
    leaf.node.set(PDFName.of("Parent"), i < 2 ? nodeA : nodeB);
    if (i >= 2) {
      leaf.node.delete(PDFName.of("MediaBox"));
      leaf.node.delete(PDFName.of("Resources"));
    }
  });
  const root = context.lookup(rootRef) as PDFDict;
  root.set(PDFName.of("Kids"), context.obj([nodeA, nodeB]));
  for (const objectStreams of [false, true]) {
    const bytes = await doc.save({ useObjectStreams: objectStreams });
    const source = memorySource(bytes, "application/pdf");
    const cache = new StampCache();
    const stampable = { mime: "application/pdf" as const, source };
    assert.equal(await stampPageCount(stampable, cache), 5);
    for (const index of [0, 1, 3, 4]) {
      const [page] = await readWithPdfJs(await stampedPage(stampable, index, STAMP, cache));
      assert.ok(page!.text.includes(`Pagina ${index + 1}`), `${index}: ${page!.text}`);
      assertStamped(page!.text, `nested page ${index + 1}`);
      assert.deepEqual(page!.view, [0, 0, 595, 842]);
    }
    // Served by the lazy reader, not by a fallback to the whole parse.
    const index = await cache.index(source);
    assert.ok(index, "the lazy reader took the file");
  }
});

Deno.test("an incremental update replaces a page's content: the newest section wins", async () => {
  const base = await (await PDFDocument.load(await pagedPdf(2))).save({ useObjectStreams: false });
  const original = await PDFDocument.load(base);
  // pdf-lib writes a page's content as an array of one stream.
  const contents = original.getPage(0).node.get(PDFName.of("Contents"));
  assert.ok(contents instanceof PDFArray && contents.size() === 1);
  const contentsRef = contents.get(0);
  assert.ok(contentsRef instanceof PDFRef);
  const text = new TextDecoder("latin1").decode(base);
  const oldXref = Number(/startxref\s+(\d+)/.exec(text.slice(-64))![1]);
  const size = original.context.largestObjectNumber + 1;
  const rootRef = original.context.trailerInfo.Root as PDFRef;
  const font = original.getPage(0).node.Resources()!.lookup(PDFName.of("Font"), PDFDict);
  const fontName = font.keys()[0]!.toString();
  const stream = `BT ${fontName} 30 Tf 60 700 Td (Pagina riveduta) Tj ET`;
  const object = `${contentsRef.objectNumber} 0 obj\n<< /Length ${stream.length} >>\nstream\n` +
    `${stream}\nendstream\nendobj\n`;
  const objectAt = base.length;
  const xrefAt = objectAt + object.length;
  const update = object +
    `xref\n${contentsRef.objectNumber} 1\n${String(objectAt).padStart(10, "0")} 00000 n\r\n` +
    `trailer\n<< /Size ${size} /Root ${rootRef} /Prev ${oldXref} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  const updated = new Uint8Array([...base, ...new TextEncoder().encode(update)]);
  const cache = new StampCache();
  const source = memorySource(updated, "application/pdf");
  const [first] = await readWithPdfJs(
    await stampedPage({ mime: "application/pdf", source }, 0, STAMP, cache),
  );
  assert.ok(first!.text.includes("Pagina riveduta"), first!.text.join("|"));
  assert.ok(!first!.text.includes("Pagina 1"));
  const [second] = await readWithPdfJs(
    await stampedPage({ mime: "application/pdf", source }, 1, STAMP, cache),
  );
  assert.ok(second!.text.includes("Pagina 2"));
  assert.ok(await cache.index(source), "the lazy reader took the file");
});

Deno.test("stamps beyond the limit wait their turn, first come first served", async () => {
  const cache = new StampCache({ maxConcurrent: 2 });
  const started: number[] = [];
  const gates = Array.from({ length: 5 }, () => Promise.withResolvers<void>());
  let running = 0;
  let most = 0;
  const jobs = gates.map((gate, i) =>
    cache.inTurn(async () => {
      started.push(i);
      most = Math.max(most, ++running);
      await gate.promise;
      running--;
      return i;
    })
  );
  await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(started, [0, 1]);
  gates[1]!.resolve();
  await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(started, [0, 1, 2]);
  gates.forEach((g) => g.resolve());
  assert.deepEqual(await Promise.all(jobs), [0, 1, 2, 3, 4]);
  assert.deepEqual(started, [0, 1, 2, 3, 4]);
  assert.equal(most, 2);
  // A job that fails frees its place too.
  await assert.rejects(cache.inTurn(() => Promise.reject(new Error("x"))));
  assert.equal(await cache.inTurn(() => Promise.resolve("next")), "next");
});

Deno.test("an xref entry pointing at another object sends the file to the whole parse", async () => {
  const good = await (await PDFDocument.load(await pagedPdf(2))).save({ useObjectStreams: false });
  // Swap the entries of objects 1 and 2 in the table (20 bytes each): each points at the
  // other. windows-1252 ("latin1" to TextDecoder) is one byte a character, so text indices are
  // byte offsets.
  const text = new TextDecoder("latin1").decode(good);
  const first = text.indexOf("\n", text.indexOf("\n", text.lastIndexOf("\nxref") + 1) + 1) + 1;
  const entry1 = first + 20;
  const broken = good.slice();
  broken.set(good.subarray(entry1 + 20, entry1 + 40), entry1);
  broken.set(good.subarray(entry1, entry1 + 20), entry1 + 20);
  assert.match(text.slice(first, first + 20), /^0000000000 65535 f/);
  assert.notDeepEqual(broken, good);
  const source = memorySource(broken, "application/pdf");
  const cache = new StampCache();
  const [page] = await readWithPdfJs(
    await stampedPage({ mime: "application/pdf", source }, 1, STAMP, cache),
  );
  assert.ok(page!.text.includes("Pagina 2"));
  assertStamped(page!.text, "after fallback");
  assert.equal(await cache.index(source), undefined, "the lazy reader gave the file up");
});
