/**
 * Ordering hits best first, lazily. Each hit is a doc number and a rank (tier and score);
 * packed with the record's year into one float64 key, a native numeric sort orders them
 * with no comparator calls. A page needs its top hits in order, not all 100k hits of a
 * common word: sorting those took most of a query's time at 300k records, while selecting
 * the top takes a linear pass.
 */

import { DOC_NUMBER_LIMIT, RANK_LIMIT } from "./ranking.ts";

// Doc numbers below DOC_NUMBER_LIMIT (8M): updates take new numbers until compaction
// renumbers (compaction.ts), and a guard refuses to allocate past it (record_index.ts).
const DOC_BITS = DOC_NUMBER_LIMIT;
// Years 1800–2823. The key is rank × 2^10 × 2^23 + …: ranks below RANK_LIMIT (< 2^16) keep
// it under 2^49, exact in a float64 (2^53).
const YEAR_BITS = 2 ** 10;
if (RANK_LIMIT * YEAR_BITS * DOC_BITS > 2 ** 53) throw new Error("sort keys would lose digits");

/** One sortable key: rank, then year (newest first when read from the top), then doc number. */
export function packKey(rank: number, year: number, docNo: number): number {
  const y = Math.max(0, Math.min(YEAR_BITS - 1, year - 1800));
  return (rank * YEAR_BITS + y) * DOC_BITS + docNo;
}

/** The rank packed in a key (see packKey). */
export function rankOfKey(key: number): number {
  return Math.floor(Math.floor(key / DOC_BITS) / YEAR_BITS);
}

/**
 * Rearranges `keys` so that its `k` largest come first, in descending order, and the rest
 * follow in no particular order (each smaller than all of the first `k`). Returns how many
 * lead in order: all of them when the list is short enough to sort outright.
 */
export function orderTop(keys: Float64Array, k: number): number {
  if (keys.length <= k * 4) {
    keys.sort().reverse();
    return keys.length;
  }
  selectLargest(keys, k);
  keys.subarray(0, k).sort().reverse();
  return k;
}

/** Doc numbers and ranks from packed keys, written into `docs` and `rank`. */
export function unpackKeys(keys: Float64Array, docs: Int32Array, rank: Uint16Array): void {
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] ?? 0;
    // Divisions by powers of two are exact on doubles, and far cheaper than `%` (fmod).
    const high = Math.floor(key / DOC_BITS);
    docs[i] = key - high * DOC_BITS;
    rank[i] = Math.floor(high / YEAR_BITS);
  }
}

/**
 * unpackKeys, split by rank: the hits ranked `from` or higher are written from `front` on,
 * the others from `back` on. Returns where each part ended.
 */
export function unpackKeysSplit(
  keys: Float64Array,
  from: number,
  docs: Int32Array,
  rank: Uint16Array,
  front: number,
  back: number,
): { front: number; back: number } {
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] ?? 0;
    const high = Math.floor(key / DOC_BITS);
    const r = Math.floor(high / YEAR_BITS);
    const at = r >= from ? front++ : back++;
    docs[at] = key - high * DOC_BITS;
    rank[at] = r;
  }
  return { front, back };
}

/**
 * Reorders the hits (`docs` with their `rank`, in place) so that the best `k` lead in
 * order; returns how many lead in order. Any subset of a query's hits (a filtered view)
 * can be ordered so, without ranking the query again.
 *
 * A long list is not packed whole: counting its ranks (2 bytes), then the years of the hits
 * at the threshold rank, finds the few hits that can be among the top `k`; they move to the
 * front and only they are packed into keys, selected and sorted. Packing, selecting and
 * unpacking a float64 key for each of a common word's 64k hits was 11 % of a loaded 1M
 * kiosk's query time.
 */
export function orderHits(
  docs: Int32Array,
  rank: Uint16Array,
  year: Int16Array,
  k: number,
): number {
  const n = docs.length;
  if (n <= k * 4) {
    const keys = keysScratch(n);
    for (let i = 0; i < n; i++) {
      const d = docs[i] ?? 0;
      keys[i] = packKey(rank[i] ?? 0, year[d] ?? 0, d);
    }
    const ordered = orderTop(keys, k);
    unpackKeys(keys, docs, rank);
    return ordered;
  }
  const lead = moveTopCandidates(docs, rank, year, k);
  const keys = keysScratch(lead);
  for (let i = 0; i < lead; i++) {
    const d = docs[i] ?? 0;
    keys[i] = packKey(rank[i] ?? 0, year[d] ?? 0, d);
  }
  orderTop(keys, k);
  unpackKeys(keys, docs.subarray(0, lead), rank.subarray(0, lead));
  return k;
}

/**
 * How many hits from the start can hold the best `k`, when the hits come in runs of
 * non-increasing rank (run i ending before hit `ends[i]`, TextMatch.runs): whole runs until
 * `k` are covered, and the runs after them of the same rank as the last. Every hit past
 * them ranks lower, so ordering these alone orders the top.
 */
export function runsHoldingTop(ends: number[], rank: Uint16Array, k: number): number {
  let end = 0;
  for (const next of ends) {
    if (end >= k && rank[end] !== rank[end - 1]) break;
    end = next;
  }
  return end;
}

/**
 * Reorders hits (`docs` in ascending order, with their `rank`) so that the newest `k` of those
 * holding `top`, the highest rank, lead in order, as orderHits would put them when at least
 * `k` hits hold it; returns how many lead. `newest` is every doc number the hits may hold,
 * newest first (newest_order.ts): walked from its start, each doc number looked up in the hits
 * by bisection, until `k` of rank `top` are found.
 */
export function leadNewest(
  docs: Int32Array,
  rank: Uint16Array,
  top: number,
  newest: Int32Array,
  k: number,
): number {
  const n = docs.length, want = Math.min(k, n);
  if (leadDocs.length < want) {
    leadDocs = new Int32Array(want);
    leadAt = new Int32Array(want);
  }
  let m = 0;
  for (let i = 0; i < newest.length && m < want; i++) {
    const d = newest[i] ?? 0;
    let lo = 0, hi = n - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = docs[mid] ?? 0;
      if (v < d) lo = mid + 1;
      else if (v > d) hi = mid - 1;
      else {
        if (rank[mid] === top) {
          leadDocs[m] = d;
          leadAt[m++] = mid;
        }
        break;
      }
    }
  }
  // The found positions in ascending order: swapping the j-th into place j only ever moves
  // a hit that does not lead (j <= its position, and the positions still to come are larger).
  const at = leadAt.subarray(0, m).sort();
  for (let j = 0; j < m; j++) {
    const p = at[j] ?? 0;
    const swapDoc = docs[j] ?? 0, swapRank = rank[j] ?? 0;
    docs[j] = docs[p] ?? 0;
    rank[j] = top;
    docs[p] = swapDoc;
    rank[p] = swapRank;
  }
  docs.set(leadDocs.subarray(0, m));
  return m;
}

/**
 * Whether leadNewest is the cheaper way to order `n` hits of which `holders` hold the highest
 * rank, among `size` doc numbers: it looks up about k × size / holders doc numbers, each by
 * bisection (log2 n steps), where orderHits makes three passes over the n hits. At 1M: 3,300
 * lookups for "costruzione" (305k hits), against break-even near 64k hits of one rank.
 */
export function leadNewestPays(n: number, holders: number, size: number, k: number): boolean {
  if (n <= k * 4 || holders < k) return false;
  return k * (size / holders) * Math.log2(n) < 2 * n;
}

let leadDocs = new Int32Array(1024);
let leadAt = new Int32Array(1024);
let keyScratch = new Float64Array(1024);
const rankCounts = new Int32Array(RANK_LIMIT);
const yearCounts = new Int32Array(YEAR_BITS);

/** `n` scratch keys, valid until the next call (everything here is synchronous). */
function keysScratch(n: number): Float64Array {
  if (keyScratch.length < n) keyScratch = new Float64Array(Math.max(n, keyScratch.length * 2));
  return keyScratch.subarray(0, n);
}

/** The year's slot in a key (see packKey): 0 for 1800 and before, up to 1023. */
export function yearSlot(year: number): number {
  return year < 1800 ? 0 : year - 1800 > YEAR_BITS - 1 ? YEAR_BITS - 1 : year - 1800;
}

/**
 * Moves to the front every hit that can be among the best `k` (ranked above the threshold
 * rank, or at it and no older than the threshold year), the rest after them in no order;
 * returns how many lead (at least `k`: ties at the threshold are all kept).
 */
function moveTopCandidates(
  docs: Int32Array,
  rank: Uint16Array,
  year: Int16Array,
  k: number,
): number {
  const n = docs.length;
  let lo = RANK_LIMIT, hi = 0;
  for (let i = 0; i < n; i++) {
    const r = rank[i] ?? 0;
    rankCounts[r] = (rankCounts[r] ?? 0) + 1;
    if (r < lo) lo = r;
    if (r > hi) hi = r;
  }
  // The threshold rank: the hits above it are fewer than k, with it k or more.
  let above = 0, cut = hi;
  for (; cut > lo; cut--) {
    const c = rankCounts[cut] ?? 0;
    if (above + c >= k) break;
    above += c;
  }
  rankCounts.fill(0, lo, hi + 1);
  for (let i = 0; i < n; i++) {
    if (rank[i] === cut) {
      const y = yearSlot(year[docs[i] ?? 0] ?? 0);
      yearCounts[y] = (yearCounts[y] ?? 0) + 1;
    }
  }
  let yearCut = YEAR_BITS - 1;
  for (; yearCut > 0; yearCut--) {
    above += yearCounts[yearCut] ?? 0;
    if (above >= k) break;
  }
  yearCounts.fill(0);
  let lead = 0;
  for (let i = 0; i < n; i++) {
    const r = rank[i] ?? 0;
    const d = docs[i] ?? 0;
    if (r > cut || (r === cut && yearSlot(year[d] ?? 0) >= yearCut)) {
      docs[i] = docs[lead] ?? 0;
      rank[i] = rank[lead] ?? 0;
      docs[lead] = d;
      rank[lead++] = r;
    }
  }
  return lead;
}

/**
 * Moves the `k` largest values of `a` to its first `k` positions (any order): Hoare's
 * selection (Wirth's "Find"), in place, linear on average. The pivot is the median of
 * three pseudo-random positions: a median of first, middle and last went quadratic on the
 * cyclic year pattern real hit lists have (25 ms for 46k hits instead of 1).
 */
function selectLargest(a: Float64Array, k: number): void {
  const at = (i: number) => a[i] ?? 0;
  let seed = a.length >>> 0 || 1;
  const randomIn = (lo: number, hi: number) => {
    // xorshift32: deterministic, so a query orders the same way every time.
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return lo + ((seed >>> 0) % (hi - lo + 1));
  };
  let lo = 0;
  let hi = a.length - 1;
  const target = k - 1;
  while (lo < hi) {
    const pivot = median(at(randomIn(lo, hi)), at(randomIn(lo, hi)), at(randomIn(lo, hi)));
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (at(i) > pivot) i++;
      while (at(j) < pivot) j--;
      if (i <= j) {
        const swap = at(i);
        a[i++] = at(j);
        a[j--] = swap;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return;
  }
}

function median(x: number, y: number, z: number): number {
  return x < y ? (y < z ? y : x < z ? z : x) : (x < z ? x : y < z ? z : y);
}
