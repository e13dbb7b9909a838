/**
 * Archive side: the notices no one's action makes, only the calendar: the booking reminder
 * the day before, and the grant about to expire. Each round looks at the whole calendar
 * again; the event ids make a second look queue nothing, so a round missed (the archive was
 * down) is simply made up by the next one.
 */
import { type PeriodicJob, startPeriodicJob } from "../jobs/periodic.ts";
import type { Db } from "../db/client.ts";
import { queueBookingReminders } from "../db/booking_notices.ts";
import { queueGrantExpiryNotices } from "../db/grant_notices.ts";

/** Everything a round needs. */
export interface ReminderJobDeps {
  db: Db;
  clock: () => Date;
  /** Days before a grant's last valid day its holder is told (config.grantNoticeDays). */
  grantNoticeDays: number;
}

/** What one round queued (notice rows, one per channel). */
export interface ReminderReport {
  bookingReminders: number;
  grantsExpiring: number;
}

/** One round: tomorrow's bookings and the grants about to expire. */
export async function runReminderRound(deps: ReminderJobDeps): Promise<ReminderReport> {
  const now = deps.clock();
  return {
    bookingReminders: await queueBookingReminders(deps.db, now),
    grantsExpiring: await queueGrantExpiryNotices(deps.db, now, deps.grantNoticeDays),
  };
}

/** A running job; `stop()` ends it after the current round. */
export type ReminderJob = PeriodicJob<ReminderReport>;

/** Starts the loop: a round at once, then every `everyMs` (default 10 minutes). */
export function startReminderJob(deps: ReminderJobDeps, everyMs = 10 * 60_000): ReminderJob {
  return startPeriodicJob("Promemoria", () => runReminderRound(deps), everyMs);
}
