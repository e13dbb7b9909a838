/**
 * The counter upload of a scan, read and checked: the file from the multipart form, its real
 * type (PDF, TIFF, JPEG by magic bytes), its size against the admin's limit, its pages. The
 * errors are UserFacingErrors with a catalogue message (413, 415, 422), shown by the error
 * handler as an htmx notice.
 */
import { UserFacingError } from "../domain/user_facing_error.ts";
import { cleanLine } from "../domain/plain_text.ts";
import type { DocumentRef } from "../domain/records.ts";
import {
  detectFileType,
  FILE_EXTENSIONS,
  FILE_TYPE_HEAD_BYTES,
  type SupportedMime,
} from "../documents/file_type.ts";
import { countPages, PageCountError } from "../documents/page_count.ts";

/** A multipart body as `c.req.parseBody({ all: true })` gives it. */
export type UploadBody = Record<string, string | File | (string | File)[]>;

/** What a clerk may upload at the counter. */
export const UPLOAD_TYPES: ReadonlySet<SupportedMime> = new Set([
  "application/pdf",
  "image/tiff",
  "image/jpeg",
]);

/** A checked upload, ready for the store. */
export interface CheckedUpload {
  bytes: Uint8Array;
  mime: SupportedMime;
  pages: number;
  title: string;
}

/** Reads the `file` and `title` fields; throws UserFacingError 413/415/422. */
export async function readUpload(body: UploadBody, maxBytes: number): Promise<CheckedUpload> {
  const value = body.file;
  const file = Array.isArray(value) ? value[0] : value;
  if (!(file instanceof File) || file.size === 0) {
    throw new UserFacingError((t) => t.deskRequest.scanMissing, { field: "file" });
  }
  if (file.size > maxBytes) {
    const size = mb(file.size);
    throw new UserFacingError(
      (t) => t.deskRequest.scanTooLarge(size, mb(maxBytes)),
      { status: 413, field: "file" },
    );
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  const mime = detectFileType(bytes.subarray(0, FILE_TYPE_HEAD_BYTES));
  if (!mime || !UPLOAD_TYPES.has(mime)) {
    throw new UserFacingError((t) => t.deskRequest.scanWrongType, { status: 415, field: "file" });
  }
  let pages: number;
  try {
    pages = await countPages(bytes, mime);
  } catch (err) {
    if (err instanceof PageCountError) {
      const detail = err.message;
      throw new UserFacingError((t) => t.deskRequest.scanUnreadable(detail), { field: "file" });
    }
    throw err;
  }
  const titleValue = body.title;
  const title = (typeof titleValue === "string" ? cleanLine(titleValue).slice(0, 200) : "") ||
    cleanName(file.name) || "Scansione";
  return { bytes, mime, pages, title };
}

/** The document entry of an upload stored under `sha256`, added on `day`. */
export function uploadedDocument(
  upload: CheckedUpload,
  sha256: string,
  day: string,
): DocumentRef {
  return {
    // A name of the archive's tree: unique by hash, and telling where it came from.
    file: `sportello/${day}/${sha256.slice(0, 16)}.${FILE_EXTENSIONS[upload.mime]}`,
    title: upload.title,
    pages: upload.pages,
    bytes: upload.bytes.byteLength,
    sha256,
    // Scans of a dossier carry signatures and personal data: never public by default.
    public: false,
  };
}

/** Megabytes rounded to two decimals (the catalogues write them in their own way). */
function mb(n: number): number {
  return Math.round(n / 10_000) / 100;
}

function cleanName(name: string): string {
  // deno-lint-ignore no-control-regex
  return name.replace(/[\u0000-\u001f<>]/g, "").slice(0, 200);
}
