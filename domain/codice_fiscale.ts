/**
 * Codice fiscale (persons, 16 characters) and company codes (11 digits, P.IVA format):
 * validation with the exact Italian messages of DOMAIN.md §6, check characters, masking.
 * Never matched against a name: only the tax agency knows whose a code is.
 */
import { localMessage } from "../i18n/local_message.ts";

/** Outcome of validating a tax code typed by a person or found in legacy data. */
export type TaxCodeResult =
  | { ok: true; normalized: string; kind: "person" | "company" }
  | { ok: false; message: string };

/** The messages shown beside the field (DOMAIN.md §6), kept together so tests can use them. */
// Italian strings made through the catalogues (i18n/), so the page shows them in its language.
export const TAX_CODE_MESSAGES = {
  empty: localMessage((t) => t.cf.empty),
  // A length or position the field's maximum bounds: a bounded set of texts.
  length: (n: number) => localMessage((t) => t.cf.length(n)),
  character: (position: number) => localMessage((t) => t.cf.character(position)),
  date: localMessage((t) => t.cf.date),
  check: localMessage((t) => t.cf.check),
} as const;

const LETTER = /[A-Z]/;
// Omocodia replaces digits with these letters (index = digit), only in the numeric positions.
const OMOCODE_LETTERS = "LMNPQRSTUV";
const DIGIT_OR_OMOCODE = /[0-9LMNP-V]/;
const MONTH_LETTERS = "ABCDEHLMPRST";
// Days per month with 29 for February: the century is unknown, so 29 Feb is always possible.
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Expected character class of each of the 16 positions (0-based). */
const PERSON_PATTERN: readonly RegExp[] = [
  LETTER,
  LETTER,
  LETTER,
  LETTER,
  LETTER,
  LETTER,
  DIGIT_OR_OMOCODE,
  DIGIT_OR_OMOCODE,
  /[ABCDEHLMPRST]/,
  DIGIT_OR_OMOCODE,
  DIGIT_OR_OMOCODE,
  LETTER,
  DIGIT_OR_OMOCODE,
  DIGIT_OR_OMOCODE,
  DIGIT_OR_OMOCODE,
  LETTER,
];

// Values of characters in odd positions (1-based) for the check character; digits share
// the value of the letter with their index (0 = A …).
const ODD_VALUES = [
  1,
  0,
  5,
  7,
  9,
  13,
  15,
  17,
  19,
  21,
  2,
  4,
  18,
  20,
  11,
  3,
  6,
  8,
  12,
  14,
  16,
  10,
  22,
  25,
  24,
  23,
];

function charIndex(c: string): number {
  const code = c.charCodeAt(0);
  return code >= 48 && code <= 57 ? code - 48 : code - 65;
}

/** The check character of a person's code from its first 15 characters (as written). */
export function personCheckChar(first15: string): string {
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const index = charIndex(first15.charAt(i));
    // Position i+1 is odd when i is even.
    sum += i % 2 === 0 ? (ODD_VALUES[index] ?? 0) : index;
  }
  return String.fromCharCode(65 + (sum % 26));
}

/** The check digit of an 11-digit company code (P.IVA) from its first 10 digits. */
export function companyCheckDigit(first10: string): string {
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    const d = first10.charCodeAt(i) - 48;
    if (i % 2 === 0) sum += d;
    else sum += d * 2 > 9 ? d * 2 - 9 : d * 2;
  }
  return String((10 - (sum % 10)) % 10);
}

function decodeDigits(chars: string): number {
  let out = "";
  for (const c of chars) {
    const omocode = OMOCODE_LETTERS.indexOf(c);
    out += omocode >= 0 ? String(omocode) : c;
  }
  return Number(out);
}

function validatePerson(code: string): TaxCodeResult {
  for (let i = 0; i < 16; i++) {
    if (!PERSON_PATTERN[i]?.test(code.charAt(i))) {
      return { ok: false, message: TAX_CODE_MESSAGES.character(i + 1) };
    }
  }
  const month = MONTH_LETTERS.indexOf(code.charAt(8));
  const rawDay = decodeDigits(code.slice(9, 11));
  // Women have 40 added to the day of birth.
  const day = rawDay > 40 ? rawDay - 40 : rawDay;
  const validDay = (rawDay >= 1 && rawDay <= 31) || (rawDay >= 41 && rawDay <= 71);
  if (month < 0 || !validDay || day > (DAYS_IN_MONTH[month] ?? 0)) {
    return { ok: false, message: TAX_CODE_MESSAGES.date };
  }
  if (personCheckChar(code) !== code.charAt(15)) {
    return { ok: false, message: TAX_CODE_MESSAGES.check };
  }
  return { ok: true, normalized: code, kind: "person" };
}

function validateCompany(code: string): TaxCodeResult {
  for (let i = 0; i < 11; i++) {
    if (!/[0-9]/.test(code.charAt(i))) {
      return { ok: false, message: TAX_CODE_MESSAGES.character(i + 1) };
    }
  }
  if (companyCheckDigit(code) !== code.charAt(10)) {
    return { ok: false, message: TAX_CODE_MESSAGES.check };
  }
  return { ok: true, normalized: code, kind: "company" };
}

/**
 * Validates a codice fiscale (16 characters, omocodia included) or an 11-digit company
 * code, after stripping spaces and upper-casing.
 */
export function validateTaxCode(input: string): TaxCodeResult {
  const code = input.replace(/\s+/g, "").toUpperCase();
  if (code.length === 0) return { ok: false, message: TAX_CODE_MESSAGES.empty };
  if (code.length === 16) return validatePerson(code);
  // 11 characters starting with a digit is a company code; starting with a letter it is
  // more likely a person's code typed short, so the length message helps more.
  if (code.length === 11 && /^[0-9]/.test(code)) return validateCompany(code);
  return { ok: false, message: TAX_CODE_MESSAGES.length(code.length) };
}

/** A confirmed code as shown on screen: `RSS•••••••••562S` (companies `12••••••903`). */
export function maskTaxCode(code: string): string {
  const c = code.replace(/\s+/g, "").toUpperCase();
  if (c.length === 11) return `${c.slice(0, 2)}${"•".repeat(6)}${c.slice(8)}`;
  if (c.length < 8) return "•".repeat(c.length);
  return `${c.slice(0, 3)}${"•".repeat(c.length - 7)}${c.slice(-4)}`;
}
