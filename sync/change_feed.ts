/**
 * Archive side: reads the change feed after a cursor, one page bounded in bytes. Rows of
 * every feed entity and tombstones are merged by seq; since every write takes its seq inside
 * its own write transaction, committed seqs only grow and "seq > cursor" misses nothing.
 */
import { and, asc, count, gt, inArray } from "drizzle-orm";
import { tombstones } from "../db/schema.ts";
import { FEED_ENTITIES } from "./feed_entities.ts";
import type { DbOrTx } from "../db/outbox.ts";
import type { Change, ChangesPage } from "./protocol.ts";

/** Smallest and largest page a client may ask for, in uncompressed bytes. */
export const MIN_PAGE_BYTES = 4 * 1024;
export const MAX_PAGE_BYTES = 8 * 1024 * 1024;
// Rows considered per page; a tiny record is ~300 bytes, so this never caps a byte budget
// below ~1 MiB, and it bounds the id lists read from each table.
const MAX_ROWS = 4000;
const READ_CHUNK = 200;

interface Candidate {
  entity: string;
  id: string;
  seq: number;
  deleted: boolean;
}

const ENTITY_NAMES = FEED_ENTITIES.map((e) => e.entity);

async function candidatesAfter(db: DbOrTx, after: number, limit: number): Promise<Candidate[]> {
  const all: Candidate[] = [];
  for (const e of FEED_ENTITIES) {
    for (const r of await e.changedSince(db, after, limit)) {
      all.push({ entity: e.entity, id: r.id, seq: r.seq, deleted: false });
    }
  }
  const dead = await db.select().from(tombstones)
    .where(and(gt(tombstones.seq, after), inArray(tombstones.entity, ENTITY_NAMES)))
    .orderBy(asc(tombstones.seq)).limit(limit);
  for (const t of dead) all.push({ entity: t.entity, id: t.id, seq: t.seq, deleted: true });
  // Each source gave its own first `limit`; the first `limit` of the merge are then exact.
  return all.sort((a, b) => a.seq - b.seq).slice(0, limit);
}

/** How many changes wait after `after` (rows plus tombstones). */
export async function countChangesAfter(db: DbOrTx, after: number): Promise<number> {
  let n = 0;
  for (const e of FEED_ENTITIES) n += await e.countSince(db, after);
  const [row] = await db.select({ n: count() }).from(tombstones)
    .where(and(gt(tombstones.seq, after), inArray(tombstones.entity, ENTITY_NAMES)));
  return n + (row?.n ?? 0);
}

/**
 * The changes after `after`, in seq order, until adding one more would pass `maxBytes` of
 * JSON (at least one change, so a record bigger than the budget still goes through).
 */
export async function readChangesPage(
  db: DbOrTx,
  after: number,
  maxBytes: number,
): Promise<ChangesPage> {
  const budget = Math.min(Math.max(maxBytes, MIN_PAGE_BYTES), MAX_PAGE_BYTES);
  const candidates = await candidatesAfter(db, after, MAX_ROWS);
  const changes: Change[] = [];
  let bytes = 0;
  let cursor = after;
  let full = false;
  for (let i = 0; i < candidates.length && !full; i += READ_CHUNK) {
    const chunk = candidates.slice(i, i + READ_CHUNK);
    const docs = await readDocs(db, chunk);
    for (const c of chunk) {
      const change: Change = { entity: c.entity, id: c.id, seq: c.seq, deleted: c.deleted };
      if (!c.deleted) {
        const doc = docs.get(`${c.entity}\u0000${c.id}`);
        // Deleted since the id list was read: its tombstone has a later seq and comes then.
        if (doc === undefined) {
          cursor = c.seq;
          continue;
        }
        change.doc = doc;
      }
      const size = JSON.stringify(change).length + 1;
      if (changes.length > 0 && bytes + size > budget) {
        full = true;
        break;
      }
      changes.push(change);
      bytes += size;
      cursor = c.seq;
    }
  }
  const remaining = await countChangesAfter(db, cursor);
  return { changes, cursor, more: remaining > 0, remaining };
}

async function readDocs(db: DbOrTx, chunk: Candidate[]): Promise<Map<string, unknown>> {
  const out = new Map<string, unknown>();
  for (const e of FEED_ENTITIES) {
    const ids = chunk.filter((c) => c.entity === e.entity && !c.deleted).map((c) => c.id);
    if (ids.length === 0) continue;
    for (const [id, doc] of await e.read(db, ids)) out.set(`${e.entity}\u0000${id}`, doc);
  }
  return out;
}
