/**
 * Gives the C allocator's free pages back to the system (glibc's `malloc_trim`). The
 * index's typed arrays and libSQL's rows live outside V8's heap, in malloc: building the
 * index of 1M dossiers allocated and freed about twice what it keeps (postings that grow by
 * doubling, a page of JSON rows at a time), and glibc kept the freed pages, so the kiosk's
 * RSS when ready was about three times its live data (docs/SEARCH.md, "At 1M"). Where there
 * is no glibc (macOS, Windows, musl) or no FFI permission, it does nothing.
 */

import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

type Trim = { symbols: { malloc_trim: (pad: bigint) => number }; close(): void };

let trim: Trim | null | undefined;

function open(): Trim | null {
  if (Deno.build.os !== "linux") return null;
  try {
    return Deno.dlopen("libc.so.6", {
      malloc_trim: { parameters: ["usize"], result: "i32" },
    }) as unknown as Trim;
  } catch {
    // No FFI permission, or a libc without malloc_trim: RSS stays as the allocator keeps it.
    return null;
  }
}

/**
 * Returns free allocator memory to the system; the ms it took, or undefined when the
 * platform offers no way to do so.
 */
export function releaseFreeMemory(): number | undefined {
  if (trim === undefined) trim = open();
  if (trim === null) return undefined;
  const started = performance.now();
  trim.symbols.malloc_trim(0n);
  return performance.now() - started;
}

/** When freed allocator memory is given back (releaseFreeMemoryOnGrowth). */
export interface GrowthTrimOptions {
  /** How often RSS is looked at. */
  everyMs: number;
  /** Give memory back once RSS is this much above the lowest it has been (the start, a trim). */
  growthBytes: number;
  /** The process's resident bytes (tests pass a sequence). */
  rss?: () => number;
  /** What gives the memory back (tests pass a counter). */
  release?: () => unknown;
}

/** The running policy: `check` is what the timer calls, exposed for tests. */
export interface GrowthTrim {
  /** Gives memory back if RSS is far enough above its lowest; whether it did. */
  check(): boolean;
  stop(): void;
}

/**
 * Gives freed allocator memory back only when RSS is `growthBytes` above the lowest it has
 * been (at the start, or right after a trim), looked at every `everyMs`. The lowest, not the
 * last trim's: a trim made while much was briefly alive (a compaction holding two indexes, a
 * burst of requests) would otherwise raise the bar, and what that left free afterwards would
 * stay resident until RSS grew again. Giving it back has a price later: glibc drops
 * the free pages, and the next allocations that reuse them fault each one in again, about 10
 * µs a page on the kiosk's VM. Trimming every 5 s while requests came, and once at ready,
 * cost the first searches after a start 15-30k faults; a visitor's searches one at a time
 * reuse what the last ones freed and seldom grow RSS at all. Under 50 clients RSS grows by
 * more than this within seconds, so it is still given back about as often as before
 * (docs/SEARCH.md, ninth round).
 */
export function releaseFreeMemoryOnGrowth(options: GrowthTrimOptions): GrowthTrim {
  const rss = options.rss ?? (() => Deno.memoryUsage().rss);
  const release = options.release ?? releaseFreeMemory;
  let lowest = rss();
  const check = (): boolean => {
    const now = rss();
    if (now < lowest) lowest = now;
    if (now - lowest < options.growthBytes) return false;
    release();
    lowest = Math.min(lowest, rss());
    return true;
  };
  const timer = setInterval(check, options.everyMs);
  Deno.unrefTimer(timer);
  return { check, stop: () => clearInterval(timer) };
}

let fullGc: (() => void) | null | undefined;

/**
 * A full, compacting collection of V8's heap now; the ms it took, or undefined where V8 does
 * not let the process ask for one. The index build leaves a few hundred MB of garbage in V8's
 * heap (at 1M: 470 MB committed for 230 MB live) and the typed arrays whose stores only a
 * collection frees. Left alone, V8's memory reducer collects it 10–15 s after the kiosk
 * says ready, when the first visitors are searching: two pauses of 200–400 ms each at 1M,
 * each holding every request in flight (docs/SEARCH.md, "The request path at 1M").
 */
export function collectGarbage(): number | undefined {
  if (fullGc === undefined) {
    try {
      // `gc` is exposed only to contexts made after the flag is set: a new one hands it over.
      setFlagsFromString("--expose-gc");
      fullGc = runInNewContext("gc") as () => void;
    } catch {
      fullGc = null;
    }
  }
  if (fullGc === null) return undefined;
  const started = performance.now();
  fullGc();
  return performance.now() - started;
}
