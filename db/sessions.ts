/**
 * Login sessions. The cookie holds a random token; only its SHA-256 is stored, so a copy of
 * the DB does not let anyone log in. Each session has its own CSRF token.
 */
import { eq, lt } from "drizzle-orm";
import type { Db } from "./client.ts";
import { auditActionIn, type AuditContext } from "./audit.ts";
import { sessions, users } from "./schema.ts";
import type { User } from "./users.ts";

/** A live session: who, and the CSRF token forms must echo. */
export interface Session {
  user: User;
  csrfToken: string;
}

/** 32 random bytes, base64url: a cookie value nobody can guess. */
export function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replace(
    /[+/=]/g,
    (c) => c === "+" ? "-" : c === "/" ? "_" : "",
  );
}

/** Hex SHA-256 of a token: what the DB keeps instead of the token. */
export async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Opens a session for `user` with its `login_ok` audit entry, in one transaction; returns the
 * cookie token (never stored) and the CSRF token.
 */
export async function createSession(
  db: Db,
  user: Pick<User, "id" | "username">,
  ctx: AuditContext,
): Promise<{ token: string; csrfToken: string }> {
  const token = randomToken();
  const csrfToken = randomToken();
  const tokenHash = await sha256(token);
  const at = ctx.now.toISOString();
  await db.transaction(async (tx) => {
    await tx.insert(sessions).values({
      tokenHash,
      userId: user.id,
      csrfToken,
      createdAt: at,
      lastSeenAt: at,
    });
    await auditActionIn(tx, { ...ctx, actor: user.username }, { action: "login_ok" });
  });
  return { token, csrfToken };
}

/**
 * The session of a cookie token, refreshed; undefined when unknown, idle longer than
 * `idleSeconds` (then removed) or its account is disabled.
 */
export async function touchSession(
  db: Db,
  token: string,
  now: Date,
  idleSeconds: number,
): Promise<Session | undefined> {
  const tokenHash = await sha256(token);
  const row = await db.select().from(sessions).innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.tokenHash, tokenHash)).get();
  if (!row) return undefined;
  const idle = (now.getTime() - Date.parse(row.sessions.lastSeenAt)) / 1000;
  if (idle > idleSeconds || row.users.disabled) {
    await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
    return undefined;
  }
  await db.update(sessions).set({ lastSeenAt: now.toISOString() })
    .where(eq(sessions.tokenHash, tokenHash));
  const u = row.users;
  return {
    user: {
      id: u.id,
      username: u.username,
      displayName: u.displayName,
      role: u.role,
      disabled: u.disabled,
    },
    csrfToken: row.sessions.csrfToken,
  };
}

/**
 * Ends a session (logout) with its `logout` audit entry, in one transaction; a token whose
 * session had already ended changes nothing and is not audited.
 */
export async function deleteSession(db: Db, token: string, ctx: AuditContext): Promise<void> {
  const tokenHash = await sha256(token);
  await db.transaction(async (tx) => {
    const [ended] = await tx.delete(sessions).where(eq(sessions.tokenHash, tokenHash))
      .returning({ userId: sessions.userId });
    if (!ended) return;
    const user = await tx.select({ username: users.username }).from(users)
      .where(eq(users.id, ended.userId)).get();
    await auditActionIn(tx, { ...ctx, actor: user?.username ?? null }, { action: "logout" });
  });
}

/** Removes sessions idle since before `cutoff`. */
export async function purgeSessions(db: Db, cutoff: Date): Promise<void> {
  await db.delete(sessions).where(lt(sessions.lastSeenAt, cutoff.toISOString()));
}
