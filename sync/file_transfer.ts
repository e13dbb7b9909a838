/**
 * Branch side: moves document bytes to and from the archive in chunks sized to the link
 * (docs/SYNC.md "Files").
 *
 * Download: each chunk is a Range request whose answer carries the sha256 of its bytes; a
 * chunk is written to the partial file, fsynced, and only then is `bytes_done` advanced in
 * `file_transfers`, so a cut or a kill -9 resumes there and re-fetches at most the chunk that
 * was in flight. The bytes of a chunk cut mid-body are kept in memory and checked by the
 * next request (`X-Verify-Range`), so a link that drops every few seconds loses little. At
 * the end the whole file's sha256 is checked; a mismatch (bytes damaged on disk) re-fetches
 * only the chunks whose recorded digest no longer matches. Then the file enters the store
 * and becomes visible.
 *
 * Upload: chunks appended to the archive's partial file at the offset it reports, each with
 * its digest; the archive checks the whole file before storing it, and answers "already
 * here" to anything after that, so a retry never duplicates.
 */
import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type * as pkijs from "pkijs";
import type { Db } from "../db/client.ts";
import { recordDocumentFiles, setDocumentFilePinned } from "../db/document_files.ts";
import { documentFiles as documentFilesTable, fileTransfers } from "../db/schema.ts";
import type { FileStore } from "../documents/file_store.ts";
import { ingestedRows, IngestError, ingestFile } from "../documents/ingest.ts";
import { backoffDelay, createPageSizer, type PageSizer } from "./backoff.ts";
import { SyncAuthError, SyncProtocolError, SyncTransientError } from "./errors.ts";
import { CutBody, fetchRange, NotThereYet, putChunk, readBody, uploadState } from "./file_http.ts";
import {
  downloadPartialPath,
  downloadQueue,
  evictToBudget,
  type FileTransferRow,
  planDownloads,
  uploadQueue,
} from "./file_queue.ts";
import { addTraffic } from "./sync_state.ts";
import { reconcileGrantPins } from "../db/grant_pins.ts";
import type { Transport } from "./transport.ts";
import { syncReason, syncReasonAround } from "./reasons.ts";

// The reasons a file waits or fails, as the admin page shows them (sync/reasons.ts).
const HELD_ALTERED = syncReason((r) => r.heldAltered);
const BLOCK_ALTERED = syncReason((r) => r.blockAltered);
const REPAIR_ALTERED = syncReason((r) => r.repairAltered);
const WHOLE_ALTERED = syncReason((r) => r.wholeAltered);
const NOT_IN_STORE = syncReason((r) => r.notInStore);
const NOT_CONFIRMED = syncReason((r) => r.notConfirmed);

/** What moving files needs. */
export interface FileTransferDeps {
  db: Db;
  store: FileStore;
  transport: Transport;
  clock: () => Date;
  /** Bytes of public attachments (and everything else unpinned) this branch may hold. */
  budgetBytes: number;
  /** Trust anchors, so a signed file fetched here is verified like one imported here. */
  anchors?: pkijs.Certificate[] | undefined;
  /** This branch's name: grants that ended by the clock since the last run are unpinned. */
  branchName?: string | undefined;
}

/** How hard to try, and how to size chunks. */
export interface FileTransferOptions {
  /** Consecutive failures with no verified byte between before a file is left for later. */
  maxAttempts: number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  backoffBaseMs: number;
  backoffCapMs: number;
  /** Learns the link across files and runs. */
  sizer: PageSizer;
  /** Test hook: stop (as if killed) after this many chunks were committed. */
  stopAfterChunks?: number;
}

/**
 * A chunk size that aims at ~12 s per request: a 600 ms round trip then costs about 5 %, and a
 * kill loses at most that much of the link's time (the bytes of a cut chunk are kept anyway).
 */
export function createChunkSizer(maxBytes = 8 * 1024 * 1024): PageSizer {
  return createPageSizer({
    initial: Math.min(64 * 1024, maxBytes),
    min: Math.min(16 * 1024, maxBytes),
    max: maxBytes,
    targetMs: 12_000,
  });
}

export const DEFAULT_FILE_OPTIONS: Omit<FileTransferOptions, "sizer"> = {
  maxAttempts: 6,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
  // A cut link often answers again at once: the first retry is quick.
  backoffBaseMs: 250,
  backoffCapMs: 60_000,
};

/** What a run moved. */
export interface FileRunReport {
  downloaded: number;
  uploaded: number;
  /** Files left for a later run (archive unreachable, file not there yet…). */
  stalled: number;
  bytesReceived: number;
  bytesSent: number;
  evicted: number;
}

/** The archive refused a file for good (wrong hash twice, unknown type…): reason in Italian. */
class FileFailed extends Error {}

/** Stops a test run at a chunk boundary, as a kill -9 would (nothing after is written). */
export class StoppedForTest extends Error {}

type Chunk = [start: number, length: number, sha256: string];

/**
 * Uploads what waits to go up, plans and fetches what this branch should hold, then evicts
 * to the budget. A file that cannot move now is left `stalled` (or `failed`) with its reason
 * and the run goes on with the next; auth and protocol refusals end the run.
 */
export async function runFileTransfers(
  deps: FileTransferDeps,
  options: Partial<FileTransferOptions> = {},
): Promise<FileRunReport> {
  const o: FileTransferOptions = {
    ...DEFAULT_FILE_OPTIONS,
    sizer: createChunkSizer(),
    ...options,
  };
  const report: FileRunReport = {
    downloaded: 0,
    uploaded: 0,
    stalled: 0,
    bytesReceived: 0,
    bytesSent: 0,
    evicted: 0,
  };
  const counter = { chunks: 0 };
  for (const row of await uploadQueue(deps.db)) {
    if (await moveOne(deps, o, row, report, counter, uploadFile)) report.uploaded++;
  }
  // A grant expires by the clock, with no write to say so: its pins go before the plan.
  if (deps.branchName) await reconcileGrantPins(deps.db, deps.branchName, deps.clock());
  const keep = await planDownloads(deps.db, deps.store, deps.budgetBytes, deps.clock());
  for (const row of await downloadQueue(deps.db)) {
    if (await moveOne(deps, o, row, report, counter, downloadFile)) report.downloaded++;
  }
  const freed = await evictToBudget(deps.db, deps.store, deps.budgetBytes, keep, deps.clock());
  report.evicted = freed.files;
  await addTraffic(deps.db, report.bytesReceived, report.bytesSent, deps.clock());
  return report;
}

type Mover = (
  deps: FileTransferDeps,
  o: FileTransferOptions,
  row: FileTransferRow,
  report: FileRunReport,
  progress: () => void,
  counter: { chunks: number },
  carry: Carry,
) => Promise<void>;

/** Kept across the retries of one file: the bytes of a chunk cut mid-body, not yet verified. */
interface Carry {
  held?: { start: number; bytes: Uint8Array } | undefined;
}

/** Moves one file with retries; true when it arrived (or went up). */
async function moveOne(
  deps: FileTransferDeps,
  o: FileTransferOptions,
  row: FileTransferRow,
  report: FileRunReport,
  counter: { chunks: number },
  move: Mover,
): Promise<boolean> {
  let failures = 0;
  const progress = () => (failures = 0);
  const carry: Carry = {};
  for (;;) {
    try {
      await setState(deps, row, { state: "running", lastError: null });
      await move(deps, o, row, report, progress, counter, carry);
      return true;
    } catch (err) {
      if (err instanceof StoppedForTest) throw err;
      if (err instanceof SyncAuthError || err instanceof SyncProtocolError) {
        await setState(deps, row, { state: "failed", lastError: err.message });
        throw err;
      }
      // A cut that brought bytes made progress: ask for the rest at once (a link that drops
      // every few seconds would otherwise spend its time waiting).
      if (err instanceof CutBody && carry.held) continue;
      failures++;
      const reason = err instanceof Error ? err.message : String(err);
      if (err instanceof FileFailed || err instanceof NotThereYet || failures >= o.maxAttempts) {
        await setState(deps, row, {
          state: err instanceof FileFailed ? "failed" : "stalled",
          lastError: reason,
        });
        report.stalled++;
        return false;
      }
      await setState(deps, row, { state: "running", lastError: reason });
      await o.sleep(backoffDelay(failures - 1, o.random, o.backoffBaseMs, o.backoffCapMs));
    }
  }
}

async function setState(
  deps: FileTransferDeps,
  row: FileTransferRow,
  set: Partial<Pick<FileTransferRow, "state" | "lastError" | "bytesDone" | "rate" | "chunks">>,
): Promise<void> {
  await deps.db.update(fileTransfers).set({ ...set, updatedAt: deps.clock().toISOString() })
    .where(and(eq(fileTransfers.sha256, row.sha256), eq(fileTransfers.direction, row.direction)));
}

// ---------------------------------------------------------------------------
// Download

/** Fetches one file into the store, resuming from its committed offset. */
const downloadFile: Mover = async (deps, o, row, report, progress, counter, carry) => {
  const { db, store } = deps;
  if (await store.has(row.sha256)) {
    // Arrived some other way (an import, another record's copy): just note it.
    await finishDownload(deps, row, undefined);
    return;
  }
  const current = await db.select().from(fileTransfers).where(
    and(eq(fileTransfers.sha256, row.sha256), eq(fileTransfers.direction, "down")),
  ).get();
  if (!current) return; // dropped from the queue meanwhile
  const path = downloadPartialPath(store, row.sha256);
  await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true, mode: 0o700 });
  const file = await Deno.open(path, { read: true, write: true, create: true, mode: 0o600 });
  try {
    const total = current.total;
    const chunks: Chunk[] = JSON.parse(current.chunks);
    let offset = current.bytesDone;
    // Bytes past the committed offset were never acknowledged: they are not trusted.
    await file.truncate(offset);
    // Bytes of a chunk cut mid-body in an earlier try, if they start where we are.
    let held = carry.held?.start === offset ? carry.held.bytes : undefined;
    carry.held = undefined;
    // One buffer for every chunk of this file, grown when the sizer asks for more: each chunk
    // is written and hashed before the next is read.
    let buffer = new Uint8Array(0);
    const commit = async (start: number, bytes: Uint8Array, sha: string, rate?: number) => {
      await writeAt(file, start, bytes);
      await file.syncData();
      chunks.push([start, bytes.byteLength, sha]);
      offset = Math.max(offset, start + bytes.byteLength);
      await setState(deps, row, {
        bytesDone: offset,
        chunks: JSON.stringify(chunks),
        ...(rate === undefined ? {} : { rate: Math.round(rate) }),
      });
      report.bytesReceived += bytes.byteLength;
      progress();
      if (o.stopAfterChunks !== undefined && ++counter.chunks >= o.stopAfterChunks) {
        throw new StoppedForTest();
      }
    };
    while (offset < total) {
      const start = offset + (held?.byteLength ?? 0);
      const length = Math.min(o.sizer.next(), total - start);
      const started = performance.now();
      const heldNow = held;
      held = undefined;
      let got;
      try {
        got = await fetchRange(
          deps.transport,
          row.sha256,
          start,
          start + length - 1,
          heldNow ? [offset, offset + heldNow.byteLength - 1] : undefined,
        );
      } catch (err) {
        // Nothing came to check the held bytes against: keep them for the next try.
        if (heldNow) carry.held = { start: offset, bytes: heldNow };
        throw err;
      }
      if (heldNow) {
        if (got.verifySha === sha256Hex(heldNow)) {
          await commit(offset, heldNow, got.verifySha);
        } else {
          // The salvaged bytes were wrong: drop them and what follows, ask again from offset.
          await got.body.cancel().catch(() => {});
          o.sizer.failed();
          throw new SyncTransientError(HELD_ALTERED);
        }
      }
      if (buffer.length < length) buffer = new Uint8Array(length);
      const body = await readBody(got.body, length, (partial) => {
        if (partial.byteLength > 0) carry.held = { start, bytes: partial };
      }, buffer);
      const elapsed = performance.now() - started;
      const sha = sha256Hex(body);
      if (sha !== got.chunkSha) {
        o.sizer.failed();
        // No offsets in the text: each distinct text is remembered for translation.
        throw new SyncTransientError(BLOCK_ALTERED);
      }
      o.sizer.record(body.byteLength, elapsed, body.byteLength === length);
      await commit(start, body, sha, (body.byteLength * 1000) / Math.max(elapsed, 1));
    }
    await repairUntilWhole(deps, row, file, chunks, total, report);
  } finally {
    file.close();
  }
  await finishDownload(deps, row, path);
};

/**
 * Checks the whole partial file; on a mismatch re-hashes each recorded chunk on disk and
 * fetches again only those that changed. A file that still does not match starts over.
 */
async function repairUntilWhole(
  deps: FileTransferDeps,
  row: FileTransferRow,
  file: Deno.FsFile,
  chunks: Chunk[],
  total: number,
  report: FileRunReport,
): Promise<void> {
  if (await hashFile(file, 0, total) === row.sha256) return;
  let repaired = 0;
  for (const [start, length, sha] of chunks) {
    if (await hashFile(file, start, length) === sha) continue;
    const got = await fetchRange(deps.transport, row.sha256, start, start + length - 1);
    const body = await readBody(got.body, length, () => {});
    if (sha256Hex(body) !== sha) {
      throw new SyncTransientError(REPAIR_ALTERED);
    }
    await writeAt(file, start, body);
    await file.syncData();
    report.bytesReceived += length;
    repaired++;
  }
  if (repaired > 0 && await hashFile(file, 0, total) === row.sha256) return;
  // Nothing recorded explains the mismatch: start again from zero, on the next attempt.
  await file.truncate(0);
  await setState(deps, row, { bytesDone: 0, chunks: "[]" });
  throw new SyncTransientError(WHOLE_ALTERED);
}

/** The verified partial file enters the store; the file is now present and visible. */
async function finishDownload(
  deps: FileTransferDeps,
  row: FileTransferRow,
  path: string | undefined,
): Promise<void> {
  const now = deps.clock();
  let rows: ReturnType<typeof ingestedRows> | undefined;
  if (path) {
    let file;
    try {
      file = await ingestFile(deps.store, { path, consume: true }, {
        expected: { sha256: row.sha256, bytes: row.total },
        clock: deps.clock,
        ...(deps.anchors ? { anchors: deps.anchors } : {}),
      });
    } catch (err) {
      if (err instanceof IngestError) {
        throw new FileFailed(syncReasonAround((r, why) => r.notAccepted(why), err.message));
      }
      throw err;
    }
    rows = ingestedRows(file, now);
  }
  await deps.db.transaction(async (tx) => {
    if (rows) await recordDocumentFiles(tx, rows);
    else {
      await tx.update(documentFilesTable).set({ present: true, updatedAt: now.toISOString() })
        .where(eq(documentFilesTable.sha256, row.sha256));
    }
    // Just fetched counts as used: the budget must not evict it before anyone could look.
    await tx.update(documentFilesTable).set({ lastUsedAt: now.toISOString() })
      .where(eq(documentFilesTable.sha256, row.sha256));
    await tx.delete(fileTransfers).where(
      and(eq(fileTransfers.sha256, row.sha256), eq(fileTransfers.direction, "down")),
    );
  });
  if (path) await Deno.remove(path).catch(() => {});
}

// ---------------------------------------------------------------------------
// Upload

const uploadFile: Mover = async (deps, o, row, report, progress) => {
  const { db, store } = deps;
  if (!await store.has(row.sha256)) {
    throw new FileFailed(NOT_IN_STORE);
  }
  let state = await uploadState(deps.transport, row.sha256);
  let restarts = 0;
  while (!state.present) {
    const offset = state.offset;
    if (offset >= row.total) {
      throw new SyncTransientError(NOT_CONFIRMED);
    }
    const length = Math.min(o.sizer.next(), row.total - offset);
    const bytes = new Uint8Array(
      await new Response(await store.open(row.sha256, { start: offset, end: offset + length }))
        .arrayBuffer(),
    );
    const started = performance.now();
    const answer = await putChunk(deps.transport, row.sha256, offset, row.total, bytes);
    const elapsed = performance.now() - started;
    if (answer.conflict !== undefined) {
      if (answer.offset === undefined) throw new NotThereYet(answer.conflict);
      if (answer.offset === 0 && offset + length === row.total && ++restarts > 1) {
        throw new FileFailed(answer.conflict);
      }
      state = { offset: answer.offset, present: false };
      continue;
    }
    o.sizer.record(length, elapsed, true);
    report.bytesSent += length;
    progress();
    state = { offset: answer.offset ?? offset + length, present: answer.present };
    await setState(deps, row, {
      bytesDone: Math.min(state.offset, row.total),
      rate: Math.round((length * 1000) / Math.max(elapsed, 1)),
    });
  }
  const now = deps.clock();
  await db.transaction(async (tx) => {
    await tx.delete(fileTransfers).where(
      and(eq(fileTransfers.sha256, row.sha256), eq(fileTransfers.direction, "up")),
    );
    // Pinned only until it went up: from now on the archive keeps it, the budget may not.
    await setDocumentFilePinned(tx, row.sha256, false, now);
  });
};

// ---------------------------------------------------------------------------
// Disk

async function writeAt(file: Deno.FsFile, at: number, bytes: Uint8Array): Promise<void> {
  await file.seek(at, Deno.SeekMode.Start);
  let done = 0;
  while (done < bytes.length) done += await file.write(bytes.subarray(done));
}

async function hashFile(file: Deno.FsFile, start: number, length: number): Promise<string> {
  const hash = createHash("sha256");
  await file.seek(start, Deno.SeekMode.Start);
  const piece = new Uint8Array(256 * 1024);
  let left = length;
  while (left > 0) {
    const n = await file.read(piece.subarray(0, Math.min(piece.length, left)));
    if (n === null) break;
    hash.update(piece.subarray(0, n));
    left -= n;
  }
  return hash.digest("hex");
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}
