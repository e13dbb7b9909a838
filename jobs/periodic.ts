/**
 * A background job that runs a round at once and then every `everyMs`: the pagoPA notice job,
 * the notice sender, the reminder job and the branch's pin job. Rounds never overlap (the
 * timer's and `runNow`'s queue behind each other): two rounds would otherwise contend for the
 * same rows, or send the same due notice twice. A failing round is logged by its message only
 * (an error object could carry a request with its headers) and the next one runs on time.
 */

/** A running job; `stop()` ends it after the current round. */
export interface PeriodicJob<T> {
  stop(): Promise<void>;
  /** Runs a round now (tests, an admin page's button), after any round in progress. */
  runNow(): Promise<T>;
}

/** Starts `runRound` now and every `everyMs`; `label` names the job in the log (Italian). */
export function startPeriodicJob<T>(
  label: string,
  runRound: () => Promise<T>,
  everyMs: number,
): PeriodicJob<T> {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let current: Promise<unknown> = Promise.resolve();
  const round = () => {
    const run = current.then(runRound);
    current = run.catch((err) => {
      console.error(`${label}: giro non riuscito:`, err instanceof Error ? err.message : "");
    });
    return run;
  };
  const tick = async () => {
    await round().catch(() => {});
    if (!stopped) timer = setTimeout(tick, everyMs);
  };
  void tick();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
    runNow: round,
  };
}
