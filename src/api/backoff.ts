/** Base and cap of the exponential backoff between tries, in ms. */
export const BACKOFF_BASE_MS = 500;
export const BACKOFF_CAP_MS = 15_000;

/**
 * The wait before retry number `attempt` (1-based): "full jitter", a uniform pick in
 * [0, min(cap, base * 2^(attempt-1))], never below 100 ms. A server-sent Retry-After wins,
 * whatever its size (the caller's deadline decides whether waiting that long is allowed).
 */
export function retryDelay(attempt: number, random: () => number, retryAfterMs?: number): number {
  if (retryAfterMs !== undefined) return Math.max(retryAfterMs, 0) + Math.floor(random() * 250);
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1));
  return Math.max(100, Math.floor(random() * ceiling));
}

/** Reads Retry-After as seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, now: number): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || text.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text.trim())) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
