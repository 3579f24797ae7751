/** One request budget for a whole fan-out: every POST and GET draws a token. */
import type { Clock } from '../deps.js';

/** What the fan-out engine needs from a rate budget; a shared HTTP-client budget can replace this one. */
export interface RateBudget {
  /** Resolves when one request may be sent; rejects with the signal's reason on abort. */
  take(signal?: AbortSignal): Promise<void>;
  /** The server said 429 / Retry-After: nobody sends for ms (overlapping pauses do not add up). */
  pauseFor(ms: number): void;
}

export interface RateBucketOptions {
  clock: Clock;
  /** Requests per minute (default 50, leaving room on a 60/min token for others). */
  perMinute?: number;
  /** Tokens that may be spent at once after a quiet spell (default 3). */
  burst?: number;
}

export const DEFAULT_FANOUT_RATE = 50;
const WINDOW_MS = 60_000;
/** A floor and a ceiling under any pause, whatever Retry-After says. */
const MIN_PAUSE_MS = 1000;
const MAX_PAUSE_MS = 5 * 60_000;

/**
 * A token bucket (refills perMinute/60 s, holds `burst`) plus a rolling-minute guard, so no
 * 60 s window ever holds more than perMinute requests, burst included. Takers are served in order.
 */
export function createRateBucket(opts: RateBucketOptions): RateBudget & { readonly taken: number } {
  const { clock } = opts;
  const perMinute = Math.max(1, Math.floor(opts.perMinute ?? DEFAULT_FANOUT_RATE));
  const burst = Math.max(1, Math.min(perMinute, Math.floor(opts.burst ?? 3)));
  const msPerToken = WINDOW_MS / perMinute;
  let tokens = burst;
  let refilledAt = clock.now();
  let pausedUntil = -Infinity;
  const sent: number[] = []; // times of the last perMinute takes
  let taken = 0;
  let tail: Promise<void> = Promise.resolve();

  const refill = (now: number) => {
    if (now <= refilledAt) return; // refilling restarts at the end of a pause
    tokens = Math.min(burst, tokens + (now - refilledAt) / msPerToken);
    refilledAt = now;
  };

  async function acquire(signal?: AbortSignal): Promise<void> {
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      const now = clock.now();
      refill(now);
      let waitMs = 0;
      if (pausedUntil > now) waitMs = pausedUntil - now;
      else if (tokens < 1) waitMs = Math.ceil((1 - tokens) * msPerToken);
      else if (sent.length >= perMinute) waitMs = (sent[0] as number) + WINDOW_MS - now;
      if (waitMs <= 0) {
        tokens -= 1;
        sent.push(now);
        if (sent.length > perMinute) sent.shift();
        taken += 1;
        return;
      }
      await clock.sleep(waitMs, signal);
    }
  }

  return {
    take(signal) {
      const turn = tail.then(() => acquire(signal));
      tail = turn.catch(() => undefined);
      return turn;
    },
    pauseFor(ms) {
      const now = clock.now();
      const wait = Math.min(MAX_PAUSE_MS, Math.max(MIN_PAUSE_MS, Number.isFinite(ms) ? ms : MIN_PAUSE_MS));
      pausedUntil = Math.max(pausedUntil, now + wait);
      // After a refusal the server's window is full: resume with one request, not a burst.
      refill(now);
      tokens = Math.min(tokens, 1);
      refilledAt = Math.max(refilledAt, pausedUntil);
    },
    get taken() {
      return taken;
    },
  };
}
