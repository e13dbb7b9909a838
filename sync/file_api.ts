/**
 * Archive side: document bytes by hash under `/sync/v1` (docs/SYNC.md "Files"). A branch
 * fetches with HTTP Range, each answer carrying the sha256 of exactly the bytes it holds
 * (`X-Chunk-Sha256`) so the branch verifies every chunk before it keeps it; a branch uploads
 * what a clerk scanned at its counter in chunks appended to a partial file of its own, and
 * the file enters the store only after the whole-file sha256 matched.
 */
import { createHash } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Context, Hono } from "hono";
import type { Db } from "../db/client.ts";
import { recordDocumentFiles } from "../db/document_files.ts";
import { documents } from "../db/schema.ts";
import { type FileStore, FileStoreError } from "../documents/file_store.ts";
import { type ByteSource, parseRange, serveByteSource } from "../documents/http_range.ts";
import { ingestedRows, IngestError, ingestFile } from "../documents/ingest.ts";
import { PROTOCOL_HEADER } from "./protocol.ts";
import { syncReason } from "./reasons.ts";

// Read by the branch's file queue: made from the catalogue, and made at load in the branch's
// process too (it imports this module), so its admin page shows them in its reader's language.
const NOT_HERE_YET = syncReason((r) => r.notOnArchive);
const NO_STORE_HERE = syncReason((r) => r.archiveHasNoStore);

/** Header: sha256 (hex) of the bytes of this answer's body (a range) or of an uploaded chunk. */
export const CHUNK_SHA_HEADER = "X-Chunk-Sha256";
/** Request header `a-b` (inclusive): also send the sha256 of those bytes, in VERIFY_SHA_HEADER. */
export const VERIFY_RANGE_HEADER = "X-Verify-Range";
export const VERIFY_SHA_HEADER = "X-Verify-Sha256";
/** Upload header: the size of the whole file. */
export const TOTAL_HEADER = "X-Total-Bytes";
/** The largest range that gets a digest, and the largest uploaded chunk. */
export const MAX_CHUNK_BYTES = 16 * 1024 * 1024;

const SHA256 = /^[0-9a-f]{64}$/;

/** What the file routes need from the archive. */
export interface FileApiDeps {
  db: Db;
  clock: () => Date;
  fileStore?: FileStore | undefined;
}

type Env = { Variables: { branch: string } };

/** Adds the file routes to the sync app (after its auth middleware). */
export function mountFileRoutes(app: Hono<Env>, deps: FileApiDeps, version: number): void {
  const locks = new Map<string, Promise<unknown>>();
  /** One upload step at a time per partial file: two retries of one chunk must not interleave. */
  const serialized = <T>(key: string, work: () => Promise<T>): Promise<T> => {
    const run = (locks.get(key) ?? Promise.resolve()).then(work);
    const settled = run.catch(() => undefined);
    locks.set(key, settled);
    void settled.then(() => {
      if (locks.get(key) === settled) locks.delete(key);
    });
    return run;
  };

  const storeOf = (c: Context<Env>): FileStore | Response => {
    if (deps.fileStore) return deps.fileStore;
    // Not a fault of the link: retrying soon will not help, so not a 5xx.
    return c.json(
      { error: { message: NO_STORE_HERE } },
      404,
    );
  };
  const shaOf = (c: Context<Env>): string | Response => {
    const sha = (c.req.param("sha256") ?? "").toLowerCase();
    if (SHA256.test(sha)) return sha;
    return c.json({ error: { message: "Impronta sha256 non valida nell'indirizzo" } }, 400);
  };

  const download = async (c: Context<Env>) => {
    const store = storeOf(c);
    if (store instanceof Response) return store;
    const sha = shaOf(c);
    if (sha instanceof Response) return sha;
    const stat = await store.stat(sha);
    if (!stat) {
      return c.json(
        { error: { message: NOT_HERE_YET } },
        404,
      );
    }
    const extra: Record<string, string> = {
      [PROTOCOL_HEADER]: String(version),
      "Cache-Control": "no-store",
    };
    const size = stat.bytes;
    const range = parseRange(c.req.header("Range"), size);
    let held: { start: number; bytes: Uint8Array<ArrayBuffer> } | undefined;
    if (range.kind === "part" && range.end - range.start + 1 <= MAX_CHUNK_BYTES) {
      // A bounded chunk is read first so its digest can lead the body.
      const bytes = await readRange(store, sha, range.start, range.end + 1);
      held = { start: range.start, bytes };
      extra[CHUNK_SHA_HEADER] = sha256Hex(bytes);
    }
    const verify = /^(\d+)-(\d+)$/.exec(c.req.header(VERIFY_RANGE_HEADER) ?? "");
    if (verify) {
      const from = Number(verify[1]), to = Number(verify[2]);
      if (from <= to && to < size && to - from + 1 <= MAX_CHUNK_BYTES) {
        extra[VERIFY_SHA_HEADER] = sha256Hex(await readRange(store, sha, from, to + 1));
      }
    }
    const source: ByteSource = {
      bytes: size,
      mime: "application/octet-stream",
      etag: sha,
      open: (start, endInclusive) =>
        held && held.start === start && held.bytes.byteLength === endInclusive - start + 1
          ? new Blob([held.bytes]).stream()
          : lazyStream(() => store.open(sha, { start, end: endInclusive + 1 })),
    };
    return serveByteSource(c.req.raw, source, extra);
  };
  app.get("/files/:sha256", download);
  app.on("HEAD", "/files/:sha256", download);

  app.get("/uploads/:sha256", async (c) => {
    const store = storeOf(c);
    if (store instanceof Response) return store;
    const sha = shaOf(c);
    if (sha instanceof Response) return sha;
    if (await store.has(sha)) return c.json({ offset: null, present: true });
    return c.json({
      offset: await sizeOf(partialPath(store, c.get("branch"), sha)),
      present: false,
    });
  });

  app.put("/files/:sha256", async (c) => {
    const store = storeOf(c);
    if (store instanceof Response) return store;
    const sha = shaOf(c);
    if (sha instanceof Response) return sha;
    const offset = Number(c.req.query("offset") ?? "NaN");
    const total = Number(c.req.header(TOTAL_HEADER) ?? "NaN");
    const chunkSha = (c.req.header(CHUNK_SHA_HEADER) ?? "").toLowerCase();
    if (!Number.isSafeInteger(offset) || offset < 0) {
      return c.json({ error: { message: "Parametro offset non valido: un intero ≥ 0" } }, 400);
    }
    if (!Number.isSafeInteger(total) || total < 0) {
      return c.json(
        { error: { message: `Intestazione ${TOTAL_HEADER} mancante o non valida` } },
        400,
      );
    }
    if (!SHA256.test(chunkSha)) {
      return c.json({
        error: { message: `Intestazione ${CHUNK_SHA_HEADER} mancante o non valida` },
      }, 400);
    }
    if (Number(c.req.header("Content-Length") ?? "0") > MAX_CHUNK_BYTES) {
      return c.json({ error: { message: "Blocco troppo grande: inviarne uno più piccolo" } }, 413);
    }
    const body = new Uint8Array(await c.req.arrayBuffer());
    const branch = c.get("branch");
    const path = partialPath(store, branch, sha);
    return await serialized(path, async () => {
      // Idempotent: a retried last chunk, or bytes another branch sent first.
      if (await store.has(sha)) return c.json({ offset: total, present: true });
      const known = await deps.db.select({ bytes: documents.bytes }).from(documents)
        .where(eq(documents.sha256, sha)).limit(1).get();
      if (!known) {
        return c.json({
          error: "L'archivio non conosce ancora questo documento: si invia dopo la scheda",
        }, 409);
      }
      if (known.bytes !== total) {
        return c.json({
          error: { message: `Dimensione diversa da quella della scheda (${known.bytes})` },
        }, 400);
      }
      const here = await sizeOf(path);
      if (offset !== here) {
        // A retry after a lost answer, or a branch that forgot: continue from what is here.
        return c.json({
          error: { message: "Posizione diversa: riprendere da offset" },
          offset: here,
        }, 409);
      }
      if (sha256Hex(body) !== chunkSha || offset + body.byteLength > total) {
        return c.json({
          error: { message: "Blocco alterato in transito: reinviarlo" },
          offset: here,
        }, 409);
      }
      await appendDurably(path, body);
      const now = offset + body.byteLength;
      if (now < total) return c.json({ offset: now, present: false });
      try {
        const file = await ingestFile(store, { path }, {
          expected: { sha256: sha, bytes: total },
          clock: deps.clock,
        });
        await deps.db.transaction((tx) =>
          recordDocumentFiles(tx, ingestedRows(file, deps.clock()))
        );
      } catch (err) {
        if (!(err instanceof IngestError || err instanceof FileStoreError)) throw err;
        await Deno.remove(path).catch(() => {});
        return c.json({
          error: { message: `File rifiutato dall'archivio: ${err.message}` },
          offset: 0,
        }, 409);
      }
      await Deno.remove(path).catch(() => {});
      return c.json({ offset: total, present: true });
    });
  });
}

/** Where a branch's upload of `sha` accumulates: per branch, so two branches never mix. */
function partialPath(store: FileStore, branch: string, sha: string): string {
  const who = sha256Hex(new TextEncoder().encode(branch)).slice(0, 16);
  return `${store.root}/.tmp/uploads/${who}/${sha}.up`;
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await Deno.stat(path)).size;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return 0;
    throw err;
  }
}

async function appendDurably(path: string, bytes: Uint8Array): Promise<void> {
  await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true, mode: 0o700 });
  const file = await Deno.open(path, { append: true, create: true, mode: 0o600 });
  try {
    let at = 0;
    while (at < bytes.length) at += await file.write(bytes.subarray(at));
    await file.syncData();
  } finally {
    file.close();
  }
}

async function readRange(
  store: FileStore,
  sha: string,
  start: number,
  end: number,
): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await new Response(await store.open(sha, { start, end })).arrayBuffer());
}

function lazyStream(
  open: () => Promise<ReadableStream<Uint8Array>>,
): ReadableStream<Uint8Array> {
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      reader ??= (await open()).getReader();
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel: (reason) => reader?.cancel(reason),
  });
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}
