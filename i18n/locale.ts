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
