/**
 * The append-only audit log: this module only inserts and reads. On a branch each entry is
 * queued for the archive in the same transaction.
 */
import { and, desc, eq, gte, lte, type SQL } from "drizzle-orm";
import type { Db } from "./client.ts";
import { auditLog } from "./schema.ts";
import { enqueueMutation, type Tx } from "./outbox.ts";

/** One audit row. */
export type AuditEntry = typeof auditLog.$inferSelect;
/** The outbox entity name of audit entries. */
export const AUDIT_ENTITY = "audit_entry";

/** What happened, to what, by whom. */
export interface NewAuditEntry {
  actor: string | null;
  /** e.g. `login_ok`, `login_failed`, `view_request`, `view_people`, `decide`, `user_add`. */
  action: string;
  recordKind?: string | undefined;
  recordId?: string | undefined;
  /** Short, with no personal data of citizens. */
  detail?: string | undefined;
}

/** Where the entry is written. */
export interface AuditContext {
  now: Date;
  branch: string;
  outbox: boolean;
}

function auditRow(entry: NewAuditEntry, ctx: AuditContext): AuditEntry {
  return {
    id: crypto.randomUUID(),
    at: ctx.now.toISOString(),
    branch: ctx.branch,
    actor: entry.actor,
    action: entry.action,
    recordKind: entry.recordKind ?? null,
    recordId: entry.recordId ?? null,
    detail: entry.detail ?? null,
  };
}

/** Appends one entry inside the caller's transaction, so it commits with the action. */
export async function appendAuditIn(
  tx: Tx,
  entry: NewAuditEntry,
  ctx: AuditContext,
): Promise<AuditEntry> {
  const row = auditRow(entry, ctx);
  await tx.insert(auditLog).values(row);
  if (ctx.outbox) {
    await enqueueMutation(tx, { entity: AUDIT_ENTITY, entityId: row.id, payload: row }, ctx.now);
  }
  return row;
}

/**
 * Who performs an audited action, and where its entry goes. Every audited write in `db/`
 * (a desk decision, an account or settings change, a login) takes one and appends its entry
 * inside its own transaction: a caller cannot forget the entry, and a crash cannot keep the
 * change without it or the entry without the change.
 */
export interface AuditedBy extends AuditContext {
  /** The username, or null for the command line. */
  actor: string | null;
  /** How the change came in, added to the entry's detail (e.g. "da riga di comando"). */
  via?: string | undefined;
}

/** Appends the entry of an action done by `by`, inside the action's transaction. */
export function auditActionIn(
  tx: Tx,
  by: AuditedBy,
  entry: Omit<NewAuditEntry, "actor">,
): Promise<AuditEntry> {
  const detail = [entry.detail, by.via].filter((part) => part).join(" ");
  return appendAuditIn(tx, {
    ...entry,
    actor: by.actor,
    ...(detail ? { detail } : {}),
  }, by);
}

/**
 * Appends one entry in its own transaction (entry and outbox row together): for events that
 * change nothing else, such as viewing a requester's data or a refused login.
 */
export function appendAudit(db: Db, entry: NewAuditEntry, ctx: AuditContext): Promise<AuditEntry> {
  return db.transaction((tx) => appendAuditIn(tx, entry, ctx));
}

/** Stores an entry that came from a branch (archive side); a repeat is ignored. */
export async function applyAuditEntry(tx: Db | Tx, entry: AuditEntry): Promise<void> {
  await tx.insert(auditLog).values(entry).onConflictDoNothing();
}

/** Filters of the audit list. */
export interface AuditFilter {
  actor?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

/** Entries newest first; `actor` limits to one account (clerks see only their own). */
export function listAudit(db: Db, filter: AuditFilter, limit = 500): Promise<AuditEntry[]> {
  const where: SQL[] = [];
  if (filter.actor) where.push(eq(auditLog.actor, filter.actor));
  if (filter.from) where.push(gte(auditLog.at, filter.from));
  // `at` is a full timestamp: everything of the last day sorts below "YYYY-MM-DDU".
  if (filter.to) where.push(lte(auditLog.at, `${filter.to}U`));
  return db.select().from(auditLog).where(and(...where)).orderBy(desc(auditLog.at)).limit(limit);
}
