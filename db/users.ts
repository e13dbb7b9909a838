/**
 * Clerk and admin accounts. Passwords only ever as scrypt hashes (domain/passwords.ts); every
 * change writes its audit entry in its own transaction.
 */
import { type LocalText, UserFacingError } from "../domain/user_facing_error.ts";
import { asc, eq } from "drizzle-orm";
import type { Db } from "./client.ts";
import { auditActionIn, type AuditedBy } from "./audit.ts";
import { sessions, users } from "./schema.ts";
import { hashPassword, type ScryptParams, verifyPassword } from "../domain/passwords.ts";

/** A role with a login. */
export type UserRole = "clerk" | "admin";
/** An account without its hash: what pages and sessions carry. */
export interface User {
  id: string;
  username: string;
  displayName: string | null;
  role: UserRole;
  disabled: boolean;
}

/** Usernames: 2–40 of lower-case letters, digits, dot, dash, underscore. */
export const USERNAME = /^[a-z0-9._-]{2,40}$/;
/** Shortest password accepted. */
export const MIN_PASSWORD = 10;

/** An account rule broken (taken name, short password…), with an Italian message. */
export class UserError extends UserFacingError {
  constructor(message: string | LocalText) {
    super(message, { status: 422 });
    this.name = "UserError";
  }
}

function toUser(row: typeof users.$inferSelect): User {
  const { id, username, displayName, role, disabled } = row;
  return { id, username, displayName, role, disabled };
}

/**
 * Creates an account; the name must be free and the password long enough. The account and
 * its `user_add` audit entry are written in one transaction.
 */
export async function createUser(
  db: Db,
  input: { username: string; role: UserRole; password: string; displayName?: string },
  by: AuditedBy,
  scrypt?: ScryptParams,
): Promise<User> {
  const username = input.username.trim().toLowerCase();
  if (!USERNAME.test(username)) {
    throw new UserError((t) => t.admin.badUsername);
  }
  if (input.password.length < MIN_PASSWORD) {
    throw new UserError((t) => t.admin.shortPassword(MIN_PASSWORD));
  }
  // Hashed before the transaction: scrypt is slow on purpose and must not hold the write lock.
  const passwordHash = await hashPassword(input.password, scrypt);
  const at = by.now.toISOString();
  return await db.transaction(async (tx) => {
    if (await tx.select().from(users).where(eq(users.username, username)).get()) {
      throw new UserError((t) => t.admin.userExists(username));
    }
    const [row] = await tx.insert(users).values({
      id: crypto.randomUUID(),
      username,
      displayName: input.displayName ?? null,
      role: input.role,
      passwordHash,
      createdAt: at,
      updatedAt: at,
    }).returning();
    if (!row) throw new Error("user insert returned no row");
    await auditActionIn(tx, by, { action: "user_add", detail: `${username} (${input.role})` });
    return toUser(row);
  });
}

/** Every account, by name. */
export async function listUsers(db: Db): Promise<User[]> {
  return (await db.select().from(users).orderBy(asc(users.username))).map(toUser);
}

/** One account by name, or undefined. */
export async function findUser(db: Db, username: string): Promise<User | undefined> {
  const row = await db.select().from(users).where(eq(users.username, username)).get();
  return row ? toUser(row) : undefined;
}

/** The enabled account whose password matches, or undefined (same answer for every failure). */
export async function authenticate(
  db: Db,
  username: string,
  password: string,
): Promise<User | undefined> {
  const row = await db.select().from(users)
    .where(eq(users.username, username.trim().toLowerCase())).get();
  // Hash anyway when the user is unknown, so timing does not tell which names exist.
  const ok = await verifyPassword(password, row?.passwordHash ?? DUMMY_HASH);
  return row && ok && !row.disabled ? toUser(row) : undefined;
}

const DUMMY_HASH =
  "scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

/** Enables or disables an account, audited in the same transaction; disabling ends its sessions. */
export async function setUserDisabled(
  db: Db,
  username: string,
  disabled: boolean,
  by: AuditedBy,
): Promise<User> {
  return await db.transaction(async (tx) => {
    const [row] = await tx.update(users).set({ disabled, updatedAt: by.now.toISOString() })
      .where(eq(users.username, username)).returning();
    if (!row) throw new UserError((t) => t.admin.userMissing(username));
    if (disabled) await tx.delete(sessions).where(eq(sessions.userId, row.id));
    await auditActionIn(tx, by, {
      action: disabled ? "user_disable" : "user_enable",
      detail: row.username,
    });
    return toUser(row);
  });
}

/** Changes an account's role, audited in the same transaction. */
export async function setUserRole(
  db: Db,
  username: string,
  role: UserRole,
  by: AuditedBy,
): Promise<User> {
  return await db.transaction(async (tx) => {
    const [row] = await tx.update(users).set({ role, updatedAt: by.now.toISOString() })
      .where(eq(users.username, username)).returning();
    if (!row) throw new UserError((t) => t.admin.userMissing(username));
    await auditActionIn(tx, by, { action: "user_role", detail: `${row.username} → ${role}` });
    return toUser(row);
  });
}

/** Sets a new password, audited in the same transaction; existing sessions of that account end. */
export async function setUserPassword(
  db: Db,
  username: string,
  password: string,
  by: AuditedBy,
  scrypt?: ScryptParams,
): Promise<void> {
  if (password.length < MIN_PASSWORD) {
    throw new UserError((t) => t.admin.shortPassword(MIN_PASSWORD));
  }
  const passwordHash = await hashPassword(password, scrypt);
  await db.transaction(async (tx) => {
    const [row] = await tx.update(users).set({ passwordHash, updatedAt: by.now.toISOString() })
      .where(eq(users.username, username)).returning();
    if (!row) throw new UserError((t) => t.admin.userMissing(username));
    await tx.delete(sessions).where(eq(sessions.userId, row.id));
    await auditActionIn(tx, by, { action: "user_password", detail: row.username });
  });
}
