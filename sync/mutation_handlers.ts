/**
 * Archive side: how each kind of mutation pushed by a branch is applied. Adding a kind is one
 * line in `MUTATION_HANDLERS`. A handler runs inside the transaction that also advances the
 * branch's `last_applied_number`, so it takes effect exactly once; it throws
 * `MutationRejected` (with an Italian reason the branch admin will read) for a mutation that
 * can never apply, and any other error for a transient failure that a retry may cure.
 */
import { z } from "zod";
import { applyAuditEntry, AUDIT_ENTITY } from "../db/audit.ts";
import { ACCESS_REQUEST_ENTITY } from "../db/access_requests.ts";
import { applyBranchAccessRequest } from "../db/access_request_sync.ts";
import { ACCESS_GRANT_ENTITY } from "../db/access_grants.ts";
import { applyBranchGrant } from "../db/access_grant_sync.ts";
import {
  applyDocumentAdded,
  DOCUMENT_ADDED_ENTITY,
  parseDocumentAdded,
  RecordMissingError,
} from "../db/record_documents.ts";
import type { Tx } from "../db/outbox.ts";
import { applyBranchBooking } from "../db/booking_sync.ts";
import { BOOKING_ENTITY } from "../db/bookings.ts";
import {
  type MutationContext,
  type MutationHandler,
  MutationRejected,
} from "../db/branch_mutations.ts";

export { type MutationContext, type MutationHandler, MutationRejected };

const auditPayload = z.object({
  id: z.string().min(1).max(100),
  at: z.string().min(1),
  actor: z.string().nullable().optional(),
  action: z.string().min(1),
  recordKind: z.string().nullable().optional(),
  recordId: z.string().nullable().optional(),
  detail: z.string().nullable().optional(),
});

/** An audit entry made at a branch: append-only, so a second copy of the same id is ignored. */
async function applyBranchAuditEntry(
  tx: Tx,
  payload: unknown,
  ctx: MutationContext,
): Promise<void> {
  const parsed = auditPayload.safeParse(payload);
  if (!parsed.success) {
    throw new MutationRejected(`Voce di registro non valida: ${parsed.error.issues[0]?.message}`);
  }
  const e = parsed.data;
  // The branch name comes from the token, never from the payload.
  await applyAuditEntry(tx, {
    id: e.id,
    at: e.at,
    branch: ctx.branch,
    actor: e.actor ?? null,
    action: e.action,
    recordKind: e.recordKind ?? null,
    recordId: e.recordId ?? null,
    detail: e.detail ?? null,
  });
}

/** A document a branch added to a record (a counter scan): the archive adds it too. */
async function applyBranchDocument(tx: Tx, payload: unknown, ctx: MutationContext) {
  const parsed = parseDocumentAdded(payload);
  if (!parsed.ok) throw new MutationRejected(parsed.reason);
  try {
    await applyDocumentAdded(tx, parsed.value, ctx.now);
  } catch (err) {
    if (err instanceof RecordMissingError) throw new MutationRejected(err.message);
    throw err;
  }
}

/** Handlers by entity name; a branch's mutation of an unknown entity is rejected. */
export const MUTATION_HANDLERS: Readonly<Record<string, MutationHandler>> = {
  [AUDIT_ENTITY]: applyBranchAuditEntry,
  [ACCESS_REQUEST_ENTITY]: applyBranchAccessRequest,
  [DOCUMENT_ADDED_ENTITY]: applyBranchDocument,
  [BOOKING_ENTITY]: applyBranchBooking,
  [ACCESS_GRANT_ENTITY]: applyBranchGrant,
};
