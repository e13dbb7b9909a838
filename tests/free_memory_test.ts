import assert from "node:assert/strict";
import {
  collectGarbage,
  releaseFreeMemory,
  releaseFreeMemoryOnGrowth,
} from "../cli/_free_memory.ts";

Deno.test("free allocator memory is given back on Linux, and asking elsewhere is harmless", () => {
  // Memory outside V8's heap, allocated and dropped: what the index build leaves behind.
  let chunks: Uint8Array[] | undefined = Array.from({ length: 256 }, () => new Uint8Array(65_536));
  assert.equal(chunks.length, 256);
  chunks = undefined;
  const first = releaseFreeMemory();
  const second = releaseFreeMemory();
  if (Deno.build.os === "linux") {
    assert.ok(typeof first === "number" && first >= 0, `malloc_trim ran (${first})`);
    assert.ok(typeof second === "number" && second >= 0);
  } else {
    assert.equal(first, undefined);
    assert.equal(second, undefined);
  }
});

Deno.test("a full collection frees what nothing holds any more, where V8 allows asking", async () => {
  let dropped: object | undefined = { payload: new Uint8Array(1024) };
  const ref = new WeakRef(dropped);
  dropped = undefined;
  // A WeakRef keeps its target alive until the current job ends.
  await new Promise((resolve) => setTimeout(resolve, 0));
  const ms = collectGarbage();
  assert.ok(typeof ms === "number" && ms >= 0, `a collection ran (${ms})`);
  assert.equal(ref.deref(), undefined);
});

Deno.test("freed memory is given back only once RSS is the set amount above the lowest it has been", () => {
  const MiB = 2 ** 20;
  let rss = 700 * MiB;
  let released = 0;
  const trim = releaseFreeMemoryOnGrowth({
    everyMs: 60_000,
    growthBytes: 64 * MiB,
    rss: () => rss,
    // What a trim does: the free pages leave RSS.
    release: () => {
      released++;
      rss -= 100 * MiB;
    },
  });
  try {
    // A visitor's searches one at a time reuse freed pages: RSS moves a little, nothing given back.
    rss += 30 * MiB;
    assert.equal(trim.check(), false);
    rss += 33 * MiB;
    assert.equal(trim.check(), false);
    assert.equal(released, 0);
    // Past 64 MiB above the start: given back, and the lowest is now what is left after it.
    rss += 2 * MiB;
    assert.equal(trim.check(), true);
    assert.equal(released, 1);
    assert.equal(rss, 665 * MiB);
    rss += 63 * MiB;
    assert.equal(trim.check(), false);
    rss += 1 * MiB;
    assert.equal(trim.check(), true);
    assert.equal(released, 2);
  } finally {
    trim.stop();
  }
});

Deno.test("what a trim could not free while much was alive is given back once it is freed", () => {
  const MiB = 2 ** 20;
  let rss = 700 * MiB;
  let free = 0;
  let released = 0;
  const trim = releaseFreeMemoryOnGrowth({
    everyMs: 60_000,
    growthBytes: 64 * MiB,
    rss: () => rss,
    release: () => {
      released++;
      rss -= free;
      free = 0;
    },
  });
  try {
    // A compaction holds two indexes: RSS grows by live memory, and a trim frees nothing.
    rss += 250 * MiB;
    assert.equal(trim.check(), true);
    assert.equal(rss, 950 * MiB);
    // The old index is dropped: its pages are free but still resident. The bar stays at the
    // lowest RSS (700 MiB), not at what the last trim left (950), so they go back at once.
    free = 240 * MiB;
    assert.equal(trim.check(), true);
    assert.equal(rss, 710 * MiB);
    assert.equal(released, 2);
  } finally {
    trim.stop();
  }
});
