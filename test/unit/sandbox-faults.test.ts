import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { globToRegExp } from '../../src/sandbox/fault-injector.js';
import { formatFaultRule, parseFaultRule, startSandbox, type FaultRule, type Sandbox } from '../../src/sandbox/index.js';

const open: Sandbox[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function start(faults: FaultRule[]) {
  let t = Date.parse('2025-10-31T12:00:00Z');
  const sb = await startSandbox({ clock: { now: () => t }, faults });
  open.push(sb);
  const auth = { authorization: `Bearer ${sb.token}` };
  return { sb, auth, advance: (ms: number) => (t += ms), get: (path: string) => fetch(sb.url + path, { headers: auth }) };
}

interface RawResult {
  status?: number;
  headers?: Record<string, unknown>;
  body: string;
  complete: boolean;
  error?: NodeJS.ErrnoException;
}

/** A request over a fresh connection that reports what arrived, even when the socket dies. */
function raw(url: string, path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawResult> {
  return new Promise((resolve) => {
    const result: RawResult = { body: '', complete: false };
    const req = request(url + path, { method: opts.method ?? 'GET', headers: opts.headers, agent: false }, (res) => {
      result.status = res.statusCode;
      result.headers = res.headers;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (result.body += chunk));
      res.on('error', (err) => (result.error = err));
      res.on('close', () => {
        result.complete = res.complete;
        resolve(result);
      });
    });
    req.on('error', (err) => {
      result.error = err;
      resolve(result);
    });
    req.end(opts.body);
  });
}

describe('fault rule syntax', () => {
  it('parses MATCH=KIND[:k=v,...] and formats it back', () => {
    const rule = parseFaultRule('GET /workflows/runs/*=http_error:status=503,times=3');
    expect(rule).toEqual({ match: 'GET /workflows/runs/*', kind: 'http_error', status: 503, times: 3 });
    expect(formatFaultRule(rule)).toBe('GET /workflows/runs/*=http_error:status=503,times=3');
    expect(parseFaultRule('*=reset')).toEqual({ match: '*', kind: 'reset' });
    expect(parseFaultRule('post /workflows/*/execute=reset_after_create:skip=1,times=-1')).toEqual({
      match: 'post /workflows/*/execute',
      kind: 'reset_after_create',
      skip: 1,
      times: -1,
    });
    expect(parseFaultRule('/workflows/**=slow:delay_ms=250')).toEqual({ match: '/workflows/**', kind: 'slow', delay_ms: 250 });
    expect(parseFaultRule('* = rate_limit : retry_after = 2')).toEqual({ match: '*', kind: 'rate_limit', retry_after: 2 });
  });

  it.each([
    ['GET /x', 'expected MATCH=KIND'],
    ['GET /x=explode', 'kind must be one of'],
    ['GET /x=http_error:status', '"status" is not key=value'],
    ['GET /x=http_error:status=abc', 'status must be an integer'],
    ['GET /x=http_error:status=200', 'status must be an integer from 400 to 599'],
    ['GET /x=reset:delay_ms=5', 'delay_ms does not apply to kind reset'],
    ['GET /x=reset:color=5', 'unknown field "color"'],
    ['FETCH /x=reset', 'unknown method "FETCH"'],
    ['GET x=reset', 'path starting with "/"'],
    ['GET /x=reset:times=0', 'times must be -1 (forever) or at least 1'],
  ])('rejects %s with a usage error', (text, why) => {
    let caught: unknown;
    try {
      parseFaultRule(text);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(UsageError);
    expect((caught as UsageError).message).toContain(`invalid --fault "${text}"`);
    expect((caught as UsageError).message).toContain(why);
    expect((caught as UsageError).hint).toContain('http_error:status=503');
  });

  it('matches "*" within one segment and "**" across segments', () => {
    expect(globToRegExp('/workflows/runs/*').test('/workflows/runs/fl_run_1')).toBe(true);
    expect(globToRegExp('/workflows/runs/*').test('/workflows/runs/fl_run_1/rerun')).toBe(false);
    expect(globToRegExp('/workflows/**').test('/workflows/runs/fl_run_1/rerun')).toBe(true);
    expect(globToRegExp('/workflows/fl_demo.*').test('/workflows/fl_demo_x')).toBe(false); // "." is literal
  });
});

describe('fault injection', () => {
  it('rate_limit answers 429 with the API error and Retry-After, then lets requests through', async () => {
    const { get, sb } = await start([{ match: 'GET /workflows', kind: 'rate_limit', retry_after: 7 }]);
    const limited = await get('/workflows');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(await limited.json()).toMatchObject({ type: 'rate_limit_error', code: 'rate_limited', message: expect.any(String), doc_url: expect.any(String) });
    expect((await get('/workflows')).status).toBe(200);
    expect(sb.requests.map((r) => r.fault)).toEqual(['rate_limit', null]);
  });

  it('rate_limit without retry_after sends no Retry-After header', async () => {
    const { get } = await start([{ match: '*', kind: 'rate_limit' }]);
    const limited = await get('/workflows');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBeNull();
  });

  it('http_error answers a gateway HTML page for `times` requests after `skip`', async () => {
    const { get } = await start([{ match: 'GET /workflows', kind: 'http_error', status: 502, skip: 1, times: 2 }]);
    const statuses: number[] = [];
    let html = '';
    for (let i = 0; i < 4; i += 1) {
      const res = await get('/workflows');
      statuses.push(res.status);
      if (res.status === 502) {
        expect(res.headers.get('content-type')).toBe('text/html');
        html = await res.text();
      } else await res.text();
    }
    expect(statuses).toEqual([200, 502, 502, 200]);
    expect(html).toContain('<h1>502 Bad Gateway</h1>');
  });

  it('times=-1 misbehaves forever; rules are tried in order; /__sandbox is never faulted', async () => {
    const { get, sb } = await start([
      { match: 'GET /workflows/*', kind: 'http_error', status: 504, times: -1 },
      { match: '*', kind: 'empty_body', times: -1 },
    ]);
    for (let i = 0; i < 3; i += 1) expect((await get('/workflows/fl_demo_onboarding')).status).toBe(504);
    const empty = await get('/workflows');
    expect(empty.status).toBe(200);
    expect(await empty.text()).toBe('');
    expect((await fetch(`${sb.url}/__sandbox/runs`)).status).toBe(200);
  });

  it('reset drops the connection without an answer', async () => {
    const { sb, auth } = await start([{ match: 'GET /workflows', kind: 'reset' }]);
    const result = await raw(sb.url, '/workflows', { headers: auth });
    expect(result.status).toBeUndefined();
    expect(result.error?.code).toMatch(/ECONNRESET|EPIPE/);
    expect(sb.requests[0]).toMatchObject({ status: null, fault: 'reset', duration_ms: null });
    await expect(fetch(`${sb.url}/workflows`, { headers: auth })).resolves.toHaveProperty('status', 200);
  });

  it('truncate sends the full Content-Length but only part of the JSON', async () => {
    const { sb, auth } = await start([{ match: 'GET /workflows', kind: 'truncate' }]);
    const result = await raw(sb.url, '/workflows', { headers: auth });
    expect(result.status).toBe(200);
    const declared = Number(result.headers?.['content-length']);
    expect(result.body.length).toBeGreaterThan(0);
    expect(result.body.length).toBeLessThan(declared);
    expect(result.complete).toBe(false);
    expect(() => JSON.parse(result.body)).toThrow();
  });

  it('slow answers normally, late', async () => {
    const { get } = await start([{ match: '*', kind: 'slow', delay_ms: 80 }]);
    const began = performance.now();
    const res = await get('/workflows');
    expect(res.status).toBe(200);
    expect(((await res.json()) as unknown[]).length).toBe(4);
    expect(performance.now() - began).toBeGreaterThanOrEqual(70);
  });

  it('hang never answers; the client times out and close() still ends promptly', async () => {
    const { sb, auth } = await start([{ match: 'GET /workflows', kind: 'hang' }]);
    const err = await fetch(`${sb.url}/workflows`, { headers: auth, signal: AbortSignal.timeout(200) }).catch((e: unknown) => e);
    expect((err as Error).name).toBe('TimeoutError');
    // A second hanging request is still open when we close.
    const pending = raw(sb.url, '/workflows', { headers: auth });
    expect(sb.requests).toHaveLength(1);
    const began = performance.now();
    await sb.close();
    expect(performance.now() - began).toBeLessThan(1000);
    expect((await pending).error).toBeDefined();
  });

  it('reset_after_create creates the run, drops the answer, and an idempotent retry finds it', async () => {
    const { sb, auth } = await start([{ match: 'POST /workflows/*/execute', kind: 'reset_after_create' }]);
    const headers = { ...auth, 'content-type': 'application/json', 'idempotency-key': '6f1c2b0e-8a51-4d3e-9b7a-0c2d4e6f8a10' };
    const body = JSON.stringify({ context: { n: 1 } });
    const first = await raw(sb.url, '/workflows/fl_demo_onboarding/execute', { method: 'POST', headers, body });
    expect(first.status).toBeUndefined();
    expect(first.error).toBeDefined();
    expect(sb.runsCreated()).toBe(1);
    const retry = await fetch(`${sb.url}/workflows/fl_demo_onboarding/execute`, { method: 'POST', headers, body });
    expect(retry.status).toBe(202);
    expect(((await retry.json()) as { id: string }).id).toBe(sb.runs[0]?.id);
    expect(sb.runsCreated()).toBe(1);
  });

  it('rerun under reset_after_create still creates exactly one run', async () => {
    const { sb, auth } = await start([{ match: 'POST /workflows/runs/*/rerun', kind: 'reset_after_create' }]);
    const created = await fetch(`${sb.url}/workflows/fl_demo_failing/execute`, { method: 'POST', headers: auth });
    const { id } = (await created.json()) as { id: string };
    const result = await raw(sb.url, `/workflows/runs/${id}/rerun`, { method: 'POST', headers: auth });
    expect(result.error).toBeDefined();
    expect(sb.runsCreated()).toBe(2);
    expect(sb.runs[1]).toMatchObject({ origin: 'rerun', original_run_id: id });
  });

  it('fault counters start again after reset', async () => {
    const { get, sb } = await start([{ match: '*', kind: 'http_error', status: 503 }]);
    expect((await get('/workflows')).status).toBe(503);
    expect((await get('/workflows')).status).toBe(200);
    await fetch(`${sb.url}/__sandbox/reset`, { method: 'POST' });
    expect((await get('/workflows')).status).toBe(503);
  });

  it('refuses an invalid rule passed in the options', async () => {
    await expect(startSandbox({ faults: [{ match: 'GET /x', kind: 'nope' as never }] })).rejects.toThrow(UsageError);
  });
});
