/**
 * What a screen needs to speak the request's language: the catalogue and the `Intl`
 * formatters of one locale, plus where the page is (for the language switch's way back).
 */
import { en } from "./en.ts";
import { formatDateTime, formatDay, formatLongDay, formatNumber, plural } from "./intl.ts";
import { it, type Messages } from "./it.ts";
import type { Locale } from "./locale.ts";

/** The catalogue of every locale; `en` is typed `Messages`, so it lacks no key of `it`. */
export const CATALOGUES: Readonly<Record<Locale, Messages>> = { it, en };

/** One request's language tools. */
export interface I18n {
  locale: Locale;
  /** The messages: `t.search.title`, `t.search.results(n)`. */
  t: Messages;
  /** This page's path (no query), where the language switch comes back to. */
  here: string;
  number(n: number): string;
  /** `AAAA-MM-GG` as read in this locale; undefined stays undefined. */
  day(iso: string): string;
  day(iso: string | undefined): string | undefined;
  /** `2025-03-03` → `3 marzo 2025` / `3 March 2025`. */
  longDay(iso: string): string;
  /** An instant (Date or ISO string) as date and time in the Comune's zone. */
  dateTime(at: Date | string): string;
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
    longDay: (iso) => formatLongDay(locale, iso),
    dateTime: (at) => formatDateTime(locale, typeof at === "string" ? new Date(at) : at),
    plural: (n, forms) => plural(locale, n, forms),
  };
}

/** The entry of `labels` named `key` (a code stored in the DB), or undefined if it has none. */
export function labelOf(labels: Readonly<Record<string, string>>, key: string): string | undefined {
  return Object.entries(labels).find(([k]) => k === key)?.[1];
}
