/**
 * Streaming JSONL import (DOMAIN.md §4): lines are validated one by one and written in
 * batches, one transaction each, so memory stays flat for any file size and a bad line
 * never stops the good ones.
 */
import { sql } from "drizzle-orm";
import type { DossierDoc, RecordDoc, RecordKind } from "../domain/records.ts";
import { validateLine, type Vocabulary } from "../domain/validate_record.ts";
import { readLines } from "./_jsonl_lines.ts";
import type { Db } from "./client.ts";
import { type DbOrTx, upsertRecords } from "./records.ts";
import { actKinds, dossiers, recordTypes } from "./schema.ts";

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
}

/** Options of importJsonl. */
export interface ImportOptions {
  clock: () => Date;
  batchSize?: number;
  onProgress?: (linesRead: number, bytesRead: number) => void;
  onBatchCommitted?: (changed: ChangedRecord[]) => Promise<void> | void;
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

interface Pending {
  line: number;
  doc: RecordDoc;
}

function tripleOf(d: DossierDoc): string {
  return JSON.stringify([d.series, d.year, d.number]);
}

function takenMessage(line: number, d: DossierDoc, owner: string): string {
  return `line ${line}: number: ${d.series} ${d.number}/${d.year} già usato da ${owner}`;
}

/**
 * Drops the dossiers whose (series, year, number) another id holds in the database,
 * unless that id moves to another number in this same batch; returns the refusals.
 */
async function refuseTakenNumbers(tx: DbOrTx, batch: Pending[]): Promise<string[]> {
  const ds = batch.flatMap((p) => p.doc.record === "dossier" ? [{ line: p.line, d: p.doc }] : []);
  if (ds.length === 0) return [];
  // One lookup for the whole batch: json_each drives, each triple probes the unique index
  // (a row-value IN (VALUES …) used only its first column: a scan per batch).
  const wanted = JSON.stringify(ds.map(({ d }) => [d.series, d.year, d.number]));
  const rows = await tx.all<{ id: string; series: string; year: number; number: string }>(
    sql`SELECT d.id AS id, d.series AS series, d.year AS year, d.number AS number
      FROM json_each(${wanted}) AS w CROSS JOIN ${dossiers} AS d
      ON d.series = w.value ->> 0 AND d.year = w.value ->> 1 AND d.number = w.value ->> 2`,
  );
  const owners = new Map(rows.map((r) => [JSON.stringify([r.series, r.year, r.number]), r.id]));
  const movingInBatch = new Map(ds.map(({ d }) => [d.id, tripleOf(d)]));
  const refused: string[] = [];
  for (let i = batch.length - 1; i >= 0; i--) {
    const p = batch[i];
    if (!p || p.doc.record !== "dossier") continue;
    const triple = tripleOf(p.doc);
    const owner = owners.get(triple);
    if (owner === undefined || owner === p.doc.id) continue;
    const ownerMoves = movingInBatch.get(owner);
    if (ownerMoves !== undefined && ownerMoves !== triple) continue;
    refused.unshift(takenMessage(p.line, p.doc, owner));
    batch.splice(i, 1);
  }
  return refused;
}

/** Imports a JSONL stream; see DOMAIN.md §4 for the format and the rules. */
export async function importJsonl(
  db: Db,
  input: ReadableStream<Uint8Array>,
  options: ImportOptions,
): Promise<ImportSummary> {
  const { clock, onProgress, onBatchCommitted } = options;
  const batchSize = options.batchSize ?? 2_000;
  const vocab = await loadVocabulary(db);
  const currentYear = clock().getUTCFullYear();
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
  const reject = (message: string) => {
    summary.rejected++;
    if (summary.errors.length < MAX_MESSAGES) summary.errors.push(message);
  };
  let batch: Pending[] = [];
  let ids = new Set<string>();
  let triples = new Map<string, string>();
  let bytesRead = 0;
  let linesRead = 0;

  const flush = async () => {
    if (batch.length === 0) return;
    const docs = batch;
    batch = [];
    ids = new Set();
    triples = new Map();
    // WAL with synchronous NORMAL cannot corrupt the file; a power cut may lose the last
    // batches, which a re-run (idempotent) writes again. Set outside the transaction (SQLite
    // refuses it inside) on the idle connection the transaction then borrows.
    await db.run(sql`PRAGMA synchronous = NORMAL`);
    const { refused, outcomes } = await db.transaction(async (tx) => {
      // A bigger page cache on the pooled connection doing the import keeps the index
      // pages hot across batches (the default is 2 MB).
      await tx.run(sql`PRAGMA cache_size = -32768`);
      const refused = await refuseTakenNumbers(tx, docs);
      return { refused, outcomes: await upsertRecords(tx, docs.map((p) => p.doc), clock()) };
    });
    refused.forEach(reject);
    const changed: ChangedRecord[] = [];
    outcomes.forEach((outcome, i) => {
      summary[outcome]++;
      const doc = docs[i]?.doc;
      if (outcome !== "unchanged" && doc) changed.push({ kind: doc.record, id: doc.id });
    });
    const room = MAX_CHANGED - summary.changed.length;
    if (room > 0) summary.changed.push(...changed.slice(0, room));
    if (changed.length && onBatchCommitted) await onBatchCommitted(changed);
    onProgress?.(linesRead, bytesRead);
  };

  try {
    await readAll();
  } finally {
    // The pooled connection goes back to the default durability for everyone else.
    await db.run(sql`PRAGMA synchronous = FULL`);
  }
  onProgress?.(linesRead, bytesRead);
  return summary;

  async function readAll() {
    for await (const line of readLines(input, MAX_LINE_CHARS, (b) => bytesRead = b)) {
      linesRead = line.number;
      if (line.tooLong) {
        reject(`line ${line.number}: json: line longer than ${MAX_LINE_CHARS} characters, skipped`);
        continue;
      }
      if (line.text.trim() === "") continue;
      const verdict = validateLine(line.text, line.number, vocab, currentYear);
      if (!verdict.ok) {
        verdict.errors.forEach((e) =>
          summary.errors.length < MAX_MESSAGES && summary.errors.push(e)
        );
        summary.rejected++;
        continue;
      }
      // Warnings count only for lines that are imported (a rejected line's are moot).
      summary.warnings += verdict.warnings.length;
      for (const w of verdict.warnings) {
        if (summary.warningMessages.length < MAX_MESSAGES) summary.warningMessages.push(w);
      }
      const doc = verdict.doc;
      // A record repeated in the file is applied in order: the batch so far goes first.
      if (ids.has(`${doc.record}:${doc.id}`)) await flush();
      if (doc.record === "dossier") {
        const owner = triples.get(tripleOf(doc));
        if (owner !== undefined && owner !== doc.id) {
          reject(takenMessage(line.number, doc, owner));
          continue;
        }
        triples.set(tripleOf(doc), doc.id);
      }
      ids.add(`${doc.record}:${doc.id}`);
      batch.push({ line: line.number, doc });
      if (batch.length >= batchSize) await flush();
    }
    await flush();
  }
}
