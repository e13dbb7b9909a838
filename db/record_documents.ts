/**
 * A document added to a record by a branch (a scan made at the counter): the record gains a
 * `documents` entry like any branch-made change, in one transaction with the state of its
 * bytes, its audit entry and its outbox mutation. The archive applies the mutation by adding
 * the same entry to its copy of the record and noting that it lacks the bytes (`present`
 * false) until the byte transfer brings them.
 */
import { z } from "zod";
import type { DocumentRef, RecordKind } from "../domain/records.ts";
import { type IngestedFile, ingestedRows } from "../documents/ingest.ts";
import { enqueueUpload } from "../sync/file_queue.ts";
import { enqueueMutation, type Tx } from "./outbox.ts";
import { auditActionIn, type AuditedBy } from "./audit.ts";
import type { Db } from "./client.ts";
import { recordDocumentFiles } from "./document_files.ts";
import { readRecord, upsertRecord } from "./records.ts";
import { documentFiles } from "./schema.ts";

/** Outbox entity of a document a branch added to a record. */
export const DOCUMENT_ADDED_ENTITY = "record_document";

/** What goes up to the archive: the record, the entry, and what the branch holds. */
export interface DocumentAddedPayload {
  recordKind: RecordKind;
  recordId: string;
  document: DocumentRef;
  mime: string;
  /** True: the branch holds the bytes and will send them; the archive does not yet. */
  present: boolean;
}

/** The record does not exist (any more): nothing to add a document to. */
export class RecordMissingError extends Error {}

/**
 * Adds `document` (whose bytes `file` are already in the store) to the record, with the file
 * state (pinned: it must not be evicted before it went up), the audit entry and, on a
 * branch, the outbox mutation. A record that already lists these bytes is left as it is.
 */
export async function addRecordDocument(
  db: Db,
  ref: { kind: RecordKind; id: string },
  document: DocumentRef,
  file: IngestedFile,
  by: AuditedBy,
): Promise<DocumentRef[]> {
  return await db.transaction(async (tx) => {
    const doc = await readRecord(tx, ref.kind, ref.id);
    if (!doc) throw new RecordMissingError("Pratica non trovata.");
    const list = doc.record === "dossier" ? doc.documents : doc.attachments;
    await recordDocumentFiles(tx, ingestedRows(file, by.now, true));
    if (list.some((d) => d.sha256 === document.sha256)) return list;
    const next = [...list, document];
    await upsertRecord(
      tx,
      doc.record === "dossier" ? { ...doc, documents: next } : { ...doc, attachments: next },
      by.now,
    );
    if (by.outbox) {
      const payload: DocumentAddedPayload = {
        recordKind: ref.kind,
        recordId: ref.id,
        document,
        mime: file.mime,
        present: true,
      };
      await enqueueMutation(tx, {
        entity: DOCUMENT_ADDED_ENTITY,
        entityId: `${ref.kind}:${ref.id}:${document.sha256}`,
        payload,
      }, by.now);
      // The bytes follow the record, chunked and resumable (sync/file_transfer.ts).
      await enqueueUpload(tx, { sha256: document.sha256, bytes: document.bytes }, by.now);
    }
    await auditActionIn(tx, by, {
      action: "document_add",
      recordKind: ref.kind,
      recordId: ref.id,
      detail: `${document.file} (${document.bytes} byte, sha256 ${document.sha256.slice(0, 12)}…)`,
    });
    return next;
  });
}

const SHA256 = /^[0-9a-f]{64}$/;
const payloadSchema = z.object({
  recordKind: z.enum(["dossier", "act"]),
  recordId: z.string().min(1).max(64),
  document: z.object({
    file: z.string().min(1).max(500),
    title: z.string().max(200).optional(),
    pages: z.number().int().min(0),
    bytes: z.number().int().min(0),
    sha256: z.string().regex(SHA256),
    public: z.boolean(),
  }),
  mime: z.string().min(1).max(100),
  present: z.boolean(),
});

/** Why a pushed document cannot apply, or undefined with the parsed payload. */
export function parseDocumentAdded(
  payload: unknown,
): { ok: true; value: DocumentAddedPayload } | { ok: false; reason: string } {
  const parsed = payloadSchema.safeParse(payload);
  if (!parsed.success) {
    return { ok: false, reason: `Documento non valido: ${parsed.error.issues[0]?.message}` };
  }
  const d = parsed.data;
  const document: DocumentRef = {
    file: d.document.file,
    ...(d.document.title !== undefined ? { title: d.document.title } : {}),
    pages: d.document.pages,
    bytes: d.document.bytes,
    sha256: d.document.sha256,
    public: d.document.public,
  };
  return { ok: true, value: { ...d, document } };
}

/**
 * Archive side: adds the branch's document to the archive's record (once: a record that
 * lists these bytes already is left alone) and notes the bytes as not present here unless
 * they are. Throws RecordMissingError when the record is gone.
 */
export async function applyDocumentAdded(
  tx: Tx,
  p: DocumentAddedPayload,
  now: Date,
): Promise<void> {
  const doc = await readRecord(tx, p.recordKind, p.recordId);
  if (!doc) throw new RecordMissingError(`Il record ${p.recordKind} ${p.recordId} non esiste.`);
  const at = now.toISOString();
  // The archive may hold these bytes already (another record's, an import): never unset.
  await tx.insert(documentFiles).values({
    sha256: p.document.sha256,
    mime: p.mime,
    bytes: p.document.bytes,
    present: false,
    createdAt: at,
    updatedAt: at,
  }).onConflictDoNothing();
  const list = doc.record === "dossier" ? doc.documents : doc.attachments;
  if (list.some((d) => d.sha256 === p.document.sha256)) return;
  const next = [...list, p.document];
  await upsertRecord(
    tx,
    doc.record === "dossier" ? { ...doc, documents: next } : { ...doc, attachments: next },
    now,
  );
}
