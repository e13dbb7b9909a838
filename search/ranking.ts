/**
 * How search ranks, in one place: tiers, what a matched word is worth, rarity, and the
 * scale a score is stored on. text_index.ts scores words with these, rank_query.ts picks
 * tiers, ranked_order.ts packs ranks into sort keys; change a rule here, not there.
 *
 * A hit's rank is a 2-byte number (the query cache keeps one per hit, 100k hits for a
 * common word): tier × SCORE_STEPS + score on the scale. A higher tier always wins; within
 * a tier the score, then the year (newest first), then the doc number.
 */

// ---- Tiers ---------------------------------------------------------------------------

// A street reached only by a typo or a prefix is a guess: it ranks after every text hit, so
// "piano" lists subjects with "piano" before Località Il Pino, and "perti" lists
// "Pertinenza" before Via Sandro Pertini. An exact street ranks above text relevance.
export const TIER_STREET_GUESS = 0;
export const TIER_TEXT = 1;
export const TIER_STREET = 2;
export const TIER_CIVIC = 3;
/** An exact identifier (protocol, dossier number, cadastral reference) is what was asked. */
export const TIER_IDENTIFIER = 4;
const TIERS = 5;

const MATCHED_BY = ["address", "text", "address", "address", "identifier"] as const;

/** How a hit of this rank was found, for the result card. */
export function matchedByOf(rank: number): "identifier" | "address" | "text" {
  return MATCHED_BY[tierOf(rank)] ?? "text";
}

// ---- Words ---------------------------------------------------------------------------

/**
 * What a query word is worth when it matches a document through each of its expansions
 * (text_index.ts `expand`). The word as typed is surest; a word sharing its Italian stem
 * (`costruzioni` for `costruzione`) nearly as sure; a word it starts while still being
 * typed a likely completion; a word one typo away a guess. A document matching a query
 * word through several expansions scores the best of them, whatever order they come in
 * (so the score does not depend on the order words entered the vocabulary).
 */
export const WORD_WEIGHT = {
  exact: 1,
  stem: 0.9,
  prefix: 0.8,
  typo: 0.6,
} as const;

/** The largest doc number space the sort keys hold (ranked_order.ts packs it in 23 bits). */
export const DOC_NUMBER_LIMIT = 2 ** 23;

/**
 * How telling a word is: ln(1 + documents / documents holding it), the inverse document
 * frequency of BM25 without its length part (subjects are one line). `documents` is the
 * size of the alive column (a power of two at least the number of doc numbers), bounded by
 * DOC_NUMBER_LIMIT so the score scale below holds it.
 */
export function rarity(documents: number, holding: number): number {
  return Math.log(1 + Math.min(documents, DOC_NUMBER_LIMIT) / Math.max(1, holding));
}

/**
 * A text hit's score: the mean over the query's scored words of weight × rarity. Every hit
 * of a query matched every word (AND), so dividing by the word count orders a query's hits
 * exactly as the sum would; but a mean is bounded by the largest rarity whatever the number
 * of words, where the sum of seven rare words went past the scale and was clamped, tying
 * at the cap documents that matched better and worse (issue 14).
 */
export function textScore(sum: number, words: number): number {
  return words > 0 ? sum / words : 0;
}

// ---- Streets -------------------------------------------------------------------------

/** Civic ranks of a street hit (street_dictionary.ts): the typed civic, its base, elsewhere. */
export const CIVIC_RANK = { exact: 2, base: 1.5, street: 1 } as const;
/** A historic name of a street still finds it, a little below its current name. */
export const HISTORIC_STREET = 0.95;
/** Largest street score: a perfect street match (1) with its generic word (+0.1), at the civic. */
const MAX_STREET_SCORE = (1 + 0.1) * CIVIC_RANK.exact;

// ---- The scale -----------------------------------------------------------------------

/**
 * Score steps per tier: 5 tiers × 8,192 = 40,960 ranks fit the 2-byte rank (65,536).
 */
export const SCORE_STEPS = 2 ** 13;

/**
 * The largest score any hit can have: a text score is a mean of weight (≤ 1) × rarity, and
 * rarity is at most ln(1 + DOC_NUMBER_LIMIT) ≈ 15.9; a street score at most 2.2.
 */
export const MAX_SCORE = Math.max(rarity(DOC_NUMBER_LIMIT, 1), MAX_STREET_SCORE);

/**
 * Steps per unit of score: the widest scale on which MAX_SCORE still fits its tier (513,
 * where the old fixed 50 a unit ran out at 4,095 / 50 = 82: six or seven rare words).
 * Scores closer than 1/513 of a unit rank as equal and are ordered by year.
 */
export const SCORE_UNIT = Math.floor((SCORE_STEPS - 1) / MAX_SCORE);

/**
 * Tier and score as one 2-byte number. The score is wide enough by construction (MAX_SCORE
 * fits), so the bound below never cuts a real score: it only keeps a rule changed here
 * without its scale from spilling into the next tier (tests/ranking_test.ts checks it).
 */
export function rankOf(tier: number, score: number): number {
  const steps = Math.round(score * SCORE_UNIT);
  return tier * SCORE_STEPS + (steps < 0 ? 0 : steps < SCORE_STEPS ? steps : SCORE_STEPS - 1);
}

/** The highest rank among a list's hits and how many hold it. */
export interface TopRank {
  rank: number;
  holders: number;
}

/**
 * The text-tier rank of each of `scores`, written into `out`: rankOf(TIER_TEXT, score) in
 * one loop (a call per hit was 2.5 % of a loaded 1M kiosk's query time: V8 did not inline
 * it into the ranking loop). Returns the highest rank and how many hits hold it (all of a
 * common word's hits, often), which ordering the hits can use (ranked_order.ts leadNewest).
 */
export function textRanks(scores: Float32Array, out: Uint16Array): TopRank {
  const base = TIER_TEXT * SCORE_STEPS, unit = SCORE_UNIT, top = SCORE_STEPS - 1;
  let best = -1, holders = 0;
  for (let i = 0; i < out.length; i++) {
    const steps = Math.round((scores[i] ?? 0) * unit);
    const rank = base + (steps < 0 ? 0 : steps < SCORE_STEPS ? steps : top);
    out[i] = rank;
    if (rank === best) holders++;
    else if (rank > best) {
      best = rank;
      holders = 1;
    }
  }
  return { rank: best, holders };
}

/** textRanks for hits that all have `score`: one rank, filled. */
export function sameTextRank(score: number, out: Uint16Array): TopRank {
  const steps = Math.round(score * SCORE_UNIT);
  const rank = TIER_TEXT * SCORE_STEPS +
    (steps < 0 ? 0 : steps < SCORE_STEPS ? steps : SCORE_STEPS - 1);
  out.fill(rank);
  return { rank: out.length > 0 ? rank : -1, holders: out.length };
}

/** Hits in runs of one score each, best first: run i ends before hit `ends[i]`. */
export interface HitRuns {
  ends: number[];
  scores: number[];
}

/** textRanks for hits in runs of one score each (TextMatch.runs): each run's rank, filled. */
export function runRanks(runs: HitRuns, out: Uint16Array): TopRank {
  let start = 0, best = -1, holders = 0;
  for (let i = 0; i < runs.ends.length; i++) {
    const end = runs.ends[i] ?? start;
    const rank = rankOf(TIER_TEXT, runs.scores[i] ?? 0);
    out.fill(rank, start, end);
    if (rank === best) holders += end - start;
    else if (rank > best) {
      best = rank;
      holders = end - start;
    }
    start = end;
  }
  return { rank: best, holders };
}

/** The tier of a rank. */
export function tierOf(rank: number): number {
  return Math.floor(rank / SCORE_STEPS);
}

/** Ranks run below this (tiers × steps): the 2-byte rank arrays hold them. */
export const RANK_LIMIT = TIERS * SCORE_STEPS;

/** The rank of a hit no query word scored (an empty box lists every record). */
export const UNSCORED_RANK = rankOf(TIER_TEXT, 0);
