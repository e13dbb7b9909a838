/**
 * A digest of every record a database holds, over canonical documents: the archive and a
 * branch that are in sync give the same value, whatever their local seq numbers.
 */
import { createHash } from "node:crypto";
import type { Db } from "../db/client.ts";
import { canonicalJson, pageRecords } from "../db/records.ts";

/** SHA-256 over the canonical JSON of all dossiers then all acts, in id order. */
export async function recordsDigest(db: Db): Promise<string> {
  const hash = createHash("sha256");
  for (const kind of ["dossier", "act"] as const) {
    for await (const page of pageRecords(db, kind, 1000)) {
      for (const doc of page) hash.update(canonicalJson(doc)).update("\n");
    }
  }
  return hash.digest("hex");
}
