/**
 * The one search box: a page of a recent answer (answer_cache.ts), or else rank (cached per
 * query), filter and count facets on typed columns; then read only the page's records from
 * the DB and project them for the audience.
 */
import type { Db } from "../db/client.ts";
import { type Answer, answerKey, answerOfView, covers, viewKeyOf } from "./answer_cache.ts";
import { type CardReader, inThreadCardReader } from "./card_reader.ts";
import { compareByNumber, type DocTable } from "./doc_table.ts";
import { filterAndCount } from "./facets.ts";
import { cardHit, type HitCard } from "./hit_card.ts";
import {
  type FilteredView,
  type HitListPool,
  type RankedHits,
  releaseViews,
} from "./query_cache.ts";
import { lookupIdentifiers, rankedKey, rankQuery } from "./rank_query.ts";
import { matchedByOf, UNSCORED_RANK } from "./ranking.ts";
import { orderHits } from "./ranked_order.ts";
import { indexFoundRecords, type RecordIndex } from "./record_index.ts";
import {
  type Audience,
  type PublicHit,
  SearchInputError,
  type SearchParams,
  type SearchResult,
  type StepMarks,
} from "./types.ts";

/**
 * Search for `params` as `audience` sees the archive (public: no people, no restricted).
 * The page's cards not in the index's recent ones are read by `cardReader` (a worker's, see
 * card_reader.ts), or else on this thread. `steps` is told as each step ends.
 */
export async function searchRecords(
  db: Db,
  index: RecordIndex,
  params: SearchParams,
  audience: Audience,
  clock: () => Date,
  cardReader?: CardReader,
  steps?: StepMarks,
): Promise<SearchResult> {
  const q = params.q.replace(/\s+/g, " ").trimStart();
  const start = (params.page - 1) * params.perPage;
  const end = start + params.perPage;
  const viewKey = viewKeyOf(params);
  // A page within the cached top of this query and view needs no ranking, filter nor facet
  // count; its key holds the index version, so it is never an answer from before a change.
  const reader = cardReader ?? inThreadCardReader(db);
  let answer: Answer | undefined = index.answers.get(
    answerKey(rankedKey(index, q, audience), viewKey),
  );
  if (!answer || !covers(answer, start, end)) {
    answer = await rankedAnswer(db, reader, index, q, params, audience, clock, viewKey, end, steps);
  }
  const { order, rank, total, facets } = answer;
  const lastPage = Math.max(1, Math.ceil(total / params.perPage));
  if (params.page > lastPage) {
    const page = params.page;
    throw new SearchInputError("page", (t) => t.misc.searchInput.pastLastPage(page, lastPage));
  }
  // Copied before the await: the lists may be a cached query's, whose stores go back to the
  // pool for another query's lists when it leaves the cache (query_cache.ts HitListPool).
  const pageDocs = Array.from(order.subarray(start, end));
  const pageRanks = Array.from(rank.subarray(start, end));
  const cards = await readCards(reader, index, pageDocs, audience);
  steps?.mark("cards");
  const stemOf = (w: string) => index.publicText.stemOf(w);
  const matched = { words: new Set(answer.highlights), stems: new Set<string>() };
  for (const w of answer.highlights) matched.stems.add(stemOf(w));
  const hits: PublicHit[] = [];
  pageDocs.forEach((d, i) => {
    const card = cards.get(d);
    if (!card) return;
    hits.push(cardHit(card, matchedByOf(pageRanks[i] ?? 0), matched, stemOf));
  });
  return {
    total,
    page: params.page,
    perPage: params.perPage,
    hits,
    facets,
    ...(answer.interpretation ? { interpretation: answer.interpretation } : {}),
  };
}

/**
 * The slow path: the query's ranked hits (from the query cache, or ranked now), its view
 * ordered at least up to `need`, kept in the answer cache for the next time.
 */
async function rankedAnswer(
  db: Db,
  reader: CardReader,
  index: RecordIndex,
  q: string,
  params: SearchParams,
  audience: Audience,
  clock: () => Date,
  viewKey: string,
  need: number,
  steps?: StepMarks,
): Promise<Answer> {
  let ranked = index.cache.get(rankedKey(index, q, audience));
  if (!ranked) {
    if (q.trim() === "") {
      ranked = allRecords(index, audience);
    } else {
      const identifiers = await lookupIdentifiers(
        (keys) => reader.findKeys(keys),
        q,
        clock().getUTCFullYear(),
        index.table.actKindTitles,
      );
      // At boot the build may not have reached what the lookup found: indexed first, so
      // identifier queries answer at once; ranking then only reads the index.
      if (identifiers) await indexFoundRecords(db, index, identifiers.rows);
      steps?.mark("lookup");
      ranked = rankQuery(index, q, audience, identifiers);
    }
    index.counters.rankings++;
    // Keyed after ranking: finding an identifier at boot may have added a record. The
    // cache keeps (and this request goes on with) a copy in its pooled stores.
    ranked = index.cache.keep(rankedKey(index, q, audience), ranked);
    steps?.mark("rank");
  }
  // From here to the return nothing awaits: the key's version is the one ranked against.
  const view = filteredView(index, ranked, params, viewKey, need);
  const answer = answerOfView(ranked, view);
  index.answers.keep(answerKey(rankedKey(index, q, audience), viewKey), answer, view.ordered);
  steps?.mark("view");
  return answer;
}

const MAX_VIEWS = 16;

/**
 * The hits after the filters and sort of `params`, from the query's recent views if there,
 * with at least the first `need` in final order.
 */
function filteredView(
  index: RecordIndex,
  ranked: RankedHits,
  params: SearchParams,
  key: string,
  need: number,
): FilteredView {
  const views = ranked.views ?? new Map<string, FilteredView>();
  ranked.views = views;
  let view = views.get(key);
  if (!view) {
    view = viewOf(index.table, ranked, params, index.cache.pool);
    index.counters.views++;
  }
  if (view.ordered < Math.min(need, view.order.length)) {
    // A page past the hits in order: order more of this view's own hits (a filter keeps
    // few of the query's top 1,000), from their ranks, without ranking the query again.
    view.ordered = orderHits(
      view.order,
      view.rank,
      index.table.year,
      Math.max(need, index.orderedAtOnce),
    );
    // The unfiltered view shares the query's arrays: they are now ordered that far too.
    if (view.order === ranked.docs) ranked.ordered = view.ordered;
  }
  if (!views.has(key)) {
    if (views.size >= MAX_VIEWS) {
      releaseViews(index.cache.pool, views.values(), ranked);
      views.clear();
    }
    views.set(key, view);
  }
  return view;
}

function viewOf(
  t: DocTable,
  ranked: RankedHits,
  params: SearchParams,
  pool: HitListPool,
): FilteredView {
  const found = filterAndCount(t, ranked.docs, params);
  const { keptIndex, facets } = found;
  let kept = found.kept;
  let rank = ranked.rank;
  if (keptIndex) {
    // The kept hits are scratch of filterAndCount: copied once, at their final size, into
    // the query cache's pooled stores (the view is kept with its query). A plain loop for
    // the ranks: Uint16Array.from with a mapping function goes through the iterator
    // protocol, a call per kept hit.
    kept = pool.copyInt32(kept);
    rank = pool.uint16(keptIndex.length);
    for (let i = 0; i < keptIndex.length; i++) rank[i] = ranked.rank[keptIndex[i] ?? 0] ?? 0;
  }
  if (params.sort === "number") {
    const positions = Array.from(kept.keys()).sort((a, b) =>
      compareByNumber(t, kept[a] ?? 0, kept[b] ?? 0)
    );
    return {
      order: Int32Array.from(positions, (p) => kept[p] ?? 0),
      rank: Uint16Array.from(positions, (p) => rank[p] ?? 0),
      ordered: kept.length,
      facets,
    };
  }
  // Kept hits keep the ranked order: those from its ordered lead are in order.
  let ordered = Math.min(kept.length, ranked.ordered);
  if (keptIndex) {
    ordered = 0;
    while (ordered < keptIndex.length && (keptIndex[ordered] ?? 0) < ranked.ordered) ordered++;
  }
  return { order: kept, rank, ordered, facets };
}

/** Every record the audience may see, newest first (an empty box with filters). */
function allRecords(index: RecordIndex, audience: Audience): RankedHits {
  const t = index.table;
  const alive = audience === "public" ? t.publicAlive : t.clerkAlive;
  const live: number[] = [];
  for (let d = 0; d < t.size; d++) if (alive[d] === 1) live.push(d);
  const docs = Int32Array.from(live);
  // One rank for all: the year, then the doc number, order them (newest first).
  const rank = new Uint16Array(docs.length).fill(UNSCORED_RANK);
  return {
    docs,
    rank,
    ordered: orderHits(docs, rank, t.year, index.orderedAtOnce),
    highlights: [],
  };
}

/** The cards of a page's records, from the index's recent cards or one DB read per kind. */
async function readCards(
  reader: CardReader,
  index: RecordIndex,
  docNos: number[],
  audience: Audience,
): Promise<Map<number, HitCard>> {
  const out = new Map<number, HitCard>();
  // Held for the whole read: a compaction swapping in renumbered structures during its
  // awaits must not make these doc numbers read another table or fill the new card map.
  const table = index.table, cards = index.cards;
  const slot = (d: number) => d * 2 + (audience === "clerk" ? 1 : 0);
  const missing: number[] = [];
  for (const d of docNos) {
    const card = cards.get(slot(d));
    if (card) out.set(d, card);
    else missing.push(d);
  }
  for (const kind of ["dossier", "act"] as const) {
    const want = missing.filter((d) => (table.kind[d] === 1) === (kind === "act"));
    if (want.length === 0) continue;
    const byId = new Map(want.map((d) => [table.ids[d] ?? "", d]));
    const read = await reader.read(kind, [...byId.keys()], audience, table.actKindTitles);
    for (const card of read) {
      const d = byId.get(card.hit.id);
      if (d === undefined) continue;
      out.set(d, card);
      cards.set(slot(d), card);
    }
  }
  return out;
}
