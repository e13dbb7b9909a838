/**
 * The fused facet pass, the counting selection of the top hits and the single-expansion
 * match, each against a plain, obviously correct reference on seeded random inputs.
 */
import assert from "node:assert/strict";
import { DocTable, KIND_ACT } from "../search/doc_table.ts";
import { filterAndCount } from "../search/facets.ts";
import { orderHits, packKey } from "../search/ranked_order.ts";
import {
  CIVIC_RANK,
  RANK_LIMIT,
  rankOf,
  rarity,
  textScore,
  TIER_CIVIC,
  TIER_STREET,
  TIER_STREET_GUESS,
  TIER_TEXT,
} from "../search/ranking.ts";
import { queryWords, withinOneEdit } from "../search/italian_text.ts";
import { rankQuery } from "../search/rank_query.ts";
import type { RecordIndex } from "../search/record_index.ts";
import { addressReadings } from "../search/street_names.ts";
import { createSearchWorld, dossier } from "./_search_world.ts";
import { TextIndex } from "../search/text_index.ts";
import type { SearchParams } from "../search/types.ts";

/** A deterministic pseudo-random source (LCG), so a failure repeats. */
function random(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return Math.floor((s / 2 ** 32) * n);
  };
}

const TYPES = ["PDC", "SCIA", "DIA", "CIL"];
const STATUSES = ["rilasciata", "archiviata", "negata"];
const LOCALITIES = ["Centro", "Borgo", "Mare", "Colle", "Piano"];
const ACT_KINDS = ["delibera", "determina"];
const OFFICES = ["Edilizia", "Urbanistica", "Ambiente"];

/**
 * A table of `n` records with random columns, some values left none (0). `filed`: each
 * doc's combination of facet values filed too (as the index does), so large hit lists are
 * counted per combination; otherwise column by column.
 */
function randomTable(n: number, r: (n: number) => number, filed: boolean): DocTable {
  const t = new DocTable();
  const pick = (values: string[]) => {
    const i = r(values.length + 1);
    return i === values.length ? undefined : values[i];
  };
  for (let i = 0; i < n; i++) {
    const d = t.allocate();
    t.kind[d] = r(4) === 0 ? KIND_ACT : 0;
    // Years before 1800 and far past today too: the decade slots and key clamps.
    t.year[d] = r(20) === 0 ? 1700 + r(1200) : 1900 + r(125);
    t.type[d] = t.types.code(pick(TYPES));
    t.status[d] = t.statuses.code(pick(STATUSES));
    t.locality[d] = t.localities.code(pick(LOCALITIES));
    t.actKind[d] = t.actKinds.code(pick(ACT_KINDS));
    t.office[d] = t.offices.code(pick(OFFICES));
    if (filed) t.fileFacets(d);
  }
  return t;
}

function randomParams(r: (n: number) => number): SearchParams {
  const maybe = <T>(value: T) => (r(3) === 0 ? value : undefined);
  const p: SearchParams = { q: "x", types: [], sort: "relevance", page: 1, perPage: 20 };
  const kind = maybe(r(2) === 0 ? "act" as const : "dossier" as const);
  if (kind) p.kind = kind;
  if (r(3) === 0) p.types = TYPES.filter(() => r(2) === 0);
  const decade = maybe(1900 + 10 * r(13));
  if (decade !== undefined) p.decade = decade;
  const yearFrom = maybe(1900 + r(125));
  if (yearFrom !== undefined) p.yearFrom = yearFrom;
  const yearTo = maybe(1900 + r(125));
  if (yearTo !== undefined) p.yearTo = yearTo;
  const locality = maybe(LOCALITIES[r(LOCALITIES.length)] ?? "");
  if (locality !== undefined) p.locality = locality;
  // A status no record holds too: nothing passes it.
  const status = maybe([...STATUSES, "sconosciuto"][r(STATUSES.length + 1)] ?? "");
  if (status !== undefined) p.status = status;
  const actKind = maybe(ACT_KINDS[r(ACT_KINDS.length)] ?? "");
  if (actKind !== undefined) p.actKind = actKind;
  const office = maybe(OFFICES[r(OFFICES.length)] ?? "");
  if (office !== undefined) p.office = office;
  return p;
}

/** The reference: each facet counted over the hits passing every other filter, by Maps. */
function referenceCounts(t: DocTable, docs: Int32Array, p: SearchParams) {
  const value = {
    kind: (d: number) => (t.kind[d] === KIND_ACT ? "act" : "dossier"),
    type: (d: number) => t.types.values[t.type[d] ?? 0] ?? "",
    decade: (d: number) => {
      const y = t.year[d] ?? 0;
      return y < 1800 ? "1800" : String(1800 + 10 * Math.floor((y - 1800) / 10));
    },
    locality: (d: number) => t.localities.values[t.locality[d] ?? 0] ?? "",
    status: (d: number) => t.statuses.values[t.status[d] ?? 0] ?? "",
    actKind: (d: number) => t.actKinds.values[t.actKind[d] ?? 0] ?? "",
    office: (d: number) => t.offices.values[t.office[d] ?? 0] ?? "",
  };
  type Facet = keyof typeof value;
  const passes: Record<Facet, (d: number) => boolean> = {
    kind: (d) => p.kind === undefined || value.kind(d) === p.kind,
    type: (d) => p.types.length === 0 || p.types.includes(value.type(d)),
    decade: (d) =>
      p.decade === undefined || ((t.year[d] ?? 0) >= p.decade && (t.year[d] ?? 0) < p.decade + 10),
    locality: (d) => p.locality === undefined || value.locality(d) === p.locality,
    status: (d) => p.status === undefined || value.status(d) === p.status,
    actKind: (d) => p.actKind === undefined || value.actKind(d) === p.actKind,
    office: (d) => p.office === undefined || value.office(d) === p.office,
  };
  const facets = Object.keys(value) as Facet[];
  const inYears = (d: number) =>
    (t.year[d] ?? 0) >= (p.yearFrom ?? -Infinity) && (t.year[d] ?? 0) <= (p.yearTo ?? Infinity);
  const kept = Array.from(docs).filter((d) => inYears(d) && facets.every((f) => passes[f](d)));
  const counts: Record<string, [string, number][]> = {};
  for (const f of facets) {
    const m = new Map<string, number>();
    for (const d of docs) {
      if (!inYears(d) || !facets.every((g) => g === f || passes[g](d))) continue;
      const v = value[f](d);
      // "none" is not a facet value, nor the first decade slot (1800–1809 and before, slot 0
      // as "none" is) nor one past the counted slots: as before the fused pass.
      if (v === "" || (f === "decade" && (Number(v) < 1810 || Number(v) >= 1800 + 640))) continue;
      m.set(v, (m.get(v) ?? 0) + 1);
    }
    counts[f] = [...m].sort((a, b) => a[0].localeCompare(b[0]));
  }
  return { kept, counts };
}

/** filterAndCount on random hit lists and filters of `t`, each against the reference. */
function checkAgainstReference(t: DocTable, r: (n: number) => number, rounds: number): void {
  for (let round = 0; round < rounds; round++) {
    const docs = Int32Array.from({ length: r(3_000) }, () => r(t.size));
    const p = round % 10 === 0 ? randomParams(() => 1) : randomParams(r);
    const got = filterAndCount(t, docs, p);
    const want = referenceCounts(t, docs, p);
    assert.deepEqual(Array.from(got.kept), want.kept, `round ${round} kept`);
    if (got.keptIndex) {
      assert.deepEqual(Array.from(got.keptIndex, (i) => docs[i]), want.kept);
    } else assert.equal(got.kept, docs, "nothing filtered: the hits themselves");
    for (const [facet, list] of Object.entries(got.facets)) {
      const pairs = list.map((c) => [c.value, c.count] as [string, number])
        .sort((a, b) => a[0].localeCompare(b[0]));
      assert.deepEqual(pairs, want.counts[facet], `round ${round} facet ${facet}`);
    }
  }
}

Deno.test("facet counts and filtered hits of one fused pass equal a per-facet reference", () => {
  const r = random(1977);
  checkAgainstReference(randomTable(3_000, r, false), r, 300);
});

Deno.test("facet counts and filtered hits per combination of values equal the same reference", () => {
  const r = random(1984);
  const t = randomTable(3_000, r, true);
  assert.equal(t.facetsFiled, t.size);
  // Random years make most records a combination of their own (about 2,000 here): hit lists
  // from about 500 on are counted per combination, shorter ones column by column.
  assert.ok(t.combos.size > 1_000 && t.combos.size < 3_000, `${t.combos.size} combinations`);
  checkAgainstReference(t, r, 300);
  // Few combinations (two years, each value in step with another): nearly every list is
  // counted per combination.
  const few = new DocTable();
  for (let i = 0; i < 2_000; i++) {
    const d = few.allocate();
    few.kind[d] = i % 2 === 0 ? KIND_ACT : 0;
    few.year[d] = i % 3 === 0 ? 1957 : 1799;
    few.type[d] = few.types.code(TYPES[r(TYPES.length)]);
    few.status[d] = few.statuses.code(STATUSES[i % STATUSES.length]);
    few.locality[d] = few.localities.code(LOCALITIES[i % LOCALITIES.length]);
    few.actKind[d] = few.actKinds.code(ACT_KINDS[i % ACT_KINDS.length]);
    few.office[d] = few.offices.code(OFFICES[i % OFFICES.length]);
    few.fileFacets(d);
  }
  assert.ok(few.combos.size < 500, `${few.combos.size} combinations`);
  checkAgainstReference(few, r, 100);
});

Deno.test("the top k by counting ranks and years equal a plain sort, ties and all", () => {
  const r = random(42);
  for (let round = 0; round < 200; round++) {
    const n = 1 + r(20_000);
    const k = 1 + r(round % 2 === 0 ? 1_000 : 50);
    // Few ranks and years (many ties at the threshold) or many of both.
    const ranks = [1, 2, 30, RANK_LIMIT][r(4)] ?? 1;
    const years = [1, 3, 200, 1_500][r(4)] ?? 1;
    const year = Int16Array.from({ length: n }, () => 1700 + r(years));
    const docs = Int32Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = r(i + 1);
      [docs[i], docs[j]] = [docs[j] ?? 0, docs[i] ?? 0];
    }
    const rankOfDoc = Uint16Array.from({ length: n }, () => RANK_LIMIT - 1 - r(ranks));
    const rank = Uint16Array.from(docs, (d) => rankOfDoc[d] ?? 0);
    const keyOf = (d: number) => packKey(rankOfDoc[d] ?? 0, year[d] ?? 0, d);
    const expected = Array.from(docs, keyOf).sort((a, b) => b - a);
    const ordered = orderHits(docs, rank, year, k);
    assert.equal(ordered, n <= k * 4 ? n : k, `round ${round}`);
    assert.deepEqual(Array.from(docs.subarray(0, ordered), keyOf), expected.slice(0, ordered));
    assert.ok(Array.from(docs).every((d, i) => rank[i] === rankOfDoc[d]), "ranks move with docs");
    assert.deepEqual(Array.from(docs, keyOf).sort((a, b) => b - a), expected, "each hit once");
  }
});

Deno.test("one word with one expansion scores as the general matcher does", () => {
  const r = random(7);
  const index = new TextIndex();
  const alive = new Uint8Array(5_000);
  for (let d = 0; d < alive.length; d++) {
    alive[d] = r(5) === 0 ? 0 : 1;
    const words = ["zzcommon"];
    if (r(50) === 0) words.push("zzrare");
    if (r(3) === 0) words.push(`zz${r(400)}`);
    index.add(d, words);
  }
  index.pack();
  for (const word of ["zzcommon", "zzrare", "zz17", "zz399", "zzmissing"]) {
    const one = index.match([{ word, partial: false }], alive);
    const got = { docs: Array.from(one.docs), scores: Array.from(one.scores), words: one.words };
    // The same word twice goes through the general path: AND of a list with itself, the
    // mean of two equal scores.
    const twice = index.match([{ word, partial: false }, { word, partial: false }], alive);
    assert.deepEqual(got, {
      docs: Array.from(twice.docs),
      scores: Array.from(twice.scores),
      words: twice.words,
    });
    assert.ok(got.docs.every((d) => alive[d] === 1), `${word}: only live documents`);
  }
});

/**
 * The reference for a query's hits: every address and text hit packed into a sort key, the
 * larger key kept per document (as ranking did before text hits took the address hits'
 * keys), all of them sorted.
 */
function referenceKeys(index: RecordIndex, q: string): number[] {
  const alive = index.table.publicAlive, year = index.table.year;
  const best = new Map<number, number>();
  const offer = (d: number, rank: number) => {
    const key = packKey(rank, year[d] ?? 0, d);
    if (!((best.get(d) ?? -1) >= key)) best.set(d, key);
  };
  for (const reading of addressReadings(q)) {
    index.streets.find(reading, alive, (d, civicRank, streetScore, exact) => {
      const tier = !exact
        ? TIER_STREET_GUESS
        : civicRank === CIVIC_RANK.exact
        ? TIER_CIVIC
        : TIER_STREET;
      offer(d, rankOf(tier, streetScore * civicRank));
    });
  }
  const found = index.publicText.match(queryWords(q), alive);
  for (let i = 0; i < found.docs.length; i++) {
    offer(found.docs[i] ?? 0, rankOf(TIER_TEXT, found.scores[i] ?? 0));
  }
  return [...best.values()].sort((a, b) => b - a);
}

Deno.test("words that also name a street rank as when every hit carried a sort key", async () => {
  const r = random(2024);
  const streets = [
    "Via Sandro Pertini",
    "Via Nuova",
    "Località Piano",
    "Via Roma",
    "Via Po",
    "Via Dante Alighieri",
  ];
  const subjects = [
    "pertinenza del fabbricato",
    "nuova costruzione",
    "piano di recupero",
    "ampliamento al piano terra",
    "via nuova di accesso",
    "recinzione",
    // Completions of the same beginnings: one word through several lists (in runs).
    "nuove opere interne",
    "pianerottolo comune",
    "pianta organica",
  ];
  const records = Array.from({ length: 600 }, (_, i) =>
    dossier({
      id: `d${i}`,
      number: String(i + 1),
      // Few years: many ties on rank and year at the threshold of the top.
      year: 1990 + r(4),
      subject: `${subjects[r(subjects.length)]} ${r(2) === 0 ? "sandro" : ""}`,
      addresses: r(3) === 0 ? [] : [{
        street: streets[r(streets.length)] ?? "",
        civic: String(1 + r(15)),
      }],
    }));
  // A word of a street in subjects of dossiers with no address: text hits below the street's.
  for (let i = 0; i < 30; i++) {
    records.push(dossier({
      id: `m${i}`,
      number: String(1000 + i),
      year: 1990 + r(4),
      subject: "busto di alighieri",
      addresses: [],
    }));
  }
  // A small top (5): the counting selection runs, not only the sort of short lists.
  await using world = await createSearchWorld(records, { orderedAtOnce: 5 });
  const { index } = world;
  const year = index.table.year;
  for (
    const q of [
      "perti",
      "pertini",
      "nuova",
      "nuova ",
      "nuov",
      "piano",
      "pian",
      "via nuova 3",
      "roma 12",
      "po",
      "dante",
      "alighieri",
    ]
  ) {
    const got = rankQuery(index, q, "public", undefined);
    const want = referenceKeys(index, q);
    const keys = Array.from(got.docs, (d, i) => packKey(got.rank[i] ?? 0, year[d] ?? 0, d));
    assert.ok(want.length > 0, `${q}: the case has hits`);
    // At least the top 5 in order (a part of the hits that holds the top may be ordered whole).
    assert.ok(got.ordered >= Math.min(5, want.length), `${q}: ordered ${got.ordered}`);
    assert.deepEqual(keys.slice(0, got.ordered), want.slice(0, got.ordered), `${q}: the top`);
    assert.deepEqual(keys.sort((a, b) => b - a), want, `${q}: each hit once, its best rank`);
  }
});

Deno.test("one word with several expansions scores as the general matcher does", () => {
  const r = random(11);
  const index = new TextIndex();
  const alive = new Uint8Array(6_000);
  // Stems, completions and one-typo neighbours of each other: several expansions a word.
  const vocabulary = [
    "costruzione",
    "costruzioni",
    "costruzion",
    "costruttore",
    "pertinenza",
    "pertinenze",
    "pertinente",
    "ampliamento",
    "ampliamenti",
    "ampliamneto",
  ];
  for (let d = 0; d < alive.length; d++) {
    alive[d] = r(6) === 0 ? 0 : 1;
    const words = vocabulary.filter(() => r(4) === 0);
    if (r(2) === 0) words.push(`zz${r(300)}`);
    index.add(d, words);
  }
  index.pack();
  const queries = [
    { word: "costruzione", partial: false },
    { word: "costru", partial: true },
    { word: "pertinenze", partial: false },
    { word: "pertin", partial: true },
    { word: "ampliamento", partial: true },
  ];
  for (const q of queries) {
    assert.ok(index.expand(q).length > 1, `${q.word}: several expansions`);
    const scored = (found: ReturnType<TextIndex["match"]>) => ({
      scores: new Map(Array.from(found.docs, (d, i) => [d, found.scores[i]])),
      words: found.words,
    });
    const got = scored(index.match([q], alive));
    // The same word twice: several words (counts, sums, the mean of two equal scores), its
    // lists merged into ascending candidates; the docs come in another order.
    const twice = scored(index.match([q, q], alive));
    assert.deepEqual(got, twice, q.word);
    assert.ok(got.scores.size > 100, `${q.word}: the case has hits`);
    assert.ok([...got.scores.keys()].every((d) => alive[d] === 1), `${q.word}: only live ones`);
  }
});

/** The one-edit rule as first written, with sliced tails: the reference. */
function withinOneEditBySlices(a: string, b: string): boolean {
  const la = a.length, lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a[i] === b[i]) i++;
  if (la === lb) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

Deno.test("the one-edit rule compared in place agrees with the sliced tails", () => {
  const r = random(99);
  // Three letters and short words: equal words, one and two edits, swaps all come up.
  const word = () => Array.from({ length: r(7) }, () => "abc"[r(3)]).join("");
  const edited = (w: string) => {
    const at = r(w.length + 1), letter = "abcd"[r(4)] ?? "a";
    const op = r(4);
    if (op === 0) return w.slice(0, at) + letter + w.slice(at);
    if (op === 1) return w.slice(0, at) + w.slice(at + 1);
    if (op === 2) return w.slice(0, at) + letter + w.slice(at + 1);
    return w.slice(0, at) + (w[at + 1] ?? "") + (w[at] ?? "") + w.slice(at + 2);
  };
  let near = 0;
  for (let round = 0; round < 50_000; round++) {
    const a = word();
    const b = r(2) === 0 ? word() : r(2) === 0 ? edited(a) : edited(edited(a));
    const want = withinOneEditBySlices(a, b);
    if (want) near++;
    assert.equal(withinOneEdit(a, b), want, `${a} ~ ${b}`);
    assert.equal(withinOneEdit(b, a), withinOneEditBySlices(b, a), `${b} ~ ${a}`);
  }
  assert.ok(near > 10_000, "both answers come up");
});

Deno.test("a word alone of its stem is read once, and a stem it shares still finds the other word", () => {
  const index = new TextIndex();
  const alive = new Uint8Array(300).fill(1);
  for (let d = 0; d < 300; d++) {
    // "costruzione" is the only word of its stem; "ampliamento" shares its stem with
    // "ampliamenti".
    index.add(d, d % 3 === 0 ? ["costruzione"] : d % 3 === 1 ? ["ampliamento"] : ["ampliamenti"]);
  }
  index.pack();
  const alone = index.expand({ word: "costruzione", partial: false });
  assert.deepEqual(alone.map((x) => [x.word, x.postings.length]), [["costruzione", 100]]);
  const shared = index.expand({ word: "ampliamento", partial: false });
  assert.ok(shared.length >= 2, "the word and its stem's list");
  const found = index.match([{ word: "ampliamento", partial: false }], alive);
  const scoreOf = new Map(Array.from(found.docs, (d, i) => [d, found.scores[i] ?? 0]));
  assert.equal(scoreOf.size, 200, "both words of the stem");
  assert.ok((scoreOf.get(1) ?? 0) > (scoreOf.get(2) ?? 0), "the word typed ranks above its stem");
  const one = index.match([{ word: "costruzione", partial: false }], alive);
  assert.deepEqual(Array.from(one.docs), Array.from({ length: 100 }, (_, i) => i * 3));
});

Deno.test("words matched along their ascending lists score as when every list is read whole", () => {
  const r = random(23);
  const n = 20_000;
  const alive = Uint8Array.from({ length: n }, () => (r(7) === 0 ? 0 : 1));
  const wordsOf = Array.from({ length: n }, () => {
    const words: string[] = [];
    if (r(10) < 6) words.push("zzcomune");
    if (r(20) === 0) words.push("zzraro");
    if (r(4) === 0) words.push("zzmedio");
    // One typo from "zzmedio" and far rarer: its list may outweigh the word's own.
    if (r(40) === 0) words.push("zzmedia");
    // Two words of one stem: a query word with several lists.
    if (r(3) === 0) words.push(r(2) === 0 ? "ampliamento" : "ampliamenti");
    // Two rare words often together: short lists, walked side by side (no bitmap).
    if (r(300) === 0) words.push("zzpaio", ...(r(2) === 0 ? ["zzcoppia"] : []));
    if (r(400) === 0) words.push("zzcoppia");
    words.push(`zz${r(500)}`);
    return words;
  });
  // Added in doc-number order, the lists ascend and longer ones are galloped through;
  // added from the last doc down, none does, and every list is read whole.
  const ascending = new TextIndex(), descending = new TextIndex();
  for (let d = 0; d < n; d++) ascending.add(d, wordsOf[d] ?? []);
  for (let d = n - 1; d >= 0; d--) descending.add(d, wordsOf[d] ?? []);
  ascending.pack();
  descending.pack();
  const queries = [
    "zzraro zzcomune",
    "zzraro zzmedio zzcomune",
    "zzraro zzmedio",
    "zz17 zzcomune",
    "zzmedio zzcomune",
    "ampliamento zzcomune",
    "zzraro ampliamento",
    "zz3 ampliamenti zzcomune",
    // The rarest word read from several lists, merged into one ascending candidate list.
    "zzcomune ampliam",
    "zzmedio ampliamen",
    "zzpaio zzcoppia",
  ];
  for (const q of queries) {
    const scored = (index: TextIndex) => {
      const found = index.match(queryWords(q), alive);
      return new Map(Array.from(found.docs, (d, i) => [d, found.scores[i]]));
    };
    const got = scored(ascending), want = scored(descending);
    assert.ok(want.size > 0, `${q}: found something`);
    assert.deepEqual(got, want, q);
  }
});

Deno.test("a completion holding all of its stem's documents is reported, not read again", () => {
  const index = new TextIndex();
  const alive = new Uint8Array(400).fill(1);
  alive[7] = 0;
  for (let d = 0; d < 400; d++) {
    // "piscina" is the only word of its stem ("piscin"); "pisa" only shares a prefix.
    index.add(d, d % 4 === 0 ? ["piscina"] : d % 4 === 1 ? ["pisa"] : ["altro"]);
  }
  index.pack();
  for (const q of [{ word: "piscin", partial: true }, { word: "piscin", partial: false }]) {
    const expansions = index.expand(q);
    assert.ok(
      expansions.some((x) => x.word === "piscina" && x.covered),
      "the completion is covered",
    );
    const found = index.match([q], alive);
    // The score every expansion would give, the best of them per document (as when each
    // list was read): here the stem's weight, since its list is every completion's.
    const best = new Map<number, number>();
    for (const x of expansions) {
      const w = Math.fround(x.weight * rarity(alive.length, x.postings.length));
      for (const d of x.postings.ids) if (w > (best.get(d) ?? 0)) best.set(d, w);
    }
    const want = [...best].filter(([d]) => alive[d] === 1).sort((a, b) => a[0] - b[0]);
    const got = Array.from(found.docs, (d, i) => [d, found.scores[i]] as const)
      .sort((a, b) => a[0] - b[0]);
    assert.deepEqual(got, want.map(([d, w]) => [d, textScore(w, 1)]), JSON.stringify(q));
    assert.ok(found.words.includes("piscina"), "its word is still highlighted");
  }
});
