/**
 * The mixed query set, built from the generated archive itself: a deterministic sample of
 * public dossiers gives identifiers and addresses in the spellings people type; word
 * frequencies give common, rare and misspelled words. Each query knows what a right answer
 * is (`accept`), so every engine is judged on finding it, not only on speed.
 */
import type { DossierDoc, RecordDoc } from "../domain/records.ts";
import {
  addressQuery,
  cadastralQuery,
  legacyQuery,
  protocolQuery,
  typeNumberQuery,
} from "./_spellings.ts";
import { fold, isStopword, publicStems, publicSubject, stemOf, wordsOf } from "./_words.ts";

/** Every kind of query the benchmark reports on, in table order. */
export const QUERY_KINDS = [
  "protocol",
  "type_number",
  "legacy_key",
  "cadastral",
  "address",
  "address_abbr",
  "common_word",
  "two_words",
  "rare_word",
  "typo",
  "prefix",
  "filtered",
] as const;

/** One kind of query. */
export type QueryKind = typeof QUERY_KINDS[number];

/** Filters a query may carry, as `/api/search` URL parameters. */
export interface QueryFilters {
  type?: string;
  decade?: string;
  status?: string;
}

/** One query of the set and how to tell a right hit. */
export interface QueryCase {
  kind: QueryKind;
  q: string;
  filters: QueryFilters;
  /** The record the query was made from (a right hit, though maybe not the only one). */
  targetId: string;
  accept: (doc: RecordDoc) => boolean;
}

const MIN_WORD = 5;

/** Watches every generated record once and then builds the query set. */
export class QuerySampler {
  readonly #stride: number;
  readonly #pool: DossierDoc[] = [];
  readonly #df = new Map<string, number>();
  readonly #firstWith = new Map<string, string>();
  readonly #original = new Map<string, string>();
  #dossiers = 0;

  /** Keeps about `poolSize` dossiers spread evenly over `totalDossiers`. */
  constructor(totalDossiers: number, poolSize = 800) {
    this.#stride = Math.max(1, Math.floor(totalDossiers / poolSize));
  }

  /** Counts the record's public words and keeps it as a target now and then. */
  observe(doc: RecordDoc): void {
    const subject = publicSubject(doc);
    if (subject === undefined) return;
    for (const word of new Set(wordsOf(subject))) {
      if (word.length < MIN_WORD || isStopword(word) || /\d/.test(word)) continue;
      this.#df.set(word, (this.#df.get(word) ?? 0) + 1);
      if (!this.#firstWith.has(word)) this.#firstWith.set(word, doc.id);
    }
    for (const raw of subject.match(/[\p{L}]+(?:['’][\p{L}]+)*/gu) ?? []) {
      const f = fold(raw);
      if (!this.#original.has(f)) this.#original.set(f, raw.toLowerCase());
    }
    if (doc.record !== "dossier") return;
    if (this.#dossiers++ % this.#stride === 0) this.#pool.push(doc);
  }

  /** About `perKind` distinct queries of each kind (fewer where the data has fewer). */
  build(perKind: number): QueryCase[] {
    const byDf = [...this.#df.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const common = byDf.slice(0, perKind).map(([w]) => w);
    const rare = byDf.filter(([, n]) => n >= 1).slice(-perKind).map(([w]) => w);
    const out: QueryCase[] = [];
    const add = (c: QueryCase | undefined) => {
      if (c && !out.some((o) => o.kind === c.kind && o.q === c.q && sameFilters(o, c))) out.push(c);
    };
    const pool = this.#pool;
    const take = (kind: QueryKind, make: (d: DossierDoc, i: number) => QueryCase | undefined) => {
      let made = 0;
      for (let i = 0; i < pool.length && made < perKind; i++) {
        const before = out.length;
        const d = pool[(i * 7) % pool.length];
        if (d) add(make(d, i));
        if (out.length > before && out[out.length - 1]?.kind === kind) made++;
      }
    };
    take("protocol", (d, i) => protocolQuery(d, i));
    take("type_number", (d, i) => typeNumberQuery(d, i));
    take("legacy_key", (d, i) => legacyQuery(d, i));
    take("cadastral", (d, i) => cadastralQuery(d, i));
    take("address", (d, i) => addressQuery(d, i, false));
    take("address_abbr", (d, i) => addressQuery(d, i, true));
    for (const w of common) add(this.#textCase("common_word", [w], this.#shown(w)));
    take("two_words", (d) => this.#twoWords(d));
    for (const w of rare) add(this.#textCase("rare_word", [w], this.#shown(w)));
    const typoWords = common.filter((w) => w.length >= 6);
    for (let i = 0; i < perKind && typoWords.length > 0; i++) {
      const w = typoWords[i % typoWords.length] ?? "";
      add(this.#textCase("typo", [w], misspell(w, i)));
    }
    for (let i = 0; i < perKind && common.length > 0; i++) {
      const w = common[i % common.length] ?? "";
      add(prefixCase(w.slice(0, 3 + (i % 4)), this.#firstWith.get(w) ?? ""));
    }
    take("filtered", (d, i) => this.#filtered(d, i));
    return out;
  }

  #shown(word: string): string {
    return this.#original.get(word) ?? word;
  }

  #textCase(kind: QueryKind, words: string[], q: string): QueryCase | undefined {
    const stems = words.filter((w) => !isStopword(w)).map(stemOf);
    const targetId = this.#firstWith.get(words[0] ?? "") ?? "";
    if (stems.length === 0) return undefined;
    return {
      kind,
      q,
      filters: {},
      targetId,
      accept: (doc) => {
        const have = publicStems(doc);
        return stems.every((s) => have.has(s));
      },
    };
  }

  #twoWords(d: DossierDoc): QueryCase | undefined {
    const words = wordsOf(publicSubject(d) ?? "").filter((w) =>
      w.length >= MIN_WORD && !isStopword(w) && !/\d/.test(w)
    );
    const pair = words.slice(0, 2);
    if (pair.length < 2 || pair[0] === pair[1]) return undefined;
    const c = this.#textCase("two_words", pair, pair.map((w) => this.#shown(w)).join(" "));
    return c && { ...c, targetId: d.id };
  }

  #filtered(d: DossierDoc, i: number): QueryCase | undefined {
    const word = wordsOf(publicSubject(d) ?? "").find((w) =>
      w.length >= MIN_WORD && !isStopword(w)
    );
    if (!word) return undefined;
    const base = this.#textCase("filtered", [word], this.#shown(word));
    if (!base) return undefined;
    const decade = Math.floor(d.year / 10) * 10;
    const filters: QueryFilters = i % 2 === 0
      ? { type: d.type, decade: String(decade) }
      : { status: d.status, decade: String(decade) };
    return {
      ...base,
      filters,
      targetId: d.id,
      accept: (doc) =>
        base.accept(doc) && doc.record === "dossier" &&
        (filters.type === undefined || doc.type === filters.type) &&
        (filters.status === undefined || doc.status === filters.status) &&
        Math.floor(doc.year / 10) * 10 === decade,
    };
  }
}

function sameFilters(a: QueryCase, b: QueryCase): boolean {
  return JSON.stringify(a.filters) === JSON.stringify(b.filters);
}

function prefixCase(prefix: string, targetId: string): QueryCase {
  return {
    kind: "prefix",
    q: prefix,
    filters: {},
    targetId,
    accept: (doc) => wordsOf(publicSubject(doc) ?? "").some((w) => w.startsWith(prefix)),
  };
}

/** One edit (Levenshtein 1) of a word, in four ways, the first letter included. */
export function misspell(word: string, variant: number): string {
  const mid = Math.floor(word.length / 2);
  const shift = (c: string) => (c === "z" ? "a" : String.fromCharCode(c.charCodeAt(0) + 1));
  switch (variant % 4) {
    case 0:
      return word.slice(0, mid) + shift(word[mid] ?? "a") + word.slice(mid + 1);
    case 1:
      return word.slice(0, mid) + word.slice(mid + 1);
    case 2:
      return word.slice(0, mid) + (word[mid] ?? "") + word.slice(mid);
    default:
      return shift(word[0] ?? "a") + word.slice(1);
  }
}
