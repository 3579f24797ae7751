import { describe, expect, it } from 'vitest';
import { createPollPolicy, requestBudget } from '../../src/watch/poll-policy.js';

/** Poll times (ms from the start) the policy produces up to untilMs. */
function schedule(intervalMs: number, opts: { immediate: boolean; untilMs: number }): number[] {
  const policy = createPollPolicy({ intervalMs, startedAt: 0 });
  const times: number[] = [];
  if (opts.immediate) {
    policy.recordPoll(0);
    times.push(0);
  }
  for (;;) {
    const at = policy.nextPollAt();
    if (at > opts.untilMs) return times;
    policy.recordPoll(at);
    times.push(at);
  }
}

/** The most requests in any closed window of windowMs. */
function maxInWindow(times: number[], windowMs = 60_000): number {
  let max = 0;
  for (let i = 0, j = 0; i < times.length; i += 1) {
    while ((times[i] as number) - (times[j] as number) > windowMs) j += 1;
    max = Math.max(max, i - j + 1);
  }
  return max;
}

const gaps = (times: number[]) => times.slice(1).map((t, i) => t - (times[i] as number));

describe('poll policy', () => {
  it('budget is 60 s / interval', () => {
    expect(requestBudget(2000)).toBe(30);
    expect(requestBudget(5000)).toBe(12);
    expect(requestBudget(120_000)).toBe(1);
  });

  it('starts with 400 ms steps for the first 2 s, then 1.4 s steps until 14 s', () => {
    const times = schedule(2000, { immediate: false, untilMs: 15_000 });
    expect(times).toEqual([400, 800, 1200, 1600, 2000, 3400, 4800, 6200, 7600, 9000, 10_400, 11_800, 13_200, 14_600]);
  });

  it('a run that ends between 10 s and 14 s in is noticed by a poll within 1.4 s', () => {
    const times = schedule(2000, { immediate: false, untilMs: 20_000 });
    for (let end = 10_000; end <= 14_000; end += 50) {
      const noticed = times.find((t) => t >= end) as number;
      expect(noticed - end).toBeLessThanOrEqual(1400);
    }
  });

  it('a run that ends 1 s in is noticed by a poll within 500 ms', () => {
    for (const immediate of [true, false]) {
      const times = schedule(2000, { immediate, untilMs: 5000 });
      const noticed = times.find((t) => t >= 1000) as number;
      expect(noticed - 1000).toBeLessThanOrEqual(500);
    }
  });

  it('a 60 s run costs at most 30 GETs (the poll that notices the end included)', () => {
    for (const immediate of [true, false]) {
      const times = schedule(2000, { immediate, untilMs: 70_000 });
      const noticing = times.findIndex((t) => t >= 60_000);
      expect(noticing + 1).toBeLessThanOrEqual(30);
    }
  });

  it('never more than the budget in any 60 s window over 10 minutes', () => {
    for (const intervalMs of [1000, 2000, 5000, 10_000, 30_000]) {
      for (const immediate of [true, false]) {
        const times = schedule(intervalMs, { immediate, untilMs: 600_000 });
        expect(maxInWindow(times)).toBeLessThanOrEqual(requestBudget(intervalMs));
      }
    }
  });

  it('spreads the rest of the first minute evenly instead of bursting then going silent', () => {
    const times = schedule(2000, { immediate: false, untilMs: 60_000 });
    const g = gaps(times.filter((t) => t > 14_000));
    expect(Math.max(...g)).toBeLessThan(3000);
    expect(Math.max(...g) - Math.min(...g)).toBeLessThan(5);
  });

  it('backs off to the interval once the fast start has left the window', () => {
    const times = schedule(2000, { immediate: true, untilMs: 600_000 });
    const late = gaps(times.filter((t) => t > 180_000));
    for (const gap of late) {
      expect(gap).toBeGreaterThanOrEqual(2000);
      expect(gap).toBeLessThanOrEqual(2050);
    }
  });

  it('respects an interval of 5 s: never more often after the first minute, <= 12 per minute', () => {
    const times = schedule(5000, { immediate: true, untilMs: 600_000 });
    expect(maxInWindow(times)).toBeLessThanOrEqual(12);
    for (const gap of gaps(times.filter((t) => t > 120_000))) {
      expect(gap).toBeGreaterThanOrEqual(5000);
      expect(gap).toBeLessThan(5100);
    }
  });

  it('an interval shorter than the fast step is used as it is', () => {
    const times = schedule(100, { immediate: true, untilMs: 1000 });
    expect(gaps(times).every((g) => g === 100)).toBe(true);
  });

  it('counts the client retries against the budget', () => {
    const policy = createPollPolicy({ intervalMs: 2000, startedAt: 0 });
    policy.recordPoll(0);
    for (let i = 1; i <= 29; i += 1) policy.rate.record(i * 100);
    // 30 requests in 2.9 s: the next one must wait until the first leaves the window.
    expect(policy.nextPollAt()).toBeGreaterThanOrEqual(60_000);
  });
});
