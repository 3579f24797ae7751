import { execFile } from 'node:child_process';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { newRunRerunCommand } from '../../../src/commands/run/rerun.js';
import { newRunResumeCommand } from '../../../src/commands/run/resume.js';
import { shellQuote } from '../../../src/commands/shared/dry-run.js';
import { newExecuteCommand } from '../../../src/commands/workflow/execute.js';
import type { Factory } from '../../../src/factory.js';
import { makeRun } from '../../helpers/run-fixtures.js';
import { assertNoPendingAfterEach, makeTestDeps, TEST_TOKEN } from '../../helpers/test-deps.js';

// No interceptor is declared for a dry run: MockAgent (net connect disabled) fails any request,
// and assertNoPendingAfterEach checks the ones that are declared were used.
assertNoPendingAfterEach();

async function parse(make: (f: Factory, runF: (f: Factory, o: { dryRun?: boolean }) => Promise<number>) => Command, argv: string[]) {
  const { f } = makeTestDeps();
  const seen: Array<{ dryRun?: boolean }> = [];
  await make(f, async (_f, o) => (seen.push(o), 0)).parseAsync(argv, { from: 'user' });
  return seen[0];
}

describe('--dry-run: parsing', () => {
  it.each([
    ['execute', newExecuteCommand as never, ['fl_1']],
    ['rerun', newRunRerunCommand as never, ['fl_run_1']],
    ['resume', newRunResumeCommand as never, ['fl_run_1', '--from', 'n1']],
  ])('%s takes --dry-run (and leaves it out otherwise)', async (_name, make, argv) => {
    expect((await parse(make, [...(argv as string[]), '--dry-run']))?.dryRun).toBe(true);
    expect((await parse(make, argv as string[]))?.dryRun).toBeUndefined();
  });
});

describe('--dry-run: nothing is sent', () => {
  it('execute prints the request with the token redacted, the body, and a curl line; exit 0', async () => {
    const t = makeTestDeps();
    const r = await t.run(['wf', 'execute', 'fl 1', '-f', 'site=a b', '-F', 'n=3', '--idempotency-key', 'job-9', '--dry-run']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.slice(0, 4)).toEqual(['POST https://api.test/workflows/fl%201/execute', 'Authorization: Bearer ***', 'User-Agent: alto/0.0.0-test', 'Accept: application/json']);
    // A key that is not a UUID is sent as its name-based (v5) UUID.
    expect(lines[4]).toMatch(/^Idempotency-Key: [0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(lines.slice(5, 8)).toEqual(['Content-Type: application/json', '', '{"context":{"site":"a b","n":3}}']);
    expect(r.stdout).toContain(`printf '%s' '{"context":{"site":"a b","n":3}}' | curl -X POST https://api.test/workflows/fl%201/execute --oauth2-bearer "$ALTO_TOKEN"`);
    expect(r.stdout).not.toContain(TEST_TOKEN);
    expect(r.stderr).toBe('dry run: nothing was sent (1 request)\n');
  });

  it('--each: one request per line, each with its context and derived key; nothing sent', async () => {
    const t = makeTestDeps({ io: { stdin: '{"site":"a"}\n\n{"site":"b"}\n' } });
    const r = await t.run(['wf', 'execute', 'fl_1', '--each', '-', '-f', 'env=prod', '--idempotency-key', 'job-9', '--dry-run', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const requests = JSON.parse(r.stdout) as Array<{ body: unknown; headers: Record<string, string> }>;
    expect(requests.map((q) => q.body)).toEqual([{ context: { site: 'a', env: 'prod' } }, { context: { site: 'b', env: 'prod' } }]);
    const keys = requests.map((q) => q.headers['idempotency-key']);
    expect(new Set(keys).size).toBe(2);
    expect(r.stderr).toBe('');
  });

  it('works without a token, and with --watch given too', async () => {
    const t = makeTestDeps({ env: { ALTO_API_URL: 'https://api.test', ALTO_CONFIG_DIR: '/nonexistent/alto-test-config' } });
    const r = await t.run(['run', 'rerun', 'fl_run_1', '--dry-run', '--watch']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('POST https://api.test/workflows/runs/fl_run_1/rerun');
  });

  it('--json prints the request as one document; resume encodes both ids', async () => {
    const t = makeTestDeps();
    const r = await t.run(['run', 'resume', 'fl_run_1', '--from', 'a/b', '--dry-run', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      method: 'POST',
      url: 'https://api.test/workflows/runs/fl_run_1/resume-from/a%2Fb',
      headers: { authorization: 'Bearer ***', 'user-agent': 'alto/0.0.0-test', accept: 'application/json' },
      body: null,
      curl: "curl -X POST https://api.test/workflows/runs/fl_run_1/resume-from/a%2Fb --oauth2-bearer \"$ALTO_TOKEN\" -H 'User-Agent: alto/0.0.0-test' -H 'Accept: application/json'",
    });
    expect(r.stderr).toBe('');
  });

  it('bad input is still exit 2 (everything is resolved)', async () => {
    const t = makeTestDeps();
    const r = await t.run(['wf', 'execute', 'fl_1', '--context', '/nonexistent/ctx.json', '--dry-run']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('a bad API URL is exit 2 as for a real call', async () => {
    const t = makeTestDeps({ env: { ALTO_API_URL: 'http://example.com', ALTO_CONFIG_DIR: '/nonexistent/alto-test-config' } });
    expect((await t.run(['run', 'rerun', 'fl_run_1', '--dry-run'])).code).toBe(2);
  });
});

describe('shell quoting', () => {
  it('quotes anything a shell would interpret', () => {
    expect(shellQuote('plain-1.2')).toBe('plain-1.2');
    expect(shellQuote("it's $(x) `y` \\ *")).toBe("'it'\\''s $(x) `y` \\ *'");
  });
});

interface Seen {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

const SENT_HEADERS = ['authorization', 'user-agent', 'accept', 'content-type', 'idempotency-key'];
const pick = (h: IncomingHttpHeaders | Record<string, string>) => Object.fromEntries(SENT_HEADERS.filter((k) => h[k] !== undefined).map((k) => [k, String(h[k])]));

describe('the curl line sends the same request as alto', () => {
  it('method, path, headers and body bytes match what the real client sends', async () => {
    const got: Seen[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        got.push({ method: req.method ?? '', path: req.url ?? '', headers: pick(req.headers), body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(202, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const env = { ALTO_API_URL: origin, ALTO_TOKEN: TEST_TOKEN, ALTO_CONFIG_DIR: '/nonexistent/alto-test-config' };
      const argv = ['wf', 'execute', "fl_'1 $(x)", '-f', "q=it's `a` $HOME \"b\"", '-F', 'u="é ✓ \\u202e"', '-F', 'nl="a\\nb"', '--idempotency-key', 'job-9'];

      // 1. What alto itself sends, caught by MockAgent for the same origin.
      const real = makeTestDeps({ env });
      let sent: Seen | undefined;
      real.agent
        .get(origin)
        .intercept({ path: (p) => p.endsWith('/execute'), method: 'POST' })
        .reply((o) => {
          sent = { method: o.method, path: o.path, headers: pick(o.headers as Record<string, string>), body: String(o.body) };
          return { statusCode: 202, data: JSON.stringify(makeRun({ status: 'pending', started_at: null })), responseOptions: { headers: { 'content-type': 'application/json' } } };
        });
      expect((await real.run(argv)).code).toBe(0);

      // 2. The dry run's curl line, run by a shell.
      const dry = makeTestDeps({ env });
      const r = await dry.run([...argv, '--dry-run', '--json']);
      expect(r.code).toBe(0);
      const curl = (JSON.parse(r.stdout) as { curl: string }).curl;
      await new Promise<void>((resolve, reject) =>
        execFile('sh', ['-c', curl], { env: { PATH: process.env.PATH, ALTO_TOKEN: TEST_TOKEN, HOME: '/nonexistent' } }, (err) => (err ? reject(err) : resolve())),
      );
      expect(got).toHaveLength(1);
      expect(sent).toBeDefined();
      expect(got[0]).toEqual(sent);
      expect(got[0]!.headers.authorization).toBe(`Bearer ${TEST_TOKEN}`);
      expect(got[0]!.path).toBe(`/workflows/${encodeURIComponent("fl_'1 $(x)")}/execute`);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
