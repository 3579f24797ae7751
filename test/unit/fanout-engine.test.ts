import { describe, expect, it } from 'vitest';
import type { WorkflowRun, WorkflowRunPage } from '../../src/api/types.js';
import { ApiError, AuthError, NotFoundError, RequestRejectedError } from '../../src/errors.js';
import { runFanout, type FanoutApi, type FanoutEvent, type FanoutItem, type FanoutOptions } from '../../src/fanout/engine.js';
import { createRateBudget, pauseBudget, takeSlot } from '../../src/api/rate-budget.js';
import { FakeClock } from '../helpers/fake-clock.js';

const WF = 'fl_wf';

interface SimRun {
  id: string;
  createdAt: number;
  context: Record<string, unknown>;
  key: string;
}

interface FakeOptions {
  /** ms a run takes from its launch to its end (default 10 s). */
  durationOf?: (ctx: Record<string, unknown>) => number;
  /** The final status of a run (default: failed when ctx.fail, else completed). */
  statusOf?: (ctx: Record<string, unknown>) => string;
  /** The server's own limit per rolling minute (default 60). */
  serverLimit?: number;
  /** Refuse the request with this 1-based number with 429 and Retry-After. */
  refuse?: { nth: number; retryAfterMs: number };
  listFails?: () => Error | undefined;
  launchFails?: (item: FanoutItem) => Error | undefined;
}

/** An API that runs workflows on the fake clock, counts requests and refuses beyond its limit. */
function fakeApi(clock: FakeClock, o: FakeOptions = {}) {
  const runs: SimRun[] = []; // oldest first
  const byKey = new Map<string, SimRun>();
  const log: Array<{ what: string; at: number; status: number }> = [];
  const durationOf = o.durationOf ?? (() => 10_000);
  const statusOf = o.statusOf ?? ((ctx) => (ctx.fail ? 'failed' : 'completed'));
  const limit = o.serverLimit ?? 60;
  const view = (r: SimRun, withLogs: boolean): WorkflowRun => {
    const age = clock.now() - r.createdAt;
    const over = age >= durationOf(r.context);
    const status = over ? statusOf(r.context) : age >= 200 ? 'running' : 'pending';
    const run: WorkflowRun = { id: r.id, status, error_message: status === 'failed' ? 'boom' : null, completed_at: over ? 'x' : null };
    if (withLogs) run.logs = [{ id: `${r.id}_l1`, node_id: 'n1', status: ctx(r).steperror ? 'error' : 'success', created_at: 'x' }];
    return run;
  };
  const ctx = (r: SimRun) => r.context;
  const request = (what: string) => {
    const now = clock.now();
    const nth = log.length + 1;
    const inWindow = log.filter((q) => q.status !== 429 && q.at > now - 60_000).length;
    if (o.refuse?.nth === nth || inWindow >= limit) {
      log.push({ what, at: now, status: 429 });
      throw new ApiError('rate limited', { status: 429, retryable: true, retryAfterMs: o.refuse?.nth === nth ? o.refuse.retryAfterMs : 1000 });
    }
    log.push({ what, at: now, status: 200 });
  };
  const api: FanoutApi = {
    async launch(item, key) {
      request(`POST ${item.index}`);
      const failure = o.launchFails?.(item);
      if (failure) throw failure;
      let run = byKey.get(key);
      if (!run) {
        run = { id: `fl_run_${runs.length + 1}`, createdAt: clock.now(), context: item.context, key };
        runs.push(run);
        byKey.set(key, run);
      }
      return view(run, true);
    },
    async listPage(workflowId, page): Promise<WorkflowRunPage> {
      request(`LIST ${page}`);
      const failure = o.listFails?.();
      if (failure) throw failure;
      expect(workflowId).toBe(WF);
      const newest = [...runs].reverse();
      const last = Math.max(1, Math.ceil(newest.length / 15));
      return {
        data: newest.slice((page - 1) * 15, page * 15).map((r) => view(r, false)),
        links: { next: page < last ? `?page=${page + 1}` : null },
        meta: { current_page: page, last_page: last },
      };
    },
    async getRun(id) {
      request(`GET ${id}`);
      const run = runs.find((r) => r.id === id);
      if (!run) throw new NotFoundError(`run ${id} not found`);
      return view(run, true);
    },
  };
  const maxInAnyMinute = () => Math.max(0, ...log.map((q) => log.filter((p) => p.at >= q.at && p.at < q.at + 60_000).length));
  return { api, runs, log, maxInAnyMinute, add: (context: Record<string, unknown>) => runs.push({ id: `fl_run_${runs.length + 1}`, createdAt: clock.now(), context, key: '' }) };
}

const items = (n: number, failing: number[] = [], extra: (i: number) => Record<string, unknown> = () => ({})): FanoutItem[] =>
  Array.from({ length: n }, (_, i) => ({
    index: i,
    label: `#${i + 1}`,
    context: { site: `s${i + 1}`, ...(failing.includes(i + 1) ? { fail: true } : {}), ...extra(i + 1) },
    key: `key-${i + 1}`,
  }));

function setup(o: FakeOptions = {}, rate = 50) {
  const clock = new FakeClock();
  const fake = fakeApi(clock, o);
  const budget = createRateBudget({ limit: rate, windowMs: 60_000 });
  const events: FanoutEvent[] = [];
  const controller = new AbortController();
  const opts = (over: Partial<FanoutOptions> = {}): FanoutOptions => ({ timeoutMs: 65 * 60_000, signal: controller.signal, ...over });
  return { clock, fake, budget, events, controller, opts, deps: { api: fake.api, clock, budget }, onEvent: (e: FanoutEvent) => void events.push(e) };
}

describe('fan-out engine', () => {
  it('40 runs of a 10 s workflow, 4 failing: exit 1, <= 1.6 requests a run, no 429, within the rate and 1.3x the budget time', async () => {
    const s = setup();
    const t0 = s.clock.now();
    const result = await runFanout(s.deps, { kind: 'launch', workflowId: WF, items: items(40, [5, 15, 25, 35]) }, s.opts(), s.onEvent);
    expect(result.exitCode).toBe(1);
    expect(s.fake.runs).toHaveLength(40);
    expect(s.fake.runs.map((r) => r.context.site)).toEqual(Array.from({ length: 40 }, (_, i) => `s${i + 1}`));
    expect(result.results.filter((r) => r.exitCode === 1).map((r) => r.label)).toEqual(['#5', '#15', '#25', '#35']);
    expect(result.results.every((r) => r.outcome === (['#5', '#15', '#25', '#35'].includes(r.label) ? 'failed' : 'completed'))).toBe(true);
    // failed runs were fetched by id for their logs; completed ones were not
    expect(result.results.filter((r) => r.run?.logs !== undefined && r.outcome === 'failed')).toHaveLength(4);
    expect(s.fake.log.filter((q) => q.what.startsWith('GET'))).toHaveLength(4);
    expect(s.fake.log.filter((q) => q.status === 429)).toHaveLength(0);
    expect(result.requests).toBe(s.fake.log.length);
    expect(result.requests / 40).toBeLessThanOrEqual(1.6);
    expect(s.fake.maxInAnyMinute()).toBeLessThanOrEqual(50);
    const wall = s.clock.now() - t0;
    expect(wall).toBeLessThanOrEqual(1.3 * ((result.requests / 50) * 60_000 + 10_000));
    expect(result.counts).toEqual({ done: 40, failed: 4, running: 0, queued: 0, notStarted: 0 });
    // never more than 10 in flight
    let inFlight = 0;
    let peak = 0;
    for (const e of s.events) {
      if (e.type === 'started') peak = Math.max(peak, (inFlight += 1));
      if (e.type === 'ended') inFlight -= 1;
    }
    expect(peak).toBe(10);
    const last = s.events.at(-1);
    expect(last).toEqual({ type: 'progress', done: 40, failed: 4, running: 0, queued: 0 });
  });

  it('reads only as many list pages as reach the oldest unfinished run, and fetches by id a run the pages missed', async () => {
    const s = setup();
    // 40 older runs of other callers, then ours: all of ours are on page 1
    for (let i = 0; i < 40; i += 1) s.fake.add({});
    s.clock.advance(60_000);
    await runFanout(s.deps, { kind: 'launch', workflowId: WF, items: items(3) }, s.opts(), s.onEvent);
    expect(s.fake.log.filter((q) => q.what.startsWith('LIST')).every((q) => q.what === 'LIST 1')).toBe(true);
    expect(s.fake.log.filter((q) => q.what.startsWith('GET'))).toHaveLength(0);

    // a run watched by id, 20 runs deep: page 1 and 2 are read, then it is found
    const w = setup();
    w.fake.add({ slow: true });
    for (let i = 0; i < 20; i += 1) w.fake.add({});
    w.clock.advance(20_000); // all over by now
    const r = await runFanout(w.deps, { kind: 'watch', workflowId: WF, runIds: ['fl_run_1'] }, w.opts(), w.onEvent);
    expect(r.exitCode).toBe(0);
    expect(w.fake.log.map((q) => q.what)).toEqual(['LIST 1', 'LIST 2']);

    // 50 runs deep: the pages read per poll are bounded (3 for one run), then it is fetched by id
    const d = setup();
    d.fake.add({});
    for (let i = 0; i < 50; i += 1) d.fake.add({});
    d.clock.advance(20_000);
    await runFanout(d.deps, { kind: 'watch', workflowId: WF, runIds: ['fl_run_1'] }, d.opts(), d.onEvent);
    expect(d.fake.log.map((q) => q.what)).toEqual(['LIST 1', 'LIST 2', 'LIST 3', 'GET fl_run_1']);
  });

  it('--fail-fast: starts no more after the first failure, still watches the runs going, lists the never-started', async () => {
    const s = setup({ durationOf: (ctx) => (ctx.fail ? 1000 : 8000) });
    const result = await runFanout(s.deps, { kind: 'launch', workflowId: WF, items: items(12, [2]) }, s.opts({ concurrency: 3, failFast: true }), s.onEvent);
    expect(result.exitCode).toBe(1);
    expect(s.fake.runs).toHaveLength(3);
    expect(result.results.slice(0, 3).map((r) => r.outcome)).toEqual(['completed', 'failed', 'completed']);
    expect(result.results.slice(3).every((r) => r.outcome === 'not_started' && r.exitCode === null && r.runId === undefined)).toBe(true);
    expect(result.counts.notStarted).toBe(9);
  });

  it('a 429 pauses the whole budget once, for its Retry-After, and the refused launch is sent again with the same key', async () => {
    const s = setup({ refuse: { nth: 4, retryAfterMs: 7000 } });
    const result = await runFanout(s.deps, { kind: 'launch', workflowId: WF, items: items(6) }, s.opts(), s.onEvent);
    expect(result.exitCode).toBe(0);
    expect(s.fake.runs).toHaveLength(6);
    const refused = s.fake.log.findIndex((q) => q.status === 429);
    expect(refused).toBe(3);
    expect(s.fake.log[refused + 1]?.what).toBe(s.fake.log[refused]?.what); // the same POST again
    expect((s.fake.log[refused + 1]?.at ?? 0) - (s.fake.log[refused]?.at ?? 0)).toBeGreaterThanOrEqual(7000);
    expect((s.fake.log[refused + 1]?.at ?? 0) - (s.fake.log[refused]?.at ?? 0)).toBeLessThan(9000); // once, not per waiter
    expect(s.fake.log.filter((q) => q.status === 429)).toHaveLength(1);
  });

  it('falls back to polling each run by id when the list cannot answer', async () => {
    const s = setup({ listFails: () => new NotFoundError('no such route') });
    const result = await runFanout(s.deps, { kind: 'launch', workflowId: WF, items: items(3, [3]) }, s.opts(), s.onEvent);
    expect(result.exitCode).toBe(1);
    expect(result.results.map((r) => r.outcome)).toEqual(['completed', 'completed', 'failed']);
    expect(s.fake.log.filter((q) => q.what.startsWith('LIST'))).toHaveLength(1);
    expect(s.fake.log.filter((q) => q.what.startsWith('GET')).length).toBeGreaterThanOrEqual(3);
  });

  it('a retried job with the same keys re-attaches: no run started twice, ended runs need no poll', async () => {
    const s = setup();
    await runFanout(s.deps, { kind: 'launch', workflowId: WF, items: items(5) }, s.opts(), s.onEvent);
    const before = s.fake.log.length;
    const again = await runFanout(s.deps, { kind: 'launch', workflowId: WF, items: items(5) }, s.opts(), s.onEvent);
    expect(s.fake.runs).toHaveLength(5);
    expect(again.exitCode).toBe(0);
    expect(s.fake.log.slice(before).map((q) => q.what)).toEqual(['POST 0', 'POST 1', 'POST 2', 'POST 3', 'POST 4']);
  });

  it('run watch a b c: by id without a workflow; the most severe code wins (404 > failed > awaiting)', async () => {
    const s = setup({ statusOf: (ctx) => String(ctx.end) });
    s.fake.add({ end: 'failed' });
    s.fake.add({ end: 'awaiting_ui_interaction' });
    s.fake.add({ end: 'completed' });
    const result = await runFanout(s.deps, { kind: 'watch', runIds: ['fl_run_1', 'fl_run_2', 'fl_run_3', 'fl_run_missing'] }, s.opts(), s.onEvent);
    expect(result.results.map((r) => [r.label, r.outcome, r.exitCode])).toEqual([
      ['fl_run_1', 'failed', 1],
      ['fl_run_2', 'awaiting_ui_interaction', 6],
      ['fl_run_3', 'completed', 0],
      ['fl_run_missing', 'lost_contact', 4],
    ]);
    expect(result.exitCode).toBe(4);
    expect(s.fake.log.every((q) => q.what.startsWith('GET'))).toBe(true);
  });

  it('the same run id twice is watched once; both entries report its end and count in the totals', async () => {
    const s = setup({ statusOf: (ctx) => String(ctx.end) });
    s.fake.add({ end: 'failed' });
    s.fake.add({ end: 'completed' });
    const result = await runFanout(s.deps, { kind: 'watch', runIds: ['fl_run_1', 'fl_run_2', 'fl_run_1'] }, s.opts(), s.onEvent);
    expect(result.results.map((r) => [r.index, r.label, r.outcome])).toEqual([
      [0, 'fl_run_1', 'failed'],
      [1, 'fl_run_2', 'completed'],
      [2, 'fl_run_1', 'failed'],
    ]);
    expect(result.counts).toEqual({ done: 3, failed: 2, running: 0, queued: 0, notStarted: 0 });
    const progress = s.events.filter((e) => e.type === 'progress');
    expect(progress.at(-1)).toMatchObject({ done: 2, failed: 1, running: 0 }); // the duplicate is added after the watch
  });

  it('--strict fetches each ended run for its logs: completed with a step error is 1', async () => {
    const s = setup();
    const result = await runFanout(s.deps, { kind: 'launch', workflowId: WF, items: items(2, [], (i) => (i === 2 ? { steperror: true } : {})) }, s.opts({ strict: true }), s.onEvent);
    expect(result.results.map((r) => r.exitCode)).toEqual([0, 1]);
    expect(result.exitCode).toBe(1);
    const plain = setup();
    const lax = await runFanout(plain.deps, { kind: 'launch', workflowId: WF, items: items(2, [], (i) => (i === 2 ? { steperror: true } : {})) }, plain.opts(), plain.onEvent);
    expect(lax.exitCode).toBe(0);
  });

  it('a bad token at launch is exit 3 and starts nothing more; a missing workflow is 4', async () => {
    const s = setup({ launchFails: () => new AuthError('401') });
    const result = await runFanout(s.deps, { kind: 'launch', workflowId: WF, items: items(5) }, s.opts(), s.onEvent);
    expect(result.exitCode).toBe(3);
    expect(s.fake.log).toHaveLength(1);
    expect(result.counts.notStarted).toBe(4);
    const n = setup({ launchFails: () => new NotFoundError('404') });
    expect((await runFanout(n.deps, { kind: 'launch', workflowId: WF, items: items(5) }, n.opts(), n.onEvent)).exitCode).toBe(4);
    const bad = setup({ launchFails: (item) => (item.index === 1 ? new RequestRejectedError('422', { status: 422 }) : undefined) });
    const r = await runFanout(bad.deps, { kind: 'launch', workflowId: WF, items: items(3) }, bad.opts(), bad.onEvent);
    expect(r.results.map((x) => x.exitCode)).toEqual([0, 2, 0]);
  });

  it('--timeout ends a run still going with 124; Ctrl-C ends the rest as interrupted (130)', async () => {
    const s = setup({ durationOf: (ctx) => (ctx.slow ? 3_600_000 : 5000) });
    const result = await runFanout(s.deps, { kind: 'launch', workflowId: WF, items: items(2, [], (i) => (i === 2 ? { slow: true } : {})) }, s.opts({ timeoutMs: 60_000 }), s.onEvent);
    expect(result.results.map((r) => r.outcome)).toEqual(['completed', 'timeout']);
    expect(result.exitCode).toBe(124);
    expect(result.results[1]?.durationMs).toBeGreaterThanOrEqual(60_000);

    const c = setup({ durationOf: () => 600_000 });
    c.clock.at(c.clock.now() + 30_000, () => c.controller.abort());
    const cut = await runFanout(c.deps, { kind: 'launch', workflowId: WF, items: items(4) }, c.opts({ concurrency: 2 }), c.onEvent);
    expect(cut.results.map((r) => r.outcome)).toEqual(['interrupted', 'interrupted', 'not_started', 'not_started']);
    expect(cut.exitCode).toBe(130);
  });

  it('Ctrl-C while a launch waits for a rate slot: that line stays not_started under its own label', async () => {
    const s = setup({}, 2);
    s.clock.at(s.clock.now() + 30_000, () => s.controller.abort());
    const named = items(4).map((it, i) => ({ ...it, label: `site-${'abcd'[i]}` }));
    const result = await runFanout(s.deps, { kind: 'launch', workflowId: WF, items: named }, s.opts(), s.onEvent);
    expect(s.fake.runs).toHaveLength(2); // the third launch was waiting for the budget's next slot
    expect(result.results.map((r) => [r.label, r.outcome])).toEqual([
      ['site-a', 'interrupted'],
      ['site-b', 'interrupted'],
      ['site-c', 'not_started'],
      ['site-d', 'not_started'],
    ]);
    expect(result.counts).toMatchObject({ notStarted: 2, queued: 2 });
  });
});

describe('one rate budget (api/rate-budget.ts) spent by the fan-out', () => {
  it('never lets more than the limit through in any 60 s', async () => {
    const clock = new FakeClock();
    const budget = createRateBudget({ limit: 50, windowMs: 60_000 });
    const at: number[] = [];
    for (let i = 0; i < 150; i += 1) {
      await takeSlot(budget, clock);
      at.push(clock.now());
    }
    const maxInMinute = Math.max(...at.map((t) => at.filter((u) => u >= t && u < t + 60_000).length));
    expect(maxInMinute).toBeLessThanOrEqual(50);
    expect(at[149]! - at[0]!).toBeLessThan(3.1 * 60_000);
  });

  it('pauses once for overlapping 429s, with a floor', async () => {
    const clock = new FakeClock();
    const budget = createRateBudget({ limit: 60, windowMs: 60_000 });
    const t0 = clock.now();
    pauseBudget(budget, clock, 5000);
    pauseBudget(budget, clock, 4000);
    pauseBudget(budget, clock, 0);
    await takeSlot(budget, clock);
    expect(clock.now() - t0).toBe(5000);
    await takeSlot(budget, clock);
    expect(clock.now() - t0).toBe(5000);
    pauseBudget(budget, clock, 0); // the floor: a Retry-After of 0 still waits 1 s
    await takeSlot(budget, clock);
    expect(clock.now() - t0).toBe(6000);
  });

  it('a take waiting for a slot rejects at once on abort', async () => {
    const clock = new FakeClock();
    const budget = createRateBudget({ limit: 1, windowMs: 60_000 });
    await takeSlot(budget, clock);
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(takeSlot(budget, clock, controller.signal)).rejects.toThrow('stop');
  });
});
