/**
 * Fixed-window rate limits on login and status lookups: enough to stop guessing passwords or
 * enumerating receipt codes. The counters live in the DB (db/rate_limits.ts), so restarting
 * the kiosk does not reset them; ended windows are purged and each limit keeps a bounded
 * number of keys.
 */
import type { Db } from "../db/client.ts";
import { countAttempt, forgetKey, pruneBucket, readWindow } from "../db/rate_limits.ts";

/** Outcome of one counted attempt. */
export interface RateDecision {
  allowed: boolean;
  /** Seconds until the window reopens (when refused). */
  retryAfter: number;
}

/** A limiter: `hit` counts an attempt for a key; `reset` forgets a key (after a good login). */
export interface RateLimiter {
  hit(key: string): Promise<RateDecision>;
  peek(key: string): Promise<RateDecision>;
  reset(key: string): Promise<void>;
}

/** What one limit allows. */
export interface RateLimit {
  /** The table bucket its counters are kept under. */
  bucket: string;
  /** Attempts allowed per window. */
  limit: number;
  windowSeconds: number;
  /** Keys kept at most; beyond it the oldest windows are dropped. */
  maxKeys?: number | undefined;
}

/** Keys per limit: far above a kiosk's honest traffic in one window. */
export const DEFAULT_MAX_KEYS = 10_000;

/** At most `limit` hits per key per window, counted in the DB and measured on `clock`. */
export function createRateLimiter(db: Db, rule: RateLimit, clock: () => Date): RateLimiter {
  const windowMs = rule.windowSeconds * 1000;
  const maxKeys = rule.maxKeys ?? DEFAULT_MAX_KEYS;
  const retryAfter = (windowStart: number, now: number) =>
    Math.max(1, Math.ceil((windowStart + windowMs - now) / 1000));
  return {
    async hit(key) {
      const now = clock().getTime();
      const w = await countAttempt(db, rule.bucket, key, now, windowMs);
      // A new window is the moment a key may have been added: sweep then, not on every hit.
      if (w.count === 1) await pruneBucket(db, rule.bucket, now, windowMs, maxKeys);
      return { allowed: w.count <= rule.limit, retryAfter: retryAfter(w.windowStart, now) };
    },
    async peek(key) {
      const now = clock().getTime();
      const w = await readWindow(db, rule.bucket, key, now, windowMs);
      if (!w) return { allowed: true, retryAfter: rule.windowSeconds };
      return { allowed: w.count < rule.limit, retryAfter: retryAfter(w.windowStart, now) };
    },
    async reset(key) {
      await forgetKey(db, rule.bucket, key);
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
export const ACCESS_LIMITS = {
  loginByIp: { bucket: "login_ip", limit: 10, windowSeconds: 15 * 60 },
  loginByUser: { bucket: "login_user", limit: 5, windowSeconds: 15 * 60 },
  lookupByIp: { bucket: "lookup_ip", limit: 20, windowSeconds: 10 * 60 },
  lookupByCode: { bucket: "lookup_code", limit: 5, windowSeconds: 10 * 60 },
} as const satisfies Record<keyof AccessLimiters, RateLimit>;

/** The access-area limiters over `db`. */
export function createAccessLimiters(db: Db, clock: () => Date): AccessLimiters {
  return {
    loginByIp: createRateLimiter(db, ACCESS_LIMITS.loginByIp, clock),
    loginByUser: createRateLimiter(db, ACCESS_LIMITS.loginByUser, clock),
    lookupByIp: createRateLimiter(db, ACCESS_LIMITS.lookupByIp, clock),
    lookupByCode: createRateLimiter(db, ACCESS_LIMITS.lookupByCode, clock),
  };
}
