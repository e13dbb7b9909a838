/**
 * The kiosk's two languages and how a request picks one: Italian by default, English when the
 * visitor chose it with the language switch (a session cookie the idle wipe deletes).
 */

/** A UI language. Records stay Italian whatever the UI says (they are data, not UI). */
export type Locale = "it" | "en";

/** Every UI language, the default first. */
export const LOCALES: readonly Locale[] = ["it", "en"];

/** The language a visitor gets until they choose another. */
export const DEFAULT_LOCALE: Locale = "it";

/** The session cookie that remembers the visitor's choice. */
export const LOCALE_COOKIE = "faldone_lang";

/** `value` as a locale, or undefined when it names none (a cookie or a path segment). */
export function parseLocale(value: string | undefined): Locale | undefined {
  return LOCALES.find((l) => l === value);
}

/** BCP 47 tag used with Intl for each locale (British English: day-month-year dates). */
export const INTL_TAG: Readonly<Record<Locale, string>> = { it: "it-IT", en: "en-GB" };

/**
 * The first of our locales an `Accept-Language` header prefers (by `q`, then by order), or
 * undefined when it names none of them: `en-US,en;q=0.9,it;q=0.8` → "en", `de` → undefined.
 * A malformed part is skipped, never an error (the header is advice, not input to refuse).
 */
export function negotiateLocale(header: string | undefined): Locale | undefined {
  if (!header) return undefined;
  const ranked = header.split(",").slice(0, 50).flatMap((part, order) => {
    const [tag = "", ...params] = part.trim().split(";");
    const q = params.map((p) => /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/.exec(p)).find(Boolean);
    const weight = q?.[1] === undefined ? 1 : Number(q[1]);
    const locale = parseLocale(tag.trim().toLowerCase().split("-")[0]);
    return locale && weight > 0 ? [{ locale, weight, order }] : [];
  });
  ranked.sort((a, b) => b.weight - a.weight || a.order - b.order);
  return ranked[0]?.locale;
}
