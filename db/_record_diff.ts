/**
 * Which of a changed record's rows really change. A sync's edit usually touches a field or
 * two (a subject, a civic), yet writing the record anew deletes and inserts its rows in up to
 * seven tables and their indexes, a dozen random pages of a large file per record: at 1M
 * dossiers a 2 % sync wrote about a gigabyte of pages. Here the stored rows are read and
 * compared (as stored: a column derived when the rows were written, such as a document's
 * mime, is rewritten when it differs), and only the tables whose rows differ are written
 * again; the main row is updated in place while the columns its indexes order by are equal.
 */
import { and, type Column, eq, sql } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import type { RecordDoc, RecordKind } from "../domain/records.ts";
import { identifierKeysOf } from "../domain/identifier_keys.ts";
import { chunk, ID_CHUNK } from "./_chunk.ts";
import { inJson, jsonColumns, rowJson } from "./_json_rows.ts";
import { actToRows, dossierToRows, type RowStamp } from "./_record_rows.ts";
import type { ChildTable } from "./_prepared_batch.ts";
import type { DbOrTx } from "./records.ts";
import * as schema from "./schema.ts";

/** The tables of a record besides its main row, as writeRows names them. */
export type ChildName = ChildTable;

interface ChildSpec {
  name: ChildName;
  table: SQLiteTable;
  owner: Column;
  /** The owner column's property name in a selected row. */
  ownerKey: "dossierId" | "recordId";
  /** The record-kind column of a table shared by dossiers and acts. */
  kindColumn?: Column;
}

const DOSSIER_CHILDREN: ChildSpec[] = [
  {
    name: "aliases",
    table: schema.dossierAliases,
    owner: schema.dossierAliases.dossierId,
    ownerKey: "dossierId",
  },
  {
    name: "addresses",
    table: schema.dossierAddresses,
    owner: schema.dossierAddresses.dossierId,
    ownerKey: "dossierId",
  },
  {
    name: "cadastral",
    table: schema.dossierCadastral,
    owner: schema.dossierCadastral.dossierId,
    ownerKey: "dossierId",
  },
  {
    name: "people",
    table: schema.dossierPeople,
    owner: schema.dossierPeople.dossierId,
    ownerKey: "dossierId",
  },
];
const DOCUMENTS: ChildSpec = {
  name: "documents",
  table: schema.documents,
  owner: schema.documents.recordId,
  ownerKey: "recordId",
  kindColumn: schema.documents.recordKind,
};
const KEYS: ChildSpec = {
  name: "keys",
  table: schema.searchKeys,
  owner: schema.searchKeys.recordId,
  ownerKey: "recordId",
  kindColumn: schema.searchKeys.recordKind,
};

function childrenOf(kind: RecordKind): ChildSpec[] {
  return kind === "dossier" ? [...DOSSIER_CHILDREN, DOCUMENTS, KEYS] : [DOCUMENTS, KEYS];
}

// The columns the main tables' indexes order by: while they are equal the row is updated in
// place (its index entries stay where they are); otherwise the record is written anew, as an
// update in place could collide with another record of the batch moving its number.
const INDEXED = {
  dossier: new Set(["id", "series", "year", "number", "parentId"]),
  act: new Set(["id", "kind", "year", "number"]),
} as const;

const MAIN = { dossier: schema.dossiers, act: schema.acts } as const;

/** What an updated record needs written. */
export interface RecordDiff {
  /** The main row can be updated in place; false: delete the record's rows, write it anew. */
  inPlace: boolean;
  /** The child tables whose rows differ (for an in-place record). */
  tables: Set<ChildName>;
}

interface RowsOf {
  main: object;
  children: Partial<Record<ChildName, object[]>>;
}

function rowsOf(doc: RecordDoc, stamp: RowStamp): RowsOf {
  if (doc.record === "act") {
    const r = actToRows(doc, stamp);
    return { main: r.main, children: { documents: r.documents, keys: keysOf(doc) } };
  }
  const { main, ...children } = dossierToRows(doc, stamp);
  return { main, children: { ...children, keys: keysOf(doc) } };
}

function keysOf(doc: RecordDoc): object[] {
  return identifierKeysOf(doc).sort().map((key) => ({
    key,
    recordKind: doc.record,
    recordId: doc.id,
  }));
}

/** JSON of a table's rows of one record, in the order they are compared. */
function rowsJson(spec: ChildSpec, rows: object[]): string {
  const columns = jsonColumns(spec.table);
  const lines = rows.map((r) => rowJson(columns, r));
  // Search keys have no position: their set is what matters.
  if (spec.name === "keys") lines.sort();
  return lines.join("\n");
}

/**
 * For these updated records of one kind (stored under the same ids), what must be written:
 * reads their stored main rows and child rows in one query per table.
 */
export async function diffStored(
  tx: DbOrTx,
  kind: RecordKind,
  docs: RecordDoc[],
): Promise<Map<string, RecordDiff>> {
  const out = new Map<string, RecordDiff>();
  // The stamp columns are not compared.
  const stamp: RowStamp = { contentHash: "", updatedAt: "", seq: 0 };
  const fresh = new Map(docs.map((d) => [d.id, rowsOf(d, stamp)]));
  const indexed = jsonColumns(MAIN[kind]).filter(([key]) => INDEXED[kind].has(key));
  for (const part of chunk(docs.map((d) => d.id), ID_CHUNK)) {
    const mains = await tx.select().from(MAIN[kind]).where(inJson(MAIN[kind].id, part));
    for (const stored of mains) {
      const row = fresh.get(stored.id)?.main;
      if (!row) continue;
      const inPlace = rowJson(indexed, stored) === rowJson(indexed, row);
      out.set(stored.id, { inPlace, tables: new Set() });
    }
    for (const spec of childrenOf(kind)) {
      const where = spec.kindColumn
        ? and(eq(spec.kindColumn, kind), inJson(spec.owner, part))
        : inJson(spec.owner, part);
      const rows: Record<string, unknown>[] = await tx.select().from(spec.table).where(where);
      const stored = new Map<string, Record<string, unknown>[]>();
      for (const r of rows) {
        const owner = String(r[spec.ownerKey]);
        const list = stored.get(owner);
        if (list) list.push(r);
        else stored.set(owner, [r]);
      }
      for (const id of part) {
        const diff = out.get(id);
        const now = fresh.get(id)?.children[spec.name] ?? [];
        if (!diff?.inPlace) continue;
        const was = (stored.get(id) ?? []).sort((a, b) =>
          Number(a["position"] ?? 0) - Number(b["position"] ?? 0)
        );
        if (rowsJson(spec, was) !== rowsJson(spec, now)) diff.tables.add(spec.name);
      }
    }
  }
  return out;
}

/** Deletes the rows of one child table of these records (their new rows follow). */
export async function deleteChildRows(
  tx: DbOrTx,
  kind: RecordKind,
  name: ChildName,
  ids: string[],
): Promise<void> {
  const spec = childrenOf(kind).find((s) => s.name === name);
  if (!spec) return;
  for (const part of chunk(ids, ID_CHUNK)) {
    await tx.delete(spec.table).where(
      spec.kindColumn
        ? and(eq(spec.kindColumn, kind), inJson(spec.owner, part))
        : inJson(spec.owner, part),
    );
  }
}

/** Updates the main rows of these records in place (their indexed columns are unchanged). */
export async function updateMainRows(
  tx: DbOrTx,
  kind: RecordKind,
  docs: { doc: RecordDoc; stamp: RowStamp }[],
): Promise<void> {
  const table = MAIN[kind];
  const columns = jsonColumns(table);
  // `id` first, the indexed columns left alone: they are equal, and SQLite then leaves those
  // indexes untouched.
  const set = columns.filter(([key]) => !INDEXED[kind].has(key));
  const cols: typeof columns = [["id", table.id], ...set];
  for (const part of chunk(docs, ID_CHUNK)) {
    const json = `[${
      part.map(({ doc, stamp }) => rowJson(cols, rowsOf(doc, stamp).main)).join(",")
    }]`;
    const assignments = sql.join(
      set.map(([, c], i) => sql`${sql.identifier(c.name)} = value ->> ${sql.raw(String(i + 1))}`),
      sql`, `,
    );
    await tx.run(
      sql`UPDATE ${table} SET ${assignments} FROM json_each(${json}) WHERE ${table.id} = value ->> 0`,
    );
  }
}
