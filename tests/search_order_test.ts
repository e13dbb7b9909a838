import assert from "node:assert/strict";
import { queryWords } from "../search/italian_text.ts";
import { orderHits, orderTop, packKey, runsHoldingTop } from "../search/ranked_order.ts";
import { rankOf, runRanks, textRanks } from "../search/ranking.ts";
import { TextIndex } from "../search/text_index.ts";

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

Deno.test("a word typed in part: its completions' hits come in runs of one rank, best first", () => {
  // Four completions of "abita", overlapping, over 30,000 documents, some of them dead.
  const text = new TextIndex();
  const n = 30_000;
  const alive = new Uint8Array(n);
  const year = Int16Array.from({ length: n }, (_, d) => 1950 + (d * 13) % 70);
  const completions: [string, number][] = [
    ["abitabilita", 3],
    ["abitazione", 5],
    ["abitato", 7],
    ["abitativo", 11],
  ];
  for (let d = 0; d < n; d++) {
    const words = completions.filter(([, every]) => d % every === 0).map(([w]) => w);
    if (words.length > 0) text.add(d, words);
    alive[d] = d % 17 === 0 ? 0 : 1;
  }
  text.pack();
  const found = text.match(queryWords("abita"), alive);
  assert.ok(found.runs, "several lists give runs");
  // Each live holder of a completion once; none dead.
  const expected = new Set<number>();
  for (let d = 0; d < n; d++) {
    if (alive[d] === 1 && completions.some(([, every]) => d % every === 0)) expected.add(d);
  }
  assert.equal(found.docs.length, expected.size);
  assert.deepEqual(new Set(found.docs), expected);
  // The runs' ranks are those of the hits' own scores, and never rise.
  const rank = new Uint16Array(found.docs.length);
  runRanks(found.runs, rank);
  const fromScores = new Uint16Array(found.docs.length);
  textRanks(found.scores, fromScores);
  assert.deepEqual(rank, fromScores);
  for (let i = 1; i < rank.length; i++) assert.ok((rank[i] ?? 0) <= (rank[i - 1] ?? 0));
  // A document in two completions scores its better (the rarer) one: 70 is in "abitazione"
  // and "abitato", 28 in "abitato" alone, 10 in "abitazione" alone.
  const score = (d: number) => found.scores[found.docs.indexOf(d)];
  assert.equal(score(70), score(28));
  assert.ok((score(70) ?? 0) > (score(10) ?? 0));
  // Ordering only the runs that hold the top gives the top of ordering them all.
  const docs = found.docs.slice();
  for (const k of [10, 1_000, 5_000]) {
    const all = Array.from(docs, (d, i) => packKey(rank[i] ?? 0, year[d] ?? 0, d))
      .sort((a, b) => b - a).slice(0, k);
    const d2 = docs.slice(), r2 = rank.slice();
    const lead = runsHoldingTop(found.runs.ends, r2, k);
    assert.ok(lead >= k && lead < docs.length, `k ${k}: lead ${lead}`);
    const ordered = orderHits(d2.subarray(0, lead), r2.subarray(0, lead), year, k);
    assert.ok(ordered >= k);
    const got = Array.from(d2.subarray(0, k), (d, i) => packKey(r2[i] ?? 0, year[d] ?? 0, d));
    assert.deepEqual(got, all, `k ${k}`);
  }
});

Deno.test("the runs that hold the top reach past k only through ties with the last", () => {
  const rank = Uint16Array.from([9, 9, 8, 8, 8, 7, 7, 6]);
  // Runs [9,9] [8] [8,8] [7,7] [6]: k = 3 ends inside the second 8-run's rank, so both 8s.
  assert.equal(runsHoldingTop([2, 3, 5, 7, 8], rank, 3), 5);
  assert.equal(runsHoldingTop([2, 3, 5, 7, 8], rank, 2), 2);
  assert.equal(runsHoldingTop([2, 3, 5, 7, 8], rank, 6), 7);
  assert.equal(runsHoldingTop([2, 3, 5, 7, 8], rank, 100), 8);
});
