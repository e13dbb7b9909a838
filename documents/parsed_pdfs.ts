/**
 * PDFs parsed whole and kept: the fallback for files the lazy reader (documents/lazy_pdf.ts)
 * does not take, and the source of a whole stamped copy. pdf-lib parses a whole file (about
 * 0.5 s for a 150 MB scan here, plus reading all of it from the store), so a parsed document
 * is kept and shared by every request for it, the least recently used dropped once the kept
 * files pass a byte budget. Figures: docs/DOCUMENTS.md, "Stamped pages".
 */
import { PDFDocument } from "pdf-lib";
import type { ByteSource } from "./http_range.ts";

/** Why a PDF cannot be served stamped. */
export type ParseFailure = "unreadable" | "encrypted";

/** Thrown by `ParsedPdfs.get`; stamp.ts turns it into the user's message. */
export class PdfParseError extends Error {
  constructor(readonly reason: ParseFailure, message: string) {
    super(message);
    this.name = "PdfParseError";
  }
}

/** The whole of a source in one buffer, its size known in advance (no doubling copies). */
export async function readWhole(source: ByteSource): Promise<Uint8Array> {
  const out = new Uint8Array(source.bytes);
  if (source.bytes === 0) return out;
  let at = 0;
  for await (const chunk of await source.open(0, source.bytes - 1)) {
    if (at + chunk.length > out.length) throw new Error("source longer than declared");
    out.set(chunk, at);
    at += chunk.length;
  }
  if (at !== out.length) throw new Error("source shorter than declared");
  return out;
}

/** Parses bytes as a PDF that can be stamped, or throws PdfParseError. */
export async function parsePdf(bytes: Uint8Array): Promise<PDFDocument> {
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(bytes, {
      ignoreEncryption: true,
      updateMetadata: false,
      throwOnInvalidObject: false,
      // pdf-lib's default speed yields to the event loop every 100 objects, so a 150 MB
      // parse does not stall other requests for its whole length.
    });
  } catch {
    throw new PdfParseError("unreadable", "not a PDF");
  }
  // An encrypted PDF parses, but its streams are ciphertext: stamped it would show garbage.
  if (doc.isEncrypted) throw new PdfParseError("encrypted", "encrypted");
  let pages = 0;
  try {
    pages = doc.getPageCount();
  } catch {
    // A damaged page tree: same as no pages.
  }
  if (pages === 0) throw new PdfParseError("unreadable", "no pages");
  return doc;
}

interface Entry {
  doc: Promise<PDFDocument>;
  bytes: number;
  used: number;
}

/**
 * Parsed PDFs keyed by the source's ETag (the file's sha256 for stored files), at most
 * `maxBytes` of source files kept (a parsed scan holds about its file size: pdf-lib copies
 * each stream out of the input, which is then dropped). Requests for a file being parsed
 * wait for that one parse. A file larger than the budget is still parsed, used and dropped
 * at the next request for another file.
 */
export class ParsedPdfs {
  private readonly entries = new Map<string, Entry>();
  private tick = 0;

  constructor(readonly maxBytes = 512 * 1024 * 1024) {}

  /** The parsed document of `source`; throws PdfParseError, or the source's own error. */
  get(source: ByteSource): Promise<PDFDocument> {
    const key = source.etag;
    const kept = this.entries.get(key);
    if (kept) {
      kept.used = ++this.tick;
      return kept.doc;
    }
    const doc = readWhole(source).then(parsePdf);
    const entry: Entry = { doc, bytes: source.bytes, used: ++this.tick };
    this.entries.set(key, entry);
    // A failure is not kept: the next request tries again (the store may have been fixed).
    doc.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    this.evict(key);
    return doc;
  }

  /** Bytes of source files currently kept (parsed or being parsed). */
  get keptBytes(): number {
    let total = 0;
    for (const entry of this.entries.values()) total += entry.bytes;
    return total;
  }

  private evict(keep: string): void {
    let total = this.keptBytes;
    const oldest = [...this.entries].filter(([key]) => key !== keep)
      .sort(([, a], [, b]) => a.used - b.used);
    for (const [key, entry] of oldest) {
      if (total <= this.maxBytes) break;
      this.entries.delete(key);
      total -= entry.bytes;
    }
  }
}
