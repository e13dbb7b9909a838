/**
 * Street names and civic numbers in one normal form (DOMAIN.md §3), for stored addresses and
 * typed queries alike: abbreviations expanded (`v.le` viale, `p.zza` piazza…), `XX
 * Settembre` = `20 Settembre`, civic `12a` = `12/A`.
 */
import { foldText, normNumber } from "../domain/identifier_keys.ts";

/** The generic part of a street (via, piazza…), by every spelling people use. */
const GENERICS: Record<string, string> = {
  v: "via",
  via: "via",
  vle: "viale",
  viale: "viale",
  pza: "piazza",
  pzza: "piazza",
  pz: "piazza",
  piazza: "piazza",
  ple: "piazzale",
  piazzale: "piazzale",
  pzta: "piazzetta",
  piazzetta: "piazzetta",
  cso: "corso",
  corso: "corso",
  lgo: "largo",
  largo: "largo",
  vic: "vicolo",
  vicolo: "vicolo",
  vico: "vicolo",
  str: "strada",
  strada: "strada",
  loc: "localita",
  localita: "localita",
  fraz: "frazione",
  frazione: "frazione",
  borgo: "borgo",
  contrada: "contrada",
  c: "contrada",
  salita: "salita",
  traversa: "traversa",
  lungarno: "lungarno",
  lungomare: "lungomare",
  galleria: "galleria",
  rione: "rione",
  vialetto: "vialetto",
  calle: "calle",
};

/** Words that carry no meaning in a street name ("Via del Molino" = "Via Molino"). */
const LINKS = new Set([
  "di",
  "de",
  "del",
  "della",
  "dello",
  "dei",
  "degli",
  "delle",
  "d",
  "da",
  "al",
  "alla",
  "allo",
  "ai",
  "agli",
  "alle",
  "e",
  "in",
]);

const MONTHS = new Set([
  "gennaio",
  "febbraio",
  "marzo",
  "aprile",
  "maggio",
  "giugno",
  "luglio",
  "agosto",
  "settembre",
  "ottobre",
  "novembre",
  "dicembre",
]);

const ROMAN: Record<string, number> = { i: 1, v: 5, x: 10, l: 50 };

function romanValue(word: string): number | undefined {
  if (!/^[ivxl]+$/.test(word)) return undefined;
  let total = 0;
  for (let i = 0; i < word.length; i++) {
    const v = ROMAN[word.charAt(i)] ?? 0;
    const next = ROMAN[word.charAt(i + 1)] ?? 0;
    total += v < next ? -v : v;
  }
  return total > 0 && total <= 31 ? total : undefined;
}

/** A street name split into its generic part and the words that name it. */
export interface StreetName {
  generic?: string;
  words: string[];
}

/** Folded words with dots of abbreviations closed up (`v.le` → `vle`, `G. Matteotti` → `g matteotti`). */
function streetWords(text: string): string[] {
  return foldText(text).replace(/\b([vplc])\.(le|zza|za|zta|so|go|zzale)\b/g, "$1$2")
    .replace(/[^a-z0-9]+/g, " ").trim()
    .split(" ").filter((w) => w !== "");
}

/** Normal form of a street: generic expanded, link words dropped, roman day numerals read. */
export function parseStreet(text: string): StreetName {
  const raw = streetWords(text);
  const first = raw[0];
  const generic = first === undefined ? undefined : GENERICS[first];
  const rest = generic !== undefined && raw.length > 1 ? raw.slice(1) : raw;
  const words: string[] = [];
  rest.forEach((w, i) => {
    if (LINKS.has(w)) return;
    const next = rest[i + 1];
    const roman = next !== undefined && MONTHS.has(next) ? romanValue(w) : undefined;
    words.push(roman !== undefined ? String(roman) : w);
  });
  return generic !== undefined && raw.length > 1 ? { generic, words } : { words };
}

/** The dictionary key of a street: generic and words joined. */
export function streetKey(name: StreetName): string {
  return `${name.generic ?? ""}|${name.words.join(" ")}`;
}

/** A civic number in normal form (`12a`, `12/A`, `12 A` → `12/a`; `5 bis` → `5/bis`). */
export function normCivic(civic: string): string {
  return normNumber(civic.replace(/\s+/g, " ").trim());
}

/** The leading number of a normal civic (`12/a` → `12`), or the civic itself. */
export function civicBase(civic: string): string {
  return civic.match(/^\d+/)?.[0] ?? civic;
}

/** An address query: the street and, when typed, a civic. */
export interface AddressQuery {
  street: StreetName;
  civic?: string;
}

const CIVIC_TAIL =
  /^(.*?)[ ,]+(?:n\.? ?|nr\.? ?|civ\.? ?)?(\d+ ?(?:\/ ?)?(?:bis|ter|quater|[a-z])?)$/;

/**
 * The readings of a query as an address: with its trailing civic split off, and as a bare
 * street (a street can end in a number: "Strada Statale 16"). Empty when it has no words.
 */
export function addressReadings(q: string): AddressQuery[] {
  const text = foldText(q).replace(/\s+/g, " ").trim();
  const out: AddressQuery[] = [];
  const m = text.match(CIVIC_TAIL);
  if (m && m[1] !== undefined && m[2] !== undefined) {
    const street = parseStreet(m[1]);
    if (street.words.length > 0) out.push({ street, civic: normCivic(m[2]) });
  }
  const whole = parseStreet(text);
  if (whole.words.length > 0) out.push({ street: whole });
  return out;
}
