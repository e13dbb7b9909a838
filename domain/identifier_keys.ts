/**
 * Normalised identifier keys (DOMAIN.md §3): the same function turns what is stored on a
 * record and what a person types into keys like `p:1234/1987`, so identifier queries are
 * exact indexed lookups on `search_keys`, never fuzzy, and work before any text index exists.
 *
 * Key shapes:
 * - `p:N/YYYY` protocol number of that year;
 * - `n:N/YYYY` dossier or act number of that year (any type or kind);
 * - `t:TYPE:N/YYYY` dossier type + number + year;
 * - `k:KIND:N/YYYY` act kind + number + year;
 * - `c:SHEET:PARCEL` and `c:SHEET:PARCEL:SUB` cadastral reference;
 * - `a:ALNUM` a legacy key folded to lower-case letters and digits.
 */
import type { ActDoc, DossierDoc, RecordDoc } from "./records.ts";

/** Lower-case, accents and apostrophes folded (`Niccolò` → `niccolo`, `E'` → `e`). */
export function foldText(s: string): string {
  return foldKeepingApostrophes(s).replace(/['’`´]/g, "");
}

/** Lower-case with accents folded, apostrophes kept (to split elisions afterwards). */
export function foldKeepingApostrophes(s: string): string {
  // Most legacy text is plain ASCII: skip the costly Unicode normalisation then.
  const lower = s.toLowerCase();
  return !/[^ -~]/.test(lower) ? lower : lower.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
}

/** Letters and digits only, folded: the raw form of a legacy key (`C.E. 452/87` → `ce45287`). */
export function alnumFold(s: string): string {
  return foldText(s).replace(/[^a-z0-9]/g, "");
}

const SUFFIX = "bis|ter|quater|quinquies|[a-z]";

/**
 * A number as written, normalised: leading zeros dropped, an exponent kept distinct after a
 * slash (`0452` → `452`, `452 bis` / `452bis` / `452/BIS` → `452/bis`, `345/2` kept).
 */
export function normNumber(s: string): string {
  const t = foldText(s).replace(/\s+/g, " ").trim();
  const m = t.match(new RegExp(`^0*(\\d+)\\s*(?:[/\\-. ]\\s*)?(${SUFFIX}|\\d+)?$`));
  if (!m) return t.replace(/\s+/g, "");
  const base = m[1] === "" || m[1] === undefined ? "0" : m[1];
  const head = base.replace(/^0+(?=\d)/, "");
  return m[2] ? `${head}/${m[2].replace(/^0+(?=\d)/, "")}` : head;
}

/** Spellings people type for dossier types, folded with dots and spaces removed. */
const TYPE_WORDS: Record<string, string> = {
  ce: "CE",
  conc: "CE",
  concessione: "CE",
  concedil: "CE",
  le: "LE",
  lic: "LE",
  licenza: "LE",
  licedil: "LE",
  pdc: "PDC",
  permesso: "PDC",
  permessodicostruire: "PDC",
  aut: "AUT",
  autorizzazione: "AUT",
  dia: "DIA",
  superdia: "DIA",
  scia: "SCIA",
  cila: "CILA",
  cil: "CILA",
  cilas: "CILAS",
  cond: "COND",
  condono: "COND",
  san: "SAN",
  sanatoria: "SAN",
  agib: "AGI",
  agi: "AGI",
  agibilita: "AGI",
  abitabilita: "AGI",
  sca: "SCA",
  paes: "PAES",
  sism: "SISM",
  var: "VAR",
  variante: "VAR",
  pror: "PROR",
  proroga: "PROR",
  volt: "VOLT",
  voltura: "VOLT",
  fl: "FL",
  abusi: "ABUSI",
};

/** The type code a typed abbreviation means (`C.E.` → `CE`, `lic.` → `LE`), or undefined. */
export function normType(s: string): string | undefined {
  return TYPE_WORDS[foldText(s).replace(/[\s.]/g, "")];
}

/** Act kind spellings: folded, dots removed, single spaces; matched at the start of a query. */
const ACT_KIND_PATTERNS: [RegExp, string][] = [
  [
    /^(?:dcc|del cc|delib cc|(?:delibera|deliberazione|del|delib)(?: del| di)? consiglio(?: comunale)?)\b/,
    "delibera_consiglio",
  ],
  [
    /^(?:dgc|dgm|dg|del gc|delib gc|(?:delibera|deliberazione|del|delib)(?: della| di)? giunta(?: comunale)?)\b/,
    "delibera_giunta",
  ],
  [/^(?:det|dd|determina|determinazione)(?: dirigenziale)?\b/, "determina"],
  [/^(?:verbale|verb)\b/, "verbale"],
];

/** The act kind code an abbreviation means (`DCC` → `delibera_consiglio`), or undefined. */
export function normActKind(s: string): string | undefined {
  const t = actFold(s);
  for (const [re, kind] of ACT_KIND_PATTERNS) {
    const m = t.match(re);
    if (m && m[0].length === t.length) return kind;
  }
  return undefined;
}

function actFold(s: string): string {
  return foldText(s).replace(/\./g, " ").replace(/\s+/g, " ").trim();
}

/**
 * The years a typed number can be (DOMAIN §3): 4 digits from 1850 to next year, or 2 digits
 * read as 20yy unless that is after `currentYear`, else 19yy. Empty when it cannot be a year.
 */
export function yearReadings(token: string, currentYear: number): number[] {
  if (/^\d{4}$/.test(token)) {
    const y = Number(token);
    return y >= 1850 && y <= currentYear + 1 ? [y] : [];
  }
  if (/^\d{2}$/.test(token)) {
    const y = 2000 + Number(token);
    return [y > currentYear ? y - 100 : y];
  }
  return [];
}

/** One way to read a typed identifier: the keys it looks up and how to say it in Italian. */
export interface IdentifierReading {
  keys: string[];
  label: string;
}

interface Pair {
  number: string;
  year: number;
}

/**
 * Number/year pairs in `rest` (`1234/87`, `1234-1987`, `n. 1234 del 1987`, `1987/001234`,
 * `452/bis/87`): the side that can be a year is the year; both readings when both can.
 */
export function numberYearPairs(rest: string, currentYear: number): Pair[] {
  const t = foldText(rest).replace(/\s+/g, " ").trim();
  const m = t.match(
    new RegExp(
      `^(?:(?:n|nr|num|numero)\\.? ?)?(\\d+)(?: ?[/ ]? ?(${SUFFIX}))?` +
        `(?: ?[/\\-] ?| del | anno | )(?:(?:anno) )?(\\d+)$`,
    ),
  );
  if (!m || m[1] === undefined || m[3] === undefined) return [];
  const [a, suffix, b] = [m[1], m[2], m[3]];
  // "n. 34 del 2019" states its order; only a bare pair (`12/98`) may be read both ways.
  const ordered = / (?:del|anno) /.test(t);
  const pairs: Pair[] = [];
  for (const y of yearReadings(b, currentYear)) {
    pairs.push({ number: normNumber(suffix ? `${a}/${suffix}` : a), year: y });
  }
  if (!suffix && !ordered) {
    for (const y of yearReadings(a, currentYear)) {
      const n = normNumber(b);
      if (!pairs.some((p) => p.number === n && p.year === y)) pairs.push({ number: n, year: y });
    }
  }
  return pairs;
}

const CADASTRAL = new RegExp(
  "^(?:fg|fgl|foglio|f)\\.? ?(\\d+)[ ,;]*" +
    "(?:part|partic|particella|mapp|mappale|map|m|p)\\.? ?(\\d+(?: ?/ ?\\d+)?[a-z]?)" +
    "(?:[ ,;]*(?:sub|subalterno|s)\\.? ?(\\d+))?$",
);

/** Cadastral keys for a sheet, parcel and optional sub. */
export function cadastralKey(sheet: string, parcel: string, sub?: string): string {
  const base = `c:${normNumber(sheet)}:${normNumber(parcel.replace(/\s+/g, ""))}`;
  return sub === undefined || sub.trim() === "" ? base : `${base}:${normNumber(sub)}`;
}

const PROTOCOL_PREFIX = /^(?:prot(?:ocollo)?|pg|p g|n prot|prot n)\b ?(?:n\b ?)?/;

/**
 * Every identifier reading of a whole typed string (a query, or a legacy key on a record);
 * empty when it is not an identifier. `currentYear` bounds the year rule.
 */
export function identifierReadings(
  text: string,
  currentYear: number,
  actKindTitles: ReadonlyMap<string, string> = new Map(),
): IdentifierReading[] {
  const folded = foldText(text).replace(/\s+/g, " ").trim();
  const spaced = folded.replace(/\.(?=\S)/g, ". ").replace(/\s+/g, " ");
  const cad = spaced.replace(/\. /g, " ").match(CADASTRAL);
  if (cad && cad[1] !== undefined && cad[2] !== undefined) {
    const label = `Foglio ${normNumber(cad[1])}, particella ${normNumber(cad[2])}` +
      (cad[3] ? `, subalterno ${normNumber(cad[3])}` : "");
    return [{ keys: [cadastralKey(cad[1], cad[2], cad[3])], label }];
  }
  const words = actFold(text);
  for (const [re, kind] of ACT_KIND_PATTERNS) {
    const m = words.match(re);
    if (!m) continue;
    const pairs = numberYearPairs(
      words.slice(m[0].length).replace(/^ ?(?:n|nr)\b ?/, ""),
      currentYear,
    );
    if (pairs.length) {
      return pairs.map((p) => ({
        keys: [`k:${kind}:${p.number}/${p.year}`],
        label: `${actKindTitles.get(kind) ?? kind} n. ${p.number} del ${p.year}`,
      }));
    }
  }
  const prot = words.match(PROTOCOL_PREFIX);
  if (prot) {
    return numberYearPairs(words.slice(prot[0].length), currentYear).map((p) => ({
      keys: [`p:${p.number}/${p.year}`],
      label: `Protocollo ${p.number} del ${p.year}`,
    }));
  }
  const typed = folded.match(/^([a-z][a-z. ]*?)\.? ?(?=\d)(.*)$/);
  if (typed && typed[1] !== undefined && typed[2] !== undefined) {
    const type = normType(typed[1]);
    if (!type) return [];
    return numberYearPairs(typed[2], currentYear).map((p) => ({
      keys: [`t:${type}:${p.number}/${p.year}`],
      label: `${type} ${p.number}/${p.year}`,
    }));
  }
  return numberYearPairs(folded, currentYear).map((p) => ({
    keys: [`p:${p.number}/${p.year}`, `n:${p.number}/${p.year}`],
    label: `Numero ${p.number} del ${p.year} (protocollo o pratica)`,
  }));
}

/** The normalised identifier keys of a record, stored in `search_keys` at every upsert. */
export function identifierKeysOf(doc: RecordDoc): string[] {
  const keys = new Set<string>();
  if (doc.record === "act") addActKeys(doc, keys);
  else addDossierKeys(doc, keys);
  return [...keys];
}

function addActKeys(doc: ActDoc, keys: Set<string>): void {
  const n = normNumber(doc.number);
  keys.add(`k:${doc.kind}:${n}/${doc.year}`);
  keys.add(`n:${n}/${doc.year}`);
}

function addDossierKeys(doc: DossierDoc, keys: Set<string>): void {
  const n = normNumber(doc.number);
  keys.add(`n:${n}/${doc.year}`);
  keys.add(`t:${doc.type.toUpperCase()}:${n}/${doc.year}`);
  const protocolYear = Number(doc.protocolDate?.slice(0, 4)) || doc.year;
  if (doc.protocolNumber) keys.add(`p:${normNumber(doc.protocolNumber)}/${protocolYear}`);
  for (const alias of doc.aliases) {
    const raw = alnumFold(alias.key);
    if (raw) keys.add(`a:${raw}`);
    // A legacy key's 2-digit year is read against the dossier's own years, not today's
    // date, so the stored keys never depend on when the import ran.
    const years = new Set([doc.year, protocolYear]);
    const late = identifierReadings(alias.key, 2099);
    const early = identifierReadings(alias.key, 1999);
    const all = [...late, ...early];
    const own = all.filter((r) => r.keys.some((k) => [...years].some((y) => k.endsWith(`/${y}`))));
    for (const r of own.length ? own : identifierReadings(alias.key, Math.max(...years))) {
      for (const k of r.keys) {
        // A bare `452/87` on a card is a dossier number, not a protocol entry.
        if (k.startsWith("p:") && r.keys.length > 1) continue;
        keys.add(k);
        // A typed legacy key (`C.E. 452/87`) also answers a bare `452/87`.
        const typed = k.match(/^t:[^:]+:(.*)$/);
        if (typed) keys.add(`n:${typed[1]}`);
      }
    }
  }
  for (const c of doc.cadastral) {
    keys.add(cadastralKey(c.sheet, c.parcel));
    if (c.sub) keys.add(cadastralKey(c.sheet, c.parcel, c.sub));
  }
}
