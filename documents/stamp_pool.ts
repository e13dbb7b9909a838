/**
 * Stamped pages made off the server's request thread. A page costs a store read (AES-GCM for
 * an encrypted store) and pdf-lib's parse, copy and save of its objects: ~15 ms of CPU, which on
 * the request thread every search and every other page waited behind. `StampPool` hands each
 * page to one of a few workers (documents/_stamp_worker.ts; 1 by default, the 2-core kiosk
 * keeping the other core for requests), each with its own store handle and StampCache, and
 * gets the one-page PDF back transferred, not copied.
 *
 * Nothing is checked in a worker: the caller has checked the grant, the holder and the page
 * range before it asks. Errors come back as the kinds they were (StampError with its reason,
 * FileStoreError with its reason), so the routes answer them as before.
 *
 * `inProcessStamper` is the same contract on the calling thread (tests, tools, a source that
 * is not a stored file).
 */
import { type FileStore, FileStoreError } from "./file_store.ts";
import {
  type Stamp,
  type StampableDocument,
  StampCache,
  stampedPage,
  StampError,
  stampPageCount,
  tiffPageImage,
} from "./stamp.ts";
import type { StampCacheOptions } from "./stamp_cache.ts";
import { isStoreByteSource, type StoreByteSource } from "./store_byte_source.ts";
import type {
  StampJob,
  StampJobBody,
  StampJobFailure,
  StampJobResult,
  StampWorkerInit,
  StoredDoc,
} from "./_stamp_messages.ts";

/** A stamped page and its ETag (the hex SHA-256 of its bytes). */
export interface StampedPage {
  bytes: Uint8Array;
  etag: string;
}

/** The hex SHA-256 of `bytes` (a page's ETag; hashed where the page is made). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const hash = new Uint8Array(
    await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>),
  );
  return Array.from(hash, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** What the consultation routes ask of a stamp engine. */
export interface PageStamper {
  /** How many pages the viewer can ask for. */
  pageCount(doc: StampableDocument): Promise<number>;
  /** Page `pageIndex` (0-based) as a one-page stamped PDF; StampError/FileStoreError as stamp.ts. */
  page(doc: StampableDocument, pageIndex: number, stamp: Stamp): Promise<StampedPage>;
  /** Stops the workers; what was still waiting fails. */
  close(): Promise<void>;
}

/** Stamps on the calling thread, with `cache`. */
export function inProcessStamper(cache: StampCache): PageStamper {
  return {
    pageCount: (doc) => stampPageCount(doc, cache),
    page: async (doc, pageIndex, stamp) => {
      const bytes = await stampedPage(doc, pageIndex, stamp, cache);
      return { bytes, etag: await sha256Hex(bytes) };
    },
    close: () => Promise.resolve(),
  };
}

export interface StampPoolOptions {
  /** Workers (default 1); each keeps its own caches, so more workers read more indexes. */
  workers?: number;
  /** The StampCache of each worker. */
  cache?: StampCacheOptions;
  /** Page counts of files remembered here (default 1024): the route asks one per page. */
  maxCounts?: number;
}

interface Pending {
  resolve(result: StampJobResult): void;
  reject(err: Error): void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
}

/** Why a stamp job ended without an answer of the worker. */
export class StampPoolClosed extends Error {
  constructor() {
    super("stamp pool closed");
    this.name = "StampPoolClosed";
  }
}

function errorOf(failure: StampJobFailure): Error {
  switch (failure.kind) {
    case "stamp":
      return new StampError(failure.reason, failure.message);
    case "store":
      return new FileStoreError(failure.reason, failure.message);
    default:
      return new Error(`timbro: ${failure.message}`);
  }
}

export class StampPool implements PageStamper, AsyncDisposable {
  private readonly size: number;
  private readonly slots: Slot[] = [];
  private readonly counts = new Map<string, Promise<number>>();
  private readonly maxCounts: number;
  private nextId = 1;
  private closed = false;
  /** For a document that is not a stored file: stamped here, as before the pool. */
  private local: PageStamper | undefined;

  constructor(private readonly store: FileStore, private readonly options: StampPoolOptions = {}) {
    this.size = Math.max(1, Math.floor(options.workers ?? 1));
    this.maxCounts = options.maxCounts ?? 1024;
  }

  /** Workers started so far (they start on the first page asked, or at `warmUp`). */
  get running(): number {
    return this.slots.length;
  }

  /**
   * Starts the workers now: loading a worker's modules takes a few hundred ms, which the
   * first page of the first consultation would otherwise wait.
   */
  warmUp(): void {
    while (!this.closed && this.slots.length < this.size) this.start();
  }

  async pageCount(doc: StampableDocument): Promise<number> {
    if (doc.mime === "image/tiff") return doc.pages.count;
    if (doc.mime !== "application/pdf") return 1;
    if (!isStoreByteSource(doc.source)) return await this.inProcess().pageCount(doc);
    const sha = doc.source.sha256;
    const kept = this.counts.get(sha);
    if (kept) return await kept;
    // A file's bytes never change under its hash, so neither does its page count.
    const asked = this.ask({ op: "count", doc: storedDoc(doc.source, doc.mime) })
      .then((r) => ("count" in r ? r.count : Number.NaN));
    this.counts.set(sha, asked);
    asked.catch(() => this.counts.delete(sha));
    while (this.counts.size > this.maxCounts) {
      const oldest = this.counts.keys().next().value;
      if (oldest === undefined) break;
      this.counts.delete(oldest);
    }
    return await asked;
  }

  async page(doc: StampableDocument, pageIndex: number, stamp: Stamp): Promise<StampedPage> {
    // A TIFF page is converted (and stored) here, by the TIFF page cache; the worker gets the
    // page's PNG as a stored image.
    const source = doc.mime === "image/tiff"
      ? await tiffPageImage(doc.pages, pageIndex)
      : doc.source;
    if (!isStoreByteSource(source)) return await this.inProcess().page(doc, pageIndex, stamp);
    const mime = doc.mime === "image/tiff" ? "image/png" : doc.mime;
    await source.noteUse();
    const result = await this.ask({
      op: "page",
      doc: storedDoc(source, mime),
      pageIndex: doc.mime === "image/tiff" ? 0 : pageIndex,
      stamp,
    });
    if (!("pdf" in result)) throw new Error("timbro: risposta inattesa del worker");
    return { bytes: result.pdf, etag: result.etag };
  }

  close(): Promise<void> {
    this.closed = true;
    for (const slot of this.slots.splice(0)) this.stop(slot, new StampPoolClosed());
    return Promise.resolve();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  private inProcess(): PageStamper {
    this.local ??= inProcessStamper(new StampCache(this.options.cache));
    return this.local;
  }

  private ask(job: StampJobBody): Promise<StampJobResult> {
    if (this.closed) return Promise.reject(new StampPoolClosed());
    const slot = this.slot();
    const id = this.nextId++;
    return new Promise<StampJobResult>((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      const message: StampJob = { ...job, id };
      slot.worker.postMessage(message);
    }).then((result) => {
      if ("failed" in result) throw errorOf(result.failed);
      return result;
    });
  }

  /** The worker with the fewest pages in hand, started while fewer than `size` run. */
  private slot(): Slot {
    const idle = this.slots.find((s) => s.pending.size === 0);
    if (idle) return idle;
    if (this.slots.length < this.size) return this.start();
    return this.slots.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
  }

  private start(): Slot {
    const worker = new Worker(new URL("./_stamp_worker.ts", import.meta.url), {
      type: "module",
    });
    const slot: Slot = { worker, pending: new Map() };
    const init: StampWorkerInit = { store: this.store.handle(), cache: this.options.cache ?? {} };
    worker.postMessage(init);
    worker.onmessage = (event: MessageEvent<StampJobResult>) => {
      const pending = slot.pending.get(event.data.id);
      slot.pending.delete(event.data.id);
      pending?.resolve(event.data);
    };
    // A worker that dies (out of memory, a bug) fails what it held and is replaced on the next
    // page; the server goes on.
    worker.onerror = (event) => {
      event.preventDefault();
      const at = this.slots.indexOf(slot);
      if (at >= 0) this.slots.splice(at, 1);
      this.stop(slot, new Error(`timbro: il worker si è fermato: ${event.message}`));
    };
    this.slots.push(slot);
    return slot;
  }

  private stop(slot: Slot, reason: Error): void {
    slot.worker.terminate();
    for (const pending of slot.pending.values()) pending.reject(reason);
    slot.pending.clear();
  }
}

function storedDoc(source: StoreByteSource, mime: StoredDoc["mime"]): StoredDoc {
  return { sha256: source.sha256, bytes: source.bytes, mime };
}
