/**
 * Ordering a query's packed rank keys (see rank_query.ts) best first, lazily. A page of
 * results needs its top hits in order, not all 100k hits of a common word: sorting those
 * took most of a query's time at 300k records, while selecting the top takes a linear pass.
 */

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

/**
 * Moves the `k` largest values of `a` to its first `k` positions (any order): Hoare's
 * selection (Wirth's "Find"), in place, linear on average.
 */
function selectLargest(a: Float64Array, k: number): void {
  const at = (i: number) => a[i] ?? 0;
  let lo = 0;
  let hi = a.length - 1;
  const target = k - 1;
  while (lo < hi) {
    const pivot = median(at(lo), at((lo + hi) >> 1), at(hi));
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
