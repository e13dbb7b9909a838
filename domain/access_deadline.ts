/**
 * The legal clock of an access request (DOMAIN §5): 30 calendar days from the clock start,
 * start day not counted, days added (never months); a last day on a Sunday or holiday moves
 * to the next working day (art. 2963 c.c.); the notice to counter-interested parties pauses
 * the clock until their objection or the 10th day.
 * All dates are ISO calendar dates (`YYYY-MM-DD`) in the Comune's time zone.
 */

/** Which regime a request was filed under. */
export type Regime = "documentale" | "civico_generalizzato" | "civico_semplice";

/** Holidays as an admin setting; Sundays are always non-working. */
export interface HolidaySettings {
  /** Fixed national holidays as `MM-DD`. */
  fixed: string[];
  /** Easter Monday (Lunedì dell'Angelo), computed per year. */
  easterMonday: boolean;
  /** Patron saint's day of the Comune as `MM-DD`, if any. */
  patron?: string;
  /** One-off closures as `YYYY-MM-DD`. */
  extra: string[];
}

/** Everything besides the request itself that the clock depends on. */
export interface DeadlineSettings {
  holidays: HolidaySettings;
  /** Whether counter-party notice suspends the documentale clock (DPR 184/2006 art. 3). */
  documentaleSuspension: boolean;
}

/** Italian national holidays (L. 260/1949 and later), Easter Monday included. */
export const DEFAULT_HOLIDAYS: HolidaySettings = {
  fixed: ["01-01", "01-06", "04-25", "05-01", "06-02", "08-15", "11-01", "12-08", "12-25", "12-26"],
  easterMonday: true,
  extra: [],
};

/** Defaults: national holidays, documentale suspension on. */
export const DEFAULT_DEADLINE_SETTINGS: DeadlineSettings = {
  holidays: DEFAULT_HOLIDAYS,
  documentaleSuspension: true,
};

/** Days allowed to decide (L. 241/1990 art. 25; d.lgs. 33/2013 art. 5 c.6). */
export const DECISION_DAYS = 30;
/** Days counter-interested parties have to object. */
export const OBJECTION_DAYS = 10;

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function toUtc(date: string): number {
  const m = ISO_DATE.exec(date);
  if (!m) throw new RangeError(`not an ISO date: ${date}`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
}

function fromUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** `date` plus `days` calendar days. */
export function addDays(date: string, days: number): string {
  return fromUtc(toUtc(date) + days * MS_PER_DAY);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((toUtc(to) - toUtc(from)) / MS_PER_DAY);
}

/** Easter Sunday of a Gregorian year (anonymous Gregorian algorithm). */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** True on Sundays and on the configured holidays. */
export function isNonWorkingDay(date: string, holidays: HolidaySettings): boolean {
  if (new Date(toUtc(date)).getUTCDay() === 0) return true;
  const monthDay = date.slice(5);
  if (holidays.fixed.includes(monthDay) || holidays.patron === monthDay) return true;
  if (holidays.extra.includes(date)) return true;
  if (holidays.easterMonday) {
    return addDays(easterSunday(Number(date.slice(0, 4))), 1) === date;
  }
  return false;
}

/** The date itself, or the next working day when it falls on a Sunday or holiday. */
export function nextWorkingDay(date: string, holidays: HolidaySettings): string {
  let d = date;
  while (isNonWorkingDay(d, holidays)) d = addDays(d, 1);
  return d;
}

/** The parts of a request the clock reads. */
export interface ClockFacts {
  regime: Regime;
  /** Filing date, or the completion date after `awaiting_completion`. */
  clockStartOn: string;
  counterpartiesNotifiedOn?: string | null | undefined;
  /** Date of the objection, if one came before the 10th day. */
  counterpartiesResolvedOn?: string | null | undefined;
}

/** Days the clock stood still for the counter-party notice (0 when it does not apply). */
export function suspensionDays(facts: ClockFacts, settings: DeadlineSettings): number {
  const notified = facts.counterpartiesNotifiedOn;
  if (!notified) return 0;
  if (facts.regime === "documentale" && !settings.documentaleSuspension) return 0;
  // Until an objection arrives the full 10 days are assumed: the due date only moves earlier.
  const resolved = facts.counterpartiesResolvedOn;
  const days = resolved ? daysBetween(notified, resolved) : OBJECTION_DAYS;
  return Math.max(0, Math.min(OBJECTION_DAYS, days));
}

/** The legal due date of a request. */
export function computeDueDate(facts: ClockFacts, settings: DeadlineSettings): string {
  const raw = addDays(facts.clockStartOn, DECISION_DAYS + suspensionDays(facts, settings));
  return nextWorkingDay(raw, settings.holidays);
}

/** Days the office has to send an incomplete documentale request back (DPR 184/2006 art. 6). */
export const COMPLETION_NOTICE_DAYS = 10;

/**
 * The last day to ask for the completion of a documentale request whose clock started on
 * `clockStartOn` (filing, or the previous completion); undefined for civico requests,
 * which have no such step. Past it the request counts as complete: its 30 days run on.
 */
export function completionNoticeBy(
  regime: Regime,
  clockStartOn: string,
  holidays: HolidaySettings,
): string | undefined {
  if (regime !== "documentale") return undefined;
  return nextWorkingDay(addDays(clockStartOn, COMPLETION_NOTICE_DAYS), holidays);
}

/** Days left until the due date (0 on the day, negative once overdue). */
export function daysLeft(dueOn: string, today: string): number {
  return daysBetween(today, dueOn);
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar date of an instant in the Comune's time zone. */
export function localDate(at: Date, timeZone = "Europe/Rome"): string {
  // A formatter costs far more to make than to use (every grant check of every stamped page
  // asks for today's date): one per zone is kept.
  let format = dateFormats.get(timeZone);
  if (!format) {
    // en-CA formats as YYYY-MM-DD.
    format = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    });
    dateFormats.set(timeZone, format);
  }
  return format.format(at);
}
