/**
 * The one search box: rank (cached per query), filter and count facets on typed columns,
 * then read only the page's records from the DB and project them for the audience.
 */
import type { Db } from "../db/client.ts";
import { readHitRecords } from "./hit_reader.ts";
import { compareByNumber, type DocTable } from "./doc_table.ts";
import { filterAndCount } from "./facets.ts";
import { cardHit, type HitCard, hitCard } from "./hit_card.ts";
import type { FilteredView, RankedHits } from "./query_cache.ts";
import { type Audience, rankedKey, rankQuery } from "./rank_query.ts";
import type { RecordIndex } from "./record_index.ts";
import { type PublicHit, SearchInputError, type SearchParams, type SearchResult } from "./types.ts";

const MATCHED_BY = ["text", "address", "identifier"] as const;

/** Search for `params` as `audience` sees the archive (public: no people, no restricted). */
export async function searchRecords(
  db: Db,
  index: RecordIndex,
  params: SearchParams,
  audience: Audience,
  clock: () => Date,
): Promise<SearchResult> {
  const q = params.q.replace(/\s+/g, " ").trimStart();
  let ranked = index.cache.get(rankedKey(index, q, audience));
  if (!ranked) {
    ranked = q.trim() === ""
      ? allRecords(index, audience)
      : await rankQuery(db, index, q, audience, clock().getUTCFullYear());
    // Keyed after ranking: finding an identifier at boot may have added a record.
    index.cache.set(rankedKey(index, q, audience), ranked);
  }
  const start = (params.page - 1) * params.perPage;
  const view = filteredView(index, ranked, params, start + params.perPage);
  const { order, orderIndex, facets } = view;
  const total = order.length;
  const lastPage = Math.max(1, Math.ceil(total / params.perPage));
  if (params.page > lastPage) {
    throw new SearchInputError(
      "page",
      `La pagina ${params.page} non esiste: i risultati arrivano a pagina ${lastPage}`,
    );
  }
  const pageDocs = Array.from(order.subarray(start, start + params.perPage));
  const cards = await readCards(db, index, pageDocs, audience);
  const stemOf = (w: string) => index.publicText.stemOf(w);
  const matched = { words: new Set(ranked.highlights), stems: new Set<string>() };
  for (const w of ranked.highlights) matched.stems.add(stemOf(w));
  const hits: PublicHit[] = [];
  pageDocs.forEach((d, i) => {
    const card = cards.get(d);
    if (!card) return;
    const position = orderIndex ? orderIndex[start + i] ?? 0 : start + i;
    const how = MATCHED_BY[ranked.matchedBy[position] ?? 0] ?? "text";
    hits.push(cardHit(card, how, matched, stemOf));
  });
  return {
    total,
    page: params.page,
    perPage: params.perPage,
    hits,
    facets,
    ...(ranked.interpretation ? { interpretation: ranked.interpretation } : {}),
  };
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
  need: number,
): FilteredView {
  const key = JSON.stringify([
    params.kind,
    params.types,
    params.decade,
    params.yearFrom,
    params.yearTo,
    params.locality,
    params.status,
    params.actKind,
    params.office,
    params.sort,
  ]);
  const views = ranked.views ?? new Map<string, FilteredView>();
  ranked.views = views;
  let view = views.get(key) ?? viewOf(index.table, ranked, params);
  if (view.ordered < Math.min(need, view.order.length) && ranked.orderRest) {
    // A page beyond the hits ordered at once: order the rest, for every view of the query.
    ranked.orderRest();
    views.clear();
    view = viewOf(index.table, ranked, params);
  }
  if (!views.has(key)) {
    if (views.size >= MAX_VIEWS) views.clear();
    views.set(key, view);
  }
  return view;
}

function viewOf(t: DocTable, ranked: RankedHits, params: SearchParams): FilteredView {
  const { kept, keptIndex, facets } = filterAndCount(t, ranked.docs, params);
  if (params.sort === "number") {
    const positions = Array.from(kept.keys()).sort((a, b) =>
      compareByNumber(t, kept[a] ?? 0, kept[b] ?? 0)
    );
    return {
      order: Int32Array.from(positions, (p) => kept[p] ?? 0),
      orderIndex: Int32Array.from(positions, (p) => keptIndex ? keptIndex[p] ?? 0 : p),
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
  return { order: kept, ...(keptIndex ? { orderIndex: keptIndex } : {}), ordered, facets };
}

/** Every record the audience may see, newest first (an empty box with filters). */
function allRecords(index: RecordIndex, audience: Audience) {
  const t = index.table;
  const alive = audience === "public" ? t.publicAlive : t.clerkAlive;
  // year × 2^23 + doc number, sorted natively: 300k records in milliseconds, no comparator.
  const keys: number[] = [];
  for (let d = 0; d < t.size; d++) if (alive[d] === 1) keys.push((t.year[d] ?? 0) * 2 ** 23 + d);
  const sorted = Float64Array.from(keys).sort();
  const docs = new Int32Array(sorted.length);
  for (let i = 0; i < docs.length; i++) docs[i] = (sorted[sorted.length - 1 - i] ?? 0) % 2 ** 23;
  return { docs, matchedBy: new Uint8Array(docs.length), ordered: docs.length, highlights: [] };
}

/** The cards of a page's records, from the index's recent cards or one DB read per kind. */
async function readCards(
  db: Db,
  index: RecordIndex,
  docNos: number[],
  audience: Audience,
): Promise<Map<number, HitCard>> {
  const out = new Map<number, HitCard>();
  const slot = (d: number) => d * 2 + (audience === "clerk" ? 1 : 0);
  const missing: number[] = [];
  for (const d of docNos) {
    const card = index.cards.get(slot(d));
    if (card) out.set(d, card);
    else missing.push(d);
  }
  for (const kind of ["dossier", "act"] as const) {
    const want = missing.filter((d) => (index.table.kind[d] === 1) === (kind === "act"));
    if (want.length === 0) continue;
    const byId = new Map(want.map((d) => [index.table.ids[d] ?? "", d]));
    for (const doc of await readHitRecords(db, kind, [...byId.keys()])) {
      const d = byId.get(doc.id);
      const card = d === undefined ? undefined : hitCard(doc, audience);
      if (d === undefined || !card) continue;
      out.set(d, card);
      index.cards.set(slot(d), card);
    }
  }
  return out;
}
