/**
 * Answers GET/HEAD for a stored file with HTTP Range (RFC 9110 §14): what PDF.js needs to show
 * the first page of a large scan before the rest arrives, and what <audio>/<video> need to seek.
 * The body is the source's stream, never the whole file in memory.
 */

/** Bytes a response can be cut from: a file in the store, a converted page, a test file. */
export interface ByteSource {
  /** Length in bytes. */
  bytes: number;
  mime: string;
  /** Opaque validator (e.g. the sha256), without quotes: sent as the strong ETag `"…"`. */
  etag: string;
  /**
   * The bytes from `start` to `endInclusive`, read as the stream is pulled. A source may open
   * asynchronously: then a missing file fails before the status line is sent, and a plain file
   * can be handed over as Deno's own file stream, which Deno.serve sends without passing the
   * bytes through JavaScript (a 1 GB video served with seeks stays within a few MB).
   */
  open(
    start: number,
    endInclusive: number,
  ): ReadableStream<Uint8Array> | Promise<ReadableStream<Uint8Array>>;
}

/** What a Range header asks of a file of a given size. */
export type RangeRequest =
  | { kind: "whole" }
  | { kind: "part"; start: number; end: number }
  | { kind: "unsatisfiable" };

const WHOLE: RangeRequest = { kind: "whole" };

/**
 * Reads `Range` against a file of `size` bytes. An absent, malformed, non-`bytes` or
 * multi-range header means the whole file: RFC 9110 lets a server ignore Range, and the
 * clients we serve (PDF.js, media elements) only ever ask for one range, so nobody needs
 * multipart/byteranges. A single range that starts past the end is unsatisfiable (416).
 */
export function parseRange(header: string | null | undefined, size: number): RangeRequest {
  if (!header) return WHOLE;
  const m = /^\s*bytes\s*=\s*(.*)$/i.exec(header);
  if (!m) return WHOLE;
  const specs = (m[1] ?? "").split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (specs.length !== 1) return WHOLE;
  const spec = /^(\d*)-(\d*)$/.exec(specs[0] ?? "");
  if (!spec) return WHOLE;
  const [, first = "", last = ""] = spec;
  if (first === "" && last === "") return WHOLE;
  if (first === "") {
    // `-n`: the last n bytes; `-0` or any suffix of an empty file cannot be satisfied.
    const n = Number(last);
    if (n === 0 || size === 0) return { kind: "unsatisfiable" };
    return { kind: "part", start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(first);
  if (!Number.isSafeInteger(start)) return { kind: "unsatisfiable" };
  const end = last === "" ? size - 1 : Number(last);
  // last < first makes the header invalid, which RFC 9110 says to ignore.
  if (last !== "" && end < start) return WHOLE;
  if (start >= size) return { kind: "unsatisfiable" };
  return { kind: "part", start, end: Math.min(end, size - 1) };
}

function quoted(etag: string): string {
  return `"${etag}"`;
}

/** Whether an If-None-Match list names this tag (weak comparison, `*` matches any). */
function noneMatchHits(header: string, etag: string): boolean {
  if (header.trim() === "*") return true;
  return header.split(",").some((tag) => tag.trim().replace(/^W\//, "") === quoted(etag));
}

/**
 * Whether `If-Range` lets the range through: only an exact strong ETag does. A date never
 * does, since a source has no modification time to compare with; the client then gets the
 * whole (current) file, which is always safe.
 */
function ifRangeHolds(header: string | null | undefined, etag: string): boolean {
  if (header === null || header === undefined) return true;
  return header.trim() === quoted(etag);
}

/** Extra headers the caller wants on every answer (Cache-Control, Content-Disposition…). */
export type ExtraHeaders = Record<string, string>;

/**
 * The response to a GET or HEAD of `source`: 200 whole, 206 one range, 304 when the client's
 * copy is current, 416 when the range starts past the end; 405 for other methods. HEAD never
 * opens the source.
 */
export async function serveByteSource(
  request: Request,
  source: ByteSource,
  extra: ExtraHeaders = {},
): Promise<Response> {
  const method = request.method.toUpperCase();
  const headers = new Headers(extra);
  headers.set("Accept-Ranges", "bytes");
  headers.set("ETag", quoted(source.etag));
  if (method !== "GET" && method !== "HEAD") {
    headers.set("Allow", "GET, HEAD");
    return new Response(null, { status: 405, headers });
  }
  const noneMatch = request.headers.get("If-None-Match");
  if (noneMatch !== null && noneMatchHits(noneMatch, source.etag)) {
    return new Response(null, { status: 304, headers });
  }
  const size = source.bytes;
  let range = parseRange(request.headers.get("Range"), size);
  if (range.kind !== "whole" && !ifRangeHolds(request.headers.get("If-Range"), source.etag)) {
    range = WHOLE;
  }
  if (range.kind === "unsatisfiable") {
    headers.set("Content-Range", `bytes */${size}`);
    headers.set("Content-Type", "text/plain; charset=utf-8");
    const message = "Intervallo richiesto oltre la fine del file.";
    return new Response(method === "HEAD" ? null : message, { status: 416, headers });
  }
  headers.set("Content-Type", source.mime);
  const start = range.kind === "part" ? range.start : 0;
  const end = range.kind === "part" ? range.end : size - 1;
  const length = end - start + 1;
  headers.set("Content-Length", String(length));
  const status = range.kind === "part" ? 206 : 200;
  if (range.kind === "part") headers.set("Content-Range", `bytes ${start}-${end}/${size}`);
  const body = method === "HEAD" || length === 0 ? null : await source.open(start, end);
  return new Response(body, { status, headers });
}
