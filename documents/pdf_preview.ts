/**
 * The first page of a scanned PDF as the JPEG it already holds, for the viewer to show while
 * PDF.js starts (docs/DOCUMENTS.md, "First page before PDF.js"). A scanner writes each page as
 * one DCT (JPEG) picture drawn over the whole page: those bytes, cut out of the file as they
 * are, *are* the page, and a browser paints them in an <img> long before PDF.js has compiled
 * its worker, read the cross-references and decoded the same picture.
 *
 * Only a page that is exactly that is taken: one image XObject, DCTDecode alone, grey or RGB,
 * 8 bits, no mask, no /Decode or /DecodeParms, drawn by a plain scale onto the whole crop box of an unrotated
 * page, its pixels the page's shape, and nothing else painted (an OCR text layer in render
 * mode 3, invisible, is allowed: scans made searchable carry one). Anything else (a text PDF,
 * a vector drawing, a stamp or a note over the scan, CMYK, a rotated page, an encrypted file,
 * a file the lazy reader does not take) has no preview, and the viewer shows what PDF.js draws,
 * as before. Found with the lazy reader (documents/lazy_pdf.ts): the xref, page 1's objects and
 * the picture's dictionary, a few small reads; the picture itself is never read here.
 */
import {
  decodePDFRawStream,
  PDFArray,
  PDFDict,
  PDFName,
  PDFNumber,
  PDFObjectParser,
  PDFRawStream,
  PDFRef,
} from "pdf-lib";
import type { PDFObject } from "pdf-lib";
import type { ByteSource } from "./http_range.ts";
import { LazyPdf, openPdfIndex, type PdfIndex, readRange } from "./lazy_pdf.ts";

/** Where page 1's picture lies in the file, and its shape. */
export interface PdfPreview {
  /** Pages in the document (the page tree's count). */
  pages: number;
  /** The JPEG's pixels. */
  width: number;
  height: number;
  /** The JPEG's bytes in the file: `start` to `start + length` excluded. */
  start: number;
  length: number;
}

/** A content stream larger than this (decoded) is not a plain scan's: no preview. */
const MAX_CONTENT = 1024 * 1024;
/** The page's and the picture's shapes may differ by this much (a scanner's rounding). */
const SHAPE_TOLERANCE = 0.01;
const latin1 = new TextDecoder("latin1");

function num(value: PDFObject | undefined): number | undefined {
  return value instanceof PDFNumber ? value.asNumber() : undefined;
}

function nameOf(value: PDFObject | undefined): string | undefined {
  return value instanceof PDFName ? value.decodeText() : undefined;
}

async function resolved(pdf: LazyPdf, value: PDFObject | undefined) {
  return value instanceof PDFRef ? await pdf.get(value) : value;
}

/** A rectangle `[x0 y0 x1 y1]` normalised to x, y, width, height. */
function box(value: PDFObject | undefined) {
  if (!(value instanceof PDFArray) || value.size() !== 4) return undefined;
  const [a, b, c, d] = value.asArray().map((v) => num(v));
  if (a === undefined || b === undefined || c === undefined || d === undefined) return undefined;
  return { x: Math.min(a, c), y: Math.min(b, d), w: Math.abs(c - a), h: Math.abs(d - b) };
}

type Matrix = [number, number, number, number, number, number];

function multiply(m: Matrix, n: Matrix): Matrix {
  return [
    m[0] * n[0] + m[1] * n[2],
    m[0] * n[1] + m[1] * n[3],
    m[2] * n[0] + m[3] * n[2],
    m[2] * n[1] + m[3] * n[3],
    m[4] * n[0] + m[5] * n[2] + n[4],
    m[4] * n[1] + m[5] * n[3] + n[5],
  ];
}

/** Operators that paint nothing and change nothing a picture is drawn with. */
const HARMLESS = new Set([
  // colours, line style, rendering intent, flatness, marked content
  ..."g G rg RG k K cs CS sc SC scn SCN w J j M d ri i BMC BDC EMC MP DP".split(" "),
  // text state and positioning (showing text is checked against the render mode)
  ..."BT ET Tf Td TD Tm T* Tc Tw Tz TL Ts".split(" "),
]);
const SHOW_TEXT = new Set(["Tj", "TJ", "'", '"']);

/** Content tokens: operands as numbers, names or "other", and operators. */
function* tokens(text: string): Generator<{ op: string } | { operand: number | string | null }> {
  let i = 0;
  const n = text.length;
  const delimiter = (ch: string) => "()<>[]{}/%".includes(ch) || /\s/.test(ch);
  while (i < n) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === "%") {
      while (i < n && text[i] !== "\n" && text[i] !== "\r") i++;
    } else if (ch === "(") {
      let depth = 0;
      for (; i < n; i++) {
        const c = text[i];
        if (c === "\\") i++;
        else if (c === "(") depth++;
        else if (c === ")" && --depth === 0) break;
      }
      i++;
      yield { operand: null };
    } else if (ch === "<" && text[i + 1] === "<") {
      // A dictionary operand (BDC properties): skipped whole, nested ones too.
      let depth = 0;
      for (; i < n; i++) {
        if (text[i] === "<" && text[i + 1] === "<") depth++, i++;
        else if (text[i] === ">" && text[i + 1] === ">" && --depth === 0) break;
        else if (text[i] === ">" && text[i + 1] === ">") i++;
      }
      i += 2;
      yield { operand: null };
    } else if (ch === "<") {
      i = text.indexOf(">", i) + 1 || n;
      yield { operand: null };
    } else if (ch === "[" || ch === "]") {
      i++;
      yield { operand: null };
    } else if (ch === "/") {
      let j = i + 1;
      while (j < n && !delimiter(text[j]!)) j++;
      yield { operand: text.slice(i + 1, j) };
      i = j;
    } else {
      let j = i;
      while (j < n && !delimiter(text[j]!)) j++;
      if (j === i) j++; // a stray delimiter (`)`, `>`, `{`): an operator nothing allows
      const word = text.slice(i, j);
      i = j;
      const value = Number(word);
      if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(word) && Number.isFinite(value)) {
        yield { operand: value };
      } else {
        yield { op: word };
      }
    }
  }
}

/**
 * The one picture a content stream paints and the matrix it is painted with, or undefined when
 * it paints anything else (visible text, paths, shadings, inline images, a second picture) or
 * changes the graphics state in a way a plain <img> would not show (clips, transparency).
 */
function onlyPicture(content: string): { name: string; ctm: Matrix } | undefined {
  let ctm: Matrix = [1, 0, 0, 1, 0, 0];
  let mode = 0; // text render mode; 3 is invisible
  const stack: { ctm: Matrix; mode: number }[] = [];
  let operands: (number | string | null)[] = [];
  let picture: { name: string; ctm: Matrix } | undefined;
  for (const token of tokens(content)) {
    if ("operand" in token) {
      operands.push(token.operand);
      continue;
    }
    const { op } = token;
    const args = operands;
    operands = [];
    if (op === "q") {
      if (stack.length > 64) return undefined;
      stack.push({ ctm, mode });
    } else if (op === "Q") {
      const saved = stack.pop();
      if (!saved) return undefined;
      ({ ctm, mode } = saved);
    } else if (op === "cm") {
      if (args.length !== 6 || args.some((a) => typeof a !== "number")) return undefined;
      ctm = multiply(args as Matrix, ctm);
    } else if (op === "Tr") {
      if (typeof args[0] !== "number") return undefined;
      mode = args[0];
    } else if (op === "Do") {
      if (picture || typeof args[0] !== "string") return undefined;
      picture = { name: args[0], ctm };
    } else if (SHOW_TEXT.has(op)) {
      if (mode !== 3) return undefined;
    } else if (!HARMLESS.has(op)) {
      return undefined;
    }
  }
  return picture;
}

/** The decoded content of page 1 (one stream or an array of them), as latin1 text. */
async function contentOf(pdf: LazyPdf, contents: PDFObject | undefined) {
  const value = await resolved(pdf, contents);
  const parts = value instanceof PDFArray ? value.asArray() : [value];
  let text = "";
  for (const part of parts) {
    const stream = await resolved(pdf, part);
    if (!(stream instanceof PDFRawStream)) return undefined;
    if (stream.contents.length > MAX_CONTENT) return undefined;
    const bytes = decodePDFRawStream(stream).decode();
    if (bytes.length > MAX_CONTENT) return undefined;
    // Streams of an array are one content, split anywhere between tokens.
    text += latin1.decode(bytes) + "\n";
  }
  return text;
}

/** A colour space a browser shows a JPEG in as PDF.js would: grey or RGB. */
async function greyOrRgb(pdf: LazyPdf, value: PDFObject | undefined): Promise<boolean> {
  const space = await resolved(pdf, value);
  const name = nameOf(space);
  if (name) return name === "DeviceRGB" || name === "DeviceGray";
  if (!(space instanceof PDFArray)) return false;
  const [kind, param] = space.asArray();
  const family = nameOf(kind);
  if (family === "CalRGB" || family === "CalGray") return true;
  if (family !== "ICCBased") return false;
  const profile = await resolved(pdf, param);
  const n = profile instanceof PDFRawStream ? num(profile.dict.get(PDFName.of("N"))) : undefined;
  return n === 1 || n === 3;
}

/**
 * The picture object's dictionary and where its data starts, reading only its head: the
 * object may be megabytes, its dictionary a few hundred bytes.
 */
async function pictureHead(pdf: LazyPdf, index: PdfIndex, ref: PDFRef) {
  const entry = index.entries.get(ref.objectNumber);
  if (!entry || !("offset" in entry) || entry.offset < 0) return undefined;
  const head = await readRange(index.source, entry.offset, entry.offset + 8192);
  const text = latin1.decode(head);
  const header = /^\s*(\d+)\s+(\d+)\s+obj\b/.exec(text);
  const keyword = /stream(\r\n|\n)/.exec(text);
  if (!header || Number(header[1]) !== ref.objectNumber || !keyword) return undefined;
  let dict: PDFObject;
  try {
    dict = PDFObjectParser.forBytes(head.subarray(header[0].length, keyword.index), pdf.context)
      .parseObject();
  } catch {
    return undefined;
  }
  if (!(dict instanceof PDFDict)) return undefined;
  return { dict, start: entry.offset + keyword.index + keyword[0].length };
}

/** A read of the file that failed: the caller's to handle, and never remembered as "none". */
class ReadFailure extends Error {
  override name = "ReadFailure";
}

/** `source` with its read errors marked, to tell them from a PDF the preview does not take. */
function marked(source: ByteSource): ByteSource {
  const fail = (err: unknown) => new ReadFailure("read failed", { cause: err });
  return {
    ...source,
    async open(start, endInclusive) {
      let reader: ReadableStreamDefaultReader<Uint8Array>;
      try {
        reader = (await source.open(start, endInclusive)).getReader();
      } catch (err) {
        throw fail(err);
      }
      return new ReadableStream<Uint8Array>({
        async pull(controller) {
          try {
            const { done, value } = await reader.read();
            if (done) controller.close();
            else controller.enqueue(value);
          } catch (err) {
            controller.error(fail(err));
          }
        },
        cancel: (reason) => reader.cancel(reason),
      });
    },
  };
}

/**
 * Page 1's preview, or undefined when page 1 is not one plain JPEG over the whole page (or the
 * file does not parse); a failed read of the file rejects with the read's own error.
 */
export async function findPdfPreview(source: ByteSource): Promise<PdfPreview | undefined> {
  try {
    const index = await openPdfIndex(marked(source));
    if (index.encrypted) return undefined; // the picture's bytes are ciphertext
    return await preview(new LazyPdf(index), index);
  } catch (err) {
    if (err instanceof ReadFailure) throw err.cause;
    // LazyPdfError, or pdf-lib refusing an object: this file has no preview.
    return undefined;
  }
}

async function preview(pdf: LazyPdf, index: PdfIndex): Promise<PdfPreview | undefined> {
  const pages = await pdf.pageCount();
  const { leaf } = await pdf.pageLeaf(0);
  // Inherited attributes: the leaf's ancestors are in the context (pageLeaf loads them).
  const inherited = (key: string) => leaf.getInheritableAttribute(PDFName.of(key));
  const rotate = num(await resolved(pdf, inherited("Rotate"))) ?? 0;
  if (rotate % 360 !== 0) return undefined;
  const media = box(await resolved(pdf, inherited("MediaBox")));
  const crop = box(await resolved(pdf, inherited("CropBox"))) ?? media;
  if (!media || !crop || crop.w <= 0 || crop.h <= 0) return undefined;
  // A crop box that sticks out of the media box is clipped to it: not worth the cases.
  if (crop.x < media.x || crop.y < media.y) return undefined;
  if (crop.x + crop.w > media.x + media.w || crop.y + crop.h > media.y + media.h) {
    return undefined;
  }

  const content = await contentOf(pdf, leaf.get(PDFName.of("Contents")));
  const drawn = content === undefined ? undefined : onlyPicture(content);
  if (!drawn) return undefined;
  // The picture must cover the crop box exactly: [w 0 0 h x y].
  const [a, b, c, d, e, f] = drawn.ctm;
  const near = (x: number, y: number, scale: number) => Math.abs(x - y) <= scale * 0.005 + 0.5;
  if (Math.abs(b) > 1e-6 || Math.abs(c) > 1e-6) return undefined;
  if (!near(a, crop.w, crop.w) || !near(d, crop.h, crop.h)) return undefined;
  if (!near(e, crop.x, crop.w) || !near(f, crop.y, crop.h)) return undefined;

  const resources = await resolved(pdf, inherited("Resources"));
  if (!(resources instanceof PDFDict)) return undefined;
  const xobjects = await resolved(pdf, resources.get(PDFName.of("XObject")));
  if (!(xobjects instanceof PDFDict)) return undefined;
  const ref = xobjects.get(PDFName.of(drawn.name));
  if (!(ref instanceof PDFRef)) return undefined;
  const head = await pictureHead(pdf, index, ref);
  if (!head) return undefined;
  const dict = head.dict;
  const get = (key: string) => dict.get(PDFName.of(key));
  if (nameOf(get("Subtype")) !== "Image") return undefined;
  const filter = get("Filter");
  const filters = filter instanceof PDFArray ? filter.asArray() : [filter];
  if (filters.length !== 1 || nameOf(filters[0]) !== "DCTDecode") return undefined;
  // DecodeParms (a ColorTransform) changes how the JPEG's colours are read: a browser would
  // not follow it.
  const refused = ["SMask", "Mask", "Decode", "DecodeParms", "ImageMask", "SMaskInData"];
  for (const key of [...refused, "Alternates"]) {
    if (dict.has(PDFName.of(key))) return undefined;
  }
  if ((num(await resolved(pdf, get("BitsPerComponent"))) ?? 8) !== 8) return undefined;
  if (!(await greyOrRgb(pdf, get("ColorSpace")))) return undefined;
  const width = num(await resolved(pdf, get("Width")));
  const height = num(await resolved(pdf, get("Height")));
  const length = num(await resolved(pdf, get("Length")));
  if (!width || !height || !length || width < 1 || height < 1 || length < 4) return undefined;
  // The <img> takes the picture's shape; PDF.js stretches it to the page's.
  if (Math.abs(width / height / (crop.w / crop.h) - 1) > SHAPE_TOLERANCE) return undefined;
  if (head.start + length > index.source.bytes) return undefined;

  // The bytes really are a JPEG, ending where the stream ends.
  const first = await readRange(index.source, head.start, head.start + 3);
  const last = await readRange(index.source, head.start + length - 2, head.start + length + 32);
  if (first[0] !== 0xff || first[1] !== 0xd8 || first[2] !== 0xff) return undefined;
  if (last[0] !== 0xff || last[1] !== 0xd9) return undefined;
  if (!/^\s*endstream/.test(latin1.decode(last.subarray(2)))) return undefined;
  // CMYK or YCCK in the JPEG itself (a colour space that says otherwise) shows wrong in a
  // browser: the frame header's component count must be 1 or 3.
  const components = await jpegComponents(index.source, head.start, length);
  if (components !== 1 && components !== 3) return undefined;
  return { pages, width, height, start: head.start, length };
}

/** The component count in the JPEG's frame header (SOFn), reading its markers in order. */
async function jpegComponents(source: ByteSource, start: number, length: number) {
  const bytes = await readRange(source, start, start + Math.min(length, 64 * 1024));
  let at = 2;
  while (at + 9 < bytes.length) {
    if (bytes[at] !== 0xff) return undefined;
    const marker = bytes[at + 1]!;
    if (marker === 0xff) {
      at++;
      continue;
    }
    const size = (bytes[at + 2]! << 8) | bytes[at + 3]!;
    // SOF0–SOF15 but DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
      return bytes[at + 9];
    }
    if (marker === 0xda || size < 2) return undefined;
    at += 2 + size;
  }
  return undefined;
}

/** The preview's bytes as a ByteSource cut out of the document's (served with Range). */
export function previewSource(source: ByteSource, preview: PdfPreview): ByteSource {
  return {
    bytes: preview.length,
    mime: "image/jpeg",
    etag: `${source.etag}-p1`,
    open: (start, endInclusive) => source.open(preview.start + start, preview.start + endInclusive),
  };
}

/**
 * Previews found so far, by the file's ETag (its sha256 in the store), found once per file;
 * "no preview" is remembered too. A read error is not remembered: the next view tries again.
 */
export class PdfPreviews {
  private readonly found = new Map<string, Promise<PdfPreview | undefined>>();

  constructor(private readonly max = 4096) {}

  /** The preview of `source`, found once. */
  get(source: ByteSource): Promise<PdfPreview | undefined> {
    const key = source.etag;
    const kept = this.found.get(key);
    if (kept) {
      this.found.delete(key);
      this.found.set(key, kept);
      return kept;
    }
    const made = findPdfPreview(source).catch((err) => {
      this.found.delete(key);
      throw err;
    });
    this.found.set(key, made);
    while (this.found.size > this.max) this.found.delete(this.found.keys().next().value!);
    return made;
  }

  /**
   * The preview if it is known within `waitMs`; "late" when the search is still going (it goes
   * on, and serves the next view), undefined when the file has none or cannot be read (the
   * viewer page never fails on it).
   */
  async within(source: ByteSource, waitMs: number): Promise<PdfPreview | undefined | "late"> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<"late">((resolve) => {
      timer = setTimeout(() => resolve("late"), waitMs);
    });
    try {
      return await Promise.race([this.get(source).catch(() => undefined), late]);
    } finally {
      clearTimeout(timer);
    }
  }
}
