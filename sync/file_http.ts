/**
 * Branch side: the HTTP exchanges of the file transfers with the archive's `/sync/v1/files`
 * and `/sync/v1/uploads` (docs/SYNC.md "Files"), each failure classified like the record
 * sync's (auth, protocol, transient), plus the two the file queue handles its own way: a body
 * cut mid-way (its bytes are kept) and a file the archive does not hold yet.
 */
import { createHash } from "node:crypto";
import { SyncAuthError, SyncProtocolError, SyncTransientError } from "./errors.ts";
import {
  CHUNK_SHA_HEADER,
  TOTAL_HEADER,
  VERIFY_RANGE_HEADER,
  VERIFY_SHA_HEADER,
} from "./file_api.ts";
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from "./protocol.ts";
import type { Transport } from "./transport.ts";
import { syncReason } from "./reasons.ts";

// The branch's own reasons, shown to the admin in their language (sync/reasons.ts).
const TOKEN_REFUSED = syncReason((r) => r.tokenRefused);
const CHUNK_TOO_LONG = syncReason((r) => r.chunkTooLong);
const NO_FILE_STORE = syncReason((r) => r.noFileStore);
const UPLOAD_INCOMPLETE = syncReason((r) => r.uploadIncomplete);

/** The archive does not hold the file (yet): retrying now will not help; a later run will. */
export class NotThereYet extends SyncTransientError {}

/** A response body that ended before its length: the link was cut. */
export class CutBody extends SyncTransientError {}

function headers(t: Transport): Headers {
  return new Headers({
    "Authorization": `Bearer ${t.token}`,
    [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
  });
}

function url(t: Transport, path: string): URL {
  return new URL(`sync/v1${path}`, t.archiveUrl.endsWith("/") ? t.archiveUrl : `${t.archiveUrl}/`);
}

async function send(t: Transport, path: string, init: RequestInit): Promise<Response> {
  let res: Response;
  try {
    res = await t.fetch(url(t, path), init);
  } catch (err) {
    throw new SyncTransientError(
      init.signal?.aborted
        ? syncReason((r) => r.noAnswer(t.timeoutMs / 1000))
        : err instanceof Error
        ? err.message
        : String(err),
    );
  }
  const theirs = Number(res.headers.get(PROTOCOL_HEADER) ?? "NaN");
  if (Number.isInteger(theirs) && theirs > PROTOCOL_VERSION) {
    await res.body?.cancel();
    throw new SyncProtocolError(
      `L'archivio usa il protocollo di sincronizzazione v${theirs}, questa sede la v${PROTOCOL_VERSION}: aggiornare Faldone sulla sede`,
    );
  }
  if (res.status === 401) {
    throw new SyncAuthError(await errorOf(res) ?? TOKEN_REFUSED);
  }
  if (res.status >= 500 || res.status === 429 || res.status === 408) {
    await res.body?.cancel();
    throw new SyncTransientError(syncReason((r) => r.httpStatus(res.status)));
  }
  return res;
}

async function errorOf(res: Response): Promise<string | undefined> {
  try {
    return messageOf(await res.json());
  } catch {
    return undefined;
  }
}

/** The message of an error body: `{error: {message}}`, or a plain string from older archives. */
function messageOf(body: { error?: unknown } | undefined | null): string | undefined {
  const error = body?.error;
  if (typeof error === "string") return error;
  if (error && typeof error === "object" && "message" in error) {
    return typeof error.message === "string" ? error.message : undefined;
  }
  return undefined;
}

/** One Range request; the body is left to read, its digest from the headers. */
export async function fetchRange(
  t: Transport,
  sha: string,
  first: number,
  last: number,
  verify?: [number, number],
): Promise<{ body: ReadableStream<Uint8Array>; chunkSha: string; verifySha: string | null }> {
  const h = headers(t);
  h.set("Range", `bytes=${first}-${last}`);
  if (verify) h.set(VERIFY_RANGE_HEADER, `${verify[0]}-${verify[1]}`);
  const signal = AbortSignal.timeout(t.timeoutMs);
  const res = await send(t, `/files/${sha}`, { headers: h, signal });
  if (res.status === 404) {
    throw new NotThereYet(
      await errorOf(res) ?? "l'archivio non ha ancora questo file",
    );
  }
  const chunkSha = res.headers.get(CHUNK_SHA_HEADER);
  const range = res.headers.get("Content-Range");
  if (res.status !== 206 || !chunkSha || range?.startsWith(`bytes ${first}-${last}/`) !== true) {
    await res.body?.cancel();
    throw new SyncProtocolError(
      `Risposta inattesa dell'archivio a una richiesta di byte (HTTP ${res.status})`,
    );
  }
  return { body: res.body!, chunkSha, verifySha: res.headers.get(VERIFY_SHA_HEADER) };
}

/** Bytes read from the network per step (the buffer the stream fills, then hands back). */
const SCRATCH_BYTES = 256 * 1024;

/**
 * Reads a chunk's body whole (it is bounded by the sizer) into `into` when it is large enough;
 * when it breaks, hands what came to `onCut` before throwing CutBody.
 *
 * Memory: a 1 GB file passes through here. Pieces that fetch allocates are garbage V8 collects
 * late (a 1 GB download grew the process by over 70 MB), so a byte stream is read with a BYOB
 * reader into one scratch buffer that the stream hands back after each step, and copied into
 * the reused `into`. The scratch is transferred during a read, so what already came lives in
 * `into`, not in it: a cut loses nothing that had arrived.
 */
export async function readBody(
  body: ReadableStream<Uint8Array>,
  length: number,
  onCut: (partial: Uint8Array) => void,
  into?: Uint8Array,
): Promise<Uint8Array> {
  const out = into && into.length >= length ? into.subarray(0, length) : new Uint8Array(length);
  let at = 0;
  let byob: ReadableStreamBYOBReader | undefined;
  try {
    byob = body.getReader({ mode: "byob" });
  } catch {
    byob = undefined; // not a byte stream: pieces as the stream makes them
  }
  const reader = byob ?? body.getReader();
  let scratch = new ArrayBuffer(SCRATCH_BYTES);
  try {
    for (;;) {
      // One byte more than is missing: a longer body shows up instead of being cut short.
      const { done, value } = byob
        ? await byob.read(new Uint8Array(scratch, 0, Math.min(SCRATCH_BYTES, length - at + 1)))
        : await (reader as ReadableStreamDefaultReader<Uint8Array>).read();
      if (done) break;
      if (at + value.byteLength > length) {
        throw new SyncTransientError(CHUNK_TOO_LONG);
      }
      out.set(value, at);
      at += value.byteLength;
      if (byob) scratch = value.buffer as ArrayBuffer;
    }
  } catch (err) {
    await reader.cancel().catch(() => {});
    onCut(out.slice(0, at));
    if (err instanceof SyncTransientError) throw err;
    throw new CutBody(`collegamento interrotto dopo ${at} di ${length} byte del blocco`);
  } finally {
    reader.releaseLock();
  }
  if (at !== length) {
    onCut(out.slice(0, at));
    throw new CutBody(`collegamento interrotto dopo ${at} di ${length} byte del blocco`);
  }
  return out;
}

export async function uploadState(
  t: Transport,
  sha: string,
): Promise<{ offset: number; present: boolean }> {
  const signal = AbortSignal.timeout(t.timeoutMs);
  const res = await send(t, `/uploads/${sha}`, { headers: headers(t), signal });
  const body = await jsonOf(res);
  if (res.status === 404) throw new NotThereYet(messageOf(body) ?? NO_FILE_STORE);
  if (!res.ok) {
    throw new SyncProtocolError(
      `L'archivio ha rifiutato la richiesta: ${messageOf(body) ?? res.status}`,
    );
  }
  return { offset: Number(body?.offset ?? 0), present: body?.present === true };
}

export async function putChunk(
  t: Transport,
  sha: string,
  offset: number,
  total: number,
  bytes: Uint8Array<ArrayBuffer>,
): Promise<{ offset: number | undefined; present: boolean; conflict?: string }> {
  const h = headers(t);
  h.set("Content-Type", "application/octet-stream");
  h.set(TOTAL_HEADER, String(total));
  h.set(CHUNK_SHA_HEADER, sha256Hex(bytes));
  const signal = AbortSignal.timeout(t.timeoutMs);
  const res = await send(t, `/files/${sha}?offset=${offset}`, {
    method: "PUT",
    headers: h,
    body: bytes,
    signal,
  });
  const body = await jsonOf(res);
  if (res.status === 404) throw new NotThereYet(messageOf(body) ?? NO_FILE_STORE);
  if (res.status === 409) {
    return {
      offset: typeof body?.offset === "number" ? body.offset : undefined,
      present: false,
      conflict: messageOf(body) ?? "conflitto",
    };
  }
  if (!res.ok) {
    throw new SyncProtocolError(
      `L'archivio ha rifiutato il file: ${messageOf(body) ?? res.status}`,
    );
  }
  if (typeof body?.offset !== "number") {
    throw new SyncTransientError(UPLOAD_INCOMPLETE);
  }
  return { offset: body.offset, present: body.present === true };
}

// deno-lint-ignore no-explicit-any
async function jsonOf(res: Response): Promise<any> {
  try {
    return await res.json();
  } catch {
    throw new SyncTransientError(syncReason((r) => r.incomplete(res.status)));
  }
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}
