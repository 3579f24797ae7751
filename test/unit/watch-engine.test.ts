import { describe, expect, it } from 'vitest';
import type { RunStatus, WorkflowLog, WorkflowRun } from '../../src/api/types.js';
import { ApiError, AuthError, NetworkError, NotFoundError } from '../../src/errors.js';
import { type WatchEvents, type WatchRunOptions, watchRun } from '../../src/watch/engine.js';
import { FAST_STEP_MS } from '../../src/watch/poll-policy.js';
import { createFakeClient, makeRun, type RunScript, scriptRun } from '../helpers/fake-client.js';
import { FakeClock } from '../helpers/fake-clock.js';

function setup(script: RunScript, over: Partial<WatchRunOptions> = {}, latencyMs = 0) {
  const clock = new FakeClock();
  const start = clock.now();
  const client = createFakeClient({ clock, getRun: script, latencyMs });
  const controller = new AbortController();
  const options: WatchRunOptions = {
    runId: 'fl_run_1',
    timeoutMs: 65 * 60_000,
    intervalMs: 2000,
    maxOutageMs: 5 * 60_000,
    signal: controller.signal,
    ...over,
  };
  const seen: string[] = [];
  const events: WatchEvents = {
    onRun: (run: WorkflowRun, prev: RunStatus | undefined) => seen.push(`run:${prev ?? '-'}>${run.status}`),
    onLog: (log: WorkflowLog) => seen.push(`log:${log.node_id}`),
    onPoll: () => seen.push('poll'),
    onRetry: (info) => seen.push(`retry:${info.attempt}`),
  };
  const go = () => watchRun(client, clock, options, events);
  return { clock, start, client, controller, options, seen, go };
}

const network = () => new NetworkError('connect ECONNREFUSED', { unsent: true, causeCode: 'ECONNREFUSED' });

describe('watch engine', () => {
  it('GETs at once without an initial run, and returns at once for a finished run', async () => {
    const { go, client, clock } = setup(() => makeRun({ status: 'completed', completed_at: '2025-10-31T12:00:05.000000Z' }));
    const result = await go();
    expect(result.outcome).toBe('completed');
    expect(client.getRunCalls).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('shows the initial run, then polls after the first delay', async () => {
    const s = setup(scriptRun({ durationMs: 1000 }, 0), { initialRun: makeRun({ status: 'pending' }) });
    const result = await s.go();
    expect(s.seen[0]).toBe('run:->pending');
    expect(s.client.getRunTimes[0]).toBe(FAST_STEP_MS);
    expect(result.outcome).toBe('completed');
  });

  it('notices a 1 s run within 500 ms of its end', async () => {
    const s = setup(scriptRun({ durationMs: 1000 }, 0), { initialRun: makeRun({ status: 'pending' }) });
    await s.go();
    const last = s.client.getRunTimes.at(-1) as number;
    expect(last - 1000).toBeGreaterThanOrEqual(0);
    expect(last - 1000).toBeLessThanOrEqual(500);
  });

  it('a 60 s run costs at most 30 GETs, and none after the end', async () => {
    for (const initialRun of [makeRun({ status: 'pending' }), undefined]) {
      const s = setup(scriptRun({ durationMs: 60_000 }, 0), { initialRun });
      const result = await s.go();
      expect(result.outcome).toBe('completed');
      expect(s.client.getRunCalls).toBeLessThanOrEqual(30);
      expect(s.client.getRunTimes.filter((t) => t >= 60_000)).toHaveLength(1);
    }
  });

  it('emits logs once each, before the status change they led to', async () => {
    const s = setup(
      scriptRun({ durationMs: 5000, logs: [{ atMs: 200, node: 'a' }, { atMs: 2500, node: 'b' }, { atMs: 5000, node: 'c' }] }, 0),
    );
    const result = await s.go();
    const events = s.seen.filter((e) => e !== 'poll');
    expect(events).toEqual(['run:->pending', 'run:pending>running', 'log:a', 'log:b', 'log:c', 'run:running>completed']);
    expect(result.run?.logs).toHaveLength(3);
  });

  it('ends on failed', async () => {
    const s = setup(scriptRun({ durationMs: 3000, end: 'failed', error: 'boom' }, 0));
    const result = await s.go();
    expect(result.outcome).toBe('failed');
    expect(result.run?.error_message).toBe('boom');
  });

  it('stops on awaiting_ui_interaction instead of polling forever', async () => {
    const s = setup(scriptRun({ durationMs: 4000, end: 'awaiting_ui_interaction' }, 0));
    const result = await s.go();
    expect(result.outcome).toBe('awaiting_ui_interaction');
    expect(s.client.getRunTimes.filter((t) => t >= 4000)).toHaveLength(1);
  });

  it('keeps polling an unknown status until completed_at is set', async () => {
    const s = setup((t) =>
      makeRun({ status: 'queued_for_review', completed_at: t >= 10_000 ? '2025-10-31T12:00:10.000000Z' : null }),
    );
    const result = await s.go();
    expect(result.outcome).toBe('unknown_status');
    expect(s.client.getRunCalls).toBeGreaterThan(3);
    expect(s.seen[0]).toBe('run:->queued_for_review');
  });

  it('times out at the deadline: the last sleep is cut, no poll at or after it', async () => {
    const s = setup(() => makeRun({ status: 'running' }), { timeoutMs: 10_000 });
    const result = await s.go();
    expect(result.outcome).toBe('timeout');
    expect(s.clock.now() - s.start).toBe(10_000);
    expect(s.clock.sleeps.reduce((a, b) => a + b, 0)).toBe(10_000);
    expect(Math.max(...s.client.getRunTimes)).toBeLessThan(10_000);
    expect(result.run?.status).toBe('running');
  });

  it('is interrupted by the signal during a sleep without another request', async () => {
    const s = setup(() => makeRun({ status: 'running' }));
    s.clock.at(s.start + 5000, () => s.controller.abort(new Error('ctrl-c')));
    const result = await s.go();
    expect(result.outcome).toBe('interrupted');
    expect(s.clock.now() - s.start).toBe(5000);
    expect(Math.max(...s.client.getRunTimes)).toBeLessThan(5000);
    expect(result.run?.status).toBe('running');
  });

  it('sends nothing when already aborted', async () => {
    const s = setup(() => makeRun());
    s.controller.abort();
    const result = await s.go();
    expect(result.outcome).toBe('interrupted');
    expect(s.client.getRunCalls).toBe(0);
  });

  it('rides out an outage shorter than --max-outage', async () => {
    const s = setup((t) => (t > 3000 && t < 20_000 ? network() : scriptRun({ durationMs: 30_000 }, 0)(t, 0)));
    const result = await s.go();
    expect(result.outcome).toBe('completed');
    expect(s.seen.some((e) => e.startsWith('retry:'))).toBe(true);
  });

  it('gives up with lost_contact after --max-outage, keeping the error', async () => {
    const s = setup((t) => (t > 3000 ? network() : makeRun()), { maxOutageMs: 60_000 });
    const result = await s.go();
    expect(result.outcome).toBe('lost_contact');
    expect(result.error).toBeInstanceOf(NetworkError);
    const last = s.client.getRunOptions.at(-1);
    const lastSuccess = Math.max(...s.client.getRunTimes.filter((t) => t <= 3000)) + s.start;
    expect(last?.retryUntil).toBe(lastSuccess + 60_000);
    expect(s.clock.now() - lastSuccess).toBeLessThanOrEqual(60_000);
  });

  it('an API never reached is given the 20 s budget of any command, not the outage budget', async () => {
    const s = setup(() => network());
    const result = await s.go();
    expect(result.outcome).toBe('lost_contact');
    // The client's own budget applies (no retryUntil), capped by the outage budget; the real
    // client's 20 s is checked in api-hostile.test.ts.
    expect(s.client.getRunOptions[0]?.retryUntil).toBeUndefined();
    expect(s.client.getRunOptions[0]?.deadline).toBe(s.start + 5 * 60_000);
  });

  it('an initial run that has already ended needs no poll', async () => {
    const s = setup(() => makeRun(), { initialRun: makeRun({ status: 'failed', completed_at: '2025-10-31T12:00:05.000000Z' }) });
    const result = await s.go();
    expect(result.outcome).toBe('failed');
    expect(s.client.getRunCalls).toBe(0);
  });

  it('passes --timeout as the hard deadline of every poll once contact is made', async () => {
    const s = setup((t) => (t > 3000 ? network() : makeRun()), { timeoutMs: 20_000 });
    await s.go();
    expect(s.client.getRunOptions.at(-1)?.deadline).toBe(s.start + 20_000);
    expect(s.client.getRunOptions.at(-1)?.retryUntil).toBeGreaterThan(s.start);
  });

  it('a non-retryable API error is lost contact at once', async () => {
    const s = setup((t) => (t > 1000 ? new ApiError('bad gateway page', { status: 500 }) : makeRun()));
    const result = await s.go();
    expect(result.outcome).toBe('lost_contact');
    expect(result.error?.message).toBe('bad gateway page');
  });

  it('propagates auth and not-found errors', async () => {
    const auth = setup((t) => (t > 1000 ? new AuthError('token expired', undefined, 401) : makeRun()));
    await expect(auth.go()).rejects.toBeInstanceOf(AuthError);
    const gone = setup(() => new NotFoundError('run not found'));
    await expect(gone.go()).rejects.toBeInstanceOf(NotFoundError);
  });

  it('the result keeps the last run seen with its logs', async () => {
    const s = setup(scriptRun({ durationMs: 2000, logs: [{ atMs: 500, node: 'a' }] }, 0), {}, 50);
    const result = await s.go();
    expect(result.run?.status).toBe('completed');
    expect(result.run?.logs?.map((l) => l.node_id)).toEqual(['a']);
  });
});
