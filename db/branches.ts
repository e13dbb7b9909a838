/**
 * Archive side: the branches allowed to sync. A branch authenticates with a random bearer
 * token shown once at registration; only its SHA-256 is stored, so a stolen archive DB
 * does not hand out working tokens.
 */
import { UserFacingError } from "../domain/user_facing_error.ts";
import { asc, eq } from "drizzle-orm";
import type { Db } from "./client.ts";
import { branches } from "./schema.ts";

/** A registered branch as the admin sees it (never the token). */
export interface BranchInfo {
  name: string;
  createdAt: string;
  revokedAt: string | null;
  lastAppliedNumber: number;
  lastSeenAt: string | null;
}

/** A branch name the archive cannot use (empty, odd characters, taken). */
export class BranchError extends UserFacingError {
  constructor(message: string) {
    super(message, { status: 422 });
    this.name = "BranchError";
  }
}

/** Hex SHA-256 of a token: what the archive keeps and compares. */
export async function hashToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Every token starts with this: a base64url token starting with "-" read as an option. */
export const TOKEN_PREFIX = "fald_";

function newToken(): string {
  // 32 random bytes, base64url: 256 bits, safe in a header and on a command line. One in 64
  // began with "-", which `--token <value>` took for an option: the prefix rules it out.
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return TOKEN_PREFIX + btoa(String.fromCharCode(...bytes)).replaceAll("+", "-")
    .replaceAll("/", "_").replace(/=+$/, "");
}

/** Registers a branch and returns its token (shown once; only the hash is stored). */
export async function addBranch(db: Db, name: string, now: Date): Promise<string> {
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(name)) {
    throw new BranchError(
      `Nome sede non valido: "${name}" (da 1 a 64 caratteri tra lettere, cifre, . _ -)`,
    );
  }
  const existing = await db.select().from(branches).where(eq(branches.name, name)).get();
  if (existing) throw new BranchError(`La sede "${name}" è già registrata`);
  const token = newToken();
  await db.insert(branches).values({
    name,
    tokenHash: await hashToken(token),
    createdAt: now.toISOString(),
  });
  return token;
}

/** Revokes a branch: its token stops working at once. False when no such branch exists. */
export async function revokeBranch(db: Db, name: string, now: Date): Promise<boolean> {
  const rows = await db.update(branches).set({ revokedAt: now.toISOString() })
    .where(eq(branches.name, name)).returning({ name: branches.name });
  return rows.length > 0;
}

/** The branch holding this token (revoked ones too: the caller says why it refuses). */
export async function findBranchByToken(db: Db, token: string): Promise<BranchInfo | undefined> {
  const row = await db.select().from(branches)
    .where(eq(branches.tokenHash, await hashToken(token))).get();
  return row ? toInfo(row) : undefined;
}

/** Notes when a branch last called, for the archive admin. */
export async function touchBranch(db: Db, name: string, now: Date): Promise<void> {
  await db.update(branches).set({ lastSeenAt: now.toISOString() }).where(eq(branches.name, name));
}

/** Every registered branch, by name. */
export async function listBranches(db: Db): Promise<BranchInfo[]> {
  const rows = await db.select().from(branches).orderBy(asc(branches.name));
  return rows.map(toInfo);
}

function toInfo(row: typeof branches.$inferSelect): BranchInfo {
  return {
    name: row.name,
    createdAt: row.createdAt,
    revokedAt: row.revokedAt,
    lastAppliedNumber: row.lastAppliedNumber,
    lastSeenAt: row.lastSeenAt,
  };
}
