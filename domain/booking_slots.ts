/**
 * The bookable slots of a branch's day: opening hours per weekday (several intervals a day),
 * cut into the service's slot length, none on Sundays, national holidays (Easter Monday
 * included), the patron saint's day or the branch's closures. Hours are wall-clock times in
 * the Comune's zone (Europe/Rome); slots are instants (ISO, UTC) so both sides agree.
 */
import { type HolidaySettings, isNonWorkingDay } from "./access_deadline.ts";

/** The zone opening hours are written in. */
export const BOOKING_TIME_ZONE = "Europe/Rome";

/** One opening interval of a weekday (1 Monday … 7 Sunday), `HH:MM` to `HH:MM`. */
export interface OpeningInterval {
  weekday: number;
  opens: string;
  closes: string;
}

/** A slot: when it starts and ends. */
export interface Slot {
  startsAt: string;
  endsAt: string;
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes after midnight of `HH:MM`, or undefined when it is not a time. */
export function minutesOf(hhmm: string): number | undefined {
  const m = HHMM.exec(hhmm);
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
}

/** 1 Monday … 7 Sunday of an ISO date. */
export function weekdayOf(date: string): number {
  const day = new Date(`${date}T12:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

// The zone's offset from UTC at an instant, in minutes (+60 in winter, +120 in summer).
function offsetMinutes(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(at));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? "0");
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"));
  return Math.round((asUtc - Math.floor(at / 60_000) * 60_000) / 60_000);
}

/** The instant of a wall-clock time on a date in the Comune's zone. */
export function zonedInstant(date: string, minutes: number, timeZone = BOOKING_TIME_ZONE): Date {
  const [y, mo, d] = date.split("-").map(Number);
  const naive = Date.UTC(y ?? 1970, (mo ?? 1) - 1, d ?? 1, 0, minutes);
  // Two passes settle the offset also on the days the clocks change.
  let at = naive - offsetMinutes(naive, timeZone) * 60_000;
  at = naive - offsetMinutes(at, timeZone) * 60_000;
  return new Date(at);
}

/** `HH:MM` of an instant in the Comune's zone. */
export function localTime(at: Date | string, timeZone = BOOKING_TIME_ZONE): string {
  return new Intl.DateTimeFormat("it-IT", {
    timeZone,
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).format(typeof at === "string" ? new Date(at) : at);
}

/** True when nobody can book the day: Sunday, holiday, patron's day or a closure. */
export function isClosedDay(date: string, holidays: HolidaySettings, closures: string[]): boolean {
  return isNonWorkingDay(date, holidays) || closures.includes(date);
}

/** The day's slots for a service of `slotMinutes`, in time order. */
export function daySlots(
  date: string,
  slotMinutes: number,
  hours: OpeningInterval[],
  holidays: HolidaySettings,
  closures: string[],
): Slot[] {
  if (slotMinutes <= 0 || isClosedDay(date, holidays, closures)) return [];
  const weekday = weekdayOf(date);
  const slots: Slot[] = [];
  const intervals = hours.filter((h) => h.weekday === weekday)
    .sort((a, b) => (minutesOf(a.opens) ?? 0) - (minutesOf(b.opens) ?? 0));
  for (const h of intervals) {
    const opens = minutesOf(h.opens);
    const closes = minutesOf(h.closes);
    if (opens === undefined || closes === undefined) continue;
    // A slot that would run past closing time is not offered.
    for (let m = opens; m + slotMinutes <= closes; m += slotMinutes) {
      slots.push({
        startsAt: zonedInstant(date, m).toISOString(),
        endsAt: zonedInstant(date, m + slotMinutes).toISOString(),
      });
    }
  }
  return slots;
}
