/**
 * The full-text part of the index: postings (internal doc numbers, packed) per
 * folded word and per Italian stem, and a query matcher that scores into typed scratch
 * arrays. Measured on 300k dossiers, Orama's radix tree collected a common word's documents
 * with an Array.includes per document (quadratic) and scored them through Maps: this keeps
 * the same analysis (Orama's Italian stemmer and stopwords) in flat arrays instead, and
 * uses Orama where it is cheap, as the term dictionary for prefixes (vocabulary.ts).
 */
import { isStopword, type QueryWord, stem } from "./italian_text.ts";
import { Vocabulary } from "./vocabulary.ts";

/** Doc numbers, ascending: a live list while it grows, packed 4 bytes a number after. */
export class Postings {
  #list: number[] | undefined = [];
  #packed = new Int32Array(0);
  /** The doc numbers. */
  get ids(): ArrayLike<number> {
    return this.#list ?? this.#packed;
  }
  /** How many documents hold the word. */
  get length(): number {
    return (this.#list ?? this.#packed).length;
  }
  /** Appends a doc number (a repeat of the last one is ignored). */
  add(docNo: number): void {
    this.#list ??= Array.from(this.#packed);
    if (this.#list[this.#list.length - 1] !== docNo) this.#list.push(docNo);
  }
  /** Packs the list into an Int32Array (half the memory of an array of numbers). */
  pack(): void {
    if (this.#list === undefined) return;
    this.#packed = Int32Array.from(this.#list);
    this.#list = undefined;
  }
}

/**
 * A word's documents: one doc number alone, or postings. Most codes (tax codes, e-mails)
 * occur once: a bare number spares an object and an array for each of 900k of them.
 */
type Entry = Postings | number;

/** What adding a doc number did to a map's entry for a key. */
const GREW = 0, REPLACED = 1, CREATED = 2;

/** Adds `docNo` under `key`: created (a new key), replaced (number → postings) or grew. */
function addTo(map: Map<string, Entry>, key: string, docNo: number): number {
  const e = map.get(key);
  if (e === undefined) {
    map.set(key, docNo);
    return CREATED;
  }
  if (typeof e !== "number") {
    e.add(docNo);
    return GREW;
  }
  if (e === docNo) return GREW;
  const p = new Postings();
  p.add(e);
  p.add(docNo);
  map.set(key, p);
  return REPLACED;
}

function view(e: Entry | undefined): { ids: ArrayLike<number>; length: number } | undefined {
  return e === undefined ? undefined : typeof e === "number" ? { ids: [e], length: 1 } : e;
}

/** A word a query word may stand for, with how much a match on it is worth. */
interface Expansion {
  postings: { ids: ArrayLike<number>; length: number };
  weight: number;
  word: string;
}

/** The text postings and the scratch space queries score into. */
export class TextIndex {
  readonly words = new Map<string, Entry>();
  /** Postings per stem, only for stems that differ from the word (codes have none). */
  readonly stems = new Map<string, Entry>();
  /** The distinct words without digits, in Orama: where prefixes and typos are looked up. */
  readonly vocabulary = new Vocabulary();
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
      const added = addTo(this.words, w, docNo);
      // Only queued here: Orama gets new words in one batch at the next query or pack.
      if (added === CREATED) this.vocabulary.note(w);
      if (added !== GREW) grewVocabulary = true;
      const s = this.stemOf(w);
      if (s !== w && addTo(this.stems, s, docNo) !== GREW) grewVocabulary = true;
    }
    // Cached expansions may now miss a new word or hold a replaced single-document entry.
    if (grewVocabulary && this.#expansions.size > 0) this.#expansions.clear();
  }

  /** Packs every postings list and fills the vocabulary (after a build: the lists stop growing). */
  pack(): void {
    this.vocabulary.flush();
    for (const e of this.words.values()) if (typeof e !== "number") e.pack();
    for (const e of this.stems.values()) if (typeof e !== "number") e.pack();
  }

  /** The stem of a folded word, cached (the stemmer is slow; a town's vocabulary is small). */
  stemOf(word: string): string {
    // Codes and numbers are their own stem at no cost: keep them out of the cache.
    if (/[^a-z]/.test(word)) return stem(word);
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
    const exact = view(this.words.get(q.word));
    if (exact) out.push({ postings: exact, weight: 1, word: q.word });
    // Numbers are never fuzzy: 1234 must not find 1235 nor 12345.
    if (!/\d/.test(q.word)) {
      const s = this.stemOf(q.word);
      // Words sharing the stem; a word that is its own stem sits in `words` only.
      const sharing = view(this.stems.get(s));
      if (sharing) out.push({ postings: sharing, weight: 0.9, word: q.word });
      const asWord = s === q.word ? undefined : view(this.words.get(s));
      if (asWord) out.push({ postings: asWord, weight: 0.9, word: s });
      // Candidates come from the vocabulary (distinct words without digits), not a scan.
      const seen = new Set([q.word]);
      const offer = (candidates: string[], weight: number) => {
        for (const w of candidates) {
          const postings = seen.has(w) ? undefined : view(this.words.get(w));
          seen.add(w);
          if (postings) out.push({ postings, weight, word: w });
        }
      };
      if (q.partial && q.word.length >= 3) offer(this.vocabulary.withPrefix(q.word), 0.8);
      if (q.word.length >= 5) offer(this.vocabulary.nearby(q.word), 0.6);
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
        const ids = x.postings.ids;
        const len = ids.length;
        const idf = Math.log(1 + total / Math.max(1, len));
        const w = x.weight * idf;
        for (let k = 0; k < len; k++) {
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
