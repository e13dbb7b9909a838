/**
 * Reading whole record documents back: one query per table for a whole batch of ids, so
 * the search index build and the sync feed never issue a query per record.
 */
import type { ResultSet } from "@libsql/client";
import { and, asc, count, eq, gt } from "drizzle-orm";
import { inJson } from "./_json_rows.ts";
import type { BaseSQLiteDatabase } from "drizzle-orm/sqlite-core";
import type { RecordDoc, RecordKind } from "../domain/records.ts";
import { chunk, ID_CHUNK } from "./_chunk.ts";
import { rowsToAct, rowsToDossier } from "./_record_rows.ts";
import type { Db } from "./client.ts";
import * as schema from "./schema.ts";

type DbOrTx = BaseSQLiteDatabase<"async", ResultSet, typeof schema>;

/** Groups rows by their owner id, keeping each group in `position` order. */
function groupBy<T extends { position: number }>(
  rows: T[],
  ownerOf: (row: T) => string,
): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    const owner = ownerOf(row);
    const list = out.get(owner);
    if (list) list.push(row);
    else out.set(owner, [row]);
  }
  for (const list of out.values()) list.sort((a, b) => a.position - b.position);
  return out;
}

async function documentsOf(db: DbOrTx, kind: RecordKind, ids: string[]) {
  const rows = await db.select().from(schema.documents).where(
    and(eq(schema.documents.recordKind, kind), inJson(schema.documents.recordId, ids)),
  );
  return groupBy(rows, (r) => r.recordId);
}

async function dossiersByIds(db: DbOrTx, ids: string[]): Promise<Map<string, RecordDoc>> {
  const s = schema;
  const mains = await db.select().from(s.dossiers).where(inJson(s.dossiers.id, ids));
  const found = mains.map((m) => m.id);
  const out = new Map<string, RecordDoc>();
  if (found.length === 0) return out;
  const [aliases, addresses, cadastral, people, documents] = [
    groupBy(
      await db.select().from(s.dossierAliases).where(inJson(s.dossierAliases.dossierId, found)),
      (r) => r.dossierId,
    ),
    groupBy(
      await db.select().from(s.dossierAddresses)
        .where(inJson(s.dossierAddresses.dossierId, found)),
      (r) => r.dossierId,
    ),
    groupBy(
      await db.select().from(s.dossierCadastral)
        .where(inJson(s.dossierCadastral.dossierId, found)),
      (r) => r.dossierId,
    ),
    groupBy(
      await db.select().from(s.dossierPeople).where(inJson(s.dossierPeople.dossierId, found)),
      (r) => r.dossierId,
    ),
    await documentsOf(db, "dossier", found),
  ];
  for (const main of mains) {
    out.set(
      main.id,
      rowsToDossier(main, {
        aliases: aliases.get(main.id) ?? [],
        addresses: addresses.get(main.id) ?? [],
        cadastral: cadastral.get(main.id) ?? [],
        people: people.get(main.id) ?? [],
        documents: documents.get(main.id) ?? [],
      }),
    );
  }
  return out;
}

async function actsByIds(db: DbOrTx, ids: string[]): Promise<Map<string, RecordDoc>> {
  const mains = await db.select().from(schema.acts).where(inJson(schema.acts.id, ids));
  const out = new Map<string, RecordDoc>();
  if (mains.length === 0) return out;
  const documents = await documentsOf(db, "act", mains.map((m) => m.id));
  for (const main of mains) out.set(main.id, rowsToAct(main, documents.get(main.id) ?? []));
  return out;
}

/** Batch read (for the search index and sync feed), in the given order, skipping missing. */
export async function readRecords(
  db: DbOrTx,
  kind: RecordKind,
  ids: string[],
): Promise<RecordDoc[]> {
  const out: RecordDoc[] = [];
  for (const part of chunk(ids, ID_CHUNK)) {
    const found = kind === "dossier" ? await dossiersByIds(db, part) : await actsByIds(db, part);
    for (const id of part) {
      const doc = found.get(id);
      if (doc) out.push(doc);
    }
  }
  return out;
}

/** One record as a whole document, or undefined when this database holds no such record. */
export async function readRecord(
  db: DbOrTx,
  kind: RecordKind,
  id: string,
): Promise<RecordDoc | undefined> {
  const [doc] = await readRecords(db, kind, [id]);
  return doc;
}

/** All records of a kind in pages of `pageSize`, ordered by id, bounded memory. */
export async function* pageRecords(
  db: Db,
  kind: RecordKind,
  pageSize: number,
): AsyncGenerator<RecordDoc[]> {
  const table = kind === "dossier" ? schema.dossiers : schema.acts;
  let after: string | undefined;
  while (true) {
    // Keyset paging on the primary key: each page costs the same however deep it is.
    const rows = await db.select({ id: table.id }).from(table)
      .where(after === undefined ? undefined : gt(table.id, after))
      .orderBy(asc(table.id)).limit(pageSize);
    const last = rows.at(-1);
    if (!last) return;
    yield await readRecords(db, kind, rows.map((r) => r.id));
    after = last.id;
    if (rows.length < pageSize) return;
  }
}

/** How many dossiers and acts this database holds. */
export async function countRecords(db: DbOrTx): Promise<{ dossiers: number; acts: number }> {
  const [d] = await db.select({ n: count() }).from(schema.dossiers);
  const [a] = await db.select({ n: count() }).from(schema.acts);
  return { dossiers: d?.n ?? 0, acts: a?.n ?? 0 };
}
