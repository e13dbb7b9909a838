/**
 * Files a citizen attaches to a request filed online (a delegation, an ID document), and the
 * citizen's own requests by codice fiscale for "Le mie richieste". Attachments are BLOBs in
 * the archive's DB; listing them never reads their bytes.
 */
import { Buffer } from "node:buffer";
import { asc, desc, eq } from "drizzle-orm";
import type { Db } from "./client.ts";
import { accessRequests, requestAttachments } from "./schema.ts";
import type { Tx } from "./outbox.ts";
import type { AccessRequestRow } from "./access_requests.ts";

/** What an attachment is. */
export type AttachmentKind = "delega" | "documento_identita";

/** Italian labels of the kinds, as citizen and clerk read them. */
export const ATTACHMENT_LABELS: Record<AttachmentKind, string> = {
  delega: "Delega",
  documento_identita: "Documento d'identità",
};

/** A file to store, already checked (type from its bytes, size within the limit). */
export interface NewAttachment {
  kind: AttachmentKind;
  mime: string;
  content: Uint8Array;
}

/** An attachment without its bytes. */
export interface AttachmentInfo {
  id: string;
  requestId: string;
  kind: AttachmentKind;
  mime: string;
  bytes: number;
  sha256: string;
  uploadedAt: string;
}

const INFO = {
  id: requestAttachments.id,
  requestId: requestAttachments.requestId,
  kind: requestAttachments.kind,
  mime: requestAttachments.mime,
  bytes: requestAttachments.bytes,
  sha256: requestAttachments.sha256,
  uploadedAt: requestAttachments.uploadedAt,
};

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new Uint8Array(bytes));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Stores attachments of a request inside the caller's transaction (the filing's). */
export async function addAttachmentsIn(
  tx: Tx,
  requestId: string,
  files: NewAttachment[],
  now: Date,
): Promise<void> {
  for (const f of files) {
    await tx.insert(requestAttachments).values({
      id: crypto.randomUUID(),
      requestId,
      kind: f.kind,
      mime: f.mime,
      bytes: f.content.byteLength,
      sha256: await sha256Hex(f.content),
      content: Buffer.from(f.content),
      uploadedAt: now.toISOString(),
    });
  }
}

/** The attachments of a request, oldest first, without their bytes. */
export function listAttachments(db: Db, requestId: string): Promise<AttachmentInfo[]> {
  return db.select(INFO).from(requestAttachments)
    .where(eq(requestAttachments.requestId, requestId)).orderBy(asc(requestAttachments.uploadedAt));
}

/** One attachment with its bytes, or undefined. */
export async function readAttachment(
  db: Db,
  id: string,
): Promise<(AttachmentInfo & { content: Uint8Array<ArrayBuffer> }) | undefined> {
  const row = await db.select().from(requestAttachments).where(eq(requestAttachments.id, id))
    .get();
  if (!row) return undefined;
  return { ...row, content: new Uint8Array(row.content) };
}

/**
 * The requests filed with this codice fiscale, newest first: the one match "Le mie richieste"
 * uses, on the normalised code the broker asserted (requests store it normalised too).
 */
export function listRequestsByTaxCode(
  db: Db,
  taxCode: string,
  limit = 200,
): Promise<AccessRequestRow[]> {
  return db.select().from(accessRequests).where(eq(accessRequests.taxCode, taxCode))
    .orderBy(desc(accessRequests.filedAt)).limit(limit);
}
