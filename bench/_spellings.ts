/**
 * Identifier and address queries written the ways DOMAIN.md §3 lists (protocol in six
 * spellings, type + number, cadastral in four, streets abbreviated), each with its test of
 * a right hit.
 */
import type { DossierDoc, RecordDoc } from "../domain/records.ts";
import type { QueryCase } from "./_queries.ts";
import { hasAddress } from "./_words.ts";

const strip0 = (n: string) => n.replace(/^0+(?=\d)/, "");
const yy = (year: number) => String(year % 100).padStart(2, "0");

/** Whether `doc` is number `n` of `year` as protocol, dossier number or legacy key. */
function isNumberOfYear(doc: RecordDoc, n: string, year: number): boolean {
  if (doc.record !== "dossier") return false;
  if (strip0(doc.protocolNumber ?? "") === n && doc.protocolDate?.startsWith(`${year}-`)) {
    return true;
  }
  if (strip0(doc.number) === n && doc.year === year) return true;
  return doc.aliases.some((a) => {
    const digits = (a.key.match(/\d+/g) ?? []).map(strip0);
    return digits.includes(n) && (digits.includes(String(year)) || digits.includes(yy(year)));
  });
}

/** The year a typed number can be (DOMAIN §3: 4 digits 1850 to next year, or 2 digits). */
function yearOf(token: string, currentYear: number): number | undefined {
  if (/^\d{4}$/.test(token)) {
    const y = Number(token);
    return y >= 1850 && y <= currentYear + 1 ? y : undefined;
  }
  if (!/^\d{2}$/.test(token)) return undefined;
  const y = 2000 + Number(token);
  return y > currentYear ? y - 100 : y;
}

/**
 * Every (number, year) reading of a pair of numbers: "79/51" is 79 of 1951 or 51 of 1979,
 * and DOMAIN §3 has the search try both, so either is a right answer.
 */
export function pairReadings(a: string, b: string, currentYear: number): [string, number][] {
  const out: [string, number][] = [];
  const yb = yearOf(b, currentYear);
  const ya = yearOf(a, currentYear);
  if (yb !== undefined) out.push([strip0(a), yb]);
  if (ya !== undefined) out.push([strip0(b), ya]);
  return out;
}

/** A protocol number and year in one of the six spellings people type. */
export function protocolQuery(d: DossierDoc, i: number): QueryCase | undefined {
  const n = d.protocolNumber;
  const year = Number(d.protocolDate?.slice(0, 4));
  if (!n || !Number.isInteger(year)) return undefined;
  const spellings = [
    `${n}/${year}`,
    `${n}/${yy(year)}`,
    `${n}-${yy(year)}`,
    `prot. ${n} del ${year}`,
    `PG ${year}/${n}`,
    `${year}/${n.padStart(6, "0")}`,
  ];
  const q = spellings[i % spellings.length] ?? `${n}/${year}`;
  const [a = "", b = ""] = q.match(/\d+/g) ?? [];
  // "prot. N del Y" says which is which; the bare pairs may be read both ways.
  const readings: [string, number][] = q.startsWith("prot.")
    ? [[strip0(n), year]]
    : pairReadings(a, b, new Date().getUTCFullYear());
  return {
    kind: "protocol",
    q,
    filters: {},
    targetId: d.id,
    accept: (doc) => readings.some(([num, y]) => isNumberOfYear(doc, num, y)),
  };
}

/**
 * A key of a legacy card index as written on the card ("C.E. 452/87", "1987/0452"): right
 * is the card's dossier, another with the same key, or any reading of its number pair.
 */
export function legacyQuery(d: DossierDoc, i: number): QueryCase | undefined {
  const alias = d.aliases[i % Math.max(1, d.aliases.length)];
  if (!alias) return undefined;
  const fold = (key: string) => key.toLowerCase().replace(/[^a-z0-9]/g, "");
  const key = fold(alias.key);
  const [a = "", b = ""] = alias.key.match(/\d+/g) ?? [];
  const readings = pairReadings(a, b, new Date().getUTCFullYear());
  return {
    kind: "legacy_key",
    q: alias.key,
    filters: {},
    targetId: d.id,
    accept: (doc) =>
      doc.id === d.id ||
      (doc.record === "dossier" && doc.aliases.some((x) => fold(x.key) === key)) ||
      readings.some(([n, y]) => isNumberOfYear(doc, n, y)),
  };
}

/** Type + number + year: `PDC 12/1998`, `C.E. 452/87`, `lic. 88/65`. */
export function typeNumberQuery(d: DossierDoc, i: number): QueryCase | undefined {
  if (!/^\d+$/.test(d.number)) return undefined;
  const short = i % 2 === 1;
  const label = d.type === "CE" && short ? "C.E." : d.type === "LE" && short ? "lic." : d.type;
  const year = label === d.type ? String(d.year) : yy(d.year);
  return {
    kind: "type_number",
    q: `${label} ${d.number}/${year}`,
    filters: {},
    targetId: d.id,
    accept: (doc) =>
      doc.record === "dossier" && doc.type === d.type && strip0(doc.number) === d.number &&
      doc.year === d.year,
  };
}

/** A cadastral reference: `fg 12 part 345 sub 6`, `fg. 12 mapp. 345`, `F.12 P.345 S.6`… */
export function cadastralQuery(d: DossierDoc, i: number): QueryCase | undefined {
  const c = d.cadastral[i % Math.max(1, d.cadastral.length)];
  if (!c) return undefined;
  const withSub = c.sub !== undefined && i % 4 !== 1 && i % 4 !== 3;
  const spellings = [
    `fg ${c.sheet} part ${c.parcel}${withSub ? ` sub ${c.sub}` : ""}`,
    `fg. ${c.sheet} mapp. ${c.parcel}`,
    `F.${c.sheet} P.${c.parcel}${withSub ? ` S.${c.sub}` : ""}`,
    `foglio ${c.sheet} particella ${c.parcel}`,
  ];
  const sub = withSub ? c.sub : undefined;
  return {
    kind: "cadastral",
    q: spellings[i % 4] ?? spellings[0] ?? "",
    filters: {},
    targetId: d.id,
    accept: (doc) =>
      doc.record === "dossier" &&
      doc.cadastral.some((r) =>
        r.sheet === c.sheet && r.parcel === c.parcel && (sub === undefined || r.sub === sub)
      ),
  };
}

const ABBREVIATIONS: Record<string, string> = {
  Via: "v.",
  Viale: "v.le",
  Piazza: "p.zza",
  Piazzale: "p.le",
  Corso: "c.so",
  Largo: "l.go",
  Vicolo: "vic.",
  Strada: "str.",
  Località: "loc.",
};
const ROMAN: Record<string, string> = { XX: "20", IV: "4" };

/** "Via Giacomo Matteotti" → "v. matteotti", "Via XX Settembre" → "v. 20 settembre". */
export function abbreviateStreet(street: string): string {
  const [generic = "", ...name] = street.split(" ");
  // A first name and a surname, both capitalised: people type the surname alone.
  const personal = name.length === 2 && name.every((w) => /^[A-Z][a-zà-ù]/.test(w));
  const kept = (personal ? name.slice(1) : name).map((w) => ROMAN[w] ?? w);
  return `${ABBREVIATIONS[generic] ?? generic} ${kept.join(" ")}`.toLowerCase();
}

/** Street + civic as written, or abbreviated (then every third one without the civic). */
export function addressQuery(
  d: DossierDoc,
  i: number,
  abbreviated: boolean,
): QueryCase | undefined {
  const historic = d.addresses.find((a) => a.historic);
  const a = !abbreviated && i % 4 === 3 && historic ? historic : d.addresses[0];
  if (!a) return undefined;
  const civic = abbreviated && i % 3 === 2 ? undefined : a.civic;
  const street = abbreviated ? abbreviateStreet(a.street) : a.street.toLowerCase();
  // "12/A" is typed "12a" as often as not (DOMAIN §3).
  const typedCivic = civic === undefined
    ? ""
    : abbreviated
    ? civic.replace("/", "").toLowerCase()
    : civic;
  return {
    kind: abbreviated ? "address_abbr" : "address",
    q: `${street} ${typedCivic}`.trim(),
    filters: {},
    targetId: d.id,
    accept: (doc) => hasAddress(doc, a.street, civic),
  };
}
