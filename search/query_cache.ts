/**
 * Recent queries' ranked hit lists, so the keystrokes, pages and facet clicks that repeat a
 * query do not score its (possibly 100k) documents again.
 */
import type { SearchResult } from "./types.ts";

/** A query's hits after one set of filters and a sort, with their facet counts. */
export interface FilteredView {
  /** Doc numbers in display order: the first `ordered` of them; the rest rank below, unordered. */
  order: Int32Array;
  /** The rank (tier and score) of each of `order`. */
  rank: Uint16Array;
  ordered: number;
  facets: SearchResult["facets"];
}

/** A query's hits, best first, before filters; filters and facets run over it per request. */
export interface RankedHits {
  /** Recent filter/sort combinations of this query: paging through them costs nothing. */
  views?: Map<string, FilteredView>;
  /** Doc numbers: the first `ordered` in final order; those after rank below, in no order. */
  docs: Int32Array;
  /** The rank (tier and score) of each of `docs`: any subset can be ordered from it. */
  rank: Uint16Array;
  ordered: number;
  highlights: string[];
  interpretation?: string;
}

/**
 * A least-recently-used map bounded by entry count and, when `weigh` is given, by the sum of
 * its entries' weights (e.g. bytes).
 */
export class LruMap<K, V> {
  readonly #entries = new Map<K, { value: V; weight: number }>();
  readonly #capacity: number;
  readonly #budget: number;
  readonly #weigh: (value: V) => number;
  #weight = 0;

  constructor(capacity: number, weigh?: (value: V) => number, budget = Infinity) {
    this.#capacity = capacity;
    this.#weigh = weigh ?? (() => 0);
    this.#budget = budget;
  }

  /** The cached value of `key`, refreshed as most recent. */
  get(key: K): V | undefined {
    const hit = this.#entries.get(key);
    if (hit === undefined) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, hit);
    return hit.value;
  }

  /** Stores `value`, evicting the least recently used entries while over a bound. */
  set(key: K, value: V): void {
    this.#drop(key);
    const weight = this.#weigh(value);
    this.#entries.set(key, { value, weight });
    this.#weight += weight;
    while (this.#entries.size > this.#capacity || this.#weight > this.#budget) {
      const oldest = this.#entries.keys().next();
      // The newest entry stays even when it alone exceeds the budget.
      if (oldest.done || oldest.value === key) break;
      this.#drop(oldest.value);
    }
  }

  /** The sum of the entries' weights (bytes, for a cache weighed in bytes). */
  get weight(): number {
    return this.#weight;
  }

  /** How many entries are kept. */
  get size(): number {
    return this.#entries.size;
  }

  /** Forgets everything (the index changed). */
  clear(): void {
    this.#entries.clear();
    this.#weight = 0;
  }

  #drop(key: K): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#weight -= entry.weight;
    this.#entries.delete(key);
  }
}

/**
 * Bytes a query's ranked hits hold, counted from their typed arrays: 6 per hit (a 4-byte doc
 * number, a 2-byte rank), doubled for about one filtered view of the same size, plus 200 for
 * the rest. A cache of a few hundred queries then stays near its budget, where a count alone
 * let it reach hundreds of MB of common words.
 */
export function rankedBytes(hits: RankedHits): number {
  return 2 * (hits.docs.byteLength + hits.rank.byteLength) + 200;
}

/**
 * Recent queries' ranked hits, by audience, index version and query text: at most 500
 * queries and 48 MB, so search-as-you-type keystrokes and re-visited queries cost no ranking.
 */
export class QueryCache extends LruMap<string, RankedHits> {
  constructor(capacity = 500, budgetBytes = 48 * 2 ** 20) {
    super(capacity, rankedBytes, budgetBytes);
  }
}

/**
 * Per-document scratch space for merging a query's address and text hits without a Map:
 * a generation stamp marks which entries belong to the current query.
 */
export class MergeScratch {
  #key = new Float64Array(0);
  #stamp = new Int32Array(0);
  #gen = 0;
  #touched = new Int32Array(0);
  #count = 0;
  #taken = 0;
  // Sort keys of the query being ranked: they live only until its hits are unpacked, and a
  // new array per query (8 bytes a hit, 2.4 MB for a common word at 1M) was garbage that
  // kept the kiosk's RSS growing under load. Not counted in bytes(): it follows the queries.
  #sortKeys = new Float64Array(0);

  /**
   * `n` scratch sort keys, valid until the next query ranks: the caller unpacks them before
   * it returns and keeps nothing of them.
   */
  sortKeys(n: number): Float64Array {
    if (this.#sortKeys.length < n) {
      this.#sortKeys = new Float64Array(Math.max(n, this.#sortKeys.length * 2));
    }
    return this.#sortKeys.subarray(0, n);
  }

  /** Starts a merge over documents numbered below `size`. */
  begin(size: number): void {
    if (this.#key.length < size) {
      this.#key = new Float64Array(Math.max(size, this.#key.length * 2));
      this.#stamp = new Int32Array(this.#key.length);
      this.#touched = new Int32Array(this.#key.length);
      this.#gen = 0;
    }
    // Stamps start over before they would overflow an Int32 (billions of queries).
    if (this.#gen >= 2 ** 31 - 2) {
      this.#stamp.fill(0);
      this.#gen = 0;
    }
    this.#gen++;
    this.#count = 0;
    this.#taken = 0;
  }

  /** Bytes of the scratch arrays. */
  bytes(): number {
    return this.#key.byteLength + this.#stamp.byteLength + this.#touched.byteLength;
  }

  /** Keeps the larger key for `docNo`. */
  offer(docNo: number, key: number): void {
    if (this.#stamp[docNo] !== this.#gen) {
      this.#stamp[docNo] = this.#gen;
      this.#key[docNo] = key;
      this.#touched[this.#count++] = docNo;
    } else if (key > (this.#key[docNo] ?? 0)) this.#key[docNo] = key;
  }

  /** How many distinct documents were offered (and not taken) in this merge. */
  get size(): number {
    return this.#count - this.#taken;
  }

  /** Whether `docNo` was offered in this merge (and not taken). */
  has(docNo: number): boolean {
    return this.#stamp[docNo] === this.#gen && (this.#key[docNo] ?? -1) >= 0;
  }

  /**
   * The key offered for `docNo` (-1: none), then forgotten: `keys` leaves it out. The text
   * hits of a query take the keys of the few address hits they share, instead of packing a
   * key of their own for each of their (up to 300k) documents.
   */
  take(docNo: number): number {
    if (!this.has(docNo)) return -1;
    const key = this.#key[docNo] ?? -1;
    this.#key[docNo] = -1;
    this.#taken++;
    return key;
  }

  /** The merged keys (one per document offered, none taken), in the sort-key scratch. */
  keys(): Float64Array {
    const out = this.sortKeys(this.#count - this.#taken);
    let n = 0;
    for (let i = 0; i < this.#count; i++) {
      const key = this.#key[this.#touched[i] ?? 0] ?? -1;
      if (key >= 0) out[n++] = key;
    }
    return out;
  }
}
