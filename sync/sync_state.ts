/**
 * Branch side: the small persistent sync state, kept in `settings` so it moves in the same
 * transactions as the data (the cursor is written with the page it acknowledges).
 */
import { eq, inArray } from "drizzle-orm";
import { settings } from "../db/schema.ts";
import type { DbOrTx } from "../db/outbox.ts";

const KEYS = {
  cursor: "sync.cursor",
  lastPullAt: "sync.last_pull_at",
  lastPushAt: "sync.last_push_at",
  bytesReceived: "sync.bytes_received",
  bytesSent: "sync.bytes_sent",
  lastError: "sync.last_error",
} as const;

/** What the admin page shows from the DB. */
export interface StoredSyncState {
  cursor: number;
  lastPullAt: string | undefined;
  lastPushAt: string | undefined;
  bytesReceived: number;
  bytesSent: number;
  lastError: string | undefined;
}

async function put(db: DbOrTx, key: string, value: unknown, now: Date): Promise<void> {
  const row = { key, value: JSON.stringify(value), updatedAt: now.toISOString() };
  await db.insert(settings).values(row)
    .onConflictDoUpdate({
      target: settings.key,
      set: { value: row.value, updatedAt: row.updatedAt },
    });
}

async function get(db: DbOrTx, key: string): Promise<unknown> {
  const row = await db.select().from(settings).where(eq(settings.key, key)).get();
  return row ? JSON.parse(row.value) : undefined;
}

/** The seq of the last archive change applied here (0 before the first sync). */
export async function readCursor(db: DbOrTx): Promise<number> {
  const v = await get(db, KEYS.cursor);
  return typeof v === "number" ? v : 0;
}

/** Stores the cursor; called inside the transaction that applied its page. */
export async function writeCursor(tx: DbOrTx, cursor: number, now: Date): Promise<void> {
  await put(tx, KEYS.cursor, cursor, now);
}

/** Notes a pull that reached the end of the feed: the branch was up to date at `now`. */
export async function markPulled(db: DbOrTx, now: Date): Promise<void> {
  await put(db, KEYS.lastPullAt, now.toISOString(), now);
}

/** Notes a push that emptied the outbox. */
export async function markPushed(db: DbOrTx, now: Date): Promise<void> {
  await put(db, KEYS.lastPushAt, now.toISOString(), now);
}

/** Adds to the byte counters shown to the admin. */
export async function addTraffic(
  db: DbOrTx,
  received: number,
  sent: number,
  now: Date,
): Promise<void> {
  const state = await readSyncState(db);
  await put(db, KEYS.bytesReceived, state.bytesReceived + received, now);
  await put(db, KEYS.bytesSent, state.bytesSent + sent, now);
}

/** Stores (or clears, with undefined) the last sync error for the admin page. */
export async function writeLastError(db: DbOrTx, message: string | undefined, now: Date) {
  await put(db, KEYS.lastError, message ?? null, now);
}

/** The whole stored state in one read. */
export async function readSyncState(db: DbOrTx): Promise<StoredSyncState> {
  const rows = await db.select().from(settings)
    .where(inArray(settings.key, Object.values(KEYS)));
  const v = new Map(rows.map((r) => [r.key, JSON.parse(r.value)]));
  const num = (k: string) => (typeof v.get(k) === "number" ? Number(v.get(k)) : 0);
  const str = (k: string) => (typeof v.get(k) === "string" ? String(v.get(k)) : undefined);
  return {
    cursor: num(KEYS.cursor),
    lastPullAt: str(KEYS.lastPullAt),
    lastPushAt: str(KEYS.lastPushAt),
    bytesReceived: num(KEYS.bytesReceived),
    bytesSent: num(KEYS.bytesSent),
    lastError: str(KEYS.lastError),
  };
}

/** When this branch was last fully up to date with the archive ("Dati aggiornati al …"). */
export async function lastSuccessfulPullAt(db: DbOrTx): Promise<Date | undefined> {
  const v = await get(db, KEYS.lastPullAt);
  return typeof v === "string" ? new Date(v) : undefined;
}
