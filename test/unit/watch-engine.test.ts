import { MockAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApiClient } from '../../src/api/create-client.js';
import type { RunStatus, WorkflowLog, WorkflowRun } from '../../src/api/types.js';
import { ApiError, AuthError, NetworkError, NotFoundError } from '../../src/errors.js';
import { type WatchEvents, type WatchRunOptions, watchRun } from '../../src/watch/engine.js';
import { FAST_STEP_MS } from '../../src/watch/poll-policy.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { connRefused, makeRun, type RunScript, scriptRun, serveRun, unavailable } from '../helpers/run-fixtures.js';
import { createTestIO } from '../helpers/test-io.js';

// The real client over undici's MockAgent: its retries, deadlines and budgets are what the
// engine gets, and time is the fake clock's (no test waits for real).
const API = 'https://api.test';
const agents: MockAgent[] = [];
afterEach(async () => {
  for (const agent of agents.splice(0)) {
    agent.assertNoPendingInterceptors();
    await agent.close();
  }
});

async function setup(script: RunScript | undefined, over: Partial<WatchRunOptions> = {}) {
  const clock = new FakeClock();
  const start = clock.now();
  const agent = new MockAgent();
  agent.disableNetConnect();
  agents.push(agent);
  const controller = new AbortController();
  const client = await buildApiClient(
    { baseUrl: API, token: 'wfk_test_token', requestTimeoutMs: 30_000 },
    { io: createTestIO(), env: {}, clock, signal: controller.signal, version: '0.0.0-test', dispatcher: agent, random: () => 0.5 },
  );
  const served = script ? serveRun(agent, clock, API, script) : { times: [] as number[] };
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
  return { clock, start, agent, times: served.times, controller, options, seen, go };
}

/** A network failure on every GET of the run from now on (persisting). */
function refuseFromNowOn(agent: MockAgent, times?: number) {
  const scope = agent.get(API).intercept({ path: '/workflows/runs/fl_run_1', method: 'GET' }).replyWithError(connRefused());
  if (times === undefined) scope.persist();
  else scope.times(times);
}

describe('watch engine', () => {
  it('GETs at once without an initial run, and returns at once for a finished run', async () => {
    const s = await setup(() => makeRun({ status: 'completed', completed_at: '2025-10-31T12:00:05.000000Z' }));
    const result = await s.go();
    expect(result.outcome).toBe('completed');
    expect(s.times).toEqual([0]);
    expect(s.clock.sleeps).toEqual([]);
  });

  it('shows the initial run, then polls after the first delay', async () => {
    const s = await setup(scriptRun({ durationMs: 1000 }, 0), { initialRun: makeRun({ status: 'pending' }) });
    const result = await s.go();
    expect(s.seen[0]).toBe('run:->pending');
    expect(s.times[0]).toBe(FAST_STEP_MS);
    expect(result.outcome).toBe('completed');
  });

  it('notices a 1 s run within 500 ms of its end', async () => {
    const s = await setup(scriptRun({ durationMs: 1000 }, 0), { initialRun: makeRun({ status: 'pending' }) });
    await s.go();
    const last = s.times.at(-1) as number;
    expect(last - 1000).toBeGreaterThanOrEqual(0);
    expect(last - 1000).toBeLessThanOrEqual(500);
  });

  it('a 60 s run costs at most 30 GETs, and none after the end', async () => {
    for (const initialRun of [makeRun({ status: 'pending' }), undefined]) {
      const s = await setup(scriptRun({ durationMs: 60_000 }, 0), { initialRun });
      const result = await s.go();
      expect(result.outcome).toBe('completed');
      expect(s.times.length).toBeLessThanOrEqual(30);
      expect(s.times.filter((t) => t >= 60_000)).toHaveLength(1);
    }
  });

  it('emits logs once each, before the status change they led to', async () => {
    const s = await setup(
      scriptRun({ durationMs: 5000, logs: [{ atMs: 200, node: 'a' }, { atMs: 2500, node: 'b' }, { atMs: 5000, node: 'c' }] }, 0),
    );
    const result = await s.go();
    const events = s.seen.filter((e) => e !== 'poll');
    expect(events).toEqual(['run:->pending', 'run:pending>running', 'log:a', 'log:b', 'log:c', 'run:running>completed']);
    expect(result.run?.logs).toHaveLength(3);
  });

  it('ends on failed', async () => {
    const s = await setup(scriptRun({ durationMs: 3000, end: 'failed', error: 'boom' }, 0));
    const result = await s.go();
    expect(result.outcome).toBe('failed');
    expect(result.run?.error_message).toBe('boom');
  });

  it('stops on awaiting_ui_interaction instead of polling forever', async () => {
    const s = await setup(scriptRun({ durationMs: 4000, end: 'awaiting_ui_interaction' }, 0));
    const result = await s.go();
    expect(result.outcome).toBe('awaiting_ui_interaction');
    expect(s.times.filter((t) => t >= 4000)).toHaveLength(1);
  });

  it('keeps polling an unknown status until completed_at is set', async () => {
    const s = await setup((t) => makeRun({ status: 'queued_for_review', completed_at: t >= 10_000 ? '2025-10-31T12:00:10.000000Z' : null }));
    const result = await s.go();
    expect(result.outcome).toBe('unknown_status');
    expect(s.times.length).toBeGreaterThan(3);
    expect(s.times.at(-1)).toBeGreaterThanOrEqual(10_000);
    expect(s.seen[0]).toBe('run:->queued_for_review');
  });

  it('times out at the deadline: the last sleep is cut, no poll at or after it', async () => {
    const s = await setup(() => makeRun({ status: 'running' }), { timeoutMs: 10_000 });
    const result = await s.go();
    expect(result.outcome).toBe('timeout');
    expect(s.clock.now() - s.start).toBe(10_000);
    expect(s.clock.sleeps.reduce((a, b) => a + b, 0)).toBe(10_000);
    expect(Math.max(...s.times)).toBeLessThan(10_000);
    expect(result.run?.status).toBe('running');
  });

  it('is interrupted by the signal during a sleep without another request', async () => {
    const s = await setup(() => makeRun({ status: 'running' }));
    s.clock.at(s.start + 5000, () => s.controller.abort(new Error('ctrl-c')));
    const result = await s.go();
    expect(result.outcome).toBe('interrupted');
    expect(s.clock.now() - s.start).toBe(5000);
    expect(Math.max(...s.times)).toBeLessThan(5000);
    expect(result.run?.status).toBe('running');
  });

  it('sends nothing when already aborted', async () => {
    const s = await setup(undefined);
    s.controller.abort();
    const result = await s.go();
    expect(result.outcome).toBe('interrupted');
    // No interceptor: a request would fail with MockNotMatchedError (net connect is off).
    expect(result.run).toBeUndefined();
  });

  it('rides out an outage shorter than --max-outage', async () => {
    const s = await setup((t) => (t > 3000 && t < 20_000 ? unavailable() : scriptRun({ durationMs: 30_000 }, 0)(t, 0)));
    const result = await s.go();
    expect(result.outcome).toBe('completed');
    expect(s.seen.some((e) => e.startsWith('retry:'))).toBe(true);
    expect(s.times.some((t) => t > 3000 && t < 20_000)).toBe(true);
  });

  it('gives up with lost_contact after --max-outage, keeping the error, retrying until then', async () => {
    let lastOk = 0;
    const s = await setup((t) => (t > 3000 ? unavailable() : ((lastOk = t), makeRun())), { maxOutageMs: 60_000 });
    const result = await s.go();
    expect(result.outcome).toBe('lost_contact');
    expect(result.error).toBeInstanceOf(ApiError);
    expect((result.error as ApiError).status).toBe(503);
    // Retried through the outage (not given up on the client's 20 s default), never past it.
    expect(s.times.at(-1)).toBeGreaterThan(lastOk + 30_000);
    expect(s.clock.now() - s.start - lastOk).toBeLessThanOrEqual(60_000);
  });

  it('a network failure after contact is lost contact too, as a NetworkError', async () => {
    const s = await setup(undefined, { maxOutageMs: 30_000 });
    s.agent.get(API).intercept({ path: '/workflows/runs/fl_run_1', method: 'GET' }).reply(200, makeRun()).times(2);
    refuseFromNowOn(s.agent);
    const result = await s.go();
    expect(result.outcome).toBe('lost_contact');
    expect(result.error).toBeInstanceOf(NetworkError);
    expect(s.clock.now() - s.start).toBeLessThanOrEqual(FAST_STEP_MS + 30_000);
    expect(s.clock.now() - s.start).toBeGreaterThan(20_000);
  });

  it('an API never reached is given the 20 s budget of any command, not the outage budget', async () => {
    const s = await setup(undefined);
    refuseFromNowOn(s.agent);
    const result = await s.go();
    expect(result.outcome).toBe('lost_contact');
    expect(result.error).toBeInstanceOf(NetworkError);
    const spent = s.clock.now() - s.start;
    expect(spent).toBeLessThanOrEqual(20_000);
    expect(spent).toBeGreaterThan(10_000);
  });

  it('an initial run that has already ended needs no poll', async () => {
    const s = await setup(undefined, { initialRun: makeRun({ status: 'failed', completed_at: '2025-10-31T12:00:05.000000Z' }) });
    const result = await s.go();
    expect(result.outcome).toBe('failed');
  });

  it('--timeout is the hard deadline of every poll once contact is made: an outage ends as timeout', async () => {
    const s = await setup((t) => (t > 3000 ? unavailable() : makeRun()), { timeoutMs: 20_000 });
    const result = await s.go();
    expect(result.outcome).toBe('timeout');
    expect(s.clock.now() - s.start).toBeLessThanOrEqual(20_000);
    expect(Math.max(...s.times)).toBeLessThan(20_000);
  });

  it('a non-retryable API error is lost contact at once', async () => {
    const s = await setup((t) => (t > 1000 ? { httpStatus: 500, body: { message: 'bad gateway page' } } : makeRun()));
    const result = await s.go();
    expect(result.outcome).toBe('lost_contact');
    expect(result.error).toBeInstanceOf(ApiError);
    expect(s.times.filter((t) => t > 1000)).toHaveLength(1);
  });

  it('propagates auth and not-found errors', async () => {
    const auth = await setup((t) => (t > 1000 ? { httpStatus: 401, body: { message: 'token expired' } } : makeRun()));
    await expect(auth.go()).rejects.toBeInstanceOf(AuthError);
    const gone = await setup(() => ({ httpStatus: 404, body: { message: 'run not found' } }));
    await expect(gone.go()).rejects.toBeInstanceOf(NotFoundError);
  });

  it('the result keeps the last run seen with its logs', async () => {
    const s = await setup(scriptRun({ durationMs: 2000, logs: [{ atMs: 500, node: 'a' }] }, 0));
    const result = await s.go();
    expect(result.run?.status).toBe('completed');
    expect(result.run?.logs?.map((l) => l.node_id)).toEqual(['a']);
  });
});
