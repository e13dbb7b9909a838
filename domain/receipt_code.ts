/**
 * Receipt codes `XXXX-XXXX` (DOMAIN §5): 2 branch characters, 5 random, 1 check character.
 * The branch prefix keeps codes unique while a branch is offline; the check character
 * catches a mistyped code before any lookup.
 */
import { localMessage } from "../i18n/local_message.ts";

/** The 32 characters a code uses: no 0/O/1/I, which people confuse. */
export const RECEIPT_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

const RANDOM_CHARS = 5;
const CODE_LENGTH = 8;
// Odd weights are invertible mod 32, so any single wrong character changes the check;
// neighbouring weights differ, so most swapped pairs do too.
const WEIGHTS = [1, 3, 5, 7, 9, 11, 13] as const;

function valueOf(ch: string): number {
  return RECEIPT_ALPHABET.indexOf(ch);
}

/** The check character of the first 7 characters of a code. */
export function checkCharacter(body: string): string {
  let sum = 0;
  for (let i = 0; i < WEIGHTS.length; i++) {
    sum += (WEIGHTS[i] ?? 0) * valueOf(body.charAt(i));
  }
  return RECEIPT_ALPHABET.charAt(sum % 32);
}

/** Formats 8 code characters as `XXXX-XXXX`. */
export function formatReceiptCode(compact: string): string {
  return `${compact.slice(0, 4)}-${compact.slice(4)}`;
}

/** A new code for this branch; `random` fills bytes (crypto.getRandomValues by default). */
export function newReceiptCode(
  branchCode: string,
  random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b),
): string {
  const bytes = random(new Uint8Array(RANDOM_CHARS));
  // 256 is a multiple of 32: masking keeps every character equally likely.
  const randomPart = Array.from(bytes, (b) => RECEIPT_ALPHABET.charAt(b & 31)).join("");
  const body = branchCode + randomPart;
  return formatReceiptCode(body + checkCharacter(body));
}

/** Outcome of reading a typed code. */
export type ParsedReceiptCode = { ok: true; code: string } | { ok: false; message: string };

/** Reads a typed code: any case, with or without dash or spaces; typos get an Italian message. */
export function parseReceiptCode(input: string): ParsedReceiptCode {
  const compact = input.replace(/[\s\-–]/g, "").toUpperCase();
  if (compact.length === 0) {
    return { ok: false, message: localMessage((t) => t.receiptCode.empty) };
  }
  if (compact.length !== CODE_LENGTH) {
    return {
      ok: false,
      message: localMessage((t) => t.receiptCode.length(compact.length)),
    };
  }
  for (let i = 0; i < compact.length; i++) {
    if (valueOf(compact.charAt(i)) < 0) {
      return {
        ok: false,
        message: localMessage((t) => t.receiptCode.character(i + 1)),
      };
    }
  }
  if (checkCharacter(compact.slice(0, 7)) !== compact.charAt(7)) {
    return {
      ok: false,
      message: localMessage((t) => t.receiptCode.check),
    };
  }
  return { ok: true, code: formatReceiptCode(compact) };
}
