/** Clerk and admin accounts. Passwords only ever as scrypt hashes (domain/passwords.ts). */
import { UserFacingError } from "../domain/user_facing_error.ts";
import { asc, eq } from "drizzle-orm";
import type { Db } from "./client.ts";
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
  constructor(message: string) {
    super(message, { status: 422 });
    this.name = "UserError";
  }
}

function toUser(row: typeof users.$inferSelect): User {
  const { id, username, displayName, role, disabled } = row;
  return { id, username, displayName, role, disabled };
}

/** Creates an account; the name must be free and the password long enough. */
export async function createUser(
  db: Db,
  input: { username: string; role: UserRole; password: string; displayName?: string },
  now: Date,
  scrypt?: ScryptParams,
): Promise<User> {
  const username = input.username.trim().toLowerCase();
  if (!USERNAME.test(username)) {
    throw new UserError("Nome utente: da 2 a 40 tra lettere minuscole, cifre, punto, trattino.");
  }
  if (input.password.length < MIN_PASSWORD) {
    throw new UserError(`La password deve avere almeno ${MIN_PASSWORD} caratteri.`);
  }
  if (await db.select().from(users).where(eq(users.username, username)).get()) {
    throw new UserError(`L'utente «${username}» esiste già.`);
  }
  const at = now.toISOString();
  const [row] = await db.insert(users).values({
    id: crypto.randomUUID(),
    username,
    displayName: input.displayName ?? null,
    role: input.role,
    passwordHash: await hashPassword(input.password, scrypt),
    createdAt: at,
    updatedAt: at,
  }).returning();
  if (!row) throw new Error("user insert returned no row");
  return toUser(row);
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

/** Enables or disables an account; disabling ends its sessions. */
export async function setUserDisabled(
  db: Db,
  username: string,
  disabled: boolean,
  now: Date,
): Promise<User> {
  const [row] = await db.update(users).set({ disabled, updatedAt: now.toISOString() })
    .where(eq(users.username, username)).returning();
  if (!row) throw new UserError(`Utente «${username}» non trovato.`);
  if (disabled) await db.delete(sessions).where(eq(sessions.userId, row.id));
  return toUser(row);
}

/** Changes an account's role. */
export async function setUserRole(
  db: Db,
  username: string,
  role: UserRole,
  now: Date,
): Promise<User> {
  const [row] = await db.update(users).set({ role, updatedAt: now.toISOString() })
    .where(eq(users.username, username)).returning();
  if (!row) throw new UserError(`Utente «${username}» non trovato.`);
  return toUser(row);
}

/** Sets a new password; existing sessions of that account end. */
export async function setUserPassword(
  db: Db,
  username: string,
  password: string,
  now: Date,
  scrypt?: ScryptParams,
): Promise<void> {
  if (password.length < MIN_PASSWORD) {
    throw new UserError(`La password deve avere almeno ${MIN_PASSWORD} caratteri.`);
  }
  const [row] = await db.update(users).set({
    passwordHash: await hashPassword(password, scrypt),
    updatedAt: now.toISOString(),
  }).where(eq(users.username, username)).returning();
  if (!row) throw new UserError(`Utente «${username}» non trovato.`);
  await db.delete(sessions).where(eq(sessions.userId, row.id));
}
