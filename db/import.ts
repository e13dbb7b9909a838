/**
 * Streaming JSONL import (DOMAIN.md §4): lines are validated one by one and written in
 * batches, one transaction each, so memory stays flat for any file size and a bad line
 * never stops the good ones.
 */
import { sql } from "drizzle-orm";
import type { RecordKind } from "../domain/records.ts";
import type { Vocabulary } from "../domain/validate_record.ts";
import { createFileImporter, type FileCounts, type ImportFilesOptions } from "./_import_files.ts";
import { startImportThread } from "./_import_thread.ts";
import type { PreparedRecords } from "./_prepared_batch.ts";
import { refuseTakenNumbers, upsertPrepared } from "./_prepared_write.ts";
import type { Db } from "./client.ts";
import { deferIndexesIfEmpty, ensureDeferredIndexes } from "./deferred_indexes.ts";
import { recordDocumentFiles, verifiedFiles } from "./document_files.ts";
import type { DbOrTx } from "./records.ts";
import { actKinds, recordTypes } from "./schema.ts";

/** A record written (inserted or updated) by an import. */
export interface ChangedRecord {
  kind: RecordKind;
  id: string;
}

/** What an import did. Message lists and `changed` are capped; the counts are exact. */
export interface ImportSummary {
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  warnings: number;
  errors: string[];
  warningMessages: string[];
  /** The first MAX_CHANGED changed records; follow `onBatchCommitted` for all of them. */
  changed: ChangedRecord[];
  /** What the file step did; undefined when the import stored no files. */
  files?: FileCounts;
}

/** Options of importJsonl. */
export interface ImportOptions {
  clock: () => Date;
  batchSize?: number;
  onProgress?: (linesRead: number, bytesRead: number) => void;
  onBatchCommitted?: (changed: ChangedRecord[]) => Promise<void> | void;
  /**
   * Store the files the lines name (docs/IMPORT.md "Files"); without it only the metadata
   * is imported and the documents' bytes count as not present.
   */
  files?: ImportFilesOptions;
}

/** At most this many messages of each kind are kept (the counts stay exact). */
export const MAX_MESSAGES = 1_000;
/** At most this many changed records are listed in the summary. */
export const MAX_CHANGED = 10_000;
// A real record is a few KB; a longer line is a broken file, not a record.
const MAX_LINE_CHARS = 4 * 1024 * 1024;

/** The type codes and act kinds the database knows (admins edit them). */
export async function loadVocabulary(db: DbOrTx): Promise<Vocabulary> {
  const types = await db.select().from(recordTypes);
  const kinds = await db.select().from(actKinds);
  return {
    types: new Map(types.map((t) => [t.code, { restrictedByDefault: t.restrictedByDefault }])),
    actKinds: new Set(kinds.map((k) => k.code)),
  };
}

/** Imports a JSONL stream; see DOMAIN.md §4 for the format and the rules. */
export function importJsonl(
  db: Db,
  input: ReadableStream<Uint8Array>,
  options: ImportOptions,
): Promise<ImportSummary> {
  return runImport(db, input, options);
}

/**
 * Imports a JSONL file, as importJsonl does a stream, faster: the worker reads the file
 * itself, so the main thread never stops writing to forward it.
 */
export function importJsonlFile(
  db: Db,
  path: string,
  options: ImportOptions,
): Promise<ImportSummary> {
  return runImport(db, path, options);
}

async function runImport(
  db: Db,
  input: ReadableStream<Uint8Array> | string,
  options: ImportOptions,
): Promise<ImportSummary> {
  const { clock, onProgress, onBatchCommitted } = options;
  const vocab = await loadVocabulary(db);
  const summary: ImportSummary = {
    inserted: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    warnings: 0,
    errors: [],
    warningMessages: [],
    changed: [],
  };
  const keep = (list: string[], messages: string[]) => {
    for (const m of messages) if (list.length < MAX_MESSAGES) list.push(m);
  };
  let linesRead = 0;
  let bytesRead = 0;

  const files = options.files ? createFileImporter(options.files, clock) : undefined;
  if (files) summary.files = files.counts;

  const write = async (records: PreparedRecords) => {
    // A line with a bad file is refused before its transaction; the taken-number check runs
    // first (read-only) so a refused line copies no file, and again inside the transaction.
    let fileStep: Awaited<ReturnType<NonNullable<typeof files>["storeBatch"]>> | undefined;
    if (files && records.files.some((f) => f !== "")) {
      fileStep = await files.storeBatch(
        records,
        async () => (await refuseTakenNumbers(db, records)).keep,
        (sha256s) => verifiedFiles(db, sha256s),
      );
      summary.rejected += fileStep.refused.size;
      // In line order, as the worker reports its own refusals.
      const refusals = [...fileStep.refused].sort(([a], [b]) => a - b);
      keep(summary.errors, refusals.map(([, message]) => message));
    }
    // WAL with synchronous NORMAL cannot corrupt the file; a power cut may lose the last
    // batches, which a re-run (idempotent) writes again. Set outside the transaction (SQLite
    // refuses it inside) on the idle connection the transaction then borrows.
    await db.run(sql`PRAGMA synchronous = NORMAL`);
    const { refused, written, outcomes } = await db.transaction(async (tx) => {
      // A bigger page cache on the pooled connection doing the import keeps the index
      // pages hot across batches (the default is 2 MB).
      await tx.run(sql`PRAGMA cache_size = -32768`);
      const taken = await refuseTakenNumbers(tx, records);
      const keep = fileStep ? taken.keep.filter((i) => !fileStep.refused.has(i)) : taken.keep;
      const outcomes = await upsertPrepared(tx, records, keep, clock());
      if (fileStep) {
        await recordDocumentFiles(tx, keep.flatMap((i) => fileStep.rows.get(i) ?? []));
      }
      return { refused: taken.refused, written: keep, outcomes };
    });
    summary.rejected += refused.length;
    keep(summary.errors, refused);
    const changed: ChangedRecord[] = [];
    outcomes.forEach((outcome, k) => {
      summary[outcome]++;
      const i = written[k] ?? 0;
      const kind = records.kinds[i];
      const id = records.ids[i];
      if (outcome !== "unchanged" && kind && id) changed.push({ kind, id });
    });
    const room = MAX_CHANGED - summary.changed.length;
    if (room > 0) summary.changed.push(...changed.slice(0, room));
    if (changed.length && onBatchCommitted) await onBatchCommitted(changed);
    onProgress?.(linesRead, bytesRead);
  };

  const thread = startImportThread(input, {
    vocab,
    currentYear: clock().getUTCFullYear(),
    batchSize: options.batchSize ?? 5_000,
    maxLineChars: MAX_LINE_CHARS,
    maxMessages: MAX_MESSAGES,
    withFiles: files !== undefined,
  });
  // A first import builds its identifier-key index at the end, in one sort.
  let deferred = false;
  try {
    deferred = await deferIndexesIfEmpty(db);
    for await (const batch of thread.batches) {
      keep(summary.errors, batch.errors);
      summary.rejected += batch.rejected;
      keep(summary.warningMessages, batch.warnings);
      summary.warnings += batch.warningCount;
      linesRead = batch.linesRead;
      bytesRead = batch.bytesRead;
      if (batch.records.ids.length > 0) await write(batch.records);
      if (batch.last) break;
      thread.written();
    }
  } finally {
    await thread.stop();
    // The pooled connection goes back to the default durability for everyone else.
    await db.run(sql`PRAGMA synchronous = FULL`);
    if (deferred) await ensureDeferredIndexes(db);
  }
  onProgress?.(linesRead, bytesRead);
  return summary;
}
