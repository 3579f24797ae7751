import { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../src/api/http-client.js';
import { type ApiClient, createApiClient } from '../../src/api/workflows-api.js';
import { ApiError, AuthError, NetworkError, NotFoundError, RequestRejectedError, ResponseShapeError } from '../../src/errors.js';
import { FakeClock } from '../helpers/fake-clock.js';

const ORIGIN = 'https://api.test';
const TOKEN = 'wfk_test_token_0123456789';
const run = (status: string, extra: object = {}) => ({ id: 'fl_run_1', status, logs: [], ...extra });


let agent: MockAgent;
let clock: FakeClock;
let debugLines: string[];
let api: ApiClient;
const pool = () => agent.get(ORIGIN);
const netError = (code: string) => Object.assign(new Error(`socket ${code}`), { code });

beforeEach(() => {
  agent = new MockAgent();
  agent.disableNetConnect();
  clock = new FakeClock();
  debugLines = [];
  api = createApiClient(
    createHttpClient({
      baseUrl: ORIGIN,
      token: TOKEN,
      userAgent: 'alto/1.2.3',
      dispatcher: agent,
      clock,
      random: () => 0.5,
      requestTimeoutMs: 5000,
      retryBudgetMs: 20_000,
      debug: (l) => debugLines.push(l),
    }),
  );
});
afterEach(async () => {
  agent.assertNoPendingInterceptors();
  await agent.close();
});

describe('requests', () => {
  it('sends the bearer token, User-Agent and JSON, and parses the run', async () => {
    let seen: Record<string, string> = {};
    let body = '';
    pool()
      .intercept({ path: '/workflows/fl_1/execute', method: 'POST' })
      .reply(202, (opts) => {
        seen = opts.headers as Record<string, string>;
        body = String(opts.body);
        return run('pending');
      });
    const result = await api.executeWorkflow('fl_1', { a: 1 }, '3f6c2b0e-8a51-4d3e-9b7a-0c2d4e6f8a10');
    expect(result.id).toBe('fl_run_1');
    expect(seen.authorization).toBe(`Bearer ${TOKEN}`);
    expect(seen['user-agent']).toBe('alto/1.2.3');
    expect(seen['content-type']).toBe('application/json');
    expect(seen['idempotency-key']).toBe('3f6c2b0e-8a51-4d3e-9b7a-0c2d4e6f8a10');
    expect(JSON.parse(body)).toEqual({ context: { a: 1 } });
  });

  it('escapes ids in paths', async () => {
    pool().intercept({ path: '/workflows/runs/a%2Fb', method: 'GET' }).reply(200, run('running', { id: 'a/b' }));
    expect((await api.getRun('a/b')).status).toBe('running');
  });

  it('keeps unknown fields and accepts a null logs array', async () => {
    pool().intercept({ path: '/workflows/runs/fl_run_1', method: 'GET' }).reply(200, { ...run('running'), logs: null, future: 1 });
    const r = await api.getRun('fl_run_1');
    expect(r.logs).toEqual([]);
    expect(r.future).toBe(1);
  });

  it('accepts a run or launch reply wrapped in "data", as Laravel resources are', async () => {
    pool().intercept({ path: '/workflows/runs/fl_run_1', method: 'GET' }).reply(200, { data: run('running') });
    expect((await api.getRun('fl_run_1')).status).toBe('running');
    pool().intercept({ path: '/workflows/runs/fl_run_1/rerun', method: 'POST' }).reply(202, { data: { message: 'ok', new_run: run('pending', { id: 'fl_run_2' }) } });
    expect((await api.rerunRun('fl_run_1')).new_run.id).toBe('fl_run_2');
    pool().intercept({ path: '/workflows/runs/fl_run_1/rerun', method: 'POST' }).reply(202, run('pending', { id: 'fl_run_3' }));
    expect((await api.rerunRun('fl_run_1')).new_run.id).toBe('fl_run_3');
  });

  it('a launch reply needs only the id (a missing status reads as pending); any other run needs its status', async () => {
    pool().intercept({ path: '/workflows/fl_1/execute', method: 'POST' }).reply(202, { id: 'fl_run_9' });
    expect(await api.executeWorkflow('fl_1', {}, 'k')).toMatchObject({ id: 'fl_run_9', status: 'pending' });
    pool().intercept({ path: '/workflows/runs/fl_run_9', method: 'GET' }).reply(200, { id: 'fl_run_9' });
    await expect(api.getRun('fl_run_9')).rejects.toThrow('no "status" for fl_run_9');
  });

  it('refuses ids with control characters and wrongly typed pages and graphs, in one line each', async () => {
    pool().intercept({ path: '/workflows/runs/x', method: 'GET' }).reply(200, { id: 'fl_run_\u001b[31m', status: 'running' });
    await expect(api.getRun('x')).rejects.toThrow('an "id" with spaces or control characters');
    // Invisible characters too: a command hint with that id could not be copied and run.
    for (const id of ['fl_run_1\u200b', 'fl_\ufeffrun', 'fl_run\u{e0041}']) {
      pool().intercept({ path: '/workflows/runs/x', method: 'GET' }).reply(200, { id, status: 'running' });
      await expect(api.getRun('x')).rejects.toThrow('an "id" with spaces or control characters');
    }
    pool().intercept({ path: '/workflows/fl_1/execute', method: 'POST' }).reply(202, { id: 'fl_run_日本😀' });
    expect((await api.executeWorkflow('fl_1', {}, 'k')).id).toBe('fl_run_日本😀');
    pool().intercept({ path: '/workflows/fl_1/executions?page=1', method: 'GET' }).reply(200, { data: [], meta: { current_page: '1' } });
    expect((await api.listRuns('fl_1', 1)).meta).toEqual({});
    pool().intercept({ path: '/workflows/fl_1/executions?page=1', method: 'GET' }).reply(200, { data: [], links: 'x' });
    await expect(api.listRuns('fl_1', 1)).rejects.toThrow(new ResponseShapeError('the API sent a page of runs alto cannot read: "links" is not an object'));
    pool().intercept({ path: '/workflows/fl_1', method: 'GET' }).reply(200, { id: 'fl_1', name: 'x', is_active: true, nodes: {} });
    await expect(api.getWorkflow('fl_1')).rejects.toThrow('"nodes" is not an array');
    pool().intercept({ path: '/workflows/fl_1', method: 'GET' }).reply(200, { id: 'fl_1', name: 'x', is_active: true, edges: [{ source: 'a' }] });
    await expect(api.getWorkflow('fl_1')).rejects.toThrow('an entry of "edges" has no "id"');
  });

  it('redacts the token in debug output', async () => {
    pool().intercept({ path: '/workflows', method: 'GET' }).reply(200, []);
    await api.listWorkflows();
    expect(debugLines.join('\n')).toContain('> GET https://api.test/workflows');
    expect(debugLines.join('\n')).toContain('authorization: Bearer ***');
    expect(debugLines.join('\n')).not.toContain(TOKEN);
  });
});

describe('typed errors', () => {
  it('401 and 403 are AuthError with the server message', async () => {
    pool().intercept({ path: '/workflows', method: 'GET' }).reply(401, { code: 'unauthenticated', message: 'A valid bearer token is required.' });
    const err = await api.listWorkflows().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect((err as Error).message).toBe('the API rejected the token (401: A valid bearer token is required.)');
    pool().intercept({ path: '/workflows', method: 'GET' }).reply(403, '');
    await expect(api.listWorkflows()).rejects.toBeInstanceOf(AuthError);
  });

  it('404 is NotFoundError', async () => {
    pool().intercept({ path: '/workflows/runs/nope', method: 'GET' }).reply(404, { message: 'No workflow run with that id was found.' });
    await expect(api.getRun('nope')).rejects.toThrow(new NotFoundError('not found: No workflow run with that id was found.'));
  });

  it('422 is the request\'s fault: exit 2 with the server message and code, not retried', async () => {
    pool().intercept({ path: '/workflows/runs/r/resume-from/n9', method: 'POST' }).reply(422, { code: 'invalid_node', message: 'Node n9 did not succeed.' });
    const err = (await api.resumeRun('r', 'n9').catch((e: unknown) => e)) as RequestRejectedError;
    expect(err).toBeInstanceOf(RequestRejectedError);
    expect(err.exitCode).toBe(2);
    expect(err.status).toBe(422);
    expect(err.message).toBe('the API rejected the request (HTTP 422): Node n9 did not succeed. (invalid_node)');
    expect(clock.sleeps).toEqual([]);
  });

  it('never shows gateway HTML', async () => {
    pool().intercept({ path: '/workflows', method: 'GET' }).reply(502, '<html><body><h1>502 Bad Gateway</h1></body></html>', { headers: { 'content-type': 'text/html' } }).times(20);
    const err = (await api.listWorkflows().catch((e: unknown) => e)) as ApiError;
    expect(err.message).toBe('HTTP 502 from api.test (an HTML page, likely from a gateway)');
    expect(err.message).not.toContain('<');
    agent.get(ORIGIN).cleanMocks();
  });

  it('a response missing fields alto needs is one clear error', async () => {
    pool().intercept({ path: '/workflows/runs/x', method: 'GET' }).reply(200, { status: 'running' });
    await expect(api.getRun('x')).rejects.toThrow(new ResponseShapeError('the API sent a run alto cannot read: no "id"'));
    pool().intercept({ path: '/workflows/runs/y', method: 'GET' }).reply(200, { id: 'y', status: 'running', logs: {} });
    await expect(api.getRun('y')).rejects.toThrow(/"logs" of y is not an array/);
  });
});

describe('retries', () => {
  it('retries a GET through 503, 429 with Retry-After and a reset, then succeeds', async () => {
    pool().intercept({ path: '/workflows/runs/fl_run_1', method: 'GET' }).reply(503, 'Service Unavailable');
    pool().intercept({ path: '/workflows/runs/fl_run_1', method: 'GET' }).reply(429, { message: 'Too many requests.' }, { headers: { 'retry-after': '7' } });
    pool().intercept({ path: '/workflows/runs/fl_run_1', method: 'GET' }).replyWithError(netError('ECONNRESET'));
    pool().intercept({ path: '/workflows/runs/fl_run_1', method: 'GET' }).reply(200, run('completed'));
    const retries: number[] = [];
    const r = await api.getRun('fl_run_1', { onRetry: (i) => retries.push(i.attempt) });
    expect(r.status).toBe('completed');
    expect(retries).toEqual([1, 2, 3]);
    // equal jitter at random()=0.5: 375, then Retry-After 7 s (+ jitter 125), then 1500
    expect(clock.sleeps).toEqual([375, 7125, 1500]);
  });

  it('retries a 200 whose body is not JSON (truncated or empty)', async () => {
    pool().intercept({ path: '/workflows/runs/fl_run_1', method: 'GET' }).reply(200, '{"id":"fl_run_1","sta');
    pool().intercept({ path: '/workflows/runs/fl_run_1', method: 'GET' }).reply(200, '');
    pool().intercept({ path: '/workflows/runs/fl_run_1', method: 'GET' }).reply(200, run('running'));
    expect((await api.getRun('fl_run_1')).status).toBe('running');
    expect(clock.sleeps).toHaveLength(2);
  });

  it('gives up when the budget is spent, with the last error', async () => {
    pool().intercept({ path: '/workflows', method: 'GET' }).reply(503, '').persist();
    const err = await api.listWorkflows().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(clock.sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(20_000);
    expect(clock.sleeps.length).toBeGreaterThan(3);
    agent.get(ORIGIN).cleanMocks();
  });

  it('a Retry-After longer than the budget fails at once, saying so', async () => {
    pool().intercept({ path: '/workflows', method: 'GET' }).reply(429, { message: 'Too many requests.' }, { headers: { 'retry-after': '600' } });
    await expect(api.listWorkflows()).rejects.toThrow(/asked to wait 600s, past alto's retry budget/);
    expect(clock.sleeps).toEqual([]);
  });

  it('a Retry-After past the budget of a plain command is still honoured, and said', async () => {
    const notices: string[] = [];
    const api2 = createApiClient(
      createHttpClient({ baseUrl: ORIGIN, token: TOKEN, userAgent: 'alto', dispatcher: agent, clock, random: () => 0, requestTimeoutMs: 5000, retryBudgetMs: 20_000, notice: (l) => notices.push(l) }),
    );
    pool().intercept({ path: '/workflows', method: 'GET' }).reply(429, { message: 'Too many requests.' }, { headers: { 'retry-after': '45' } });
    pool().intercept({ path: '/workflows', method: 'GET' }).reply(200, []);
    expect(await api2.listWorkflows()).toEqual([]);
    expect(clock.sleeps).toEqual([45_000]);
    expect(notices).toEqual(['rate limited from api.test: Too many requests.; waiting 45s as the API asked']);
  });

  it('no try outlives the caller\'s deadline: a hanging answer is cut at retryUntil', async () => {
    pool().intercept({ path: '/workflows/runs/fl_run_1', method: 'GET' }).reply(200, run('running')).delay(2000);
    const started = performance.now();
    // A real clock's time has fractions of a millisecond; timers take whole ones.
    const err = await api.getRun('fl_run_1', { retryUntil: clock.now() + 99.5 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect((err as NetworkError).message).toBe('no answer from api.test within 100ms');
    expect(performance.now() - started).toBeLessThan(1500);
    agent.get(ORIGIN).cleanMocks();
  });

  it('a watch deadline (retryUntil) replaces the default budget', async () => {
    pool().intercept({ path: '/workflows/runs/fl_run_1', method: 'GET' }).reply(503, '').persist();
    await expect(api.getRun('fl_run_1', { retryUntil: clock.now() + 120_000 })).rejects.toBeInstanceOf(ApiError);
    const waited = clock.sleeps.reduce((a, b) => a + b, 0);
    expect(waited).toBeGreaterThan(60_000);
    expect(waited).toBeLessThanOrEqual(120_000);
    agent.get(ORIGIN).cleanMocks();
  });

  it('execute is retried with the same Idempotency-Key on a reset and on 500', async () => {
    const keys: string[] = [];
    const capture = (status: number, body: object | string) => (opts: { headers?: unknown }) => {
      keys.push((opts.headers as Record<string, string>)['idempotency-key'] as string);
      return body;
    };
    pool().intercept({ path: '/workflows/fl_1/execute', method: 'POST' }).replyWithError(netError('ECONNRESET'));
    pool().intercept({ path: '/workflows/fl_1/execute', method: 'POST' }).reply(500, capture(500, { message: 'oops' }));
    pool().intercept({ path: '/workflows/fl_1/execute', method: 'POST' }).reply(202, capture(202, run('pending')));
    const r = await api.executeWorkflow('fl_1', {}, 'k-1');
    expect(r.id).toBe('fl_run_1');
    expect(keys).toEqual(['k-1', 'k-1']);
    expect(clock.sleeps).toHaveLength(2);
  });

  it('rerun is retried only when the request cannot have been sent', async () => {
    pool().intercept({ path: '/workflows/runs/r1/rerun', method: 'POST' }).replyWithError(netError('ECONNREFUSED'));
    pool().intercept({ path: '/workflows/runs/r1/rerun', method: 'POST' }).reply(202, { message: 'ok', new_run: run('pending', { id: 'fl_run_2' }) });
    expect((await api.rerunRun('r1')).new_run.id).toBe('fl_run_2');

    pool().intercept({ path: '/workflows/runs/r1/rerun', method: 'POST' }).replyWithError(netError('ECONNRESET'));
    const err = (await api.rerunRun('r1').catch((e: unknown) => e)) as NetworkError;
    expect(err).toBeInstanceOf(NetworkError);
    expect(err.message).toBe('lost the connection to api.test: connection closed before the answer was complete');
    pool().intercept({ path: '/workflows/runs/r1/rerun', method: 'POST' }).reply(503, '');
    await expect(api.rerunRun('r1')).rejects.toBeInstanceOf(ApiError);
    expect(clock.sleeps).toHaveLength(1);
  });

  it('names the host when it cannot be reached', async () => {
    pool().intercept({ path: '/workflows', method: 'GET' }).replyWithError(netError('ENOTFOUND')).persist();
    await expect(api.listWorkflows()).rejects.toThrow('cannot reach api.test: host not found');
    agent.get(ORIGIN).cleanMocks();
  });

  it('an abort stops the retries at once', async () => {
    const controller = new AbortController();
    pool().intercept({ path: '/workflows', method: 'GET' }).reply(503, '').persist();
    const reason = new Error('stop');
    const abortingClock = { now: () => clock.now(), sleep: async () => controller.abort(reason) };
    const api2 = createApiClient(
      createHttpClient({ baseUrl: ORIGIN, token: TOKEN, userAgent: 'alto', dispatcher: agent, clock: abortingClock, random: () => 0.5, requestTimeoutMs: 5000, retryBudgetMs: 20_000 }),
    );
    await expect(api2.listWorkflows({ signal: controller.signal })).rejects.toBe(reason);
    agent.get(ORIGIN).cleanMocks();
  });
});
