/**
 * Branch side: runs a sync every few minutes while the archive answers, backs off (with
 * jitter) while it does not, and keeps the live state the admin page shows. It only ever
 * awaits network and small transactions, so the kiosk keeps serving while it works.
 */
import { backoffDelay } from "./backoff.ts";
import type { SyncProgress } from "./client.ts";
import { describeSyncError, isRetryable } from "./errors.ts";
import type { SyncReport } from "./run_sync.ts";

/** What the admin page shows live (the rest is read from the DB). */
export interface SchedulerState {
  /** True after a run reached the archive, false after it could not; undefined before. */
  online: boolean | undefined;
  running: boolean;
  progress: SyncProgress | undefined;
  lastRunAt: Date | undefined;
  nextRunAt: Date | undefined;
  /** The last run's error, in Italian; undefined after a good run. */
  lastError: string | undefined;
  /** The archive refused this branch (token, revoked, protocol): retrying will not help. */
  refused: boolean;
}

/** A running scheduler. */
export interface SyncScheduler {
  state(): SchedulerState;
  /** Starts a run now unless one is under way; resolves when that run ends. */
  runNow(): Promise<void>;
  /** Stops the timer and waits for a run under way to end. */
  stop(): Promise<void>;
}

/** What the scheduler needs: a run function and its timing. */
export interface SchedulerDeps {
  run: (onProgress: (p: SyncProgress) => void) => Promise<SyncReport>;
  intervalMs: number;
  clock: () => Date;
  random: () => number;
  /** First retry delay while the archive is unreachable (doubles up to intervalMs × 6). */
  retryBaseMs?: number;
  /** Delay before the first run after start. */
  firstRunMs?: number;
}

/** Creates and starts the scheduler. */
export function startSyncScheduler(deps: SchedulerDeps): SyncScheduler {
  const state: SchedulerState = {
    online: undefined,
    running: false,
    progress: undefined,
    lastRunAt: undefined,
    nextRunAt: undefined,
    lastError: undefined,
    refused: false,
  };
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let current: Promise<void> | undefined;
  let stopped = false;

  const schedule = (ms: number) => {
    if (stopped) return;
    if (timer !== undefined) clearTimeout(timer);
    state.nextRunAt = new Date(deps.clock().getTime() + ms);
    timer = setTimeout(() => {
      timer = undefined;
      void runNow();
    }, ms);
  };

  const runOnce = async () => {
    state.running = true;
    state.progress = undefined;
    state.lastRunAt = deps.clock();
    try {
      await deps.run((p) => (state.progress = p));
      state.online = true;
      state.refused = false;
      state.lastError = undefined;
      failures = 0;
      schedule(deps.intervalMs);
    } catch (err) {
      state.lastError = describeSyncError(err);
      if (isRetryable(err)) {
        state.online = false;
        failures++;
        const base = deps.retryBaseMs ?? 15_000;
        schedule(
          backoffDelay(failures - 1, deps.random, base, Math.max(base, deps.intervalMs * 6)),
        );
      } else {
        // The archive answered but refused us: it is reachable; an admin must act.
        state.online = true;
        state.refused = true;
        schedule(deps.intervalMs);
      }
    } finally {
      state.running = false;
      state.progress = undefined;
    }
  };

  const runNow = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    current ??= runOnce().finally(() => (current = undefined));
    return current;
  };

  schedule(deps.firstRunMs ?? 0);
  return {
    state: () => ({ ...state }),
    runNow,
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      await current;
    },
  };
}
