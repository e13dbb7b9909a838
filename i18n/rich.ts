/**
 * Catalogue text that carries markup: an Italian legal term inside English text is wrapped
 * in `<span lang="it">` so a screen reader reads it with an Italian voice. The result is a
 * hono `HtmlEscapedString` (a `string` to the type checker, so a catalogue entry stays
 * `string`) that JSX prints as it is; use such entries as element content, never inside an
 * attribute or a `<title>` (those take the plain entries).
 */
import { raw } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** `s` escaped for HTML text or a quoted attribute. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
}

/** True for markup made by `raw` (a `String` object flagged `isEscaped`). */
export function isMarkup(v: unknown): v is HtmlEscapedString {
  return typeof v === "object" && v !== null && Reflect.get(v, "isEscaped") === true;
}

/** An Italian term inside another language's text, marked so the voice switches. */
export function itTerm(term: string): HtmlEscapedString {
  return raw(`<span lang="it">${escapeHtml(term)}</span>`);
}

/**
 * A template whose plain parts are trusted catalogue text and whose values are escaped
 * unless already markup (an `itTerm`): `rich\`access request (${itTerm("accesso agli atti")})\``.
 */
export function rich(
  parts: TemplateStringsArray,
  ...values: (string | number | HtmlEscapedString)[]
): HtmlEscapedString {
  let out = parts[0] ?? "";
  values.forEach((v, i) => {
    out += isMarkup(v) ? String(v) : escapeHtml(String(v));
    out += parts[i + 1] ?? "";
  });
  return raw(out);
}
