// The TIFF page cache over a real file store and its real worker: converted once however many
// viewers ask at the same time, kept across a restart, converted again when a page was evicted,
// and a damaged TIFF reported in Italian instead of a blank page.
import assert from "node:assert/strict";
import { decode as decodePng } from "fast-png";
import { openFileStore } from "../documents/file_store.ts";
import { type StoredPage, TiffPageCache } from "../documents/tiff_page_cache.ts";
import { writeTiff } from "../documents/tiff_writer.ts";
import { scanTiff } from "../demo/demo_files.ts";

async function storeWith(bytes: Uint8Array) {
  const dir = await Deno.makeTempDir({ prefix: "faldone-tiffcache-" });
  const store = await openFileStore(`${dir}/files`);
  const { sha256 } = await store.put(ReadableStream.from([bytes]));
  return {
    store,
    sha256,
    async [Symbol.asyncDispose]() {
      await Deno.remove(dir, { recursive: true });
    },
  };
}

async function read(store: Awaited<ReturnType<typeof storeWith>>["store"], sha: string) {
  return new Uint8Array(await new Response(await store.open(sha)).arrayBuffer());
}

Deno.test("viewers asking at once share one conversion; pages are PNGs in the store", async () => {
  await using s = await storeWith(scanTiff(1981, 3));
  const stored: StoredPage[] = [];
  const cache = new TiffPageCache(s.store, (page) => {
    stored.push(page);
    return Promise.resolve();
  });
  const [a, b] = await Promise.all([cache.pages(s.sha256), cache.pages(s.sha256)]);
  assert.equal(a, b, "the same conversion");
  assert.equal(a.count, 3);
  const shas = await Promise.all([2, 0, 1].map((i) => a.page(i)));
  assert.equal(new Set(shas).size, 3);
  for (const sha of shas) {
    const png = decodePng(await read(s.store, sha));
    assert.deepEqual([png.width, png.height], [827, 1169]);
  }
  assert.equal(stored.length, 3, "each page stored once");
  await assert.rejects(a.page(3), RangeError);
});

Deno.test("a restart reads the kept list; an evicted page is converted again", async () => {
  await using s = await storeWith(scanTiff(7, 2));
  const first = new TiffPageCache(s.store);
  const set = await first.pages(s.sha256);
  const page0 = await set.page(0);
  await set.page(1);
  // Wait for the list to be written (after the last page is stored).
  for (let i = 0; i < 100 && !(await exists(`${s.store.root}/.pages/${s.sha256}.json`)); i++) {
    await new Promise((r) => setTimeout(r, 20));
  }

  let conversions = 0;
  const again = new TiffPageCache(s.store, () => {
    conversions++;
    return Promise.resolve();
  });
  const kept = await again.pages(s.sha256);
  assert.equal(kept.count, 2);
  assert.equal(await kept.page(0), page0);
  assert.equal(conversions, 0, "nothing converted after a restart");

  await s.store.remove(page0);
  const redone = await new TiffPageCache(s.store, () => {
    conversions++;
    return Promise.resolve();
  }).pages(s.sha256);
  assert.equal(await redone.page(0), page0, "the same PNG bytes again");
  await redone.page(1);
  assert.equal(conversions, 2);
  assert.ok(await s.store.has(page0));
});

Deno.test("a TIFF that cannot be converted is an Italian error, and a later try runs again", async () => {
  // One page that claims more pixels than a colour page may have.
  const huge = writeTiff([{
    width: 20_000,
    height: 20_000,
    bitsPerSample: [8, 8, 8],
    photometric: 2,
    data: new Uint8Array(16),
  }]);
  await using s = await storeWith(huge);
  const cache = new TiffPageCache(s.store);
  const set = await cache.pages(s.sha256);
  assert.equal(set.count, 1);
  await assert.rejects(set.page(0), /troppo grande/);
  // Not stuck: asking again converts again (and fails the same way).
  const again = await cache.pages(s.sha256);
  await assert.rejects(again.page(0), /troppo grande/);
});

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}
