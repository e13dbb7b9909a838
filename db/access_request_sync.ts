/**
 * Access requests over sync: the archive applies a branch's pushed snapshot (exactly once,
 * by the outbox number), and the archive → branch feed brings every request back down with
 * its decided state, so a citizen can check the status at any branch. Both directions use
 * the same newest-`updatedAt`-wins apply.
 */
import { asc, count, eq, gt } from "drizzle-orm";
import { z } from "zod";
import { accessRequests } from "./schema.ts";
import {
  ACCESS_REQUEST_ENTITY,
  type AccessRequestEvent,
  type AccessRequestSnapshot,
  applyAccessRequestSnapshot,
  readAccessRequest,
} from "./access_requests.ts";
import type { DbOrTx, Tx } from "./outbox.ts";
import { enqueueRequestEventNotice } from "./notices.ts";
import type { FeedEntity } from "../sync/feed_entities.ts";
import { type MutationContext, MutationRejected } from "./branch_mutations.ts";
import { ACCESS_STATES } from "../domain/access_states.ts";

const text = z.string().max(5000);
const maybe = text.nullable();

const requestSchema = z.object({
  id: z.string().min(1).max(100),
  receiptCode: z.string().regex(/^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/),
  branch: z.string().min(1).max(100),
  regime: z.enum(["documentale", "civico_generalizzato", "civico_semplice"]),
  requesterName: text,
  taxCode: z.string().max(16),
  email: maybe,
  // Added with notices: a branch that predates them sends none.
  notifyAppIo: z.boolean().default(false),
  // Added with English notices: a branch or archive that predates it filed in Italian.
  locale: z.enum(["it", "en"]).default("it"),
  phone: maybe,
  motivation: maybe,
  requesterTitle: maybe,
  mode: z.enum(["view", "copy", "certified_copy"]),
  recordsDescription: maybe,
  state: z.enum(ACCESS_STATES),
  filedAt: z.string(),
  clockStartOn: z.string(),
  counterpartiesNotifiedOn: maybe,
  counterpartiesResolvedOn: maybe,
  hasCounterparties: z.boolean(),
  dueOn: z.string(),
  decidedOn: maybe,
  outcomeReason: maybe,
  legalBasis: maybe,
  grantedScope: maybe,
  deferredUntil: maybe,
  consultationFrom: maybe,
  consultationTo: maybe,
  consultationPlace: maybe,
  deliveredOn: maybe,
  fees: maybe,
  // Added with fees: a branch that predates them sends none.
  urgent: z.boolean().default(false),
  feeCents: z.number().int().min(0).nullable().default(null),
  feeExemptionId: maybe.default(null),
  feeExemptionReason: maybe.default(null),
  decidedBy: maybe,
  appeal: maybe,
  // Added with grants: the title the desk checked (a branch that predates it sends none).
  titleKind: z.enum(["owner", "technician", "neighbour", "other"]).nullable().default(null),
  titleBasis: maybe.default(null),
  titleRecordedBy: maybe.default(null),
  titleRecordedAt: maybe.default(null),
  updatedAt: z.string(),
  seq: z.number().int(),
});

const eventSchema = z.object({
  id: z.string().min(1).max(100),
  requestId: z.string(),
  at: z.string(),
  fromState: maybe,
  toState: z.string(),
  actor: maybe,
  note: maybe,
  updatedAt: z.string(),
  seq: z.number().int(),
});

const snapshotSchema = z.object({
  request: requestSchema,
  records: z.array(z.object({ kind: z.enum(["dossier", "act"]), id: z.string().min(1).max(64) }))
    .max(100),
  events: z.array(eventSchema).max(1000),
});

/** Reads an untrusted payload as a snapshot, or explains in Italian why not. */
export function parseSnapshot(
  payload: unknown,
): { ok: true; snap: AccessRequestSnapshot } | { ok: false; reason: string } {
  const parsed = snapshotSchema.safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      reason: `Richiesta di accesso non valida (${issue?.path.join(".")}: ${issue?.message})`,
    };
  }
  const { request, records, events } = parsed.data;
  if (events.some((e) => e.requestId !== request.id)) {
    return {
      ok: false,
      reason: "Richiesta di accesso non valida: cronologia di un'altra richiesta",
    };
  }
  return { ok: true, snap: { request, records, events } };
}

/** Archive side: applies a request snapshot pushed by a branch (mutation handler). */
export async function applyBranchAccessRequest(
  tx: Tx,
  payload: unknown,
  ctx: MutationContext,
): Promise<void> {
  const parsed = parseSnapshot(payload);
  if (!parsed.ok) throw new MutationRejected(parsed.reason);
  if (parsed.snap.request.id !== ctx.entityId) {
    throw new MutationRejected("Richiesta di accesso non valida: identificativo diverso");
  }
  const added: AccessRequestEvent[] = [];
  await applyAccessRequestSnapshot(tx, parsed.snap, added);
  // The archive is the side that is online: the events it learns of here are told to the
  // citizen, each once (a replayed push adds no event, and the notice key is unique too).
  const row = await tx.select().from(accessRequests).where(eq(accessRequests.id, ctx.entityId))
    .get();
  if (!row) return;
  for (const e of added) await enqueueRequestEventNotice(tx, row, e, ctx.now);
}

/** The feed entity carrying requests from the archive down to every branch. */
export const accessRequestFeedEntity: FeedEntity = {
  entity: ACCESS_REQUEST_ENTITY,
  indexed: false,
  async changedSince(db: DbOrTx, after: number, limit: number) {
    return await db.select({ id: accessRequests.id, seq: accessRequests.seq })
      .from(accessRequests).where(gt(accessRequests.seq, after))
      .orderBy(asc(accessRequests.seq)).limit(limit);
  },
  async countSince(db: DbOrTx, after: number) {
    const [row] = await db.select({ n: count() }).from(accessRequests)
      .where(gt(accessRequests.seq, after));
    return row?.n ?? 0;
  },
  async read(db: DbOrTx, ids: string[]) {
    const out = new Map<string, unknown>();
    for (const id of ids) {
      const snap = await readAccessRequest(db, id);
      if (snap) out.set(id, snap);
    }
    return out;
  },
  async apply(tx: Tx, items: { id: string; doc: unknown }[]) {
    for (const { id, doc } of items) {
      const parsed = parseSnapshot(doc);
      if (!parsed.ok || parsed.snap.request.id !== id) {
        throw new Error(`change ${ACCESS_REQUEST_ENTITY} ${id}: not a request snapshot`);
      }
      await applyAccessRequestSnapshot(tx, parsed.snap);
    }
  },
  async remove(tx: Tx, id: string) {
    await tx.delete(accessRequests).where(eq(accessRequests.id, id));
  },
};
