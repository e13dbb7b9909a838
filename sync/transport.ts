/**
 * Branch side: one HTTP exchange with the archive's sync API, through the `fetch` passed in
 * (tests hand in one that breaks). Turns every failure into a SyncAuthError,
 * SyncProtocolError or SyncTransientError, and checks the protocol version before anything
 * in the body is believed.
 */
import { SyncAuthError, SyncProtocolError, SyncTransientError } from "./errors.ts";
import { decodePageV2, PAGE_V2_TYPE } from "./page_encoding.ts";
import { PROTOCOL_HEADER, PROTOCOL_VERSION, RAW_LENGTH_HEADER } from "./protocol.ts";
import { syncReason } from "./reasons.ts";

const TOKEN_REFUSED = syncReason((r) => r.tokenRefused);

/** Where the archive is and how to reach it. */
export interface Transport {
  fetch: typeof fetch;
  archiveUrl: string;
  token: string;
  /** Whole-exchange timeout, body included: a stalled link must not hang the sync. */
  timeoutMs: number;
  /**
   * The newest pull page encoding to ask for (default 2, `sync/page_encoding.ts`); 1 makes
   * this branch ask as a branch built before v2 did.
   */
  pageEncoding?: 1 | 2;
}

/** A parsed JSON answer and the bytes it took on the wire. */
export interface Exchange {
  body: unknown;
  wireBytes: number;
  /** Bytes of JSON: the body's, or for a v2 page the size the archive gives of its JSON. */
  rawBytes: number;
  /** Time spent turning the bytes received into `body` (decompressing, parsing). */
  decodeMs: number;
}

// `{ error: { message } }` since the sync API shares the app's error handler; an archive of
// an older build answers `{ error: "..." }`.
function errorText(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null || !("error" in body)) return undefined;
  const error = body.error;
  if (typeof error === "string") return error;
  return typeof error === "object" && error !== null && "message" in error &&
      typeof error.message === "string"
    ? error.message
    : undefined;
}

/** Performs one request and returns its JSON body; throws a classified sync error. */
export async function exchange(
  t: Transport,
  path: string,
  init: { method: "GET" | "POST"; body?: string; accept?: string },
): Promise<Exchange> {
  const headers = new Headers({
    "Authorization": `Bearer ${t.token}`,
    [PROTOCOL_HEADER]: String(PROTOCOL_VERSION),
    "Accept": init.accept ?? "application/json",
    "Accept-Encoding": "gzip",
  });
  if (init.body !== undefined) headers.set("Content-Type", "application/json");
  const signal = AbortSignal.timeout(t.timeoutMs);
  let res: Response;
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    res = await t.fetch(new URL(`sync/v1${path}`, withSlash(t.archiveUrl)), {
      method: init.method,
      headers,
      ...(init.body === undefined ? {} : { body: init.body }),
      signal,
    });
    bytes = new Uint8Array(await res.arrayBuffer());
  } catch (err) {
    throw new SyncTransientError(
      signal.aborted ? syncReason((r) => r.noAnswer(t.timeoutMs / 1000)) : describe(err),
    );
  }
  const theirs = Number(res.headers.get(PROTOCOL_HEADER) ?? "NaN");
  if (Number.isInteger(theirs) && theirs > PROTOCOL_VERSION) {
    throw new SyncProtocolError(
      `L'archivio usa il protocollo di sincronizzazione v${theirs}, questa sede la v${PROTOCOL_VERSION}: aggiornare Faldone sulla sede`,
    );
  }
  const wireBytes = Number(res.headers.get("Content-Length") ?? bytes.byteLength);
  const decodeStarted = performance.now();
  if (res.ok && Number.isInteger(theirs) && isPageV2(res.headers.get("Content-Type"))) {
    let body: unknown;
    try {
      body = await decodePageV2(bytes);
    } catch {
      throw new SyncTransientError("risposta danneggiata (pagina compressa non leggibile)");
    }
    const raw = Number(res.headers.get(RAW_LENGTH_HEADER));
    return {
      body,
      wireBytes: Number.isFinite(wireBytes) ? wireBytes : bytes.byteLength,
      rawBytes: Number.isInteger(raw) && raw > 0 ? raw : bytes.byteLength,
      decodeMs: performance.now() - decodeStarted,
    };
  }
  let text: string;
  try {
    // fetch inflates gzip by itself; a fetch that does not (an in-process app) leaves the
    // gzip magic bytes, which no JSON starts with.
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = await gunzip(bytes);
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new SyncTransientError("risposta danneggiata (dati compressi o testo non leggibili)");
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    if (res.status >= 500 || res.ok) {
      throw new SyncTransientError(syncReason((r) => r.incomplete(res.status)));
    }
    body = undefined;
  }
  if (res.status === 401) {
    throw new SyncAuthError(errorText(body) ?? TOKEN_REFUSED);
  }
  if (res.status >= 500 || res.status === 429 || res.status === 408) {
    throw new SyncTransientError(syncReason((r) => r.httpStatus(res.status)));
  }
  if (!res.ok) {
    throw new SyncProtocolError(
      `L'archivio ha rifiutato la richiesta (HTTP ${res.status}): ${
        errorText(body) ?? text.slice(0, 200)
      }`,
    );
  }
  if (!Number.isInteger(theirs)) {
    throw new SyncProtocolError(
      "Il server indicato non è un archivio Faldone (manca la versione del protocollo)",
    );
  }
  return {
    body,
    wireBytes: Number.isFinite(wireBytes) ? wireBytes : bytes.byteLength,
    rawBytes: bytes.byteLength,
    decodeMs: performance.now() - decodeStarted,
  };
}

function isPageV2(contentType: string | null): boolean {
  return contentType?.split(";")[0]?.trim().toLowerCase() === PAGE_V2_TYPE;
}

function withSlash(url: string): string {
  return url.endsWith("/") ? url : `${url}/`;
}

/**
 * Why a request got no answer, in Italian. fetch reports a refused connection, a name that
 * does not resolve or a dropped link as a TypeError whose English text names sockets and OS
 * error numbers; the person running the sync needs what to check instead.
 */
function describe(err: unknown): string {
  if (err instanceof TypeError) {
    return "connessione non riuscita: controllare che l'archivio sia acceso, che l'indirizzo " +
      "sia giusto e che la rete funzioni";
  }
  return err instanceof Error ? err.message : String(err);
}

async function gunzip(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
