/**
 * The SQL half of an import batch: records prepared by the worker (db/_prepared_batch.ts)
 * are checked against the database and written, with the same outcomes, change numbers and
 * rows as upsertRecords gives the same documents.
 */
import { and, eq, sql } from "drizzle-orm";
import type { RecordKind } from "../domain/records.ts";
import { chunk, ID_CHUNK } from "./_chunk.ts";
import { inJson, insertJsonText, jsonColumns } from "./_json_rows.ts";
import {
  CHILD_ORDER,
  CHILD_TABLES,
  type ChildTable,
  type PreparedRecords,
  STAMP_COLUMNS,
  takenMessage,
  tripleJson,
} from "./_prepared_batch.ts";
import { type DbOrTx, deleteRows, existingHashes, takeSeq, type UpsertOutcome } from "./records.ts";
import * as schema from "./schema.ts";

/**
 * Positions of the batch's records that may be written, and the refusals of the dossiers
 * whose (series, year, number) another id holds in the database, unless that id moves to
 * another number in this same batch.
 */
export async function refuseTakenNumbers(
  tx: DbOrTx,
  p: PreparedRecords,
): Promise<{ keep: number[]; refused: string[] }> {
  const all = p.ids.map((_, i) => i);
  const ds = all.filter((i) => p.kinds[i] === "dossier");
  if (ds.length === 0) return { keep: all, refused: [] };
  // One lookup for the whole batch: json_each drives, each triple probes the unique index
  // (a row-value IN (VALUES …) used only its first column: a scan per batch).
  const wanted = `[${ds.map((i) => p.triples[i]).join(",")}]`;
  const rows = await tx.all<{ id: string; series: string; year: number; number: string }>(
    sql`SELECT d.id AS id, d.series AS series, d.year AS year, d.number AS number
      FROM json_each(${wanted}) AS w CROSS JOIN ${schema.dossiers} AS d
      ON d.series = w.value ->> 0 AND d.year = w.value ->> 1 AND d.number = w.value ->> 2`,
  );
  if (rows.length === 0) return { keep: all, refused: [] };
  const owners = new Map(rows.map((r) => [tripleJson(r.series, r.year, r.number), r.id]));
  const movingInBatch = new Map(ds.map((i) => [p.ids[i], p.triples[i]]));
  const refused: string[] = [];
  const keep = all.filter((i) => {
    const triple = p.triples[i] ?? "";
    const owner = owners.get(triple);
    if (p.kinds[i] !== "dossier" || owner === undefined || owner === p.ids[i]) return true;
    const ownerMoves = movingInBatch.get(owner);
    if (ownerMoves !== undefined && ownerMoves !== triple) return true;
    refused.push(takenMessage(p.lines[i] ?? 0, triple, owner));
    return false;
  });
  return { keep, refused };
}

const MAIN_TABLES = { dossier: schema.dossiers, act: schema.acts } as const;
const MAIN_COLUMNS = {
  dossier: jsonColumns(schema.dossiers, STAMP_COLUMNS),
  act: jsonColumns(schema.acts, STAMP_COLUMNS),
} as const;

/**
 * Upserts the records at positions `keep` of a prepared batch (no id twice): unchanged
 * ones (same content hash) are not touched. Outcomes come back in the order of `keep`.
 */
export async function upsertPrepared(
  tx: DbOrTx,
  p: PreparedRecords,
  keep: number[],
  now: Date,
): Promise<UpsertOutcome[]> {
  const ofKind = (kind: RecordKind, positions: number[]) =>
    positions.filter((i) => p.kinds[i] === kind).map((i) => p.ids[i] ?? "");
  const known = {
    dossier: await existingHashes(tx, "dossier", ofKind("dossier", keep)),
    act: await existingHashes(tx, "act", ofKind("act", keep)),
  };
  const outcomes: UpsertOutcome[] = keep.map((i) => {
    const old = known[p.kinds[i] ?? "dossier"].get(p.ids[i] ?? "");
    return old === undefined ? "inserted" : old === p.hashes[i] ? "unchanged" : "updated";
  });
  const changed = keep.filter((_, k) => outcomes[k] !== "unchanged");
  if (changed.length === 0) return outcomes;
  const updated = keep.filter((_, k) => outcomes[k] === "updated");
  const inserted = keep.filter((_, k) => outcomes[k] === "inserted");
  const firstSeq = await takeSeq(tx, changed.length);
  for (const kind of ["dossier", "act"] as const) {
    await deleteRows(tx, kind, ofKind(kind, updated));
    // A record deleted earlier and imported again is alive: its tombstone goes.
    for (const part of chunk(ofKind(kind, inserted), ID_CHUNK)) {
      await tx.delete(schema.tombstones).where(
        and(eq(schema.tombstones.entity, kind), inJson(schema.tombstones.id, part)),
      );
    }
  }
  const updatedAt = now.toISOString();
  for (const kind of ["dossier", "act"] as const) {
    // seq is taken in this transaction, so it goes in front of each row's prepared JSON.
    const rows = changed.flatMap((i, k) =>
      p.kinds[i] === kind ? [`[${firstSeq + k},${p.mains[i]?.slice(1)}`] : []
    );
    if (rows.length === 0) continue;
    const table = MAIN_TABLES[kind];
    await insertJsonText(tx, table, MAIN_COLUMNS[kind], `[${rows.join(",")}]`, {
      extra: [[table.seq, undefined], [table.updatedAt, sql`${updatedAt}`]],
    });
  }
  for (const name of CHILD_ORDER) {
    await insertChildren(tx, CHILD_TABLES[name], p.children[name], changed);
  }
  return outcomes;
}

async function insertChildren(
  tx: DbOrTx,
  table: (typeof CHILD_TABLES)[ChildTable],
  fragments: string[],
  changed: number[],
): Promise<void> {
  const parts = changed.flatMap((i) => fragments[i] ? [fragments[i]] : []);
  if (parts.length === 0) return;
  // Keys are spread over the whole index: in key order, consecutive inserts share pages.
  await insertJsonText(tx, table, jsonColumns(table), `[${parts.join(",")}]`, {
    sortByFirst: table === CHILD_TABLES.keys,
  });
}
