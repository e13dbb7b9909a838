/**
 * Reads one page of a PDF without reading the file: the cross-reference sections from the end
 * (tables, streams, /Prev chains), then only the objects that page needs, each by a Range read
 * of the source. pdf-lib parses a whole file front to back (0.5–1.6 s for a 150 MB scan here,
 * after reading all of it from the store), which a first page cannot wait for; here the first
 * page of a 300-page scan costs a few small reads plus its own image.
 *
 * pdf-lib still parses each object (PDFObjectParser, object and xref stream parsers), so the
 * syntax is its. What this reader does not take (no startxref, an offset that does not point at
 * its object, a page tree that does not add up) throws LazyPdfError, and the caller falls back
 * to the whole-file parse, which repairs such files by scanning them.
 */
import {
  PDFArray,
  PDFContext,
  PDFDict,
  PDFName,
  PDFNumber,
  PDFObjectParser,
  PDFObjectStreamParser,
  PDFPageLeaf,
  PDFPageTree,
  PDFRawStream,
  PDFRef,
  PDFXRefStreamParser,
} from "pdf-lib";
import type { PDFObject } from "pdf-lib";
import type { ByteSource } from "./http_range.ts";

/** The file is not one this reader takes; use the whole-file parse. */
export class LazyPdfError extends Error {
  override name = "LazyPdfError";
}

type Entry = { offset: number; generation: number } | { stream: number };

/** Where every object of a PDF is, from its cross-reference sections (a few KB per file). */
export interface PdfIndex {
  source: ByteSource;
  entries: Map<number, Entry>;
  /** Sorted starts of objects and xref sections, and the file's end: an object ends at the next. */
  boundaries: number[];
  root: PDFRef;
  encrypted: boolean;
  /**
   * The bytes of small objects already read (the catalog, page tree nodes, page dicts, fonts),
   * shared by the requests for this file: most of a page's reads are then no read at all.
   */
  small: Map<number, Uint8Array>;
  smallBytes: number;
  /** Object number by offset, to file the neighbours read with a small object. */
  numberAt: Map<number, number>;
}

/** Objects up to this size are kept in `small`, up to SMALL_BUDGET bytes per file. */
const SMALL_OBJECT = 64 * 1024;
const SMALL_BUDGET = 256 * 1024;
/** A small object is read with its neighbours up to this window: they are often its own. */
const WINDOW = 32 * 1024;

const latin1 = new TextDecoder("latin1");

/** Bytes `start` to `end` (excluded) of the source. */
export async function readRange(
  source: ByteSource,
  start: number,
  end: number,
): Promise<Uint8Array> {
  const stop = Math.min(end, source.bytes);
  const out = new Uint8Array(Math.max(0, stop - start));
  if (out.length === 0) return out;
  let at = 0;
  for await (const chunk of await source.open(start, stop - 1)) {
    out.set(chunk.subarray(0, out.length - at), at);
    at += chunk.length;
    if (at >= out.length) break;
  }
  if (at < out.length) throw new LazyPdfError("short read");
  return out;
}

const HEADER = /^\s*(\d+)\s+(\d+)\s+obj\b/;

/** Parses `N G obj <object>` from `bytes` into `context`; returns the object. */
function parseIndirect(bytes: Uint8Array, context: PDFContext, number?: number): PDFObject {
  const head = HEADER.exec(latin1.decode(bytes.subarray(0, 64)));
  if (!head) throw new LazyPdfError("no object at the offset the xref gives");
  // A damaged xref may point at another object: better the whole parse than a wrong page.
  if (number !== undefined && Number(head[1]) !== number) {
    throw new LazyPdfError(`object ${head[1]} where the xref says ${number}`);
  }
  try {
    return PDFObjectParser.forBytes(bytes.subarray(head[0].length), context).parseObject();
  } catch (err) {
    throw new LazyPdfError(`object does not parse: ${(err as Error).message}`);
  }
}

function numberIn(dict: PDFDict, key: string): number | undefined {
  const value = dict.get(PDFName.of(key));
  return value instanceof PDFNumber ? value.asNumber() : undefined;
}

/** A classic `xref` table and its trailer, from a buffer that starts at `xref`. */
function parseTable(
  text: string,
  bytes: Uint8Array,
  context: PDFContext,
  entries: Map<number, Entry>,
): PDFDict | undefined {
  const trailerAt = text.indexOf("trailer");
  if (trailerAt < 0) return undefined; // read more
  const lines = text.slice(text.indexOf("xref") + 4, trailerAt).trim().split(/\s+/);
  let i = 0;
  while (i + 1 < lines.length) {
    const first = Number(lines[i]);
    const count = Number(lines[i + 1]);
    if (!Number.isInteger(first) || !Number.isInteger(count)) {
      throw new LazyPdfError("bad xref subsection");
    }
    i += 2;
    for (let k = 0; k < count; k++, i += 3) {
      const [offset, generation, kind] = [lines[i], lines[i + 1], lines[i + 2]];
      if (kind !== "n" && kind !== "f") throw new LazyPdfError("bad xref entry");
      // Free entries are not recorded: a hybrid file's table marks as free the objects its
      // XRefStm holds, which must still be found there. (An object freed by an update and
      // still in an older section is found there instead; nothing current points to it.)
      if (kind === "n" && !entries.has(first + k)) {
        entries.set(first + k, { offset: Number(offset), generation: Number(generation) });
      }
    }
  }
  try {
    const parser = PDFObjectParser.forBytes(bytes.subarray(trailerAt + 7), context);
    const trailer = parser.parseObject();
    if (!(trailer instanceof PDFDict)) throw new LazyPdfError("trailer is not a dict");
    return trailer;
  } catch (err) {
    if (err instanceof LazyPdfError) throw err;
    return undefined; // the dict was cut by the read: read more
  }
}

/** Reads the cross-reference sections of `source`, newest first, following /Prev. */
export async function openPdfIndex(source: ByteSource): Promise<PdfIndex> {
  const size = source.bytes;
  const tail = latin1.decode(await readRange(source, Math.max(0, size - 2048), size));
  const found = /startxref\s+(\d+)\s*(?:%%EOF)?\s*$/.exec(tail) ??
    [...tail.matchAll(/startxref\s+(\d+)/g)].at(-1);
  if (!found) throw new LazyPdfError("no startxref");
  const context = PDFContext.create();
  const entries = new Map<number, Entry>();
  const sections: number[] = [];
  const pending = [Number(found[1])];
  let root: PDFObject | undefined;
  let encrypted = false;
  while (pending.length > 0) {
    const at = pending.shift()!;
    if (sections.includes(at) || at < 0 || at >= size || sections.length > 64) {
      if (sections.length > 64) throw new LazyPdfError("too many xref sections");
      continue;
    }
    sections.push(at);
    let trailer: PDFDict | undefined;
    for (let want = 64 * 1024;; want *= 4) {
      const bytes = await readRange(source, at, at + want);
      const text = latin1.decode(bytes);
      if (/^\s*xref/.test(text)) {
        trailer = parseTable(text, bytes, context, entries);
      } else {
        let object: PDFObject | undefined;
        try {
          object = parseIndirect(bytes, context);
        } catch (err) {
          if (at + want < size) continue; // the stream was cut by the read
          throw err;
        }
        if (!(object instanceof PDFRawStream)) throw new LazyPdfError("xref is not a stream");
        const dict = object.dict;
        try {
          for (const e of PDFXRefStreamParser.forStream(object).parseIntoContext()) {
            const number = e.ref.objectNumber;
            if (entries.has(number) || e.deleted) continue;
            entries.set(
              number,
              e.inObjectStream
                ? { stream: e.offset }
                : { offset: e.offset, generation: e.ref.generationNumber },
            );
          }
        } catch (err) {
          throw new LazyPdfError(`xref stream: ${(err as Error).message}`);
        }
        trailer = dict;
      }
      if (trailer || at + want >= size) break;
    }
    if (!trailer) throw new LazyPdfError("xref without trailer");
    root ??= trailer.get(PDFName.of("Root"));
    if (trailer.has(PDFName.of("Encrypt"))) encrypted = true;
    // A hybrid file's table points to a stream with the compressed objects: newer than /Prev.
    const stream = numberIn(trailer, "XRefStm");
    if (stream !== undefined) pending.unshift(stream);
    const prev = numberIn(trailer, "Prev");
    if (prev !== undefined) pending.push(prev);
  }
  if (!(root instanceof PDFRef)) throw new LazyPdfError("no /Root");
  const boundaries = [
    ...new Set([
      ...sections,
      size,
      ...[...entries.values()].flatMap((e) => "offset" in e && e.offset >= 0 ? [e.offset] : []),
    ]),
  ].sort((a, b) => a - b);
  const numberAt = new Map<number, number>();
  for (const [n, e] of entries) if ("offset" in e && e.offset >= 0) numberAt.set(e.offset, n);
  return {
    source,
    entries,
    boundaries,
    root,
    encrypted,
    small: new Map(),
    smallBytes: 0,
    numberAt,
  };
}

/** The objects of one PDF loaded so far, for one request. */
export class LazyPdf {
  readonly context = PDFContext.create();
  private readonly streams = new Set<number>();

  constructor(readonly index: PdfIndex) {}

  /** Position in `boundaries` of the first boundary after `offset`. */
  private after(offset: number): number {
    const b = this.index.boundaries;
    let lo = 0;
    let hi = b.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (b[mid]! <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The bytes of the object at `offset`, from the shared small-object cache or the source. */
  private async bytesAt(number: number, offset: number): Promise<Uint8Array> {
    const index = this.index;
    const kept = index.small.get(number);
    if (kept) return kept;
    const b = index.boundaries;
    let next = this.after(offset);
    const end = b[next] ?? index.source.bytes;
    if (end - offset > SMALL_OBJECT) return await readRange(index.source, offset, end);
    // A small object: read its neighbours too while the window holds whole objects.
    while (next + 1 < b.length && b[next + 1]! - offset <= WINDOW) next++;
    const windowEnd = Math.max(end, b[next] ?? end);
    const bytes = await readRange(index.source, offset, windowEnd);
    const numbers = new Map<number, number>();
    for (const [n, e] of index.entries) {
      if ("offset" in e && e.offset >= offset) numbers.set(e.offset, n);
    }
    for (let i = this.after(offset) - 1; i < b.length && b[i]! < windowEnd; i++) {
      const start = b[i]!;
      const stop = b[i + 1] ?? windowEnd;
      const n = index.numberAt.get(start);
      if (n === undefined || stop > windowEnd || index.smallBytes > SMALL_BUDGET) continue;
      const part = bytes.slice(start - offset, stop - offset);
      index.small.set(n, part);
      index.smallBytes += part.length;
    }
    return bytes.subarray(0, end - offset);
  }

  /** The object `ref`, read from the source at first use; undefined if the file lacks it. */
  async get(ref: PDFRef): Promise<PDFObject | undefined> {
    const kept = this.context.lookup(ref);
    if (kept !== undefined) return kept;
    const entry = this.index.entries.get(ref.objectNumber);
    if (!entry) return undefined;
    if ("stream" in entry) {
      if (!this.streams.has(entry.stream)) {
        this.streams.add(entry.stream);
        const stream = await this.get(PDFRef.of(entry.stream));
        if (!(stream instanceof PDFRawStream)) throw new LazyPdfError("object stream missing");
        try {
          await PDFObjectStreamParser.forStream(stream).parseIntoContext();
        } catch (err) {
          throw new LazyPdfError(`object stream: ${(err as Error).message}`);
        }
      }
      return this.context.lookup(ref);
    }
    if (entry.offset < 0) return undefined;
    const bytes = await this.bytesAt(ref.objectNumber, entry.offset);
    const object = parseIndirect(bytes, this.context, ref.objectNumber);
    this.context.assign(ref, object);
    return object;
  }

  /**
   * Reads objects that lie one after the other in the file with one Range read: a scan page's
   * content stream usually follows its image, and each read of an encrypted store has a fixed
   * cost (open, header, a whole 64 KiB chunk decrypted).
   */
  private async readTogether(refs: PDFRef[]): Promise<void> {
    const index = this.index;
    const spans: { ref: PDFRef; start: number; end: number }[] = [];
    for (const ref of refs) {
      const entry = index.entries.get(ref.objectNumber);
      if (!entry || !("offset" in entry) || entry.offset < 0) continue;
      if (this.context.lookup(ref) !== undefined || index.small.has(ref.objectNumber)) continue;
      const end = index.boundaries[this.after(entry.offset)] ?? index.source.bytes;
      spans.push({ ref, start: entry.offset, end });
    }
    spans.sort((a, b) => a.start - b.start);
    const runs: (typeof spans)[] = [];
    for (const span of spans) {
      const run = runs.at(-1);
      if (run && run.at(-1)!.end === span.start) run.push(span);
      else runs.push([span]);
    }
    await Promise.all(
      runs.filter((run) => run.length > 1).map(async (run) => {
        const from = run[0]!.start;
        const bytes = await readRange(index.source, from, run.at(-1)!.end);
        for (const span of run) {
          const object = parseIndirect(
            bytes.subarray(span.start - from, span.end - from),
            this.context,
            span.ref.objectNumber,
          );
          this.context.assign(span.ref, object);
        }
      }),
    );
  }

  /** Loads every object reachable from `object`, except through its own keys in `skip`. */
  async loadReachable(object: PDFObject, skip: Set<string>): Promise<void> {
    const seen = new Set<string>();
    let level: PDFObject[] = [object];
    while (level.length > 0) {
      // The refs of one level (direct dicts and arrays walked through at once) are read
      // together: a page's content and its resources' objects in parallel, or in one read.
      const refs: PDFRef[] = [];
      const walk = (item: PDFObject, top: boolean) => {
        const values = item instanceof PDFDict
          ? [...item.entries()].filter(([k]) => !(top && skip.has(k.decodeText())))
            .map(([, v]) => v)
          : item instanceof PDFRawStream
          ? [...item.dict.entries()].map(([, v]) => v)
          : item instanceof PDFArray
          ? item.asArray()
          : [];
        for (const value of values) {
          if (value instanceof PDFRef) {
            if (!seen.has(value.tag)) {
              seen.add(value.tag);
              refs.push(value);
            }
          } else if (value instanceof PDFDict || value instanceof PDFArray) {
            walk(value, false);
          }
        }
      };
      for (const item of level) walk(item, item === object);
      await this.readTogether(refs);
      const loaded = await Promise.all(refs.map((ref) => this.get(ref)));
      level = loaded.filter((value) => value !== undefined);
    }
  }

  private async dict(ref: PDFObject | undefined): Promise<PDFDict | undefined> {
    const value = ref instanceof PDFRef ? await this.get(ref) : ref;
    return value instanceof PDFDict ? value : undefined;
  }

  /** The page tree's root. */
  async pagesRoot(): Promise<PDFDict> {
    const catalog = await this.dict(this.index.root);
    const pages = await this.dict(catalog?.get(PDFName.of("Pages")));
    if (!pages) throw new LazyPdfError("no page tree");
    return pages;
  }

  /** Pages in the document, as its page tree says. */
  async pageCount(): Promise<number> {
    const count = numberIn(await this.pagesRoot(), "Count");
    if (count === undefined || count < 1) throw new LazyPdfError("page tree without /Count");
    return count;
  }

  /**
   * The leaf of page `index` (0-based, within the count), with its ancestors loaded (they hold
   * inherited attributes). Kids whose counts are not needed are not read: in a flat tree
   * (Count equal to the number of kids, as scanners write) page i is kid i at once.
   */
  async pageLeaf(index: number): Promise<{ ref: PDFRef; leaf: PDFPageLeaf }> {
    let node = await this.pagesRoot();
    let left = index;
    for (let depth = 0; depth < 64; depth++) {
      const kids = node.get(PDFName.of("Kids"));
      const array = kids instanceof PDFRef ? await this.get(kids) : kids;
      if (!(array instanceof PDFArray)) throw new LazyPdfError("page tree node without kids");
      const refs = array.asArray();
      const count = numberIn(node, "Count");
      let next: PDFRef | undefined;
      if (count === refs.length && refs[left] instanceof PDFRef) {
        next = refs[left] as PDFRef;
        left = 0;
      } else {
        for (const kid of refs) {
          if (!(kid instanceof PDFRef)) throw new LazyPdfError("page tree kid is not a ref");
          const child = await this.dict(kid);
          if (!child) throw new LazyPdfError("page tree kid missing");
          const size = child instanceof PDFPageTree || numberIn(child, "Kids") !== undefined ||
              child.has(PDFName.of("Kids"))
            ? numberIn(child, "Count") ?? 0
            : 1;
          if (left < size) {
            next = kid;
            break;
          }
          left -= size;
        }
      }
      if (!next) throw new LazyPdfError("page not in the tree");
      const child = await this.dict(next);
      if (child instanceof PDFPageLeaf) {
        return { ref: next, leaf: child };
      }
      if (!child || !child.has(PDFName.of("Kids"))) throw new LazyPdfError("odd page tree node");
      node = child;
    }
    throw new LazyPdfError("page tree too deep");
  }
}
