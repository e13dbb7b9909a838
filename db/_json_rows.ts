/**
 * Bulk statements with ONE bound parameter: rows or ids travel as a JSON array that SQLite
 * unpacks with json_each. Drizzle builds a multi-row VALUES statement one parameter at a
 * time; with ~100 parameters per dossier that cost 45 % of a 300k import, and the huge
 * statements had to be prepared anew each time. These statements have a fixed text.
 */
import { type Column, getTableColumns, type SQL, sql } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import type { DbOrTx } from "./records.ts";

/** Inserts `rows` (objects keyed like the drizzle table's properties) in one statement. */
export async function insertJsonRows<T extends SQLiteTable>(
  tx: DbOrTx,
  table: T,
  rows: T["$inferInsert"][],
): Promise<void> {
  if (rows.length === 0) return;
  const columns: [string, Column][] = Object.entries(getTableColumns(table));
  const names = sql.join(columns.map(([, c]) => sql.identifier(c.name)), sql`, `);
  // Rows go as arrays in column order: smaller JSON and positional extraction.
  const values = sql.raw(columns.map((_, i) => `value ->> ${i}`).join(", "));
  const data = JSON.stringify(rows.map((row) => columns.map(([key]) => cell(row, key))));
  await tx.run(sql`INSERT INTO ${table} (${names}) SELECT ${values} FROM json_each(${data})`);
}

function cell(row: object, key: string): unknown {
  const value: unknown = Reflect.get(row, key);
  // SQLite has no booleans: drizzle stores them as 0/1.
  return value === undefined ? null : typeof value === "boolean" ? Number(value) : value;
}

/** `column IN (ids…)` with the ids bound as one JSON parameter. */
export function inJson(column: Column, ids: string[]): SQL {
  return sql`${column} IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`;
}
