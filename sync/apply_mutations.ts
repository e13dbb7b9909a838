/**
 * Archive side: applies a branch's push batch in order, each mutation in its own transaction
 * together with the branch's `last_applied_number`, so a batch retried after a lost answer
 * applies nothing twice and a crash mid-batch keeps what was already applied.
 */
import { and, eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { branches, rejectedMutations } from "../db/schema.ts";
import { type MutationHandler, MutationRejected } from "./mutation_handlers.ts";
import type { Tx } from "./outbox.ts";
import type { PushedMutation, PushResponse, PushResult } from "./protocol.ts";

async function lastApplied(tx: Db | Tx, branch: string): Promise<number> {
  const row = await tx.select({ n: branches.lastAppliedNumber }).from(branches)
    .where(eq(branches.name, branch)).get();
  return row?.n ?? 0;
}

async function earlierVerdict(db: Db, branch: string, m: PushedMutation): Promise<PushResult> {
  const rejected = await db.select().from(rejectedMutations)
    .where(and(eq(rejectedMutations.branch, branch), eq(rejectedMutations.number, m.number)))
    .get();
  // A retried batch must get the same answer as the lost one, reasons included.
  return rejected
    ? { number: m.number, status: "rejected", reason: rejected.reason }
    : { number: m.number, status: "duplicate" };
}

/** Applies the mutations a branch pushed; returns each one's verdict and the new high mark. */
export async function applyPushedMutations(
  db: Db,
  handlers: Readonly<Record<string, MutationHandler>>,
  branch: string,
  mutations: PushedMutation[],
  now: Date,
): Promise<PushResponse> {
  const results: PushResult[] = [];
  for (const m of mutations) {
    const result = await applyOne(db, handlers[m.entity], branch, m, now);
    results.push(result);
  }
  return { lastAppliedNumber: await lastApplied(db, branch), results };
}

async function applyOne(
  db: Db,
  handler: MutationHandler | undefined,
  branch: string,
  m: PushedMutation,
  now: Date,
): Promise<PushResult> {
  let reason: string | undefined;
  const applied = await db.transaction(async (tx) => {
    // Read inside the write transaction: two concurrent pushes of one branch serialise here.
    if (m.number <= await lastApplied(tx, branch)) return false;
    if (!handler) {
      reason = `Tipo di dato sconosciuto all'archivio: "${m.entity}"`;
    } else {
      try {
        await tx.transaction(async (inner) => {
          await handler(inner, m.payload, {
            branch,
            number: m.number,
            mutationId: m.mutationId,
            entityId: m.entityId,
            now,
          });
        });
      } catch (err) {
        if (!(err instanceof MutationRejected)) throw err;
        reason = err.message;
      }
    }
    if (reason !== undefined) {
      await tx.insert(rejectedMutations).values({
        branch,
        number: m.number,
        mutationId: m.mutationId,
        reason,
        at: now.toISOString(),
      }).onConflictDoNothing();
    }
    await tx.update(branches).set({ lastAppliedNumber: m.number }).where(eq(branches.name, branch));
    return true;
  });
  if (!applied) return await earlierVerdict(db, branch, m);
  return reason === undefined
    ? { number: m.number, status: "applied" }
    : { number: m.number, status: "rejected", reason };
}
