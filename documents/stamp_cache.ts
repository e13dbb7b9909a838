/**
 * What the stamp engine keeps between requests, one per server: the cross-reference index of
 * each PDF served page by page (a few KB each, so many are kept), and whole-file parses for
 * the PDFs the lazy reader does not take and for whole-document copies (large, few kept).
 */
import type { ByteSource } from "./http_range.ts";
import { LazyPdfError, openPdfIndex, type PdfIndex } from "./lazy_pdf.ts";
import { ParsedPdfs } from "./parsed_pdfs.ts";

export interface StampCacheOptions {
  /** Source bytes of whole-file parses kept (default 512 MiB). */
  maxParsedBytes?: number;
  /** Cross-reference indexes kept (default 256). */
  maxIndexes?: number;
  /**
   * Pages stamped at once (default 4); the others wait their turn in arrival order. Without a
   * limit, a burst shares the CPU among all its pages and some wait far longer than the rest;
   * in order, each waits about as long as the others.
   */
  maxConcurrent?: number;
}

export class StampCache {
  readonly parsed: ParsedPdfs;
  private readonly maxIndexes: number;
  /** undefined: the lazy reader does not take this file, go straight to the whole parse. */
  private readonly indexes = new Map<string, Promise<PdfIndex | undefined>>();

  private readonly maxConcurrent: number;
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(options: StampCacheOptions = {}) {
    this.parsed = new ParsedPdfs(options.maxParsedBytes);
    this.maxIndexes = options.maxIndexes ?? 256;
    this.maxConcurrent = options.maxConcurrent ?? 4;
  }

  /** Runs `job` when one of the `maxConcurrent` places is free, first come first served. */
  async inTurn<T>(job: () => Promise<T>): Promise<T> {
    if (this.running >= this.maxConcurrent) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await job();
    } finally {
      // The place passes straight to the next in line, or is freed.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  /** The index of `source`, read once; undefined when the file needs the whole parse. */
  index(source: ByteSource): Promise<PdfIndex | undefined> {
    const key = source.etag;
    const kept = this.indexes.get(key);
    if (kept) {
      // Map order is insertion order: moving the entry to the end keeps it recently used.
      this.indexes.delete(key);
      this.indexes.set(key, kept);
      return kept;
    }
    const made = openPdfIndex(source).catch((err) => {
      if (err instanceof LazyPdfError) return undefined;
      this.indexes.delete(key); // a store error: try again next time
      throw err;
    });
    this.indexes.set(key, made);
    while (this.indexes.size > this.maxIndexes) {
      const oldest = this.indexes.keys().next().value;
      if (oldest === undefined) break;
      this.indexes.delete(oldest);
    }
    return made;
  }

  /** Marks `source` as one the lazy reader failed on. */
  giveUpLazy(source: ByteSource): void {
    this.indexes.set(source.etag, Promise.resolve(undefined));
  }
}
