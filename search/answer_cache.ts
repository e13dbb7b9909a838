/**
 * Recent finished answers: per query and view (filters and sort), the top of the ordered
 * hits, the total, the facet counts, the highlights and the interpretation. A repeated query,
 * or its next pages, is answered from here without ranking, filtering or counting facets,
 * even when its full hit list (0.8 MB for a common word at 1M) has left the query cache.
 *
 * An answer holds doc numbers: its key carries the index version (rankedKey), and every
 * change to the index bumps the version, compaction included (which renumbers the docs), so
 * an answer from before a change is never found again. The cache is also emptied on those
 * changes, to give the memory back at once.
 */
import { LruMap } from "./query_cache.ts";
import type { FilteredView, RankedHits } from "./query_cache.ts";
import type { SearchParams, SearchResult } from "./types.ts";

/** Hits kept in order per answer: 50 pages of 20, the top ranking orders at once. */
export const ANSWER_TOP = 1_000;

/**
 * What a page of a query and view is made of: its hits in display order (all of them on the
 * slow path, the cached top on the fast one), their ranks, and what every page shows.
 */
export interface Answer {
  /** Doc numbers in display order (an answer from the cache: only its top). */
  order: Int32Array;
  /** The rank (tier and score) of each of `order`. */
  rank: Uint16Array;
  total: number;
  facets: SearchResult["facets"];
  highlights: string[];
  interpretation?: string;
}

/** An answer as cached, with its weight in bytes. */
export interface CachedAnswer extends Answer {
  bytes: number;
}

/** The view part of an answer's key: the filters and sort of `params`, not the page. */
export function viewKeyOf(params: SearchParams): string {
  return JSON.stringify([
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
}

/** The key of an answer: the ranked hits' key (audience, index version, query) and the view. */
export function answerKey(rankedKey: string, viewKey: string): string {
  return `${rankedKey}\u0000${viewKey}`;
}

/** The answer a view of `ranked` gives (every hit, the view's own arrays: nothing copied). */
export function answerOfView(ranked: RankedHits, view: FilteredView): Answer {
  return {
    order: view.order,
    rank: view.rank,
    total: view.order.length,
    facets: view.facets,
    highlights: ranked.highlights,
    ...(ranked.interpretation ? { interpretation: ranked.interpretation } : {}),
  };
}

/**
 * Whether `answer` holds the page from hit `start` up to `end`: the hits it keeps cover it,
 * or the page lies past the last hit (the caller then refuses it, knowing the total).
 */
export function covers(answer: Answer, start: number, end: number): boolean {
  return start >= answer.total || Math.min(end, answer.total) <= answer.order.length;
}

/**
 * Recent answers by key, at most `capacity` of them within `budgetBytes`. The defaults: an
 * answer of a common word weighs about 6 KB of top and 1–2 KB of facets, so 16 MB holds some
 * 2,000 of those and the 4,000 entries are reached by smaller ones (rare words, identifiers);
 * the benchmark's 466 distinct queries and their pages fit, where the 48 MB of full hit lists
 * held 60 common words at 1M.
 */
export class AnswerCache extends LruMap<string, CachedAnswer> {
  readonly top: number;

  constructor(capacity = 4_000, budgetBytes = 16 * 2 ** 20, top = ANSWER_TOP) {
    super(capacity, (a) => a.bytes, budgetBytes);
    this.top = top;
  }

  /**
   * Keeps the ordered lead of `answer` (at most `top` hits, copied: a view's arrays are
   * ordered further in place), with its facets, highlights and interpretation.
   */
  keep(key: string, answer: Answer, ordered: number): CachedAnswer {
    const n = Math.min(ordered, this.top, answer.order.length);
    const kept: CachedAnswer = {
      order: answer.order.slice(0, n),
      rank: answer.rank.slice(0, n),
      total: answer.total,
      facets: answer.facets,
      highlights: answer.highlights,
      ...(answer.interpretation ? { interpretation: answer.interpretation } : {}),
      bytes: 0,
    };
    kept.bytes = answerBytes(key, kept);
    this.set(key, kept);
    return kept;
  }
}

/**
 * Bytes an answer holds, counted: 6 a hit of its top, its facet values and labels (2 bytes a
 * character and 48 an entry), highlights, interpretation and key likewise, plus 300 for the
 * objects around them.
 */
export function answerBytes(key: string, answer: Answer): number {
  let bytes = answer.order.byteLength + answer.rank.byteLength + 300 + 2 * key.length;
  for (const counts of Object.values(answer.facets)) {
    for (const c of counts) bytes += 48 + 2 * (c.value.length + c.label.length);
  }
  for (const w of answer.highlights) bytes += 32 + 2 * w.length;
  bytes += 2 * (answer.interpretation?.length ?? 0);
  return bytes;
}
