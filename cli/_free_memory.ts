/**
 * Gives the C allocator's free pages back to the system (glibc's `malloc_trim`). The
 * index's typed arrays and libSQL's rows live outside V8's heap, in malloc: building the
 * index of 1M dossiers allocated and freed about twice what it keeps (postings that grow by
 * doubling, a page of JSON rows at a time), and glibc kept the freed pages, so the kiosk's
 * RSS when ready was about three times its live data (docs/SEARCH.md, "At 1M"). Where there
 * is no glibc (macOS, Windows, musl) or no FFI permission, it does nothing.
 */

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
