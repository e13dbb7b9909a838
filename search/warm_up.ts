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
  warming: for (const [word] of counted.slice(0, WARM_WORDS)) {
    for (const q of [word, `${word} `]) {
      const hits = rankText(index, q, "public");
      if (index.cache.weight + rankedBytes(hits) > room) break warming;
      index.cache.set(rankedKey(index, q, "public"), hits);
      warmed.push(q);
    }
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  for (const q of warmed.reverse()) index.cache.get(rankedKey(index, q, "public"));
}
