/**
 * One demo dossier at a time: types in their years of use (DOMAIN §2.1), numbering per
 * series and year, protocol numbers restarting each year, addresses with historic forms,
 * cadastral references tied to the address, people and scans.
 */
import type {
  Address,
  CadastralRef,
  DocumentRef,
  DossierDoc,
  DossierStatus,
  Person,
} from "../domain/records.ts";
import { demoCompany, demoPerson } from "./_people.ts";
import type { Rng } from "./_prng.ts";
import { LOCALITIES, STREETS, WORKS } from "./_vocab.ts";

/** A main type: code, years in use, series, relative weight, legacy card abbreviation. */
const MAIN_TYPES: readonly (readonly [string, number, number, string, number, string])[] = [
  ["LE", 1950, 1977, "STORICO", 10, "LIC"],
  ["CE", 1977, 2003, "STORICO", 10, "C.E."],
  ["AUT", 1978, 2003, "STORICO", 4, "AUT."],
  ["PDC", 2003, 2025, "STORICO", 6, "PDC"],
  ["DIA", 1996, 2016, "SCIA-DIA", 5, "DIA"],
  ["SCIA", 2010, 2025, "SCIA-DIA", 6, "SCIA"],
  ["CILA", 2010, 2025, "SCIA-DIA", 6, "CILA"],
  ["CILAS", 2021, 2025, "SCIA-DIA", 8, "CILAS"],
  ["SAN", 1985, 2025, "SANATORIE", 1.5, "SAN."],
  ["AGI", 1950, 2016, "AGIBILITA", 3, "AB."],
  ["SCA", 2016, 2025, "AGIBILITA", 3, "SCA"],
  ["PAES", 1986, 2025, "PAESAGGIO", 1.5, "AUT.PAES."],
  ["SISM", 1974, 2025, "SISMICA", 3, "DEP."],
];
/** Condono windows: filing years and their law. */
const CONDONI: Record<number, string> = {
  1985: "L. 47/85",
  1986: "L. 47/85",
  1995: "L. 724/94",
  2004: "L. 326/03",
};
const CHILD_TYPES = ["VAR", "PROR", "VOLT", "FL"] as const;
const DOC_TITLES = [
  "Domanda",
  "Tavola 1",
  "Tavola 2",
  "Relazione tecnica",
  "Documentazione fotografica",
  "Titolo rilasciato",
] as const;

/** A dossier others may later refer to as parent (variante, proroga, voltura…). */
export interface ParentRef {
  id: string;
  series: string;
  number: string;
  year: number;
  addresses: Address[];
  cadastral: CadastralRef[];
}

/** State carried from one dossier to the next: counters and recent parents. */
export interface DossierState {
  numbers: Map<string, number>;
  bisTaken: Set<string>;
  protocol: number;
  recent: ParentRef[];
}

const DAY_MS = 86_400_000;
const EPOCH_1950 = Date.UTC(1950, 0, 1);
// Every date the demo can produce, 1950 to 2039, formatted once: Date formatting was a
// fifth of the generator's time.
const ISO_DAYS = Array.from(
  { length: 90 * 366 },
  (_, i) => new Date(EPOCH_1950 + i * DAY_MS).toISOString().slice(0, 10),
);
const YEAR_START = Array.from(
  { length: 90 },
  (_, i) => Math.round((Date.UTC(1950 + i, 0, 1) - EPOCH_1950) / DAY_MS),
);

/** Day number (0 = 1 Jan 1950) of `day` (0-based) in `year`. */
function dayIndex(year: number, day: number): number {
  return (YEAR_START[year - 1950] ?? 0) + day;
}

function isoOf(index: number): string {
  return ISO_DAYS[index] ?? new Date(EPOCH_1950 + index * DAY_MS).toISOString().slice(0, 10);
}

/** ISO date of `day` (0-based) in `year`, or `day` days after 1 January. */
export function isoDay(year: number, day: number): string {
  return isoOf(dayIndex(year, day));
}

const LAST_DAY = dayIndex(2025, 364);
const cap = (day: number | undefined) => (day === undefined || day > LAST_DAY ? undefined : day);

function pickType(rng: Rng, year: number) {
  const candidates = MAIN_TYPES.filter(([, from, to]) => year >= from && year <= to);
  const condono = CONDONI[year];
  const total = candidates.reduce((s, t) => s + t[4], 0) + (condono ? 12 : 0);
  let r = rng.next() * total;
  for (const t of candidates) {
    r -= t[4];
    if (r < 0) return { code: t[0], series: t[3], abbr: t[5] };
  }
  return { code: "COND", series: "CONDONI", abbr: "COND." };
}

function civic(rng: Rng): string {
  const n = String(rng.int(1, 120));
  if (rng.chance(0.1)) return `${n}/${rng.pick(["A", "B", "C"])}`;
  if (rng.chance(0.04)) return `${n} bis`;
  return n;
}

function place(rng: Rng, year: number): { addresses: Address[]; cadastral: CadastralRef[] } {
  // Skewed towards the first streets: a comune has a few long, busy streets.
  const index = Math.floor(STREETS.length * rng.next() ** 1.6);
  const [street, sheet, historicName] = STREETS[index] ?? ["Via Roma", 11, ""];
  const c = civic(rng);
  const locality = street.startsWith("Località") ? "" : rng.chance(0.7) ? "" : rng.pick(LOCALITIES);
  const addresses: Address[] = [{ street, civic: c, ...(locality ? { locality } : {}) }];
  if (historicName && year < 1985 && rng.chance(0.6)) {
    addresses.push({ street: historicName, civic: c, historic: true });
  }
  const num = Number.parseInt(c, 10);
  const parcel = String(100 + index * 37 + num * 3);
  const cadastral: CadastralRef[] = [];
  if (street.startsWith("Località") || rng.chance(0.15)) {
    cadastral.push({ register: "NCT", sheet: String(sheet + 2), parcel: `${parcel}` });
  }
  if (!street.startsWith("Località") || rng.chance(0.5)) {
    cadastral.push({
      register: "NCEU",
      sheet: String(sheet + (num % 3)),
      parcel: rng.chance(0.1) ? `${parcel}/${rng.int(1, 4)}` : parcel,
      sub: String(rng.int(1, 25)),
    });
  }
  return { addresses, cadastral };
}

function status(rng: Rng, year: number, code: string): DossierStatus {
  if (year >= 2024 && rng.chance(0.4)) return "in_progress";
  if (year < 1960 && rng.chance(0.15)) return "unknown";
  const r = rng.next();
  if (r < 0.05) return "refused";
  if (r < 0.08) return "lapsed";
  if (r < 0.1) return "withdrawn";
  if (r < 0.2) return "issued_with_conditions";
  if (r < 0.27 || (code.startsWith("CILA") && r < 0.6)) return "archived";
  return "issued";
}

function subject(rng: Rng, code: string, year: number, applicant?: Person): string {
  let works = rng.pick(WORKS);
  if (rng.chance(0.3)) works += ` E ${rng.pick(WORKS)}`;
  const prefix: Record<string, string> = {
    COND: `CONDONO EDILIZIO ${CONDONI[year] ?? "L. 47/85"} PER `,
    SAN: "ACCERTAMENTO DI CONFORMITÀ PER ",
    AGI: "CERTIFICATO DI ABITABILITÀ PER ",
    SCA: "SEGNALAZIONE CERTIFICATA PER L'AGIBILITÀ: ",
    SISM: "DEPOSITO CALCOLI STRUTTURALI PER ",
    PAES: "AUTORIZZAZIONE PAESAGGISTICA PER ",
    VAR: "VARIANTE IN CORSO D'OPERA: ",
    PROR: "PROROGA DEL TERMINE DI FINE LAVORI: ",
    VOLT: "VOLTURA DEL TITOLO: ",
    FL: "COMUNICAZIONE DI FINE LAVORI: ",
  };
  let text = (prefix[code] ?? "") + works;
  // Old cards often name the applicant in the subject: the public page must redact it.
  if (applicant?.surname && rng.chance(0.15)) {
    text += ` - DITTA ${applicant.surname.toUpperCase()} ${applicant.name?.toUpperCase() ?? ""}`
      .trimEnd();
  }
  if (year < 2000) return text;
  return text.charAt(0) + text.slice(1).toLowerCase();
}

function people(rng: Rng, year: number): Person[] {
  const out: Person[] = [];
  out.push(
    rng.chance(0.15)
      ? demoCompany(rng, "richiedente", year)
      : demoPerson(rng, "richiedente", year, rng.chance(0.3)),
  );
  if (rng.chance(0.2)) out.push(demoPerson(rng, "proprietario", year, false));
  if (rng.chance(0.85)) out.push(demoPerson(rng, "progettista", year, true));
  if (year >= 1977 && rng.chance(0.3)) out.push(demoPerson(rng, "direttore lavori", year, true));
  if (rng.chance(0.4)) out.push(demoCompany(rng, "impresa", year));
  if (rng.chance(0.03)) out.push(demoPerson(rng, "delegato", year, true));
  return out;
}

function documents(rng: Rng, series: string, year: number, slug: string): DocumentRef[] {
  const count = year < 1990 ? rng.int(0, 2) : rng.int(1, 4);
  return Array.from({ length: count }, (_, i) => {
    const title = DOC_TITLES[(i + rng.int(0, 1)) % DOC_TITLES.length] ?? "Domanda";
    const pages = rng.int(1, 40);
    return {
      file: `scans/${series}/${year}/${slug}/${String(i + 1).padStart(2, "0")}.pdf`,
      title,
      pages,
      bytes: pages * rng.int(60_000, 400_000),
      sha256: rng.hex(64),
      public: title === "Titolo rilasciato" && year >= 2005 && rng.chance(0.5),
    };
  });
}

/** The next number in a series and year (`452`, now and then a `451/bis`). */
function nextNumber(rng: Rng, state: DossierState, series: string, year: number): string {
  const key = `${series}:${year}`;
  const last = state.numbers.get(key) ?? 0;
  if (last > 0 && rng.chance(0.02) && !state.bisTaken.has(`${key}:${last}`)) {
    state.bisTaken.add(`${key}:${last}`);
    return `${last}/bis`;
  }
  state.numbers.set(key, last + 1);
  return String(last + 1);
}

/** The `k`-th of `perYear` dossiers filed in `year`. */
export function demoDossier(
  rng: Rng,
  state: DossierState,
  year: number,
  k: number,
  perYear: number,
): DossierDoc {
  const parent = year >= 1960 && state.recent.length > 0 && rng.chance(0.08)
    ? rng.pick(state.recent)
    : undefined;
  const abuse = !parent && rng.chance(0.005);
  const main = pickType(rng, year);
  const code = parent ? rng.pick(CHILD_TYPES) : abuse ? "ABUSI" : main.code;
  const series = parent ? parent.series : abuse ? "ABUSI" : main.series;
  const number = nextNumber(rng, state, series, year);
  const slug = `${series.toLowerCase()}-${year}-${number.replace("/", "-")}`;
  state.protocol += rng.int(1, 12);
  const submittedDay = dayIndex(year, Math.floor((k * 365) / perYear));
  const submittedOn = isoOf(submittedDay);
  const { addresses, cadastral } = parent ?? place(rng, year);
  const persons = people(rng, year);
  const st = abuse ? rng.pick(["in_progress", "archived"] as const) : status(rng, year, code);
  const decided = ["issued", "issued_with_conditions", "refused"].includes(st);
  const issuedDay = decided && !(year < 1970 && rng.chance(0.4))
    ? cap(submittedDay + (code === "COND" ? rng.int(1000, 5000) : rng.int(20, 200)))
    : undefined;
  const startedDay = issuedDay !== undefined && st !== "refused" && rng.chance(0.5)
    ? cap(issuedDay + rng.int(10, 300))
    : undefined;
  const endedDay = startedDay !== undefined && rng.chance(0.7)
    ? cap(startedDay + rng.int(100, 900))
    : undefined;
  const yy = String(year % 100).padStart(2, "0");
  const aliases = year < 2000 && !parent && !abuse
    ? [{ index: "schedario-A", key: `${main.abbr} ${number}/${yy}` }]
    : [];
  if (year < 2000 && series === "STORICO" && rng.chance(0.5)) {
    aliases.push({ index: "schedario-B", key: `${year}/${number.padStart(4, "0")}` });
  }
  if (year >= 2000 && rng.chance(0.3)) {
    aliases.push({ index: "registro-SUE", key: `SUE/${year}/${number}` });
  }
  const doc: DossierDoc = {
    record: "dossier",
    id: `pe-${slug}`,
    series,
    type: code,
    number,
    year,
    protocolNumber: String(state.protocol),
    protocolDate: submittedOn,
    aliases,
    ...(parent ? { parentId: parent.id } : {}),
    subject: abuse
      ? rng.pick(["ESPOSTO PER OPERE ABUSIVE", "ORDINANZA DI DEMOLIZIONE DI OPERE ABUSIVE"])
      : subject(rng, code, year, persons[0]),
    addresses,
    cadastral,
    people: persons,
    submittedOn,
    ...(issuedDay !== undefined ? { issuedOn: isoOf(issuedDay) } : {}),
    ...(startedDay !== undefined ? { worksStartedOn: isoOf(startedDay) } : {}),
    ...(endedDay !== undefined ? { worksEndedOn: isoOf(endedDay) } : {}),
    status: st,
    documents: documents(rng, series, year, slug),
    restricted: abuse,
  };
  if (!(year >= 2015 && series === "SCIA-DIA" && rng.chance(0.6))) {
    doc.location = {
      box: `F-${year}-${String(Math.floor(k / 25) + 1).padStart(3, "0")}`,
      shelf: `${rng.pick(["A", "B", "C", "D"])}${rng.int(1, 8)}`,
      room: year < 1990 ? "Archivio storico" : "Deposito 2",
    };
  }
  if (year < 1990 && !parent) doc.source = "schedario-A";
  if (!parent && !abuse && series === "STORICO") {
    state.recent.push({ id: doc.id, series, number, year, addresses, cadastral });
    if (state.recent.length > 200) state.recent.shift();
  }
  return doc;
}
