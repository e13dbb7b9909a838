/**
 * The one search box: rank (cached per query), filter and count facets on typed columns,
 * then read only the page's records from the DB and project them for the audience.
 */
import type { Db } from "../db/client.ts";
import { readHitRecords } from "./hit_reader.ts";
import { publicView } from "../domain/public_record.ts";
import type { RecordDoc } from "../domain/records.ts";
import { compareByNumber } from "./doc_table.ts";
import { filterAndCount } from "./facets.ts";
import { ACT_KIND_LABELS, foldText } from "./identifier_keys.ts";
import { stem } from "./italian_text.ts";
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
  const { order, orderIndex, facets } = filteredView(index, ranked, params);
  const total = order.length;
  const lastPage = Math.max(1, Math.ceil(total / params.perPage));
  if (params.page > lastPage) {
    throw new SearchInputError(
      "page",
      `La pagina ${params.page} non esiste: i risultati arrivano a pagina ${lastPage}`,
    );
  }
  const start = (params.page - 1) * params.perPage;
  const pageDocs = Array.from(order.subarray(start, start + params.perPage));
  const pageIndex = Array.from(orderIndex.subarray(start, start + params.perPage));
  const docs = await readPage(db, index, pageDocs);
  const hits: PublicHit[] = [];
  pageDocs.forEach((d, i) => {
    const doc = docs.get(d);
    if (!doc) return;
    const how = MATCHED_BY[ranked.matchedBy[pageIndex[i] ?? 0] ?? 0] ?? "text";
    const hit = toHit(doc, audience, how, ranked.highlights, (w) => index.publicText.stemOf(w));
    if (hit) hits.push(hit);
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

/** The hits after the filters and sort of `params`, from the query's recent views if there. */
function filteredView(index: RecordIndex, ranked: RankedHits, params: SearchParams): FilteredView {
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
  const known = views.get(key);
  if (known) return known;
  const t = index.table;
  const { kept, keptIndex, facets } = filterAndCount(t, ranked.docs, params);
  let view: FilteredView = { order: kept, orderIndex: keptIndex, facets };
  if (params.sort === "number") {
    const positions = Array.from(keptIndex.keys()).sort((a, b) =>
      compareByNumber(t, kept[a] ?? 0, kept[b] ?? 0)
    );
    view = {
      order: Int32Array.from(positions, (p) => kept[p] ?? 0),
      orderIndex: Int32Array.from(positions, (p) => keptIndex[p] ?? 0),
      facets,
    };
  }
  if (views.size >= MAX_VIEWS) views.clear();
  views.set(key, view);
  return view;
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
  return { docs, matchedBy: new Uint8Array(docs.length), highlights: [] };
}

async function readPage(
  db: Db,
  index: RecordIndex,
  docNos: number[],
): Promise<Map<number, RecordDoc>> {
  const out = new Map<number, RecordDoc>();
  const missing: number[] = [];
  for (const d of docNos) {
    const doc = index.shown.get(d);
    if (doc) out.set(d, doc);
    else missing.push(d);
  }
  for (const kind of ["dossier", "act"] as const) {
    const want = missing.filter((d) => (index.table.kind[d] === 1) === (kind === "act"));
    if (want.length === 0) continue;
    const byId = new Map(want.map((d) => [index.table.ids[d] ?? "", d]));
    for (const doc of await readHitRecords(db, kind, [...byId.keys()])) {
      const d = byId.get(doc.id);
      if (d === undefined) continue;
      out.set(d, doc);
      index.shown.set(d, doc);
    }
  }
  return out;
}

/** The words of `text` that the query matched (same fold, same stem or a matched variant). */
function highlightsIn(text: string, matched: string[], stemOf: (w: string) => string): string[] {
  if (matched.length === 0) return [];
  const words = new Set(matched);
  const stems = new Set(matched.map(stemOf));
  const out = new Set<string>();
  for (const raw of text.match(/[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu) ?? []) {
    const f = foldText(raw);
    if (words.has(f) || stems.has(stemOf(f))) out.add(raw);
  }
  return [...out];
}

function cadastralLabel(c: { register: string; sheet: string; parcel: string; sub?: string }) {
  return `${c.register} Fg. ${c.sheet} Part. ${c.parcel}${c.sub ? ` Sub. ${c.sub}` : ""}`;
}

/** One result for the audience; undefined when the public may not see the record. */
export function toHit(
  doc: RecordDoc,
  audience: Audience,
  matchedBy: PublicHit["matchedBy"],
  matched: string[],
  stemOf: (word: string) => string = stem,
): PublicHit | undefined {
  const view = audience === "public" ? publicView(doc) : doc;
  if (!view) return undefined;
  if (view.record === "act") {
    const subject = view.subject;
    return {
      kind: "act",
      id: view.id,
      title: `${ACT_KIND_LABELS[view.kind] ?? view.kind} n. ${view.number}/${view.year}`,
      subject,
      year: view.year,
      addresses: [],
      cadastral: [],
      actKind: view.kind,
      ...(view.office !== undefined ? { office: view.office } : {}),
      date: view.date,
      highlights: highlightsIn(subject, matched, stemOf),
      matchedBy,
    };
  }
  const subject = view.subject ?? "";
  const addressText = view.addresses.map((a) => `${a.street} ${a.civic ?? ""} ${a.locality ?? ""}`)
    .join(" ");
  return {
    kind: "dossier",
    id: view.id,
    title: `${view.type} ${view.number}/${view.year}`,
    subject,
    year: view.year,
    type: view.type,
    status: view.status,
    series: view.series,
    ...(view.protocolNumber !== undefined
      ? {
        protocol: view.protocolDate
          ? `${view.protocolNumber} del ${view.protocolDate}`
          : view.protocolNumber,
      }
      : {}),
    addresses: view.addresses.map((a) => ({
      street: a.street,
      ...(a.civic !== undefined ? { civic: a.civic } : {}),
      ...(a.locality !== undefined ? { locality: a.locality } : {}),
      ...(a.historic ? { historic: true } : {}),
    })),
    cadastral: view.cadastral.map(cadastralLabel),
    highlights: highlightsIn(`${subject} ${addressText}`, matched, stemOf),
    matchedBy,
  };
}
