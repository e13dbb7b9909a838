/**
 * Italian text analysis shared by indexing and querying: folding, word splitting with
 * elisions, stopwords and stemming (@orama/stemmers, @orama/stopwords).
 */
import { stemmer } from "@orama/stemmers/italian";
import { stopwords } from "@orama/stopwords/italian";
import { foldKeepingApostrophes, foldText } from "../domain/identifier_keys.ts";

const STOPWORDS = new Set(stopwords.map(foldText));

/** True for a folded word too common to search on (di, del, della, per, con…). */
export function isStopword(word: string): boolean {
  return STOPWORDS.has(word);
}

/** The Italian stem of a folded word; a word with digits or symbols is its own stem. */
export function stem(word: string): string {
  // Codes, numbers, e-mails and tax codes are their own stem (and skip the slow stemmer).
  return /[^a-z\u00c0-\u024f]/.test(word) ? word : stemmer(word);
}

// A word keeps inner apostrophes so "D'Annunzio" can be read whole ("dannunzio") and split.
const WORD = /[\p{L}\p{N}]+(?:['’`´][\p{L}\p{N}]+)*/gu;
const FOLDED_WORD = /[a-z0-9\p{L}]+(?:['’`´][a-z0-9\p{L}]+)*/gu;
const APOSTROPHE = /['’`´]/;

/**
 * Folded words of a text for indexing: an elided word gives its joined form and its parts
 * (`dell'edificio` → `delledificio`, `edificio`), so either spelling finds it. Stopwords
 * and one-letter words are dropped.
 */
export function indexWords(text: string): string[] {
  // Repeats are harmless: postings ignore a document added twice in a row.
  const out: string[] = [];
  const add = (w: string) => {
    if (w.length > 1 && !STOPWORDS.has(w)) out.push(w);
  };
  for (const raw of foldKeepingApostrophes(text).match(FOLDED_WORD) ?? []) {
    if (!APOSTROPHE.test(raw)) {
      add(raw);
      continue;
    }
    const parts = raw.split(/['’`´]/);
    add(parts.join(""));
    for (const part of parts) add(part);
  }
  return out;
}

/** One word of a query, with whether the person may still be typing it. */
export interface QueryWord {
  word: string;
  /** The last word with no space after it: also matched as a prefix. */
  partial: boolean;
}

/**
 * Folded words of a query (elisions joined, stopwords dropped). A trailing word of 1–2
 * letters still being typed is ignored when other words exist: it matches too much to help.
 */
export function queryWords(q: string): QueryWord[] {
  const raws = q.match(WORD) ?? [];
  const endsOpen = raws.length > 0 && !/\s$/.test(q);
  const words: QueryWord[] = [];
  raws.forEach((raw, i) => {
    const word = foldText(raw);
    if (word.length === 0) return;
    const partial = endsOpen && i === raws.length - 1;
    if (STOPWORDS.has(word) && !(partial && raws.length === 1)) return;
    words.push({ word, partial });
  });
  const last = words.at(-1);
  if (last && last.partial && last.word.length <= 2 && words.length > 1) words.pop();
  return words;
}

/**
 * True when `a` and `b` differ by at most one edit: a letter inserted, deleted or replaced,
 * or two adjacent letters swapped ("ampliamneto" → "ampliamento", a typo people make).
 */
export function withinOneEdit(a: string, b: string): boolean {
  const la = a.length, lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  // The tails are compared in place: slicing them cost two strings per call, and a street
  // query calls this for every word of every street of the town.
  if (la === lb) {
    if (sameFrom(a, i + 1, b, i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && sameFrom(a, i + 2, b, i + 2);
  }
  return la > lb ? sameFrom(a, i + 1, b, i) : sameFrom(a, i, b, i + 1);
}

/** Whether `a` from `ai` on equals `b` from `bi` on (as a.slice(ai) === b.slice(bi)). */
function sameFrom(a: string, ai: number, b: string, bi: number): boolean {
  const n = Math.max(0, a.length - ai);
  if (n !== Math.max(0, b.length - bi)) return false;
  for (let k = 0; k < n; k++) if (a.charCodeAt(ai + k) !== b.charCodeAt(bi + k)) return false;
  return true;
}
