/**
 * The query cache's warm-up, started by the composition once the index is built (not by the
 * build itself: building and answering stay separate modules with no cycle between them).
 */
import { rankTextIntoCache } from "./rank_query.ts";
import type { RecordIndex } from "./record_index.ts";

/** How many of the most frequent words get their answers ranked ahead of time. */
const WARM_WORDS = 24;

/**
 * Ranks the most frequent public words (typed whole and still being typed) into the query
 * cache: they match the most documents, so they are the slowest to answer the first time.
 * Yields between words so requests are served meanwhile.
 */
export async function warmFrequentWords(index: RecordIndex): Promise<void> {
  const counted: [string, number][] = [];
  for (const [word, entry] of index.publicText.words) {
    if (typeof entry !== "number" && !/\d/.test(word)) counted.push([word, entry.length]);
  }
  counted.sort((a, b) => b[1] - a[1]);
  for (const [word] of counted.slice(0, WARM_WORDS)) {
    for (const q of [word, `${word} `]) rankTextIntoCache(index, q, "public");
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}
