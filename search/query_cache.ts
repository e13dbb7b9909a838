/**
 * Recent queries' ranked hit lists, so the keystrokes, pages and facet clicks that repeat a
 * query do not score its (possibly 100k) documents again.
 */
import type { SearchResult } from "./types.ts";

/** A query's hits after one set of filters and a sort, with their facet counts. */
export interface FilteredView {
  /** Doc numbers in display order (the first `ordered` of them; the rest in no order yet). */
  order: Int32Array;
  ordered: number;
  /** For each of `order`, its position in the ranked list (for matchedBy); absent: the same. */
  orderIndex?: Int32Array;
  facets: SearchResult["facets"];
}

/** A query's hits, best first, before filters; filters and facets run over it per request. */
export interface RankedHits {
  /** Recent filter/sort combinations of this query: paging through them costs nothing. */
  views?: Map<string, FilteredView>;
  docs: Int32Array;
  /** How each hit was found: 2 identifier, 1 address, 0 text. */
  matchedBy: Uint8Array;
  /** How many of `docs` lead in final order; those after rank below them, in no order. */
  ordered: number;
  /** Puts the hits after `ordered` in order too (a page past them was asked for). */
  orderRest?: () => void;
  highlights: string[];
  interpretation?: string;
}

/** A small least-recently-used map. */
export class LruMap<K, V> {
  readonly #entries = new Map<K, V>();
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** The cached value of `key`, refreshed as most recent. */
  get(key: K): V | undefined {
    const hit = this.#entries.get(key);
    if (hit !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, hit);
    }
    return hit;
  }

  /** Stores `value`, evicting the least recently used entry when full. */
  set(key: K, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.#capacity) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
  }

  /** Forgets everything (the index changed). */
  clear(): void {
    this.#entries.clear();
  }
}

/** Recent queries' ranked hits, by audience, index version and query text. */
export class QueryCache extends LruMap<string, RankedHits> {}

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

  /** Starts a merge over documents numbered below `size`. */
  begin(size: number): void {
    if (this.#key.length < size) {
      this.#key = new Float64Array(Math.max(size, this.#key.length * 2));
      this.#stamp = new Int32Array(this.#key.length);
      this.#touched = new Int32Array(this.#key.length);
      this.#gen = 0;
    }
    this.#gen++;
    this.#count = 0;
  }

  /** Keeps the larger key for `docNo`. */
  offer(docNo: number, key: number): void {
    if (this.#stamp[docNo] !== this.#gen) {
      this.#stamp[docNo] = this.#gen;
      this.#key[docNo] = key;
      this.#touched[this.#count++] = docNo;
    } else if (key > (this.#key[docNo] ?? 0)) this.#key[docNo] = key;
  }

  /** The merged keys (one per document offered). */
  keys(): Float64Array {
    const out = new Float64Array(this.#count);
    for (let i = 0; i < out.length; i++) out[i] = this.#key[this.#touched[i] ?? 0] ?? 0;
    return out;
  }
}
