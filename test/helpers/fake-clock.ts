import type { Clock } from '../../src/deps.js';

/**
 * A clock whose sleep returns at once: it advances time by the delay and records it, so tests
 * assert schedules in milliseconds without waiting. Callbacks scheduled with `at` run when
 * time reaches them (e.g. a Ctrl-C 5 s into a watch); a sleep the signal aborts rejects with
 * the signal's reason, after advancing only to the abort.
 */
export class FakeClock implements Clock {
  time: number;
  readonly sleeps: number[] = [];
  private readonly timers: Array<{ at: number; fn: () => void }> = [];

  constructor(start = Date.UTC(2025, 9, 31, 12, 0, 0)) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  /** Milliseconds since the clock was created at `origin` (default: its start). */
  elapsed(origin: number): number {
    return this.time - origin;
  }

  /** Runs fn once the clock reaches `at` (absolute ms). */
  at(at: number, fn: () => void): void {
    this.timers.push({ at, fn });
    this.timers.sort((a, b) => a.at - b.at);
  }

  /** Moves time on by ms, running any callbacks due on the way. */
  advance(ms: number): void {
    this.advanceTo(this.time + ms);
  }

  private advanceTo(target: number, signal?: AbortSignal): void {
    for (;;) {
      const next = this.timers[0];
      if (!next || next.at > target) break;
      this.timers.shift();
      this.time = Math.max(this.time, next.at);
      next.fn();
      if (signal?.aborted) return;
    }
    this.time = Math.max(this.time, target);
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw signal.reason;
    this.sleeps.push(ms);
    this.advanceTo(this.time + Math.max(0, ms), signal);
    await Promise.resolve();
    if (signal?.aborted) throw signal.reason;
  }
}
