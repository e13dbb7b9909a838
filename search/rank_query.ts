/**
 * From a typed query to ranked doc numbers: identifiers by exact lookup on `search_keys`
 * first; otherwise addresses through the street dictionary and words through the text
 * postings. Order: exact identifier, exact street + civic, then relevance, then newest.
 */
import type { SearchKeyRow } from "./hit_reader.ts";
import { alnumFold, identifierReadings } from "../domain/identifier_keys.ts";
import { queryWords } from "./italian_text.ts";
import type { RankedHits } from "./query_cache.ts";
import type { Audience } from "./types.ts";
import type { RecordIndex } from "./record_index.ts";
import type { TextMatch } from "./text_index.ts";
import {
  leadNewest,
  leadNewestPays,
  orderHits,
  orderTop,
  packKey,
  rankOfKey,
  runsHoldingTop,
  unpackKeys,
  unpackKeysSplit,
} from "./ranked_order.ts";
import {
  CIVIC_RANK,
  rankOf,
  runRanks,
  sameTextRank,
  textRanks,
  TIER_CIVIC,
  TIER_IDENTIFIER,
  TIER_STREET,
  TIER_STREET_GUESS,
  TIER_TEXT,
} from "./ranking.ts";
import { addressReadings, civicBase } from "./street_names.ts";

/** The alive column of an audience, read at the moment of use. */
function aliveFor(index: RecordIndex, audience: Audience): Uint8Array {
  return audience === "public" ? index.table.publicAlive : index.table.clerkAlive;
}

/**
 * The query's hits, best first, for this audience, from the identifier lookup (when the
 * query reads as an identifier and something carries it) or from its words. Reads the index
 * only: records the lookup found are indexed by the caller first (indexFoundRecords).
 */
export function rankQuery(
  index: RecordIndex,
  q: string,
  audience: Audience,
  identifiers: IdentifierLookup | undefined,
): RankedHits {
  return (identifiers && rankIdentifiers(index, identifiers, audience)) ??
    rankWords(index, q, audience);
}

/** The cache key of a query's ranked hits (searchRecords and the warm-up share it). */
export function rankedKey(index: RecordIndex, q: string, audience: Audience): string {
  return `${audience}\u0000${index.version}\u0000${
    q.replace(/\s+/g, " ").trimStart().toLowerCase()
  }`;
}

/** Ranks a word query (no identifier) now: the warm-up's way in, which decides what to keep. */
export function rankText(index: RecordIndex, q: string, audience: Audience): RankedHits {
  return rankWords(index, q, audience);
}

/**
 * Address and word hits of `q`, ranked (synchronous: one scratch serves every request);
 * the top `index.orderedAtOnce` in order, the rest ordered when a page reaches them.
 */
function rankWords(index: RecordIndex, q: string, audience: Audience): RankedHits {
  // Read at the moment of use: the columns are replaced when they grow during a build.
  const alive = aliveFor(index, audience);
  const highlights = new Set<string>();
  // Everything below is synchronous, so one shared scratch serves every request in turn.
  const merge = index.scratch;
  merge.begin(index.table.size);
  const year = index.table.year;
  let offered = 0;
  const offer = (docNo: number, tier: number, score: number) => {
    offered++;
    merge.offer(docNo, packKey(rankOf(tier, score), year[docNo] ?? 0, docNo));
  };
  for (const reading of addressReadings(q)) {
    let atCivic = false;
    const words = index.streets.find(reading, alive, (docNo, civicRank, streetScore, exact) => {
      const tier = !exact
        ? TIER_STREET_GUESS
        : civicRank === CIVIC_RANK.exact
        ? TIER_CIVIC
        : TIER_STREET;
      offer(docNo, tier, streetScore * civicRank);
      if (civicRank > CIVIC_RANK.street) atCivic = true;
    });
    for (const w of words) highlights.add(w);
    if (atCivic && reading.civic) highlights.add(civicBase(reading.civic));
  }
  const words = queryWords(q);
  if (words.length > 0) {
    // The public path never touches clerkText: no personal word can match for it.
    const found = audience === "public"
      ? index.publicText.match(words, alive)
      : index.publicText.match(words, alive, [index.clerkText]);
    for (const w of found.words) highlights.add(w);
    const n = found.docs.length;
    if (offered === 0) {
      // Words alone (the common case): each doc comes once, no merge with streets needed,
      // and only the hits that can reach the top are packed into sort keys (orderHits).
      // In the query cache's pooled stores: the cache keeps them as they are (no second copy
      // of a common word's 300k hits at 1M, nor a fresh 1.8 MB allocation per query).
      const docs = index.cache.pool.int32(n);
      docs.set(found.docs);
      const rank = index.cache.pool.uint16(n);
      const k = index.orderedAtOnce;
      if (found.runs) {
        // One word through several lists, in runs of one rank, best first: only the runs
        // that hold the top k are ordered (the rest rank lower), not all the hits.
        runRanks(found.runs, rank);
        const lead = runsHoldingTop(found.runs.ends, rank, k);
        const ordered = orderHits(docs.subarray(0, lead), rank.subarray(0, lead), year, k);
        return { docs, rank, ordered, highlights: [...highlights] };
      }
      const top = found.score === undefined
        ? textRanks(found.scores, rank)
        : sameTextRank(found.score, rank);
      const newest = newestOrderFor(index, docs, top.holders, found.ascending === true);
      const ordered = newest
        ? leadNewest(docs, rank, top.rank, newest, k)
        : orderHits(docs, rank, year, k);
      return { docs, rank, ordered, highlights: [...highlights] };
    }
    if (n > 0) return withStreetHits(index, found, merge, highlights);
  }
  return fromKeys(index, merge.keys(), { highlights: [...highlights] });
}

/**
 * The index's newest-first order (newest_order.ts) when walking it orders these hits faster
 * than counting their years (leadNewestPays): it covers the index as it is, and the hits are
 * in ascending doc order (one posting list, or several words matched along theirs).
 */
function newestOrderFor(
  index: RecordIndex,
  docs: Int32Array,
  holders: number,
  ascending: boolean,
): Int32Array | undefined {
  const n = docs.length;
  if (!leadNewestPays(n, holders, index.table.size, index.orderedAtOnce)) return undefined;
  if (!index.newest?.covers(index.table)) return undefined;
  if (!ascending) {
    for (let i = 1; i < n; i++) if ((docs[i] ?? 0) <= (docs[i - 1] ?? 0)) return undefined;
  }
  return index.newest.order;
}

// withStreetHits lays hits out by these tiers' order.
if (!(TIER_STREET_GUESS < TIER_TEXT && TIER_TEXT < TIER_STREET && TIER_STREET < TIER_CIVIC)) {
  throw new Error("street tiers must bracket the text tier");
}

/**
 * Text hits merged with the address hits already offered to `merge`: a document found both
 * ways keeps its better rank (as the larger of its two sort keys did). A word that also
 * names a street ("perti", "nuova", "piano") packed, selected and unpacked a float64 key for
 * each of its 64k–300k text hits; now only the address hits carry keys, and the text hits
 * look theirs up.
 *
 * The tiers keep the two apart (ranking.ts): an exact street ranks above every text hit, a
 * guessed one (a typo, a prefix) below. So the hits are laid out as [exact streets][text
 * hits][guessed streets], and only the part that holds the best `orderedAtOnce` is ordered:
 * the exact streets when they are enough, else as far into the text hits as needed (their
 * runs, when one word matched through several lists), never the guessed streets behind
 * them unless the rest are too few.
 */
function withStreetHits(
  index: RecordIndex,
  found: TextMatch,
  merge: RecordIndex["scratch"],
  highlights: Set<string>,
): RankedHits {
  const n = found.docs.length, textDocs = found.docs;
  const aboveText = rankOf(TIER_TEXT + 1, 0);
  // Text hits also found at an exact street take that rank (a guessed street's is lower
  // than any text rank): their positions and keys, usually few.
  const raisedAt: number[] = [], raisedKey: number[] = [];
  for (let i = 0; i < n; i++) {
    const d = textDocs[i] ?? 0;
    if (!merge.has(d)) continue;
    const key = merge.take(d);
    if (rankOfKey(key) >= aboveText) {
      raisedAt.push(i);
      raisedKey.push(key);
    }
  }
  // The address hits no text hit shared.
  const rest = merge.keys();
  let above = 0;
  for (let i = 0; i < rest.length; i++) if (rankOfKey(rest[i] ?? 0) >= aboveText) above++;
  const size = n + rest.length;
  // Pooled stores are not zeroed: every entry is written below.
  const docs = index.cache.pool.int32(size);
  const rank = index.cache.pool.uint16(size);
  const ends = unpackKeysSplit(rest, aboveText, docs, rank, 0, above + n);
  // Every entry of the (unzeroed) stores must be written: a stale doc number would be a hit.
  if (ends.front !== above || ends.back !== size) {
    throw new Error("address and text hits out of step");
  }
  const text = rank.subarray(above, above + n);
  docs.set(textDocs, above);
  if (found.runs) runRanks(found.runs, text);
  else textRanks(found.scores, text);
  for (let j = 0; j < raisedAt.length; j++) {
    text[raisedAt[j] ?? 0] = rankOfKey(raisedKey[j] ?? 0);
  }
  const k = index.orderedAtOnce;
  let lead = size;
  if (raisedAt.length === 0 && above >= k) lead = above;
  else if (raisedAt.length === 0 && found.runs && above + n > k) {
    lead = above + runsHoldingTop(found.runs.ends, text, k - above);
  } else if (above + n >= k) lead = above + n;
  const ordered = orderHits(
    docs.subarray(0, lead),
    rank.subarray(0, lead),
    index.table.year,
    k,
  );
  return { docs, rank, ordered, highlights: [...highlights] };
}

/** The ranked hits of `keys`, top first, with the query's highlights and interpretation. */
function fromKeys(
  index: RecordIndex,
  keys: Float64Array,
  about: Pick<RankedHits, "highlights" | "interpretation">,
): RankedHits {
  const orderedAtOnce = index.orderedAtOnce;
  // Pooled stores, as rankWords' (unpackKeys writes every entry).
  const docs = index.cache.pool.int32(keys.length);
  const rank = index.cache.pool.uint16(keys.length);
  const ordered = orderTop(keys, orderedAtOnce);
  unpackKeys(keys, docs, rank);
  return { ...about, docs, rank, ordered };
}

/** The `search_keys` rows an identifier query matched, with the readings it was tried as. */
export interface IdentifierLookup {
  rows: SearchKeyRow[];
  readings: ReturnType<typeof identifierReadings>;
}

/**
 * The identifier keys of `q` looked up by exact match (`findKeys`: a card reader's, so off the
 * main thread when it has a worker), or undefined when the query is not an identifier or
 * nothing carries it.
 */
export async function lookupIdentifiers(
  findKeys: (keys: string[]) => Promise<SearchKeyRow[]>,
  q: string,
  currentYear: number,
  actKindTitles: ReadonlyMap<string, string> = new Map(),
): Promise<IdentifierLookup | undefined> {
  const readings = identifierReadings(q, currentYear, actKindTitles);
  const raw = /\d/.test(q) ? alnumFold(q) : "";
  const keys = [...new Set([...readings.flatMap((r) => r.keys), ...(raw ? [`a:${raw}`] : [])])];
  if (keys.length === 0) return undefined;
  const rows = await findKeys(keys);
  return rows.length === 0 ? undefined : { rows, readings };
}

/** Identifier hits of a lookup among the records this audience sees, or undefined if none. */
function rankIdentifiers(
  index: RecordIndex,
  { rows, readings }: IdentifierLookup,
  audience: Audience,
): RankedHits | undefined {
  const alive = aliveFor(index, audience);
  const packed: number[] = [];
  const seen = new Set<number>();
  const matchedKeys = new Set<string>();
  for (const r of rows) {
    const docNo = index.docOf[r.recordKind].get(r.recordId);
    if (docNo === undefined || alive[docNo] !== 1) continue;
    matchedKeys.add(r.key);
    if (seen.has(docNo)) continue;
    seen.add(docNo);
    packed.push(packKey(rankOf(TIER_IDENTIFIER, 1), index.table.year[docNo] ?? 0, docNo));
  }
  if (packed.length === 0) return undefined;
  const reading = readings.find((r) => r.keys.some((k) => matchedKeys.has(k)));
  return fromKeys(index, Float64Array.from(packed), {
    highlights: [],
    ...(reading ? { interpretation: reading.label } : {}),
  });
}
