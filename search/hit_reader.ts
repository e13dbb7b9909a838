/**
 * Reads the records of a result page in one query per kind, with what a card shows
 * (addresses, cadastral references, people for the redaction; packed_records.ts).
 */
import type { Db } from "../db/client.ts";
import type { RecordDoc } from "../domain/records.ts";
import { readSearchActs, readSearchDossiers } from "./packed_records.ts";

/** The records with these ids, holding what a hit shows (any order; missing ids skipped). */
export function readHitRecords(
  db: Db,
  kind: "dossier" | "act",
  ids: string[],
): Promise<RecordDoc[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return kind === "dossier"
    ? readSearchDossiers(db, { ids }, { cadastral: true })
    : readSearchActs(db, { ids }, { text: false });
}
