/**
 * A common word's hits ordered by walking the doc numbers newest first (newest_order.ts,
 * ranked_order.ts leadNewest) come out as the counting selection (orderHits) puts them, on
 * random lists and through rankQuery on a real index, after followed changes and compaction.
 */
import assert from "node:assert/strict";
import { upsertRecords } from "../db/records.ts";
import { compactRecordIndex } from "../search/compaction.ts";
import { DocTable } from "../search/doc_table.ts";
import { queryWords } from "../search/italian_text.ts";
import { NewestOrder } from "../search/newest_order.ts";
import { rankQuery } from "../search/rank_query.ts";
import { leadNewest, leadNewestPays, orderHits, packKey } from "../search/ranked_order.ts";
import { rankOf, textRanks, TIER_TEXT } from "../search/ranking.ts";
import { applyRecordChanges, type RecordIndex } from "../search/record_index.ts";
import { createSearchWorld, dossier, SEARCH_NOW } from "./_search_world.ts";

function random(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return Math.floor((s / 2 ** 32) * n);
  };
}

/** (doc, rank) pairs, sorted: what a reordering must keep. */
function pairs(docs: Int32Array, rank: Uint16Array, from = 0): string[] {
  return Array.from(docs.subarray(from), (d, i) => `${d}:${rank[from + i]}`).sort();
}

Deno.test("doc numbers newest first: by year descending, then doc number descending", () => {
  const r = random(5);
  const table = new DocTable();
  for (let i = 0; i < 3_000; i++) {
    const d = table.allocate();
    // Years before 1800 and past 2823 share the key's end slots, as in the sort keys.
    table.year[d] = r(30) === 0 ? 1700 + r(1300) : 1990 + r(6);
  }
  const newest = NewestOrder.of(table);
  const order = Array.from(newest.order);
  assert.equal(new Set(order).size, 3_000);
  const key = (d: number) => packKey(0, table.year[d] ?? 0, d);
  for (let i = 1; i < order.length; i++) {
    assert.ok(key(order[i - 1] ?? 0) > key(order[i] ?? 0), `position ${i}`);
  }
  assert.ok(newest.covers(table));
  table.year[table.allocate()] = 2000;
  assert.ok(!newest.covers(table), "a doc number added since: no longer the whole table");
});

Deno.test("the newest hits of the top rank lead exactly as the counting selection puts them", () => {
  for (const seed of [1, 7, 42, 1977]) {
    const r = random(seed);
    const table = new DocTable();
    for (let i = 0; i < 20_000; i++) table.year[table.allocate()] = 1985 + r(8);
    const newest = NewestOrder.of(table).order;
    // An ascending hit list, most hits of one rank and the others of two lower ones.
    const hits: number[] = [];
    for (let d = 0; d < 20_000; d++) if (r(5) < 2) hits.push(d);
    const docs = Int32Array.from(hits);
    const top = rankOf(TIER_TEXT, 3);
    const rank = Uint16Array.from(hits, () => r(4) === 0 ? rankOf(TIER_TEXT, 1 + r(2)) : top);
    for (const k of [1, 50, 1_000]) {
      const a = Int32Array.from(docs), ar = Uint16Array.from(rank);
      const b = Int32Array.from(docs), br = Uint16Array.from(rank);
      const led = leadNewest(a, ar, top, newest, k);
      const ordered = orderHits(b, br, table.year, k);
      assert.equal(led, k, `seed ${seed}, k ${k}`);
      assert.equal(ordered, k);
      assert.deepEqual(Array.from(a.subarray(0, k)), Array.from(b.subarray(0, k)), "the top");
      assert.ok(ar.subarray(0, k).every((x) => x === top));
      assert.deepEqual(pairs(a, ar), pairs(docs, rank), "each hit once, its rank moved with it");
    }
  }
});

/** The text hits of `q` as sort keys, best first: what any ordering must agree with. */
function referenceKeys(index: RecordIndex, q: string): number[] {
  const found = index.publicText.match(queryWords(q), index.table.publicAlive);
  const year = index.table.year;
  return Array.from(
    found.docs,
    (d, i) => packKey(rankOf(TIER_TEXT, found.scores[i] ?? 0), year[d] ?? 0, d),
  )
    .sort((a, b) => b - a);
}

Deno.test("a common word ranks newest first through the walk, after changes and compaction too", async () => {
  const r = random(2026);
  const record = (i: number, year: number) =>
    dossier({
      id: `d${i}`,
      number: String(i + 1),
      year,
      // "ampliamento" in most records: one posting list, one rank, many hits; "amplia"
      // completes it and "ampliamenti" too: two lists, their union not in doc order.
      subject: r(5) === 0
        ? "recinzione"
        : `${r(4) === 0 ? "ampliamenti" : "ampliamento"} ${r(2) === 0 ? "fabbricato" : ""}`,
      addresses: [],
    });
  const records = Array.from({ length: 600 }, (_, i) => record(i, 1990 + r(4)));
  // A top of 5: the walk pays for a list of a few hundred hits.
  await using world = await createSearchWorld(records, { orderedAtOnce: 5 });
  const { db, index } = world;
  const check = (when: string, q = "ampliamento") => {
    const want = referenceKeys(index, q);
    const found = index.publicText.match(queryWords(q), index.table.publicAlive);
    const holders = textRanks(found.scores, new Uint16Array(found.docs.length)).holders;
    assert.ok(index.newest?.covers(index.table), `${when}: the order covers the index`);
    assert.ok(
      leadNewestPays(found.docs.length, holders, index.table.size, index.orderedAtOnce),
      `${when}: the case would pay for the walk`,
    );
    const got = rankQuery(index, q, "public", undefined);
    const year = index.table.year;
    const keys = Array.from(got.docs, (d, i) => packKey(got.rank[i] ?? 0, year[d] ?? 0, d));
    assert.equal(got.ordered, 5, when);
    assert.deepEqual(keys.slice(0, 5), want.slice(0, 5), `${when}: the top`);
    assert.deepEqual(keys.sort((a, b) => b - a), want, `${when}: each hit once`);
  };
  check("built");
  check("a prefix with two completions", "amplia");
  check("two words, matched along their lists", "ampliamento fabbricato");
  // Edited records take new doc numbers, some of them newer than any before.
  const edited = Array.from({ length: 60 }, (_, i) => record(i * 7, i % 2 === 0 ? 2001 : 1989));
  await db.transaction((tx) => upsertRecords(tx, edited, SEARCH_NOW));
  await applyRecordChanges(db, index, edited.map((d) => ({ kind: "dossier", id: d.id })));
  check("after changes");
  const top = rankQuery(index, "ampliamento", "public", undefined);
  assert.equal(index.table.year[top.docs[0] ?? 0], 2001, "an edited record of 2001 leads");
  assert.equal((await compactRecordIndex(index)).result, "done");
  check("after compaction");
});
