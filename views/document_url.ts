/** Where a record's documents open: the viewer's URLs (routes/documents.tsx, mounted in app.ts). */
import type { RecordKind } from "../domain/records.ts";

/** The viewer's mount point. */
export const DOCUMENTS_PREFIX = "/documenti";

/** The record kinds as they read in document URLs (Italian, like the record pages). */
export const KIND_SEGMENTS: Record<RecordKind, string> = { dossier: "pratica", act: "atto" };

/** The viewer page of document `position` (0-based, as stored) of a record; n in the URL is 1-based. */
export function documentUrl(kind: RecordKind, id: string, position: number): string {
  return `${DOCUMENTS_PREFIX}/${KIND_SEGMENTS[kind]}/${encodeURIComponent(id)}/${position + 1}`;
}
