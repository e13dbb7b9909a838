/**
 * The full-text part of the index: postings (internal doc numbers in typed arrays) per
 * folded word and per Italian stem, and a query matcher that scores into typed scratch
 * arrays. Measured on 300k dossiers, Orama's radix tree collected a common word's documents
 * with an Array.includes per document (quadratic) and scored them through Maps: this keeps
 * the same analysis (Orama's Italian stemmer and stopwords) in flat arrays instead.
 */
import { isStopword, type QueryWord, stem, withinOneEdit } from "./italian_text.ts";

/**
 * The doc numbers holding one word, ascending. A plain array of small integers: measured,
 * thousands of tiny growing typed arrays cost more in allocation and GC than they save.
 */
export class Postings {
  readonly ids: number[] = [];
  /** How many documents hold the word. */
  get length(): number {
    return this.ids.length;
  }
  /** Appends a doc number (a repeat of the last one is ignored). */
  add(docNo: number): void {
    if (this.ids[this.ids.length - 1] !== docNo) this.ids.push(docNo);
  }
}

/** A word a query word may stand for, with how much a match on it is worth. */
interface Expansion {
  postings: Postings;
  weight: number;
  word: string;
}

/** The text postings and the scratch space queries score into. */
export class TextIndex {
  readonly words = new Map<string, Postings>();
  readonly stems = new Map<string, Postings>();
  #expansions = new Map<string, Expansion[]>();
  // The stemmer is the slow part of indexing; a town's vocabulary is small enough to cache.
  readonly #stemOf = new Map<string, string>();
  #gen = new Int32Array(0);
  #count = new Uint8Array(0);
  #acc = new Float32Array(0);
  #generation = 0;

  /** Adds the folded words of one document (see indexWords). */
  add(docNo: number, words: string[]): void {
    let grewVocabulary = false;
    for (const w of words) {
      let p = this.words.get(w);
      if (!p) {
        p = new Postings();
        this.words.set(w, p);
        grewVocabulary = true;
      }
      p.add(docNo);
      const s = this.stemOf(w);
      let ps = this.stems.get(s);
      if (!ps) {
        ps = new Postings();
        this.stems.set(s, ps);
      }
      ps.add(docNo);
    }
    // Cached prefix/typo expansions may now miss the new word.
    if (grewVocabulary && this.#expansions.size > 0) this.#expansions.clear();
  }

  /** The stem of a folded word, cached (the stemmer is slow; a town's vocabulary is small). */
  stemOf(word: string): string {
    let s = this.#stemOf.get(word);
    if (s === undefined) {
      s = stem(word);
      if (this.#stemOf.size > 500_000) this.#stemOf.clear();
      this.#stemOf.set(word, s);
    }
    return s;
  }

  /** The words and stems a query word matches: exact, same stem, prefix while typing, one typo. */
  expand(q: QueryWord): Expansion[] {
    const cacheKey = `${q.partial ? "*" : ""}${q.word}`;
    const cached = this.#expansions.get(cacheKey);
    if (cached) return cached;
    const out: Expansion[] = [];
    const exact = this.words.get(q.word);
    if (exact) out.push({ postings: exact, weight: 1, word: q.word });
    // Numbers are never fuzzy: 1234 must not find 1235 nor 12345.
    if (!/\d/.test(q.word)) {
      const s = this.stems.get(stem(q.word));
      if (s) out.push({ postings: s, weight: 0.9, word: q.word });
      const prefix = q.partial && q.word.length >= 3;
      const typo = q.word.length >= 5;
      if (prefix || typo) {
        for (const [w, p] of this.words) {
          if (w === q.word) continue;
          if (prefix && w.startsWith(q.word)) out.push({ postings: p, weight: 0.8, word: w });
          else if (typo && !/\d/.test(w) && withinOneEdit(q.word, w)) {
            out.push({ postings: p, weight: 0.6, word: w });
          }
        }
      }
    }
    if (this.#expansions.size > 5_000) this.#expansions.clear();
    this.#expansions.set(cacheKey, out);
    return out;
  }

  /**
   * Documents matching every query word (AND), with a score: per word the best expansion's
   * weight times its rarity. `alive` is 1 for documents that may be returned; a word may
   * also match in the `also` indexes (the clerk's people words).
   */
  match(
    query: QueryWord[],
    alive: Uint8Array,
    also: TextIndex[] = [],
  ): { docs: Int32Array; scores: Float32Array; words: string[] } {
    const words = query.filter((q) => !isStopword(q.word) || query.length === 1);
    const expanded = words.map((q) => [this, ...also].flatMap((index) => index.expand(q)));
    if (expanded.length === 0 || expanded.some((e) => e.length === 0)) {
      return { docs: new Int32Array(0), scores: new Float32Array(0), words: [] };
    }
    // The rarest word first: later words only confirm documents already found.
    const order = expanded.map((e) => ({ e, size: e.reduce((n, x) => n + x.postings.length, 0) }))
      .sort((a, b) => a.size - b.size);
    this.#ensure(alive.length);
    const g = ++this.#generation;
    const gen = this.#gen, count = this.#count, acc = this.#acc;
    const total = Math.max(1, alive.length);
    let list = new Int32Array(Math.max(16, order[0]?.size ?? 0));
    let n = 0;
    order.forEach(({ e }, i) => {
      for (const x of e) {
        const idf = Math.log(1 + total / Math.max(1, x.postings.length));
        const w = x.weight * idf;
        const ids = x.postings.ids;
        for (let k = 0; k < x.postings.length; k++) {
          const d = ids[k] ?? 0;
          if (i === 0) {
            if (gen[d] === g) continue;
            gen[d] = g;
            count[d] = 1;
            acc[d] = w;
            if (n === list.length) {
              const grown = new Int32Array(list.length * 2);
              grown.set(list);
              list = grown;
            }
            list[n++] = d;
          } else if (gen[d] === g && count[d] === i) {
            count[d] = i + 1;
            acc[d] = (acc[d] ?? 0) + w;
          }
        }
      }
    });
    const want = order.length;
    let m = 0;
    const docs = new Int32Array(n);
    const scores = new Float32Array(n);
    for (let k = 0; k < n; k++) {
      const d = list[k] ?? 0;
      if (count[d] === want && alive[d] === 1) {
        docs[m] = d;
        scores[m++] = acc[d] ?? 0;
      }
    }
    const matched = new Set<string>();
    for (const e of expanded) for (const x of e) matched.add(x.word);
    return { docs: docs.slice(0, m), scores: scores.slice(0, m), words: [...matched] };
  }

  #ensure(size: number): void {
    if (this.#gen.length >= size) return;
    const cap = Math.max(size, this.#gen.length * 2, 1024);
    this.#gen = new Int32Array(cap);
    this.#count = new Uint8Array(cap);
    this.#acc = new Float32Array(cap);
    this.#generation = 0;
  }
}
