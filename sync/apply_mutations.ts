/**
 * Archive side: applies a branch's push batch in order inside one transaction that also
 * advances the branch's `last_applied_number`, each mutation in its own savepoint. A batch
 * retried after a lost answer applies nothing twice; a crash mid-batch applies none of it.
 */
import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { branches, rejectedMutations } from "../db/schema.ts";
import { type MutationHandler, MutationRejected } from "./mutation_handlers.ts";
import type { Tx } from "../db/outbox.ts";
import type { PushedMutation, PushResponse, PushResult } from "./protocol.ts";
import { cleanIncoming } from "./incoming_text.ts";

async function lastApplied(tx: Db | Tx, branch: string): Promise<number> {
  const row = await tx.select({ n: branches.lastAppliedNumber }).from(branches)
    .where(eq(branches.name, branch)).get();
  return row?.n ?? 0;
}

/** Applies the mutations a branch pushed; returns each one's verdict and the new high mark. */
export async function applyPushedMutations(
  db: Db,
  handlers: Readonly<Record<string, MutationHandler>>,
  branch: string,
  mutations: PushedMutation[],
  now: Date,
): Promise<PushResponse> {
  let failure: unknown;
  const results = await db.transaction(async (tx) => {
    // Read inside the write transaction: two pushes of one branch cannot both apply.
    const done = await lastApplied(tx, branch);
    const results: PushResult[] = await earlierVerdicts(
      tx,
      branch,
      mutations.filter((m) => m.number <= done),
    );
    let high = done;
    for (const m of mutations.filter((m) => m.number > done)) {
      const handler = handlers[m.entity];
      let reason: string | undefined;
      if (!handler) reason = `Tipo di dato sconosciuto all'archivio: "${m.entity}"`;
      else {
        try {
          // A savepoint: a refused mutation leaves no half-written rows behind.
          await tx.transaction((inner) =>
            handler(inner, cleanIncoming(m.payload), {
              branch,
              number: m.number,
              mutationId: m.mutationId,
              entityId: m.entityId,
              now,
            })
          );
        } catch (err) {
          if (!(err instanceof MutationRejected)) {
            // Transient trouble: keep what is applied so far, answer 5xx, the branch retries.
            failure = err;
            break;
          }
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
        results.push({ number: m.number, status: "rejected", reason });
      } else {
        results.push({ number: m.number, status: "applied" });
      }
      high = m.number;
    }
    if (high > done) {
      await tx.update(branches).set({ lastAppliedNumber: high }).where(eq(branches.name, branch));
    }
    return results;
  });
  if (failure !== undefined) throw failure;
  return { lastAppliedNumber: await lastApplied(db, branch), results };
}

/** Verdicts for mutations applied before: a retried batch gets the lost answer, reasons included. */
async function earlierVerdicts(
  tx: Tx,
  branch: string,
  seen: PushedMutation[],
): Promise<PushResult[]> {
  if (seen.length === 0) return [];
  const rejected = await tx.select().from(rejectedMutations).where(and(
    eq(rejectedMutations.branch, branch),
    inArray(rejectedMutations.number, seen.map((m) => m.number)),
  ));
  const reasons = new Map(rejected.map((r) => [r.number, r.reason]));
  return seen.map((m) => {
    const reason = reasons.get(m.number);
    return reason === undefined
      ? { number: m.number, status: "duplicate" }
      : { number: m.number, status: "rejected", reason };
  });
}
