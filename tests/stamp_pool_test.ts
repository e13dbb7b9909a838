/**
 * The stamping workers (documents/stamp_pool.ts): the same pages and the same refusals as
 * stamping on the request thread, from a store the worker opens itself (encrypted here, so the
 * keys must really reach it), and nothing left running once the pool is closed (Deno's test
 * sanitizers fail a test that leaks a worker).
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { PDFDocument } from "pdf-lib";
import { type FileStore, FileStoreError, openFileStore } from "../documents/file_store.ts";
import {
  type ImagePages,
  type Stamp,
  StampableDocument,
  StampCache,
  StampError,
} from "../documents/stamp.ts";
import {
  inProcessStamper,
  sha256Hex,
  StampPool,
  StampPoolClosed,
} from "../documents/stamp_pool.ts";
import type { ByteSource } from "../documents/http_range.ts";
import { storeByteSource } from "../documents/store_byte_source.ts";
import { tiffToPngPages } from "../documents/tiff_pages.ts";
import { bandedPng, noise, pagedPdf } from "./_document_fixtures.ts";
import { readWithPdfJs } from "./_stamp_fixtures.ts";
import { writeTiff } from "./_tiff_writer.ts";

const STAMP: Stamp = {
  receiptCode: "K2AB-CD7E",
  taxCode: "RSSMRA80A01H501U",
  at: new Date("2026-03-03T23:30:00Z"),
};
const TEXT = "Copia per consultazione — richiesta K2AB-CD7E — RSS•••••••••501U — 04/03/2026";

async function withStore(run: (store: FileStore) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "faldone-stamp-pool-" });
  try {
    await run(await openFileStore(`${dir}/files`, { key: "chiave-di-prova-lunga-32-caratteri" }));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function stored<M extends "application/pdf" | "image/png" | "image/jpeg">(
  store: FileStore,
  bytes: Uint8Array,
  mime: M,
) {
  const put = await store.put(ReadableStream.from([bytes]));
  return { mime, source: storeByteSource(store, { ...put, mime }) };
}

/** A TIFF's pages as the viewer has them: PNGs in the store. */
async function storedTiffPages(store: FileStore): Promise<ImagePages> {
  const grey = new Uint8Array(16 * 8).map((_, i) => (i % 16 < 8 ? 0 : 255));
  const rgb = new Uint8Array(5 * 4 * 3).map((_, i) => (i % 3 === 1 ? 180 : 20));
  const tiff = writeTiff([
    { width: 16, height: 8, bitsPerSample: [8], photometric: 1, data: grey },
    { width: 5, height: 4, bitsPerSample: [8, 8, 8], photometric: 2, data: rgb },
  ]);
  const pngs: ByteSource[] = [];
  for (const page of tiffToPngPages(tiff)) {
    pngs.push((await stored(store, page.png, "image/png")).source);
  }
  return { count: pngs.length, page: (n) => Promise.resolve(pngs[n - 1]) };
}

/** What a reader sees of a one-page PDF: its text and the size of its pictures. */
async function seen(bytes: Uint8Array) {
  const pages = await readWithPdfJs(bytes);
  assert.equal(pages.length, 1, "one page per answer");
  const [page] = pages;
  return {
    text: page!.text,
    view: page!.view,
    images: page!.images.map((i) => `${i.width}×${i.height}`),
  };
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof Error);
    return err;
  }
  assert.fail("expected a refusal");
}

Deno.test("a page stamped by the worker reads as the page stamped on the request thread", async () => {
  await withStore(async (store) => {
    await using pool = new StampPool(store);
    const here = inProcessStamper(new StampCache());
    const docs: [string, StampableDocument, number][] = [
      ["PDF", await stored(store, await pagedPdf(3), "application/pdf"), 3],
      ["PNG", await stored(store, await bandedPng(40, 30, [10, 200, 90]), "image/png"), 1],
      ["TIFF", { mime: "image/tiff", pages: await storedTiffPages(store) }, 2],
    ];
    for (const [what, doc, pages] of docs) {
      assert.equal(await pool.pageCount(doc), pages, what);
      assert.equal(await here.pageCount(doc), pages, what);
      for (let i = 0; i < pages; i++) {
        const fromWorker = await seen((await pool.page(doc, i, STAMP)).bytes);
        assert.deepEqual(
          fromWorker,
          await seen((await here.page(doc, i, STAMP)).bytes),
          `${what} ${i}`,
        );
        assert.equal(fromWorker.text.filter((t) => t === TEXT).length, 2, `${what} ${i} stamped`);
      }
    }
    const pdfPage = await seen((await pool.page(docs[0]![1], 1, STAMP)).bytes);
    assert.ok(pdfPage.text.includes("Pagina 2"), pdfPage.text.join(" | "));
    // The pages came from a worker, not from the fallback on this thread.
    assert.equal(pool.running, 1);
  });
});

Deno.test("the worker's refusals keep their kind, status and message", async () => {
  await withStore(async (store) => {
    await using pool = new StampPool(store);
    const here = inProcessStamper(new StampCache());
    const locked = await PDFDocument.load(await pagedPdf(1));
    locked.context.trailerInfo.Encrypt = locked.context.register(
      locked.context.obj({ Filter: "Standard" }),
    );
    const cases: [string, StampableDocument, number, string, number][] = [
      [
        "page past the end",
        await stored(store, await pagedPdf(3), "application/pdf"),
        3,
        "page",
        404,
      ],
      ["damaged PDF", await stored(store, noise(4096, 7), "application/pdf"), 0, "unreadable", 422],
      [
        "encrypted PDF",
        await stored(store, await locked.save(), "application/pdf"),
        0,
        "encrypted",
        422,
      ],
      ["damaged PNG", await stored(store, noise(500, 3), "image/png"), 0, "unreadable", 422],
      [
        "TIFF page past the end",
        { mime: "image/tiff", pages: await storedTiffPages(store) },
        2,
        "page",
        404,
      ],
    ];
    for (const [what, doc, index, reason, status] of cases) {
      const err = await failure(pool.page(doc, index, STAMP));
      assert.ok(err instanceof StampError, `${what}: a StampError, got ${err}`);
      assert.equal(err.reason, reason, what);
      assert.equal(err.status, status, what);
      assert.equal(err.message, (await failure(here.page(doc, index, STAMP))).message, what);
    }
    // A file the store does not hold: the store's own error, as on this thread.
    const gone = await stored(store, await pagedPdf(2), "application/pdf");
    await store.remove(gone.source.sha256);
    const err = await failure(pool.page(gone, 0, STAMP));
    assert.ok(err instanceof FileStoreError, `a FileStoreError, got ${err}`);
    assert.equal(err.reason, "missing");
    const local = await failure(here.page(gone, 0, STAMP));
    assert.ok(local instanceof FileStoreError);
    assert.equal(err.message, local.message);
    // The worker is still there for the next page.
    const ok = await seen((await pool.page(cases[0]![1], 0, STAMP)).bytes);
    assert.ok(ok.text.includes("Pagina 1"));
    assert.equal(pool.running, 1);
  });
});

Deno.test("a closed pool stops its worker and refuses what was waiting and what comes after", async () => {
  await withStore(async (store) => {
    const pool = new StampPool(store);
    const doc = await stored(store, await pagedPdf(2), "application/pdf");
    (await pool.page(doc, 0, STAMP)).bytes;
    assert.equal(pool.running, 1);
    const waiting = pool.page(doc, 1, STAMP);
    await pool.close();
    assert.ok(await failure(waiting) instanceof StampPoolClosed);
    assert.equal(pool.running, 0);
    assert.ok(await failure(pool.page(doc, 0, STAMP)) instanceof StampPoolClosed);
    assert.equal(pool.running, 0, "no worker started after close");
    // The sanitizers check the rest: a worker still alive fails this test.
  });
});

Deno.test("more workers share the pages, each answering its own", async () => {
  await withStore(async (store) => {
    await using pool = new StampPool(store, { workers: 2 });
    const doc = await stored(store, await pagedPdf(6), "application/pdf");
    const pages = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => pool.page(doc, i, STAMP)));
    assert.equal(pool.running, 2);
    for (const [i, { bytes, etag }] of pages.entries()) {
      // The ETag is the page's own SHA-256, hashed in the worker.
      assert.equal(etag, await sha256Hex(bytes));
      assert.equal(etag, createHash("sha256").update(bytes).digest("hex"));
      const page = await seen(bytes);
      assert.ok(page.text.includes(`Pagina ${i + 1}`), `page ${i + 1}: ${page.text.join(" | ")}`);
    }
  });
});

Deno.test("a process whose pool is closed ends: no worker is left running", async () => {
  // A worker still alive keeps its process alive, which an in-process test cannot see.
  const dir = await Deno.makeTempDir({ prefix: "faldone-stamp-pool-exit-" });
  try {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", new URL("./_stamp_pool_exit.ts", import.meta.url).pathname, dir],
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    const out = await child.output();
    clearTimeout(timer);
    const said = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    assert.match(said, /stamped \d+ bytes, pool closed/);
    assert.equal(out.code, 0, `the process did not end by itself: ${said}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a warmed-up pool has its workers running before the first page", async () => {
  await withStore(async (store) => {
    await using pool = new StampPool(store, { workers: 2 });
    pool.warmUp();
    assert.equal(pool.running, 2);
    const doc = await stored(store, await pagedPdf(1), "application/pdf");
    assert.equal(await pool.pageCount(doc), 1);
    assert.equal(pool.running, 2);
  });
});
