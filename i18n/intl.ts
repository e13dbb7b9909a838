/**
 * Numbers, dates and plurals per locale through `Intl`, so the catalogues never spell out
 * grouping separators or plural rules by hand. Formatters are built once per locale (they are
 * constant tables, not state).
 */
import { INTL_TAG, type Locale } from "./locale.ts";

const NUMBER = {
  it: new Intl.NumberFormat(INTL_TAG.it),
  en: new Intl.NumberFormat(INTL_TAG.en),
};
const PLURAL = { it: new Intl.PluralRules(INTL_TAG.it), en: new Intl.PluralRules(INTL_TAG.en) };
const LONG_DATE = {
  it: new Intl.DateTimeFormat(INTL_TAG.it, { dateStyle: "long", timeZone: "UTC" }),
  en: new Intl.DateTimeFormat(INTL_TAG.en, { dateStyle: "long", timeZone: "UTC" }),
};
const DATE_TIME = {
  it: new Intl.DateTimeFormat(INTL_TAG.it, {
    dateStyle: "long",
    timeStyle: "short",
    timeZone: "Europe/Rome",
  }),
  en: new Intl.DateTimeFormat(INTL_TAG.en, {
    dateStyle: "long",
    timeStyle: "short",
    timeZone: "Europe/Rome",
  }),
};

/** `3000` → `3.000` (it) or `3,000` (en). */
export function formatNumber(locale: Locale, n: number): string {
  return NUMBER[locale].format(n);
}

/** The plural form's text for `n`: `one` for 1 (both languages), `other` otherwise. */
export function plural(
  locale: Locale,
  n: number,
  forms: { one: string; other: string },
): string {
  return PLURAL[locale].select(n) === "one" ? forms.one : forms.other;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A calendar date `AAAA-MM-GG` as people read it: `22/07/2019` in Italian (the form the
 * kiosk always printed), `22 July 2019` in English (no day-month ambiguity for visitors);
 * anything else is shown as written.
 */
export function formatDay(locale: Locale, iso: string): string {
  const m = ISO_DATE.exec(iso);
  if (!m) return iso;
  if (locale === "it") return `${m[3]}/${m[2]}/${m[1]}`;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return Number.isNaN(d.getTime()) ? iso : LONG_DATE[locale].format(d);
}

/**
 * `2025-03-03` → `3 marzo 2025` / `3 March 2025` (a calendar date: UTC, so no zone shifts it);
 * anything that does not start with a date is shown as written, like `formatDay`.
 */
export function formatLongDay(locale: Locale, iso: string): string {
  const start = String(iso).slice(0, 10);
  if (!ISO_DATE.test(start)) return String(iso);
  return LONG_DATE[locale].format(new Date(`${start}T00:00:00Z`));
}

/** A moment (a filing, a sync) in the office's time zone. */
export function formatDateTime(locale: Locale, at: Date): string {
  return DATE_TIME[locale].format(at);
}
