/**
 * What a screen needs to speak the request's language: the catalogue and the `Intl`
 * formatters of one locale, plus where the page is (for the language switch's way back).
 */
import { en } from "./en.ts";
import { formatDateTime, formatDay, formatNumber, plural } from "./intl.ts";
import { it, type Messages } from "./it.ts";
import type { Locale } from "./locale.ts";

/** The catalogue of every locale; `en` is typed `Messages`, so it lacks no key of `it`. */
export const CATALOGUES: Readonly<Record<Locale, Messages>> = { it, en };

/** One request's language tools. */
export interface I18n {
  locale: Locale;
  /** The messages: `t.search.title`, `t.search.results(n)`. */
  t: Messages;
  /** This page's path and query, where the language switch comes back to. */
  here: string;
  number(n: number): string;
  /** `AAAA-MM-GG` as read in this locale; undefined stays undefined. */
  day(iso: string): string;
  day(iso: string | undefined): string | undefined;
  dateTime(at: Date): string;
  plural(n: number, forms: { one: string; other: string }): string;
}

/** The language tools of `locale`, for the page at `here`. */
export function i18nFor(locale: Locale, here = "/"): I18n {
  function day(iso: string): string;
  function day(iso: string | undefined): string | undefined;
  function day(iso: string | undefined): string | undefined {
    return iso === undefined ? undefined : formatDay(locale, iso);
  }
  return {
    locale,
    t: CATALOGUES[locale],
    here,
    number: (n) => formatNumber(locale, n),
    day,
    dateTime: (at) => formatDateTime(locale, at),
    plural: (n, forms) => plural(locale, n, forms),
  };
}
