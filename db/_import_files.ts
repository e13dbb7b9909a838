/**
 * The import's file step, on the main thread between a batch's validation (worker) and its
 * SQL transaction: the files a line names are checked and put into the store, and a line
 * with a bad file is dropped from the batch whole (its row is never written, and the files
 * its other documents had just added are removed again).
 */
import type * as pkijs from "pkijs";
import type { FileStore } from "../documents/file_store.ts";
import type { SupportedMime } from "../documents/file_type.ts";
import {
  type IngestedFile,
  ingestedRows,
  IngestError,
  ingestFile,
  undoIngest,
} from "../documents/ingest.ts";
import { type NamedFile, namedFiles, type PreparedRecords } from "./_prepared_batch.ts";
import type { documentFiles } from "./schema.ts";

/** Where the files are and how strictly they are required (docs/IMPORT.md "Files"). */
export interface ImportFilesOptions {
  store: FileStore;
  /** The folder file names are relative to. */
  root: string;
  /**
   * True (`--files DIR`): every named file must be there. False (the JSONL's folder): a file
   * that is not there leaves its document metadata-only, one that is there is checked.
   */
  strict: boolean;
  anchors?: pkijs.Certificate[];
  /** Bytes read into the store so far and files done, after each piece. */
  onProgress?: (bytes: number, files: number) => void;
}

/** What the file step counts over a whole import. */
export interface FileCounts {
  /** Files copied into the store. */
  stored: number;
  /** Files the store already held (nothing copied). */
  known: number;
  /** Files named but not under the root (metadata-only documents; lenient mode only). */
  absent: number;
  /** Bytes copied into the store. */
  bytes: number;
}

/** The outcome of one batch's files. */
export interface BatchFiles {
  /** Positions refused, with their `riga N: campo: motivo` message. */
  refused: Map<number, string>;
  /** `document_files` rows per kept position. */
  rows: Map<number, (typeof documentFiles.$inferInsert)[]>;
}

/** Lines whose files are checked in at the same time. */
const LINES_AT_ONCE = 8;
/**
 * Files copied at the same time, over all lines: each waits mostly on its fsync, and the disk
 * takes several at once far faster than one after another (docs/DOCUMENTS.md "Import").
 */
const FILES_AT_ONCE = 8;
/** The lock every line with a signed envelope takes: its content's hash is not known ahead. */
const ENVELOPE_KEY = "*envelope";
const ENVELOPE_MIME = "application/pkcs7-mime";

/**
 * What a line's files must not share with another line in flight: their hashes. A line that
 * fails removes the files it created, so a second line must not count one of them as already
 * there until the first has finished. Envelopes (named .p7m) store a content whose hash only
 * their reading tells, so lines with one run alone among envelope lines.
 */
function lockKeys(files: readonly NamedFile[]): string[] {
  const keys = files.map((f) => f.sha256.toLowerCase());
  if (files.some((f) => /\.p7m$/i.test(f.file))) keys.push(ENVELOPE_KEY);
  return keys;
}

/** Runs `work` once no other running work holds any of `keys`. */
function fileLocks() {
  const held = new Map<string, Promise<void>>();
  return async <T>(keys: string[], work: () => Promise<T>): Promise<T> => {
    for (;;) {
      const busy = keys.map((k) => held.get(k)).filter((p) => p !== undefined);
      if (busy.length === 0) break;
      await Promise.all(busy);
    }
    let release!: () => void;
    const mine = new Promise<void>((resolve) => release = resolve);
    for (const k of keys) held.set(k, mine);
    try {
      return await work();
    } finally {
      for (const k of keys) if (held.get(k) === mine) held.delete(k);
      release();
    }
  };
}

/** Runs at most `n` works at once (a work never waits for a lock while it holds a slot). */
function slots(n: number) {
  let free = n;
  const waiting: (() => void)[] = [];
  return async <T>(work: () => Promise<T>): Promise<T> => {
    if (free > 0) free--;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else free++;
    }
  };
}

/** What this node's database recorded as stored and verified, by sha256 (`present` rows). */
export type VerifiedFiles = Map<string, { bytes: number; mime: string }>;

/** A named file to check in, with its size when the plan already looked (lenient mode). */
type PlannedFile = NamedFile & { path: string; size?: number };

/** One file of a line, done: what the store holds, and whether its row needs writing. */
interface DoneFile {
  file: IngestedFile;
  /** False for a file taken as already stored and verified: its row is right already. */
  write: boolean;
}

/** A file step for one import run. */
export function createFileImporter(options: ImportFilesOptions, clock: () => Date) {
  const counts: FileCounts = { stored: 0, known: 0, absent: 0, bytes: 0 };
  let bytesDone = 0;
  let filesDone = 0;
  const fileSlot = slots(FILES_AT_ONCE);
  // Lenient mode on a metadata-only tree: one stat per missing top folder, not per file.
  const dirs = new Map<string, boolean>();
  const dirExists = async (dir: string) => {
    const known = dirs.get(dir);
    if (known !== undefined) return known;
    let exists = false;
    try {
      exists = (await Deno.stat(dir)).isDirectory;
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound)) throw err;
    }
    if (dirs.size > 10_000) dirs.clear();
    dirs.set(dir, exists);
    return exists;
  };
  const mayExist = async (relative: string) => {
    const parts = relative.split("/");
    let dir = options.root;
    for (const part of parts.slice(0, -1)) {
      dir = `${dir}/${part}`;
      if (!await dirExists(dir)) return false;
    }
    return true;
  };

  /** The files of line `i` to check in, or its refusal for a path that leaves the root. */
  async function planLine(p: PreparedRecords, i: number) {
    const files: PlannedFile[] = [];
    let absent = 0;
    for (const named of namedFiles(p, i)) {
      if (!safeRelative(named.file)) {
        return `riga ${p.lines[i]}: ${named.field}: percorso non valido "${named.file}" ` +
          "(relativo, senza ..)";
      }
      const path = `${options.root}/${named.file}`;
      if (options.strict) {
        files.push({ ...named, path });
        continue;
      }
      const info = await presentInfo(path, named.file);
      if (!info) absent++;
      // Not a file (a folder): ingestFile says so.
      else files.push({ ...named, path, ...(info.isFile ? { size: info.size } : {}) });
    }
    return { files, absent };
  }

  /**
   * One file in. The fast path of a re-import: when the database recorded these bytes as
   * stored and verified (a `present` row of the line's size, not an envelope), the source
   * has the line's size and the store's file has it too, nothing is read: the hash and the
   * type were checked when the bytes came in, and the row is only written after that check and
   * the fsyncs. Anything else goes through `ingestFile`, which reads and verifies the source;
   * a store file the database does not vouch for is then replaced by the verified copy.
   */
  async function storeOne(
    named: PlannedFile,
    verified: VerifiedFiles,
    dirsToSync: Set<string>,
  ): Promise<DoneFile> {
    const sha256 = named.sha256.toLowerCase();
    const row = verified.get(sha256);
    const vouched = row !== undefined && row.bytes === named.bytes;
    if (vouched && row.mime !== ENVELOPE_MIME) {
      const size = named.size ?? await sourceSize(named.path);
      const here = size === named.bytes
        ? await options.store.stat(sha256).catch(() => undefined)
        : undefined;
      if (here && here.bytes === named.bytes) {
        filesDone++;
        options.onProgress?.(bytesDone, filesDone);
        const file = { sha256, bytes: named.bytes, mime: row.mime as SupportedMime };
        return { file: { ...file, created: false }, write: false };
      }
    }
    let seen = 0; // this file's bytes already counted in bytesDone
    // Only copies take a slot: the fast path's two stats run for every line in flight.
    const file = await fileSlot(() =>
      ingestFile(options.store, { path: named.path }, {
        expected: { sha256: named.sha256, bytes: named.bytes },
        fileName: named.file.slice(named.file.lastIndexOf("/") + 1),
        ...(options.anchors ? { anchors: options.anchors } : {}),
        clock,
        dirsToSync,
        // An envelope the database vouches for is read and verified again; its stored files
        // are taken by name and size. A file it does not vouch for is copied in again.
        trustExisting: vouched,
        onProgress: (n) => {
          bytesDone += n - seen;
          seen = n;
          options.onProgress?.(bytesDone, filesDone);
        },
      })
    );
    filesDone++;
    return { file, write: true };
  }

  /**
   * A line's files, several at once; when one fails, once all have settled, the files this
   * line created are removed again and the first failure (in the line's order) is its error.
   */
  async function storeLine(
    line: number,
    files: PlannedFile[],
    verified: VerifiedFiles,
    dirsToSync: Set<string>,
  ): Promise<DoneFile[] | string> {
    const settled = await Promise.allSettled(
      files.map((named) => storeOne(named, verified, dirsToSync)),
    );
    const done = settled.flatMap((s) => s.status === "fulfilled" ? [s.value] : []);
    const failed = settled.findIndex((s) => s.status === "rejected");
    if (failed < 0) return done;
    for (const d of done) await undoIngest(options.store, d.file);
    const err = (settled[failed] as PromiseRejectedResult).reason;
    if (!(err instanceof IngestError)) throw err;
    const named = files[failed]!;
    const reason = err.reason === "missing" ? `${err.message} (${named.file})` : err.message;
    return `riga ${line}: ${named.field}: ${reason}`;
  }

  /** The size of the file at `path`, or undefined when it is not there (or not a file). */
  async function sourceSize(path: string): Promise<number | undefined> {
    try {
      const info = await Deno.stat(path);
      return info.isFile ? info.size : undefined;
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) return undefined;
      throw err;
    }
  }

  /** Lenient mode: what is at the path of a named file, undefined when nothing is. */
  async function presentInfo(path: string, relative: string): Promise<Deno.FileInfo | undefined> {
    if (!await mayExist(relative)) return undefined;
    try {
      return await Deno.stat(path);
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) return undefined;
      throw err;
    }
  }

  return {
    counts,
    /**
     * Stores the files of the batch's records. `writable` says which positions the database
     * would accept (the taken-number check) and `verified` which of the named hashes it holds
     * stored and verified: both asked only when some file is there to copy, so a
     * metadata-only batch costs one look per missing folder and no query.
     */
    async storeBatch(
      p: PreparedRecords,
      writable: () => Promise<number[]>,
      verified: (sha256s: string[]) => Promise<VerifiedFiles>,
    ): Promise<BatchFiles> {
      const result: BatchFiles = { refused: new Map(), rows: new Map() };
      const plans = new Map<number, { files: PlannedFile[]; absent: number }>();
      for (let i = 0; i < p.ids.length; i++) {
        if (!p.files[i]) continue;
        const plan = await planLine(p, i);
        if (typeof plan === "string") result.refused.set(i, plan);
        else plans.set(i, plan);
      }
      const toCopy = [...plans.values()].some((plan) => plan.files.length > 0);
      const free = toCopy ? new Set(await writable()) : undefined;
      // The store's new folder entries, made durable together before the rows are written.
      const dirsToSync = new Set<string>();
      const queue = [...plans].filter(([i, plan]) => {
        // A line refused for its number is reported by the transaction; its files stay out.
        if (free && !free.has(i)) return false;
        counts.absent += plan.absent;
        return plan.files.length > 0;
      });
      const hashes = new Set(
        queue.flatMap(([, plan]) => plan.files.map((f) => f.sha256.toLowerCase())),
      );
      const known = hashes.size > 0 ? await verified([...hashes]) : new Map();
      const lock = fileLocks();
      // Several lines at once, and their files at once (fileSlot): fsyncs overlap.
      const worker = async () => {
        for (let next = queue.shift(); next; next = queue.shift()) {
          const [i, plan] = next;
          const outcome = await lock(
            lockKeys(plan.files),
            () => storeLine(p.lines[i] ?? 0, plan.files, known, dirsToSync),
          );
          if (typeof outcome === "string") {
            result.refused.set(i, outcome);
            continue;
          }
          const now = clock();
          for (const { file } of outcome) {
            if (file.created) {
              counts.stored++;
              counts.bytes += file.bytes;
            } else counts.known++;
          }
          result.rows.set(
            i,
            outcome.flatMap((d) => d.write ? ingestedRows(d.file, now) : []),
          );
        }
      };
      // Settled, not raced: an unexpected error surfaces once every line in flight is done.
      const settled = await Promise.allSettled(Array.from({ length: LINES_AT_ONCE }, worker));
      for (const s of settled) if (s.status === "rejected") throw s.reason;
      await options.store.syncDirs(dirsToSync);
      options.onProgress?.(bytesDone, filesDone);
      return result;
    },
  };
}

/** A relative path inside the root: no leading slash, no `..`, no backslash, no empty part. */
function safeRelative(file: string): boolean {
  if (file.startsWith("/") || file.includes("\\") || file.includes("\0")) return false;
  return file.split("/").every((part) => part !== "" && part !== "." && part !== "..");
}
