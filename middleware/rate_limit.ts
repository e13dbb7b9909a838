/**
 * Fixed-window rate limits kept in memory per app instance (one kiosk process): enough to
 * stop guessing passwords or enumerating receipt codes, with no table to clean.
 */

/** Outcome of one counted attempt. */
export interface RateDecision {
  allowed: boolean;
  /** Seconds until the window reopens (when refused). */
  retryAfter: number;
}

/** A limiter: `hit` counts an attempt for a key; `reset` forgets a key (after a good login). */
export interface RateLimiter {
  hit(key: string): RateDecision;
  peek(key: string): RateDecision;
  reset(key: string): void;
}

/** At most `limit` hits per key per `windowSeconds`, measured on `clock`. */
export function createRateLimiter(
  limit: number,
  windowSeconds: number,
  clock: () => Date,
): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  const windowMs = windowSeconds * 1000;
  const current = (key: string) => {
    const now = clock().getTime();
    let w = windows.get(key);
    if (!w || now - w.start >= windowMs) {
      w = { start: now, count: 0 };
      windows.set(key, w);
      // Drop stale windows now and then so the map stays small.
      if (windows.size > 10_000) {
        for (const [k, v] of windows) if (now - v.start >= windowMs) windows.delete(k);
      }
    }
    return { w, now };
  };
  const decide = (w: { start: number; count: number }, now: number): RateDecision => ({
    allowed: w.count <= limit,
    retryAfter: Math.max(1, Math.ceil((w.start + windowMs - now) / 1000)),
  });
  return {
    hit(key) {
      const { w, now } = current(key);
      w.count++;
      return decide(w, now);
    },
    peek(key) {
      const { w, now } = current(key);
      return { ...decide(w, now), allowed: w.count < limit };
    },
    reset(key) {
      windows.delete(key);
    },
  };
}

/** The limiters of the access-request area. */
export interface AccessLimiters {
  /** Failed logins per client address. */
  loginByIp: RateLimiter;
  /** Failed logins per username. */
  loginByUser: RateLimiter;
  /** Status lookups per client address. */
  lookupByIp: RateLimiter;
  /** Status lookups per receipt code. */
  lookupByCode: RateLimiter;
}

/** Limits tuned for a kiosk: a person mistypes a few times, a script tries thousands. */
export function createAccessLimiters(clock: () => Date): AccessLimiters {
  return {
    loginByIp: createRateLimiter(10, 15 * 60, clock),
    loginByUser: createRateLimiter(5, 15 * 60, clock),
    lookupByIp: createRateLimiter(20, 10 * 60, clock),
    lookupByCode: createRateLimiter(5, 10 * 60, clock),
  };
}
