import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type FaultRule, type Sandbox } from '../../src/sandbox/index.js';
import { E2E_SCENARIOS } from '../helpers/e2e-scenarios.js';
import { startRateLimitProxy } from '../helpers/rate-limit-proxy.js';
import { runAlto, secret } from '../helpers/spawn-alto.js';

const TOKEN = secret('wfk_e2e_faults_token_77c0d1e2');
const sandboxes: Sandbox[] = [];

async function sandboxWith(...faults: FaultRule[]) {
  const sandbox = await startSandbox({ token: TOKEN, scenarios: E2E_SCENARIOS, faults });
  sandboxes.push(sandbox);
  return { sandbox, env: { ALTO_API_URL: sandbox.url, ALTO_TOKEN: TOKEN } };
}
afterEach(async () => {
  for (const s of sandboxes.splice(0)) await s.close();
});

const RUNS = 'GET /workflows/runs/*';
const EXECUTE = 'POST /workflows/*/execute';
const executeKeys = (s: Sandbox) => s.requests.filter((r) => r.method === 'POST').map((r) => r.headers['idempotency-key']);

describe('reads ride out a flaky gateway', () => {
  it.each<[string, FaultRule]>([
    ['502 with an HTML body', { match: RUNS, kind: 'http_error', status: 502, times: 3 }],
    ['503 with an HTML body', { match: RUNS, kind: 'http_error', status: 503, times: 2 }],
    ['a reset connection', { match: RUNS, kind: 'reset', times: 2 }],
    ['a truncated body', { match: RUNS, kind: 'truncate', times: 2 }],
    ['an empty body', { match: RUNS, kind: 'empty_body', times: 2 }],
    ['429 with Retry-After', { match: RUNS, kind: 'rate_limit', retry_after: 1, times: 1 }],
  ])('%s: the watch completes, exit 0, one run, no HTML shown', async (_name, fault) => {
    const { sandbox, env } = await sandboxWith(fault);
    const r = await runAlto(['wf', 'execute', 'fl_ok', '--watch'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(sandbox.runsCreated()).toBe(1);
    expect(sandbox.requests.filter((q) => q.fault !== null).length).toBeGreaterThan(0);
    expect(r.stdout + r.stderr).not.toMatch(/<html|<body|Bad Gateway<\/h1>/i);
    for (const node of ['n1', 'n2', 'n3']) expect(r.stdout.match(new RegExp(` ${node} `, 'g'))).toHaveLength(1);
  });

  it('waits as long as Retry-After says before the next poll', async () => {
    const { sandbox, env } = await sandboxWith({ match: RUNS, kind: 'rate_limit', retry_after: 2, times: 1 });
    const r = await runAlto(['wf', 'execute', 'fl_ok', '--watch', '-q'], { env });
    expect(r.code).toBe(0);
    const gets = sandbox.requests.filter((q) => q.method === 'GET');
    const limited = gets.findIndex((q) => q.fault === 'rate_limit');
    expect((gets[limited + 1]?.time ?? 0) - (gets[limited]?.time ?? 0)).toBeGreaterThanOrEqual(2000);
  });

  it('an outage longer than --max-outage ends in exit 5: lost contact, with the re-attach hint', async () => {
    const { sandbox, env } = await sandboxWith({ match: RUNS, kind: 'http_error', status: 503, times: -1 });
    const r = await runAlto(['wf', 'execute', 'fl_forever', '--watch', '--max-outage', '2s'], { env });
    expect(r.code).toBe(5);
    expect(r.stderr).toContain(`lost contact; the run may still be going: alto run watch ${sandbox.runs[0]?.id}`);
    expect(r.ms).toBeLessThan(6000);
  });

  it('--timeout holds even while a poll is hanging: back within 4 s with exit 124', async () => {
    const { sandbox, env } = await sandboxWith({ match: RUNS, kind: 'hang', skip: 1, times: -1 });
    const r = await runAlto(['wf', 'execute', 'fl_forever', '--watch', '--timeout', '2s'], { env });
    expect(r.code, r.stderr).toBe(124);
    expect(r.ms).toBeLessThan(4000);
    expect(r.stdout + r.stderr).toContain(`alto run watch ${sandbox.runs[0]?.id}`);
  });

  it('a server that accepts and never answers ends in exit 5 with a clear line, not a hang', async () => {
    const { env } = await sandboxWith({ match: RUNS, kind: 'hang', times: -1 });
    const r = await runAlto(['run', 'watch', 'fl_run_any', '--request-timeout', '500ms', '--max-outage', '1s'], { env });
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/no answer from 127\.0\.0\.1:\d+ within 500ms/);
  });
});

describe('writes never start a run twice', () => {
  it('a reset after the run was made: retried with the same key, still one run', async () => {
    const { sandbox, env } = await sandboxWith({ match: EXECUTE, kind: 'reset_after_create', times: 1 });
    const r = await runAlto(['wf', 'execute', 'fl_ok', '-q'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(sandbox.runsCreated()).toBe(1);
    const keys = executeKeys(sandbox);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
    expect(r.stdout.trim()).toBe(sandbox.runs[0]?.id);
  });

  it('an answer slower than --request-timeout: retried with the same key, still one run', async () => {
    const { sandbox, env } = await sandboxWith({ match: EXECUTE, kind: 'slow', delay_ms: 3000, times: 1 });
    const r = await runAlto(['wf', 'execute', 'fl_ok', '-q', '--request-timeout', '1s'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(sandbox.runsCreated()).toBe(1);
    expect(new Set(executeKeys(sandbox)).size).toBe(1);
  });

  it.each<[string, FaultRule]>([
    ['a 503 gateway page', { match: EXECUTE, kind: 'http_error', status: 503, times: 2 }],
    ['a 429', { match: EXECUTE, kind: 'rate_limit', retry_after: 1, times: 1 }],
    ['a truncated answer', { match: EXECUTE, kind: 'truncate', times: 1 }],
    ['a hang', { match: EXECUTE, kind: 'hang', times: 1 }],
  ])('%s on execute: one run, exit 0', async (_name, fault) => {
    const { sandbox, env } = await sandboxWith(fault);
    const r = await runAlto(['wf', 'execute', 'fl_ok', '-q', '--request-timeout', '1s'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(sandbox.runsCreated()).toBe(1);
    expect(new Set(executeKeys(sandbox)).size).toBe(1);
  });

  it('rerun is not retried once the request may have reached the server', async () => {
    const { sandbox, env } = await sandboxWith({ match: 'POST /workflows/runs/*/rerun', kind: 'reset_after_create', times: 1 });
    const first = await runAlto(['wf', 'execute', 'fl_fail', '-q', '-w'], { env });
    const r = await runAlto(['run', 'rerun', first.stdout.trim()], { env });
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/lost the connection to 127\.0\.0\.1:\d+/);
    expect(sandbox.runs.filter((x) => x.origin === 'rerun')).toHaveLength(1);
    expect(sandbox.requests.filter((q) => q.path.endsWith('/rerun'))).toHaveLength(1);
  });
});

describe('a strict rate limit', () => {
  it('a watch completes behind a gateway allowing 3 requests per 2 s, honouring its 429s', async () => {
    const { sandbox, env } = await sandboxWith();
    const proxy = await startRateLimitProxy(sandbox.url, 3, 2000);
    try {
      const r = await runAlto(['wf', 'execute', 'fl_slow', '--watch', '-q'], { env: { ...env, ALTO_API_URL: proxy.url } });
      expect(r.code, r.stderr).toBe(0);
      expect(sandbox.runsCreated()).toBe(1);
      expect(proxy.limited).toBeGreaterThan(0);
      // It backed off: after each 429 it waited as told instead of hammering the gateway.
      expect(proxy.limited).toBeLessThanOrEqual(3);
      expect(proxy.passed).toBeLessThanOrEqual(8);
    } finally {
      await proxy.close();
    }
  });
});

describe('a gateway that sends headers and then stalls the body', () => {
  let server: Server;
  afterAll(() => new Promise<void>((resolve) => (server ? (server.closeAllConnections(), server.close(() => resolve())) : resolve())));
  it('times out per request and ends in exit 5 naming the host', async () => {
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"id":"fl_run_1","status":"run');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const r = await runAlto(['run', 'watch', 'fl_run_1', '--request-timeout', '300ms', '--max-outage', '1s'], { env: { ALTO_API_URL: `http://127.0.0.1:${port}`, ALTO_TOKEN: TOKEN } });
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(new RegExp(`no answer from 127\\.0\\.0\\.1:${port} within 300ms`));
    expect(r.ms).toBeLessThan(5000);
  });
});
