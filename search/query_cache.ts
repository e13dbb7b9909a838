/**
 * Recent queries' ranked hit lists, so the keystrokes, pages and facet clicks that repeat a
 * query do not score its (possibly 100k) documents again.
 */

/** A query's hits, best first, before filters; filters and facets run over it per request. */
export interface RankedHits {
  docs: Int32Array;
  /** How each hit was found: 2 identifier, 1 address, 0 text. */
  matchedBy: Uint8Array;
  highlights: string[];
  interpretation?: string;
}

/** A small least-recently-used map. */
export class QueryCache {
  readonly #entries = new Map<string, RankedHits>();
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** The cached hits of `key`, refreshed as most recent. */
  get(key: string): RankedHits | undefined {
    const hit = this.#entries.get(key);
    if (hit) {
      this.#entries.delete(key);
      this.#entries.set(key, hit);
    }
    return hit;
  }

  /** Stores `value`, evicting the least recently used entry when full. */
  set(key: string, value: RankedHits): void {
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
