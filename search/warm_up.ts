/**
 * The query cache's warm-up, started by the composition once the index is built (not by the
 * build itself: building and answering stay separate modules with no cycle between them).
 */
import { rankedKey, rankText } from "./rank_query.ts";
import { rankedBytes } from "./query_cache.ts";
import type { RecordIndex } from "./record_index.ts";

/** How many of the most frequent words get their answers ranked ahead of time, at most. */
const WARM_WORDS = 24;

/**
 * Ranks the most frequent public words (typed whole and still being typed) into the query
 * cache: they match the most documents, so they are the slowest to answer the first time.
 * Fills the cache up to its budget and no further: ranked into it one after the other, as
 * before, the later words evicted the earlier ones, that is the most frequent first
 * (measured at 1M in docs/SEARCH.md, "Fifth round: the frequent words' warm-up"). Then the
 * most frequent are made the most recent, so the first searches evict the least frequent
 * first. Yields between words so requests are served meanwhile.
 */
export async function warmFrequentWords(index: RecordIndex): Promise<void> {
  const counted: [string, number][] = [];
  for (const [word, entry] of index.publicText.words) {
    if (typeof entry !== "number" && !/\d/.test(word)) counted.push([word, entry.length]);
  }
  counted.sort((a, b) => b[1] - a[1]);
  const room = index.cache.budget;
  const warmed: string[] = [];
  // The lists warmed: their stores' sizes and their weight in the cache.
  const sizes: WarmedList[] = [];
  warming: for (const [word] of counted.slice(0, WARM_WORDS)) {
    for (const q of [word, `${word} `]) {
      const hits = rankText(index, q, "public");
      if (index.cache.weight + rankedBytes(hits) > room) break warming;
      index.cache.set(rankedKey(index, q, "public"), hits);
      warmed.push(q);
      sizes.push({
        docs: hits.docs.buffer.byteLength,
        rank: hits.rank.buffer.byteLength,
        weight: rankedBytes(hits),
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  for (const q of warmed.reverse()) index.cache.get(rankedKey(index, q, "public"));
  stockForFirstSearches(index, sizes);
  await growScratchForPairs(index, counted.slice(0, PAIRED_WORDS).map(([word]) => word));
}

/** The most frequent words whose pairs grow the matcher's scratch (growScratchForPairs). */
const PAIRED_WORDS = 6;

/**
 * Ranks pairs of the most frequent words (the second also while still being typed: its
 * completions and stem, several lists merged) and throws the answers away: the matcher's
 * per-candidate scratch grows to its working size now, not under a visitor. At 1M the
 * first "costruzione fabbricato" spent 9 ms of its 10 touching 2 MB of new scratch (510
 * minor faults), "certificato costruzione" 15 of 16 (1,224 faults). Two whole words match
 * alike in either order (the rarer leads), so each pair is ranked whole once. Yields
 * between words, as the warm-up above does, so requests are served meanwhile.
 */
async function growScratchForPairs(index: RecordIndex, words: string[]): Promise<void> {
  const pool = index.cache.pool;
  for (const [i, a] of words.entries()) {
    for (const [j, b] of words.entries()) {
      if (i === j) continue;
      const typing = `${a} ${b.slice(0, Math.max(3, b.length - 2))}`;
      for (const q of i < j ? [`${a} ${b} `, typing] : [typing]) {
        const hits = rankText(index, q, "public");
        pool.release(hits.docs);
        pool.release(hits.rank);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

/** A warmed list's stores (bytes) and its weight in the query cache. */
interface WarmedList {
  docs: number;
  rank: number;
  weight: number;
}

/** Pairs of stores stocked for the first searches, at most (see stockForFirstSearches). */
const STOCKED_PAIRS = 8;

/**
 * Free stores in the hit-list pool for the first searches' lists, of the size classes of
 * the largest list warmed. The warm-up filled the cache, so every new list is lent before
 * the cache lets an old one go, and the ones it lets go first (the least frequent warmed
 * words) are of smaller classes: each first common word allocated 3 MB of new stores at 1M,
 * and touching their fresh pages took 7-10 ms of its answer on a small VM, until the cache
 * had turned over once. As many pairs as the cache holds lists of that size, at most eight
 * (24 MB at 1M, 6 MB at 300k): RSS at ready grows by that, what the first searches would
 * have added within seconds. Smaller lists still take new stores: fewer pages, less time.
 */
function stockForFirstSearches(index: RecordIndex, warmed: WarmedList[]): void {
  const largest = warmed.sort((a, b) => b.weight - a.weight)[0];
  if (!largest) return;
  const pairs = Math.min(STOCKED_PAIRS, Math.floor(index.cache.budget / largest.weight));
  index.cache.pool.stock(largest.docs, pairs);
  index.cache.pool.stock(largest.rank, pairs);
}
