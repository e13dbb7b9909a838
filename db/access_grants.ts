/**
 * Title check and grants (issue 11): the desk records the requester's title on a documentale
 * request, and an accepted one gets a grant saying which documents may be consulted, how and
 * until when. Every write takes a change seq (so the archive's feed carries it down), writes
 * its audit entry and, on a branch, its outbox row in the same transaction.
 *
 * The viewer's questions (`activeGrantFor`, `grantedDocumentsFor`, `grantedDocument`) take the
 * caller's clock: a branch decides expiry offline with its own.
 */
import { and, asc, desc, eq, inArray } from "drizzle-orm";
import type { Db } from "./client.ts";
import { auditActionIn } from "./audit.ts";
import {
  accessGrantDocuments,
  accessGrants,
  accessRequestEvents,
  accessRequestRecords,
  accessRequests,
  documents,
} from "./schema.ts";
import { nextSeq, queueSnapshot, type WriteContext } from "./access_requests.ts";
import { enqueueMutation, type Tx } from "./outbox.ts";
import { reconcileGrantPins } from "./grant_pins.ts";
import { localDate } from "../domain/access_deadline.ts";
import { AccessRuleError, isAccessState } from "../domain/access_states.ts";
import {
  GRANT_MODE_LABELS,
  type GrantMode,
  grantStateAt,
  isTitleKind,
  TITLE_KIND_LABELS,
  type TitleKind,
} from "../domain/access_grants.ts";

/** A grant row as stored. */
export type AccessGrantRow = typeof accessGrants.$inferSelect;

/** A document named by a grant: its record and the sha256 of its bytes. */
export interface GrantDocumentRef {
  recordKind: "dossier" | "act";
  recordId: string;
  sha256: string;
}

/** A grant with the documents it lists (empty for `whole`): also the sync payload. */
export interface AccessGrantSnapshot {
  grant: AccessGrantRow;
  documents: GrantDocumentRef[];
}

/** The outbox/feed entity name of grants. */
export const ACCESS_GRANT_ENTITY = "access_grant";

/** A clerk acting at a node: where the write happens and who does it. */
export type DeskActor = WriteContext & { actor: string };

/** The title the desk checked. */
export interface TitleInput {
  kind: TitleKind;
  /** What it rests on: a deed, a delegation… (free text). */
  basis: string;
}

/** Longest text of a title's basis or a revocation's reason. */
export const MAX_REASON_CHARS = 1000;

const CLOSED_FOR_TITLE = new Set(["withdrawn", "refused"]);

/**
 * Records the requester's title on a documentale request (again, to correct it), with a
 * history row, its audit entry and the request's outbox snapshot, in one transaction.
 */
export async function recordTitle(
  db: Db,
  requestId: string,
  title: TitleInput,
  by: DeskActor,
): Promise<typeof accessRequests.$inferSelect> {
  if (!isTitleKind(title.kind)) {
    throw new AccessRuleError((t) => t.deskRequest.chooseTitle, "titleKind");
  }
  const basis = title.basis.trim();
  if (!basis) {
    throw new AccessRuleError((t) => t.deskRequest.titleBasisRequired, "titleBasis");
  }
  if (basis.length > MAX_REASON_CHARS) {
    throw new AccessRuleError((t) => t.deskRequest.atMostChars(MAX_REASON_CHARS), "titleBasis");
  }
  const at = by.now.toISOString();
  return await db.transaction(async (tx) => {
    const row = await tx.select().from(accessRequests).where(eq(accessRequests.id, requestId))
      .get();
    if (!row) throw new AccessRuleError((t) => t.deskRequest.requestNotFound);
    if (row.regime !== "documentale") {
      throw new AccessRuleError((t) => t.deskRequest.titleOnlyDocumentale);
    }
    const state = isAccessState(row.state) ? row.state : "received";
    if (CLOSED_FOR_TITLE.has(state)) {
      throw new AccessRuleError((t) => t.deskRequest.titleClosed(t.request.states[state]));
    }
    const seq = await nextSeq(tx);
    const [updated] = await tx.update(accessRequests).set({
      titleKind: title.kind,
      titleBasis: basis,
      titleRecordedBy: by.actor,
      titleRecordedAt: at,
      updatedAt: at,
      seq,
    }).where(eq(accessRequests.id, requestId)).returning();
    if (!updated) throw new Error("request vanished during update");
    // A history row: the snapshot merge tells same-millisecond writes apart by history.
    await tx.insert(accessRequestEvents).values({
      id: crypto.randomUUID(),
      requestId,
      at,
      fromState: state,
      toState: state,
      actor: by.actor,
      note: "record_title",
      updatedAt: at,
      seq,
    });
    await queueSnapshot(tx, requestId, by);
    await auditActionIn(tx, by, {
      action: "record_title",
      recordKind: "access_request",
      recordId: requestId,
      detail: TITLE_KIND_LABELS[title.kind],
    });
    return updated;
  });
}

/** What the clerk chooses for a grant. */
export interface NewGrant {
  /** `whole`: every document of the requested records; `documents`: those listed. */
  scope: "whole" | "documents";
  documents?: GrantDocumentRef[] | undefined;
  mode: GrantMode;
  /** Last valid day, AAAA-MM-GG, inclusive. */
  validUntil: string;
}

/** The documents of the records a request asks for, in record then position order. */
async function documentsOfRequest(db: Db | Tx, requestId: string) {
  return await db.select({
    recordKind: documents.recordKind,
    recordId: documents.recordId,
    position: documents.position,
    sha256: documents.sha256,
    title: documents.title,
    file: documents.file,
    pages: documents.pages,
  }).from(accessRequestRecords)
    .innerJoin(
      documents,
      and(
        eq(documents.recordKind, accessRequestRecords.recordKind),
        eq(documents.recordId, accessRequestRecords.recordId),
      ),
    )
    .where(eq(accessRequestRecords.requestId, requestId))
    .orderBy(asc(documents.recordKind), asc(documents.recordId), asc(documents.position));
}

/** One document a request's records hold (for the desk's grant form). */
export type RequestDocument = Awaited<ReturnType<typeof documentsOfRequest>>[number];

/** The documents of the requested records, as the grant form lists them. */
export function requestDocuments(db: Db, requestId: string): Promise<RequestDocument[]> {
  return documentsOfRequest(db, requestId);
}

const refKey = (d: GrantDocumentRef) => `${d.recordKind}\u0000${d.recordId}\u0000${d.sha256}`;

/**
 * Creates a grant inside the caller's transaction (the desk's acceptance writes its decision
 * and its grant together). Only for an accepted or partially accepted documentale request
 * whose title was recorded; chosen documents must belong to the requested records.
 */
export async function createGrantIn(
  tx: Tx,
  requestId: string,
  input: NewGrant,
  by: DeskActor,
): Promise<AccessGrantSnapshot> {
  const today = localDate(by.now);
  const row = await tx.select().from(accessRequests).where(eq(accessRequests.id, requestId))
    .get();
  if (!row) throw new AccessRuleError((t) => t.deskRequest.requestNotFound);
  if (row.regime !== "documentale") {
    throw new AccessRuleError((t) => t.deskRequest.grantOnlyDocumentale);
  }
  if (row.state !== "accepted" && row.state !== "partially_accepted") {
    throw new AccessRuleError((t) => t.deskRequest.grantOnlyAccepted);
  }
  if (!row.titleKind) {
    throw new AccessRuleError((t) => t.deskRequest.titleBeforeGrant, "titleKind");
  }
  if (input.mode !== "view" && input.mode !== "copy") {
    throw new AccessRuleError((t) => t.deskRequest.chooseGrantMode, "grantMode");
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.validUntil) || input.validUntil < today) {
    throw new AccessRuleError((t) => t.deskRequest.validUntilToday, "grantValidUntil");
  }
  const records = await tx.select().from(accessRequestRecords)
    .where(eq(accessRequestRecords.requestId, requestId));
  if (records.length === 0) {
    throw new AccessRuleError((t) => t.deskRequest.nothingToGrant, "grantScope");
  }
  let chosen: GrantDocumentRef[] = [];
  if (input.scope === "documents") {
    const available = new Set((await documentsOfRequest(tx, requestId)).map(refKey));
    const unique = new Map((input.documents ?? []).map((d) => [refKey(d), d]));
    chosen = [...unique.values()];
    if (chosen.length === 0) {
      throw new AccessRuleError((t) => t.deskRequest.chooseDocument, "grantDocuments");
    }
    if (chosen.some((d) => !available.has(refKey(d)))) {
      throw new AccessRuleError((t) => t.deskRequest.documentNotRequested, "grantDocuments");
    }
  } else if (input.scope !== "whole") {
    throw new AccessRuleError((t) => t.deskRequest.chooseGrantScope, "grantScope");
  }
  const at = by.now.toISOString();
  const seq = await nextSeq(tx);
  const [grant] = await tx.insert(accessGrants).values({
    id: crypto.randomUUID(),
    requestId,
    scope: input.scope,
    mode: input.mode,
    validUntil: input.validUntil,
    branch: by.branch,
    createdBy: by.actor,
    createdAt: at,
    updatedAt: at,
    seq,
  }).returning();
  if (!grant) throw new Error("grant insert returned no row");
  if (chosen.length > 0) {
    await tx.insert(accessGrantDocuments).values(chosen.map((d) => ({ grantId: grant.id, ...d })));
  }
  const snap = { grant, documents: chosen };
  await finishGrantWrite(tx, snap, by, { action: "grant_create", detail: grantSummary(snap) });
  return snap;
}

/** Creates a grant in its own transaction (see `createGrantIn`). */
export function createGrant(
  db: Db,
  requestId: string,
  input: NewGrant,
  by: DeskActor,
): Promise<AccessGrantSnapshot> {
  return db.transaction((tx) => createGrantIn(tx, requestId, input, by));
}

/**
 * Revokes a grant with its reason (required). A revocation is final: it wins over anything
 * that arrives later by sync (db/access_grant_sync.ts).
 */
export async function revokeGrant(
  db: Db,
  grantId: string,
  reason: string,
  by: DeskActor,
): Promise<AccessGrantSnapshot> {
  const why = reason.trim();
  if (!why) throw new AccessRuleError((t) => t.deskRequest.revokeReasonRequired, "reason");
  if (why.length > MAX_REASON_CHARS) {
    throw new AccessRuleError((t) => t.deskRequest.atMostChars(MAX_REASON_CHARS), "reason");
  }
  const at = by.now.toISOString();
  return await db.transaction(async (tx) => {
    const current = await tx.select().from(accessGrants).where(eq(accessGrants.id, grantId)).get();
    if (!current) throw new AccessRuleError((t) => t.deskRequest.grantNotFound);
    if (current.revokedAt !== null) {
      throw new AccessRuleError((t) => t.deskRequest.alreadyRevoked);
    }
    const seq = await nextSeq(tx);
    const [grant] = await tx.update(accessGrants).set({
      revokedAt: at,
      revokedBy: by.actor,
      revocationReason: why,
      updatedAt: at,
      seq,
    }).where(eq(accessGrants.id, grantId)).returning();
    if (!grant) throw new Error("grant vanished during update");
    const snap = { grant, documents: await listedDocuments(tx, grantId) };
    await finishGrantWrite(tx, snap, by, {
      action: "grant_revoke",
      detail: `concessione di ${grantSummary(snap)}`,
    });
    return snap;
  });
}

// The audit detail of a grant: what and until when, in Italian, no ids (the entry names the
// request) and no personal data.
function grantSummary({ grant, documents }: AccessGrantSnapshot): string {
  const what = grant.scope === "whole"
    ? "tutta la pratica"
    : `${documents.length} ${documents.length === 1 ? "documento" : "documenti"}`;
  return `${what}, ${GRANT_MODE_LABELS[grant.mode].toLowerCase()}, fino al ${grant.validUntil}`;
}

// What every grant write ends with, in its transaction: the outbox row (branches), the audit
// entry, and the branch's pins brought in line.
async function finishGrantWrite(
  tx: Tx,
  snap: AccessGrantSnapshot,
  by: DeskActor,
  entry: { action: string; detail: string },
): Promise<void> {
  if (by.outbox) {
    await enqueueMutation(tx, {
      entity: ACCESS_GRANT_ENTITY,
      entityId: snap.grant.id,
      payload: snap,
    }, by.now);
    await reconcileGrantPins(tx, by.branch, by.now);
  }
  await auditActionIn(tx, by, {
    action: entry.action,
    recordKind: "access_request",
    recordId: snap.grant.requestId,
    detail: entry.detail,
  });
}

async function listedDocuments(db: Db | Tx, grantId: string): Promise<GrantDocumentRef[]> {
  return await db.select({
    recordKind: accessGrantDocuments.recordKind,
    recordId: accessGrantDocuments.recordId,
    sha256: accessGrantDocuments.sha256,
  }).from(accessGrantDocuments).where(eq(accessGrantDocuments.grantId, grantId))
    .orderBy(
      asc(accessGrantDocuments.recordKind),
      asc(accessGrantDocuments.recordId),
      asc(accessGrantDocuments.sha256),
    );
}

async function withDocuments(db: Db | Tx, rows: AccessGrantRow[]) {
  const out: AccessGrantSnapshot[] = [];
  for (const grant of rows) out.push({ grant, documents: await listedDocuments(db, grant.id) });
  return out;
}

/** One grant with its listed documents, or undefined. */
export async function readGrant(
  db: Db | Tx,
  grantId: string,
): Promise<AccessGrantSnapshot | undefined> {
  const grant = await db.select().from(accessGrants).where(eq(accessGrants.id, grantId)).get();
  return grant ? { grant, documents: await listedDocuments(db, grantId) } : undefined;
}

/** Every grant of a request, newest first, whatever its state. */
export async function grantsForRequest(
  db: Db | Tx,
  requestId: string,
): Promise<AccessGrantSnapshot[]> {
  const rows = await db.select().from(accessGrants).where(eq(accessGrants.requestId, requestId))
    .orderBy(desc(accessGrants.createdAt), desc(accessGrants.id));
  return await withDocuments(db, rows);
}

/** The newest grant of a request that is active at `now` (not revoked, not expired). */
export async function activeGrantFor(
  db: Db | Tx,
  requestId: string,
  now: Date,
): Promise<AccessGrantSnapshot | undefined> {
  return (await grantsForRequest(db, requestId)).find((s) =>
    grantStateAt(s.grant, now) === "active"
  );
}

/** A document a citizen may open now, with what the grant allows. */
export interface GrantedDocument {
  recordKind: "dossier" | "act";
  recordId: string;
  /** 0-based position in the record's documents, as `documents.position`. */
  position: number;
  sha256: string;
  title: string | null;
  file: string;
  pages: number;
  /** `copy` when any active grant naming it allows copies. */
  mode: GrantMode;
  /** The latest last day among the active grants naming it. */
  validUntil: string;
}

/** What a request's active grants allow at `now`. */
export interface GrantedDocuments {
  requestId: string;
  /** The active grants, newest first. */
  grantIds: string[];
  /** `copy` when any active grant allows copies (per document: `documents[i].mode`). */
  mode: GrantMode;
  /** The latest last day of the active grants. */
  validUntil: string;
  documents: GrantedDocument[];
}

/**
 * The documents a request's requester may consult at `now`: the union of its active grants
 * (revocation and expiry judged with the caller's clock). A `whole` grant covers the requested
 * records' documents as they are now; a `documents` grant the listed bytes still in their
 * record. Undefined when no grant is active.
 */
export async function grantedDocumentsFor(
  db: Db | Tx,
  requestId: string,
  now: Date,
): Promise<GrantedDocuments | undefined> {
  const active = (await grantsForRequest(db, requestId))
    .filter((s) => grantStateAt(s.grant, now) === "active");
  if (active.length === 0) return undefined;
  const all = await documentsOfRequest(db, requestId);
  const byKey = new Map<string, GrantedDocument>();
  for (const { grant, documents: listed } of active) {
    const named = new Set(listed.map(refKey));
    for (const d of all) {
      const key = refKey(d);
      if (grant.scope === "documents" && !named.has(key)) continue;
      const seen = byKey.get(`${key}\u0000${d.position}`);
      byKey.set(`${key}\u0000${d.position}`, {
        ...d,
        mode: seen?.mode === "copy" || grant.mode === "copy" ? "copy" : "view",
        validUntil: seen && seen.validUntil > grant.validUntil ? seen.validUntil : grant.validUntil,
      });
    }
  }
  return {
    requestId,
    grantIds: active.map((s) => s.grant.id),
    mode: active.some((s) => s.grant.mode === "copy") ? "copy" : "view",
    validUntil: active.map((s) => s.grant.validUntil).sort().at(-1) ?? "",
    documents: [...byKey.values()].sort((a, b) =>
      a.recordKind.localeCompare(b.recordKind) || a.recordId.localeCompare(b.recordId) ||
      a.position - b.position
    ),
  };
}

/**
 * The one document at (record, position) if a grant of this request lets its requester open
 * it at `now`; undefined otherwise (another request's document, a guessed position, an
 * expired or revoked grant). The viewer's check on every request.
 */
export async function grantedDocument(
  db: Db | Tx,
  requestId: string,
  ref: { recordKind: "dossier" | "act"; recordId: string; position: number },
  now: Date,
): Promise<GrantedDocument | undefined> {
  const granted = await grantedDocumentsFor(db, requestId, now);
  return granted?.documents.find((d) =>
    d.recordKind === ref.recordKind && d.recordId === ref.recordId && d.position === ref.position
  );
}

/** Grants of several requests at once (the citizen's list), keyed by request id. */
export async function grantsOfRequests(
  db: Db | Tx,
  requestIds: string[],
): Promise<Map<string, AccessGrantSnapshot[]>> {
  const out = new Map<string, AccessGrantSnapshot[]>();
  if (requestIds.length === 0) return out;
  const rows = await db.select().from(accessGrants)
    .where(inArray(accessGrants.requestId, [...new Set(requestIds)]))
    .orderBy(desc(accessGrants.createdAt), desc(accessGrants.id));
  for (const snap of await withDocuments(db, rows)) {
    const list = out.get(snap.grant.requestId) ?? [];
    list.push(snap);
    out.set(snap.grant.requestId, list);
  }
  return out;
}
