/**
 * Collects V8's young generation while the kiosk has no request in flight, so that the
 * collection does not fall inside a search. V8 collects it when it fills (a "scavenge"),
 * whatever is running then: at 1M a first-time search allocates about 150 KB, the young
 * generation is 1–32 MB, and each scavenge copies what is alive at that moment. Inside a
 * request that is the request's own half-built answer on top of what the caches took in,
 * and it held that request 2–14 ms. Between requests only the caches' new entries are alive,
 * and a kiosk has gaps: a visitor reads, types, touches (docs/SEARCH.md, eighth round).
 *
 * It needs V8's `gc` function, which only `--v8-flags=--expose-gc` at start gives (deno.json's
 * `start` task passes it); without it the kiosk runs as before and V8 collects when it must.
 */
import { getHeapSpaceStatistics } from "node:v8";

type MinorGc = (options: { type: "minor" }) => void;

/** How much of the young generation is in use before an idle moment collects it. */
export interface IdleCollectionOptions {
  /** Collect once this share of the young generation's capacity is in use (0–1). */
  share: number;
  /** …and at least this many bytes: a few small requests are not worth a collection. */
  minBytes: number;
  /** V8's collection (tests pass a counter); `globalThis.gc` when started with --expose-gc. */
  collect?: MinorGc;
  /** Whether to collect at all now (the server: once its index is built). */
  active?: () => boolean;
  /** Bytes in use and capacity of the young generation (V8's `new_space`). */
  youngSpace?: () => { used: number; capacity: number };
}

/** What the server calls around each request. */
export interface IdleCollector {
  /** A request came in. */
  begin(): void;
  /** A request's response was handed over; when none is left in flight, collect soon. */
  end(): void;
  /** Young collections run so far between requests. */
  readonly collections: number;
}

export const DEFAULT_IDLE_COLLECTION: IdleCollectionOptions = {
  // A quarter used leaves three quarters for the next request: at the smallest young
  // generation V8 keeps (1 MB), five first-time searches' worth.
  share: 0.25,
  minBytes: 256 * 1024,
};

function v8YoungSpace(): { used: number; capacity: number } {
  for (const space of getHeapSpaceStatistics()) {
    if (space.space_name === "new_space") {
      return { used: space.space_used_size, capacity: space.space_size };
    }
  }
  return { used: 0, capacity: 0 };
}

/** V8's young collection, when the process was started with --expose-gc. */
export function exposedMinorGc(): MinorGc | undefined {
  const gc = (globalThis as { gc?: unknown }).gc;
  return typeof gc === "function" ? gc as MinorGc : undefined;
}

/**
 * An idle collector, or undefined when V8 offers no way to ask for a young collection. The
 * check waits for a timer turn after the last response, so the response is on its way first;
 * a request arriving meanwhile cancels it (begin), and the next idle moment tries again.
 */
export function idleCollector(
  options: IdleCollectionOptions = DEFAULT_IDLE_COLLECTION,
): IdleCollector | undefined {
  const collect = options.collect ?? exposedMinorGc();
  if (!collect) return undefined;
  const youngSpace = options.youngSpace ?? v8YoungSpace;
  let inFlight = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let collections = 0;
  const collectIfWorthIt = () => {
    timer = undefined;
    if (inFlight > 0 || options.active?.() === false) return;
    const { used, capacity } = youngSpace();
    if (used < options.minBytes || used < capacity * options.share) return;
    collect({ type: "minor" });
    collections++;
  };
  return {
    begin() {
      inFlight++;
      if (timer !== undefined) {
        clearTimeout(timer);
        timer = undefined;
      }
    },
    end() {
      inFlight = Math.max(0, inFlight - 1);
      if (inFlight === 0 && timer === undefined) {
        const check = setTimeout(collectIfWorthIt, 0);
        // A pending check never keeps the process alive.
        Deno.unrefTimer(check);
        timer = check;
      }
    },
    get collections() {
      return collections;
    },
  };
}
