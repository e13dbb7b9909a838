/**
 * Reads the records of a result page in one query per kind, with what a card shows
 * (addresses, cadastral references, people for the redaction; search_rows.ts).
 */
import type { Db } from "../db/client.ts";
import { type HitRow, readHitActs, readHitDossiers } from "./search_rows.ts";

/** The records with these ids, holding what a hit shows (any order; missing ids skipped). */
export function readHitRecords(
  db: Db,
  kind: "dossier" | "act",
  ids: string[],
): Promise<HitRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return kind === "dossier" ? readHitDossiers(db, { ids }) : readHitActs(db, { ids });
}
