/**
 * One file into the store, checked on the way: its size and sha256 against what the caller
 * expects, its real type by magic bytes, and for a signed `.p7m` its signatures (the
 * envelope AND the content it wraps are stored, with the report). Shared by the import, the
 * counter upload and the demo. Either everything this call created is in the store, or
 * nothing is: a failure after a first put removes what that put created.
 */
import { createHash } from "node:crypto";
import type * as pkijs from "pkijs";
import type { documentFiles } from "../db/schema.ts";
import { type FileStore, FileStoreError } from "./file_store.ts";
import { detectFileType, FILE_TYPE_HEAD_BYTES, type SupportedMime } from "./file_type.ts";
import { type SignatureReport, signatureReport, signatureReportJson } from "./signature_report.ts";
import { SignedFileError, verifySignedFile } from "./signed_file.ts";

/** Where the bytes come from: a file on disk, or bytes already in memory (an upload). */
/**
 * Bytes to check and store: a file (`consume`: a finished download of ours under the store's
 * `.tmp`, which the store may take by rename and removes in any case), or bytes in memory.
 */
export type IngestSource = { path: string; consume?: boolean } | { bytes: Uint8Array };

/** How a file is checked. */
export interface IngestOptions {
  /** The size and hash the caller was told (an import line); both checked when given. */
  expected?: { sha256?: string | undefined; bytes?: number | undefined };
  /** Types accepted (the counter takes PDF, TIFF, JPEG); default: every supported type. */
  accept?: ReadonlySet<SupportedMime>;
  /** The file's name, to name a signed envelope's content. */
  fileName?: string;
  anchors?: pkijs.Certificate[];
  clock: () => Date;
  maxBytes?: number | undefined;
  onProgress?: (bytes: number) => void;
  /** See PutOptions.dirsToSync: the caller syncs the store's new folders entries itself. */
  dirsToSync?: Set<string>;
  /** See PutOptions.trustExisting (the import passes false: it decided already). */
  trustExisting?: boolean;
}

/** What the store now holds for one file. */
export interface IngestedFile {
  sha256: string;
  bytes: number;
  mime: SupportedMime;
  /** False when the store held these bytes already: nothing was copied. */
  created: boolean;
  /** A signed envelope: the content stored beside it, and the verification. */
  content?: { sha256: string; bytes: number; mime: SupportedMime; created: boolean };
  signature?: SignatureReport;
}

/** Why a file was refused; `message` is Italian, for a per-line error or a form. */
/** Why a file was refused, as IngestError and the catalogues name it. */
export type IngestRefusal =
  | "missing"
  | "size"
  | "hash"
  | "type"
  | "signature"
  | "too_large"
  | "store";

export class IngestError extends Error {
  constructor(
    readonly reason: IngestRefusal,
    message: string,
  ) {
    super(message);
  }
}

// An envelope is parsed in memory (documents/DOCUMENTS.md "Size and cost"): past this it is
// refused rather than risk the process.
const MAX_ENVELOPE_BYTES = 256 * 1024 * 1024;

/** Checks and stores one file; throws IngestError. */
export async function ingestFile(
  store: FileStore,
  source: IngestSource,
  options: IngestOptions,
): Promise<IngestedFile> {
  const expected = options.expected ?? {};
  const size = "bytes" in source ? source.bytes.byteLength : await sizeOf(source.path);
  if (expected.bytes !== undefined && size !== expected.bytes) {
    throw new IngestError(
      "size",
      `il file è di ${size} byte, la riga ne indica ${expected.bytes}`,
    );
  }
  const limit = options.maxBytes ?? store.maxBytes;
  if (limit !== undefined && size > limit) {
    throw new IngestError(
      "too_large",
      `il file è di ${megabytes(size)}, il limite è ${megabytes(limit)}`,
    );
  }
  if ("path" in source && !source.consume && !ENVELOPE_NAME.test(source.path)) {
    return await ingestFromDisk(store, source.path, expected, options);
  }
  const head = "bytes" in source
    ? source.bytes.subarray(0, FILE_TYPE_HEAD_BYTES)
    : await headOf(source.path);
  const mime = checkedType(head, options.accept);
  if (mime === "application/pkcs7-mime") return await ingestSigned(store, source, options);
  const result = await put(store, source, expected, options);
  return { ...result, mime };
}

/** A name that says signed envelope: its type is checked before anything is copied. */
const ENVELOPE_NAME = /\.p7m$/i;

/** An envelope met where none was named: `ingestFromDisk` starts again as one. */
class EnvelopeMet extends Error {}

/**
 * A file on disk that is not named as an envelope: its type is checked on the first bytes of
 * the store's own copy (PutOptions.checkHead), so the source is opened once, by the copy. When
 * the store already held the bytes (nothing read), the source's head is read for the type.
 */
async function ingestFromDisk(
  store: FileStore,
  path: string,
  expected: { sha256?: string | undefined; bytes?: number | undefined },
  options: IngestOptions,
): Promise<IngestedFile> {
  let mime: SupportedMime | undefined;
  let result;
  try {
    result = await put(store, { path }, expected, {
      ...options,
      checkHead: (head) => {
        mime = checkedType(head, options.accept);
        if (mime === "application/pkcs7-mime") throw new EnvelopeMet();
      },
    });
  } catch (err) {
    if (err instanceof EnvelopeMet) return await ingestSigned(store, { path }, options);
    throw err;
  }
  mime ??= checkedType(await headOf(path), options.accept);
  if (mime === "application/pkcs7-mime") return await ingestSigned(store, { path }, options);
  return { ...result, mime };
}

/** The type by magic bytes, or IngestError "type" when it is not a supported or accepted one. */
function checkedType(head: Uint8Array, accept?: ReadonlySet<SupportedMime>): SupportedMime {
  const mime = detectFileType(head);
  if (!mime || (accept && !accept.has(mime))) {
    throw new IngestError("type", typeMessage(mime, accept));
  }
  return mime;
}

async function ingestSigned(
  store: FileStore,
  source: IngestSource,
  options: IngestOptions,
): Promise<IngestedFile> {
  const bytes = "bytes" in source ? source.bytes : await readSmall(source.path);
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const wanted = options.expected?.sha256?.toLowerCase();
  // Checked before anything is stored: a wrong envelope must not leave its content behind.
  if (wanted !== undefined && wanted !== sha256) throw hashError();
  let verified;
  try {
    verified = await verifySignedFile(bytes, {
      ...(options.anchors ? { anchors: options.anchors } : {}),
      ...(options.fileName ? { fileName: options.fileName } : {}),
      clock: options.clock,
    });
  } catch (err) {
    if (err instanceof SignedFileError) throw new IngestError("signature", err.message);
    throw err;
  }
  if (!verified.mime || verified.mime === "application/pkcs7-mime") {
    throw new IngestError(
      "type",
      "la busta firmata contiene un file di tipo non supportato",
    );
  }
  const content = await put(store, { bytes: verified.content }, {}, options);
  let envelope;
  try {
    envelope = await put(store, { bytes }, { sha256, bytes: bytes.byteLength }, options);
  } catch (err) {
    if (content.created) await store.remove(content.sha256);
    throw err;
  }
  return {
    ...envelope,
    mime: "application/pkcs7-mime",
    content: { ...content, mime: verified.mime },
    signature: signatureReport(verified, options.clock(), options.anchors?.length ?? 0),
  };
}

async function put(
  store: FileStore,
  source: IngestSource,
  expected: { sha256?: string | undefined; bytes?: number | undefined },
  options: IngestOptions & { checkHead?: (head: Uint8Array) => void },
): Promise<{ sha256: string; bytes: number; created: boolean }> {
  try {
    const want = {
      ...(expected.sha256 ? { sha256: expected.sha256.toLowerCase() } : {}),
      ...(expected.bytes !== undefined ? { bytes: expected.bytes } : {}),
    };
    if ("path" in source && source.consume) return await store.adopt(source.path, want);
    const putOptions = {
      maxBytes: options.maxBytes ?? store.maxBytes,
      ...(options.dirsToSync ? { dirsToSync: options.dirsToSync } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.trustExisting !== undefined ? { trustExisting: options.trustExisting } : {}),
      ...(options.checkHead ? { checkHead: options.checkHead } : {}),
    };
    if ("path" in source) return await store.putFile(source.path, want, putOptions);
    return await store.put(ReadableStream.from([source.bytes]), want, putOptions);
  } catch (err) {
    if (err instanceof FileStoreError) {
      if (err.reason === "hash") throw hashError();
      if (err.reason === "size" || err.reason === "too_large") {
        throw new IngestError(err.reason, err.message);
      }
      throw new IngestError("store", err.message);
    }
    throw err;
  }
}

function hashError(): IngestError {
  return new IngestError("hash", "lo sha256 del file non corrisponde a quello indicato");
}

function typeMessage(mime: SupportedMime | undefined, accept?: ReadonlySet<SupportedMime>) {
  if (!mime) {
    return "tipo di file non supportato (riconosciuti dal contenuto: PDF, TIFF, JPEG, PNG, MP3, Ogg, WAV, M4A, MP4, WebM, .p7m)";
  }
  const names = [...(accept ?? [])].map((m) => TYPE_NAMES[m] ?? m).join(", ");
  return `tipo di file non accettato qui (${TYPE_NAMES[mime] ?? mime}); accettati: ${names}`;
}

const TYPE_NAMES: Partial<Record<SupportedMime, string>> = {
  "application/pdf": "PDF",
  "image/tiff": "TIFF",
  "image/jpeg": "JPEG",
  "image/png": "PNG",
  "application/pkcs7-mime": "busta firmata .p7m",
};

function megabytes(n: number): string {
  return `${(n / 1_000_000).toLocaleString("it-IT", { maximumFractionDigits: 1 })} MB`;
}

async function sizeOf(path: string): Promise<number> {
  try {
    const info = await Deno.stat(path);
    if (!info.isFile) throw new IngestError("missing", "non è un file");
    return info.size;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) throw new IngestError("missing", "file non trovato");
    throw err;
  }
}

async function headOf(path: string): Promise<Uint8Array> {
  using file = await Deno.open(path);
  const head = new Uint8Array(FILE_TYPE_HEAD_BYTES);
  let filled = 0;
  while (filled < head.length) {
    const n = await file.read(head.subarray(filled));
    if (n === null) break;
    filled += n;
  }
  return head.subarray(0, filled);
}

async function readSmall(path: string): Promise<Uint8Array> {
  if ((await sizeOf(path)) > MAX_ENVELOPE_BYTES) {
    throw new IngestError(
      "too_large",
      `busta firmata oltre ${megabytes(MAX_ENVELOPE_BYTES)}: non verificabile in memoria`,
    );
  }
  return await Deno.readFile(path);
}

type FileRow = typeof documentFiles.$inferInsert;

/** The `document_files` rows of an ingested file (the envelope, and its content if any). */
export function ingestedRows(file: IngestedFile, now: Date, pinned = false): FileRow[] {
  const at = now.toISOString();
  const base = { present: true, pinned, createdAt: at, updatedAt: at };
  const rows: FileRow[] = [{
    ...base,
    sha256: file.sha256,
    mime: file.mime,
    bytes: file.bytes,
    contentSha256: file.content?.sha256 ?? null,
    contentMime: file.content?.mime ?? null,
    signature: file.signature ? signatureReportJson(file.signature) : null,
  }];
  if (file.content) {
    rows.push({
      ...base,
      sha256: file.content.sha256,
      mime: file.content.mime,
      bytes: file.content.bytes,
    });
  }
  return rows;
}

/** Removes what an ingest created (the line it belonged to was refused after all). */
export async function undoIngest(store: FileStore, file: IngestedFile): Promise<void> {
  if (file.created) await store.remove(file.sha256);
  if (file.content?.created) await store.remove(file.content.sha256);
}
