/**
 * Whole record documents in and out of the database: upsert (with content hash, change
 * number and search keys), delete with tombstone, and the read API (re-exported below).
 */
import { createHash } from "node:crypto";
import type { ResultSet } from "@libsql/client";
import { and, eq, sql } from "drizzle-orm";
import type { BaseSQLiteDatabase } from "drizzle-orm/sqlite-core";
import type { RecordDoc, RecordKind } from "../domain/records.ts";
import { identifierKeysOf } from "../domain/identifier_keys.ts";
import { chunk, ID_CHUNK } from "./_chunk.ts";
import {
  type ChildName,
  deleteChildRows,
  diffStored,
  type RecordDiff,
  updateMainRows,
} from "./_record_diff.ts";
import { inJson, insertJsonRows } from "./_json_rows.ts";
import { actToRows, dossierToRows, type RowStamp } from "./_record_rows.ts";
import * as schema from "./schema.ts";

export { countRecords, pageRecords, readRecord, readRecords } from "./_records_read.ts";

/** The database or a transaction on it: every db/ function accepts either. */
export type DbOrTx = BaseSQLiteDatabase<"async", ResultSet, typeof schema>;

/** What an upsert did. */
export type UpsertOutcome = "inserted" | "updated" | "unchanged";

function sortedValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedValue);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v: unknown = Reflect.get(value, key);
      if (v !== undefined) out[key] = sortedValue(v);
    }
    return out;
  }
  return value;
}

/** Canonical JSON of a doc (keys sorted at every level, undefined dropped): import + sync use it. */
export function canonicalJson(doc: RecordDoc): string {
  return JSON.stringify(sortedValue(doc));
}

/** SHA-256 (hex) of the canonical JSON: equal hashes mean nothing changed. */
export function contentHash(doc: RecordDoc): string {
  return createHash("sha256").update(canonicalJson(doc)).digest("hex");
}

/** Reserve `n` change numbers from counters.change_seq inside tx; returns the first. */
export async function takeSeq(tx: DbOrTx, n: number): Promise<number> {
  const [row] = await tx.update(schema.counters)
    .set({ value: sql`${schema.counters.value} + ${n}` })
    .where(eq(schema.counters.name, "change_seq"))
    .returning({ value: schema.counters.value });
  if (!row) throw new Error("counters.change_seq is missing: the migrations did not run");
  return row.value - n + 1;
}

/** The stored content hash of each of these ids that exists (the import's writer uses it). */
export async function existingHashes(
  tx: DbOrTx,
  kind: RecordKind,
  ids: string[],
): Promise<Map<string, string>> {
  const table = kind === "dossier" ? schema.dossiers : schema.acts;
  const out = new Map<string, string>();
  for (const part of chunk(ids, ID_CHUNK)) {
    const rows = await tx.select({ id: table.id, hash: table.contentHash }).from(table)
      .where(inJson(table.id, part));
    for (const r of rows) out.set(r.id, r.hash);
  }
  return out;
}

/** Removes the stored rows of these records (main, children, search keys). */
export async function deleteRows(tx: DbOrTx, kind: RecordKind, ids: string[]): Promise<void> {
  for (const part of chunk(ids, ID_CHUNK)) {
    if (kind === "dossier") {
      await tx.delete(schema.dossierAliases).where(inJson(schema.dossierAliases.dossierId, part));
      await tx.delete(schema.dossierAddresses)
        .where(inJson(schema.dossierAddresses.dossierId, part));
      await tx.delete(schema.dossierCadastral)
        .where(inJson(schema.dossierCadastral.dossierId, part));
      await tx.delete(schema.dossierPeople).where(inJson(schema.dossierPeople.dossierId, part));
      await tx.delete(schema.dossiers).where(inJson(schema.dossiers.id, part));
    } else {
      await tx.delete(schema.acts).where(inJson(schema.acts.id, part));
    }
    await tx.delete(schema.documents).where(
      and(eq(schema.documents.recordKind, kind), inJson(schema.documents.recordId, part)),
    );
    await tx.delete(schema.searchKeys).where(
      and(eq(schema.searchKeys.recordKind, kind), inJson(schema.searchKeys.recordId, part)),
    );
  }
}

/** Writes the rows of new or changed docs (their old rows already removed). */
async function writeRows(
  tx: DbOrTx,
  docs: { doc: RecordDoc; stamp: RowStamp; only?: Set<ChildName> }[],
): Promise<void> {
  const d = schema;
  const dossierRows = [], actRows = [], aliases = [], addresses = [], cadastral = [];
  const people = [], documents = [], keys = [];
  // `only`: a record updated in place (main row already updated), these tables rewritten.
  for (const { doc, stamp, only } of docs) {
    const all = only === undefined;
    if (doc.record === "dossier") {
      const rows = dossierToRows(doc, stamp);
      if (all) dossierRows.push(rows.main);
      if (all || only.has("aliases")) aliases.push(...rows.aliases);
      if (all || only.has("addresses")) addresses.push(...rows.addresses);
      if (all || only.has("cadastral")) cadastral.push(...rows.cadastral);
      if (all || only.has("people")) people.push(...rows.people);
      if (all || only.has("documents")) documents.push(...rows.documents);
    } else {
      const rows = actToRows(doc, stamp);
      if (all) actRows.push(rows.main);
      if (all || only.has("documents")) documents.push(...rows.documents);
    }
    if (!all && !only.has("keys")) continue;
    for (const key of identifierKeysOf(doc)) {
      keys.push({ key, recordKind: doc.record, recordId: doc.id });
    }
  }
  await insertJsonRows(tx, d.dossiers, dossierRows);
  await insertJsonRows(tx, d.acts, actRows);
  await insertJsonRows(tx, d.dossierAliases, aliases);
  await insertJsonRows(tx, d.dossierAddresses, addresses);
  await insertJsonRows(tx, d.dossierCadastral, cadastral);
  await insertJsonRows(tx, d.dossierPeople, people);
  await insertJsonRows(tx, d.documents, documents);
  // In key order, consecutive inserts land on the same index pages.
  keys.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  await insertJsonRows(tx, d.searchKeys, keys);
}

/**
 * Insert or replace many records in one go (one SELECT for the known hashes, multi-row
 * inserts): the import path. Outcomes come back in the order of `docs`. A repeated id is
 * applied in order, the later line winning.
 */
export async function upsertRecords(
  tx: DbOrTx,
  docs: RecordDoc[],
  now: Date,
): Promise<UpsertOutcome[]> {
  const seen = new Set<string>();
  const repeat = docs.findIndex((doc) => {
    const key = `${doc.record}:${doc.id}`;
    if (seen.has(key)) return true;
    seen.add(key);
    return false;
  });
  if (repeat > 0) {
    return [
      ...await upsertRecords(tx, docs.slice(0, repeat), now),
      ...await upsertRecords(tx, docs.slice(repeat), now),
    ];
  }
  const hashes = docs.map(contentHash);
  const known = {
    dossier: await existingHashes(tx, "dossier", idsOf(docs, "dossier")),
    act: await existingHashes(tx, "act", idsOf(docs, "act")),
  };
  const outcomes: UpsertOutcome[] = docs.map((doc, i) => {
    const old = known[doc.record].get(doc.id);
    return old === undefined ? "inserted" : old === hashes[i] ? "unchanged" : "updated";
  });
  const changed = docs.flatMap((_doc, i) => outcomes[i] === "unchanged" ? [] : [i]);
  if (changed.length === 0) return outcomes;
  let seq = await takeSeq(tx, changed.length);
  const updatedAt = now.toISOString();
  const stamped = changed.flatMap((i) => {
    const doc = docs[i];
    const hash = hashes[i];
    return doc && hash ? [{ doc, stamp: { contentHash: hash, updatedAt, seq: seq++ } }] : [];
  });
  const diffs = new Map<RecordDoc, RecordDiff>();
  for (const kind of ["dossier", "act"] as const) {
    const updated = stamped.flatMap((s) =>
      s.doc.record === kind && known[kind].has(s.doc.id) ? [s.doc] : []
    );
    const inserted = ofKindInserted(stamped, kind, known[kind]);
    const diff = await diffStored(tx, kind, updated);
    const anew = updated.filter((d) => !diff.get(d.id)?.inPlace).map((d) => d.id);
    await deleteRows(tx, kind, anew);
    for (const doc of updated) {
      const d = diff.get(doc.id);
      if (d?.inPlace) diffs.set(doc, d);
    }
    const inPlace = stamped.filter((s) => diffs.has(s.doc) && s.doc.record === kind);
    await updateMainRows(tx, kind, inPlace);
    for (const name of CHILD_NAMES) {
      const ids = inPlace.flatMap((s) => diffs.get(s.doc)?.tables.has(name) ? [s.doc.id] : []);
      await deleteChildRows(tx, kind, name, ids);
    }
    // A record deleted earlier and imported again is alive: its tombstone goes.
    for (const part of chunk(inserted, ID_CHUNK)) {
      await tx.delete(schema.tombstones).where(
        and(eq(schema.tombstones.entity, kind), inJson(schema.tombstones.id, part)),
      );
    }
  }
  await writeRows(
    tx,
    stamped.map((s) => {
      const only = diffs.get(s.doc)?.tables;
      return only ? { ...s, only } : s;
    }),
  );
  return outcomes;
}

// The import's order (db/_prepared_batch.ts CHILD_ORDER), not imported from there: that
// module imports this one.
const CHILD_NAMES: readonly ChildName[] = [
  "aliases",
  "addresses",
  "cadastral",
  "people",
  "documents",
  "keys",
];

function ofKindInserted(
  stamped: { doc: RecordDoc }[],
  kind: RecordKind,
  known: Map<string, string>,
): string[] {
  return stamped.flatMap((s) => s.doc.record === kind && !known.has(s.doc.id) ? [s.doc.id] : []);
}

function idsOf(docs: RecordDoc[], kind: RecordKind): string[] {
  return docs.flatMap((d) => d.record === kind ? [d.id] : []);
}

/**
 * Insert or replace a record with all its child rows; "unchanged" when the canonical
 * content hash matches (then nothing is written: no new seq, nothing to sync).
 */
export async function upsertRecord(
  tx: DbOrTx,
  doc: RecordDoc,
  now: Date,
): Promise<UpsertOutcome> {
  const [outcome] = await upsertRecords(tx, [doc], now);
  return outcome ?? "unchanged";
}

/**
 * Delete a record and its children, leaving a tombstone (entity "dossier"/"act") with a new
 * seq. Returns false if it did not exist.
 */
export async function deleteRecord(
  tx: DbOrTx,
  kind: RecordKind,
  id: string,
  now: Date,
): Promise<boolean> {
  const [deleted] = await deleteRecords(tx, kind, [id], now);
  return deleted ?? false;
}

/**
 * Deletes many records of one kind as deleteRecord would one by one, in a handful of
 * statements: each existing record loses its rows and gets a tombstone, the change numbers
 * taken in the order of `ids` (an id repeated or missing takes none). Says for each id
 * whether it was deleted here. One by one, 3,000 deletions of a 2 % sync at 1M cost ten
 * statements each.
 */
export async function deleteRecords(
  tx: DbOrTx,
  kind: RecordKind,
  ids: string[],
  now: Date,
): Promise<boolean[]> {
  const known = await existingHashes(tx, kind, ids);
  const gone = new Set<string>();
  const outcomes = ids.map((id) => {
    if (!known.has(id) || gone.has(id)) return false;
    gone.add(id);
    return true;
  });
  if (gone.size === 0) return outcomes;
  const doomed = [...gone];
  await deleteRows(tx, kind, doomed);
  let seq = await takeSeq(tx, doomed.length);
  const deletedAt = now.toISOString();
  for (const part of chunk(doomed, ID_CHUNK)) {
    const rows = part.map((id) => ({ entity: kind, id, deletedAt, seq: seq++ }));
    await tx.run(sql`INSERT INTO ${schema.tombstones} (entity, id, deleted_at, seq)
      SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3
      FROM json_each(${JSON.stringify(rows.map((r) => [r.entity, r.id, r.deletedAt, r.seq]))})
      WHERE true
      ON CONFLICT (entity, id) DO UPDATE SET deleted_at = excluded.deleted_at, seq = excluded.seq`);
  }
  return outcomes;
}
