/**
 * The pagoPA payment notice (avviso di pagamento): its 18-digit codice avviso, the IUV inside
 * it and the QR payload, per the SACI 3.x rules (shared/SERVICES.md "pagoPA payment notice").
 *
 * codice avviso = aux digit `3` + IUV (17 digits);
 * IUV = segregation code (2) + IUV base (13) + check digits (2);
 * check digits = (aux + segregation code + IUV base, read as one number) mod 93, zero-padded.
 */

/** The auxiliary digit for an ente with several IUV generators (0, 1, 2 are retired). */
export const AUX_DIGIT = "3";

/** The payment notice object shown and printed; at most 90 characters. */
export const MAX_PURPOSE = 90;

/** `digits` (any length) mod `m`, one digit at a time: 16 digits pass Number's safe range. */
function modDigits(digits: string, m: number): number {
  let r = 0;
  for (const ch of digits) r = (r * 10 + Number(ch)) % m;
  return r;
}

/** The two check digits of an IUV base under this segregation code. */
export function checkDigits(segregationCode: string, iuvBase: string): string {
  assertDigits(segregationCode, 2, "codice di segregazione");
  assertDigits(iuvBase, 13, "base IUV");
  return String(modDigits(`${AUX_DIGIT}${segregationCode}${iuvBase}`, 93)).padStart(2, "0");
}

/** The 17-digit IUV: segregation code + base + check digits. */
export function buildIuv(segregationCode: string, iuvBase: string): string {
  return `${segregationCode}${iuvBase}${checkDigits(segregationCode, iuvBase)}`;
}

/** The 18-digit codice avviso (NAV) of an IUV. */
export function noticeNumberOf(iuv: string): string {
  assertDigits(iuv, 17, "IUV");
  return `${AUX_DIGIT}${iuv}`;
}

/** Whether an 18-digit codice avviso is well formed and its check digits match. */
export function isValidNoticeNumber(noticeNumber: string): boolean {
  if (!/^3\d{17}$/.test(noticeNumber)) return false;
  return checkDigits(noticeNumber.slice(1, 3), noticeNumber.slice(3, 16)) ===
    noticeNumber.slice(16);
}

/**
 * The IUV base for the n-th notice of a year: year (4 digits) + n on 9 digits, so bases stay
 * unique across years and readable to a clerk (`2025000000123`).
 */
export function iuvBaseFor(year: number, n: number): string {
  if (!Number.isInteger(year) || year < 1000 || year > 9999) throw new Error(`anno ${year}`);
  if (!Number.isInteger(n) || n < 1 || n > 999_999_999) {
    throw new Error(`numero di avviso ${n} fuori intervallo`);
  }
  return `${year}${String(n).padStart(9, "0")}`;
}

/** "301000000000000144" → "3010 0000 0000 0001 44", as printed on the notice. */
export function formatNoticeNumber(noticeNumber: string): string {
  return noticeNumber.replace(/(\d{4})(?=\d)/g, "$1 ");
}

/** The QR payload: `PAGOPA|002|<codice avviso>|<CF ente>|<importo in centesimi>`. */
export function qrPayload(noticeNumber: string, enteFiscalCode: string, cents: number): string {
  if (!isValidNoticeNumber(noticeNumber)) throw new Error("codice avviso non valido");
  if (!/^\d{11}$/.test(enteFiscalCode)) throw new Error("codice fiscale dell'ente non valido");
  if (!Number.isInteger(cents) || cents < 1) throw new Error("importo non valido");
  return `PAGOPA|002|${noticeNumber}|${enteFiscalCode}|${cents}`;
}

/** Cents in Italian format: 102099 → "1.020,99". */
export function formatEuro(cents: number): string {
  const euros = Math.trunc(cents / 100);
  const rest = String(Math.abs(cents % 100)).padStart(2, "0");
  const grouped = String(Math.abs(euros)).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  return `${cents < 0 ? "-" : ""}${grouped},${rest}`;
}

/** "12,50", "12.50", "1.020,99", "30" → cents; undefined when it is not an amount. */
export function parseEuro(raw: string): number | undefined {
  const s = raw.trim().replace(/\s|€/g, "");
  let m = /^(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{1,2}))?$/.exec(s);
  if (m?.[1]) {
    return Number(m[1].replaceAll(".", "")) * 100 + Number((m[2] ?? "0").padEnd(2, "0"));
  }
  m = /^(\d+)\.(\d{1,2})$/.exec(s);
  if (m?.[1] && m[2]) return Number(m[1]) * 100 + Number(m[2].padEnd(2, "0"));
  return undefined;
}

/** The notice object: sentence case, at most 90 characters. */
export function noticePurpose(receiptCode: string): string {
  return `Diritti per accesso agli atti, richiesta ${receiptCode}`.slice(0, MAX_PURPOSE);
}

function assertDigits(value: string, length: number, what: string): void {
  if (!new RegExp(`^\\d{${length}}$`).test(value)) {
    throw new Error(`${what}: servono ${length} cifre, non "${value}"`);
  }
}
