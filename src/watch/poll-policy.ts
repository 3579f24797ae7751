/**
 * When to poll next. Three forces, in order of precedence:
 *
 * 1. A hard budget: at most `budget = floor(60 s / intervalMs)` requests in any window of
 *    60 s (the documented API limit is 60/min per token; the default interval of 2 s spends
 *    half of it). Enforced as "any budget+1 consecutive requests span at least the window".
 *    The window is padded by 0.5 s so that timer lateness and network jitter between the
 *    moment we send and the moment the server counts cannot push a 31st request into
 *    someone's 60 s measurement.
 * 2. A schedule that starts fast and backs off: 300 ms steps for the first 2 s (a 1 s run is
 *    noticed within ~300 ms of its end), then ×1.5 per poll up to intervalMs.
 * 3. Smooth pacing once the fast start is over. The fast start spends extra requests early,
 *    so the first window cannot also hold a poll every intervalMs. Rather than polling at the
 *    schedule until the budget is gone and then going silent until the oldest request leaves
 *    the window (burst-then-gap: a run ending there is noticed up to ~8 s late), the remaining
 *    budget is spread evenly: the next delay is the least even spacing d that keeps every
 *    window within the budget as the requests now in it expire, i.e. for each request r_j in
 *    the window (oldest first), d ≥ (r_j + window − last) / (slots left beside r_j..r_n).
 *    For j = 1 that is (oldest + window − now) / (budget − count); the later terms matter once
 *    the window is full, and make the cadence settle at window/budget (2.017 s at the default)
 *    instead of echoing the first minute's pattern forever.
 *    The window holding the watch's first poll is planned one slot tighter, so the poll that
 *    notices a run ending at 60 s is still within the budget (a 60 s run costs ≤ 30 GETs).
 *    Trade-off, at the default interval: polls between ~2 s and ~60 s are ~2.55 s apart
 *    instead of 2 s (12 s run: noticed ≤ 2.55 s after its end, ~1.3 s typically); after the
 *    first minute the fast-start requests have left the window and the cadence is intervalMs.
 *    The fast start is capped at a quarter of the budget so that a slow --interval still
 *    leaves a usable cadence for the rest of the first minute.
 *
 * A server-requested wait (Retry-After) is a floor too, and retries the client makes inside
 * one getRun are recorded as requests so they count against the budget.
 */

export const FAST_STEP_MS = 300;
export const FAST_PHASE_MS = 2000;
export const GROWTH_FACTOR = 1.5;
export const RATE_WINDOW_MS = 60_000;
export const WINDOW_PAD_MS = 500;

export interface PollPolicyOptions {
  /** The slowest poll interval (--interval). */
  intervalMs: number;
  /** Clock time the watch started; the schedule's fast phase is measured from it. */
  startedAt: number;
}

export interface PollPolicy {
  /** Records a poll sent at clock time `at`; the schedule moves one step on. */
  recordPoll(at: number): void;
  /** Records a retry the client will send at `at` (inside one getRun): it counts against the budget. */
  recordRetry(at: number): void;
  /** The server asked for no request before clock time `at` (Retry-After). */
  notBefore(at: number): void;
  /** Clock time at which the next poll may be sent. */
  nextPollAt(): number;
  /** The most requests this policy allows in any 60 s window. */
  readonly budget: number;
}

/** Requests allowed in any 60 s window for a given slowest interval. */
export function requestBudget(intervalMs: number): number {
  return Math.max(1, Math.floor(RATE_WINDOW_MS / Math.max(1, intervalMs)));
}

/** Creates the poll schedule for one watch (fast start, back-off, budget, Retry-After). */
export function createPollPolicy(opts: PollPolicyOptions): PollPolicy {
  const interval = Math.max(1, opts.intervalMs);
  const budget = requestBudget(interval);
  const windowMs = RATE_WINDOW_MS + WINDOW_PAD_MS;
  const fastStep = Math.min(FAST_STEP_MS, interval);
  // The fast start may use at most a quarter of the budget (7 steps at the default 2 s).
  const maxFastSteps = Math.max(1, Math.floor(budget / 4));
  // Request times inside the window ending at the latest one: at most ~budget entries.
  const recent: number[] = [];
  let last = opts.startedAt;
  let fastSteps = 1; // the step before the first poll (or the one after the immediate GET)
  let nextStepFast = true;
  let slowStep = fastStep;
  let notBeforeAt = -Infinity;
  let firstPollAt = Number.NaN;

  const remember = (at: number) => {
    last = Math.max(last, at);
    let i = recent.length;
    while (i > 0 && (recent[i - 1] as number) > at) i -= 1;
    recent.splice(i, 0, at);
    while (recent.length > 0 && (recent[0] as number) <= last - windowMs) recent.shift();
  };

  return {
    budget,
    recordPoll(at) {
      if (Number.isNaN(firstPollAt)) firstPollAt = at;
      remember(at);
      if (at === opts.startedAt && recent.length === 1) return; // the immediate first GET
      nextStepFast = at - opts.startedAt < FAST_PHASE_MS && fastSteps < maxFastSteps;
      if (nextStepFast) fastSteps += 1;
      else slowStep = Math.min(interval, slowStep * GROWTH_FACTOR);
    },
    recordRetry(at) {
      remember(at);
    },
    notBefore(at) {
      notBeforeAt = Math.max(notBeforeAt, at);
    },
    nextPollAt() {
      let at = last + (nextStepFast ? fastStep : slowStep);
      const n = recent.length;
      if (n >= budget) {
        // A full window: wait until the request `budget` places back leaves it.
        at = Math.max(at, (recent[n - budget] as number) + windowMs);
      }
      if (!nextStepFast) {
        // Smooth pacing: the least even spacing d such that, as each request in the window
        // expires, the window never holds more than the budget:
        // for each r_j (oldest first), the polls at last + d, last + 2d, ... before r_j + window
        // must fit in the budget - (n - j + 1) slots left beside r_j..r_n.
        for (let j = Math.max(1, n - budget + 1); j <= n; j += 1) {
          const rj = recent[j - 1] as number;
          // The watch's first minute also holds the poll that notices a run ending at 60 s:
          // its window is planned closed (one slot fewer), so a 60 s run costs <= budget GETs.
          const slots = budget - n + j - (rj === firstPollAt ? 1 : 0);
          const expires = rj + windowMs;
          at = Math.max(at, slots > 0 ? last + (expires - last) / slots : expires);
        }
      }
      return Math.max(at, notBeforeAt);
    },
  };
}
