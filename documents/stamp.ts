/**
 * Stamped pages for consultation under a grant (issue 11): every page a grant holder sees is
 * a one-page PDF made on the server, carrying "Copia per consultazione — richiesta XXXX-XXXX —
 * <codice fiscale mascherato> — <data>" as a band along the bottom and a light diagonal
 * watermark (documents/stamp_marks.ts). PDFs, JPEG/PNG images and TIFF pages (as the PNGs of
 * the TIFF page cache) all come out as PDF, so one viewer (PDF.js) shows every kind.
 *
 * A PDF page is read lazily (documents/lazy_pdf.ts: the xref, then only the objects that page
 * uses), copied into a new document and stamped there; a file the lazy reader does not take
 * falls back to a whole-file parse kept for the next pages (documents/parsed_pdfs.ts), which is
 * also what the whole stamped copy streams from. Shared parses are never changed.
 * Figures and the reasons: docs/DOCUMENTS.md, "Stamped pages".
 */
import {
  concatTransformationMatrix,
  drawObject,
  PDFDocument,
  PDFName,
  type PDFObject,
  PDFObjectCopier,
  PDFPage,
  PDFPageLeaf,
  PDFRef,
  popGraphicsState,
  pushGraphicsState,
} from "pdf-lib";
import { maskTaxCode } from "../domain/codice_fiscale.ts";
import { UserFacingError } from "../domain/user_facing_error.ts";
import type { ByteSource } from "./http_range.ts";
import { FileStoreError } from "./file_store.ts";
import { LazyPdf, LazyPdfError, type PdfIndex } from "./lazy_pdf.ts";
import { type ParsedPdfs, PdfParseError, readWhole } from "./parsed_pdfs.ts";
import type { StampCache } from "./stamp_cache.ts";
import { streamPdf } from "./pdf_stream_writer.ts";
import { pngAsPdfImage } from "./png_image.ts";
import {
  stampedPageDict,
  type StampGlyphs,
  stampGlyphs,
  stampResourceObjects,
  stampStream,
} from "./stamp_marks.ts";

/** Who consults, under which request, on which day. */
export interface Stamp {
  /** The request's receipt code, `XXXX-XXXX`. */
  receiptCode: string;
  /** The holder's codice fiscale in full: only its masked form is ever written. */
  taxCode: string;
  /** When the page is served. */
  at: Date;
  /** The Comune's zone, for the day printed (default Europe/Rome). */
  timeZone?: string;
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** `04/12/2026`; a formatter is costly to make (~1 ms), so one per zone is kept. */
function dayFormat(timeZone: string): Intl.DateTimeFormat {
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("it-IT", {
      timeZone,
      day: "2-digit",
      month: "2-digit",
      year: "numeric",
    });
    dayFormats.set(timeZone, format);
  }
  return format;
}

/** The text on every page, e.g. `Copia per consultazione — richiesta K2AB-CD7E — RSS•••…562S — 04/12/2026`. */
export function stampText(stamp: Stamp): string {
  const day = dayFormat(stamp.timeZone ?? "Europe/Rome").format(stamp.at);
  return `Copia per consultazione — richiesta ${stamp.receiptCode} — ${
    maskTaxCode(stamp.taxCode)
  } — ${day}`;
}

/** Why a stamped page cannot be given. */
export type StampFailure = "page" | "unreadable" | "encrypted";

/** A page or document that cannot be served stamped; the message is for the user, in Italian. */
export class StampError extends UserFacingError {
  constructor(readonly reason: StampFailure, message: string) {
    super(message, { status: reason === "page" ? 404 : 422 });
    this.name = "StampError";
  }
}

/**
 * The pages of a converted TIFF, as the viewer already has them (`PageImages` of
 * routes/documents.tsx): `page(n)` is 1-based and gives the stored PNG, or undefined.
 */
export interface ImagePages {
  count: number;
  page(n: number): Promise<ByteSource | undefined>;
}

/** A document to stamp: a PDF, a single image, or the PNG pages of a TIFF. */
export type StampableDocument =
  | { mime: "application/pdf"; source: ByteSource }
  | { mime: "image/jpeg" | "image/png"; source: ByteSource }
  | { mime: "image/tiff"; pages: ImagePages };

/** A stamped PDF to send: its length and its bytes as a stream. */
export interface StampedPdf {
  bytes: number;
  stream: ReadableStream<Uint8Array>;
}

async function parsed(pdfs: ParsedPdfs, source: ByteSource): Promise<PDFDocument> {
  try {
    return await pdfs.get(source);
  } catch (err) {
    if (!(err instanceof PdfParseError)) throw err;
    throw err.reason === "encrypted"
      ? encryptedError()
      : new StampError("unreadable", "Il PDF non si apre: è danneggiato o incompleto.");
  }
}

function encryptedError(): StampError {
  return new StampError(
    "encrypted",
    "Il PDF è protetto da cifratura: non si può mostrare con il timbro di consultazione.",
  );
}

function outOfRange(pageIndex: number, count: number): StampError {
  const asked = Number.isInteger(pageIndex) ? String(pageIndex + 1) : String(pageIndex);
  return new StampError(
    "page",
    `La pagina ${asked} non esiste: il documento ha ${count} ${count === 1 ? "pagina" : "pagine"}.`,
  );
}

function checkIndex(pageIndex: number, count: number): void {
  if (!Number.isInteger(pageIndex) || pageIndex < 0 || pageIndex >= count) {
    throw outOfRange(pageIndex, count);
  }
}

/** How many pages the viewer can ask for (a PDF is parsed, and kept for its pages). */
export async function stampPageCount(
  doc: StampableDocument,
  cache: StampCache,
): Promise<number> {
  switch (doc.mime) {
    case "application/pdf": {
      const index = await cache.index(doc.source);
      if (index) {
        const count = await lazily(cache, doc.source, () => lazyCount(index));
        if (count !== undefined) return count;
      }
      return (await parsed(cache.parsed, doc.source)).getPageCount();
    }
    case "image/tiff":
      return doc.pages.count;
    default:
      return 1;
  }
}

async function glyphsOf(stamp: Stamp): Promise<StampGlyphs> {
  try {
    return await stampGlyphs(stampText(stamp));
  } catch {
    // A character WinAnsi lacks can only come from a malformed receipt code.
    throw new StampError("unreadable", "Il codice della richiesta contiene caratteri non validi.");
  }
}

/** Adds the stamp to `page` of `out` (a document of our own, so changing it is safe). */
function stampInPlace(out: PDFDocument, page: PDFPage, glyphs: StampGlyphs): void {
  const context = out.context;
  const { refs, objects } = stampResourceObjects(context, () => context.nextRef());
  for (const [ref, object] of objects) context.assign(ref, object);
  const stream = context.register(stampStream(context, page.node, glyphs));
  context.assign(page.ref, stampedPageDict(page.node, refs, stream));
}

async function save(out: PDFDocument): Promise<Uint8Array> {
  return await out.save({ useObjectStreams: false, objectsPerTick: Infinity });
}

/** A new page of `out` showing the image `bytes` (JPEG or PNG) over the whole page. */
async function addImagePage(out: PDFDocument, bytes: Uint8Array, mime: string): Promise<PDFPage> {
  let image: { ref: PDFRef; width: number; height: number };
  try {
    const direct = mime === "image/png" ? pngAsPdfImage(out.context, bytes) : undefined;
    if (direct) {
      image = { ...direct, ref: out.context.register(direct.stream) };
    } else {
      const embedded = mime === "image/png" ? await out.embedPng(bytes) : await out.embedJpg(bytes);
      image = { ref: embedded.ref, width: embedded.width, height: embedded.height };
    }
  } catch {
    throw new StampError("unreadable", "L'immagine non si apre: è danneggiata o incompleta.");
  }
  if (image.width < 1 || image.height < 1) {
    throw new StampError("unreadable", "L'immagine non si apre: è danneggiata o incompleta.");
  }
  // The short side is 595 pt (A4's width): an A4 scan comes out A4 whatever its dpi.
  const scale = 595 / Math.min(image.width, image.height);
  const width = image.width * scale;
  const height = image.height * scale;
  const page = out.addPage([width, height]);
  page.node.setXObject(PDFName.of("FaldoneScan"), image.ref);
  page.pushOperators(
    pushGraphicsState(),
    concatTransformationMatrix(width, 0, 0, height, 0, 0),
    drawObject("FaldoneScan"),
    popGraphicsState(),
  );
  return page;
}

/**
 * The PNG of page `pageIndex` (0-based) of a converted TIFF; a StampError when there is no such
 * page or it does not convert. The stamping workers get the page this way, on the server.
 */
export async function tiffPageImage(pages: ImagePages, pageIndex: number): Promise<ByteSource> {
  checkIndex(pageIndex, pages.count);
  let source: ByteSource | undefined;
  try {
    source = await pages.page(pageIndex + 1);
  } catch (err) {
    if (err instanceof UserFacingError) throw err;
    const reason = err instanceof Error ? `: ${err.message}` : "";
    throw new StampError("unreadable", `Pagina ${pageIndex + 1} non disponibile${reason}`);
  }
  if (!source) throw outOfRange(pageIndex, pages.count);
  return source;
}

async function imageBytes(doc: StampableDocument, pageIndex: number) {
  if (doc.mime === "image/tiff") {
    const source = await tiffPageImage(doc.pages, pageIndex);
    return { bytes: await readWhole(source), mime: "image/png" };
  }
  if (doc.mime === "application/pdf") throw new Error("not an image");
  checkIndex(pageIndex, 1);
  return { bytes: await readWhole(doc.source), mime: doc.mime };
}

/**
 * Runs a lazy read; undefined (and the file marked for the whole parse) when the lazy reader
 * does not take the file. The user's errors (no such page) and the store's pass through.
 */
async function lazily<T>(
  cache: StampCache,
  source: ByteSource,
  read: () => Promise<T>,
): Promise<T | undefined> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof UserFacingError || err instanceof FileStoreError) throw err;
    // LazyPdfError, or pdf-lib refusing an object the index pointed at: the whole-file parse
    // scans the file and may repair what the index got wrong.
    cache.giveUpLazy(source);
    return undefined;
  }
}

async function lazyCount(index: PdfIndex): Promise<number> {
  if (index.encrypted) throw encryptedError();
  return await new LazyPdf(index).pageCount();
}

/** Inherited attributes a page copied alone must carry itself. */
const INHERITED = ["Resources", "MediaBox", "CropBox", "Rotate"].map((k) => PDFName.of(k));
/**
 * Entries left out of a page copied alone: its parent (another tree), annotations (they point
 * back into the original document, and a consultation copy has no use for links or forms),
 * article beads and the structure tree's back-reference.
 */
const DROPPED = ["Parent", "Annots", "B", "StructParents"].map((k) => PDFName.of(k));

/** One stamped page read through the file's index: only the objects it uses are read. */
async function lazyPage(
  index: PdfIndex,
  pageIndex: number,
  glyphs: StampGlyphs,
): Promise<Uint8Array> {
  if (index.encrypted) throw encryptedError();
  const pdf = new LazyPdf(index);
  checkIndex(pageIndex, await pdf.pageCount());
  const { leaf } = await pdf.pageLeaf(pageIndex);
  const page = leaf.clone(pdf.context);
  for (const name of INHERITED) {
    const value = leaf.getInheritableAttribute(name);
    if (value !== undefined) page.set(name, value);
  }
  for (const name of DROPPED) page.delete(name);
  await pdf.loadReachable(page, new Set());
  const out = await PDFDocument.create({ updateMetadata: false });
  const copied = PDFObjectCopier.for(pdf.context, out.context).copy(page);
  if (!(copied instanceof PDFPageLeaf)) throw new LazyPdfError("page did not copy");
  const outPage = PDFPage.of(copied, out.context.register(copied), out);
  out.addPage(outPage);
  stampInPlace(out, outPage, glyphs);
  return await save(out);
}

/**
 * Page `pageIndex` (0-based) of `doc` as a one-page PDF with the stamp. Throws StampError
 * (a 404 for a page that does not exist, a 422 for a file that does not open), never a bare
 * pdf-lib error.
 */
export async function stampedPage(
  doc: StampableDocument,
  pageIndex: number,
  stamp: Stamp,
  cache: StampCache,
): Promise<Uint8Array> {
  return await cache.inTurn(() => stampPage(doc, pageIndex, stamp, cache));
}

async function stampPage(
  doc: StampableDocument,
  pageIndex: number,
  stamp: Stamp,
  cache: StampCache,
): Promise<Uint8Array> {
  const glyphs = await glyphsOf(stamp);
  if (doc.mime === "application/pdf") {
    const index = await cache.index(doc.source);
    if (index) {
      const page = await lazily(cache, doc.source, () => lazyPage(index, pageIndex, glyphs));
      if (page) return page;
    }
  }
  const out = await PDFDocument.create({ updateMetadata: false });
  if (doc.mime === "application/pdf") {
    const source = await parsed(cache.parsed, doc.source);
    checkIndex(pageIndex, source.getPageCount());
    let page: PDFPage;
    try {
      [page] = await out.copyPages(source, [pageIndex]) as [PDFPage];
    } catch {
      throw new StampError(
        "unreadable",
        `La pagina ${pageIndex + 1} del PDF non si apre: è danneggiata.`,
      );
    }
    out.addPage(page);
    stampInPlace(out, page, glyphs);
    return await save(out);
  }
  const image = await imageBytes(doc, pageIndex);
  const page = await addImagePage(out, image.bytes, image.mime);
  stampInPlace(out, page, glyphs);
  return await save(out);
}

/**
 * The whole document stamped, for a grant in copy mode. A PDF is streamed from its shared
 * parse: every object as it is, each page dict replaced by a stamped copy, the stamp's own
 * objects after (documents/pdf_stream_writer.ts), so the only memory beyond the parse is one
 * batch of objects. Images and TIFFs are built in memory (their pages are PNGs or JPEGs of a
 * few MB each).
 */
export async function stampedWholeDocument(
  doc: StampableDocument,
  stamp: Stamp,
  cache: StampCache,
): Promise<StampedPdf> {
  const glyphs = await glyphsOf(stamp);
  if (doc.mime !== "application/pdf") {
    const out = await PDFDocument.create({ updateMetadata: false });
    const count = doc.mime === "image/tiff" ? doc.pages.count : 1;
    for (let i = 0; i < count; i++) {
      const image = await imageBytes(doc, i);
      stampInPlace(out, await addImagePage(out, image.bytes, image.mime), glyphs);
    }
    const bytes = await save(out);
    return { bytes: bytes.length, stream: ReadableStream.from([bytes]) };
  }
  const source = await parsed(cache.parsed, doc.source);
  const context = source.context;
  let next = context.largestObjectNumber;
  const fresh = () => PDFRef.of(++next);
  const { refs, objects: shared } = stampResourceObjects(context, fresh);
  const replaced = new Map<PDFRef, PDFObject>();
  const added: [PDFRef, PDFObject][] = [...shared];
  for (const page of source.getPages()) {
    const stream = fresh();
    added.push([stream, stampStream(context, page.node, glyphs)]);
    replaced.set(page.ref, stampedPageDict(page.node, refs, stream));
  }
  const objects: [PDFRef, PDFObject][] = context.enumerateIndirectObjects()
    .map(([ref, object]) => [ref, replaced.get(ref) ?? object]);
  const root = context.trailerInfo.Root;
  if (!(root instanceof PDFRef)) {
    throw new StampError("unreadable", "Il PDF non si apre: è danneggiato o incompleto.");
  }
  return streamPdf({ objects: [...objects, ...added], root });
}

export { StampCache } from "./stamp_cache.ts";
