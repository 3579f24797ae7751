import { createServer } from 'node:net';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runSandboxCommand, type SandboxCommandOptions } from '../../src/commands/sandbox/sandbox-run.js';
import type { Deps } from '../../src/deps.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { UsageError } from '../../src/errors.js';

function harness() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out = { stdout: '', stderr: '' };
  stdout.on('data', (c: Buffer) => (out.stdout += c.toString()));
  stderr.on('data', (c: Buffer) => (out.stderr += c.toString()));
  const controller = new AbortController();
  const deps: Deps = {
    io: { stdout, stderr, stdin: new PassThrough() },
    env: {},
    clock: new FakeClock(),
    signal: controller.signal,
    version: '0.0.0-test',
  };
  return { deps, out, stop: () => controller.abort() };
}

const options = (over: Partial<SandboxCommandOptions> = {}): SandboxCommandOptions => ({
  port: 0,
  host: '127.0.0.1',
  faults: [],
  quiet: false,
  ...over,
});

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i += 1) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
}

describe('alto sandbox command', () => {
  it('prints the URL alone on stdout, a banner on stderr, logs requests, and stops on abort', async () => {
    const h = harness();
    const running = runSandboxCommand(options({ token: 'tok-123', faults: ['GET /workflows/runs/*=http_error:status=503,times=3'] }), h.deps);
    await until(() => h.out.stdout.endsWith('\n'));
    const url = h.out.stdout.trim();
    expect(h.out.stdout).toMatch(/^http:\/\/127\.0\.0\.1:\d+\n$/);
    expect(h.out.stderr).toContain(`export ALTO_API_URL=${url} ALTO_TOKEN=tok-123`);
    expect(h.out.stderr).toMatch(/fl_demo_onboarding\s+Customer Onboarding/);
    expect(h.out.stderr).toMatch(/fl_demo_approval\s+Change Approval/);
    expect(h.out.stderr).toContain('GET /workflows/runs/*=http_error:status=503,times=3');

    const res = await fetch(`${url}/workflows/runs/fl_run_x?y=1`, { headers: { authorization: 'Bearer tok-123' } });
    expect(res.status).toBe(503);
    await until(() => h.out.stderr.includes('GET /workflows/runs/fl_run_x?y=1 503'));
    expect(h.out.stderr).toMatch(/GET \/workflows\/runs\/fl_run_x\?y=1 503 \d+ms \[fault: http_error\]/);
    expect(h.out.stderr.split('tok-123').length - 1).toBe(2); // banner only, never from a request line

    h.stop();
    await expect(running).resolves.toBe(0);
    expect(h.out.stdout.split('\n')).toHaveLength(2); // exactly one line
    await expect(fetch(`${url}/workflows`)).rejects.toThrow();
  });

  it('logs nothing per request with quiet, and serves a --workflows file', async () => {
    const h = harness();
    const running = runSandboxCommand(options({ quiet: true, workflows: 'examples/workflows.json' }), h.deps);
    await until(() => h.out.stdout.endsWith('\n'));
    const url = h.out.stdout.trim();
    expect(h.out.stderr).toContain('fl_bulk_sync');
    expect(h.out.stderr).toContain('ALTO_TOKEN=alto-sandbox-token');
    const res = await fetch(`${url}/workflows`, { headers: { authorization: 'Bearer alto-sandbox-token' } });
    expect(res.status).toBe(200);
    const before = h.out.stderr;
    h.stop();
    await expect(running).resolves.toBe(0);
    expect(h.out.stderr).toBe(before);
  });

  it('refuses a port already in use with a usage error', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const h = harness();
      const err = await runSandboxCommand(options({ port }), h.deps).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UsageError);
      expect((err as UsageError).message).toBe(`cannot listen on 127.0.0.1:${port}: the port is already in use`);
      expect(h.out.stdout).toBe('');
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });

  it('refuses a bad fault rule, port or workflows file before listening', async () => {
    const h = harness();
    await expect(runSandboxCommand(options({ faults: ['GET /x=boom'] }), h.deps)).rejects.toThrow(/invalid --fault "GET \/x=boom"/);
    await expect(runSandboxCommand(options({ port: 70000 }), h.deps)).rejects.toThrow(/invalid --port 70000/);
    await expect(runSandboxCommand(options({ token: 'a b' }), h.deps)).rejects.toThrow(/invalid --token/);
    await expect(runSandboxCommand(options({ workflows: 'nope.json' }), h.deps)).rejects.toThrow(/cannot read workflows file nope\.json/);
    expect(h.out.stdout).toBe('');
  });

  it('--rate-limit: a bad value is a usage error before listening; a good one is announced and enforced', async () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      await expect(runSandboxCommand(options({ rateLimit: bad }), harness().deps)).rejects.toThrow(/invalid --rate-limit/);
    }
    const h = harness();
    const running = runSandboxCommand(options({ token: 'tok-1', rateLimit: 1 }), h.deps);
    await until(() => h.out.stdout.endsWith('\n'));
    const url = h.out.stdout.trim();
    expect(h.out.stderr).toContain('rate limit: 1 requests per minute per token');
    const auth = { headers: { authorization: 'Bearer tok-1' } };
    expect((await fetch(`${url}/workflows`, auth)).status).toBe(200);
    expect((await fetch(`${url}/workflows`, auth)).status).toBe(429);
    await until(() => h.out.stderr.includes('[refused: rate limit]'));
    h.stop();
    await expect(running).resolves.toBe(0);
  });

  it('warns on a non-loopback host and prints a reachable URL', async () => {
    const h = harness();
    h.stop(); // already aborted: start, print, close at once
    await expect(runSandboxCommand(options({ host: '0.0.0.0', quiet: true }), h.deps)).resolves.toBe(0);
    expect(h.out.stderr).toMatch(/^warning: --host 0\.0\.0\.0 is not a loopback address/);
    expect(h.out.stdout).toMatch(/^http:\/\/127\.0\.0\.1:\d+\n$/);
  });
});
