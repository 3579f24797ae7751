import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'vitest';
import { startSandbox, type FaultRule, type Sandbox } from '../../src/sandbox/index.js';
import { E2E_SCENARIOS } from '../helpers/e2e-scenarios.js';
import { startRateLimitProxy } from '../helpers/rate-limit-proxy.js';
import { runAltoHere, secret } from '../helpers/spawn-alto.js';

// Every test runs concurrently with its own sandbox (its own faults, runs and request log),
// closed when the test ends; assertions use the test's own `expect`.
const TOKEN = secret('wfk_e2e_faults_token_77c0d1e2');

type Env = Record<string, string>;
/** Runs fn against a fresh sandbox with these faults, and closes the sandbox whatever happens. */
async function withSandbox(faults: FaultRule[], fn: (sandbox: Sandbox, env: Env) => Promise<void>): Promise<void> {
  const sandbox = await startSandbox({ token: TOKEN, scenarios: E2E_SCENARIOS, faults });
  try {
    await fn(sandbox, { ALTO_API_URL: sandbox.url, ALTO_TOKEN: TOKEN });
  } finally {
    await sandbox.close();
  }
}

const RUNS = 'GET /workflows/runs/*';
const EXECUTE = 'POST /workflows/*/execute';
const executeKeys = (s: Sandbox) => s.requests.filter((r) => r.method === 'POST').map((r) => r.headers['idempotency-key']);

// Sibling concurrent suites run at the same time too (vitest groups consecutive concurrent
// children), so the file takes about as long as its slowest test.
describe.concurrent('reads ride out a flaky gateway', () => {
  it.for<[string, FaultRule]>([
    ['502 with an HTML body', { match: RUNS, kind: 'http_error', status: 502, times: 3 }],
    ['503 with an HTML body', { match: RUNS, kind: 'http_error', status: 503, times: 2 }],
    ['a reset connection', { match: RUNS, kind: 'reset', times: 2 }],
    ['a truncated body', { match: RUNS, kind: 'truncate', times: 2 }],
    ['an empty body', { match: RUNS, kind: 'empty_body', times: 2 }],
    ['429 with Retry-After', { match: RUNS, kind: 'rate_limit', retry_after: 1, times: 1 }],
  ])('%s: the watch completes, exit 0, one run, no HTML shown', ([, fault], { expect }) =>
    withSandbox([fault], async (sandbox, env) => {
      const r = await runAltoHere(['wf', 'execute', 'fl_ok', '--watch'], { env });
      expect(r.code, r.stderr).toBe(0);
      expect(sandbox.runsCreated()).toBe(1);
      expect(sandbox.requests.filter((q) => q.fault !== null).length).toBeGreaterThan(0);
      expect(r.stdout + r.stderr).not.toMatch(/<html|<body|Bad Gateway<\/h1>/i);
      for (const node of ['n1', 'n2', 'n3']) expect(r.stdout.match(new RegExp(` ${node} `, 'g'))).toHaveLength(1);
    }),
  );

  // The sandbox speaks Retry-After in whole seconds, so this costs one second of wall time; a
  // lower bound on a gap between two requests cannot be broken by a slow machine.
  it('waits as long as Retry-After says before the next poll', ({ expect }) =>
    withSandbox([{ match: RUNS, kind: 'rate_limit', retry_after: 1, times: 1 }], async (sandbox, env) => {
      const r = await runAltoHere(['wf', 'execute', 'fl_ok', '--watch', '-q'], { env });
      expect(r.code).toBe(0);
      const gets = sandbox.requests.filter((q) => q.method === 'GET');
      const limited = gets.findIndex((q) => q.fault === 'rate_limit');
      expect(limited).toBeGreaterThanOrEqual(0);
      expect((gets[limited + 1]?.time ?? 0) - (gets[limited]?.time ?? 0)).toBeGreaterThanOrEqual(1000);
    }),
  );

  // Without --max-outage the watch of a never-ending run would poll on until the spawn's own
  // deadline kills it: the exit code and the line are the evidence, no stopwatch needed.
  it('an outage longer than --max-outage ends in exit 5: lost contact, with the re-attach hint', ({ expect }) =>
    withSandbox([{ match: RUNS, kind: 'http_error', status: 503, times: -1 }], async (sandbox, env) => {
      const r = await runAltoHere(['wf', 'execute', 'fl_forever', '--watch', '--max-outage', '2s'], { env });
      expect(r.code).toBe(5);
      expect(r.stderr).toContain(`lost contact; the run may still be going: alto run watch ${sandbox.runs[0]?.id}`);
    }),
  );

  // A hanging poll left alone would last --request-timeout (60 s here), longer than the spawn's
  // 15 s deadline, so reaching exit 124 at all shows --timeout (2 s) cut the hang short. The
  // bound is 7x what it needs on an idle machine.
  it('--timeout holds even while a poll is hanging: exit 124 long before the request timeout', ({ expect }) =>
    withSandbox([{ match: RUNS, kind: 'hang', skip: 1, times: -1 }], async (sandbox, env) => {
      const r = await runAltoHere(['wf', 'execute', 'fl_forever', '--watch', '--timeout', '2s', '--request-timeout', '60s'], { env, timeoutMs: 15_000 });
      expect(r.code, r.stderr).toBe(124);
      expect(r.stdout + r.stderr).toContain(`alto run watch ${sandbox.runs[0]?.id}`);
    }),
  );

  it('a server that accepts and never answers ends in exit 5 with a clear line, not a hang', ({ expect }) =>
    withSandbox([{ match: RUNS, kind: 'hang', times: -1 }], async (_sandbox, env) => {
      const r = await runAltoHere(['run', 'watch', 'fl_run_any', '--request-timeout', '500ms', '--max-outage', '1s'], { env });
      expect(r.code).toBe(5);
      expect(r.stderr).toMatch(/no answer from 127\.0\.0\.1:\d+ within 500ms/);
    }),
  );
});

describe.concurrent('writes never start a run twice', () => {
  it('a reset after the run was made: retried with the same key, still one run', ({ expect }) =>
    withSandbox([{ match: EXECUTE, kind: 'reset_after_create', times: 1 }], async (sandbox, env) => {
      const r = await runAltoHere(['wf', 'execute', 'fl_ok', '-q'], { env });
      expect(r.code, r.stderr).toBe(0);
      expect(sandbox.runsCreated()).toBe(1);
      const keys = executeKeys(sandbox);
      expect(keys).toHaveLength(2);
      expect(keys[0]).toBe(keys[1]);
      expect(r.stdout.trim()).toBe(sandbox.runs[0]?.id);
    }),
  );

  it('an answer slower than --request-timeout: retried with the same key, still one run', ({ expect }) =>
    withSandbox([{ match: EXECUTE, kind: 'slow', delay_ms: 3000, times: 1 }], async (sandbox, env) => {
      const r = await runAltoHere(['wf', 'execute', 'fl_ok', '-q', '--request-timeout', '1s'], { env });
      expect(r.code, r.stderr).toBe(0);
      expect(sandbox.runsCreated()).toBe(1);
      expect(executeKeys(sandbox).length).toBeGreaterThanOrEqual(2);
      expect(new Set(executeKeys(sandbox)).size).toBe(1);
    }),
  );

  it.for<[string, FaultRule]>([
    ['a 503 gateway page', { match: EXECUTE, kind: 'http_error', status: 503, times: 2 }],
    ['a 429', { match: EXECUTE, kind: 'rate_limit', retry_after: 1, times: 1 }],
    ['a truncated answer', { match: EXECUTE, kind: 'truncate', times: 1 }],
    ['a hang', { match: EXECUTE, kind: 'hang', times: 1 }],
  ])('%s on execute: one run, exit 0', ([, fault], { expect }) =>
    withSandbox([fault], async (sandbox, env) => {
      const r = await runAltoHere(['wf', 'execute', 'fl_ok', '-q', '--request-timeout', '1s'], { env });
      expect(r.code, r.stderr).toBe(0);
      expect(sandbox.runsCreated()).toBe(1);
      expect(new Set(executeKeys(sandbox)).size).toBe(1);
    }),
  );

  it('rerun is not retried once the request may have reached the server', ({ expect }) =>
    withSandbox([{ match: 'POST /workflows/runs/*/rerun', kind: 'reset_after_create', times: 1 }], async (sandbox, env) => {
      const first = await runAltoHere(['wf', 'execute', 'fl_fail', '-q', '-w'], { env });
      const r = await runAltoHere(['run', 'rerun', first.stdout.trim()], { env });
      expect(r.code).toBe(5);
      expect(r.stderr).toMatch(/lost the connection to 127\.0\.0\.1:\d+/);
      expect(sandbox.runs.filter((x) => x.origin === 'rerun')).toHaveLength(1);
      expect(sandbox.requests.filter((q) => q.path.endsWith('/rerun'))).toHaveLength(1);
    }),
  );
});

describe.concurrent('a strict rate limit', () => {
  it('a watch completes behind a gateway allowing 3 requests per 2 s, honouring its 429s', ({ expect }) =>
    withSandbox([], async (sandbox, env) => {
      const proxy = await startRateLimitProxy(sandbox.url, 3, 2000);
      try {
        const r = await runAltoHere(['wf', 'execute', 'fl_slow', '--watch', '-q'], { env: { ...env, ALTO_API_URL: proxy.url } });
        expect(r.code, r.stderr).toBe(0);
        expect(sandbox.runsCreated()).toBe(1);
        expect(proxy.limited).toBeGreaterThan(0);
        // It backed off: after each 429 it waited as told instead of hammering the gateway.
        expect(proxy.limited).toBeLessThanOrEqual(3);
        expect(proxy.passed).toBeLessThanOrEqual(8);
      } finally {
        await proxy.close();
      }
    }),
  );
});

describe.concurrent('a gateway that sends headers and then stalls the body', () => {
  // Without a body deadline the read would wait forever: the spawn's deadline would kill it.
  it('times out per request and ends in exit 5 naming the host', async ({ expect }) => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"id":"fl_run_1","status":"run');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const r = await runAltoHere(['run', 'watch', 'fl_run_1', '--request-timeout', '300ms', '--max-outage', '1s'], { env: { ALTO_API_URL: `http://127.0.0.1:${port}`, ALTO_TOKEN: TOKEN } });
      expect(r.code).toBe(5);
      expect(r.stderr).toMatch(new RegExp(`no answer from 127\\.0\\.0\\.1:${port} within 300ms`));
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
