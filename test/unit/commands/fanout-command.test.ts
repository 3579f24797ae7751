// `wf execute --each` and `run watch a b c` with the real client over a MockAgent that acts as a
// small in-memory API on the fake clock: no network, no real sleeps.
import { describe, expect, it } from 'vitest';
import type { WorkflowRun } from '../../../src/api/types.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { assertNoPendingAfterEach, makeTestDeps, type TestDeps } from '../../helpers/test-deps.js';

assertNoPendingAfterEach();

const JSON_HEADERS = { headers: { 'content-type': 'application/json' } };
const WF = 'fl_1';

interface Sim {
  id: string;
  createdAt: number;
  context: Record<string, unknown>;
  key: string;
}

/** An API of one workflow whose runs last 3 s and fail when their context says fail. */
function fakeApi(t: TestDeps, opts: { list?: boolean; byId?: boolean } = {}) {
  const runs: Sim[] = [];
  const requests: string[] = [];
  const view = (r: Sim, logs: boolean): WorkflowRun => {
    const over = t.clock.now() - r.createdAt >= 3000;
    const status = over ? (r.context.fail ? 'failed' : 'completed') : 'running';
    return {
      id: r.id,
      status,
      error_message: status === 'failed' ? 'the \u001b[31mrouter\u001b[0m said no' : null,
      ...(logs ? { logs: [{ id: `${r.id}_1`, node_id: 'n1', component_id: 'webhook', status: status === 'failed' ? 'error' : 'success', created_at: '2026-01-01T00:00:00Z' }] } : {}),
    };
  };
  const reply = (data: unknown, statusCode = 200) => ({ statusCode, data: JSON.stringify(data), responseOptions: JSON_HEADERS });
  t.api
    .intercept({ path: `/workflows/${WF}/execute`, method: 'POST' })
    .reply((o) => {
      const key = String((o.headers as Record<string, string>)['idempotency-key']);
      requests.push('POST');
      const seen = runs.find((r) => r.key === key);
      if (seen) return reply(view(seen, true));
      const context = (JSON.parse(String(o.body)) as { context: Record<string, unknown> }).context;
      if (context.reject) return reply({ message: `context.${String(context.reject)} is required` }, 422);
      const r: Sim = { id: `fl_run_${runs.length + 1}`, createdAt: t.clock.now(), context, key };
      runs.push(r);
      return reply({ ...view(r, true), status: 'pending' });
    })
    .persist();
  t.api
    .intercept({ path: (p) => p.startsWith(`/workflows/${WF}/executions?page=`), method: 'GET' })
    .reply(() => {
      requests.push('LIST');
      if (opts.list === false) return reply({ message: 'no' }, 404);
      const data = [...runs].reverse().map((r) => view(r, false));
      return reply({ data, links: { next: null }, meta: { current_page: 1, last_page: 1, per_page: 15, total: data.length } });
    })
    .persist();
  // Strict stubs: a test that expects no GET by id declares none, so one would fail it.
  if (opts.byId !== false)
  t.api
    .intercept({ path: (p) => p.startsWith('/workflows/runs/'), method: 'GET' })
    .reply((o) => {
      const id = decodeURIComponent(o.path.slice('/workflows/runs/'.length));
      requests.push(`GET ${id}`);
      const r = runs.find((x) => x.id === id);
      return r ? reply(view(r, true)) : reply({ message: `No workflow run with id '${id}' was found.` }, 404);
    })
    .persist();
  return { runs, requests };
}

const fs = await import('node:fs');
const path = await import('node:path');
const dir = tempDir('alto-fanout-');
const file = (name: string, text: string) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
};
const ndjson = (objs: unknown[]) => `${objs.map((o) => JSON.stringify(o)).join('\n')}\n`;

describe('wf execute --each', () => {
  it('one run per line with the fields merged, watched through the list; the failed one fetched; exit 1', async () => {
    const t = makeTestDeps();
    const api = fakeApi(t);
    const each = file('sites.ndjson', ndjson([{ site: 'a' }, { site: 'b', fail: true }, { site: 'c' }, { site: 'd' }]).replace('\n{"site":"c"}', '\n\n{"site":"c"}'));
    const r = await t.run(['wf', 'execute', WF, '--each', each, '-f', 'team=net', '-F', 'n=3', '--label', 'site', '--concurrency', '2']);
    expect(api.runs.map((x) => x.context)).toEqual([
      { site: 'a', team: 'net', n: 3 },
      { site: 'b', fail: true, team: 'net', n: 3 },
      { site: 'c', team: 'net', n: 3 },
      { site: 'd', team: 'net', n: 3 },
    ]);
    expect(r.code).toBe(1);
    // 4 launches, list polls, and one GET by id: the failed run, for its error and failing step
    expect(api.requests.filter((q) => q.startsWith('GET'))).toEqual(['GET fl_run_2']);
    expect(api.requests.filter((q) => q === 'POST')).toHaveLength(4);
    expect(r.stdout).toContain('▶ a  fl_run_1  started');
    expect(r.stdout).toMatch(/✖ b {2}fl_run_2 {2}failed in 7\.0s\n {4}error: the .{0,12}router.{0,12} said no\n/);
    expect(r.stdout).not.toContain('\u001b[31m');
    expect(r.stdout).toContain('failing step: n1 (webhook)');
    expect(r.stdout).toMatch(/LABEL +RUN +OUTCOME +DURATION +EXIT\n/);
    expect(r.stdout).toMatch(/4 runs: 3 completed, 1 failed · exit 1\n$/);
  });

  it('in GitHub Actions: a group per run, an error annotation for the failed one, run-ids in $GITHUB_OUTPUT, and --junit with a suite per run', async () => {
    const env = { ALTO_API_URL: 'https://api.test', ALTO_TOKEN: 'wfk_test_token_123456', ALTO_CONFIG_DIR: '/nonexistent/alto-test-config', CI: 'true', GITHUB_ACTIONS: 'true', GITHUB_OUTPUT: '/gh/output', GITHUB_STEP_SUMMARY: '/gh/summary' };
    const t = makeTestDeps({ env });
    fakeApi(t);
    const r = await t.run(['wf', 'execute', WF, '--each', file('gh.ndjson', ndjson([{ site: 'a' }, { site: 'b', fail: true }])), '--label', 'site', '--junit', '/gh/report.xml']);
    expect(r.code).toBe(1);
    expect(r.stdout.match(/^::group::/gm)).toHaveLength(2);
    expect(r.stdout.match(/^::error /gm)).toHaveLength(1);
    expect(t.files.get('/gh/output')).toMatch(/run-ids<<|run-ids=/);
    expect(t.files.get('/gh/output')).toContain('fl_run_1');
    expect(t.files.get('/gh/output')).toContain('fl_run_2');
    expect(t.files.get('/gh/summary')).toMatch(/fl\\?_run\\?_2/);
    expect(t.files.get('/gh/report.xml')?.match(/<testsuite /g)).toHaveLength(2);
  });

  it('in GitHub Actions: a line whose launch was refused is an annotation and a JUnit <error> carrying the refusal', async () => {
    const env = { ALTO_API_URL: 'https://api.test', ALTO_TOKEN: 'wfk_test_token_123456', ALTO_CONFIG_DIR: '/nonexistent/alto-test-config', CI: 'true', GITHUB_ACTIONS: 'true', GITHUB_OUTPUT: '/gh/output', GITHUB_STEP_SUMMARY: '/gh/summary' };
    const t = makeTestDeps({ env });
    fakeApi(t, { byId: false });
    const r = await t.run(['wf', 'execute', WF, '--each', file('gh-reject.ndjson', ndjson([{ site: 'a' }, { site: 'b', reject: 'region' }])), '--label', 'site', '--junit', '/gh/reject.xml']);
    expect(r.code).toBe(2);
    const annotation = r.stdout.split('\n').find((l) => l.startsWith('::error '));
    expect(annotation).toMatch(/^::error title=fl_1%3A \[b\] could not start a run::.*context\.region is required/);
    expect(r.stdout).toContain('::group::fl_1 [b] (no run started)');
    const xml = t.files.get('/gh/reject.xml') ?? '';
    expect(xml).toMatch(/<error message="could not start a run: [^"]*context\.region is required[^"]*" type="launch_failed">/);
    expect(r.stdout + xml).not.toContain('does not know');
    expect(t.files.get('/gh/output')).toContain('status=launch_failed\n');
    expect(t.files.get('/gh/summary')).toContain('| 2 | b | fl\\_1 | \\- | ❌ launch\\_failed | 2 |');
  });

  it('--json: one document with every run (with its logs) and the summary', async () => {
    const t = makeTestDeps();
    fakeApi(t);
    const r = await t.run(['wf', 'execute', WF, '--each', file('two.json', '[\n{"x": 1},\n\n{"x": 2, "fail": true}\n]\n'), '--json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { runs: Array<Record<string, unknown>>; summary: Record<string, unknown> };
    // without --label, a run is named by the line its context starts on
    expect(doc.runs.map((x) => [x.index, x.label, x.run_id, x.outcome, x.exit_code])).toEqual([
      [0, '#2', 'fl_run_1', 'completed', 0],
      [1, '#4', 'fl_run_2', 'failed', 1],
    ]);
    expect((doc.runs[0]!.run as WorkflowRun).logs).toHaveLength(1);
    expect(doc.summary).toMatchObject({ total: 2, done: 2, failed: 1, not_started: 0, exit_code: 1, outcomes: { completed: 1, failed: 1 } });
  });

  it('--verbose: each run fetched at its end, its step logs printed prefixed by its label', async () => {
    const t = makeTestDeps();
    const api = fakeApi(t);
    const r = await t.run(['wf', 'execute', WF, '--each', file('v.ndjson', ndjson([{ s: 'x' }, { s: 'y' }])), '--label', 's', '--verbose']);
    expect(r.code).toBe(0);
    expect(api.requests.filter((q) => q.startsWith('GET '))).toEqual(['GET fl_run_1', 'GET fl_run_2']);
    expect(r.stdout).toMatch(/\n {2}\[x\] .*n1 .*webhook/);
    expect(r.stdout).toMatch(/\n {2}\[y\] .*n1 .*webhook/);
  });

  it('--output ndjson: events carry index and label, then one summary', async () => {
    const t = makeTestDeps();
    fakeApi(t, { byId: false });
    const r = await t.run(['wf', 'execute', WF, '--each', file('n.ndjson', ndjson([{ s: 'x' }, { s: 'y' }])), '--label', 's', '--output', 'ndjson']);
    expect(r.code).toBe(0);
    const events = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events.every((e) => e.type === 'summary' || (typeof e.index === 'number' && typeof e.label === 'string'))).toBe(true);
    expect(events.filter((e) => e.type === 'result').map((e) => [e.label, e.exit_code])).toEqual([['x', 0], ['y', 0]]);
    expect(events.at(-1)).toMatchObject({ type: 'summary', total: 2, exit_code: 0 });
    expect(events.filter((e) => e.type === 'summary')).toHaveLength(1);
  });

  it('-q: the run ids as they start, nothing else on stdout', async () => {
    const t = makeTestDeps();
    fakeApi(t);
    const r = await t.run(['wf', 'execute', WF, '--each', file('q.ndjson', ndjson([{}, {}, { fail: true }])), '-q']);
    expect(r.stdout).toBe('fl_run_1\nfl_run_2\nfl_run_3\n');
    expect(r.stderr).toMatch(/^alto: #3 \(run fl_run_3\): failed: /);
    expect(r.code).toBe(1);
  });

  it('--idempotency-key: the same key and lines give the same keys, so a re-run starts nothing new', async () => {
    const t = makeTestDeps();
    const api = fakeApi(t, { byId: false });
    const each = file('k.ndjson', ndjson([{ a: 1 }, { a: 2 }]));
    expect((await t.run(['wf', 'execute', WF, '--each', each, '--idempotency-key', 'job-1', '-q'])).code).toBe(0);
    expect((await t.run(['wf', 'execute', WF, '--each', each, '--idempotency-key', 'job-1', '-q'])).code).toBe(0);
    expect(api.runs).toHaveLength(2);
    // an edited line gets a new key: one new run
    fs.writeFileSync(each, ndjson([{ a: 1 }, { a: 3 }]));
    expect((await t.run(['wf', 'execute', WF, '--each', each, '--idempotency-key', 'job-1', '-q'])).stdout).toBe('fl_run_1\nfl_run_3\n');
    expect(api.runs).toHaveLength(3);
  });

  it("a replayed key of another workflow's run: that line is exit 2, nothing followed", async () => {
    const t = makeTestDeps();
    t.api
      .intercept({ path: `/workflows/${WF}/execute`, method: 'POST' })
      .reply(200, { id: 'fl_run_other', status: 'completed', workflow_id: 'fl_2' }, JSON_HEADERS);
    const r = await t.run(['wf', 'execute', WF, '--each', file('o.ndjson', ndjson([{}])), '--idempotency-key', 'k']);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/could not start\n {4}error: the API answered with run fl_run_other of workflow fl_2/);
  });

  it('--fail-fast: after the first failure no more are started; the summary lists them', async () => {
    const t = makeTestDeps();
    const api = fakeApi(t);
    const r = await t.run(['wf', 'execute', WF, '--each', file('ff.ndjson', ndjson([{ fail: true }, {}, {}, {}])), '--concurrency', '1', '--fail-fast']);
    expect(api.runs).toHaveLength(1);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/4 runs: 1 failed, 3 not started · exit 1/);
  });

  it('a bad line: exit 2 naming FILE:LINE, nothing sent', async () => {
    const t = makeTestDeps();
    const lines = Array.from({ length: 30 }, (_, i) => (i === 22 ? '{"site": 23,' : JSON.stringify({ site: i + 1 })));
    const each = file('bad.ndjson', `${lines.join('\n')}\n`);
    const r = await t.run(['wf', 'execute', WF, '--each', each, '--label', 'site']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^alto: ${each.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:23: invalid JSON at column \\d+`));
    expect(r.stdout).toBe('');
    // no interceptor was declared: anything sent would have failed with a MockAgent error (exit 5)
  });

  it('a missing file, or stdin on a terminal: exit 2', async () => {
    const t = makeTestDeps({ io: { stdinTTY: true } });
    expect((await t.run(['wf', 'execute', WF, '--each', path.join(dir, 'nope.ndjson')])).stderr).toMatch(/cannot read --each file .*nope\.ndjson: no such file/);
    const r = await t.run(['wf', 'execute', WF, '--each', '-']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--each - reads stdin, but stdin is a terminal/);
  });

  it('--each - reads stdin', async () => {
    const t = makeTestDeps({ io: { stdin: ndjson([{ s: 1 }]) } });
    const api = fakeApi(t, { byId: false });
    expect((await t.run(['wf', 'execute', WF, '--each', '-', '-q'])).code).toBe(0);
    expect(api.runs.map((x) => x.context)).toEqual([{ s: 1 }]);
  });
});

describe('run watch a b c', () => {
  it('by id: one summary, the most severe code (not found 4 > failed 1)', async () => {
    const t = makeTestDeps();
    const api = fakeApi(t);
    await t.run(['wf', 'execute', WF, '--each', file('w.ndjson', ndjson([{}, { fail: true }])), '-q']);
    api.requests.length = 0;
    const r = await t.run(['run', 'watch', 'fl_run_1', 'fl_run_2', 'fl_run_9']);
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/RUN +OUTCOME +DURATION +EXIT\n/);
    expect(r.stdout).not.toMatch(/LABEL/);
    expect(r.stdout).toMatch(/3 runs: 1 completed, 1 failed, 1 lost contact · exit 4/);
  });

  it('with --workflow: through the run list, fetching by id only the failed one', async () => {
    const t = makeTestDeps();
    const api = fakeApi(t);
    await t.run(['wf', 'execute', WF, '--each', file('l.ndjson', ndjson([{}, { fail: true }, {}])), '-q']);
    api.requests.length = 0;
    const r = await t.run(['run', 'watch', 'fl_run_1', 'fl_run_2', 'fl_run_3', '--workflow', WF]);
    expect(r.code).toBe(1);
    expect(api.requests).toEqual(['LIST', 'GET fl_run_2']);
  });

  it('--workflow whose list cannot answer: falls back to polling each run', async () => {
    const t = makeTestDeps();
    const api = fakeApi(t, { list: false });
    await t.run(['wf', 'execute', WF, '--each', file('f.ndjson', ndjson([{}, {}])), '-q', '--concurrency', '2']);
    api.requests.length = 0;
    const r = await t.run(['run', 'watch', 'fl_run_1', 'fl_run_2', '--workflow', WF]);
    expect(r.code).toBe(0);
    expect(api.requests).toEqual(['LIST', 'GET fl_run_1', 'GET fl_run_2']);
  });
});
