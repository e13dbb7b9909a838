/** Facets, filters, sorting, paging, input errors and index updates. */
import assert from "node:assert/strict";
import { warmFrequentWords } from "../search/warm_up.ts";
import { deleteRecord, upsertRecord } from "../db/records.ts";
import { lookupIdentifiers, rankedKey, rankQuery, rankText } from "../search/rank_query.ts";
import { readSearchKeys } from "../search/hit_reader.ts";
import { QueryCache, rankedBytes } from "../search/query_cache.ts";
import { applyRecordChanges } from "../search/record_index.ts";
import { parseSearchParams, SearchInputError } from "../search/types.ts";
import { act, createSearchWorld, dossier, SEARCH_NOW, VOCAB } from "./_search_world.ts";

const RECORDS = [
  dossier({
    id: "a",
    type: "CE",
    number: "10",
    year: 1985,
    status: "issued",
    subject: "Ampliamento casa",
    addresses: [{ street: "Via Roma", civic: "1", locality: "Centro" }],
  }),
  dossier({
    id: "b",
    type: "CE",
    number: "9",
    year: 1985,
    status: "refused",
    subject: "Ampliamento garage",
    addresses: [{ street: "Via Roma", civic: "2", locality: "Centro" }],
  }),
  dossier({
    id: "c",
    type: "CE",
    number: "10/bis",
    year: 1985,
    status: "issued",
    subject: "Ampliamento tettoia",
    addresses: [{ street: "Via Po", civic: "2", locality: "Case Nuove" }],
  }),
  dossier({
    id: "d",
    type: "PDC",
    series: "PDC",
    number: "1",
    year: 2005,
    status: "issued",
    subject: "Ampliamento villetta",
  }),
  dossier({
    id: "e",
    type: "LE",
    series: "LE",
    number: "3",
    year: 1968,
    status: "archived",
    subject: "Ampliamento stalla",
  }),
  act({
    id: "x",
    kind: "determina",
    number: "5",
    year: 2012,
    office: "Ufficio tecnico",
    subject: "Ampliamento cimitero",
  }),
];

Deno.test("facets count the whole result set, each ignoring its own filter", async () => {
  await using world = await createSearchWorld(RECORDS);
  const all = await world.search("ampliamento ");
  assert.equal(all.total, 6);
  assert.deepEqual(all.facets.kind, [
    { value: "dossier", label: "Pratiche edilizie", count: 5 },
    { value: "act", label: "Atti", count: 1 },
  ]);
  assert.deepEqual(all.facets.type.map((f) => [f.value, f.count]), [["CE", 3], ["LE", 1], [
    "PDC",
    1,
  ]]);
  assert.deepEqual(all.facets.decade.map((f) => [f.value, f.count]), [["2010", 1], ["2000", 1], [
    "1980",
    3,
  ], ["1960", 1]]);
  assert.deepEqual(all.facets.locality.map((f) => [f.value, f.count]), [["Centro", 2], [
    "Case Nuove",
    1,
  ]]);
  assert.deepEqual(all.facets.status.find((f) => f.value === "issued"), {
    value: "issued",
    label: "Rilasciata",
    count: 3,
  });
  // The label is the vocabulary's title (act_kinds), the one source of act-kind names.
  assert.deepEqual(all.facets.actKind, [
    { value: "determina", label: "Determina dirigenziale", count: 1 },
  ]);
  assert.deepEqual(all.facets.office, [{
    value: "Ufficio tecnico",
    label: "Ufficio tecnico",
    count: 1,
  }]);
  const ce = await world.search("ampliamento ", { type: "CE", status: "issued" });
  assert.deepEqual(ce.hits.map((h) => h.id).sort(), ["a", "c"]);
  assert.deepEqual(ce.facets.type.map((f) => [f.value, f.count]), [["CE", 2], ["PDC", 1]]);
  assert.deepEqual(ce.facets.status.map((f) => [f.value, f.count]), [["issued", 2], [
    "refused",
    1,
  ]]);
});

Deno.test("filters by kind, decade, year range, locality, act kind and office", async () => {
  await using world = await createSearchWorld(RECORDS);
  assert.deepEqual(await world.ids("ampliamento ", { kind: "act" }), ["x"]);
  assert.deepEqual((await world.ids("ampliamento ", { decade: "1980" })).sort(), ["a", "b", "c"]);
  assert.deepEqual(await world.ids("ampliamento ", { year_from: "1960", year_to: "1970" }), ["e"]);
  assert.deepEqual(await world.ids("", { locality: "Case Nuove" }), ["c"]);
  assert.deepEqual(await world.ids("", { act_kind: "determina", office: "Ufficio tecnico" }), [
    "x",
  ]);
});

Deno.test("sorting by number orders series, year and numbers numerically (9 < 10 < 10/bis)", async () => {
  await using world = await createSearchWorld(RECORDS);
  assert.deepEqual(await world.ids("ampliamento ", { sort: "number", type: "CE" }), [
    "b",
    "a",
    "c",
  ]);
  const all = await world.ids("ampliamento ", { sort: "number" });
  assert.deepEqual(all, ["e", "d", "b", "a", "c", "x"]);
});

Deno.test("relevance ties are ordered newest first, and pages split the results", async () => {
  await using world = await createSearchWorld(RECORDS);
  assert.deepEqual(await world.ids("ampliamento "), ["x", "d", "c", "b", "a", "e"]);
  const p1 = await world.search("ampliamento ", { per_page: "4", page: "1" });
  const p2 = await world.search("ampliamento ", { per_page: "4", page: "2" });
  assert.deepEqual(p1.hits.map((h) => h.id), ["x", "d", "c", "b"]);
  assert.deepEqual(p2.hits.map((h) => h.id), ["a", "e"]);
  assert.equal(p2.total, 6);
  await assert.rejects(
    world.search("ampliamento ", { per_page: "4", page: "3" }),
    SearchInputError,
  );
});

Deno.test("bad parameters are refused with a message saying what to do", () => {
  const bad: Record<string, string>[] = [
    { type: "XYZ" },
    { status: "foo" },
    { page: "0" },
    { per_page: "101" },
    { q: "x".repeat(201) },
    { kind: "people" },
    { act_kind: "ordinanza" },
    { decade: "1985" },
    { sort: "date" },
  ];
  for (const params of bad) {
    assert.throws(() => parseSearchParams(new URLSearchParams(params), VOCAB), (err) => {
      assert.ok(err instanceof SearchInputError);
      assert.ok(err.message.length > 10);
      return true;
    }, JSON.stringify(params));
  }
});

Deno.test("an unknown locality or office is refused", async () => {
  await using world = await createSearchWorld(RECORDS);
  await assert.rejects(world.search("", { locality: "Atlantide" }), SearchInputError);
  await assert.rejects(world.search("", { office: "Nessuno" }), SearchInputError);
});

Deno.test("applyRecordChanges updates and removes records in the index", async () => {
  await using world = await createSearchWorld(RECORDS);
  assert.deepEqual(await world.ids("stalla "), ["e"]);
  await world.db.transaction(async (tx) => {
    await upsertRecord(
      tx,
      dossier({
        id: "e",
        type: "LE",
        series: "LE",
        number: "3",
        year: 1968,
        subject: "Demolizione fienile",
      }),
      SEARCH_NOW,
    );
    await upsertRecord(
      tx,
      dossier({ id: "f", number: "77", year: 1999, subject: "Nuovo fienile" }),
      SEARCH_NOW,
    );
    await deleteRecord(tx, "dossier", "a", SEARCH_NOW);
  });
  await applyRecordChanges(world.db, world.index, [
    { kind: "dossier", id: "e" },
    { kind: "dossier", id: "f" },
    { kind: "dossier", id: "a" },
  ]);
  assert.deepEqual(await world.ids("stalla "), []);
  assert.deepEqual(await world.ids("fienile "), ["f", "e"]);
  assert.deepEqual(await world.ids("77/1999"), ["f"]);
  assert.equal((await world.search("ampliamento ")).total, 4);
  assert.deepEqual(await world.ids("10/1985"), []);
  assert.equal(world.index.state().indexed, 6);
});

Deno.test("the most frequent words are ranked ahead of time, and answers stay correct", async () => {
  await using world = await createSearchWorld(RECORDS);
  const key = rankedKey(world.index, "ampliamento ", "public");
  assert.equal(world.index.cache.get(key), undefined, "the build itself ranks nothing");
  await warmFrequentWords(world.index);
  assert.ok(world.index.cache.get(key), "warmed when the composition asks");
  assert.equal((await world.search("ampliamento ")).total, 6);
  assert.equal((await world.search("ampliamento")).total, 6);
});

Deno.test("after the warm-up, the first common words take stocked stores for their hits", async () => {
  const records = Array.from({ length: 6_000 }, (_, i) =>
    dossier({
      id: `w${i}`,
      number: String(i + 1),
      year: 1980 + (i % 40),
      subject: i % 5 === 0 ? "recinzione" : "ampliamento fabbricato",
    }));
  await using world = await createSearchWorld(records);
  await warmFrequentWords(world.index);
  const pool = world.index.cache.pool;
  const stocked = pool.freeBytes;
  // The pairs ranked to grow the matcher's scratch are not kept.
  for (const q of ["ampliamento fabbricato ", "fabbricato ampliamen"]) {
    assert.equal(world.index.cache.get(rankedKey(world.index, q, "public")), undefined, q);
  }
  // 4,800 hits: 19,200 bytes of doc numbers, a 32 KiB store, eight of them (the ranks,
  // 9,600 bytes, are under the pooled size: V8's own).
  assert.equal(stocked, 8 * 32_768);
  // A typo: a query the warm-up did not rank, over the same list.
  assert.equal((await world.search("ampliamentp")).total, 4_800);
  assert.equal(pool.freeBytes, stocked - 32_768, "its doc numbers took a stocked store");
});

Deno.test("a word held by one record is found on a second record added later", async () => {
  await using world = await createSearchWorld(RECORDS);
  assert.deepEqual(await world.ids("stalla "), ["e"]);
  await world.db.transaction((tx) =>
    upsertRecord(
      tx,
      dossier({ id: "g", number: "88", year: 2020, subject: "Ampliamento stalla" }),
      SEARCH_NOW,
    )
  );
  await applyRecordChanges(world.db, world.index, [{ kind: "dossier", id: "g" }]);
  assert.deepEqual(await world.ids("stalla "), ["g", "e"]);
  assert.deepEqual(await world.ids("stalle "), ["g", "e"]);
});

Deno.test("ranking a query reads the index and never adds to it", async () => {
  await using world = await createSearchWorld(RECORDS, { build: false });
  const before = world.index.state().indexed;
  const lookup = await lookupIdentifiers(
    (keys) => readSearchKeys(world.db, keys),
    "CE 10/1985",
    2026,
  );
  assert.ok(lookup, "the identifier is in search_keys before any build");
  // The record is not indexed yet: ranking alone finds nothing and writes nothing.
  const hits = rankQuery(world.index, "CE 10/1985", "public", lookup);
  assert.equal(hits.docs.length, 0);
  assert.equal(world.index.state().indexed, before);
  // The search indexes what the lookup found first, then ranks: identifier answers at boot.
  assert.deepEqual(await world.ids("CE 10/1985"), ["a"]);
});

Deno.test("the frequent words' warm-up never evicts a word it warmed, and keeps the most frequent last to go", async () => {
  // Five words, each in fewer records than the one before.
  const words = ["ampliamento", "fabbricato", "tettoia", "recinzione", "piscina"];
  const records = Array.from({ length: 8 }, (_, i) =>
    dossier({
      id: `w${i}`,
      number: String(100 + i),
      subject: words.filter((_, k) => i < 8 - 2 * k || (k === 4 && i < 1)).join(" "),
    }));
  await using world = await createSearchWorld(records);
  const { index } = world;
  const one = rankedBytes(rankText(index, "ampliamento ", "public"));
  // Room for four or five rankings of about this size: fewer than the warm-up would make.
  const budget = Math.floor(one * 4.5);
  (index as { cache: QueryCache }).cache = new QueryCache(500, budget);
  await warmFrequentWords(index);
  assert.ok(index.cache.weight <= budget, `${index.cache.weight} of ${budget}`);
  const warmed = index.cache.size;
  assert.ok(warmed >= 4, `${warmed} warmed`);
  // Searches that fill the cache push out the less frequent warmed words first: the most
  // frequent, ranked first, was made the most recent.
  for (const q of ["piscina ", "recinzione "]) {
    index.cache.set(rankedKey(index, q, "public"), rankText(index, q, "public"));
  }
  assert.ok(index.cache.size < warmed + 2, "the searches evicted some warmed words");
  assert.ok(index.cache.get(rankedKey(index, "ampliamento", "public")), "kept");
  assert.ok(index.cache.get(rankedKey(index, "ampliamento ", "public")), "kept");
});
