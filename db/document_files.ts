/**
 * What this node knows about document bytes (`document_files`, keyed by sha256) beside the
 * records' `documents` metadata: for the viewer (is it here, what type is it really, what
 * did its signatures say) and for the byte transfer and the disk budget later (pinned, last
 * used).
 */
import { and, asc, eq, sql } from "drizzle-orm";
import type { RecordKind } from "../domain/records.ts";
import { parseSignatureReport, type SignatureReport } from "../documents/signature_report.ts";
import type { DbOrTx } from "./records.ts";
import { acts, documentFiles, documents, dossiers } from "./schema.ts";

type FileRow = typeof documentFiles.$inferSelect;
type NewFileRow = typeof documentFiles.$inferInsert;

/**
 * True (1) when this node keeps a file's bytes whatever the budget: its own pin
 * (`document_files.pinned`: a clerk's "Scarica in sede", an unsent upload) or an active
 * grant's (`file_pins`, db/grant_pins.ts). For queries on `document_files`.
 */
export const keptPinned = sql<number | null>`("document_files"."pinned" OR EXISTS (
  SELECT 1 FROM "file_pins" WHERE "file_pins"."sha256" = "document_files"."sha256"))`;

/** The state of one file's bytes here, with its signature report read back. */
export interface DocumentFileState {
  sha256: string;
  mime: string;
  bytes: number;
  present: boolean;
  contentSha256: string | null;
  contentMime: string | null;
  signature: SignatureReport | undefined;
  /** Kept whatever the budget, by this node's own pin or by an active grant's. */
  pinned: boolean;
  lastUsedAt: string | null;
}

/** One document of a record: its metadata and, when known, the state of its bytes here. */
export interface RecordDocument {
  position: number;
  file: string;
  title: string | null;
  pages: number;
  bytes: number;
  sha256: string;
  public: boolean;
  /** The type the name says; `state.mime` is the real one when the bytes were seen. */
  mime: string | null;
  /** Undefined: this node never had the bytes (not present). */
  state: DocumentFileState | undefined;
}

function toState(row: FileRow, held: number | null): DocumentFileState {
  return {
    sha256: row.sha256,
    mime: row.mime,
    bytes: row.bytes,
    present: row.present,
    contentSha256: row.contentSha256,
    contentMime: row.contentMime,
    signature: parseSignatureReport(row.signature),
    pinned: Boolean(held),
    lastUsedAt: row.lastUsedAt,
  };
}

/** The state of the bytes with this sha256 here, or undefined when this node never had them. */
export async function documentFileState(
  db: DbOrTx,
  sha256: string,
): Promise<DocumentFileState | undefined> {
  const row = await db.select({ f: documentFiles, held: keptPinned }).from(documentFiles)
    .where(eq(documentFiles.sha256, sha256)).get();
  return row ? toState(row.f, row.held) : undefined;
}

/** The documents of a record in position order, each with the state of its bytes. */
export async function documentsOfRecord(
  db: DbOrTx,
  kind: RecordKind,
  id: string,
): Promise<RecordDocument[]> {
  const rows = await db.select({ documents, document_files: documentFiles, held: keptPinned })
    .from(documents)
    .leftJoin(documentFiles, eq(documentFiles.sha256, documents.sha256))
    .where(and(eq(documents.recordKind, kind), eq(documents.recordId, id)))
    .orderBy(asc(documents.position));
  return rows.map(toDocument);
}

function toDocument(
  { documents: d, document_files: f, held }: {
    documents: typeof documents.$inferSelect;
    document_files: FileRow | null;
    held: number | null;
  },
): RecordDocument {
  return {
    position: d.position,
    file: d.file,
    title: d.title,
    pages: d.pages,
    bytes: d.bytes,
    sha256: d.sha256,
    public: d.public,
    mime: d.mime,
    state: f ? toState(f, held) : undefined,
  };
}

/**
 * One document of a record (`position` 0-based) and whether the record is restricted; undefined
 * when the record or the document does not exist. Two small indexed reads: the viewer asks on
 * every Range request.
 */
export async function documentOfRecord(
  db: DbOrTx,
  kind: RecordKind,
  id: string,
  position: number,
): Promise<{ restricted: boolean; document: RecordDocument } | undefined> {
  const table = kind === "dossier" ? dossiers : acts;
  const record = await db.select({ restricted: table.restricted }).from(table)
    .where(eq(table.id, id)).get();
  if (!record) return undefined;
  const row = await db.select({ documents, document_files: documentFiles, held: keptPinned })
    .from(documents)
    .leftJoin(documentFiles, eq(documentFiles.sha256, documents.sha256))
    .where(and(
      eq(documents.recordKind, kind),
      eq(documents.recordId, id),
      eq(documents.position, position),
    )).get();
  return row ? { restricted: record.restricted, document: toDocument(row) } : undefined;
}

/**
 * Records file states (after the bytes were stored, or learnt to be missing): a known sha256
 * is updated, never un-pinned, and its first `createdAt` kept. Joins the caller's transaction.
 * One statement for all rows (rows as one JSON array, `json_each`): an import's 2,000 files
 * cost 0.4 s as one upsert each.
 */
export async function recordDocumentFiles(tx: DbOrTx, rows: NewFileRow[]): Promise<void> {
  if (rows.length === 0) return;
  const cells = rows.map((r) => [
    r.sha256,
    r.mime,
    r.bytes,
    r.present ? 1 : 0,
    r.contentSha256 ?? null,
    r.contentMime ?? null,
    r.signature ?? null,
    r.pinned ? 1 : 0,
    r.lastUsedAt ?? null,
    r.createdAt,
    r.updatedAt,
  ]);
  // Applied in order, like one upsert per row (a sha256 twice: the second updates the first).
  // `WHERE true` tells SQLite's parser the ON CONFLICT belongs to the INSERT, not the SELECT.
  await tx.run(sql`INSERT INTO document_files (sha256, mime, bytes, present, content_sha256,
      content_mime, signature, pinned, last_used_at, created_at, updated_at)
    SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5,
      value ->> 6, value ->> 7, value ->> 8, value ->> 9, value ->> 10
    FROM json_each(${JSON.stringify(cells)}) WHERE true ORDER BY key
    ON CONFLICT (sha256) DO UPDATE SET
      mime = excluded.mime,
      bytes = excluded.bytes,
      present = excluded.present,
      content_sha256 = coalesce(excluded.content_sha256, document_files.content_sha256),
      content_mime = coalesce(excluded.content_mime, document_files.content_mime),
      signature = coalesce(excluded.signature, document_files.signature),
      pinned = document_files.pinned OR excluded.pinned,
      updated_at = excluded.updated_at
    -- A re-import of what is already recorded changes nothing, not even updated_at.
    WHERE document_files.present IS NOT excluded.present
      OR document_files.mime IS NOT excluded.mime
      OR (excluded.signature IS NOT NULL AND document_files.signature IS NOT excluded.signature)
      OR (excluded.pinned AND NOT document_files.pinned)`);
}

/**
 * Which of `sha256s` this node holds stored and verified (`present` rows), with their size and
 * real type: the import's re-import check (db/_import_files.ts). One query for a whole batch.
 */
export async function verifiedFiles(
  db: DbOrTx,
  sha256s: string[],
): Promise<Map<string, { bytes: number; mime: string }>> {
  const rows = await db.select({
    sha256: documentFiles.sha256,
    bytes: documentFiles.bytes,
    mime: documentFiles.mime,
  }).from(documentFiles).where(and(
    eq(documentFiles.present, true),
    sql`${documentFiles.sha256} IN (SELECT value FROM json_each(${JSON.stringify(sha256s)}))`,
  ));
  return new Map(rows.map((r) => [r.sha256, { bytes: r.bytes, mime: r.mime }]));
}

/** Notes that the bytes were just served (the disk budget evicts the least recently used). */
export async function touchDocumentFile(db: DbOrTx, sha256: string, now: Date): Promise<void> {
  await db.update(documentFiles).set({ lastUsedAt: now.toISOString() })
    .where(eq(documentFiles.sha256, sha256));
}

/** Pins or unpins bytes (a clerk's "Scarica in sede", an upload not yet sent up). */
export async function setDocumentFilePinned(
  db: DbOrTx,
  sha256: string,
  pinned: boolean,
  now: Date,
): Promise<void> {
  await db.update(documentFiles).set({ pinned, updatedAt: now.toISOString() })
    .where(eq(documentFiles.sha256, sha256));
}

/**
 * A clerk wants these bytes at this node ("Scarica in sede"): the file's row is pinned, and
 * created (`present: false`) when this node never had the bytes, so the byte transfer finds
 * it among the pinned-but-not-present files it fetches. Joins the caller's transaction.
 */
export async function wantDocumentFile(
  tx: DbOrTx,
  file: { sha256: string; mime: string; bytes: number },
  now: Date,
): Promise<void> {
  const at = now.toISOString();
  await tx.insert(documentFiles).values({
    sha256: file.sha256,
    mime: file.mime,
    bytes: file.bytes,
    present: false,
    pinned: true,
    createdAt: at,
    updatedAt: at,
  }).onConflictDoNothing();
  await setDocumentFilePinned(tx, file.sha256, true, now);
}
