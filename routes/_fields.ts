/**
 * Schema pieces for form fields and query parameters, with Italian messages that name the
 * field: a repeated scalar, an over-long value or a control character is refused at the edge.
 */
import { z } from "zod";

// C0 controls (tabs and newlines only where a field may hold them), DEL, C1 controls, line and
// paragraph separators, BOM, and U+FFFD (what bytes that were not UTF-8 decode to).
// Finding control characters is the point of these two expressions.
// deno-lint-ignore no-control-regex
const CONTROL_ONE_LINE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffd]/;
const CONTROL_MULTI_LINE =
  // deno-lint-ignore no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffd]/;

/** True when `value` holds a character no form field accepts. */
export function hasControlCharacters(value: string, multiline = false): boolean {
  return (multiline ? CONTROL_MULTI_LINE : CONTROL_ONE_LINE).test(value);
}

interface TextOptions {
  /** Most characters accepted. */
  max: number;
  /** Tabs and newlines allowed (a motivation, a note). */
  multiline?: boolean;
  /** The message for a missing or empty value; the field is required when given. */
  required?: string;
}

/** A text field: one value, at most `max` characters, no control characters, trimmed. */
export function text(label: string, { max, multiline = false, required }: TextOptions) {
  const base = z.string({
    error: (iss) =>
      iss.input === undefined
        ? (required ?? `${label}: campo mancante.`)
        : `${label}: un solo valore di testo, non ${
          Array.isArray(iss.input) ? "un elenco" : "un file"
        }.`,
  })
    .max(max, `${label}: al massimo ${max} caratteri.`)
    .refine(
      (v) => !hasControlCharacters(v, multiline),
      `${label}: contiene caratteri non ammessi (di controllo o non leggibili); riscrivi il testo.`,
    )
    .trim();
  return required ? base.min(1, required) : base;
}

/** An optional text field: missing reads as "". */
export function optionalText(label: string, options: Omit<TextOptions, "required">) {
  return text(label, options).default("");
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written AAAA-MM-GG (no 31 February). */
export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

/** An optional date AAAA-MM-GG: missing or empty reads as undefined. */
export function optionalDate(label: string) {
  return optionalText(label, { max: 20 })
    .refine(
      (v) => v === "" || isIsoDate(v),
      `${label}: data non valida, usa AAAA-MM-GG (ad esempio 2025-03-31).`,
    )
    .transform((v) => v === "" ? undefined : v);
}

/** A checkbox sent as "1": true when ticked. */
export function flag(label: string) {
  return optionalText(label, { max: 5 }).transform((v) => v === "1");
}
