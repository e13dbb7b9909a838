/**
 * Bulk statements with ONE bound parameter: rows or ids travel as a JSON array that SQLite
 * unpacks with json_each. Drizzle builds a multi-row VALUES statement one parameter at a
 * time; with ~100 parameters per dossier that cost 45 % of a 300k import, and the huge
 * statements had to be prepared anew each time. These statements have a fixed text.
 */
import { type Column, getTableColumns, type SQL, sql } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import type { DbOrTx } from "./records.ts";

/** A column's drizzle property name and the column. */
export type JsonColumn = [string, Column];

/** The columns of `table` in the order its JSON rows carry them, less the `left out` ones. */
export function jsonColumns(table: SQLiteTable, leftOut?: ReadonlySet<string>): JsonColumn[] {
  return Object.entries(getTableColumns(table)).filter(([key]) => !leftOut?.has(key));
}

/** One row (an object keyed like the drizzle table) as a JSON array in `columns` order. */
export function rowJson(columns: JsonColumn[], row: object): string {
  return JSON.stringify(columns.map(([key]) => cell(row, key)));
}

/** Inserts `rows` (objects keyed like the drizzle table's properties) in one statement. */
export async function insertJsonRows<T extends SQLiteTable>(
  tx: DbOrTx,
  table: T,
  rows: T["$inferInsert"][],
): Promise<void> {
  if (rows.length === 0) return;
  const columns = jsonColumns(table);
  // Rows go as arrays in column order: smaller JSON and positional extraction.
  await insertJsonText(tx, table, columns, `[${rows.map((r) => rowJson(columns, r)).join(",")}]`);
}

/** Options of insertJsonText. */
export interface JsonTextOptions {
  /**
   * Columns before `columns`: read first from each row's array when their value is
   * undefined (`seq`), or one bound value for every row (`updated_at`).
   */
  extra?: [Column, SQL | undefined][];
  /** Insert in the order of the rows' first element (index order for a random key). */
  sortByFirst?: boolean;
}

/** Inserts the rows of `json` (an array of rows made by rowJson with `columns`). */
export async function insertJsonText(
  tx: DbOrTx,
  table: SQLiteTable,
  columns: JsonColumn[],
  json: string,
  { extra = [], sortByFirst = false }: JsonTextOptions = {},
): Promise<void> {
  const names = sql.join(
    [...extra.map(([c]) => c), ...columns.map(([, c]) => c)].map((c) => sql.identifier(c.name)),
    sql`, `,
  );
  let position = 0;
  const values = sql.join([
    ...extra.map(([, value]) => value ?? sql.raw(`value ->> ${position++}`)),
    ...columns.map(() => sql.raw(`value ->> ${position++}`)),
  ], sql`, `);
  const order = sql.raw(sortByFirst ? " ORDER BY value ->> 0" : "");
  await tx.run(
    sql`INSERT INTO ${table} (${names}) SELECT ${values} FROM json_each(${json})${order}`,
  );
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
