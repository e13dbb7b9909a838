/**
 * The one rule for text that enters Faldone (import lines, forms, sync pages and mutations):
 * no invisible control characters. Legacy archives carry them (OCR output, old index
 * exports using U+001F/U+001E as separators); kept, they break whatever later treats them
 * as structure, print as nothing and make two equal-looking values differ.
 *
 * Text is normalised, not refused: each run of such characters (with the spaces around it)
 * becomes one space. A 300k-line legacy import must not lose a dossier over a byte nobody
 * can see, and the words either side stay apart ("ampliamento\u001fvilla" → "ampliamento
 * villa"), so the record is still found by both. The import says where it did so (a
 * warning per field, docs/IMPORT.md).
 *
 * What goes: C0 controls U+0000–U+001F (a multi-line field keeps tab, line feed and carriage
 * return), DEL U+007F, C1 controls U+0080–U+009F (NEL among them; cp1252 text read as
 * Latin-1 leaves them), the line and paragraph separators U+2028/U+2029, the byte order mark
 * U+FEFF; a lone UTF-16 surrogate (JSON can spell one, UTF-8 cannot store it) becomes U+FFFD.
 */

// The characters that go, as regular-expression ranges: all of them, and all but \t \n \r.
const IN_LINE = "\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029\\ufeff";
const IN_TEXT = "\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f\\u2028\\u2029\\ufeff";

/** Finds any such character (or a surrogate), and each run of them with the spaces around it. */
interface Rule {
  any: RegExp;
  run: RegExp;
}

function rule(chars: string): Rule {
  return {
    // Surrogates too: one scan finds both, and well-formed text rarely has any (emoji).
    any: new RegExp(`[${chars}\\ud800-\\udfff]`),
    run: new RegExp(`[ ${chars}]*[${chars}][ ${chars}]*`, "g"),
  };
}

const LINE = rule(IN_LINE);
const TEXT = rule(IN_TEXT);

function clean(s: string, { any, run }: Rule): string {
  // Most text is clean: one scan, no copy.
  if (!any.test(s)) return s;
  const whole = s.toWellFormed();
  // One space between words; nothing at either end, where it would only pad the value.
  return whole.replace(
    run,
    (m: string, at: number) => at === 0 || at + m.length === whole.length ? "" : " ",
  );
}

/**
 * A one-line field (subject, street, name, e-mail…) without control characters: each run
 * of them, tabs and line breaks included, becomes one space.
 */
export function cleanLine(s: string): string {
  return clean(s, LINE);
}

/**
 * A multi-line field (an act's text, a request's motivation) without control characters:
 * tab, line feed and carriage return stay, every other run becomes one space.
 */
export function cleanMultiline(s: string): string {
  return clean(s, TEXT);
}

/**
 * Every string inside a JSON value passed through `cleanLine` (`cleanMultiline` for the keys
 * named in `multiline`), for documents that arrive whole (sync pages, mutations): returns
 * the same value when nothing changed. Object keys are left as they are (schema, not data).
 */
export function cleanStrings<T>(value: T, multiline: ReadonlySet<string> = new Set()): T {
  return cleanValue(value, multiline, false) as T;
}

function cleanValue(value: unknown, multiline: ReadonlySet<string>, keep: boolean): unknown {
  if (typeof value === "string") return keep ? cleanMultiline(value) : cleanLine(value);
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    value.forEach((item, i) => {
      const c = cleanValue(item, multiline, keep);
      if (c !== item) (out ??= [...value])[i] = c;
    });
    return out ?? value;
  }
  if (typeof value === "object" && value !== null) {
    let out: Record<string, unknown> | undefined;
    for (const [key, item] of Object.entries(value)) {
      const c = cleanValue(item, multiline, multiline.has(key));
      if (c !== item) (out ??= { ...value })[key] = c;
    }
    return out ?? value;
  }
  return value;
}
