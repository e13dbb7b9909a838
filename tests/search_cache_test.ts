import assert from "node:assert/strict";
import { LruMap, QueryCache, rankedBytes } from "../search/query_cache.ts";

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
