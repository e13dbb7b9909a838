/**
 * Indexes that an import into an empty archive builds once, at its end, instead of row by
 * row. Identifier keys arrive in random order: inserting 2.4 million of them one by one into
 * their index took 9 of a 300k import's 56 s, where CREATE INDEX sorts them in 1.5 s.
 * If an import dies before its end, the next openDb (any command) builds the index again.
 */
import { sql } from "drizzle-orm";
import type { DbOrTx } from "./records.ts";

// As the newest migration creating it (0011) does (a test compares the two).
const DEFERRABLE = [
  {
    name: "search_keys_key",
    create:
      "CREATE INDEX IF NOT EXISTS `search_keys_key` ON `search_keys` (`key`,`record_kind`,`record_id`)",
  },
];

/**
 * Drops the deferrable indexes when no record has identifier keys yet (a first import);
 * returns whether it did, and so whether ensureDeferredIndexes must follow.
 */
export async function deferIndexesIfEmpty(db: DbOrTx): Promise<boolean> {
  const rows = await db.all<{ found: number }>(
    sql`SELECT EXISTS (SELECT 1 FROM search_keys) AS found`,
  );
  if (Number(rows[0]?.found ?? 1) !== 0) return false;
  for (const index of DEFERRABLE) await db.run(sql.raw(`DROP INDEX IF EXISTS \`${index.name}\``));
  return true;
}

/** Builds any deferrable index that is missing (at the end of an import, and at every open). */
export async function ensureDeferredIndexes(db: DbOrTx): Promise<void> {
  for (const index of DEFERRABLE) await db.run(sql.raw(index.create));
}
