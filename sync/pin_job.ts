/**
 * Branch side: the pins that end by the calendar, kept in line on a timer, offline too. A
 * booking's dossier scans are unpinned once its day is over (not only when the agenda is
 * next opened), and grant pins are reconciled with the clock (not only around a sync, which
 * never runs while the archive is unreachable), so an expired grant's files can be evicted.
 */
import { type PeriodicJob, startPeriodicJob } from "../jobs/periodic.ts";
import type { Db } from "../db/client.ts";
import { unpinPastBookings } from "../db/bookings.ts";
import { reconcileGrantPins } from "../db/grant_pins.ts";

/** Everything a round needs. */
export interface PinJobDeps {
  db: Db;
  clock: () => Date;
  /** This branch's name (config.branchName): the grants that pin here are its own. */
  branchName: string;
}

/** What one round did. */
export interface PinReport {
  bookingsUnpinned: number;
  grantPinsAdded: number;
  grantPinsRemoved: number;
}

/** One round: past bookings' scans unpinned, grant pins reconciled. */
export async function runPinRound(deps: PinJobDeps): Promise<PinReport> {
  const now = deps.clock();
  const bookingsUnpinned = await unpinPastBookings(deps.db, now);
  const { added, removed } = await deps.db.transaction((tx) =>
    reconcileGrantPins(tx, deps.branchName, now)
  );
  return { bookingsUnpinned, grantPinsAdded: added, grantPinsRemoved: removed };
}

/** A running job; `stop()` ends it after the current round. */
export type PinJob = PeriodicJob<PinReport>;

/** Starts the loop: a round at once, then every `everyMs` (default 15 minutes). */
export function startPinJob(deps: PinJobDeps, everyMs = 15 * 60_000): PinJob {
  return startPeriodicJob("Documenti in sede", () => runPinRound(deps), everyMs);
}
