/**
 * When to poll next. Three forces, in order of precedence:
 *
 * 1. A hard budget: at most `budget = floor(60 s / intervalMs)` requests in any window of
 *    60 s (the documented API limit is 60/min per token; the default interval of 2 s spends
 *    half of it). Enforced as "any budget+1 consecutive requests span at least the window".
 *    The window is padded by 0.5 s so that timer lateness and network jitter between the
 *    moment we send and the moment the server counts cannot push a 31st request into
 *    someone's 60 s measurement.
 * 2. A schedule in three phases, so that a run is noticed soon after it ends whatever its
 *    length, most of all short ones:
 *    - fast: 400 ms steps for the first 2 s (a 1 s run is noticed within ~400 ms of its end);
 *    - medium: steps of 0.7 interval (1.4 s at the default) until 7 intervals (14 s) into the
 *      watch (a 12 s run is noticed within ~1.5 s);
 *    - paced: the rest of the first minute's budget spread evenly (below), then intervalMs.
 *    The fast and medium phases together spend at most half the budget (13 of 30 at the
 *    default), so a slow --interval still leaves a usable cadence for the rest of the minute.
 * 3. Smooth pacing after the medium phase. The early phases spend extra requests, so the first
 *    window cannot also hold a poll every intervalMs. Rather than polling at the schedule
 *    until the budget is gone and then going silent until the oldest request leaves the
 *    window (burst-then-gap: a run ending there is noticed up to ~40 s late), the remaining
 *    budget is spread evenly over the time left until the oldest request in the window
 *    expires: next ≥ last + (oldest + window − last) / (budget − countInWindow).
 *    Trade-off: polls between ~14 s and ~60 s of a watch are ~2.7 s apart instead of 2 s (at
 *    the default interval); after the first minute the early requests have left the window
 *    and the cadence is intervalMs.
 *
 * Retries the client makes inside one getRun take slots of the same window (`rate`), so they
 * count against the budget; a Retry-After is waited out by the client's retry itself.
 */

import { createRateBudget, type RateBudget } from '../api/rate-budget.js';

export const FAST_STEP_MS = 400;
export const FAST_PHASE_MS = 2000;
/** The medium phase polls every 0.7 interval until this many intervals into the watch. */
export const MEDIUM_STEP_FRACTION = 0.7;
export const MEDIUM_PHASE_INTERVALS = 7;
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
  /** Clock time at which the next poll may be sent. */
  nextPollAt(): number;
  /** The most requests this policy allows in any 60 s window. */
  readonly budget: number;
  /**
   * The window of requests behind `budget`. The watch hands it to the client as the call's
   * `retryBudget`, so the client's retries inside one poll take slots of it too (and wait for one).
   */
  readonly rate: RateBudget;
}

/** Requests allowed in any 60 s window for a given slowest interval. */
export function requestBudget(intervalMs: number): number {
  return Math.max(1, Math.floor(RATE_WINDOW_MS / Math.max(1, intervalMs)));
}

/** Creates the poll schedule for one watch (fast start, back-off, budget). */
export function createPollPolicy(opts: PollPolicyOptions): PollPolicy {
  const interval = Math.max(1, opts.intervalMs);
  const budget = requestBudget(interval);
  const windowMs = RATE_WINDOW_MS + WINDOW_PAD_MS;
  const rate = createRateBudget({ limit: budget, windowMs });
  const fastStep = Math.min(FAST_STEP_MS, interval);
  const mediumStep = Math.max(fastStep, Math.round(interval * MEDIUM_STEP_FRACTION));
  const mediumPhaseMs = interval * MEDIUM_PHASE_INTERVALS;
  // The fast start may use at most a quarter of the budget, fast and medium together half.
  const maxFastSteps = Math.max(1, Math.floor(budget / 4));
  const maxEarlySteps = Math.max(1, Math.floor(budget / 2));
  let fastSteps = 1; // the step before the first poll (or the one after the immediate GET)
  let earlySteps = 1;
  let phase: 'fast' | 'medium' | 'paced' = 'fast';
  let slowStep = mediumStep;
  let firstPollAt = Number.NaN;

  return {
    budget,
    rate,
    recordPoll(at) {
      if (Number.isNaN(firstPollAt)) firstPollAt = at;
      rate.record(at);
      if (at === opts.startedAt && rate.recent().length === 1) return; // the immediate first GET
      const elapsed = at - opts.startedAt;
      if (elapsed < FAST_PHASE_MS && fastSteps < maxFastSteps && earlySteps < maxEarlySteps) phase = 'fast';
      else if (elapsed < mediumPhaseMs && earlySteps < maxEarlySteps) phase = 'medium';
      else {
        if (phase === 'paced') slowStep = Math.min(interval, slowStep * GROWTH_FACTOR);
        phase = 'paced';
      }
      if (phase === 'fast') fastSteps += 1;
      if (phase !== 'paced') earlySteps += 1;
    },
    nextPollAt() {
      // Every request in the window: this watch's polls and the client's retries inside them.
      const recent = rate.recent();
      const n = recent.length;
      const last = n > 0 ? Math.max(opts.startedAt, recent[n - 1] as number) : opts.startedAt;
      let at = rate.nextSlot(last + (phase === 'fast' ? fastStep : phase === 'medium' ? mediumStep : slowStep));
      if (phase === 'paced') {
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
      return at;
    },
  };
}
