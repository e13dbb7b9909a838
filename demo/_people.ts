/**
 * Demo people and companies with codici fiscali computed by the real rules (DOMAIN §6),
 * so the demo passes the same checks as imported data.
 */
import { companyCheckDigit, personCheckChar } from "../domain/codice_fiscale.ts";
import type { Person } from "../domain/records.ts";
import type { Rng } from "./_prng.ts";
import { BIRTH_PLACES, COMPANIES, FEMALE_NAMES, MALE_NAMES, SURNAMES } from "./_vocab.ts";

const MONTHS = "ABCDEHLMPRST";
const OMOCODE = "LMNPQRSTUV";
// Numeric positions (0-based) omocodia replaces, right to left.
const OMOCODE_POSITIONS = [14, 13, 12, 10, 9, 7, 6];

function letters(s: string): string {
  return s.normalize("NFD").replace(/[^A-Za-z]/g, "").toUpperCase();
}

function split(s: string): { consonants: string; vowels: string } {
  const l = letters(s);
  return { consonants: l.replace(/[AEIOU]/g, ""), vowels: l.replace(/[^AEIOU]/g, "") };
}

function surnameCode(surname: string): string {
  const { consonants, vowels } = split(surname);
  return (consonants + vowels + "XXX").slice(0, 3);
}

function nameCode(name: string): string {
  const { consonants, vowels } = split(name);
  if (consonants.length >= 4) {
    return consonants.charAt(0) + consonants.charAt(2) + consonants.charAt(3);
  }
  return (consonants + vowels + "XXX").slice(0, 3);
}

// Name parts computed once per name: normalising text was a tenth of the generator's time.
const SURNAME_CODES = new Map<string, string>(SURNAMES.map((s) => [s, surnameCode(s)]));
const NAME_CODES = new Map<string, string>(
  [...MALE_NAMES, ...FEMALE_NAMES].map((n) => [n, nameCode(n)]),
);
const ASCII_NAMES = new Map<string, string>(
  [...SURNAMES, ...MALE_NAMES, ...FEMALE_NAMES].map((n) => [n, ascii(n)]),
);

/** The codice fiscale of a person; `omocodes` digits replaced as the tax agency does. */
export function codiceFiscale(p: {
  surname: string;
  name: string;
  born: { year: number; month: number; day: number };
  female: boolean;
  place: string;
  omocodes?: number;
}): string {
  const day = p.born.day + (p.female ? 40 : 0);
  const chars = [
    ...(SURNAME_CODES.get(p.surname) ?? surnameCode(p.surname)),
    ...(NAME_CODES.get(p.name) ?? nameCode(p.name)),
    ...String(p.born.year % 100).padStart(2, "0"),
    MONTHS.charAt(p.born.month - 1),
    ...String(day).padStart(2, "0"),
    ...p.place,
  ];
  for (const pos of OMOCODE_POSITIONS.slice(0, p.omocodes ?? 0)) {
    chars[pos] = OMOCODE.charAt(Number(chars[pos]));
  }
  const first15 = chars.join("");
  return first15 + personCheckChar(first15);
}

/** The 11-digit code of the n-th demo company (stable: a company keeps its code). */
export function partitaIva(n: number): string {
  // 7-digit registration number, then the province office code (050: Pisa).
  const first10 = String(1587900 + n * 7919).padStart(7, "0") + "050";
  return first10 + companyCheckDigit(first10);
}

function ascii(s: string): string {
  return s.normalize("NFD").replace(/[^A-Za-z]/g, "").toLowerCase();
}

/** A person on a dossier of `year`; codici fiscali exist only from 1977 on. */
export function demoPerson(rng: Rng, role: string, year: number, withContacts: boolean): Person {
  const female = rng.chance(0.4);
  const surname = rng.pick(SURNAMES);
  const name = rng.pick(female ? FEMALE_NAMES : MALE_NAMES);
  const born = { year: year - rng.int(25, 70), month: rng.int(1, 12), day: rng.int(1, 28) };
  const person: Person = { role, surname, name };
  if (year >= 1977) {
    const omocodes = rng.chance(0.01) ? rng.int(1, 3) : 0;
    person.taxCode = codiceFiscale({
      surname,
      name,
      born,
      female,
      place: rng.pick(BIRTH_PLACES),
      omocodes,
    });
    person.taxCodeVerified = true;
  }
  if (withContacts && year >= 2000) {
    const [n, s] = [
      ASCII_NAMES.get(name) ?? ascii(name),
      ASCII_NAMES.get(surname) ?? ascii(surname),
    ];
    person.email = `${n}.${s}@example.it`;
    person.phone = `3${rng.int(20, 49)} ${rng.int(1000000, 9999999)}`;
  }
  return person;
}

/** A company on a dossier (impresa, or a company applying). */
export function demoCompany(rng: Rng, role: string, year: number): Person {
  const n = rng.int(0, COMPANIES.length - 1);
  const company: Person = { role, company: COMPANIES[n] ?? "Impresa edile" };
  if (year >= 1977) {
    company.taxCode = partitaIva(n);
    company.taxCodeVerified = true;
  }
  if (year >= 2000 && rng.chance(0.5)) company.phone = `0571 ${rng.int(100000, 999999)}`;
  return company;
}
