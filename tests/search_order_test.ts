import assert from "node:assert/strict";
import { orderHits, orderTop, packKey } from "../search/ranked_order.ts";
import { rankOf } from "../search/ranking.ts";

/** Deterministic distinct keys in a scrambled order (as rank keys are: each carries its doc). */
function scrambled(n: number, seed: number): Float64Array {
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = i * 3 + 1;
  let s = seed;
  for (let i = n - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    const t = keys[i] ?? 0;
    keys[i] = keys[j] ?? 0;
    keys[j] = t;
  }
  return keys;
}

function descending(n: number): number[] {
  return Array.from({ length: n }, (_, i) => (n - 1 - i) * 3 + 1);
}

Deno.test("a long hit list gets only its top k in order, and every other hit after them", () => {
  for (const seed of [1, 7, 42, 1977]) {
    const keys = scrambled(50_000, seed);
    const ordered = orderTop(keys, 1_000);
    assert.equal(ordered, 1_000);
    assert.deepEqual(Array.from(keys.subarray(0, 1_000)), descending(50_000).slice(0, 1_000));
    const smallestLeader = keys[999] ?? 0;
    assert.ok(keys.subarray(1_000).every((k) => k < smallestLeader));
    assert.equal(new Set(keys).size, 50_000, "no key lost or repeated");
    keys.subarray(ordered).sort().reverse();
    assert.deepEqual(Array.from(keys), descending(50_000), "the rest completes the order");
  }
});

Deno.test("a short hit list is ordered whole at once", () => {
  const keys = scrambled(3_000, 5);
  assert.equal(orderTop(keys, 1_000), 3_000);
  assert.deepEqual(Array.from(keys), descending(3_000));
});

Deno.test("selecting the top works on already sorted and reversed lists", () => {
  const up = Float64Array.from({ length: 20_000 }, (_, i) => i * 3 + 1);
  const down = up.slice().reverse();
  for (const keys of [up, down]) {
    orderTop(keys, 500);
    assert.deepEqual(Array.from(keys.subarray(0, 500)), descending(20_000).slice(0, 500));
  }
});

Deno.test("hits are ordered by rank, then newest year, then doc number, from their ranks alone", () => {
  // 6,000 hits of 3 ranks over 60 years; the expected order is the sorted packed keys.
  const n = 6_000;
  const year = Int16Array.from({ length: n }, (_, d) => 1950 + (d * 7) % 60);
  const docs = Int32Array.from(scrambled(n, 3), (k) => (k - 1) / 3);
  const rank = Uint16Array.from(docs, (d) => rankOf(d % 3, (d % 5) / 10));
  const expected = Array.from(docs, (d) => packKey(rankOf(d % 3, (d % 5) / 10), year[d] ?? 0, d))
    .sort((a, b) => b - a);
  const ordered = orderHits(docs, rank, year, 100);
  assert.equal(ordered, 100);
  const got = Array.from(docs.subarray(0, 100), (d, i) => packKey(rank[i] ?? 0, year[d] ?? 0, d));
  assert.deepEqual(got, expected.slice(0, 100));
  assert.equal(new Set(docs).size, n, "each hit once, its rank moved with it");
  assert.ok(Array.from(docs).every((d, i) => rank[i] === rankOf(d % 3, (d % 5) / 10)));
  assert.equal(orderHits(docs, rank, year, n), n);
  const all = Array.from(docs, (d, i) => packKey(rank[i] ?? 0, year[d] ?? 0, d));
  assert.deepEqual(all, expected);
});
