/**
 * Addresses searched through a dictionary of distinct normalised streets (a town has a few
 * thousand): a query scans the dictionary, then collects the dossiers of the streets that
 * match and ranks them by civic. Full-text scoring of "via roma 12" over 300k subjects is
 * what made the naive index take seconds.
 */
import { withinOneEdit } from "./italian_text.ts";
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
  historic: boolean[];
}

/** One dossier an address query found, with how well. */
export interface AddressHit {
  docNo: number;
  /** 2: street and exact civic; 1.5: same civic number, other exponent; 1: the street. */
  civicRank: number;
  /** How well the street name matched, 0..1. */
  streetScore: number;
  /** The street words that matched, for highlights. */
  words: string[];
}

const LOCALITY_GENERICS = new Set(["localita", "frazione"]);

/** Distinct streets (and localities) → the dossiers at them. */
export class StreetDictionary {
  readonly #streets = new Map<string, StreetEntry>();
  // A town writes the same few thousand street names and civics over and over: parsing
  // each spelling once took the build's street time from seconds to milliseconds.
  readonly #parsed = new Map<string, StreetName>();
  readonly #civics = new Map<string, string>();

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
      entry = { name, docs: [], civics: [], historic: [] };
      this.#streets.set(key, entry);
    }
    entry.docs.push(docNo);
    entry.civics.push(civic);
    entry.historic.push(historic);
  }

  /** Dossiers at the streets matching `query`, those at the typed civic first. */
  find(query: AddressQuery, alive: Uint8Array): AddressHit[] {
    const best = new Map<number, AddressHit>();
    for (const entry of this.#streets.values()) {
      const match = matchStreet(query.street, entry.name);
      if (!match) continue;
      const civicWanted = query.civic;
      const atCivic: AddressHit[] = [];
      const onStreet: AddressHit[] = [];
      entry.docs.forEach((docNo, i) => {
        if (alive[docNo] !== 1) return;
        const civic = entry.civics[i] ?? "";
        const score = match.score * (entry.historic[i] ? 0.95 : 1);
        let civicRank = 1;
        if (civicWanted !== undefined && civic !== "") {
          if (civic === civicWanted) civicRank = 2;
          // `12` also finds `12/A` (lower); `12/A` does not find `12`.
          else if (civicBase(civicWanted) === civicWanted && civicBase(civic) === civicWanted) {
            civicRank = 1.5;
          }
        }
        const hit = { docNo, civicRank, streetScore: score, words: match.words };
        (civicRank > 1 ? atCivic : onStreet).push(hit);
      });
      // With a civic typed, the street's other dossiers only come when none is at that civic.
      const keep = civicWanted !== undefined && atCivic.length > 0 ? atCivic : onStreet;
      for (const hit of keep) {
        const prev = best.get(hit.docNo);
        if (!prev || rank(hit) > rank(prev)) best.set(hit.docNo, hit);
      }
    }
    if (query.civic !== undefined) {
      const hits = [...best.values()];
      if (hits.some((h) => h.civicRank > 1)) return hits.filter((h) => h.civicRank > 1);
      return hits;
    }
    return [...best.values()];
  }
}

function rank(h: AddressHit): number {
  return h.civicRank * 10 + h.streetScore;
}

/**
 * How a typed street matches a filed one: every typed word must match a distinct street
 * word (equal, an initial like `G.` for Giacomo, a prefix while typing, or one typo in long
 * words); the generic part must agree when both have one.
 */
export function matchStreet(
  typed: StreetName,
  filed: StreetName,
): { score: number; words: string[] } | undefined {
  if (typed.generic && filed.generic && typed.generic !== filed.generic) {
    if (!(LOCALITY_GENERICS.has(typed.generic) && LOCALITY_GENERICS.has(filed.generic))) {
      return undefined;
    }
  }
  const used = new Array<boolean>(filed.words.length).fill(false);
  let score = 0;
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
    const w = filed.words[bestJ];
    if (w !== undefined) words.push(w);
  }
  // Words of the street the query left out (a first name, "Nuova") cost a little.
  const coverage = typed.words.length / Math.max(1, filed.words.length);
  const genericBonus = typed.generic && typed.generic === filed.generic ? 0.1 : 0;
  return { score: (score / typed.words.length) * (0.7 + 0.3 * coverage) + genericBonus, words };
}
