/**
 * A `Server-Timing` header (`holder;dur=0.8, grant;dur=2.1, …`) for a route made of steps, so
 * a benchmark over HTTP (bench/consult_bench.ts) sees where a request's time went without a
 * profiler. Names of steps and their durations only: nothing about who asked or what.
 */
export class StepTimer {
  private last = performance.now();
  private readonly steps: [string, number][] = [];

  /** Ends the step running since the previous mark (or the start) under `name`. */
  mark(name: string): void {
    const now = performance.now();
    this.steps.push([name, now - this.last]);
    this.last = now;
  }

  header(): string {
    return this.steps.map(([name, ms]) => `${name};dur=${ms.toFixed(1)}`).join(", ");
  }
}

/** The steps of a `Server-Timing` header, in ms, by name (unknown syntax is skipped). */
export function parseServerTiming(header: string | null): Map<string, number> {
  const out = new Map<string, number>();
  for (const part of (header ?? "").split(",")) {
    const m = /^\s*([\w-]+);dur=([\d.]+)\s*$/.exec(part);
    if (m) out.set(m[1]!, Number(m[2]));
  }
  return out;
}
