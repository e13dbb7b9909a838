/**
 * The answer cache: a repeated query is answered from its cached top, total and facets
 * without ranking or counting again, identically, and never from before a change.
 */
import assert from "node:assert/strict";
import { upsertRecords } from "../db/records.ts";
import type { DossierDoc } from "../domain/records.ts";
import { type Answer, answerBytes, AnswerCache } from "../search/answer_cache.ts";
import { compactRecordIndex } from "../search/compaction.ts";
import {
  applyRecordChanges,
  buildRecordIndex,
  createRecordIndex,
  docNumberUse,
} from "../search/record_index.ts";
import { searchRecords } from "../search/search_records.ts";
import { parseSearchParams, type SearchResult } from "../search/types.ts";
import { createSearchWorld, dossier, SEARCH_NOW, VOCAB } from "./_search_world.ts";

const EXTRA = ["casa", "garage", "tettoia", "veranda", "soppalco"];
const TYPES = ["CE", "PDC", "LE"];
const PLACES = ["Centro", "Borgo", "Pieve"];

/** 1,100 dossiers holding "ampliamento" (more than an answer's top of 1,000), and one protocol. */
function records(): DossierDoc[] {
  const out = Array.from({ length: 1_100 }, (_, i) =>
    dossier({
      id: `d${String(i).padStart(4, "0")}`,
      type: TYPES[i % 3] ?? "CE",
      number: String(i + 1),
      year: 1950 + (i * 7) % 70,
      subject: `Ampliamento ${EXTRA[i % EXTRA.length]}${i % 4 === 0 ? " e ampliamento" : ""}`,
      addresses: [{
        street: "Via Roma",
        civic: String(i % 40),
        locality: PLACES[i % 3] ?? "Centro",
      }],
    }));
  out.push(dossier({ id: "p1", number: "9", year: 1987, protocolNumber: "1234" }));
  return out;
}

type World = Awaited<ReturnType<typeof createSearchWorld>>;

/** A page asked with every cache of the index emptied first: ranked, filtered, counted now. */
async function rankedNow(world: World, q: string, extra: Record<string, string>) {
  world.index.cache.clear();
  world.index.answers.clear();
  return await world.search(q, extra);
}

/** What a page says, or the refusal of a page past the last. */
async function outcome(
  ask: () => Promise<SearchResult>,
): Promise<SearchResult | string> {
  try {
    return await ask();
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
}

const page = (n: number, extra: Record<string, string> = {}) => ({
  ...extra,
  per_page: "20",
  page: String(n),
});

Deno.test("a repeated query whose hit list was evicted answers every page of its top from the answer cache, ranking nothing", async () => {
  await using world = await createSearchWorld(records());
  const { index } = world;
  const cases: { q: string; extra: Record<string, string> }[] = [
    { q: "ampliamento", extra: {} },
    { q: "ampliamento", extra: { type: "PDC" } },
    { q: "ampliamento", extra: { sort: "number", locality: "Borgo" } },
    { q: "", extra: { kind: "dossier" } },
    { q: "prot. 1234 del 1987", extra: {} },
  ];
  for (const { q, extra } of cases) {
    const label = `${q} ${JSON.stringify(extra)}`;
    const total = (await rankedNow(world, q, page(1, extra))).total;
    const inTop = Math.ceil(Math.min(total, index.answers.top) / 20);
    // Every page of the top, one beyond it (or past the last page, refused), ranked anew.
    const pages = Array.from({ length: inTop + 1 }, (_, i) => i + 1);
    const expected = new Map<number, SearchResult | string>();
    for (const n of pages) {
      expected.set(n, await outcome(() => rankedNow(world, q, page(n, extra))));
    }

    index.cache.clear();
    index.answers.clear();
    await world.search(q, page(1, extra));
    // Its full hit list evicted (as 60 common words' lists do at 1M): only the answer is left.
    index.cache.clear();
    const before = { ...index.counters };
    for (const n of pages.slice(0, inTop)) {
      assert.deepEqual(await world.search(q, page(n, extra)), expected.get(n), `${label} p${n}`);
    }
    assert.deepEqual(index.counters, before, `${label}: no ranking, no filter or facet count`);

    const beyond = inTop + 1;
    assert.deepEqual(
      await outcome(() => world.search(q, page(beyond, extra))),
      expected.get(beyond),
      `${label}: page ${beyond}`,
    );
    if (total > index.answers.top) {
      assert.equal(index.counters.rankings, before.rankings + 1, `${label}: past the top, ranked`);
    } else {
      assert.deepEqual(index.counters, before, `${label}: past the last page, refused as cached`);
    }
    // The view ordered further in place for that page did not disturb the cached top.
    const again = { ...index.counters };
    for (const n of [1, Math.ceil(inTop / 2), inTop]) {
      assert.deepEqual(await world.search(q, page(n, extra)), expected.get(n), `${label} p${n}`);
    }
    assert.deepEqual(index.counters, again);
  }
  assert.ok(index.answers.weight > 0 && index.answers.weight <= 16 * 2 ** 20);
});

Deno.test("a record changed through the normal path is seen at once by a repeated query", async () => {
  await using world = await createSearchWorld(records());
  const first = await world.search("ampliamento", page(1));
  const changed = first.hits[0]?.id ?? "";
  assert.ok(changed);
  const rankings = world.index.counters.rankings;
  assert.deepEqual(await world.search("ampliamento", page(1)), first, "cached");
  assert.equal(world.index.counters.rankings, rankings);

  await world.db.transaction((tx) =>
    upsertRecords(tx, [
      dossier({ id: changed, number: "1", year: 1990, subject: "Demolizione tettoia" }),
      dossier({ id: "new", number: "2000", year: 2025, subject: "Ampliamento e ampliamento" }),
    ], SEARCH_NOW)
  );
  await applyRecordChanges(world.db, world.index, [
    { kind: "dossier", id: changed },
    { kind: "dossier", id: "new" },
  ]);
  const after = await world.search("ampliamento", page(1));
  assert.equal(after.total, first.total, "one left, one came");
  assert.ok(!after.hits.some((h) => h.id === changed), "the changed record is gone");
  assert.equal(after.hits[0]?.id, "new", "the new one, most relevant and newest, leads");
  assert.deepEqual(after, await rankedNow(world, "ampliamento", page(1)));
});

Deno.test("after a compaction renumbers the docs, a repeated query shows what a fresh build shows", async () => {
  await using world = await createSearchWorld(records());
  // Updates leave dead doc numbers behind; compaction then renumbers every later record.
  const updated = records().slice(0, 60).map((d) => ({ ...d, subject: `${d.subject} nuovo` }));
  await world.db.transaction((tx) => upsertRecords(tx, updated, SEARCH_NOW));
  await applyRecordChanges(
    world.db,
    world.index,
    updated.map((d) => ({ kind: d.record, id: d.id })),
  );
  const asks = [page(1), page(30), page(2, { type: "CE" })];
  const before = [];
  for (const extra of asks) before.push(await world.search("ampliamento", extra));
  const used = docNumberUse(world.index).used;

  assert.equal((await compactRecordIndex(world.index)).result, "done");
  assert.ok(docNumberUse(world.index).used < used, "doc numbers were renumbered");
  assert.equal(world.index.answers.size, 0, "no answer survives the swap");

  const fresh = createRecordIndex();
  await buildRecordIndex(world.db, fresh);
  const rankings = world.index.counters.rankings;
  for (const [i, extra] of asks.entries()) {
    const params = parseSearchParams(new URLSearchParams({ q: "ampliamento", ...extra }), VOCAB);
    const want = await searchRecords(world.db, fresh, params, "public", () => SEARCH_NOW);
    assert.equal(want.total, before[i]?.total);
    assert.deepEqual(await world.search("ampliamento", extra), want, `ask ${i} as fresh`);
  }
  assert.equal(world.index.counters.rankings, rankings + 1, "ranked again, once for the three");
});

/** An answer of `n` hits with one facet value. */
function answerOf(n: number): Answer {
  return {
    order: new Int32Array(n).map((_, i) => i),
    rank: new Uint16Array(n),
    total: n * 10,
    facets: {
      kind: [{ value: "dossier", label: "Pratiche", count: n }],
      type: [],
      decade: [],
      locality: [],
      status: [],
      actKind: [],
      office: [],
    },
    highlights: ["ampliamento"],
  };
}

Deno.test("the answer cache keeps its bytes within budget, oldest answers out first", () => {
  const cache = new AnswerCache(1_000, 64_000, 1_000);
  for (let i = 0; i < 100; i++) cache.keep(`q${i}`, answerOf(500), 500);
  assert.ok(cache.weight <= 64_000, `${cache.weight} bytes`);
  assert.ok(cache.size >= 15 && cache.size < 100, `${cache.size} answers of about 3.4 KB kept`);
  assert.ok(cache.get("q99"), "the newest stays");
  assert.equal(cache.get("q0"), undefined, "the oldest went");

  // Only the ordered lead is kept, at most `top` hits, and counted at 6 bytes a hit.
  const big = answerOf(5_000);
  const kept = cache.keep("big", big, 3_000);
  assert.equal(kept.order.length, 1_000);
  assert.equal(kept.total, 50_000);
  assert.equal(kept.bytes, answerBytes("big", kept));
  assert.ok(kept.bytes >= 6_000 && kept.bytes < 7_000, `${kept.bytes}`);
  assert.equal(cache.keep("lead", big, 40).order.length, 40, "no more than is in order");
  // A copy: the view's arrays are ordered further in place by later pages.
  big.order.fill(7);
  assert.equal(cache.get("big")?.order[5], 5);
});
