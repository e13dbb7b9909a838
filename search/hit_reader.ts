/**
 * What a search reads from the DB: the records of a result page in one query per kind, with
 * what a card shows (addresses, cadastral references, people for the redaction;
 * search_rows.ts), and the records an identifier query's keys name.
 */
import { inArray } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { searchKeys } from "../db/schema.ts";
import { type HitRow, readHitActs, readHitDossiers } from "./search_rows.ts";

/** A record an identifier key names (a `search_keys` row). */
export interface SearchKeyRow {
  key: string;
  recordKind: "dossier" | "act";
  recordId: string;
}

/** The `search_keys` rows of these keys: what an identifier query looks up. */
export async function readSearchKeys(db: Db, keys: string[]): Promise<SearchKeyRow[]> {
  if (keys.length === 0) return [];
  const rows = await db.select({
    key: searchKeys.key,
    recordKind: searchKeys.recordKind,
    recordId: searchKeys.recordId,
  }).from(searchKeys).where(inArray(searchKeys.key, keys));
  return rows;
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
