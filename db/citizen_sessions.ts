/**
 * Citizens signed in online (OpenID Connect through the town's broker): the pending sign-in
 * (state, nonce, PKCE verifier) and the session after it. Both are kept on the server under
 * the SHA-256 of a random cookie value, like the staff sessions, and apart from them: a
 * citizen has no account, only the codice fiscale the broker asserted.
 */
import { eq, lt } from "drizzle-orm";
import type { Db } from "./client.ts";
import { citizenLogins, citizenSessions } from "./schema.ts";
import { randomToken, sha256 } from "./sessions.ts";

/** A sign-in must come back from the broker within this long (brief: 10 minutes). */
export const PENDING_LOGIN_SECONDS = 10 * 60;

/** What the callback of a sign-in must match. */
export interface PendingLogin {
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** A live citizen session. */
export interface CitizenSession {
  taxCode: string;
  displayName: string | undefined;
}

/**
 * Stores a pending sign-in (expired ones are purged first) and returns the random id for its
 * cookie; the id itself is never stored.
 */
export async function createPendingLogin(db: Db, login: PendingLogin, now: Date): Promise<string> {
  await db.delete(citizenLogins).where(lt(citizenLogins.expiresAt, now.toISOString()));
  const id = randomToken();
  await db.insert(citizenLogins).values({
    idHash: await sha256(id),
    ...login,
    expiresAt: new Date(now.getTime() + PENDING_LOGIN_SECONDS * 1000).toISOString(),
  });
  return id;
}

/**
 * Takes the pending sign-in of a cookie id: deleted in the same statement that reads it, so
 * a second callback with the same id (a replay) finds nothing; undefined when unknown, used
 * or expired.
 */
export async function takePendingLogin(
  db: Db,
  id: string,
  now: Date,
): Promise<PendingLogin | undefined> {
  const [row] = await db.delete(citizenLogins)
    .where(eq(citizenLogins.idHash, await sha256(id))).returning();
  if (!row || row.expiresAt <= now.toISOString()) return undefined;
  return { state: row.state, nonce: row.nonce, codeVerifier: row.codeVerifier };
}

/**
 * Opens a session for a signed-in citizen; returns the cookie token (never stored). A fresh
 * token at every sign-in: a value planted before it cannot become a session (fixation).
 */
export async function createCitizenSession(
  db: Db,
  citizen: CitizenSession,
  now: Date,
): Promise<string> {
  const token = randomToken();
  const at = now.toISOString();
  await db.insert(citizenSessions).values({
    tokenHash: await sha256(token),
    taxCode: citizen.taxCode,
    displayName: citizen.displayName ?? null,
    createdAt: at,
    lastSeenAt: at,
  });
  return token;
}

/**
 * The session of a cookie token, refreshed; undefined when unknown, idle longer than
 * `idleSeconds` or older than `maxSeconds` (then removed).
 */
export async function touchCitizenSession(
  db: Db,
  token: string,
  now: Date,
  limits: { idleSeconds: number; maxSeconds: number },
): Promise<CitizenSession | undefined> {
  const tokenHash = await sha256(token);
  const row = await db.select().from(citizenSessions)
    .where(eq(citizenSessions.tokenHash, tokenHash)).get();
  if (!row) return undefined;
  const idle = (now.getTime() - Date.parse(row.lastSeenAt)) / 1000;
  const age = (now.getTime() - Date.parse(row.createdAt)) / 1000;
  if (idle > limits.idleSeconds || age > limits.maxSeconds) {
    await db.delete(citizenSessions).where(eq(citizenSessions.tokenHash, tokenHash));
    return undefined;
  }
  await db.update(citizenSessions).set({ lastSeenAt: now.toISOString() })
    .where(eq(citizenSessions.tokenHash, tokenHash));
  return { taxCode: row.taxCode, displayName: row.displayName ?? undefined };
}

/** Ends a citizen session (sign-out, or the old one at a new sign-in). */
export async function deleteCitizenSession(db: Db, token: string): Promise<void> {
  await db.delete(citizenSessions).where(eq(citizenSessions.tokenHash, await sha256(token)));
}

/** Removes sessions idle since before `idleCutoff` or opened before `ageCutoff`. */
export async function purgeCitizenSessions(
  db: Db,
  idleCutoff: Date,
  ageCutoff: Date,
): Promise<void> {
  await db.delete(citizenSessions).where(lt(citizenSessions.lastSeenAt, idleCutoff.toISOString()));
  await db.delete(citizenSessions).where(lt(citizenSessions.createdAt, ageCutoff.toISOString()));
}
