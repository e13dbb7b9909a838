/**
 * The import's file step, on the main thread between a batch's validation (worker) and its
 * SQL transaction: the files a line names are checked and put into the store, and a line
 * with a bad file is dropped from the batch whole (its row is never written, and the files
 * its other documents had just added are removed again).
 */
import type * as pkijs from "pkijs";
import type { FileStore } from "../documents/file_store.ts";
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
const LINES_AT_ONCE = 4;
/** The lock every line with a signed envelope takes: its content's hash is not known ahead. */
const ENVELOPE_KEY = "*envelope";

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

/** A file step for one import run. */
export function createFileImporter(options: ImportFilesOptions, clock: () => Date) {
  const counts: FileCounts = { stored: 0, known: 0, absent: 0, bytes: 0 };
  let bytesDone = 0;
  let filesDone = 0;
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
    const files: (NamedFile & { path: string })[] = [];
    let absent = 0;
    for (const named of namedFiles(p, i)) {
      if (!safeRelative(named.file)) {
        return `riga ${p.lines[i]}: ${named.field}: percorso non valido "${named.file}" ` +
          "(relativo, senza ..)";
      }
      const path = `${options.root}/${named.file}`;
      if (!options.strict && !await presentFile(path, named.file)) absent++;
      else files.push({ ...named, path });
    }
    return { files, absent };
  }

  async function storeLine(
    line: number,
    files: (NamedFile & { path: string })[],
    dirsToSync: Set<string>,
  ): Promise<IngestedFile[] | string> {
    const done: IngestedFile[] = [];
    const fail = async (field: string, reason: string) => {
      for (const f of done) await undoIngest(options.store, f);
      return `riga ${line}: ${field}: ${reason}`;
    };
    for (const named of files) {
      let seen = 0; // this file's bytes already counted in bytesDone
      try {
        const file = await ingestFile(options.store, { path: named.path }, {
          expected: { sha256: named.sha256, bytes: named.bytes },
          fileName: named.file.slice(named.file.lastIndexOf("/") + 1),
          ...(options.anchors ? { anchors: options.anchors } : {}),
          clock,
          dirsToSync,
          onProgress: (n) => {
            bytesDone += n - seen;
            seen = n;
            options.onProgress?.(bytesDone, filesDone);
          },
        });
        filesDone++;
        if (file.created) {
          counts.stored++;
          counts.bytes += file.bytes;
        } else counts.known++;
        done.push(file);
      } catch (err) {
        if (err instanceof IngestError) {
          const reason = err.reason === "missing" ? `${err.message} (${named.file})` : err.message;
          return await fail(named.field, reason);
        }
        await fail(named.field, "");
        throw err;
      }
    }
    return done;
  }

  async function presentFile(path: string, relative: string): Promise<boolean> {
    if (!await mayExist(relative)) return false;
    try {
      await Deno.stat(path);
      return true;
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) return false;
      throw err;
    }
  }

  return {
    counts,
    /**
     * Stores the files of the batch's records. `writable` says which positions the database
     * would accept (the taken-number check): asked only when some file is there to copy, so
     * a metadata-only batch costs one look per missing folder and no query.
     */
    async storeBatch(p: PreparedRecords, writable: () => Promise<number[]>): Promise<BatchFiles> {
      const result: BatchFiles = { refused: new Map(), rows: new Map() };
      const plans = new Map<number, { files: (NamedFile & { path: string })[]; absent: number }>();
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
      const lock = fileLocks();
      // Several lines at once: one line's fsync waits while the next is read and hashed.
      const worker = async () => {
        for (let next = queue.shift(); next; next = queue.shift()) {
          const [i, plan] = next;
          const outcome = await lock(
            lockKeys(plan.files),
            () => storeLine(p.lines[i] ?? 0, plan.files, dirsToSync),
          );
          if (typeof outcome === "string") result.refused.set(i, outcome);
          else {
            const now = clock();
            result.rows.set(i, outcome.flatMap((f) => ingestedRows(f, now)));
          }
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
