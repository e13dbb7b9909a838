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

/**
 * Calls releaseFreeMemory every `intervalMs` while `busy()` says requests came since the
 * last call (an idle kiosk has nothing new to give back); returns what stops it.
 */
export function releaseFreeMemoryPeriodically(
  intervalMs: number,
  busy: () => boolean,
): () => void {
  const timer = setInterval(() => {
    if (busy()) releaseFreeMemory();
  }, intervalMs);
  Deno.unrefTimer(timer);
  return () => clearInterval(timer);
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
