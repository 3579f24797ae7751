/** The API's per-token request limit: a rolling window, with a truthful Retry-After. */

export const RATE_WINDOW_MS = 60_000;
/** Distinct tokens remembered at once; beyond it, tokens idle for a whole window are forgotten. */
const MAX_KEYS = 10_000;

export type Admission = { ok: true } | { ok: false; retryAfterSeconds: number };

export interface RateLimiter {
  /** Admits a request of `key` at `now` (ms) and counts it, or refuses it without counting it. */
  admit(key: string, now: number): Admission;
}

/**
 * At most `limit` admitted requests per key in any `windowMs`. Refused requests do not count
 * (as Laravel's throttle: it checks before it records a hit), so Retry-After is exact: after
 * that many seconds the oldest request has left the window and the next one is admitted.
 */
export function createRateLimiter(limit: number, windowMs = RATE_WINDOW_MS): RateLimiter {
  const seen = new Map<string, number[]>();
  const prune = (times: number[], now: number) => {
    let drop = 0;
    while (drop < times.length && (times[drop] as number) <= now - windowMs) drop += 1;
    if (drop > 0) times.splice(0, drop);
  };
  return {
    admit(key, now) {
      let times = seen.get(key);
      if (times === undefined) {
        if (seen.size >= MAX_KEYS) {
          for (const [k, t] of seen) {
            prune(t, now);
            if (t.length === 0) seen.delete(k);
          }
        }
        times = [];
        seen.set(key, times);
      }
      prune(times, now);
      if (times.length >= limit) {
        const waitMs = (times[0] as number) + windowMs - now;
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
      }
      times.push(now);
      return { ok: true };
    },
  };
}

/** The token a request is counted under: the bearer as sent (unauthenticated requests share one key). */
export function rateKey(authorization: string | undefined): string {
  const match = /^Bearer[ \t]+(\S+)/i.exec(authorization ?? '');
  return match?.[1] ?? '';
}
