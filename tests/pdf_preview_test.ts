/**
 * documents/pdf_preview.ts on real PDF files: a scan's page 1 is found as the very JPEG bytes
 * it holds, and every page a plain <img> would not show as PDF.js does has no preview.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  beginText,
  concatTransformationMatrix,
  degrees,
  drawObject,
  endText,
  PDFDict,
  PDFDocument,
  PDFName,
  PDFRawStream,
  PDFRef,
  popGraphicsState,
  pushGraphicsState,
  setFontAndSize,
  setTextRenderingMode,
  showText,
  StandardFonts,
  TextRenderingMode,
} from "pdf-lib";
import { fileByteSource } from "../documents/file_byte_source.ts";
import type { ByteSource } from "../documents/http_range.ts";
import { findPdfPreview, PdfPreviews, previewSource } from "../documents/pdf_preview.ts";
import { jpegMarkers, pagedPdf, scanPdf } from "./_document_fixtures.ts";

const A4 = [595, 842] as const;
// 1240×1754 pixels: an A4 page at 150 dpi, the page's shape.
const JPEG = jpegMarkers(1240, 1754);

async function sourceOf(bytes: Uint8Array): Promise<ByteSource> {
  const dir = await Deno.makeTempDir({ prefix: "faldone-preview-" });
  const path = join(dir, "file.pdf");
  await Deno.writeFile(path, bytes);
  return await fileByteSource(path, "application/pdf");
}

async function read(source: ByteSource): Promise<Uint8Array> {
  return new Uint8Array(
    await new Response(await source.open(0, source.bytes - 1)).arrayBuffer(),
  );
}

/** A one-page scan whose page 1 is built by `draw` (default: the JPEG over the whole page). */
async function onePage(
  draw: (page: ReturnType<PDFDocument["addPage"]>, doc: PDFDocument) => Promise<void> | void,
  options: { objectStreams?: boolean; jpeg?: Uint8Array } = {},
): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([...A4]);
  const image = await doc.embedJpg(options.jpeg ?? JPEG);
  page.node.setXObject(PDFName.of("Scan"), image.ref);
  await draw(page, doc);
  return await doc.save({ useObjectStreams: options.objectStreams ?? true });
}

const fullPage = (page: ReturnType<PDFDocument["addPage"]>) =>
  page.pushOperators(
    pushGraphicsState(),
    concatTransformationMatrix(A4[0], 0, 0, A4[1], 0, 0),
    drawObject("Scan"),
    popGraphicsState(),
  );

Deno.test("a scan's page 1 is the JPEG it holds, cut out of the file byte for byte", async () => {
  for (const objectStreams of [true, false]) {
    const pdf = await scanPdf(5, { kind: "jpeg", images: [JPEG, jpegMarkers(1240, 1754, 1)] });
    const plain = objectStreams
      ? pdf
      : await (await PDFDocument.load(pdf)).save({ useObjectStreams: false });
    const source = await sourceOf(plain);
    const preview = await findPdfPreview(source);
    assert.ok(preview, `object streams: ${objectStreams}`);
    assert.equal(preview.pages, 5);
    assert.equal(preview.width, 1240);
    assert.equal(preview.height, 1754);
    const image = previewSource(source, preview);
    assert.equal(image.mime, "image/jpeg");
    assert.deepEqual(await read(image), JPEG);
  }
});

Deno.test("a scan made searchable (invisible OCR text) still has its preview", async () => {
  const pdf = await onePage(async (page, doc) => {
    fullPage(page);
    const font = await doc.embedFont(StandardFonts.Helvetica);
    page.node.setFontDictionary(PDFName.of("F1"), font.ref);
    page.pushOperators(
      beginText(),
      setTextRenderingMode(TextRenderingMode.Invisible),
      setFontAndSize("F1", 12),
      showText(font.encodeText("Concessione edilizia (n. 12)")),
      endText(),
    );
  });
  assert.ok(await findPdfPreview(await sourceOf(pdf)));
});

Deno.test("pages a plain picture would not show as PDF.js does have no preview", async () => {
  // The same one-page file with nothing but the picture has one: each case below is one change.
  assert.ok(await findPdfPreview(await sourceOf(await onePage(fullPage))));
  const cases: [string, Promise<Uint8Array>][] = [
    ["a text and vector PDF", pagedPdf(2)],
    ["a scan of uncompressed pixels", scanPdf(2, { kind: "raw", width: 60, height: 85 })],
    [
      "visible text over the scan",
      onePage(async (page, doc) => {
        fullPage(page);
        page.drawText("Copia", {
          x: 40,
          y: 40,
          font: await doc.embedFont(StandardFonts.Helvetica),
        });
      }),
    ],
    [
      "a rectangle over the scan",
      onePage((page) => {
        fullPage(page);
        page.drawRectangle({ x: 10, y: 10, width: 50, height: 20 });
      }),
    ],
    [
      "a picture on part of the page",
      onePage((page) => {
        page.pushOperators(
          concatTransformationMatrix(300, 0, 0, 424, 0, 0),
          drawObject("Scan"),
        );
      }),
    ],
    [
      "the picture drawn twice",
      onePage((page) => {
        fullPage(page);
        fullPage(page);
      }),
    ],
    [
      "a rotated page",
      onePage((page) => {
        fullPage(page);
        page.setRotation(degrees(90));
      }),
    ],
    [
      "a picture of another shape than the page",
      onePage(fullPage, {
        jpeg: jpegMarkers(1754, 1240),
      }),
    ],
    ["a CMYK picture", onePage(fullPage, { jpeg: jpegMarkers(1240, 1754, 4) })],
    [
      "a picture with its own colour transform",
      onePage(fullPage).then(async (bytes) => {
        const doc = await PDFDocument.load(bytes);
        const xobjects = doc.getPage(0).node.Resources()!.lookup(PDFName.of("XObject"), PDFDict);
        const image = doc.context.lookup(
          xobjects.get(PDFName.of("Scan")) as PDFRef,
        ) as PDFRawStream;
        image.dict.set(PDFName.of("DecodeParms"), doc.context.obj({ ColorTransform: 0 }));
        return await doc.save();
      }),
    ],
    ["a file cut short", scanPdf(3, { kind: "jpeg", images: [JPEG] }).then((b) => b.slice(0, 900))],
    ["not a PDF", Promise.resolve(new TextEncoder().encode("%PDF-1.7\nnothing else"))],
  ];
  for (const [what, made] of cases) {
    assert.equal(await findPdfPreview(await sourceOf(await made)), undefined, what);
  }
});

Deno.test("previews are found once per file; a failed read is not remembered", async () => {
  const good = await sourceOf(await scanPdf(2, { kind: "jpeg", images: [JPEG] }));
  let reads = 0;
  let failing = true;
  const flaky: ByteSource = {
    ...good,
    open(start, end) {
      reads++;
      if (failing) throw new Error("disco non leggibile");
      return good.open(start, end);
    },
  };
  const previews = new PdfPreviews();
  await assert.rejects(previews.get(flaky), /disco non leggibile/);
  // The viewer page never fails on it: no preview this time.
  assert.equal(await previews.within(flaky, 1000), undefined);
  failing = false;
  const found = await previews.get(flaky);
  assert.ok(found);
  const after = reads;
  assert.equal(await previews.get(flaky), found);
  assert.equal(reads, after, "the second view reads nothing");
  // A text PDF's "no preview" is remembered too.
  const text = await sourceOf(await pagedPdf(1));
  assert.equal(await previews.get(text), undefined);
});
