/**
 * Branch side: the outbox of mutations waiting to go up to the archive. Whatever the branch
 * creates (access requests, decisions, audit entries…) is enqueued in the same transaction as
 * the write itself, so a row exists locally if and only if its mutation will be pushed.
 */
import { and, asc, count, eq, lte } from "drizzle-orm";
import type { Db } from "./client.ts";
import { outbox } from "./schema.ts";

/** A drizzle transaction on the Faldone schema. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
/** Either the database or an open transaction: outbox writes join the caller's transaction. */
export type DbOrTx = Db | Tx;

/** What a caller hands to the outbox: which row of which entity, and its full payload. */
export interface NewMutation {
  entity: string;
  entityId: string;
  payload: unknown;
}

/** One outbox row as it travels in a push batch. */
export interface OutboxMutation {
  number: number;
  mutationId: string;
  entity: string;
  entityId: string;
  payload: unknown;
}

/** A mutation the archive refused, kept on the branch for the admin to see. */
export interface SetAsideMutation {
  number: number;
  mutationId: string;
  entity: string;
  entityId: string;
  reason: string;
  createdAt: string;
}

/**
 * Queues one mutation; returns its per-branch number (the outbox's autoincrement key, so
 * numbers only grow, even after rows are deleted) and its globally unique id.
 */
export async function enqueueMutation(
  tx: DbOrTx,
  mutation: NewMutation,
  now: Date,
): Promise<{ number: number; mutationId: string }> {
  const mutationId = crypto.randomUUID();
  const [row] = await tx.insert(outbox).values({
    mutationId,
    entity: mutation.entity,
    entityId: mutation.entityId,
    payload: JSON.stringify(mutation.payload),
    createdAt: now.toISOString(),
  }).returning({ number: outbox.number });
  if (!row) throw new Error("outbox insert returned no row");
  return { number: row.number, mutationId };
}

/** The oldest pending mutations, in number order, at most `limit` of them. */
export async function pendingMutations(db: DbOrTx, limit: number): Promise<OutboxMutation[]> {
  const rows = await db.select().from(outbox).where(eq(outbox.state, "pending"))
    .orderBy(asc(outbox.number)).limit(limit);
  return rows.map((r) => ({
    number: r.number,
    mutationId: r.mutationId,
    entity: r.entity,
    entityId: r.entityId,
    payload: JSON.parse(r.payload),
  }));
}

/** How many mutations still wait to be pushed. */
export async function countPendingMutations(db: DbOrTx): Promise<number> {
  const [row] = await db.select({ n: count() }).from(outbox).where(eq(outbox.state, "pending"));
  return row?.n ?? 0;
}

/** Mutations the archive refused, oldest first (the order they were made), with the reason it gave. */
export async function setAsideMutations(db: DbOrTx, limit = 100): Promise<SetAsideMutation[]> {
  const rows = await db.select().from(outbox).where(eq(outbox.state, "set_aside"))
    .orderBy(asc(outbox.number)).limit(limit);
  return rows.map((r) => ({
    number: r.number,
    mutationId: r.mutationId,
    entity: r.entity,
    entityId: r.entityId,
    reason: r.reason ?? "",
    createdAt: r.createdAt,
  }));
}

/**
 * Records the archive's answer to a push: rejected mutations are set aside with their reason
 * (they never block the ones behind them), every other pending row up to `lastApplied` is
 * done and removed.
 */
export async function settlePushed(
  tx: DbOrTx,
  lastApplied: number,
  rejected: { number: number; reason: string }[],
): Promise<void> {
  for (const r of rejected) {
    await tx.update(outbox).set({ state: "set_aside", reason: r.reason })
      .where(eq(outbox.number, r.number));
  }
  await tx.delete(outbox).where(and(eq(outbox.state, "pending"), lte(outbox.number, lastApplied)));
}
