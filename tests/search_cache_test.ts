import assert from "node:assert/strict";
import { HitListPool, LruMap, QueryCache, rankedBytes } from "../search/query_cache.ts";

Deno.test("the recent-answers map evicts the least recently used entry past its count", () => {
  const map = new LruMap<string, number>(2);
  map.set("a", 1);
  map.set("b", 2);
  assert.equal(map.get("a"), 1, "reading a makes b the oldest");
  map.set("c", 3);
  assert.equal(map.get("b"), undefined);
  assert.equal(map.get("a"), 1);
  assert.equal(map.get("c"), 3);
});

Deno.test("the recent-answers map stays within its weight budget, oldest out first", () => {
  const map = new LruMap<string, number>(100, (v) => v, 10);
  map.set("a", 4);
  map.set("b", 4);
  map.set("a", 4); // replaced, not counted twice
  map.set("c", 4);
  assert.equal(map.get("b"), undefined, "4 + 4 + 4 > 10: the oldest (b) goes");
  assert.equal(map.get("a"), 4);
  assert.equal(map.get("c"), 4);
  map.set("huge", 50);
  assert.equal(map.get("huge"), 50, "an entry over the whole budget is still kept alone");
  assert.equal(map.get("a"), undefined);
  map.clear();
  map.set("d", 9);
  assert.equal(map.get("d"), 9, "clear resets the weight");
});

Deno.test("the query cache holds many small answers but few of 100k hits", () => {
  const cache = new QueryCache(500, 10 * 2 ** 20);
  const hits = (n: number) => ({
    docs: new Int32Array(n),
    rank: new Uint16Array(n),
    ordered: n,
    highlights: [],
  });
  for (let i = 0; i < 400; i++) cache.set(`small${i}`, hits(100));
  assert.ok(cache.get("small0"), "400 answers of 100 hits fit in 10 MB");
  for (let i = 0; i < 10; i++) cache.set(`big${i}`, hits(100_000));
  let bigKept = 0;
  for (let i = 0; i < 10; i++) if (cache.get(`big${i}`)) bigKept++;
  assert.ok(bigKept >= 7 && bigKept <= 8, `about 1.2 MB each in 10 MB: ${bigKept} kept`);
  assert.equal(cache.get("small1"), undefined, "older small answers made room");
});

Deno.test("a cached answer weighs 12 bytes a hit, as docs/SEARCH.md says", () => {
  const n = 1000;
  const hits = { docs: new Int32Array(n), rank: new Uint16Array(n), ordered: n, highlights: [] };
  assert.equal(rankedBytes(hits), 12 * n + 200);
});

Deno.test("the recent-answers map tells what leaves it: evicted, replaced, cleared", () => {
  const dropped: string[] = [];
  const map = new LruMap<string, string>(2, undefined, Infinity, (v) => dropped.push(v));
  map.set("a", "A");
  map.set("b", "B");
  map.set("c", "C");
  assert.deepEqual(dropped, ["A"], "a was the oldest");
  map.set("b", "B");
  assert.deepEqual(dropped, ["A"], "the same value set again is not dropped");
  map.set("b", "B2");
  assert.deepEqual(dropped, ["A", "B"], "a replaced value is");
  map.clear();
  assert.deepEqual(dropped.sort(), ["A", "B", "B2", "C"]);
});

const bigHits = (n: number, first: number) => {
  const docs = new Int32Array(n);
  const rank = new Uint16Array(n);
  for (let i = 0; i < n; i++) {
    docs[i] = first + i;
    rank[i] = (first + i) % 65_536;
  }
  return { docs, rank, ordered: n, highlights: ["x"] };
};

Deno.test("a hit list leaving the query cache lends its stores to the next list of its size", () => {
  const cache = new QueryCache(1, Infinity);
  const first = cache.keep("q1", bigHits(50_000, 0));
  assert.deepEqual([...first.docs.subarray(0, 3)], [0, 1, 2], "a copy of the ranking's lists");
  assert.equal(first.docs.length, 50_000);
  cache.keep("q2", bigHits(45_000, 3)); // copied, then q1 leaves: its stores wait in the pool
  assert.equal(cache.get("q1"), undefined);
  assert.ok(cache.pool.freeBytes > 0);
  const third = cache.keep("q3", bigHits(40_000, 7));
  assert.equal(third.docs.buffer, first.docs.buffer, "q1's store serves q3: nothing allocated");
  assert.equal(third.rank.buffer, first.rank.buffer);
  assert.equal(third.docs.length, 40_000);
  assert.deepEqual([...third.docs.subarray(0, 3)], [7, 8, 9], "and holds q3's hits");
  assert.equal(third.rank[39_999], 40_006);
  const other = cache.keep("q4", bigHits(200_000, 0)); // another size class: a new store
  assert.notEqual(other.docs.buffer.byteLength, third.docs.buffer.byteLength);
});

Deno.test("the pool lends a store once: a list released twice, or not its own, is ignored", () => {
  const pool = new HitListPool(Infinity);
  const a = pool.int32(10_000);
  pool.release(a);
  pool.release(a);
  const b = pool.int32(10_000);
  const c = pool.int32(10_000);
  assert.equal(b.buffer, a.buffer, "reused once");
  assert.notEqual(c.buffer, b.buffer, "not lent a second time while b holds it");
  pool.release(new Int32Array(16_384));
  assert.equal(pool.freeBytes, 0, "a list the pool did not lend never enters it");
  const small = pool.uint16(100);
  pool.release(small);
  assert.equal(pool.freeBytes, 0, "small lists are left to V8");
});

Deno.test("the pool keeps at most its bound of free stores", () => {
  const pool = new HitListPool(100_000);
  const lists = [pool.int32(20_000), pool.int32(20_000)]; // 80,000 bytes each: 128 KiB stores
  for (const l of lists) pool.release(l);
  assert.equal(pool.freeBytes, 0, "a 128 KiB store is over a 100,000-byte bound");
  const fits = new HitListPool(200_000);
  const l = fits.int32(20_000);
  fits.release(l);
  assert.equal(fits.freeBytes, 131_072);
});

Deno.test("past its bound, the pool keeps its larger free stores and lets smaller ones go", () => {
  const pool = new HitListPool(300_000);
  const small = [pool.int32(20_000), pool.int32(20_000)]; // 128 KiB stores
  const large = pool.int32(40_000); // a 256 KiB store
  for (const l of small) pool.release(l);
  assert.equal(pool.freeBytes, 262_144);
  pool.release(large);
  assert.equal(pool.freeBytes, 262_144, "the two small ones made room for the large one");
  assert.equal(pool.int32(40_000).buffer, large.buffer, "and it is lent again");
  const another = pool.int32(20_000);
  pool.release(pool.int32(40_000));
  pool.release(another);
  assert.equal(pool.freeBytes, 262_144, "a small store does not push out a larger one");
});

Deno.test("stores stocked ahead are lent before any new one, past the bound", () => {
  const pool = new HitListPool(100_000);
  pool.stock(80_000, 3);
  pool.stock(100, 5); // below the pooled size: never lent from the pool, so not stocked
  assert.equal(pool.freeBytes, 3 * 131_072);
  const lists = [pool.int32(20_000), pool.int32(20_000), pool.int32(20_000)];
  assert.equal(pool.freeBytes, 0, "each list took a stocked store");
  assert.equal(new Set(lists.map((l) => l.buffer)).size, 3);
});

Deno.test("the query cache keeps a ranking's pooled lists as they are, once, and copies the rest", () => {
  const cache = new QueryCache(3, Infinity);
  const ranked = bigHits(50_000, 0);
  const docs = cache.pool.int32(50_000);
  docs.set(ranked.docs);
  const rank = cache.pool.uint16(50_000);
  rank.set(ranked.rank);
  const pooled = { ...ranked, docs, rank };
  const kept = cache.keep("q1", pooled);
  assert.equal(kept.docs, docs, "the ranking's pooled list, not a copy");
  assert.equal(kept.rank, rank);
  // The same lists kept under a second key: two entries must not hold (and release) one store.
  const again = cache.keep("q2", pooled);
  assert.notEqual(again.docs.buffer, docs.buffer, "adopted once: copied the second time");
  assert.notEqual(again.rank.buffer, rank.buffer);
  assert.deepEqual([...again.docs.subarray(0, 3)], [0, 1, 2]);
  // Lists the pool did not lend (a ranking elsewhere, a test's) are copied into its stores.
  const plain = bigHits(50_000, 5);
  const copied = cache.keep("q3", plain);
  assert.notEqual(copied.docs, plain.docs);
  assert.deepEqual([...copied.docs.subarray(0, 2)], [5, 6]);
  // q1 leaving (the oldest of three) gives its adopted stores back: the next list of that
  // size takes them.
  cache.keep("q4", bigHits(10, 0));
  assert.equal(cache.get("q1"), undefined);
  assert.equal(cache.pool.int32(40_000).buffer, docs.buffer);
});
