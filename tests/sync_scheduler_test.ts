import assert from "node:assert/strict";
import { SyncAuthError, SyncTransientError } from "../sync/errors.ts";
import type { SyncReport } from "../sync/run_sync.ts";
import { startSyncScheduler } from "../sync/scheduler.ts";

const REPORT: SyncReport = {
  pulled: 0,
  pushed: 0,
  rejected: 0,
  pages: 1,
  attempts: 1,
  wireBytesReceived: 0,
  rawBytesReceived: 0,
  bytesSent: 0,
  applyMs: 0,
};

/** Resolves once `check()` holds, probing after each timer turn. */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(check(), "condition not reached");
}

Deno.test("the scheduler backs off while the archive is unreachable and resumes when it returns", async () => {
  const starts: number[] = [];
  let failuresLeft = 3;
  const scheduler = startSyncScheduler({
    run: () => {
      starts.push(performance.now());
      if (failuresLeft-- > 0) return Promise.reject(new SyncTransientError("rete assente"));
      return Promise.resolve(REPORT);
    },
    intervalMs: 60 * 60_000,
    retryBaseMs: 20,
    clock: () => new Date(),
    random: () => 0.999,
  });
  try {
    await until(() => starts.length >= 2);
    assert.equal(scheduler.state().online, false);
    assert.match(scheduler.state().lastError ?? "", /Archivio non raggiungibile: rete assente/);
    await until(() => scheduler.state().online === true);
    assert.equal(starts.length, 4);
    // Each wait after a failure was longer than the one before.
    const gaps = starts.slice(1).map((t, i) => t - (starts[i] ?? 0));
    assert.ok((gaps[2] ?? 0) > (gaps[0] ?? 0), `gaps ${gaps.join(", ")}`);
    assert.equal(scheduler.state().lastError, undefined);
    // Up to date: the next run is a whole interval away.
    const next = scheduler.state().nextRunAt?.getTime() ?? 0;
    assert.ok(next - Date.now() > 59 * 60_000);
  } finally {
    await scheduler.stop();
  }
});

Deno.test("a refused branch is shown as refused, and one run at a time", async () => {
  let runs = 0;
  const scheduler = startSyncScheduler({
    run: () => {
      runs++;
      return Promise.reject(new SyncAuthError("Token della sede non valido"));
    },
    intervalMs: 60 * 60_000,
    firstRunMs: 60 * 60_000,
    clock: () => new Date(),
    random: () => 0.5,
  });
  try {
    await Promise.all([scheduler.runNow(), scheduler.runNow()]);
    assert.equal(runs, 1);
    assert.equal(scheduler.state().refused, true);
    assert.equal(scheduler.state().lastError, "Token della sede non valido");
  } finally {
    await scheduler.stop();
  }
});
