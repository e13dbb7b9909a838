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
 * Reorders the hits (`docs` with their `rank`, in place) so that the best `k` lead in
 * order; returns how many lead in order. Any subset of a query's hits (a filtered view)
 * can be ordered so, without ranking the query again.
 */
export function orderHits(
  docs: Int32Array,
  rank: Uint16Array,
  year: Int16Array,
  k: number,
): number {
  const keys = new Float64Array(docs.length);
  for (let i = 0; i < docs.length; i++) {
    const d = docs[i] ?? 0;
    keys[i] = packKey(rank[i] ?? 0, year[d] ?? 0, d);
  }
  const ordered = orderTop(keys, k);
  unpackKeys(keys, docs, rank);
  return ordered;
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
