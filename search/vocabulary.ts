/**
 * The term dictionary of one TextIndex: each distinct folded word without digits is one
 * Orama document `{ word }`, so Orama's radix tree finds the words a partial word starts
 * (prefix while typing); typos are looked up spelling by spelling (see `nearby`). The
 * postings stay in TextIndex: Orama only ever holds words, never records (docs/SEARCH.md).
 */
import { create, insert, type Orama, search, type Tokenizer } from "@orama/orama";
import { withinOneEdit } from "./italian_text.ts";

const SCHEMA = { word: "string" } as const;

// Candidates fetched by a first search; a 3-letter prefix of a large vocabulary may need more.
const FIRST_LIMIT = 1_000;

/**
 * Keeps a folded word whole: the default tokenizer would split it on symbols (e-mails) and
 * cache every token. Words and query terms come folded by italian_text.ts already.
 */
function wholeWordTokenizer(): Tokenizer {
  return {
    language: "italian",
    normalizationCache: new Map(),
    tokenize: (raw: string) => (raw === "" ? [] : [raw]),
  };
}

/** True for a word the dictionary holds: numbers and codes are never fuzzy nor prefixes. */
export function isDictionaryWord(word: string): boolean {
  return word.length > 0 && !/\d/.test(word);
}

/** The distinct words of a TextIndex in an Orama index, filled in batches. */
export class Vocabulary {
  readonly #orama: Orama<typeof SCHEMA>;
  #pending: string[] = [];
  #size = 0;
  /** The words already in Orama, for exact lookups of one-edit spellings. */
  readonly #known = new Set<string>();
  /** Every letter the words use: the letters a typo may have replaced or dropped. */
  readonly #letters = new Set<string>();

  constructor() {
    this.#orama = create({ schema: SCHEMA, components: { tokenizer: wholeWordTokenizer() } });
  }

  /** How many words Orama holds (pending ones excluded). */
  get size(): number {
    return this.#size;
  }

  /** Queues a word seen for the first time; Orama gets it at the next flush. */
  note(word: string): void {
    if (isDictionaryWord(word)) this.#pending.push(word);
  }

  /**
   * Inserts queued words, at most `max` of them (a build queues ~all of them, then one query
   * or pack flushes them all); returns how many are still queued.
   */
  flush(max = Infinity): number {
    if (this.#pending.length === 0) return 0;
    const words = max >= this.#pending.length ? this.#pending : this.#pending.slice(0, max);
    this.#pending = words === this.#pending ? [] : this.#pending.slice(words.length);
    for (const word of words) {
      this.#known.add(word);
      for (const c of word) this.#letters.add(c);
      // Orama's insert is synchronous with the default components; a promise would mean a
      // component changed, and the word would be indexed late rather than lost.
      void insert(this.#orama, { word });
    }
    this.#size += words.length;
    return this.#pending.length;
  }

  /** Words starting with `prefix` (the prefix itself included when it is a word), from Orama. */
  withPrefix(prefix: string): string[] {
    this.flush();
    if (!isDictionaryWord(prefix) || this.#size === 0) return [];
    // Every candidate counts (the caller weighs them), but Orama allocates an array of
    // `limit` slots per search: ask for a usual number first, and all only when more match.
    let res = this.#search(prefix, Math.min(this.#size, FIRST_LIMIT));
    if (res.count > res.hits.length) res = this.#search(prefix, res.count);
    return res.hits.map((h) => h.document.word);
  }

  /**
   * Words one edit from `word` (a letter inserted, deleted or replaced, or two adjacent
   * letters swapped), the first letter included. Not Orama's `tolerance`: its fuzzy walk
   * steps one query letter per radix node although a node's edge holds several letters, so
   * it missed 11 of 330 one-edit typos (`errari` → `ferrari`, `ocndoni` → `condoni`) and took
   * 1.1 ms against 0.03 ms for a scan of the 523-word vocabulary. Each one-edit spelling is
   * looked up instead: about 50 × length exact lookups, whatever the vocabulary's size.
   */
  nearby(word: string): string[] {
    this.flush();
    if (!isDictionaryWord(word)) return [];
    const n = word.length;
    // A small vocabulary (a few hundred words) is scanned faster than the spellings are built.
    if (this.#known.size < n * (2 * this.#letters.size + 2)) {
      return [...this.#known].filter((w) => w !== word && withinOneEdit(word, w));
    }
    const found = new Set<string>();
    const check = (w: string) => {
      if (w !== word && this.#known.has(w)) found.add(w);
    };
    for (let i = 0; i <= n; i++) {
      const head = word.slice(0, i);
      const tail = word.slice(i);
      if (i < n) check(head + tail.slice(1));
      if (i < n - 1) check(head + tail.charAt(1) + tail.charAt(0) + tail.slice(2));
      for (const c of this.#letters) {
        check(head + c + tail);
        if (i < n && c !== tail.charAt(0)) check(head + c + tail.slice(1));
      }
    }
    // withinOneEdit is the rule the rest of search/ shares: keep the two in agreement.
    return [...found].filter((w) => withinOneEdit(word, w));
  }

  #search(term: string, limit: number) {
    // Without `exact` nor `tolerance`, Orama's radix tree returns the words under `term`.
    const res = search(this.#orama, { term, properties: ["word"], limit });
    if (res instanceof Promise) throw new Error("Orama search turned asynchronous");
    return res;
  }
}
