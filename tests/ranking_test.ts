import assert from "node:assert/strict";
import { queryWords } from "../search/italian_text.ts";
import { packKey } from "../search/ranked_order.ts";
import {
  DOC_NUMBER_LIMIT,
  MAX_SCORE,
  RANK_LIMIT,
  rankOf,
  rarity,
  SCORE_STEPS,
  TIER_IDENTIFIER,
  TIER_TEXT,
  tierOf,
} from "../search/ranking.ts";
import { TextIndex } from "../search/text_index.ts";

const RARE = ["abbaino", "balaustra", "capriata", "davanzale", "edicola", "frontone", "gronda"];

/** A text index over a 1M-slot alive column (a big town) with these documents. */
function bigTown(docs: Record<number, string[]>): { text: TextIndex; alive: Uint8Array } {
  const text = new TextIndex();
  const alive = new Uint8Array(2 ** 20);
  for (const [d, words] of Object.entries(docs)) {
    text.add(Number(d), words);
    alive[Number(d)] = 1;
  }
  text.pack();
  return { text, alive };
}

Deno.test("seven rare words: the document with all seven outranks one with a typo among them", () => {
  // Doc 7 holds the seven words; doc 9 holds six and a one-letter misspelling of the
  // seventh ("grunda"), reached only as a typo. With the old scale (sum × 50, clamped at
  // 4,095) both summed past the cap and tied: the year alone ordered them.
  const { text, alive } = bigTown({
    7: RARE,
    9: [...RARE.slice(0, 6), "grunda"],
  });
  const found = text.match(queryWords(RARE.join(" ") + " "), alive);
  const rankOfDoc = (d: number) =>
    rankOf(TIER_TEXT, found.scores[Array.from(found.docs).indexOf(d)] ?? -1);
  assert.deepEqual([...found.docs].sort(), [7, 9]);
  const all = rankOfDoc(7), withTypo = rankOfDoc(9);
  assert.ok(all > withTypo, `${all} should outrank ${withTypo}`);
  // Neither reached the top of the tier: the cap is never where a score ends up.
  assert.ok(all < rankOf(TIER_TEXT, MAX_SCORE), "no score is clamped");
  assert.equal(tierOf(all), TIER_TEXT);
  // The year comes after the score: a newer document with the typo still ranks below.
  assert.ok(packKey(all, 1950, 7) > packKey(withTypo, 2024, 9));
});

Deno.test("a document's score for a word is its best expansion, whatever order expansions come in", () => {
  // "gron" (being typed) expands to "gronda" and "grondaia"; doc 3 holds both. Its score
  // for the word is the better of the two, the same as a document holding only that one.
  const { text, alive } = bigTown({ 1: ["grondaia"], 3: ["gronda", "grondaia"], 4: ["gronda"] });
  const found = text.match(queryWords("gron"), alive);
  const score = (d: number) => found.scores[Array.from(found.docs).indexOf(d)] ?? -1;
  assert.equal(score(3), Math.max(score(1), score(4)));
});

Deno.test("the score scale holds the largest possible score below the next tier", () => {
  // The largest text score: a word in one document, exact, at the doc-number limit.
  assert.equal(MAX_SCORE, rarity(DOC_NUMBER_LIMIT, 1));
  assert.ok(rankOf(TIER_TEXT, MAX_SCORE) < rankOf(TIER_TEXT + 1, 0));
  assert.ok(rankOf(TIER_TEXT, MAX_SCORE) > rankOf(TIER_TEXT, MAX_SCORE * 0.999));
  // Every rank fits the 2-byte rank arrays, and a key at the limits keeps its doc number.
  assert.ok(RANK_LIMIT <= 2 ** 16);
  assert.ok(rankOf(TIER_IDENTIFIER, MAX_SCORE) < RANK_LIMIT);
  assert.ok(rankOf(TIER_IDENTIFIER, MAX_SCORE) >= TIER_IDENTIFIER * SCORE_STEPS);
  const top = packKey(RANK_LIMIT - 1, 2200, DOC_NUMBER_LIMIT - 1);
  assert.ok(Number.isSafeInteger(top));
  assert.equal(top % DOC_NUMBER_LIMIT, DOC_NUMBER_LIMIT - 1);
});

Deno.test("rarity never exceeds its value at the doc-number limit", () => {
  assert.equal(rarity(DOC_NUMBER_LIMIT * 4, 1), rarity(DOC_NUMBER_LIMIT, 1));
  assert.ok(rarity(1_000, 10) > rarity(1_000, 100));
});
