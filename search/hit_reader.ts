/**
 * What a search reads from the DB: the records of a result page in one query per kind, with
 * what a card shows (addresses, cadastral references, people for the redaction;
 * search_rows.ts), and the records an identifier query's keys name.
 */
import { inArray, sql } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { searchKeys } from "../db/schema.ts";
import { type HitRow, readHitActs, readHitDossiers } from "./search_rows.ts";

/** A record an identifier key names (a `search_keys` row). */
export interface SearchKeyRow {
  key: string;
  recordKind: "dossier" | "act";
  recordId: string;
}

/**
 * The `search_keys` rows of these keys as JSON text (a `SearchKeyRow[]`), built by SQLite:
 * a cadastral parcel names 100-350 records at 1M, and libSQL making an object per row took
 * 1.5-3 ms of the lookup where one JSON text took 0.3-0.7 (docs/SEARCH.md, ninth round). The
 * card worker posts the text as it is.
 */
export async function readSearchKeysJson(db: Db, keys: string[]): Promise<string> {
  if (keys.length === 0) return "[]";
  const rows = await db.all<{ r: string | null }>(sql`SELECT json_group_array(json_object(
      'key', ${searchKeys.key}, 'recordKind', ${searchKeys.recordKind},
      'recordId', ${searchKeys.recordId})) AS r
    FROM ${searchKeys} WHERE ${inArray(searchKeys.key, keys)}
      AND ${searchKeys.recordKind} IN ('dossier', 'act')`);
  return rows[0]?.r ?? "[]";
}

/** The `search_keys` rows of these keys: what an identifier query looks up. */
export async function readSearchKeys(db: Db, keys: string[]): Promise<SearchKeyRow[]> {
  return JSON.parse(await readSearchKeysJson(db, keys)) as SearchKeyRow[];
}

/** The records with these ids, holding what a hit shows (any order; missing ids skipped). */
export function readHitRecords(
  db: Db,
  kind: "dossier" | "act",
  ids: string[],
): Promise<HitRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return kind === "dossier" ? readHitDossiers(db, { ids }) : readHitActs(db, { ids });
}
