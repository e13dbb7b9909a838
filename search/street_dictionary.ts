/**
 * Addresses searched through a dictionary of distinct normalised streets (a town has a few
 * thousand): a query scans the dictionary, then collects the dossiers of the streets that
 * match and ranks them by civic. Full-text scoring of "via roma 12" over 300k subjects is
 * what made the naive index take seconds.
 */
import { grownCapacity } from "./growth.ts";
import { withinOneEdit } from "./italian_text.ts";
import { CIVIC_RANK, HISTORIC_STREET } from "./ranking.ts";
import {
  type AddressQuery,
  civicBase,
  normCivic,
  parseStreet,
  streetKey,
  type StreetName,
} from "./street_names.ts";

/**
 * The dossiers filed at one street, in typed arrays (9 bytes an address, where four plain
 * arrays took 32: at 1M dossiers the street dictionary held 2.5M addresses).
 */
class StreetEntry {
  readonly name: StreetName;
  length = 0;
  docs = new Int32Array(4);
  /** Code of the normal civic (0: none) per entry of `docs`, in the dictionary's civics. */
  civics = new Uint32Array(4);
  /** 1 where the address is a historic name of the street. */
  historic = new Uint8Array(4);
  /** Packed once (after a build or a compaction): grows by a sixteenth (growth.ts). */
  #settled = false;
  constructor(name: StreetName) {
    this.name = name;
  }
  push(docNo: number, civic: number, historic: boolean): void {
    if (this.length === this.docs.length) {
      const cap = grownCapacity(this.length, this.#settled);
      this.docs = grown(new Int32Array(cap), this.docs);
      this.civics = grown(new Uint32Array(cap), this.civics);
      this.historic = grown(new Uint8Array(cap), this.historic);
    }
    this.docs[this.length] = docNo;
    this.civics[this.length] = civic;
    this.historic[this.length++] = historic ? 1 : 0;
  }
  /** Drops the spare room. */
  pack(): void {
    this.#settled = true;
    if (this.length === this.docs.length) return;
    this.docs = this.docs.slice(0, this.length);
    this.civics = this.civics.slice(0, this.length);
    this.historic = this.historic.slice(0, this.length);
  }
}

function grown<T extends { set(source: ArrayLike<number>): void }>(target: T, from: T): T {
  target.set(from as unknown as ArrayLike<number>);
  return target;
}

const LOCALITY_GENERICS = new Set(["localita", "frazione"]);

/** Distinct streets (and localities) → the dossiers at them. */
export class StreetDictionary {
  readonly #streets = new Map<string, StreetEntry>();
  // A town writes the same few thousand street names and civics over and over: parsing
  // each spelling once took the build's street time from seconds to milliseconds.
  readonly #parsed = new Map<string, StreetName>();
  /** Civic as written → its code; code → the normal civic and its leading number's code. */
  readonly #civicCode = new Map<string, number>([["", 0]]);
  readonly #normCode = new Map<string, number>([["", 0]]);
  readonly #civicText: string[] = [""];
  readonly #baseOf: number[] = [0];

  #parse(text: string, asLocality: boolean): StreetName {
    const key = asLocality ? `\u0000${text}` : text;
    let name = this.#parsed.get(key);
    if (!name) {
      const parsed = parseStreet(text);
      name = asLocality ? { generic: "localita", words: parsed.words } : parsed;
      this.#parsed.set(key, name);
    }
    return name;
  }

  /** The code of a normal civic (and of its leading number), added when new. */
  #codeOfNorm(norm: string): number {
    let c = this.#normCode.get(norm);
    if (c === undefined) {
      c = this.#civicText.length;
      this.#civicText.push(norm);
      this.#normCode.set(norm, c);
      this.#baseOf.push(0);
      const base = civicBase(norm);
      this.#baseOf[c] = base === norm ? c : this.#codeOfNorm(base);
    }
    return c;
  }

  /** Files a dossier's address; a locality is filed as "localita <name>" too. */
  add(
    docNo: number,
    street: string,
    civic: string | undefined,
    locality?: string,
    historic = false,
  ) {
    let code = 0;
    if (civic) {
      let c = this.#civicCode.get(civic);
      if (c === undefined) {
        c = this.#codeOfNorm(normCivic(civic));
        this.#civicCode.set(civic, c);
      }
      code = c;
    }
    this.#file(this.#parse(street, false), docNo, code, historic);
    if (locality) this.#file(this.#parse(locality, true), docNo, 0, historic);
  }

  #file(name: StreetName, docNo: number, civic: number, historic: boolean): void {
    if (name.words.length === 0) return;
    const key = streetKey(name);
    let entry = this.#streets.get(key);
    if (!entry) {
      entry = new StreetEntry(name);
      this.#streets.set(key, entry);
    }
    entry.push(docNo, civic, historic);
  }

  /** Drops the spare room of every street (after a build). */
  pack(): void {
    for (const e of this.#streets.values()) e.pack();
  }

  /** The bytes of the filed addresses' arrays (their capacity). */
  bytes(): number {
    let n = 0;
    for (const e of this.#streets.values()) {
      n += e.docs.byteLength + e.civics.byteLength + e.historic.byteLength;
    }
    return n;
  }

  /**
   * A copy with doc numbers renumbered by `renumber` (old → new, -1: gone), dead dossiers
   * dropped, each street's dossiers ascending as a fresh build files them; yields after each
   * slice of about `slice` filed addresses.
   */
  *compacted(renumber: Int32Array, slice: number): Generator<void, StreetDictionary> {
    const out = new StreetDictionary();
    for (const [k, v] of this.#parsed) out.#parsed.set(k, v);
    // The civic codes stay as they are: the copy's entries keep them.
    for (const [k, v] of this.#civicCode) out.#civicCode.set(k, v);
    for (const [k, v] of this.#normCode) out.#normCode.set(k, v);
    out.#civicText.push(...this.#civicText.slice(1));
    out.#baseOf.push(...this.#baseOf.slice(1));
    const kept: { key: string; first: number; entry: StreetEntry }[] = [];
    let work = 0;
    for (const [key, old] of this.#streets) {
      const at: number[] = [];
      for (let i = 0; i < old.length; i++) {
        if ((renumber[old.docs[i] ?? 0] ?? -1) >= 0) at.push(i);
      }
      const newDoc = (i: number) => renumber[old.docs[i] ?? 0] ?? 0;
      // Stable: a dossier's addresses on one street keep their order.
      at.sort((a, b) => newDoc(a) - newDoc(b) || a - b);
      work += old.length;
      if (at.length > 0) {
        const entry = new StreetEntry(old.name);
        for (const i of at) entry.push(newDoc(i), old.civics[i] ?? 0, old.historic[i] === 1);
        entry.pack();
        kept.push({ key, first: newDoc(at[0] ?? 0), entry });
      }
      if (work >= slice) {
        work = 0;
        yield;
      }
    }
    // Streets in the order a fresh build meets them: by their first dossier.
    kept.sort((a, b) => a.first - b.first);
    for (const { key, entry } of kept) out.#streets.set(key, entry);
    return out;
  }

  /**
   * Offers each live dossier at a street matching `query` with its civic rank (2: the typed
   * civic, 1.5: the typed number with an exponent, 1: elsewhere on the street), street
   * score and whether the street matched exactly (no typo, no prefix). With a civic typed,
   * the rest of the street only comes when nothing is at that civic. Returns the street
   * words that matched, for highlights.
   */
  find(
    query: AddressQuery,
    alive: Uint8Array,
    offer: (docNo: number, civicRank: number, streetScore: number, exact: boolean) => void,
  ): string[] {
    const matched: { entry: StreetEntry; score: number; exact: boolean }[] = [];
    const words = new Set<string>();
    for (const entry of this.#streets.values()) {
      const match = matchStreet(query.street, entry.name);
      if (!match) continue;
      matched.push({ entry, score: match.score, exact: match.exact });
      for (const w of match.words) words.add(w);
    }
    const wanted = query.civic;
    // `12` also finds `12/A` (lower); `12/A` does not find `12`. A civic no address has
    // gets code -1: it matches none.
    const wantedIsBase = wanted !== undefined && civicBase(wanted) === wanted;
    const wantedCode = wanted === undefined ? -1 : this.#normCode.get(wanted) ?? -1;
    const baseOf = this.#baseOf;
    const rankAt = (entry: StreetEntry, i: number): number => {
      if (wanted === undefined) return CIVIC_RANK.street;
      const c = entry.civics[i] ?? 0;
      if (c === wantedCode) return CIVIC_RANK.exact;
      return wantedIsBase && baseOf[c] === wantedCode ? CIVIC_RANK.base : CIVIC_RANK.street;
    };
    let anyAtCivic = false;
    if (wanted !== undefined) {
      for (const { entry } of matched) {
        for (let i = 0; i < entry.length && !anyAtCivic; i++) {
          if (alive[entry.docs[i] ?? 0] === 1 && rankAt(entry, i) > CIVIC_RANK.street) {
            anyAtCivic = true;
          }
        }
      }
    }
    for (const { entry, score, exact } of matched) {
      for (let i = 0; i < entry.length; i++) {
        const docNo = entry.docs[i] ?? 0;
        if (alive[docNo] !== 1) continue;
        const rank = rankAt(entry, i);
        if (anyAtCivic && rank === CIVIC_RANK.street) continue;
        offer(docNo, rank, score * (entry.historic[i] === 1 ? HISTORIC_STREET : 1), exact);
      }
    }
    return [...words];
  }
}

/**
 * How a typed street matches a filed one: every typed word must match a distinct street
 * word (equal, an initial like `G.` for Giacomo, a prefix while typing, or one typo in long
 * words); the generic part must agree when both have one. `exact`: every typed word is a
 * street word or an initial of one, and at least one is a whole word (no typo, no prefix).
 */
export function matchStreet(
  typed: StreetName,
  filed: StreetName,
): { score: number; words: string[]; exact: boolean } | undefined {
  if (typed.generic && filed.generic && typed.generic !== filed.generic) {
    if (!(LOCALITY_GENERICS.has(typed.generic) && LOCALITY_GENERICS.has(filed.generic))) {
      return undefined;
    }
  }
  const used = new Array<boolean>(filed.words.length).fill(false);
  let score = 0;
  let whole = 0;
  let guessed = false;
  const words: string[] = [];
  for (let i = 0; i < typed.words.length; i++) {
    const t = typed.words[i] ?? "";
    const last = i === typed.words.length - 1;
    // What the typed word may match as, worked out once, not per street word: a query scans
    // every street of the town.
    const initial = t.length === 1 && /[a-z]/.test(t);
    const prefix = last && t.length >= 3 && !/\d/.test(t);
    const typo = t.length >= 5;
    let bestJ = -1;
    let bestScore = 0;
    for (let j = 0; j < filed.words.length; j++) {
      if (used[j]) continue;
      const f = filed.words[j] ?? "";
      let s = 0;
      if (f === t) s = 1;
      else if (initial && f.startsWith(t)) s = 0.5;
      else if (prefix && f.startsWith(t)) s = 0.7;
      else if (typo && withinOneEdit(t, f)) s = 0.6;
      if (s > bestScore) {
        bestScore = s;
        bestJ = j;
      }
    }
    if (bestJ < 0) return undefined;
    used[bestJ] = true;
    score += bestScore;
    if (bestScore === 1) whole++;
    else if (bestScore !== 0.5) guessed = true;
    const w = filed.words[bestJ];
    if (w !== undefined) words.push(w);
  }
  // Words of the street the query left out (a first name, "Nuova") cost a little.
  const coverage = typed.words.length / Math.max(1, filed.words.length);
  const genericBonus = typed.generic && typed.generic === filed.generic ? 0.1 : 0;
  return {
    score: (score / typed.words.length) * (0.7 + 0.3 * coverage) + genericBonus,
    words,
    exact: whole > 0 && !guessed,
  };
}
