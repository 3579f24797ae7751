import { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpClient, type HttpClientOptions } from '../../src/api/http-client.js';
import { asRun, asRunPage } from '../../src/api/shape.js';
import { type ApiClient, createApiClient } from '../../src/api/workflows-api.js';
import { NetworkError, RequestRejectedError, ResponseShapeError } from '../../src/errors.js';
import { watchRun, type WatchRunOptions } from '../../src/watch/engine.js';
import { exitCodeForWatch } from '../../src/watch/exit-code.js';
import { FakeClock } from '../helpers/fake-clock.js';

// A table of hostile answers over undici's MockAgent (no network), with the real client and a
// fake clock. Each row is a defect of issue 7 that must stay fixed.

const ORIGIN = 'https://api.test';
const TOKEN = 'wfk_hostile_token_0123456789';
const RUN = '/workflows/runs/fl_run_1';
const run = (extra: object = {}) => ({ id: 'fl_run_1', status: 'running', logs: [], ...extra });
const log = (id: string, status: string, node = id) => ({ id, node_id: node, status, created_at: '2025-10-31T12:00:00Z' });

interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

let agent: MockAgent;
let clock: FakeClock;
let notices: string[];
let debugLines: string[];
/** Clock times at which each request reached the mock server. */
let hits: number[];

function client(over: Partial<HttpClientOptions> = {}): ApiClient {
  return createApiClient(
    createHttpClient({
      baseUrl: ORIGIN,
      token: TOKEN,
      userAgent: 'alto/test',
      dispatcher: agent,
      clock,
      random: () => 0.5,
      requestTimeoutMs: 5000,
      retryBudgetMs: 20_000,
      notice: (l) => notices.push(l),
      debug: (l) => debugLines.push(l),
      ...over,
    }),
  );
}

/** Answers every request to `path` with `answer(n)` (n = 0, 1, ...), recording when it came. */
function serve(path: string, answer: (n: number) => Answer, method = 'GET') {
  let n = 0;
  agent
    .get(ORIGIN)
    .intercept({ path, method })
    .reply(() => {
      hits.push(clock.now());
      const a = answer(n++);
      const data = typeof a.body === 'string' ? a.body : JSON.stringify(a.body ?? {});
      return { statusCode: a.status, data, responseOptions: { headers: a.headers ?? {} } };
    })
    .persist();
}

/** Most requests in any window of `windowMs`. */
function maxInWindow(times: number[], windowMs: number): number {
  let best = 0;
  for (let i = 0; i < times.length; i += 1) {
    let j = i;
    while (j < times.length && (times[j] as number) - (times[i] as number) < windowMs) j += 1;
    best = Math.max(best, j - i);
  }
  return best;
}

beforeEach(() => {
  agent = new MockAgent();
  agent.disableNetConnect();
  clock = new FakeClock();
  notices = [];
  debugLines = [];
  hits = [];
});
afterEach(async () => {
  agent.assertNoPendingInterceptors();
  await agent.close();
});

describe('issue 7 item 6: 400/413/422 are the request\'s fault (exit 2); 409 is retried', () => {
  it.each([
    ['400 message', 400, { message: 'context must be an object' }, 'the API rejected the request (HTTP 400): context must be an object'],
    ['422 problem+json detail', 422, { type: 'about:blank', title: 'Unprocessable', detail: 'Idempotency-Key used for another workflow' }, 'the API rejected the request (HTTP 422): Idempotency-Key used for another workflow'],
    ['422 problem+json title only', 422, { title: 'Unprocessable Entity' }, 'the API rejected the request (HTTP 422): Unprocessable Entity'],
    ['413 no body', 413, '', 'the request is too large for the API (HTTP 413)'],
    ['422 multi-line reason with escapes', 422, { message: 'bad\n\u001b[31mnode\u202e x' }, 'the API rejected the request (HTTP 422): bad [31mnode x'],
  ])('%s', async (_name, status, body, message) => {
    serve('/workflows/fl_1/execute', () => ({ status, body }), 'POST');
    const err = (await client().executeWorkflow('fl_1', {}, 'k').catch((e: unknown) => e)) as RequestRejectedError;
    expect(err).toBeInstanceOf(RequestRejectedError);
    expect(err.exitCode).toBe(2);
    expect(err.status).toBe(status);
    expect(err.message).toBe(message);
    expect(hits).toHaveLength(1);
  });

  it('409 is retried with backoff for a keyed POST and a GET, not for a rerun', async () => {
    serve('/workflows/fl_1/execute', (n) => (n < 2 ? { status: 409, body: { message: 'in progress' } } : { status: 202, body: run() }), 'POST');
    expect((await client().executeWorkflow('fl_1', {}, 'k')).id).toBe('fl_run_1');
    serve(RUN, (n) => (n < 1 ? { status: 409 } : { status: 200, body: run() }));
    expect((await client().getRun('fl_run_1')).id).toBe('fl_run_1');
    expect(clock.sleeps).toEqual([375, 750, 375]);
    serve(`${RUN}/rerun`, () => ({ status: 409 }), 'POST');
    await expect(client().rerunRun('fl_run_1')).rejects.toMatchObject({ exitCode: 5 });
    expect(hits).toHaveLength(6);
  });
});

describe('issue 7 item 17: error bodies, pagination, launch replies, wrong runs', () => {
  it.each([
    ['valid JSON without message', { code: 'x_y' }, 'HTTP 500 from api.test'],
    ['an "error" string', { error: 'database down' }, 'HTTP 500 from api.test: database down'],
    ['an "error" object', { error: { message: 'queue full' } }, 'HTTP 500 from api.test: queue full'],
    ['a JSON array', [1, 2], 'HTTP 500 from api.test'],
    ['a message that is a number', { message: 42 }, 'HTTP 500 from api.test'],
    ['broken JSON', '{"message": "x', 'HTTP 500 from api.test (a truncated or malformed body)'],
  ])('%s', async (_name, body, message) => {
    serve('/workflows', () => ({ status: 500, body }));
    await expect(client().listWorkflows()).rejects.toMatchObject({ message, exitCode: 5 });
    expect(hits).toHaveLength(1);
  });

  it.each([-4, 0, 1.5, 1e23, '2', null, Number.MAX_SAFE_INTEGER + 2])('meta page %s is ignored, never a hint', async (bad) => {
    serve('/workflows/fl_1/executions?page=1', () => ({ status: 200, body: { data: [], meta: { current_page: bad, last_page: bad, total: 3 } } }));
    const page = await client().listRuns('fl_1', 1);
    expect(page.meta).toEqual({ total: 3 });
  });

  it('a last_page below current_page is ignored; good values are kept', async () => {
    serve('/workflows/fl_1/executions?page=1', (n) => ({ status: 200, body: { data: [], meta: n === 0 ? { current_page: 5, last_page: 2 } : { current_page: 1, last_page: 2 } } }));
    expect((await client().listRuns('fl_1', 1)).meta).toEqual({ current_page: 5 });
    expect((await client().listRuns('fl_1', 1)).meta).toEqual({ current_page: 1, last_page: 2 });
  });

  it('a bad page number is refused before anything is sent', async () => {
    await expect(client().listRuns('fl_1', 1e23)).rejects.toThrow('invalid page number: 1e+23');
    await expect(client().listRuns('fl_1', -1)).rejects.toMatchObject({ exitCode: 2 });
    expect(hits).toHaveLength(0);
  });

  it.each([
    ['logs an object', { logs: { a: 1 } }],
    ['logs with a bad entry', { logs: [42, { id: 'l' }] }],
    ['logs a string', { logs: 'none' }],
  ])('a launch reply with a good id and %s keeps the id', async (_name, extra) => {
    serve('/workflows/fl_1/execute', () => ({ status: 202, body: { id: 'fl_run_7', ...extra } }), 'POST');
    const r = await client().executeWorkflow('fl_1', {}, 'k');
    expect(r).toMatchObject({ id: 'fl_run_7', status: 'pending', logs: [] });
    serve('/workflows/runs/fl_run_7/rerun', () => ({ status: 202, body: { new_run: { id: 'fl_run_8', ...extra } } }), 'POST');
    expect((await client().rerunRun('fl_run_7')).new_run.id).toBe('fl_run_8');
  });

  it('a GET that returns another run is refused (exit 5, one clear line)', async () => {
    serve(RUN, () => ({ status: 200, body: run({ id: 'fl_run_2' }) }));
    const err = (await client().getRun('fl_run_1').catch((e: unknown) => e)) as ResponseShapeError;
    expect(err).toBeInstanceOf(ResponseShapeError);
    expect(err.exitCode).toBe(5);
    expect(err.message).toBe('the API sent a run alto cannot read: it is run fl_run_2, not the fl_run_1 alto asked for');
  });

  it('validators do not change their input', () => {
    const deepFreeze = <T>(v: T): T => {
      if (v && typeof v === 'object') {
        for (const x of Object.values(v)) deepFreeze(x);
        Object.freeze(v);
      }
      return v;
    };
    const input = deepFreeze({ id: 'fl_run_1', logs: [{ id: 'l1', status: 'error' }] });
    const out = asRun(input, { launched: true });
    expect(out).toMatchObject({ status: 'pending', logs: [{ id: 'l1', node_id: '?' }] });
    expect(input).toEqual({ id: 'fl_run_1', logs: [{ id: 'l1', status: 'error' }] });
    const page = deepFreeze({ data: [], meta: { current_page: -1 } });
    expect(asRunPage(page).meta).toEqual({});
    expect(page.meta.current_page).toBe(-1);
  });
});

describe('issue 7 item 9: Retry-After never defeats the backoff floor', () => {
  it.each(['0', '-5', 'soon', '0.0001', 'Thu, 01 Jan 1970 00:00:00 GMT', '-1e9', '1e400'])(
    'Retry-After: %s on every answer: each wait >= the floor, and a command stops within its budget',
    async (value) => {
      serve('/workflows', () => ({ status: 429, headers: { 'retry-after': value } }));
      await expect(client().listWorkflows()).rejects.toMatchObject({ exitCode: 5 });
      // equal jitter at 0.5: 375, 750, 1500, 3000, 6000 (the next, 11250, would pass 20 s)
      expect(clock.sleeps).toEqual([375, 750, 1500, 3000, 6000]);
      expect(hits.length).toBeLessThanOrEqual(6);
    },
  );

  it.each(['99999999999999999999', 'Fri, 31 Dec 9999 23:59:59 GMT'])('a huge Retry-After (%s) fails at once, saying so', async (value) => {
    serve('/workflows', () => ({ status: 429, headers: { 'retry-after': value } }));
    await expect(client().listWorkflows()).rejects.toThrow(/past alto's retry budget|rate limited/);
    expect(clock.sleeps).toEqual([]);
    expect(hits).toHaveLength(1);
  });

  it('a watch answered 429 with Retry-After: 0 for 5 minutes stays within its poll budget', async () => {
    serve(RUN, () => ({ status: 429, headers: { 'retry-after': '0' } }));
    const opts: WatchRunOptions = {
      runId: 'fl_run_1',
      initialRun: run() as never,
      timeoutMs: 65 * 60_000,
      intervalMs: 20_000, // a budget of 3 requests a minute
      maxOutageMs: 5 * 60_000,
      signal: new AbortController().signal,
    };
    const result = await watchRun(client(), clock, opts);
    expect(result.outcome).toBe('lost_contact');
    expect(maxInWindow(hits, 60_000)).toBeLessThanOrEqual(3);
    expect(hits.length).toBeLessThanOrEqual(3 * 5 + 1);
    expect(hits.length).toBeGreaterThan(5);
  });

  it('a watch waits out a Retry-After before its next request', async () => {
    serve(RUN, (n) => (n === 2 ? { status: 429, headers: { 'retry-after': '10' } } : { status: 200, body: run(n >= 4 ? { status: 'completed' } : {}) }));
    const result = await watchRun(client(), clock, {
      runId: 'fl_run_1',
      timeoutMs: 60_000,
      intervalMs: 2000,
      maxOutageMs: 60_000,
      signal: new AbortController().signal,
    });
    expect(result.outcome).toBe('completed');
    expect((hits[3] as number) - (hits[2] as number)).toBeGreaterThanOrEqual(10_000);
  });
});

describe('issue 7 item 10: a bounded response body', () => {
  it.each([
    ['streamed', {}],
    ['declared by content-length', { 'content-length': '5000' }],
  ])('a body over the cap (%s) is exit 5 naming the limit, not "lost the connection"', async (_name, headers) => {
    serve('/workflows', () => ({ status: 200, body: 'x'.repeat(5000), headers }));
    const err = (await client({ maxBodyBytes: 1024 }).listWorkflows().catch((e: unknown) => e)) as NetworkError;
    expect(err).toBeInstanceOf(NetworkError);
    expect(err.exitCode).toBe(5);
    expect(err.message).toBe("the answer from api.test is larger than alto's limit of 1 KiB; reading stopped");
    expect(hits).toHaveLength(1); // not retried
  });

  it('a body at the cap is read', async () => {
    const body = JSON.stringify([{ id: 'w', name: 'x'.repeat(100) }]);
    serve('/workflows', () => ({ status: 200, body }));
    expect(await client({ maxBodyBytes: body.length }).listWorkflows()).toHaveLength(1);
  });
});

describe('issue 7 item 15: --debug redacts short tokens too', () => {
  it.each(['a', 'Zq', 'k9x'])('token %j never appears in debug lines (URL, headers, body)', async (token) => {
    serve('/workflows', () => ({ status: 200, body: [{ id: `w${token}w`, name: `echo ${token}` }] }));
    await client({ token, baseUrl: ORIGIN }).listWorkflows();
    expect(debugLines.length).toBeGreaterThan(3);
    for (const line of debugLines) expect(line).not.toContain(token);
  });
});

describe('issue 7 item 16: the first retry is said; a TLS mismatch is not retried', () => {
  const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });

  it('a refused connection says so at the first retry, once per request', async () => {
    agent.get(ORIGIN).intercept({ path: '/workflows', method: 'GET' }).replyWithError(refused()).times(3);
    agent.get(ORIGIN).intercept({ path: '/workflows', method: 'GET' }).reply(200, []);
    await client().listWorkflows();
    expect(notices).toEqual(['cannot reach api.test: connection refused; retrying']);
    expect(clock.sleeps[0]).toBe(375);
  });

  it('a caller that shows retries itself (a watch) gets no second line', async () => {
    agent.get(ORIGIN).intercept({ path: RUN, method: 'GET' }).replyWithError(refused());
    agent.get(ORIGIN).intercept({ path: RUN, method: 'GET' }).reply(200, run());
    const seen: number[] = [];
    await client().getRun('fl_run_1', { onRetry: (i) => seen.push(i.attempt) });
    expect(seen).toEqual([1]);
    expect(notices).toEqual([]);
  });

  it.each([
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'ssl3_get_record:wrong version number'],
    ['EPROTO', 'write EPROTO'],
  ])('%s is not retried and asks whether the server speaks https', async (code, message) => {
    agent.get(ORIGIN).intercept({ path: '/workflows', method: 'GET' }).replyWithError(Object.assign(new Error(message), { code }));
    const err = (await client().listWorkflows().catch((e: unknown) => e)) as NetworkError;
    expect(err.message).toBe(`TLS handshake failed with api.test (${code}): is the server speaking https?`);
    expect(clock.sleeps).toEqual([]);
    expect(notices).toEqual([]);
  });

  it('a socket closed during the TLS handshake (a plain-HTTP server hanging up on a ClientHello) is not retried', async () => {
    // Node's own error for it: ECONNRESET with these words (what undici passes on from tls.connect).
    const closed = Object.assign(new Error('Client network socket disconnected before secure TLS connection was established'), { code: 'ECONNRESET' });
    agent.get(ORIGIN).intercept({ path: '/workflows', method: 'GET' }).replyWithError(closed);
    const err = (await client().listWorkflows().catch((e: unknown) => e)) as NetworkError;
    expect(err).toBeInstanceOf(NetworkError);
    expect(err.message).toBe('TLS handshake with api.test failed: the connection closed before it completed; is the server speaking https?');
    expect(clock.sleeps).toEqual([]);
    expect(notices).toEqual([]);
  });

  it('a handshake closed by a host that has already answered this client (it speaks https) is retried', async () => {
    const closed = Object.assign(new Error('Client network socket disconnected before secure TLS connection was established'), { code: 'ECONNRESET' });
    agent.get(ORIGIN).intercept({ path: '/workflows', method: 'GET' }).reply(200, []);
    agent.get(ORIGIN).intercept({ path: '/workflows', method: 'GET' }).replyWithError(closed);
    agent.get(ORIGIN).intercept({ path: '/workflows', method: 'GET' }).reply(200, []);
    const c = client();
    await c.listWorkflows();
    expect(await c.listWorkflows()).toEqual([]);
    expect(clock.sleeps).toHaveLength(1);
    expect(notices).toEqual(['lost the connection to api.test: closed during the TLS handshake; retrying']);
  });

  it.each([
    ['ECONNRESET', 'read ECONNRESET'],
    ['UND_ERR_SOCKET', 'other side closed'],
  ])('a connection lost after the handshake (%s) is still retried as a lost connection', async (code, message) => {
    agent.get(ORIGIN).intercept({ path: '/workflows', method: 'GET' }).replyWithError(Object.assign(new Error(message), { code }));
    agent.get(ORIGIN).intercept({ path: '/workflows', method: 'GET' }).reply(200, []);
    expect(await client().listWorkflows()).toEqual([]);
    expect(clock.sleeps).toHaveLength(1);
    expect(notices).toEqual(['lost the connection to api.test: connection closed before the answer was complete; retrying']);
  });
});

describe('issue 7 items 5 and 17: --strict and counts over every log seen', () => {
  const watch = (answers: object[]) => {
    serve(RUN, (n) => ({ status: 200, body: answers[Math.min(n, answers.length - 1)] }));
    return watchRun(client(), clock, {
      runId: 'fl_run_1',
      timeoutMs: 60_000,
      intervalMs: 2000,
      maxOutageMs: 60_000,
      signal: new AbortController().signal,
    });
  };

  it('an error step a later answer no longer lists still fails --strict', async () => {
    const result = await watch([run({ logs: [log('l1', 'error')] }), run({ status: 'completed', logs: [log('l2', 'success')] })]);
    expect(result.outcome).toBe('completed');
    expect(exitCodeForWatch(result, { strict: true })).toBe(1);
    expect(exitCodeForWatch(result, { strict: false })).toBe(0);
  });

  it('duplicate log ids count once', async () => {
    const dup = [log('l1', 'error'), log('l1', 'error'), log('l2', 'success'), log('l1', 'error')];
    const result = await watch([run({ logs: dup }), run({ status: 'completed', logs: dup })]);
    expect(result.stepErrors).toBe(1);
  });
});

describe('watch deadlines through the real client', () => {
  const refused = () => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });

  it('an API never reached gets the 20 s budget of any command, not the 5 min outage budget', async () => {
    agent.get(ORIGIN).intercept({ path: RUN, method: 'GET' }).replyWithError(refused()).persist();
    const start = clock.now();
    const result = await watchRun(client(), clock, { runId: 'fl_run_1', timeoutMs: 3_600_000, intervalMs: 2000, maxOutageMs: 300_000, signal: new AbortController().signal });
    expect(result.outcome).toBe('lost_contact');
    expect(clock.now() - start).toBeLessThanOrEqual(20_000);
    expect(clock.now() - start).toBeGreaterThan(10_000);
  });

  it('an outage that reaches --timeout is a timeout, not lost contact', async () => {
    let n = 0;
    agent.get(ORIGIN).intercept({ path: RUN, method: 'GET' }).reply(() => (n++ < 3 ? { statusCode: 200, data: JSON.stringify(run()) } : { statusCode: 503, data: '' })).persist();
    const start = clock.now();
    const result = await watchRun(client(), clock, { runId: 'fl_run_1', timeoutMs: 30_000, intervalMs: 2000, maxOutageMs: 300_000, signal: new AbortController().signal });
    expect(result.outcome).toBe('timeout');
    expect(result.error?.exitCode).toBe(5);
    expect(clock.now() - start).toBeLessThanOrEqual(30_000);
  });
});

// Found by the independent attack (branch attack): rows for defects fixed in src/api.
describe('attack: client-level rows', () => {
  it('a 200 body led by a UTF-8 byte-order mark is JSON (RFC 8259 lets a parser ignore it): one request, no retry', async () => {
    serve(RUN, () => ({ status: 200, body: `\ufeff${JSON.stringify(run({ status: 'completed' }))}` }));
    const got = await client().getRun('fl_run_1');
    expect(got.status).toBe('completed');
    expect(hits).toHaveLength(1);
    expect(notices).toEqual([]);
  });

  it.each([
    ['99999999', /asked to wait a day or more/],
    ['Fri, 31 Dec 9999 23:59:59 GMT', /asked to wait a day or more/],
    ['7200', /asked to wait 7200s/],
  ])('Retry-After %s past the budget: the message says what the API asked, not the clamp', async (retryAfter, said) => {
    serve(RUN, () => ({ status: 429, body: { message: 'slow down' }, headers: { 'retry-after': retryAfter } }));
    const err = (await client().getRun('fl_run_1').catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(said);
    expect(err.message).not.toMatch(/86400s/);
    expect(hits).toHaveLength(1);
  });

  it('an API error message with zero-width, BOM and tag characters (hidden text) reaches stderr without them', async () => {
    serve(RUN, () => ({ status: 404, body: { message: 'no\u200b such\ufeff run\u{e0041}\u{e0042} x\u2060y' } }));
    const err = (await client().getRun('fl_run_1').catch((e: unknown) => e)) as Error;
    expect(err.message).toBe('not found: no such run xy');
  });
});

describe('review: a request body is serialized once per request, not on every retry', () => {
  it('a keyed POST answered 503, 503, 202: three tries send the same bytes, the context is stringified once', async () => {
    let serialized = 0;
    const context = { toJSON: () => ((serialized += 1), { big: 'x'.repeat(1000) }) };
    const sent: string[] = [];
    agent
      .get(ORIGIN)
      .intercept({ path: '/workflows/fl_1/execute', method: 'POST' })
      .reply((req) => {
        sent.push(String(req.body));
        return sent.length < 3 ? { statusCode: 503, data: '{}' } : { statusCode: 202, data: JSON.stringify(run()) };
      })
      .times(3);
    expect((await client().executeWorkflow('fl_1', context, 'k')).id).toBe('fl_run_1');
    expect(sent).toHaveLength(3);
    expect(new Set(sent)).toEqual(new Set([JSON.stringify({ context: { big: 'x'.repeat(1000) } })]));
    expect(serialized).toBe(1);
  });
});
