/**
 * Retry timing and batch sizing for a thin, flaky link: exponential backoff with full jitter
 * (so many branches coming back together do not hammer the archive in step), and a page size
 * that follows the measured throughput so each page takes a few seconds.
 */

/** Delay before retry number `attempt` (0-based): uniform in [base, min(cap, base·2^attempt)]. */
export function backoffDelay(
  attempt: number,
  random: () => number,
  baseMs = 1000,
  capMs = 5 * 60_000,
): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(baseMs + random() * Math.max(0, ceiling - baseMs));
}

/** Adaptive page size in bytes, tracking bytes/s so a page takes about `targetMs`. */
export interface PageSizer {
  /** Bytes to ask for next. */
  next(): number;
  /** Feeds one finished transfer: raw bytes moved and the time it took. */
  record(rawBytes: number, elapsedMs: number, wasFull: boolean): void;
  /** A transfer failed (cut, timeout, corrupt): the next one asks for half as much. */
  failed(): void;
}

/** A page sizer starting at `initial` bytes, kept within [min, max]. */
export function createPageSizer(
  options: { initial?: number; min?: number; max?: number; targetMs?: number } = {},
): PageSizer {
  const min = options.min ?? 8 * 1024;
  const max = options.max ?? 4 * 1024 * 1024;
  const targetMs = options.targetMs ?? 3000;
  let size = options.initial ?? 64 * 1024;
  return {
    next: () => size,
    record(rawBytes, elapsedMs, wasFull) {
      // A short last page says nothing about the link's capacity.
      if (!wasFull && rawBytes < size / 2) return;
      const rate = rawBytes / Math.max(elapsedMs, 1);
      const ideal = rate * targetMs;
      // Grow at most 4× and shrink at most 4× per page: one odd RTT must not swing it wildly.
      const bounded = Math.min(size * 4, Math.max(size / 4, ideal));
      size = Math.round(Math.min(max, Math.max(min, bounded)));
    },
    failed() {
      // A link that drops often loses less with smaller pieces; good transfers grow it back.
      size = Math.round(Math.max(min, size / 2));
    },
  };
}
