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
  readonly #onDrop: ((value: V) => void) | undefined;
  #weight = 0;

  /**
   * `onDrop` is told of every value that leaves the map (evicted, replaced by another
   * value, or cleared), so what it owns can be reused.
   */
  constructor(
    capacity: number,
    weigh?: (value: V) => number,
    budget = Infinity,
    onDrop?: (value: V) => void,
  ) {
    this.#capacity = capacity;
    this.#weigh = weigh ?? (() => 0);
    this.#budget = budget;
    this.#onDrop = onDrop;
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
    this.#drop(key, value);
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

  /** The bound on the sum of the weights (Infinity: none). */
  get budget(): number {
    return this.#budget;
  }

  /** How many entries are kept. */
  get size(): number {
    return this.#entries.size;
  }

  /** Forgets everything (the index changed). */
  clear(): void {
    const dropped = [...this.#entries.values()];
    this.#entries.clear();
    this.#weight = 0;
    if (this.#onDrop) { for (const entry of dropped) this.#onDrop(entry.value); }
  }

  /** Removes `key`; its value is dropped unless it is `kept` (the same value set again). */
  #drop(key: K, kept?: V): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#weight -= entry.weight;
    this.#entries.delete(key);
    if (this.#onDrop && entry.value !== kept) this.#onDrop(entry.value);
  }
}

/** Stores smaller than this are not pooled: V8 frees them cheaply and they weigh little. */
const POOLED_MIN_BYTES = 16 * 1024;

/**
 * Reusable stores for the hit lists the query cache keeps. A cached list lives seconds,
 * long enough for V8 to move it to its old generation, and under first-time load at 1M the
 * cache turns over tens of MB a second: the evicted lists' stores stayed allocated until
 * V8's next full collection, and RSS grew by hundreds of MB (docs/SEARCH.md, "What RSS is
 * made of under load"). Lists are copied into stores of power-of-two sizes; a list leaving
 * the cache gives its stores back here and the next list of that size class takes one, so
 * the cache's turnover allocates nothing once the classes are stocked. At most
 * `maxFreeBytes` wait here; past that a store goes to V8 as before.
 *
 * A store is lent until released, and released once: release ignores a store it did not
 * lend or already has back, so a list shared by a query and its unfiltered view, or a list
 * made elsewhere, is safe to hand in. Whoever releases must hold no view of the store.
 */
export class HitListPool {
  readonly #free = new Map<number, ArrayBuffer[]>();
  readonly #lent = new WeakSet<ArrayBuffer>();
  // Lent stores a cache took as they were (adopt): a second adoption of one would have two
  // entries release it.
  readonly #adopted = new WeakSet<ArrayBuffer>();
  readonly maxFreeBytes: number;
  #freeBytes = 0;

  constructor(maxFreeBytes = 16 * 2 ** 20) {
    this.maxFreeBytes = maxFreeBytes;
  }

  /** Bytes of stores waiting to be reused. */
  get freeBytes(): number {
    return this.#freeBytes;
  }

  /** `n` doc numbers in a pooled store (zeroed only when new: the caller fills them). */
  int32(n: number): Int32Array {
    const store = this.#take(n * 4);
    return store ? new Int32Array(store, 0, n) : new Int32Array(n);
  }

  /** `n` ranks in a pooled store (zeroed only when new: the caller fills them). */
  uint16(n: number): Uint16Array {
    const store = this.#take(n * 2);
    return store ? new Uint16Array(store, 0, n) : new Uint16Array(n);
  }

  /** A copy of `list` in a pooled store. */
  copyInt32(list: Int32Array): Int32Array {
    const out = this.int32(list.length);
    out.set(list);
    return out;
  }

  /** A copy of `list` in a pooled store. */
  copyUint16(list: Uint16Array): Uint16Array {
    const out = this.uint16(list.length);
    out.set(list);
    return out;
  }

  /**
   * Whether the cache may keep `list` as it is: its store is one this pool lent, not back yet,
   * and not adopted before. The store is then the adopter's, to release when it lets go.
   */
  adopt(list: Int32Array | Uint16Array): boolean {
    const store = list.buffer as ArrayBuffer;
    if (!this.#lent.has(store) || this.#adopted.has(store)) return false;
    this.#adopted.add(store);
    return true;
  }

  /** Takes back the store of `list`, if this pool lent it and has not had it back. */
  release(list: Int32Array | Uint16Array): void {
    const store = list.buffer as ArrayBuffer;
    if (!this.#lent.has(store)) return;
    this.#lent.delete(store);
    this.#adopted.delete(store);
    this.#keep(store);
  }

  /**
   * Allocates `count` more free stores of the size class of `bytes`, past the bound if need
   * be (the next lists lent take them), while nothing else is going on: a new store costs its
   * pages' first touch, which on a small VM was 7-10 ms for the 3 MB of one common word's
   * lists at 1M.
   */
  stock(bytes: number, count: number): void {
    // Smaller lists are never lent from here (#take).
    if (bytes < POOLED_MIN_BYTES || count <= 0) return;
    const size = 2 ** Math.ceil(Math.log2(bytes));
    const stores = Array.from({ length: count }, () => new ArrayBuffer(size));
    const free = this.#free.get(size);
    if (free) free.push(...stores);
    else this.#free.set(size, stores);
    this.#freeBytes += size * count;
  }

  /**
   * Files a free store. Past the bound, smaller free stores make room for a larger one (they
   * are the cheaper to allocate again, and the large lists are the common words'), else it
   * goes to V8.
   */
  #keep(store: ArrayBuffer): void {
    const size = store.byteLength;
    while (this.#freeBytes + size > this.maxFreeBytes) {
      let smallest = Infinity;
      for (const [s, list] of this.#free) if (list.length > 0 && s < smallest) smallest = s;
      if (smallest >= size) return;
      this.#free.get(smallest)?.pop();
      this.#freeBytes -= smallest;
    }
    const free = this.#free.get(size);
    if (free) free.push(store);
    else this.#free.set(size, [store]);
    this.#freeBytes += size;
  }

  /** A free or new store of the size class of `bytes`; undefined below the pooled size. */
  #take(bytes: number): ArrayBuffer | undefined {
    if (bytes < POOLED_MIN_BYTES) return undefined;
    const size = 2 ** Math.ceil(Math.log2(bytes));
    let store = this.#free.get(size)?.pop();
    if (store) this.#freeBytes -= size;
    else store = new ArrayBuffer(size);
    this.#lent.add(store);
    return store;
  }
}

/**
 * Bytes a query's ranked hits hold, counted from their typed arrays: 6 per hit (a 4-byte doc
 * number, a 2-byte rank), doubled for about one filtered view of the same size, plus 200 for
 * the rest. A cache of a few hundred queries then stays near its budget, where a count alone
 * let it reach hundreds of MB of common words.
 */
export function rankedBytes(hits: RankedHits): number {
  return 2 * (hits.docs.buffer.byteLength + hits.rank.buffer.byteLength) + 200;
}

/**
 * Gives back to `pool` the stores of `views`, except those they share with `ranked` (an
 * unfiltered view is its query's own lists), which stay with the query while it is cached.
 */
export function releaseViews(
  pool: HitListPool,
  views: Iterable<FilteredView>,
  ranked?: RankedHits,
): void {
  const shared = new Set([ranked?.docs.buffer, ranked?.rank.buffer]);
  for (const view of views) {
    if (!shared.has(view.order.buffer)) pool.release(view.order);
    if (!shared.has(view.rank.buffer)) pool.release(view.rank);
  }
}

/**
 * Recent queries' ranked hits, by audience, index version and query text: at most 500
 * queries and 48 MB, so search-as-you-type keystrokes and re-visited queries cost no ranking.
 * Lists kept through `keep` live in the cache's pool and go back to it when they leave.
 */
export class QueryCache extends LruMap<string, RankedHits> {
  readonly pool: HitListPool;

  constructor(capacity = 500, budgetBytes = 48 * 2 ** 20, pool = new HitListPool()) {
    super(capacity, rankedBytes, budgetBytes, (hits) => {
      pool.release(hits.docs);
      pool.release(hits.rank);
      if (hits.views) releaseViews(pool, hits.views.values());
    });
    this.pool = pool;
  }

  /**
   * Stores `hits` with lists that live in the pool, and returns what it stored: the caller
   * goes on with that. Lists the ranking wrote into this pool's stores are kept as they are
   * (rank_query.ts allocates a query's lists here); others are copied into pooled stores.
   */
  keep(key: string, hits: RankedHits): RankedHits {
    const kept: RankedHits = {
      ...hits,
      docs: this.pool.adopt(hits.docs) ? hits.docs : this.pool.copyInt32(hits.docs),
      rank: this.pool.adopt(hits.rank) ? hits.rank : this.pool.copyUint16(hits.rank),
    };
    this.set(key, kept);
    return kept;
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
