/**
 * Which records changed after a point of the change sequence: every write of a record takes
 * a new number from counters.change_seq (a delete leaves a tombstone with one), in the same
 * transaction, so "what changed since n" is three indexed range reads.
 */
import { sql } from "drizzle-orm";
import type { RecordKind } from "../domain/records.ts";
import type { DbOrTx } from "./records.ts";

/** The last change number handed out (0 on a new database). */
export async function readChangeSeq(db: DbOrTx): Promise<number> {
  const rows = await db.all<{ value: number }>(
    sql`SELECT value FROM counters WHERE name = 'change_seq'`,
  );
  return Number(rows[0]?.value ?? 0);
}

/**
 * Records written or deleted with a change number in (after, upTo], oldest first. A record
 * written again since shows up once, at its newest number.
 */
export async function recordChangesBetween(
  db: DbOrTx,
  after: number,
  upTo: number,
): Promise<{ kind: RecordKind; id: string }[]> {
  const rows = await db.all<{ kind: string; id: string }>(sql`
    SELECT kind, id FROM (
      SELECT 'dossier' AS kind, id, seq FROM dossiers WHERE seq > ${after} AND seq <= ${upTo}
      UNION ALL
      SELECT 'act' AS kind, id, seq FROM acts WHERE seq > ${after} AND seq <= ${upTo}
      UNION ALL
      SELECT entity AS kind, id, seq FROM tombstones
        WHERE entity IN ('dossier', 'act') AND seq > ${after} AND seq <= ${upTo}
    ) ORDER BY seq`);
  return rows.map((r) => ({ kind: r.kind === "act" ? "act" : "dossier", id: r.id }));
}
