/**
 * Rewrites the persisted search state, the `search_keys` table, from the records: after a
 * change to how keys are normalised, or to repair a database written by an older version.
 */
import { and, eq, inArray, notInArray } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { pageRecords } from "../db/records.ts";
import { acts, dossiers, searchKeys } from "../db/schema.ts";
import { identifierKeysOf } from "../domain/identifier_keys.ts";

/** How many records and keys a rebuild wrote. */
export interface RebuildCounts {
  dossiers: number;
  acts: number;
  keys: number;
}

// 3 bound parameters per row, well under SQLite's limit per statement.
const ROWS_PER_INSERT = 5_000;

/** Rewrites every record's identifier keys, page by page (each page one transaction). */
export async function rebuildSearchKeys(
  db: Db,
  onProgress?: (done: number) => void,
): Promise<RebuildCounts> {
  const counts: RebuildCounts = { dossiers: 0, acts: 0, keys: 0 };
  for (const kind of ["dossier", "act"] as const) {
    for await (const page of pageRecords(db, kind, 2_000)) {
      const rows = page.flatMap((doc) =>
        identifierKeysOf(doc).map((key) => ({ key, recordKind: kind, recordId: doc.id }))
      );
      await db.transaction(async (tx) => {
        await tx.delete(searchKeys).where(and(
          eq(searchKeys.recordKind, kind),
          inArray(searchKeys.recordId, page.map((d) => d.id)),
        ));
        for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
          await tx.insert(searchKeys).values(rows.slice(i, i + ROWS_PER_INSERT));
        }
      });
      counts[kind === "dossier" ? "dossiers" : "acts"] += page.length;
      counts.keys += rows.length;
      onProgress?.(counts.dossiers + counts.acts);
    }
  }
  // Keys of records deleted behind the store's back would find nothing: drop them.
  await db.delete(searchKeys).where(and(
    eq(searchKeys.recordKind, "dossier"),
    notInArray(searchKeys.recordId, db.select({ id: dossiers.id }).from(dossiers)),
  ));
  await db.delete(searchKeys).where(and(
    eq(searchKeys.recordKind, "act"),
    notInArray(searchKeys.recordId, db.select({ id: acts.id }).from(acts)),
  ));
  return counts;
}
