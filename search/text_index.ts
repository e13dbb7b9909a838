/**
 * The full-text part of the index: postings (internal doc numbers, packed) per
 * folded word and per Italian stem, and a query matcher that scores into typed scratch
 * arrays. Measured on 300k dossiers, Orama's radix tree collected a common word's documents
 * with an Array.includes per document (quadratic) and scored them through Maps: this keeps
 * the same analysis (Orama's Italian stemmer and stopwords) in flat arrays instead, and
 * uses Orama where it is cheap, as the term dictionary for prefixes (vocabulary.ts).
 */
import { grownCapacity } from "./growth.ts";
import { isStopword, type QueryWord, stem } from "./italian_text.ts";
import { type HitRuns, rarity, textScore, WORD_WEIGHT } from "./ranking.ts";
import { Vocabulary } from "./vocabulary.ts";

/**
 * Doc numbers, ascending, in an Int32Array (4 bytes a number). While a list grows (the build,
 * then every update) it has spare room, so an update appends in place (growth.ts: doubling
 * while built, a sixteenth once settled);
 * `pack` trims the room after a build and compaction (compaction.ts) rebuilds lists exact.
 * Until issue 14 a packed list turned into a plain array (8 bytes a number and an object)
 * on its first update, and stayed so.
 */
export class Postings {
  #buf: Int32Array;
  #len: number;
  #view: Int32Array | undefined;
  /** Packed once (after a build, or made exact by compaction): grows by a sixteenth. */
  #settled: boolean;
  constructor(ids: Int32Array = new Int32Array(4), length = 0, settled = false) {
    this.#buf = ids;
    this.#len = length;
    this.#settled = settled;
  }
  /** The doc numbers. */
  get ids(): Int32Array {
    return this.#view ??= this.#len === this.#buf.length
      ? this.#buf
      : this.#buf.subarray(0, this.#len);
  }
  /** How many documents hold the word. */
  get length(): number {
    return this.#len;
  }
  /** Bytes the list holds, spare room included. */
  get bytes(): number {
    return this.#buf.byteLength;
  }
  /**
   * Whether the doc numbers ascend (they are appended as allocated, and compaction sorts
   * them): only then may `match` confirm by galloping through them.
   */
  get ascending(): boolean {
    return this.#ascending;
  }
  #ascending = true;
  /** Appends a doc number (a repeat of the last one is ignored). */
  add(docNo: number): void {
    if (this.#len > 0 && this.#buf[this.#len - 1] === docNo) return;
    if (this.#len > 0 && docNo < (this.#buf[this.#len - 1] ?? 0)) this.#ascending = false;
    if (this.#len === this.#buf.length) {
      const grown = new Int32Array(grownCapacity(this.#len, this.#settled));
      grown.set(this.#buf);
      this.#buf = grown;
    }
    this.#buf[this.#len++] = docNo;
    this.#view = undefined;
  }
  /** Drops the spare room (after a build: the lists stop growing). */
  pack(): void {
    this.#settled = true;
    if (this.#buf.length === this.#len) return;
    this.#buf = this.#buf.slice(0, this.#len);
    this.#view = undefined;
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

function view(e: Entry | undefined): PostingsView | undefined {
  // A bare number is viewed as a one-element Int32Array, not a plain array: the loops of
  // `match` then only ever read Int32Arrays (one kind of element access, not two).
  return e === undefined
    ? undefined
    : typeof e === "number"
    ? { ids: Int32Array.of(e), length: 1, ascending: true }
    : e;
}

/**
 * `entry` with its doc numbers renumbered by `renumber` (-1: dropped), ascending and packed;
 * undefined when none is left.
 */
function renumbered(entry: Entry, renumber: Int32Array): Entry | undefined {
  if (typeof entry === "number") {
    const d = renumber[entry] ?? -1;
    return d < 0 ? undefined : d;
  }
  const ids = entry.ids;
  const out = new Int32Array(ids.length);
  let n = 0;
  for (let k = 0; k < ids.length; k++) {
    const d = renumber[ids[k] ?? 0] ?? -1;
    if (d >= 0) out[n++] = d;
  }
  if (n === 0) return undefined;
  if (n === 1) return out[0];
  const packed = n === out.length ? out : out.slice(0, n);
  packed.sort();
  return new Postings(packed, n, true);
}

/** Bytes of an entry: a bare number sits in the map's slot (counted as 8). */
function entryBytes(e: Entry): number {
  return typeof e === "number" ? 8 : e.bytes;
}

/** A word a query word may stand for, with how much a match on it is worth. */
interface Expansion {
  postings: PostingsView;
  weight: number;
  word: string;
  /** Its documents are another list's of the same query word, at a higher weight (expand). */
  covered?: boolean;
}

/**
 * A later word's list at least this many times longer than the candidates is galloped
 * through rather than walked (see #matchAscending).
 */
const GALLOP_RATIO = 8;

/** The words a query's expansions matched, each once. */
function matchedWords(expanded: Expansion[][]): string[] {
  const matched = new Set<string>();
  for (const e of expanded) for (const x of e) matched.add(x.word);
  return [...matched];
}

/** What `match` found: scratch arrays of the index, valid until its next match. */
export interface TextMatch {
  docs: Int32Array;
  scores: Float32Array;
  /** The words matched (for highlighting). */
  words: string[];
  /** True when `docs` is in ascending order (unknown otherwise). */
  ascending?: boolean;
  /** The score of every hit, when they all have the same (one posting list). */
  score?: number;
  /**
   * One query word matched through several lists: its hits come in runs of one score each,
   * best first. Run i ends before hit `ends[i]`, its hits scored `scores[i]` (as `scores`
   * holds them, Float32).
   */
  runs?: HitRuns;
}

/**
 * Candidate `k` holds word `i` through an expansion scoring `w`: its first for this word moves
 * the previous word's best into the sum; a later one only raises the best. Both ways of
 * confirming the candidates of #matchAscending (walked beside, or through bits) share it.
 */
function confirmCandidate(
  count: Uint8Array,
  acc: Float32Array,
  best: Float32Array,
  k: number,
  i: number,
  w: number,
): void {
  const c = count[k] ?? 0;
  if (c === i) {
    count[k] = i + 1;
    acc[k] = (acc[k] ?? 0) + (best[k] ?? 0);
    best[k] = w;
  } else if (c === i + 1 && w > (best[k] ?? 0)) best[k] = w;
}

/** A word's documents as a query reads them. */
interface PostingsView {
  ids: Int32Array;
  length: number;
  ascending: boolean;
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
  readonly #stemOf: Map<string, string>;
  #gen = new Int32Array(0);
  // Words matched per document: a query has at most 100 words (200 characters), under 256.
  #count = new Uint8Array(0);
  #acc = new Float32Array(0);
  #best = new Float32Array(0);
  // The documents of the query's rarest word, reused from query to query (a new list per
  // query was garbage of 4 bytes a hit); not counted in bytes(): it follows the queries.
  #list = new Int32Array(16);
  // The answer of the last `match`, reused likewise (see match).
  #outDocs = new Int32Array(16);
  #outScores = new Float32Array(16);
  // Per candidate of #matchAscending (by position, not doc number), reused likewise.
  #candidateCount = new Uint8Array(16);
  #candidateAcc = new Float32Array(16);
  #candidateBest = new Float32Array(16);
  // A rarest word's lists merged (#candidatesOf), and the spares each merge writes into.
  #merged = new Int32Array(16);
  #mergedSpare = new Int32Array(16);
  #mergedBestSpare = new Float32Array(16);
  // One bit per doc number of a later word's list (#confirmByBits), zero between uses.
  #bits = new Int32Array(1024);
  #generation = 0;

  /** `stems`: a stem cache to share (a compacted copy keeps its original's). */
  constructor(stems = new Map<string, string>()) {
    this.#stemOf = stems;
  }

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
    if (exact) out.push({ postings: exact, weight: WORD_WEIGHT.exact, word: q.word });
    // Numbers are never fuzzy: 1234 must not find 1235 nor 12345.
    if (!/\d/.test(q.word)) {
      const s = this.stemOf(q.word);
      // Words sharing the stem; a word that is its own stem sits in `words` only.
      const sharing = view(this.stems.get(s));
      // The stem's documents include the word's (the word has that stem). Just as many means
      // the same documents, which the exact word already matches at a higher weight: the
      // stem would add nothing but a second pass over the same list. Most words are the
      // only one of their stem: "costruzione" was matched over 2 × 305k postings at 1M.
      const sameAsWord = s !== q.word && exact !== undefined &&
        sharing?.length === exact.length;
      if (sharing && !sameAsWord) {
        out.push({ postings: sharing, weight: WORD_WEIGHT.stem, word: q.word });
      }
      const asWord = s === q.word ? undefined : view(this.words.get(s));
      if (asWord) out.push({ postings: asWord, weight: WORD_WEIGHT.stem, word: s });
      // Candidates come from the vocabulary (distinct words without digits), not a scan.
      const seen = new Set([q.word]);
      const offer = (candidates: string[], weight: number) => {
        for (const w of candidates) {
          const postings = seen.has(w) ? undefined : view(this.words.get(w));
          seen.add(w);
          if (!postings) continue;
          // A completion or typo of the query's stem ("ditta" for "ditt", "piscina" for
          // "piscin") holding all of the stem's documents: the stem's list, at a higher
          // weight, already matches them. Reported (its word is highlighted), not read.
          const covered = sharing !== undefined && w !== s && sharing.length === postings.length &&
            this.stemOf(w) === s;
          out.push(
            covered ? { postings, weight, word: w, covered } : { postings, weight, word: w },
          );
        }
      };
      if (q.partial && q.word.length >= 3) {
        offer(this.vocabulary.withPrefix(q.word), WORD_WEIGHT.prefix);
      }
      if (q.word.length >= 5) offer(this.vocabulary.nearby(q.word), WORD_WEIGHT.typo);
    }
    if (this.#expansions.size > 5_000) this.#expansions.clear();
    this.#expansions.set(cacheKey, out);
    return out;
  }

  /**
   * Documents matching every query word (AND), with a score: per word the best expansion's
   * weight times its rarity. `alive` is 1 for documents that may be returned; a word may
   * also match in the `also` indexes (the clerk's people words). `docs` and `scores` are
   * scratch of this index: valid until its next `match`, so read them before then.
   */
  match(
    query: QueryWord[],
    alive: Uint8Array,
    also: TextIndex[] = [],
  ): TextMatch {
    const words = query.filter((q) => !isStopword(q.word) || query.length === 1);
    const expanded = words.map((q) => [this, ...also].flatMap((index) => index.expand(q)));
    if (expanded.length === 0 || expanded.some((e) => e.length === 0)) {
      return { docs: new Int32Array(0), scores: new Float32Array(0), words: [] };
    }
    // The lists to read: a covered one would only repeat another at a lower weight.
    const read = expanded.map((e) => e.some((x) => x.covered) ? e.filter((x) => !x.covered) : e);
    if (read.length === 1 && read[0]?.length === 1) {
      return { ...this.#single(read[0][0]!, alive), words: matchedWords(expanded) };
    }
    // The rarest word first: later words only confirm documents already found.
    const order = read.map((e) => ({ e, size: e.reduce((n, x) => n + x.postings.length, 0) }))
      .sort((a, b) => a.size - b.size);
    if (order.length > 1 && order.every(({ e }) => e.every((x) => x.postings.ascending))) {
      const docsTotal = Math.max(1, alive.length);
      return this.#matchAscending(order.map(({ e }) => e), alive, docsTotal, expanded);
    }
    if (order.length === 1) return this.#oneWord(order[0]?.e ?? [], alive, expanded);
    this.#ensure(alive.length);
    const g = this.#nextGeneration();
    const gen = this.#gen, count = this.#count, acc = this.#acc, best = this.#best;
    const total = Math.max(1, alive.length);
    const first = order[0]?.size ?? 0;
    // At least the first word's postings: its documents fit without growing.
    if (this.#list.length < first) this.#list = new Int32Array(first);
    const list = this.#list;
    let n = 0;
    // Per document: `count` words matched so far, `acc` the scores of the words before the
    // current one, `best` the best expansion of the current one (ranking.ts WORD_WEIGHT).
    // Plain loops, the first word apart: a closure per word and a branch on the word's
    // position per posting were a third of match's time at 1M.
    const want = order.length;
    for (const x of order[0]?.e ?? []) {
      const ids = x.postings.ids;
      const len = ids.length;
      const w = x.weight * rarity(total, len);
      for (let k = 0; k < len; k++) {
        const d = ids[k] ?? 0;
        if (gen[d] !== g) {
          gen[d] = g;
          count[d] = 1;
          acc[d] = 0;
          best[d] = w;
          list[n++] = d;
        } else if (w > (best[d] ?? 0)) best[d] = w;
      }
    }
    for (let i = 1; i < order.length; i++) {
      for (const x of order[i]?.e ?? []) {
        const ids = x.postings.ids;
        const len = ids.length;
        const w = x.weight * rarity(total, len);
        for (let k = 0; k < len; k++) {
          const d = ids[k] ?? 0;
          if (gen[d] !== g) continue;
          const c = count[d] ?? 0;
          if (c === i) {
            count[d] = i + 1;
            acc[d] = (acc[d] ?? 0) + (best[d] ?? 0);
            best[d] = w;
          } else if (c === i + 1 && w > (best[d] ?? 0)) best[d] = w;
        }
      }
    }
    // Written into scratch reused from query to query (a new pair per query was 8 bytes a
    // hit of garbage: half a MB for a common word at 1M, and the GC was 18 % of a loaded
    // kiosk's busy time); the caller reads them before the next query ranks. Sized for
    // every candidate, so one pass writes the answer (a pass counting it first, to size
    // it, went over the candidates' scratch twice).
    const out = this.#answer(n);
    const outDocs = out.docs, outScores = out.scores;
    let m = 0;
    for (let k = 0; k < n; k++) {
      const d = list[k] ?? 0;
      if (count[d] === want && alive[d] === 1) {
        outDocs[m] = d;
        outScores[m++] = textScore((acc[d] ?? 0) + (best[d] ?? 0), want);
      }
    }
    return {
      docs: outDocs.subarray(0, m),
      scores: outScores.subarray(0, m),
      words: matchedWords(expanded),
    };
  }

  /**
   * Several words, every list ascending: the rarest word's documents are the candidates, in
   * order (its lists merged when it has several: a word and its stem, or completions), and
   * each later list is walked beside them (galloped through when much longer), so a
   * candidate's count, sum and best sit at its position, next to the previous one's. The
   * general path keeps them per doc number, across 13 MB of scratch at 1M: 1.5-2.5 ms for
   * "costruzione" (305k) with a 64k word, 4.3 ms with "fabbricato" read as word and stem.
   * The same scores (the general path's best of a word's expansions), in doc order.
   */
  #matchAscending(
    order: Expansion[][],
    alive: Uint8Array,
    total: number,
    expanded: Expansion[][],
  ): TextMatch {
    const { candidates, n } = this.#candidatesOf(order[0]!, total);
    const count = this.#candidateCount, acc = this.#candidateAcc, best = this.#candidateBest;
    count.fill(1, 0, n);
    acc.fill(0, 0, n);
    for (let i = 1; i < order.length; i++) {
      for (const x of order[i] ?? []) {
        const ids = x.postings.ids;
        const len = ids.length;
        const w = x.weight * rarity(total, len);
        const gallop = len > GALLOP_RATIO * n;
        if (!gallop && n + len >= total / 32) {
          this.#confirmByBits(ids, len, candidates, n, i, w);
          continue;
        }
        let p = 0;
        for (let k = 0; k < n && p < len; k++) {
          const d = candidates[k] ?? 0;
          if ((ids[p] ?? 0) < d) {
            if (!gallop) {
              while (p < len && (ids[p] ?? 0) < d) p++;
            } else {
              // Doubling steps past d, then halving back to the first id not below it.
              let lo = p, step = 1;
              while (lo + step < len && (ids[lo + step] ?? 0) < d) {
                lo += step;
                step *= 2;
              }
              let hi = Math.min(len, lo + step);
              while (lo + 1 < hi) {
                const mid = (lo + hi) >>> 1;
                if ((ids[mid] ?? 0) < d) lo = mid;
                else hi = mid;
              }
              p = hi;
            }
            if (p >= len) break;
          }
          if (ids[p] === d) confirmCandidate(count, acc, best, k, i, w);
        }
      }
    }
    const want = order.length;
    const out = this.#answer(n);
    const outDocs = out.docs, outScores = out.scores;
    let m = 0;
    for (let k = 0; k < n; k++) {
      const d = candidates[k] ?? 0;
      if (count[k] === want && alive[d] === 1) {
        outDocs[m] = d;
        outScores[m++] = textScore((acc[k] ?? 0) + (best[k] ?? 0), want);
      }
    }
    return {
      docs: outDocs.subarray(0, m),
      scores: outScores.subarray(0, m),
      words: matchedWords(expanded),
      // Candidates in the order of the rarest word's list, which is ascending (see match).
      ascending: true,
    };
  }

  /**
   * Word `i`'s list `ids` confirms the candidates it holds, as the walk beside them does,
   * through a bitmap of the list: two long lists ("costruzione" 305k and "fabbricato" 187k
   * at 1M) took 3.6 ms walked side by side, a branch per step that the CPU could not
   * predict; set and read as bits, in the order of the doc numbers, they take well under 1.
   */
  #confirmByBits(
    ids: Int32Array,
    len: number,
    candidates: Int32Array,
    n: number,
    i: number,
    w: number,
  ): void {
    const words = ((ids[len - 1] ?? 0) >>> 5) + 1;
    if (this.#bits.length < words) {
      this.#bits = new Int32Array(Math.max(words, this.#bits.length * 2));
    }
    const bits = this.#bits;
    for (let k = 0; k < len; k++) {
      const d = ids[k] ?? 0;
      bits[d >>> 5] = (bits[d >>> 5] ?? 0) | (1 << (d & 31));
    }
    const count = this.#candidateCount, acc = this.#candidateAcc, best = this.#candidateBest;
    for (let k = 0; k < n; k++) {
      const d = candidates[k] ?? 0;
      if (d >>> 5 < words && ((bits[d >>> 5] ?? 0) & (1 << (d & 31))) !== 0) {
        confirmCandidate(count, acc, best, k, i, w);
      }
    }
    bits.fill(0, 0, words);
  }

  /**
   * The rarest word's documents in ascending order, with the best of its expansions' scores
   * in the candidates' `best` (sized here): one list as it is, several merged pairwise.
   */
  #candidatesOf(lists: Expansion[], total: number): { candidates: Int32Array; n: number } {
    const most = lists.reduce((sum, x) => sum + x.postings.length, 0);
    if (this.#candidateCount.length < most) {
      const cap = Math.max(most, this.#candidateCount.length * 2);
      this.#candidateCount = new Uint8Array(cap);
      this.#candidateAcc = new Float32Array(cap);
      this.#candidateBest = new Float32Array(cap);
    }
    const best = this.#candidateBest;
    const first = lists[0]!;
    if (lists.length === 1) {
      const n = first.postings.length;
      best.fill(first.weight * rarity(total, n), 0, n);
      return { candidates: first.postings.ids, n };
    }
    if (this.#merged.length < most) {
      this.#merged = new Int32Array(most);
      this.#mergedSpare = new Int32Array(most);
      this.#mergedBestSpare = new Float32Array(most);
    }
    // Merged so far: docs in `into`, scores in `best`; each next list merged into the spare
    // pair, which then swaps in.
    let into = this.#merged, spare = this.#mergedSpare;
    let scores = best, spareScores = this.#mergedBestSpare;
    let n = first.postings.length;
    into.set(first.postings.ids.subarray(0, n));
    scores.fill(first.weight * rarity(total, n), 0, n);
    for (let l = 1; l < lists.length; l++) {
      const x = lists[l]!;
      const ids = x.postings.ids, len = x.postings.length;
      const w = x.weight * rarity(total, len);
      let a = 0, b = 0, m = 0;
      while (a < n && b < len) {
        const da = into[a] ?? 0, db = ids[b] ?? 0;
        if (da < db) {
          spare[m] = da;
          spareScores[m++] = scores[a++] ?? 0;
        } else if (db < da) {
          spare[m] = db;
          spareScores[m++] = w;
          b++;
        } else {
          const sa = scores[a++] ?? 0;
          spare[m] = da;
          spareScores[m++] = w > sa ? w : sa;
          b++;
        }
      }
      while (a < n) {
        spare[m] = into[a] ?? 0;
        spareScores[m++] = scores[a++] ?? 0;
      }
      while (b < len) {
        spare[m] = ids[b++] ?? 0;
        spareScores[m++] = w;
      }
      [into, spare] = [spare, into];
      [scores, spareScores] = [spareScores, scores];
      n = m;
    }
    // The loops below read the candidates' best from #candidateBest.
    if (scores !== best) best.set(scores.subarray(0, n));
    this.#merged = into;
    this.#mergedSpare = spare;
    if (spareScores !== best) this.#mergedBestSpare = spareScores;
    else this.#mergedBestSpare = scores;
    return { candidates: into, n };
  }

  /**
   * One query word through several lists (a word and its stem, a prefix's completions,
   * typos): a document scores its best list's weight. Read best list first, a document is
   * written once, at its first list, so the hits come in runs of one score, best first, and
   * the ranking orders only the runs that hold the top (rank_query.ts), not every hit: at 1M
   * "abita" has 255k hits from several completions, and ordering them all was half of its
   * ranking.
   */
  #oneWord(lists: Expansion[], alive: Uint8Array, expanded: Expansion[][]): TextMatch {
    const total = Math.max(1, alive.length);
    this.#ensure(alive.length);
    const g = this.#nextGeneration();
    const gen = this.#gen;
    // Weights stored through a Float32, as #single's and the general path's are: the same
    // scores, so the same ranks.
    const weighted = lists.map((x) => ({
      ids: x.postings.ids,
      w: Math.fround(x.weight * rarity(total, x.postings.length)),
    })).sort((a, b) => b.w - a.w);
    let most = 0;
    for (const { ids } of weighted) most += ids.length;
    const { docs, scores } = this.#answer(most);
    const ends: number[] = [], runScores: number[] = [];
    let m = 0;
    for (const { ids, w } of weighted) {
      const score = Math.fround(textScore(w, 1));
      const start = m;
      for (let k = 0; k < ids.length; k++) {
        const d = ids[k] ?? 0;
        if (gen[d] === g) continue;
        gen[d] = g;
        if (alive[d] === 1) {
          docs[m] = d;
          scores[m++] = score;
        }
      }
      if (m === start) continue;
      // Lists of one weight (two typos of a word as long and as rare) make one run.
      if (runScores.at(-1) === score) ends[ends.length - 1] = m;
      else {
        ends.push(m);
        runScores.push(score);
      }
    }
    return {
      docs: docs.subarray(0, m),
      scores: scores.subarray(0, m),
      words: matchedWords(expanded),
      runs: { ends, scores: runScores },
    };
  }

  /**
   * One word with one expansion (most typos, rare words, a word typed whole): its postings
   * are the answer, filtered by `alive`, all with one score; no per-document scratch.
   */
  #single(
    x: Expansion,
    alive: Uint8Array,
  ): TextMatch {
    const ids = x.postings.ids;
    const len = ids.length;
    // Stored through a Float32 as the general path's `best` is, so the scores are the same.
    const score = textScore(Math.fround(x.weight * rarity(Math.max(1, alive.length), len)), 1);
    let m = 0;
    for (let k = 0; k < len; k++) if (alive[ids[k] ?? 0] === 1) m++;
    const { docs, scores } = this.#answer(m);
    m = 0;
    for (let k = 0; k < len; k++) {
      const d = ids[k] ?? 0;
      if (alive[d] === 1) docs[m++] = d;
    }
    scores.fill(score);
    // The score as the scores array holds it (a Float32): its rank is the same.
    return {
      docs,
      scores,
      words: [x.word],
      ascending: x.postings.ascending,
      score: Math.fround(score),
    };
  }

  /** The answer's scratch arrays, at length `m` (see match). */
  #answer(m: number): { docs: Int32Array; scores: Float32Array } {
    if (this.#outDocs.length < m) {
      this.#outDocs = new Int32Array(Math.max(m, this.#outDocs.length * 2));
      this.#outScores = new Float32Array(this.#outDocs.length);
    }
    return { docs: this.#outDocs.subarray(0, m), scores: this.#outScores.subarray(0, m) };
  }

  #ensure(size: number): void {
    if (this.#gen.length >= size) return;
    const cap = Math.max(size, this.#gen.length * 2, 1024);
    this.#gen = new Int32Array(cap);
    this.#count = new Uint8Array(cap);
    this.#acc = new Float32Array(cap);
    this.#best = new Float32Array(cap);
    this.#generation = 0;
  }

  /** A new query's stamp; the stamps start over before they would overflow an Int32. */
  #nextGeneration(): number {
    if (this.#generation >= 2 ** 31 - 2) {
      this.#gen.fill(0);
      this.#generation = 0;
    }
    return ++this.#generation;
  }

  /** Bytes of the postings (spare room included) and of the query scratch. */
  bytes(): number {
    return this.postingsBytes() + this.#gen.byteLength + this.#count.byteLength +
      this.#acc.byteLength +
      this.#best.byteLength;
  }

  /** The postings' bytes alone (spare room included), without the queries' scratch. */
  postingsBytes(): number {
    let n = 0;
    for (const e of this.words.values()) n += entryBytes(e);
    for (const e of this.stems.values()) n += entryBytes(e);
    return n;
  }

  /**
   * A copy with every doc number renumbered by `renumber` (old → new, -1: gone), lists
   * exact and packed, words no live document holds left out (of the vocabulary too). A
   * generator: it yields after each slice of about `slice` doc numbers, so the caller can
   * let queries run (they keep reading this index until the copy replaces it).
   */
  *compacted(renumber: Int32Array, slice: number): Generator<void, TextIndex> {
    const out = new TextIndex(this.#stemOf);
    let work = 0;
    for (const [from, to] of [[this.words, out.words], [this.stems, out.stems]] as const) {
      for (const [key, entry] of from) {
        const e = renumbered(entry, renumber);
        work += typeof entry === "number" ? 1 : entry.length;
        if (e !== undefined) {
          to.set(key, e);
          if (from === this.words) out.vocabulary.note(key);
        }
        if (work >= slice) {
          work = 0;
          yield;
        }
      }
    }
    // Orama takes about 16 µs a word: in slices too.
    while (out.vocabulary.flush(Math.max(100, slice >> 6)) > 0) yield;
    return out;
  }
}
