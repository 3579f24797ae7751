import type { Clock } from '../deps.js';

/**
 * A sliding-window request budget: at most `limit` requests in any window of `windowMs`.
 *
 * It only keeps times and answers "when may the next request go?"; it never sleeps itself, so
 * one budget can be shared by a fan-out's requests, or by one watch (its polls), and by the
 * client's retries inside them (through `CallOptions.retryBudget`).
 */
export interface RateBudget {
  /** Records a request sent (or about to be sent) at clock time `at`. */
  record(at: number): void;
  /** The earliest clock time >= `at` at which one more request keeps every window within the limit. */
  nextSlot(at: number): number;
  /** No request before clock time `at` (the server asked for a pause, e.g. a 429's Retry-After). */
  pauseUntil(at: number): void;
  /** Send times still inside the window that ends at the latest one, oldest first. */
  recent(): readonly number[];
}

export interface RateBudgetOptions {
  limit: number;
  windowMs: number;
}

/** Creates an empty budget. Memory is bounded: it keeps at most about `limit` times. */
export function createRateBudget(opts: RateBudgetOptions): RateBudget {
  const limit = Math.max(1, Math.floor(opts.limit));
  const windowMs = Math.max(1, opts.windowMs);
  const times: number[] = [];
  let latest = -Infinity;
  let pausedUntil = -Infinity;

  return {
    record(at) {
      latest = Math.max(latest, at);
      let i = times.length;
      while (i > 0 && (times[i - 1] as number) > at) i -= 1;
      times.splice(i, 0, at);
      while (times.length > 0 && (times[0] as number) <= latest - windowMs) times.shift();
      // Only the last `limit` times can ever decide a slot.
      if (times.length > limit) times.splice(0, times.length - limit);
    },
    nextSlot(at) {
      let slot = Math.max(at, pausedUntil);
      const n = times.length;
      // Adding one request at `slot` must leave at most `limit` in (slot - window, slot]:
      // the request `limit` places back must have left the window.
      if (n >= limit) slot = Math.max(slot, (times[n - limit] as number) + windowMs);
      return slot;
    },
    pauseUntil(at) {
      pausedUntil = Math.max(pausedUntil, at);
    },
    recent() {
      return times.slice();
    },
  };
}

/** A floor and a ceiling under any pause the server asks for, whatever Retry-After says. */
const MIN_PAUSE_MS = 1000;
const MAX_PAUSE_MS = 5 * 60_000;

/**
 * Waits until the budget has a slot, then records it: one request may go (true). The fan-out
 * spends its requests this way, and hands the same budget to the client as `retryBudget`, so
 * the client's own retries draw from it too. False, without waiting or recording, when the
 * slot lies past clock time `stopAt` (a retry that would outlive its deadline). Rejects with
 * the signal's reason on abort.
 */
export async function takeSlot(budget: RateBudget, clock: Clock, signal?: AbortSignal, stopAt = Infinity): Promise<boolean> {
  for (;;) {
    if (signal?.aborted) throw signal.reason;
    const now = clock.now();
    const at = budget.nextSlot(now);
    if (at > stopAt) return false;
    if (at <= now) {
      budget.record(now);
      return true;
    }
    // A pause may arrive while this waits: look again after the sleep.
    await clock.sleep(at - now, signal);
  }
}

/** The server refused for the rate (429): nobody sends for `ms`, clamped; overlapping pauses do not add up. */
export function pauseBudget(budget: RateBudget, clock: Clock, ms: number | undefined): void {
  const wait = Math.min(MAX_PAUSE_MS, Math.max(MIN_PAUSE_MS, ms !== undefined && Number.isFinite(ms) ? ms : MIN_PAUSE_MS));
  budget.pauseUntil(clock.now() + wait);
}
