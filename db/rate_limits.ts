/**
 * The `rate_limits` table: one fixed-window counter per bucket (what is limited) and key (who
 * or what it is limited for). Kept in the DB so a restart does not hand an attacker a fresh
 * set of attempts. The policy (limits, windows) lives in middleware/rate_limit.ts.
 */
import { and, eq, lte, sql } from "drizzle-orm";
import type { Db } from "./client.ts";
import { rateLimits } from "./schema.ts";

/** The current window of one key: when it started (ms) and the attempts counted in it. */
export interface RateWindow {
  windowStart: number;
  count: number;
}

// Keys are addresses, usernames, receipt codes: stored only as a hash, of fixed length.
async function hashKey(key: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Counts one attempt for `key` at `now` (ms) in one atomic upsert: a window older than
 * `windowMs` restarts at `now` with a count of 1. Returns the window after the attempt.
 */
export async function countAttempt(
  db: Db,
  bucket: string,
  key: string,
  now: number,
  windowMs: number,
): Promise<RateWindow> {
  const expired = sql`${rateLimits.windowStart} <= ${now - windowMs}`;
  const [row] = await db.insert(rateLimits)
    .values({ bucket, key: await hashKey(key), windowStart: now, count: 1 })
    .onConflictDoUpdate({
      target: [rateLimits.bucket, rateLimits.key],
      set: {
        // SQLite evaluates every SET expression on the old row, so both see the old start.
        count: sql`CASE WHEN ${expired} THEN 1 ELSE ${rateLimits.count} + 1 END`,
        windowStart: sql`CASE WHEN ${expired} THEN ${now} ELSE ${rateLimits.windowStart} END`,
      },
    })
    .returning({ windowStart: rateLimits.windowStart, count: rateLimits.count });
  if (!row) throw new Error("rate_limits upsert returned no row");
  return row;
}

/** The live window of `key` at `now`, or undefined when it has none or it has ended. */
export async function readWindow(
  db: Db,
  bucket: string,
  key: string,
  now: number,
  windowMs: number,
): Promise<RateWindow | undefined> {
  const row = await db.select({ windowStart: rateLimits.windowStart, count: rateLimits.count })
    .from(rateLimits)
    .where(and(eq(rateLimits.bucket, bucket), eq(rateLimits.key, await hashKey(key)))).get();
  return row && row.windowStart > now - windowMs ? row : undefined;
}

/** Forgets `key` (a good login clears its failures). */
export async function forgetKey(db: Db, bucket: string, key: string): Promise<void> {
  await db.delete(rateLimits)
    .where(and(eq(rateLimits.bucket, bucket), eq(rateLimits.key, await hashKey(key))));
}

/**
 * Deletes the bucket's ended windows, then its oldest ones beyond `maxKeys`: a flood of
 * distinct keys (many addresses, made-up codes) cannot grow the table without limit. Under
 * such a flood the oldest counters go first, so a limit may reopen early; refusing new keys
 * instead would lock every honest user out.
 */
export async function pruneBucket(
  db: Db,
  bucket: string,
  now: number,
  windowMs: number,
  maxKeys: number,
): Promise<void> {
  await db.delete(rateLimits)
    .where(and(eq(rateLimits.bucket, bucket), lte(rateLimits.windowStart, now - windowMs)));
  // Plain SQL: drizzle's query builder cannot write SQLite's "LIMIT -1 OFFSET n".
  await db.run(sql`DELETE FROM rate_limits WHERE bucket = ${bucket} AND key IN (
    SELECT key FROM rate_limits WHERE bucket = ${bucket}
    ORDER BY window_start DESC LIMIT -1 OFFSET ${maxKeys})`);
}

/** How many keys a bucket holds (tests and diagnostics). */
export async function countKeys(db: Db, bucket: string): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)` }).from(rateLimits)
    .where(eq(rateLimits.bucket, bucket));
  return row?.n ?? 0;
}
