// wf list/get/execute/runs through the real program and the real client over a strict MockAgent.
import { describe, expect, it } from 'vitest';
import { TerminatedError } from '../../../src/commands/stop-reasons.js';
import { InterruptedError } from '../../../src/errors.js';
import { assertNoPendingAfterEach, makeTestDeps, TEST_TOKEN } from '../../helpers/test-deps.js';

assertNoPendingAfterEach();

const json = { 'content-type': 'application/json' };
const wf = (id: string, name = `flow ${id}`) => ({ id, name, is_active: true, nodes: [{ id: 'n1', type: 'manual_trigger' }], edges: [] });
const run = (id: string, status: string, extra: Record<string, unknown> = {}) => ({ id, workflow_id: 'fl_1', status, created_at: '2025-10-31T12:00:00Z', ...extra });
const log = (id: string, node: string, status = 'success') => ({ id, node_id: node, node_type: 'webhook', status, output: { ok: true } });

describe('wf list', () => {
  it('prints a table, or the array with --json', async () => {
    const t = makeTestDeps();
    t.api.intercept({ path: '/workflows', method: 'GET', headers: { authorization: `Bearer ${TEST_TOKEN}` } }).reply(200, [wf('fl_1', 'Alpha'), wf('fl_2', 'Beta')], { headers: json }).times(2);
    const text = await t.run(['wf', 'list']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/fl_1\s+Alpha/);
    expect(text.stdout).toMatch(/fl_2\s+Beta/);
    const j = await t.run(['wf', 'list', '--json']);
    expect(JSON.parse(j.stdout).map((w: { id: string }) => w.id)).toEqual(['fl_1', 'fl_2']);
  });

  it.each([
    [401, 3],
    [403, 3],
    [404, 4],
    [503, 5],
  ])('HTTP %i → exit %i, one line on stderr, nothing on stdout', async (status, code) => {
    const t = makeTestDeps();
    t.api.intercept({ path: '/workflows', method: 'GET' }).reply(status, { message: 'no' }, { headers: json }).persist();
    const r = await t.run(['wf', 'list']);
    expect(r.code).toBe(code);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^alto: .+\n/m);
  });

  it('an empty list says so on stderr', async () => {
    const t = makeTestDeps();
    t.api.intercept({ path: '/workflows', method: 'GET' }).reply(200, [], { headers: json });
    expect(await t.run(['wf', 'list'])).toEqual({ code: 0, stdout: '', stderr: 'no workflows\n' });
  });
});

describe('wf get', () => {
  it('shows the workflow; --json is the document; 404 is exit 4', async () => {
    const t = makeTestDeps();
    t.api.intercept({ path: '/workflows/fl_1', method: 'GET' }).reply(200, wf('fl_1', 'Alpha'), { headers: json }).times(2);
    t.api.intercept({ path: '/workflows/fl_nope', method: 'GET' }).reply(404, { message: 'Not found' }, { headers: json });
    const r = await t.run(['wf', 'get', 'fl_1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Alpha');
    expect(r.stdout).toContain('n1');
    expect(JSON.parse((await t.run(['wf', 'get', 'fl_1', '--json'])).stdout).id).toBe('fl_1');
    expect((await t.run(['wf', 'get', 'fl_nope'])).code).toBe(4);
  });
});

describe('wf execute', () => {
  it('sends the merged context with the bearer token and a UUID Idempotency-Key; prints the id', async () => {
    const t = makeTestDeps({ io: { stdin: '{"a":{"b":1},"keep":true}' } });
    let body = '';
    let key = '';
    t.api
      .intercept({ path: '/workflows/fl_1/execute', method: 'POST', headers: { authorization: `Bearer ${TEST_TOKEN}` } })
      .reply(201, (o) => ((body = String(o.body)), (key = String((o.headers as Record<string, string>)['idempotency-key'])), run('r1', 'pending')), { headers: json });
    const r = await t.run(['wf', 'execute', 'fl_1', '--context', '-', '-f', 'a.b=2', '-F', 'n=3', '-q']);
    expect(r).toEqual({ code: 0, stdout: 'r1\n', stderr: '' });
    expect(JSON.parse(body)).toEqual({ context: { a: { b: '2' }, keep: true, n: 3 } });
    expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('the same --idempotency-key gives the same header twice', async () => {
    const t = makeTestDeps();
    const keys: string[] = [];
    t.api
      .intercept({ path: '/workflows/fl_1/execute', method: 'POST' })
      .reply(201, (o) => (keys.push(String((o.headers as Record<string, string>)['idempotency-key'])), run('r1', 'pending')), { headers: json })
      .times(2);
    await t.run(['wf', 'execute', 'fl_1', '-q', '--idempotency-key', 'job-1']);
    await t.run(['wf', 'execute', 'fl_1', '-q', '--idempotency-key', 'job-1']);
    expect(keys[0]).toBe(keys[1]);
  });

  it.each([
    ['completed', [log('l1', 'n1'), log('l2', 'n2')], [], 0],
    ['failed', [log('l1', 'n1', 'error')], [], 1],
    ['completed', [log('l1', 'n1'), log('l2', 'n2', 'error')], ['--strict'], 1],
    ['completed', [log('l1', 'n1'), log('l2', 'n2', 'error')], [], 0],
  ])('--watch to %s (%j, %j) → exit %i', async (status, logs, flags, code) => {
    const t = makeTestDeps();
    t.api.intercept({ path: '/workflows/fl_1/execute', method: 'POST' }).reply(201, run('r1', 'pending'), { headers: json });
    t.api.intercept({ path: '/workflows/runs/r1', method: 'GET' }).reply(200, run('r1', 'running', { logs: logs.slice(0, 1) }), { headers: json });
    t.api.intercept({ path: '/workflows/runs/r1', method: 'GET' }).reply(200, run('r1', status, { logs, ...(status === 'failed' ? { error_message: 'Webhook said 503' } : {}) }), { headers: json });
    const r = await t.run(['wf', 'execute', 'fl_1', '--watch', ...flags]);
    expect(r.code).toBe(code);
    expect(r.stdout).toContain(status);
    for (const l of logs) expect(r.stdout).toContain(l.node_id);
    if (status === 'failed') expect(r.stdout).toContain('Webhook said 503');
    // The poll waited on the fake clock, not for real.
    expect(t.clock.sleeps.length).toBeGreaterThan(0);
  });

  it('--watch --json prints only the final run', async () => {
    const t = makeTestDeps();
    t.api.intercept({ path: '/workflows/fl_1/execute', method: 'POST' }).reply(201, run('r1', 'pending'), { headers: json });
    t.api.intercept({ path: '/workflows/runs/r1', method: 'GET' }).reply(200, run('r1', 'completed', { logs: [log('l1', 'n1')] }), { headers: json });
    const r = await t.run(['wf', 'execute', 'fl_1', '-w', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ id: 'r1', status: 'completed' });
  });

  it('the API answering with a run of another workflow (a reused key) is exit 2 and is not followed', async () => {
    const t = makeTestDeps();
    t.api.intercept({ path: '/workflows/fl_1/execute', method: 'POST' }).reply(200, run('r_old', 'completed', { workflow_id: 'fl_other' }), { headers: json });
    // No GET interceptor: following the run would fail the strict agent.
    const r = await t.run(['wf', 'execute', 'fl_1', '--idempotency-key', 'ci-88', '--watch']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^alto: the API answered with run r_old of workflow fl_other: this Idempotency-Key was already used for it/);
    expect(r.stdout).toBe('');
  });

  it('a replayed run of the same workflow is followed, with a notice', async () => {
    const t = makeTestDeps();
    t.api.intercept({ path: '/workflows/fl_1/execute', method: 'POST' }).reply(200, run('r_old', 'completed', { started_at: '2025-10-30T08:00:00Z' }), { headers: json });
    const r = await t.run(['wf', 'execute', 'fl_1', '--idempotency-key', 'ci-88']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/re-attached to run r_old started at 2025-10-30T08:00:00Z, Idempotency-Key reused/);
  });

  it.each([
    [401, 3],
    [404, 4],
    [422, 2],
    [503, 5],
  ])('HTTP %i on execute → exit %i', async (status, code) => {
    const t = makeTestDeps();
    t.api.intercept({ path: '/workflows/fl_1/execute', method: 'POST' }).reply(status, { message: 'nope' }, { headers: json }).persist();
    const r = await t.run(['wf', 'execute', 'fl_1']);
    expect(r.code).toBe(code);
    expect(r.stdout).toBe('');
  });

  it.each([
    [['wf', 'execute', 'fl_1', '--context', '/nonexistent/ctx.json'], /cannot read context file \/nonexistent\/ctx.json: no such file/],
    [['wf', 'execute', 'fl_1', '-F', 'a'], /./],
    [['wf', 'execute', 'fl_1', '--strict'], /--strict has no effect without --watch/],
  ])('%j is exit 2 with nothing sent', async (argv, message) => {
    const t = makeTestDeps();
    const r = await t.run(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('--context - on a terminal stdin is exit 2', async () => {
    const t = makeTestDeps({ io: { stdinTTY: true } });
    const r = await t.run(['wf', 'execute', 'fl_1', '--context', '-']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/stdin is a terminal/);
  });
});

describe('wf runs', () => {
  const page = (n: number, last: number, ids: string[]) => ({ data: ids.map((id) => run(id, 'completed')), links: {}, meta: { current_page: n, last_page: last } });

  it('one page, with a hint for the next', async () => {
    const t = makeTestDeps();
    t.api.intercept({ path: '/workflows/fl_1/executions?page=1', method: 'GET' }).reply(200, page(1, 2, ['r1', 'r2']), { headers: json });
    const r = await t.run(['wf', 'runs', 'fl_1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/r1[\s\S]*r2/);
    expect(r.stderr).toContain('next: alto workflow runs fl_1 --page 2 (or --all)');
  });

  it('--page N reads that page', async () => {
    const t = makeTestDeps();
    t.api.intercept({ path: '/workflows/fl_1/executions?page=2', method: 'GET' }).reply(200, page(2, 2, ['r3']), { headers: json });
    const r = await t.run(['wf', 'runs', 'fl_1', '--page', '2', '--json']);
    expect(JSON.parse(r.stdout).map((x: { id: string }) => x.id)).toEqual(['r3']);
  });

  it('--all follows every page', async () => {
    const t = makeTestDeps();
    t.api.intercept({ path: '/workflows/fl_1/executions?page=1', method: 'GET' }).reply(200, page(1, 3, ['r1', 'r2']), { headers: json });
    t.api.intercept({ path: '/workflows/fl_1/executions?page=2', method: 'GET' }).reply(200, page(2, 3, ['r3']), { headers: json });
    t.api.intercept({ path: '/workflows/fl_1/executions?page=3', method: 'GET' }).reply(200, page(3, 3, ['r4']), { headers: json });
    const r = await t.run(['wf', 'runs', 'fl_1', '--all', '--json']);
    expect(JSON.parse(r.stdout).map((x: { id: string }) => x.id)).toEqual(['r1', 'r2', 'r3', 'r4']);
  });

  it('--limit stops reading pages once it has enough', async () => {
    const t = makeTestDeps();
    t.api.intercept({ path: '/workflows/fl_1/executions?page=1', method: 'GET' }).reply(200, page(1, 3, ['r1', 'r2']), { headers: json });
    t.api.intercept({ path: '/workflows/fl_1/executions?page=2', method: 'GET' }).reply(200, page(2, 3, ['r3', 'r4']), { headers: json });
    // Page 3 is never asked for (the strict agent would fail on it).
    const r = await t.run(['wf', 'runs', 'fl_1', '--limit', '3', '--json']);
    expect(JSON.parse(r.stdout).map((x: { id: string }) => x.id)).toEqual(['r1', 'r2', 'r3']);
  });

  it('no runs says so on stderr', async () => {
    const t = makeTestDeps();
    t.api.intercept({ path: '/workflows/fl_1/executions?page=1', method: 'GET' }).reply(200, page(1, 1, []), { headers: json });
    expect(await t.run(['wf', 'runs', 'fl_1'])).toEqual({ code: 0, stdout: '', stderr: 'no runs for workflow fl_1\n' });
  });
});

describe('Ctrl-C or SIGTERM while the launch POST is in flight', () => {
  /** A server that receives the POST, then the user stops alto before the answer is read. */
  function stoppedDuring(path: string, reason: () => Error) {
    const controller = new AbortController();
    const t = makeTestDeps({ signal: controller.signal });
    const sent: string[] = [];
    t.api.intercept({ path, method: 'POST' }).reply((o) => {
      sent.push(String((o.headers as Record<string, string>)['idempotency-key'] ?? ''));
      controller.abort(reason());
      return { statusCode: 202, data: JSON.stringify({ id: 'fl_run_9', status: 'pending' }), responseOptions: { headers: json } };
    });
    return { t, sent };
  }

  it('execute: exit 130, a run may have started, how to find it and the exact key that re-attaches', async () => {
    const { t, sent } = stoppedDuring('/workflows/fl_1/execute', () => new InterruptedError());
    const r = await t.run(['wf', 'execute', 'fl_1', '--watch']);
    expect(r.code).toBe(130);
    expect(sent[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.stderr).toBe(
      'alto: interrupted while starting a run of fl_1: the request may have reached the API and a run may have started\n' +
        `  find it: alto wf runs fl_1; re-attach without starting a second run: the same command with --idempotency-key ${sent[0]}\n`,
    );
    expect(r.stdout).toBe('');
  });

  it('execute --idempotency-key under SIGTERM: exit 143, the same command re-attaches', async () => {
    const { t } = stoppedDuring('/workflows/fl_1/execute', () => new TerminatedError());
    const r = await t.run(['wf', 'execute', 'fl_1', '--idempotency-key', 'ci-7']);
    expect(r.code).toBe(143);
    expect(r.stderr).toMatch(/^alto: terminated \(SIGTERM\) while starting a run of fl_1: .*a run may have started\n {2}find it: alto wf runs fl_1; .*the same command \(same --idempotency-key\)\n$/);
  });

  it.each([
    [['run', 'rerun', 'fl_run_1'], '/workflows/runs/fl_run_1/rerun', 'rerun'],
    [['run', 'resume', 'fl_run_1', '--from', 'n1'], '/workflows/runs/fl_run_1/resume-from/n1', 'resume'],
  ])('%j: exit 130, a new run may have started, how to find it', async (argv, path, verb) => {
    const { t } = stoppedDuring(path, () => new InterruptedError());
    const r = await t.run(argv);
    expect(r.code).toBe(130);
    expect(r.stderr).toBe(
      `alto: interrupted while asking for the ${verb} of fl_run_1: the request may have reached the API and a new run may have started\n` +
        '  look before trying again: alto run get fl_run_1 names its workflow, and alto wf runs <workflow> lists the new run\n',
    );
  });
});
