/**
 * Branch side: one full sync run (push the outbox, then pull the feed to its end), retrying
 * transient failures with exponential backoff and jitter. Any page or batch that made it
 * resets the failure count, so a flaky link that keeps moving is never given up on.
 */
import { backoffDelay, createPageSizer, type PageSizer } from "./backoff.ts";
import { applyPage, fetchPage, pushBatch, type SyncClientDeps } from "./client.ts";
import { describeSyncError, isRetryable } from "./errors.ts";
import { countPendingMutations } from "../db/outbox.ts";
import { reconcileGrantPins } from "../db/grant_pins.ts";
import { markPulled, markPushed, readCursor, writeLastError } from "./sync_state.ts";

/** How hard to try. */
export interface SyncRunOptions {
  /** Consecutive failed attempts (with no progress between) before giving up. */
  maxAttempts: number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  backoffBaseMs: number;
  backoffCapMs: number;
  /** Page sizers survive between runs so the scheduler keeps what it learnt of the link. */
  pullSizer?: PageSizer;
  pushSizer?: PageSizer;
}

/** What a run achieved. */
export interface SyncReport {
  pulled: number;
  pushed: number;
  rejected: number;
  pages: number;
  attempts: number;
  wireBytesReceived: number;
  rawBytesReceived: number;
  bytesSent: number;
  /** Branch time spent decoding and applying pulled pages (not waiting for the link). */
  applyMs: number;
}

/** Sensible defaults for a real link: 1 s, 2 s, 4 s… up to 5 minutes, 8 tries. */
export const DEFAULT_RUN_OPTIONS: SyncRunOptions = {
  maxAttempts: 8,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
  backoffBaseMs: 1000,
  backoffCapMs: 5 * 60_000,
};

/**
 * Pushes every pending mutation and pulls every change; resolves when the branch is up to
 * date and its outbox empty (set-aside mutations excepted), or throws the last error.
 */
export async function syncOnce(
  deps: SyncClientDeps,
  options: Partial<SyncRunOptions> = {},
): Promise<SyncReport> {
  const o = { ...DEFAULT_RUN_OPTIONS, ...options };
  const pullSizer = o.pullSizer ?? createPageSizer();
  const pushSizer = o.pushSizer ?? createPageSizer({ initial: 256 * 1024 });
  const report: SyncReport = {
    pulled: 0,
    pushed: 0,
    rejected: 0,
    pages: 0,
    attempts: 0,
    wireBytesReceived: 0,
    rawBytesReceived: 0,
    bytesSent: 0,
    applyMs: 0,
  };
  let failures = 0;
  const progress = (phase: "pull" | "push", done: number, waiting: number) =>
    deps.onProgress?.({
      phase,
      done,
      total: done + waiting,
      bytesReceived: report.wireBytesReceived,
      bytesSent: report.bytesSent,
    });
  for (;;) {
    report.attempts++;
    try {
      let waiting = await countPendingMutations(deps.db);
      progress("push", report.pushed, waiting);
      while (waiting > 0) {
        const step = await pushBatch(deps, pushSizer);
        if (step.sent === 0) break;
        failures = 0;
        report.pushed += step.sent - step.rejected;
        report.rejected += step.rejected;
        report.wireBytesReceived += step.wireBytes;
        report.bytesSent += step.sentBytes;
        waiting = step.remaining;
        progress("push", report.pushed + report.rejected, waiting);
      }
      await markPushed(deps.db, deps.clock());
      // While one page is applied the next is already on its way: on a slow link the
      // transfer, not the local work, sets the pace.
      let next = fetchPage(deps, await readCursor(deps.db), pullSizer.next());
      for (;;) {
        const fetched = await next;
        pullSizer.record(fetched.rawBytes, fetched.elapsedMs, fetched.page.more);
        if (fetched.page.more) {
          next = fetchPage(deps, fetched.page.cursor, pullSizer.next());
          // Its failure, if any, is seen when it is awaited, not as an unhandled rejection.
          next.catch(() => {});
        }
        const step = await applyPage(deps, fetched);
        failures = 0;
        report.pages++;
        report.pulled += step.applied;
        report.wireBytesReceived += step.wireBytes;
        report.rawBytesReceived += step.rawBytes;
        report.applyMs += step.applyMs;
        progress("pull", report.pulled, step.remaining);
        if (!step.more) break;
      }
      const now = deps.clock();
      // Grants learnt (or revoked) in this pull: their files are pinned (or let go) now.
      if (deps.branchName) await reconcileGrantPins(deps.db, deps.branchName, now);
      await markPulled(deps.db, now);
      await writeLastError(deps.db, undefined, now);
      return report;
    } catch (err) {
      failures++;
      if (!isRetryable(err) || failures >= o.maxAttempts) {
        await writeLastError(deps.db, describeSyncError(err), deps.clock()).catch(() => {});
        throw err;
      }
      await o.sleep(backoffDelay(failures - 1, o.random, o.backoffBaseMs, o.backoffCapMs));
    }
  }
}
