/**
 * Addresses searched through a dictionary of distinct normalised streets (a town has a few
 * thousand): a query scans the dictionary, then collects the dossiers of the streets that
 * match and ranks them by civic. Full-text scoring of "via roma 12" over 300k subjects is
 * what made the naive index take seconds.
 */
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

interface StreetEntry {
  name: StreetName;
  docs: number[];
  /** Normal civic per entry of `docs` ("" when none). */
  civics: string[];
  /** The civic's leading number, per entry of `docs`. */
  bases: string[];
  historic: boolean[];
}

const LOCALITY_GENERICS = new Set(["localita", "frazione"]);

/** Distinct streets (and localities) → the dossiers at them. */
export class StreetDictionary {
  readonly #streets = new Map<string, StreetEntry>();
  // A town writes the same few thousand street names and civics over and over: parsing
  // each spelling once took the build's street time from seconds to milliseconds.
  readonly #parsed = new Map<string, StreetName>();
  readonly #civics = new Map<string, string>();
  readonly #bases = new Map<string, string>();

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

  /** Files a dossier's address; a locality is filed as "localita <name>" too. */
  add(
    docNo: number,
    street: string,
    civic: string | undefined,
    locality?: string,
    historic = false,
  ) {
    let civicNorm = "";
    if (civic) {
      civicNorm = this.#civics.get(civic) ?? normCivic(civic);
      this.#civics.set(civic, civicNorm);
    }
    this.#file(this.#parse(street, false), docNo, civicNorm, historic);
    if (locality) this.#file(this.#parse(locality, true), docNo, "", historic);
  }

  #file(name: StreetName, docNo: number, civic: string, historic: boolean): void {
    if (name.words.length === 0) return;
    const key = streetKey(name);
    let entry = this.#streets.get(key);
    if (!entry) {
      entry = { name, docs: [], civics: [], bases: [], historic: [] };
      this.#streets.set(key, entry);
    }
    entry.docs.push(docNo);
    entry.civics.push(civic);
    let base = this.#bases.get(civic);
    if (base === undefined) {
      base = civicBase(civic);
      this.#bases.set(civic, base);
    }
    entry.bases.push(base);
    entry.historic.push(historic);
  }

  /** An estimate of the bytes of the filed addresses: 8 a slot of the four arrays. */
  bytes(): number {
    let n = 0;
    for (const e of this.#streets.values()) n += 32 * e.docs.length;
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
    for (const [k, v] of this.#civics) out.#civics.set(k, v);
    for (const [k, v] of this.#bases) out.#bases.set(k, v);
    const kept: { key: string; first: number; entry: StreetEntry }[] = [];
    let work = 0;
    for (const [key, old] of this.#streets) {
      const at: number[] = [];
      for (let i = 0; i < old.docs.length; i++) {
        if ((renumber[old.docs[i] ?? 0] ?? -1) >= 0) at.push(i);
      }
      const newDoc = (i: number) => renumber[old.docs[i] ?? 0] ?? 0;
      // Stable: a dossier's addresses on one street keep their order.
      at.sort((a, b) => newDoc(a) - newDoc(b) || a - b);
      work += old.docs.length;
      if (at.length > 0) {
        kept.push({
          key,
          first: newDoc(at[0] ?? 0),
          entry: {
            name: old.name,
            docs: at.map(newDoc),
            civics: at.map((i) => old.civics[i] ?? ""),
            bases: at.map((i) => old.bases[i] ?? ""),
            historic: at.map((i) => old.historic[i] ?? false),
          },
        });
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
    // `12` also finds `12/A` (lower); `12/A` does not find `12`.
    const wantedIsBase = wanted !== undefined && civicBase(wanted) === wanted;
    const rankAt = (entry: StreetEntry, i: number): number =>
      wanted === undefined
        ? CIVIC_RANK.street
        : entry.civics[i] === wanted
        ? CIVIC_RANK.exact
        : wantedIsBase && entry.bases[i] === wanted
        ? CIVIC_RANK.base
        : CIVIC_RANK.street;
    let anyAtCivic = false;
    if (wanted !== undefined) {
      for (const { entry } of matched) {
        for (let i = 0; i < entry.docs.length && !anyAtCivic; i++) {
          if (alive[entry.docs[i] ?? 0] === 1 && rankAt(entry, i) > CIVIC_RANK.street) {
            anyAtCivic = true;
          }
        }
      }
    }
    for (const { entry, score, exact } of matched) {
      for (let i = 0; i < entry.docs.length; i++) {
        const docNo = entry.docs[i] ?? 0;
        if (alive[docNo] !== 1) continue;
        const rank = rankAt(entry, i);
        if (anyAtCivic && rank === CIVIC_RANK.street) continue;
        offer(docNo, rank, score * (entry.historic[i] ? HISTORIC_STREET : 1), exact);
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
    let bestJ = -1;
    let bestScore = 0;
    filed.words.forEach((f, j) => {
      if (used[j]) return;
      let s = 0;
      if (f === t) s = 1;
      else if (t.length === 1 && /[a-z]/.test(t) && f.startsWith(t)) s = 0.5;
      else if (last && t.length >= 3 && f.startsWith(t) && !/\d/.test(t)) s = 0.7;
      else if (t.length >= 5 && withinOneEdit(t, f)) s = 0.6;
      if (s > bestScore) {
        bestScore = s;
        bestJ = j;
      }
    });
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
