/**
 * Schema pieces for form fields and query parameters, with Italian messages that name the
 * field: a repeated scalar or an over-long value is refused at the edge. Control characters
 * in free text are not refused but normalised by the domain's one text rule
 * (domain/plain_text.ts, the same as an import line's or a sync page's); fixed-format fields
 * (dates, codes, ids) refuse what does not match their format.
 */
import { z } from "zod";
import { cleanLine, cleanMultiline } from "../domain/plain_text.ts";
import { localMessage, type LocalText } from "../i18n/local_message.ts";

/**
 * A field's name in messages: a catalogue entry (shown in the request's language) or a plain
 * Italian string (a field not yet in the catalogues, then Italian in every language).
 */
export type Label = string | LocalText;

const labelIn = (label: Label) => (typeof label === "string" ? () => label : label);

// C0 controls (tabs and newlines only where a field may hold them), DEL, C1 controls, line and
// paragraph separators, BOM, and U+FFFD (what bytes that were not UTF-8 decode to).
// Finding control characters is the point of these two expressions.
// deno-lint-ignore no-control-regex
const CONTROL_ONE_LINE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffd]/;
const CONTROL_MULTI_LINE =
  // deno-lint-ignore no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffd]/;

/**
 * True when `value` holds a character no fixed-format field (a code, an id) accepts; free
 * text is cleaned with `cleanLine`/`cleanMultiline` instead.
 */
export function hasControlCharacters(value: string, multiline = false): boolean {
  return (multiline ? CONTROL_MULTI_LINE : CONTROL_ONE_LINE).test(value);
}

interface TextOptions {
  /** Most characters accepted. */
  max: number;
  /** Tabs and newlines kept (a motivation, a note). */
  multiline?: boolean;
  /** The message for a missing or empty value; the field is required when given. */
  required?: string;
}

// What was sent instead of text: a repeated form field, an upload, or a JSON value (the API).
function notText(input: unknown): "list" | "number" | "boolean" | "file" {
  if (Array.isArray(input)) return "list";
  if (typeof input === "number") return "number";
  if (typeof input === "boolean") return "boolean";
  return "file";
}

function oneString(label: Label, required: string | undefined) {
  const name = labelIn(label);
  return z.string({
    error: (iss) =>
      iss.input === undefined
        ? (required ?? localMessage((t) => t.fields.missing(name(t))))
        : localMessage((t) => t.fields.oneValue(name(t), notText(iss.input))),
  });
}

/**
 * A text field: one value, at most `max` characters, control characters made spaces
 * (tabs and line breaks kept when `multiline`), trimmed.
 */
export function text(label: Label, { max, multiline = false, required }: TextOptions) {
  const clean = multiline ? cleanMultiline : cleanLine;
  const name = labelIn(label);
  const base = oneString(label, required)
    .max(max, localMessage((t) => t.fields.tooLong(name(t), max)))
    // Bytes that were not UTF-8 arrive as U+FFFD: nothing to clean, the text was lost on the way.
    .refine(
      (v) => !v.includes("\ufffd"),
      localMessage((t) => t.fields.unreadable(name(t))),
    )
    // `overwrite` keeps the string schema (so `.min` still applies to the cleaned value).
    .overwrite((v) => clean(v).trim());
  return required ? base.min(1, required) : base;
}

/** An optional text field: missing reads as "". */
export function optionalText(label: Label, options: Omit<TextOptions, "required">) {
  return text(label, options).default("");
}

/**
 * A fixed-format value (a date, a code, an id): one value, at most `max` characters, trimmed;
 * a control character (but tabs and line breaks between the items of a `multiline` list) is
 * refused, since no format admits one and cleaning it could turn a
 * wrong value into a different valid one.
 */
export function code(label: Label, { max, multiline = false, required }: TextOptions) {
  const name = labelIn(label);
  const base = oneString(label, required)
    .max(max, localMessage((t) => t.fields.tooLong(name(t), max)))
    .refine(
      (v) => !hasControlCharacters(v, multiline),
      localMessage((t) => t.fields.controlChars(name(t))),
    )
    .trim();
  return required ? base.min(1, required) : base;
}

/** An optional fixed-format value (a list of them when `multiline`): missing reads as "". */
export function optionalCode(label: Label, options: Omit<TextOptions, "required">) {
  return code(label, options).default("");
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
export function optionalDate(label: Label) {
  const name = labelIn(label);
  const message = localMessage((t) => t.fields.badDate(name(t)));
  return optionalCode(label, { max: 20 })
    .refine((v) => v === "" || isIsoDate(v), message)
    .transform((v) => v === "" ? undefined : v);
}

/** A checkbox sent as "1": true when ticked. */
export function flag(label: Label) {
  return optionalCode(label, { max: 5 }).transform((v) => v === "1");
}
