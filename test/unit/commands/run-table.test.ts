import { describe, expect, it } from 'vitest';
import { followRun } from '../../../src/commands/shared/follow.js';
import type { SpinnerFactory } from '../../../src/ui/spinner.js';
import { makeLog, makeRun, type RunScript, scriptRun, serveRun, unavailable } from '../../helpers/run-fixtures.js';
import { assertNoPendingAfterEach, makeTestDeps, TEST_API, TEST_TOKEN } from '../../helpers/test-deps.js';
import { hasEscapes } from '../../helpers/test-io.js';

// Every row goes through main, the real program and the real client over undici's MockAgent
// (no network; every interceptor must be used), with the fake clock: no test waits for real.
assertNoPendingAfterEach();

const json = { 'content-type': 'application/json' };
const run7 = makeRun({
  id: 'fl_run_7',
  status: 'completed',
  completed_at: '2025-10-31T12:00:04.000000Z',
  duration_in_seconds: 4,
  logs: [makeLog(1), makeLog(2, { status: 'warning', output: { note: 'slow\nvery' } })],
});

/** A test whose API answers GET /workflows/runs/<id> once with this status and body. */
function answering(status: number, body: unknown, runId = 'fl_run_7') {
  const t = makeTestDeps();
  let auth = '';
  t.api.intercept({ path: `/workflows/runs/${runId}`, method: 'GET' }).reply(status, (o) => ((auth = String((o.headers as Record<string, string>).authorization)), JSON.stringify(body)), { headers: json });
  return { t, auth: () => auth };
}

describe('run get', () => {
  it('prints a readable view, sending the token', async () => {
    const { t, auth } = answering(200, run7);
    const r = await t.run(['run', 'get', 'fl_run_7']);
    expect(r.code).toBe(0);
    expect(auth()).toBe(`Bearer ${TEST_TOKEN}`);
    expect(r.stdout).toMatch(/^id {9}fl_run_7\nstatus {5}completed\n/);
    expect(r.stdout).toContain('duration   4.0s');
    expect(r.stdout).toContain('steps (2 steps: 1 succeeded, 1 warned, 0 failed)');
    expect(hasEscapes(r.stdout)).toBe(false);
    expect(r.stderr).toBe('');
  });

  it('--json prints the run as one document', async () => {
    const { t } = answering(200, run7);
    const r = await t.run(['run', 'get', 'fl_run_7', '--json']);
    expect(JSON.parse(r.stdout)).toEqual(run7);
  });

  it.each([
    [404, { message: 'No query results' }, 4, 'alto: not found: No query results'],
    [401, { message: 'Unauthenticated.' }, 3, 'alto: the API rejected the token (401: Unauthenticated.)'],
    [500, { message: 'boom' }, 5, 'alto: HTTP 500 from api.test: boom'],
  ])('HTTP %i: exit %i with one line on stderr, nothing on stdout', async (status, body, code, line) => {
    const { t } = answering(status, body);
    const r = await t.run(['run', 'get', 'fl_run_7']);
    expect(r.code).toBe(code);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe(line);
  });

  it('an answer about another run is refused: exit 5', async () => {
    const { t } = answering(200, { ...run7, id: 'fl_run_8' });
    const r = await t.run(['run', 'get', 'fl_run_7']);
    expect(r.code).toBe(5);
    expect(r.stdout).toBe('');
  });

  it('no token: exit 3, nothing sent; an empty id: exit 2, nothing sent', async () => {
    const t = makeTestDeps({ env: { ALTO_API_URL: TEST_API, ALTO_CONFIG_DIR: '/nonexistent/alto-test-config' } });
    expect((await t.run(['run', 'get', 'fl_run_7'])).code).toBe(3);
    expect((await t.run(['run', 'get', ''])).code).toBe(2);
  });
});

describe('run logs', () => {
  it('prints every step with its whole output', async () => {
    const { t } = answering(200, run7);
    const r = await t.run(['run', 'logs', 'fl_run_7']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✔ n1 (http_request)');
    expect(r.stdout).toContain('    {\n      "note": "slow\\nvery"\n    }');
  });

  it('--json prints the logs array', async () => {
    const { t } = answering(200, run7);
    const r = await t.run(['run', 'logs', 'fl_run_7', '--json']);
    expect(JSON.parse(r.stdout)).toEqual(run7.logs);
  });

  it('says so on stderr when there are no logs yet, with the status made safe', async () => {
    const { t } = answering(200, makeRun({ id: 'fl_run_7', status: 'running\u001b[31m', logs: [] }));
    const r = await t.run(['run', 'logs', 'fl_run_7']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^run fl_run_7 has no step logs yet \(status running.*\)\n$/);
    expect(hasEscapes(r.stderr)).toBe(false);
  });
});

describe('run watch', () => {
  const watch = (script: RunScript, args: string[] = []) => {
    const t = makeTestDeps();
    const served = serveRun(t.agent, t.clock, TEST_API, script);
    return { t, served, go: () => t.run(['run', 'watch', 'fl_run_1', ...args]) };
  };

  it.each([
    ['completed', scriptRun({ durationMs: 3000 }, 0), [], 0],
    ['completed with a step error, --strict', scriptRun({ durationMs: 3000, logs: [{ atMs: 1000, node: 'a', status: 'error' }] }, 0), ['--strict'], 1],
    ['completed with a step error', scriptRun({ durationMs: 3000, logs: [{ atMs: 1000, node: 'a', status: 'error' }] }, 0), [], 0],
    ['failed', scriptRun({ durationMs: 3000, end: 'failed', error: 'boom' }, 0), [], 1],
    ['awaiting a person', scriptRun({ durationMs: 3000, end: 'awaiting_ui_interaction' }, 0), [], 6],
    ['still running at --timeout', () => makeRun(), ['--timeout', '30s'], 124],
    ['lost contact', (t: number) => (t > 2000 ? unavailable() : makeRun()), ['--max-outage', '1m'], 5],
    ['an unknown final status', () => makeRun({ status: 'archived', completed_at: '2025-10-31T12:00:09.000000Z' }), [], 5],
  ] as Array<[string, RunScript, string[], number]>)('%s: exit %i', async (_name, script, args, code) => {
    const s = watch(script, args);
    expect((await s.go()).code).toBe(code);
    expect(s.served.times.length).toBeGreaterThan(0);
  });

  it('--timeout: stops at the deadline with the re-attach hint; the fake clock moved, not the wall clock', async () => {
    const s = watch(() => makeRun(), ['--timeout', '30s']);
    const r = await s.go();
    expect(s.t.clock.now() - Date.UTC(2025, 9, 31, 12)).toBe(30_000);
    expect(r.stderr).toBe('stopped watching after 30s (--timeout); the run keeps going: alto run watch fl_run_1\n');
  });

  it('lost contact: one line on stderr naming the last error, and no stack', async () => {
    const s = watch((t) => (t > 2000 ? unavailable() : makeRun()), ['--max-outage', '1m']);
    const r = await s.go();
    const last = r.stderr.trimEnd().split('\n').at(-1);
    expect(last).toBe('lost contact; the run may still be going: alto run watch fl_run_1 (last error: HTTP 503 from api.test: down for maintenance)');
    expect(r.stderr).not.toContain('    at ');
  });

  it('awaiting a person says where to act', async () => {
    const s = watch(scriptRun({ durationMs: 3000, end: 'awaiting_ui_interaction' }, 0));
    expect((await s.go()).stderr).toContain('waiting for a person in the dashboard');
  });

  it('Ctrl-C: 130 with the re-attach hint', async () => {
    const controller = new AbortController();
    const t = makeTestDeps({ signal: controller.signal });
    serveRun(t.agent, t.clock, TEST_API, () => makeRun());
    t.clock.at(t.clock.now() + 7000, () => controller.abort());
    const r = await t.run(['run', 'watch', 'fl_run_1']);
    expect(r.code).toBe(130);
    expect(r.stderr).toBe('stopped watching (interrupted); the run keeps going: alto run watch fl_run_1\n');
  });

  it('--json: one document on stdout, the last run with its logs', async () => {
    const s = watch(scriptRun({ durationMs: 4000, logs: [{ atMs: 1000, node: 'a' }] }, 0), ['--json']);
    const r = await s.go();
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ id: 'fl_run_1', status: 'completed', logs: [{ node_id: 'a' }] });
  });

  it('a 404 is exit 4 at once, without a retry', async () => {
    const s = watch(() => ({ httpStatus: 404, body: { message: 'run not found' } }));
    expect((await s.go()).code).toBe(4);
    expect(s.served.times).toEqual([0]);
  });

  it('does not repeat the status of a run the caller announced', async () => {
    const t = makeTestDeps();
    serveRun(t.agent, t.clock, TEST_API, scriptRun({ durationMs: 1000 }, 0));
    await followRun(t.f, 'fl_run_1', makeRun({ status: 'pending' }), { timeoutMs: 60_000, intervalMs: 2000, maxOutageMs: 60_000, strict: false, verbose: false }, { json: false, quiet: false, ndjson: false });
    const out = t.io.stdout.text();
    expect(out).not.toMatch(/● run fl_run_1 pending\n/);
    expect(out).toMatch(/pending → running/);
  });

  it('uses the spinner only when interactive, and stops it when an error is thrown', async () => {
    const calls: string[] = [];
    const factory: SpinnerFactory = async () => {
      calls.push('start');
      return { clear() {}, render() {}, setText() {}, stop: () => void calls.push('stop') };
    };
    const opts = [{ timeoutMs: 60_000, intervalMs: 2000, maxOutageMs: 60_000, strict: false, verbose: false }, { json: false, quiet: false, ndjson: false }] as const;
    const plain = makeTestDeps();
    serveRun(plain.agent, plain.clock, TEST_API, scriptRun({ durationMs: 1000 }, 0));
    await followRun(plain.f, 'fl_run_1', undefined, ...opts, factory);
    expect(calls).toEqual([]);
    const tty = makeTestDeps({ io: { stderrTTY: true, columns: 80 } });
    serveRun(tty.agent, tty.clock, TEST_API, () => ({ httpStatus: 404, body: { message: 'gone' } }));
    await expect(followRun(tty.f, 'fl_run_1', undefined, ...opts, factory)).rejects.toThrow('not found: gone');
    expect(calls).toEqual(['start', 'stop']);
  });
});

/** The API's answer to a rerun or resume: the new run. */
const launched = (id = 'fl_run_2') => JSON.stringify({ message: 'started', new_run: makeRun({ id, status: 'pending', started_at: null }) });

describe('run rerun', () => {
  it('POSTs once and prints the new run with how to follow it', async () => {
    const t = makeTestDeps();
    t.api.intercept({ path: '/workflows/runs/fl_run_1/rerun', method: 'POST' }).reply(201, launched(), { headers: json });
    const r = await t.run(['run', 'rerun', 'fl_run_1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('✔ Re-ran fl_run_1 as run fl_run_2 (pending)\n  Follow it: alto run watch fl_run_2\n');
  });

  it('-q prints only the new id; --json the new run', async () => {
    const t = makeTestDeps();
    t.api.intercept({ path: '/workflows/runs/fl_run_1/rerun', method: 'POST' }).reply(201, launched(), { headers: json }).times(2);
    expect((await t.run(['run', 'rerun', 'fl_run_1', '-q'])).stdout).toBe('fl_run_2\n');
    expect(JSON.parse((await t.run(['run', 'rerun', 'fl_run_1', '--json'])).stdout)).toMatchObject({ id: 'fl_run_2', status: 'pending' });
  });

  it.each([
    ['completed', 0],
    ['failed', 1],
  ])('--watch follows the new run: %s → exit %i', async (end, code) => {
    const t = makeTestDeps();
    t.api.intercept({ path: '/workflows/runs/fl_run_1/rerun', method: 'POST' }).reply(201, launched(), { headers: json });
    const served = serveRun(t.agent, t.clock, TEST_API, scriptRun({ id: 'fl_run_2', durationMs: 2000, end }, 0), { runId: 'fl_run_2' });
    const r = await t.run(['run', 'rerun', 'fl_run_1', '--watch']);
    expect(r.code).toBe(code);
    expect(served.times.length).toBeGreaterThan(1);
    expect(r.stdout).toContain(`run fl_run_2 ${end}`);
  });

  it('a rerun is not retried after a 500 (it may have started a run): exit 5', async () => {
    const t = makeTestDeps();
    t.api.intercept({ path: '/workflows/runs/fl_run_1/rerun', method: 'POST' }).reply(500, { message: 'oops' });
    expect((await t.run(['run', 'rerun', 'fl_run_1'])).code).toBe(5);
  });

  it('404: exit 4; watch flags without --watch: exit 2 and nothing sent', async () => {
    const t = makeTestDeps();
    t.api.intercept({ path: '/workflows/runs/fl_run_9/rerun', method: 'POST' }).reply(404, { message: 'No query results' });
    expect((await t.run(['run', 'rerun', 'fl_run_9'])).code).toBe(4);
    const r = await t.run(['run', 'rerun', 'fl_run_1', '--timeout', '5m']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('alto: --timeout has no effect without --watch\n  add --watch (or -w) to follow the run\n');
  });
});

describe('run resume', () => {
  it('POSTs to resume-from/<node> and prints the new run', async () => {
    const t = makeTestDeps();
    t.api.intercept({ path: '/workflows/runs/fl_run_1/resume-from/n2', method: 'POST' }).reply(201, launched('fl_run_3'), { headers: json });
    const r = await t.run(['run', 'resume', 'fl_run_1', '--from', 'n2']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('✔ Resumed fl_run_1 from n2 as run fl_run_3 (pending)\n  Follow it: alto run watch fl_run_3\n');
  });

  it('a node id is sent path-encoded', async () => {
    const t = makeTestDeps();
    t.api.intercept({ path: '/workflows/runs/fl_run_1/resume-from/a%2Fb', method: 'POST' }).reply(201, launched('fl_run_3'), { headers: json });
    expect((await t.run(['run', 'resume', 'fl_run_1', '--from', 'a/b', '-q'])).stdout).toBe('fl_run_3\n');
  });

  it("422 (a node that did not succeed): exit 2 with the API's reason", async () => {
    const t = makeTestDeps();
    t.api
      .intercept({ path: '/workflows/runs/fl_run_1/resume-from/n9', method: 'POST' })
      .reply(422, { message: 'Node n9 did not complete successfully in this run.' }, { headers: json });
    const r = await t.run(['run', 'resume', 'fl_run_1', '--from', 'n9']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('alto: the API rejected the request (HTTP 422): Node n9 did not complete successfully in this run.\n');
  });

  it('without --from, or with a blank one: exit 2, nothing sent', async () => {
    const t = makeTestDeps();
    const missing = await t.run(['run', 'resume', 'fl_run_1']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("alto: required option '--from <nodeId>' not specified");
    expect((await t.run(['run', 'resume', 'fl_run_1', '--from', ''])).code).toBe(2);
  });

  it('--watch follows the resumed run to its end', async () => {
    const t = makeTestDeps();
    t.api.intercept({ path: '/workflows/runs/fl_run_1/resume-from/n2', method: 'POST' }).reply(201, launched('fl_run_3'), { headers: json });
    serveRun(t.agent, t.clock, TEST_API, scriptRun({ id: 'fl_run_3', durationMs: 1500, end: 'awaiting_ui_interaction' }, 0), { runId: 'fl_run_3' });
    expect((await t.run(['run', 'resume', 'fl_run_1', '--from', 'n2', '-w'])).code).toBe(6);
  });
});
