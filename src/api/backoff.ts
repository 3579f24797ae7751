/** Base and cap of the exponential backoff between tries, in ms. */
export const BACKOFF_BASE_MS = 500;
export const BACKOFF_CAP_MS = 15_000;
/** The longest Retry-After alto reads; anything longer is treated as this (a day). */
export const MAX_RETRY_AFTER_MS = 86_400_000;

/**
 * The wait before retry number `attempt` (1-based): "equal jitter", a uniform pick in
 * [ceiling/2, ceiling] where ceiling = min(cap, base * 2^(attempt-1)). The lower half is a floor
 * that grows with each try, so no answer can make alto retry in a tight loop. A server-sent
 * Retry-After can only lengthen the wait, never shorten it below that floor (`Retry-After: 0`
 * or a date in the past waits the normal backoff); the caller's deadline decides whether
 * waiting that long is allowed.
 */
export function retryDelay(attempt: number, random: () => number, retryAfterMs?: number): number {
  const n = Math.max(1, Math.min(attempt, 32));
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (n - 1));
  const backoff = Math.floor(ceiling / 2 + clamp01(random()) * (ceiling / 2));
  if (retryAfterMs === undefined || !(retryAfterMs > 0)) return backoff;
  const asked = Math.min(retryAfterMs, MAX_RETRY_AFTER_MS) + Math.floor(clamp01(random()) * 250);
  return Math.max(backoff, asked);
}

/** The least retryDelay can return for `attempt`, whatever Retry-After and the jitter say. */
export function backoffFloor(attempt: number): number {
  const n = Math.max(1, Math.min(attempt, 32));
  return Math.floor(Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (n - 1)) / 2);
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(Math.max(x, 0), 1) : 0;
}

/**
 * Reads Retry-After as delay-seconds or an HTTP date; undefined when absent or unreadable.
 * Negative, fractional and huge values are tolerated: the result is in [0, MAX_RETRY_AFTER_MS].
 */
export function parseRetryAfter(value: string | string[] | undefined, now: number): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (typeof raw !== 'string') return undefined;
  const text = raw.trim().slice(0, 100);
  if (text === '') return undefined;
  if (/^[+-]?\d+(\.\d+)?$/.test(text)) return clampMs(Number(text) * 1000);
  // An HTTP date names a weekday or month; V8's Date.parse also reads bare numbers as years.
  if (!/[A-Za-z]{3}/.test(text)) return undefined;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : clampMs(date - now);
}

function clampMs(ms: number): number {
  if (!Number.isFinite(ms)) return ms > 0 ? MAX_RETRY_AFTER_MS : 0;
  return Math.round(Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS));
}
