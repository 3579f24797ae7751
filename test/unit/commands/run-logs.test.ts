import { describe, expect, it } from 'vitest';
import { newRunLogsCommand, type RunLogsOptions } from '../../../src/commands/run/logs.js';
import { StdoutClosedError } from '../../../src/commands/stop-reasons.js';
import { InterruptedError } from '../../../src/errors.js';
import { makeLog, makeRun, scriptRun, serveRun } from '../../helpers/run-fixtures.js';
import { assertNoPendingAfterEach, makeTestDeps, TEST_API } from '../../helpers/test-deps.js';

assertNoPendingAfterEach();

async function parse(...argv: string[]): Promise<RunLogsOptions> {
  const { f } = makeTestDeps();
  let got: RunLogsOptions | undefined;
  await newRunLogsCommand(f, async (_f, o) => ((got = o), 0))
    .exitOverride()
    .parseAsync(argv, { from: 'user' });
  return got!;
}

/** A failed run: a success, a warning, an error, on three nodes. */
const failedRun = makeRun({
  id: 'fl_run_1',
  status: 'failed',
  completed_at: '2025-10-31T12:00:05.000000Z',
  logs: [
    makeLog(1, { node_id: 'trigger', status: 'success', output: { ok: 1 } }),
    makeLog(2, { node_id: 'slow', status: 'warning', output: { note: 'slow' } }),
    makeLog(3, { node_id: 'webhook', status: 'error', output: { status: 503 } }),
  ],
});

function serving(run = failedRun) {
  const t = makeTestDeps();
  t.api.intercept({ path: '/workflows/runs/fl_run_1', method: 'GET' }).reply(200, JSON.stringify(run), { headers: { 'content-type': 'application/json' } });
  return t;
}
const nodesOf = (stdout: string) => (JSON.parse(stdout) as Array<{ node_id: string }>).map((l) => l.node_id);

describe('run logs: flags', () => {
  it('--node is repeatable; --failed and --follow are switches', async () => {
    expect(await parse('fl_run_1', '--node', 'a', '--node', 'b', '--failed')).toMatchObject({ nodes: ['a', 'b'], failed: true, follow: undefined });
    expect((await parse('fl_run_1', '--follow', '--timeout', '90s')).follow).toMatchObject({ timeoutMs: 90_000, strict: false });
  });
  it('follow-only flags without --follow are exit 2, nothing sent', async () => {
    await expect(parse('fl_run_1', '--timeout', '1m')).rejects.toThrow(/--timeout has no effect without --follow/);
    await expect(parse('fl_run_1', '--strict')).rejects.toThrow(/without --follow/);
  });
});

describe('run logs: filters on a failed run', () => {
  it('--failed keeps only error and warning steps', async () => {
    const r = await serving().run(['run', 'logs', 'fl_run_1', '--failed', '--json']);
    expect(r.code).toBe(0);
    expect(nodesOf(r.stdout)).toEqual(['slow', 'webhook']);
  });
  it('--node keeps only the nodes named, in run order', async () => {
    const r = await serving().run(['run', 'logs', 'fl_run_1', '--node', 'webhook', '--node', 'trigger', '--json']);
    expect(nodesOf(r.stdout)).toEqual(['trigger', 'webhook']);
  });
  it('--failed and --node together: both must match; text mode prints whole outputs', async () => {
    const r = await serving().run(['run', 'logs', 'fl_run_1', '--failed', '--node', 'webhook', '--node', 'trigger']);
    expect(r.stdout).toContain('webhook');
    expect(r.stdout).toContain('"status": 503');
    expect(r.stdout).not.toContain('trigger');
  });
  it('no match says so on stderr, stdout stays empty', async () => {
    const r = await serving().run(['run', 'logs', 'fl_run_1', '--node', 'nope']);
    expect([r.code, r.stdout]).toEqual([0, '']);
    expect(r.stderr).toMatch(/no step of run fl_run_1 matches the filters \(3 step logs in all\)/);
  });
});

describe('run logs --follow', () => {
  it('prints only the (filtered) logs as they arrive, and exits like run watch (1 for failed)', async () => {
    const t = makeTestDeps();
    serveRun(t.agent, t.clock, TEST_API, scriptRun({ durationMs: 6000, end: 'failed', error: 'boom', logs: [
      { atMs: 1000, node: 'trigger' },
      { atMs: 3000, node: 'webhook', status: 'error', output: { status: 503 } },
    ] }, t.clock.now()));
    const r = await t.run(['run', 'logs', 'fl_run_1', '--follow', '--failed']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('webhook');
    expect(r.stdout).not.toContain('trigger');
    expect(r.stdout).not.toMatch(/failed|running|pending/);
    expect(r.stderr).toMatch(/^alto: run fl_run_1 failed: boom\n$/);
    expect(t.clock.sleeps.length).toBeGreaterThan(1);
  });
  it('--json prints one array once the run ended; --timeout ends with 124', async () => {
    const t = makeTestDeps();
    serveRun(t.agent, t.clock, TEST_API, scriptRun({ durationMs: 3000, logs: [{ atMs: 500, node: 'a' }, { atMs: 1500, node: 'b' }] }, t.clock.now()));
    const r = await t.run(['run', 'logs', 'fl_run_1', '--follow', '--json']);
    expect(r.code).toBe(0);
    expect(nodesOf(r.stdout)).toEqual(['a', 'b']);
    const u = makeTestDeps();
    serveRun(u.agent, u.clock, TEST_API, scriptRun({ durationMs: 600_000 }, u.clock.now()));
    const s = await u.run(['run', 'logs', 'fl_run_1', '--follow', '--timeout', '10s']);
    expect(s.code).toBe(124);
    expect(s.stderr).toMatch(/--timeout reached/);
  });

  /** A follow stopped 5 s in by `reason` (the signal's abort, as cli.ts does on Ctrl-C or EPIPE). */
  async function stoppedBy(reason: Error, ...flags: string[]) {
    return stoppedIn(reason, ['run', 'logs', 'fl_run_1', '--follow', ...flags]);
  }
  async function stoppedIn(reason: Error, argv: string[]) {
    const controller = new AbortController();
    const t = makeTestDeps({ signal: controller.signal });
    serveRun(t.agent, t.clock, TEST_API, scriptRun({ durationMs: 600_000, logs: [{ atMs: 500, node: 'a' }] }, t.clock.now()));
    t.clock.at(t.clock.now() + 5000, () => controller.abort(reason));
    return t.run(argv);
  }
  it('Ctrl-C with --json: no (partial) array, the stop line and how to re-attach, exit 130', async () => {
    const r = await stoppedBy(new InterruptedError('interrupted'), '--json');
    expect(r.code).toBe(130);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('alto: stopped following run fl_run_1; it keeps going\n  re-attach with: alto run logs fl_run_1 --follow\n');
  });
  it('stdout closed: exit 141, and the hint re-attaches with run logs --follow, not run watch', async () => {
    const r = await stoppedBy(new StdoutClosedError(undefined, 'EPIPE'));
    expect(r.code).toBe(141);
    expect(r.stderr).toMatch(/stopped watching run fl_run_1 \(it keeps going\)\n  re-attach with: alto run logs fl_run_1 --follow\n$/);
  });
  it('run watch with stdout closed keeps its own hint', async () => {
    const r = await stoppedIn(new StdoutClosedError(undefined, 'EPIPE'), ['run', 'watch', 'fl_run_1']);
    expect(r.code).toBe(141);
    expect(r.stderr).toMatch(/stopped watching run fl_run_1 \(it keeps going\)\n  re-attach with: alto run watch fl_run_1\n$/);
  });
});
