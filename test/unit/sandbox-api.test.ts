import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.js';

const T0 = Date.parse('2025-10-31T12:00:00Z');
const KEY = '3f6c2b0e-8a51-4d3e-9b7a-0c2d4e6f8a10';
const open: Sandbox[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function start(opts: SandboxOptions = {}) {
  let t = T0;
  const clock = { now: () => t };
  const sb = await startSandbox({ clock, ...opts });
  open.push(sb);
  const api = (path: string, init: RequestInit = {}) =>
    fetch(sb.url + path, { ...init, headers: { authorization: `Bearer ${sb.token}`, ...(init.headers as Record<string, string>) } });
  const execute = (workflowId: string, body?: unknown, headers: Record<string, string> = {}) =>
    api(`/workflows/${workflowId}/execute`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
  return { sb, api, execute, advance: (ms: number) => (t += ms) };
}

function expectErrorShape(body: unknown, code?: string) {
  expect(body).toEqual({ type: expect.any(String), code: code ?? expect.any(String), message: expect.any(String), doc_url: expect.stringMatching(`errors/${code ?? ""}`) });
}

describe('sandbox API: auth and errors', () => {
  it('answers 401 with the API error body when the token is missing or wrong', async () => {
    const { sb } = await start({ token: 'secret-1' });
    const missing = await fetch(`${sb.url}/workflows`);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    expectErrorShape(await missing.json(), 'unauthenticated');
    const wrong = await fetch(`${sb.url}/workflows`, { headers: { authorization: 'Bearer secret-2' } });
    expect(wrong.status).toBe(401);
    const basic = await fetch(`${sb.url}/workflows`, { headers: { authorization: 'Basic secret-1' } });
    expect(basic.status).toBe(401);
    const ok = await fetch(`${sb.url}/workflows`, { headers: { authorization: 'bearer secret-1' } });
    expect(ok.status).toBe(200);
  });

  it('answers 404 for an unknown workflow, run or route, and 405 for a wrong method', async () => {
    const { api } = await start();
    const wf = await api('/workflows/fl_nope');
    expect(wf.status).toBe(404);
    expectErrorShape(await wf.json(), 'resource_missing');
    const run = await api('/workflows/runs/fl_run_nope');
    expect(run.status).toBe(404);
    expect(((await run.json()) as { message: string }).message).toContain('fl_run_nope');
    expect((await api('/workflows/fl_nope/execute', { method: 'POST' })).status).toBe(404);
    expect((await api('/nothing/here')).status).toBe(404);
    const wrongMethod = await api('/workflows/fl_demo_onboarding/execute');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
    expectErrorShape(await wrongMethod.json(), 'method_not_allowed');
  });

  it('answers 400 for a body that is not JSON, not an object, or whose context is not an object', async () => {
    const { sb, execute } = await start();
    for (const body of ['{not json', '[1,2]', '{"context": [1]}', '{"context": "x"}', '{"context": null}']) {
      const res = await execute('fl_demo_onboarding', body);
      expect(res.status, body).toBe(400);
      expectErrorShape(await res.json());
    }
    expect(sb.runsCreated()).toBe(0);
  });
});

describe('sandbox API: workflows', () => {
  it('lists workflows as a plain array without nodes or edges', async () => {
    const { api } = await start();
    const res = await api('/workflows');
    const list = (await res.json()) as Array<Record<string, unknown>>;
    expect(list.map((w) => w.id)).toEqual(['fl_demo_onboarding', 'fl_demo_failing', 'fl_demo_step_error', 'fl_demo_approval']);
    expect(list[0]).toMatchObject({ name: 'Customer Onboarding', is_active: true, schedule_type: 'manual', webhook_url: null });
    expect(list[0]).not.toHaveProperty('nodes');
    expect(list[0]?.created_at).toBe('2025-10-31T12:00:00.000000Z');
  });

  it('gets one workflow with nodes and edges derived from its steps', async () => {
    const { api } = await start();
    const wf = (await (await api('/workflows/fl_demo_onboarding')).json()) as Record<string, any>;
    expect(wf.nodes.map((n: any) => [n.id, n.type])).toEqual([
      ['n1', 'manual_trigger'],
      ['n2', 'http_request'],
      ['n3', 'send_email'],
      ['n4', 'slack_notify'],
    ]);
    expect(wf.nodes[0]).toEqual({ id: 'n1', type: 'manual_trigger', position: { x: 150, y: 250 }, data: { componentId: 'manual_trigger' } });
    expect(wf.edges).toEqual([
      { id: 'en1-n2', source: 'n1', target: 'n2' },
      { id: 'en2-n3', source: 'n2', target: 'n3' },
      { id: 'en3-n4', source: 'n3', target: 'n4' },
    ]);
  });
});

describe('sandbox API: execute and idempotency', () => {
  it('answers 202 with a pending run and unique fl_run_ ids', async () => {
    const { execute, sb } = await start();
    const res = await execute('fl_demo_onboarding', { context: { user_id: 'usr_1' } });
    expect(res.status).toBe(202);
    const run = (await res.json()) as Record<string, unknown>;
    expect(run).toEqual({
      id: expect.stringMatching(/^fl_run_[0-9a-z]{26}$/),
      status: 'pending',
      error_message: null,
      started_at: null,
      completed_at: null,
      duration_in_seconds: null,
      logs: [],
    });
    const second = (await (await execute('fl_demo_onboarding')).json()) as Record<string, unknown>;
    expect(second.id).not.toBe(run.id);
    expect(sb.runsCreated('fl_demo_onboarding')).toBe(2);
    expect(sb.runs[0]?.context).toEqual({ user_id: 'usr_1' });
  });

  it('returns the original run for a repeated Idempotency-Key and creates nothing new', async () => {
    const { execute, sb, advance } = await start();
    const first = (await (await execute('fl_demo_onboarding', { context: { a: 1 } }, { 'idempotency-key': KEY })).json()) as { id: string };
    advance(5000);
    const again = await execute('fl_demo_onboarding', { context: { a: 1 } }, { 'idempotency-key': KEY.toUpperCase() });
    expect(again.status).toBe(202);
    expect(((await again.json()) as { id: string }).id).toBe(first.id);
    expect(sb.runsCreated()).toBe(1);
    const other = (await (await execute('fl_demo_onboarding', {}, { 'idempotency-key': KEY.replace('3f', '4f') })).json()) as { id: string };
    expect(other.id).not.toBe(first.id);
    expect(sb.runsCreated()).toBe(2);
  });

  it('refuses an Idempotency-Key that is not a UUID with 422', async () => {
    const { execute, sb } = await start();
    const res = await execute('fl_demo_onboarding', {}, { 'idempotency-key': 'ci-job-42' });
    expect(res.status).toBe(422);
    expectErrorShape(await res.json(), 'invalid_idempotency_key');
    expect(sb.runsCreated()).toBe(0);
  });
});

describe('sandbox API: executions list', () => {
  it('pages runs newest first with absolute links, meta and no logs', async () => {
    const { execute, api, advance, sb } = await start({ perPage: 2 });
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      ids.push(((await (await execute('fl_demo_onboarding')).json()) as { id: string }).id);
      advance(1000);
    }
    await execute('fl_demo_failing'); // another workflow's run is not listed
    const page1 = (await (await api('/workflows/fl_demo_onboarding/executions')).json()) as any;
    const path = `${sb.url}/workflows/fl_demo_onboarding/executions`;
    expect(page1.data.map((r: any) => r.id)).toEqual([ids[4], ids[3]]);
    expect(page1.data[0]).not.toHaveProperty('logs');
    expect(page1.links).toEqual({ first: `${path}?page=1`, last: `${path}?page=3`, prev: null, next: `${path}?page=2` });
    expect(page1.meta).toEqual({ current_page: 1, from: 1, last_page: 3, path, per_page: 2, to: 2, total: 5 });
    const page3 = (await (await api('/workflows/fl_demo_onboarding/executions?page=3')).json()) as any;
    expect(page3.data.map((r: any) => r.id)).toEqual([ids[0]]);
    expect(page3.data[0]).toMatchObject({ status: 'completed', duration_in_seconds: 2.7 });
    expect(page3.links).toMatchObject({ prev: `${path}?page=2`, next: null });
    expect(page3.meta).toMatchObject({ current_page: 3, from: 5, to: 5 });
    const beyond = (await (await api('/workflows/fl_demo_onboarding/executions?page=9')).json()) as any;
    expect(beyond.data).toEqual([]);
    expect(beyond.meta).toMatchObject({ from: null, to: null, total: 5 });
  });

  it('answers an empty first page for a workflow without runs', async () => {
    const { api } = await start();
    const page = (await (await api('/workflows/fl_demo_approval/executions?page=abc')).json()) as any;
    expect(page.data).toEqual([]);
    expect(page.meta).toMatchObject({ current_page: 1, last_page: 1, total: 0, from: null, to: null });
    expect(page.links.next).toBeNull();
  });
});

describe('sandbox API: rerun and resume', () => {
  it('reruns with the same context and a new id', async () => {
    const { execute, api, advance, sb } = await start();
    const first = (await (await execute('fl_demo_onboarding', { context: { who: 'ada' } })).json()) as { id: string };
    const res = await api(`/workflows/runs/${first.id}/rerun`, { method: 'POST' });
    expect(res.status).toBe(202);
    const body = (await res.json()) as any;
    expect(body).toMatchObject({ message: expect.any(String), original_run_id: first.id, new_run: { status: 'pending', logs: [] } });
    expect(body.new_run.id).not.toBe(first.id);
    advance(10_000);
    const rerun = (await (await api(`/workflows/runs/${body.new_run.id}`)).json()) as any;
    expect(rerun.status).toBe('completed');
    expect(rerun.logs[0].output).toEqual({ trigger_type: 'manual', context: { who: 'ada' } });
    expect(sb.runs[1]).toMatchObject({ origin: 'rerun', original_run_id: first.id });
    expect((await api('/workflows/runs/fl_run_missing/rerun', { method: 'POST' })).status).toBe(404);
  });

  it('resumes only a failed run, only after a node that succeeded', async () => {
    const { execute, api, advance } = await start();
    const failing = (await (await execute('fl_demo_failing')).json()) as { id: string };
    const resume = (runId: string, node: string) => api(`/workflows/runs/${runId}/resume-from/${node}`, { method: 'POST' });
    const early = await resume(failing.id, 'n2');
    expect(early.status).toBe(422);
    expect(((await early.json()) as any).message).toMatch(/only a failed run/);
    advance(10_000);
    const errored = await resume(failing.id, 'n3');
    expect(errored.status).toBe(422);
    expect(((await errored.json()) as any).message).toMatch(/did not complete successfully/);
    expect((await resume(failing.id, 'n9')).status).toBe(422);
    const completed = await idOf(await execute('fl_demo_onboarding'));
    advance(10_000);
    expect((await resume(completed, 'n2')).status).toBe(422); // completed, not failed

    const res = await resume(failing.id, 'n2');
    expect(res.status).toBe(202);
    const body = (await res.json()) as any;
    expect(body).toEqual({ message: "Workflow resumed successfully from node 'n2'.", new_run: expect.objectContaining({ status: 'pending' }) });
    advance(10_000);
    const resumed = (await (await api(`/workflows/runs/${body.new_run.id}`)).json()) as any;
    expect(resumed.logs.map((l: any) => [l.node_id, l.status])).toEqual([['n3', 'success']]);
    expect(resumed.status).toBe('completed'); // the demo's retry variant: the outage was transient
  });
});

async function idOf(res: Response): Promise<string> {
  return ((await res.json()) as { id: string }).id;
}

describe('sandbox API: inspection', () => {
  it('records requests with headers as received and exposes them under /__sandbox without auth', async () => {
    const seen: string[] = [];
    const { execute, sb } = await start({ onRequest: (r) => seen.push(`${r.method} ${r.path} ${r.status}`) });
    await execute('fl_demo_onboarding', { context: { x: 1 } });
    await fetch(`${sb.url}/workflows?x=1`, { headers: { authorization: 'Bearer nope' } });
    expect(sb.requests).toHaveLength(2);
    expect(sb.requests[0]).toMatchObject({
      method: 'POST',
      path: '/workflows/fl_demo_onboarding/execute',
      body: '{"context":{"x":1}}',
      status: 202,
      fault: null,
      time: T0,
      duration_ms: 0,
    });
    expect(sb.requests[0]?.headers.authorization).toBe(`Bearer ${sb.token}`);
    expect(sb.requests[1]?.headers.authorization).toBe('Bearer nope');
    expect(seen).toEqual(['POST /workflows/fl_demo_onboarding/execute 202', 'GET /workflows?x=1 401']);

    const requests = (await (await fetch(`${sb.url}/__sandbox/requests`)).json()) as unknown[];
    expect(requests).toHaveLength(2);
    const runs = (await (await fetch(`${sb.url}/__sandbox/runs`)).json()) as any[];
    expect(runs).toEqual([expect.objectContaining({ workflow_id: 'fl_demo_onboarding', status: 'pending', origin: 'execute', context: { x: 1 } })]);
    expect((await fetch(`${sb.url}/__sandbox/reset`)).status).toBe(405);
    expect((await fetch(`${sb.url}/__sandbox/reset`, { method: 'POST' })).status).toBe(200);
    expect(sb.requests).toHaveLength(0);
    expect(sb.runsCreated()).toBe(0);
  });
});
