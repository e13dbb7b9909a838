/**
 * Grants over sync, both ways: a grant or revocation made at a branch goes up as an
 * `access_grant` mutation (its whole snapshot); the archive's feed carries every grant down
 * to every branch. Both directions use one merge:
 *
 * - an unknown grant is inserted as it is (ids are UUIDs, made where the grant was born);
 * - a known grant's content never changes (scope, documents, mode, validity): only a
 *   revocation can be added to it;
 * - a revocation wins over anything: a revoked grant stays revoked whatever arrives later;
 *   of two revocations of the same grant the earlier is kept, so every node ends with the same.
 */
import { asc, count, eq, gt } from "drizzle-orm";
import { z } from "zod";
import { accessGrantDocuments, accessGrants, accessRequests } from "./schema.ts";
import { ACCESS_GRANT_ENTITY, type AccessGrantSnapshot, readGrant } from "./access_grants.ts";
import { nextSeq } from "./access_requests.ts";
import type { DbOrTx, Tx } from "./outbox.ts";
import type { FeedEntity } from "../sync/feed_entities.ts";
import { type MutationContext, MutationRejected } from "./branch_mutations.ts";

const id = z.string().min(1).max(100);
const maybe = z.string().max(5000).nullable();

const snapshotSchema = z.object({
  grant: z.object({
    id,
    requestId: id,
    scope: z.enum(["whole", "documents"]),
    mode: z.enum(["view", "copy"]),
    validUntil: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    branch: z.string().min(1).max(100),
    createdBy: z.string().min(1).max(200),
    createdAt: z.string().min(1).max(40),
    revokedAt: z.string().max(40).nullable(),
    revokedBy: maybe,
    revocationReason: maybe,
    updatedAt: z.string().min(1).max(40),
    seq: z.number().int(),
  }),
  documents: z.array(z.object({
    recordKind: z.enum(["dossier", "act"]),
    recordId: z.string().min(1).max(64),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
  })).max(2000),
});

/** Reads an untrusted payload as a grant snapshot, or explains in Italian why not. */
export function parseGrantSnapshot(
  payload: unknown,
): { ok: true; snap: AccessGrantSnapshot } | { ok: false; reason: string } {
  const parsed = snapshotSchema.safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      reason: `Concessione non valida (${issue?.path.join(".")}: ${issue?.message})`,
    };
  }
  const { grant, documents } = parsed.data;
  if (grant.scope === "whole" && documents.length > 0) {
    return { ok: false, reason: "Concessione non valida: documenti elencati per tutta la pratica" };
  }
  if (grant.revokedAt !== null && !grant.revocationReason) {
    return { ok: false, reason: "Concessione non valida: revoca senza motivo" };
  }
  return { ok: true, snap: { grant, documents } };
}

/**
 * Merges a grant snapshot from elsewhere (see the module comment); the row takes a local seq
 * when it changes, so the archive's feed passes it on to every branch.
 */
export async function applyGrantSnapshot(
  tx: Tx,
  snap: AccessGrantSnapshot,
): Promise<"applied" | "stale"> {
  const current = await tx.select().from(accessGrants).where(eq(accessGrants.id, snap.grant.id))
    .get();
  const incoming = snap.grant;
  if (!current) {
    const seq = await nextSeq(tx);
    await tx.insert(accessGrants).values({ ...incoming, seq });
    if (snap.documents.length > 0) {
      await tx.insert(accessGrantDocuments)
        .values(snap.documents.map((d) => ({ grantId: incoming.id, ...d })))
        .onConflictDoNothing();
    }
    return "applied";
  }
  // Nothing but a revocation can change a known grant, and a revocation stays.
  if (incoming.revokedAt === null) return "stale";
  if (current.revokedAt !== null && current.revokedAt <= incoming.revokedAt) return "stale";
  const seq = await nextSeq(tx);
  await tx.update(accessGrants).set({
    revokedAt: incoming.revokedAt,
    revokedBy: incoming.revokedBy,
    revocationReason: incoming.revocationReason,
    updatedAt: incoming.updatedAt > current.updatedAt ? incoming.updatedAt : current.updatedAt,
    seq,
  }).where(eq(accessGrants.id, incoming.id));
  return "applied";
}

/** Archive side: applies a grant or revocation pushed by a branch (mutation handler). */
export async function applyBranchGrant(
  tx: Tx,
  payload: unknown,
  ctx: MutationContext,
): Promise<void> {
  const parsed = parseGrantSnapshot(payload);
  if (!parsed.ok) throw new MutationRejected(parsed.reason);
  if (parsed.snap.grant.id !== ctx.entityId) {
    throw new MutationRejected("Concessione non valida: identificativo diverso");
  }
  // The request's own mutation was queued before the grant at the branch, so it is here
  // unless the archive refused it; a grant of an unknown request is refused with it.
  const request = await tx.select({ id: accessRequests.id }).from(accessRequests)
    .where(eq(accessRequests.id, parsed.snap.grant.requestId)).get();
  if (!request) {
    throw new MutationRejected("Concessione di una richiesta che l'archivio non conosce");
  }
  await applyGrantSnapshot(tx, parsed.snap);
}

/** The feed entity carrying grants (and their revocations) from the archive to every branch. */
export const accessGrantFeedEntity: FeedEntity = {
  entity: ACCESS_GRANT_ENTITY,
  indexed: false,
  async changedSince(db: DbOrTx, after: number, limit: number) {
    return await db.select({ id: accessGrants.id, seq: accessGrants.seq })
      .from(accessGrants).where(gt(accessGrants.seq, after))
      .orderBy(asc(accessGrants.seq)).limit(limit);
  },
  async countSince(db: DbOrTx, after: number) {
    const [row] = await db.select({ n: count() }).from(accessGrants)
      .where(gt(accessGrants.seq, after));
    return row?.n ?? 0;
  },
  async read(db: DbOrTx, ids: string[]) {
    const out = new Map<string, unknown>();
    for (const grantId of ids) {
      const snap = await readGrant(db, grantId);
      if (snap) out.set(grantId, snap);
    }
    return out;
  },
  async apply(tx: Tx, items: { id: string; doc: unknown }[]) {
    for (const { id: grantId, doc } of items) {
      const parsed = parseGrantSnapshot(doc);
      if (!parsed.ok || parsed.snap.grant.id !== grantId) {
        throw new Error(`change ${ACCESS_GRANT_ENTITY} ${grantId}: not a grant snapshot`);
      }
      await applyGrantSnapshot(tx, parsed.snap);
    }
  },
  async remove(tx: Tx, grantId: string) {
    // The archive never deletes grants (a revocation is a row of its own); kept for the contract.
    await tx.delete(accessGrants).where(eq(accessGrants.id, grantId));
  },
};
