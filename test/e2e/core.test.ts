import { statSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it as base } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { E2E_SCENARIOS } from '../helpers/e2e-scenarios.js';
import { runAlto, runAltoHere, secret, tempConfigDir } from '../helpers/spawn-alto.js';
import { tempDir } from '../helpers/temp-dir.js';

// Every test has its own sandbox (a fixture), so the tests of this file run concurrently and
// none sees another's runs or requests. A test that asks for no `sandbox` gets none.
const TOKEN = secret('wfk_e2e_core_token_5f1c9a7e3b');
const it = base.extend<{ sandbox: Sandbox; env: Record<string, string> }>({
  sandbox: async ({}, use) => {
    const own = await startSandbox({ token: TOKEN, scenarios: E2E_SCENARIOS });
    await use(own);
    await own.close();
  },
  env: async ({ sandbox }, use) => use({ ALTO_API_URL: sandbox.url, ALTO_TOKEN: TOKEN }),
});

// The shared sandbox of the tests that take none from the fixture.
let sandbox: Sandbox;
let env: Record<string, string>;

beforeAll(async () => {
  sandbox = await startSandbox({ token: TOKEN, scenarios: E2E_SCENARIOS });
  env = { ALTO_API_URL: sandbox.url, ALTO_TOKEN: TOKEN };
});
afterAll(() => sandbox.close());

const tmp = tempDir('alto-core-');
const file = (name: string, text: string) => {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
};
const ANSI = /\u001b\[/;

describe.concurrent('start-up', () => {
  it('--version prints the version alone', async ({ expect }) => {
    const r = await runAlto(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+\S*\n$/);
  });
  it('--help on every command shows an example', async ({ expect }) => {
    const cmds = [[], ['wf', 'execute'], ['run', 'watch'], ['auth', 'login'], ['workflow', 'runs'], ['sandbox'], ['run', 'resume']];
    const results = await Promise.all(cmds.map((cmd) => runAltoHere([...cmd, '--help'])));
    cmds.forEach((cmd, i) => {
      expect(results[i]?.code, cmd.join(' ')).toBe(0);
      expect(results[i]?.stdout, cmd.join(' ')).toMatch(/Examples:\n  \$ alto /);
    });
  });
});

describe.concurrent('execute', () => {
  it('prints the run id at once and how to follow it', async ({ sandbox, env, expect }) => {
    const r = await runAltoHere(['wf', 'execute', 'fl_ok'], { env });
    expect(r.code).toBe(0);
    const id = sandbox.runs[0]?.id as string;
    expect(id).toMatch(/^fl_run_/);
    expect(r.stdout).toBe(`✔ Started run ${id} (pending)\n  Follow it: alto run watch ${id}\n`);
    expect(r.stderr).toBe('');
  });

  it('-q prints the id alone; --json the run alone', async ({ sandbox, env, expect }) => {
    const q = await runAltoHere(['wf', 'execute', 'fl_ok', '-q'], { env });
    expect(q.stdout).toBe(`${sandbox.runs[0]?.id}\n`);
    const j = await runAltoHere(['wf', 'execute', 'fl_ok', '--json'], { env });
    expect(JSON.parse(j.stdout)).toMatchObject({ id: sandbox.runs[1]?.id, status: 'pending' });
  });

  it('sends the file, stdin and fields merged, with the bearer token and a UUID key', async ({ sandbox, env, expect }) => {
    const ctx = file('ctx.json', JSON.stringify({ customer: { name: 'Ada', plan: 'free' }, keep: 1 }));
    const r = await runAltoHere(['wf', 'execute', 'fl_ok', '--context', ctx, '-f', 'customer.plan=pro', '-F', 'retries=3', '-F', 'tags=["a"]', '-f', 'site[id]=s1', '-q'], { env });
    expect(r.code).toBe(0);
    const req = sandbox.requests.find((q) => q.method === 'POST');
    expect(req?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(req?.headers['idempotency-key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(req?.headers['user-agent']).toMatch(/^alto\//);
    expect(JSON.parse(req?.body ?? '')).toEqual({ context: { customer: { name: 'Ada', plan: 'pro' }, keep: 1, retries: 3, tags: ['a'], site: { id: 's1' } } });

    const s = await runAltoHere(['wf', 'execute', 'fl_ok', '--context', '-', '-F', 'n=1', '-q'], { env, input: '{"from":"stdin","n":0}' });
    expect(s.code).toBe(0);
    expect(sandbox.runs[1]?.context).toEqual({ from: 'stdin', n: 1 });
  });

  it('a key reused for another workflow is refused by the sandbox, not replayed', async () => {
    await runAltoHere(['wf', 'execute', 'fl_ok', '-q', '--idempotency-key', 'ci-job-88'], { env });
    const other = await runAltoHere(['wf', 'execute', 'fl_fail', '-q', '--idempotency-key', 'ci-job-88'], { env });
    expect(other.code).toBe(2); // a 422: the request's fault (issue 7 item 6)
    expect(other.stderr).toMatch(/already used to start a run of 'fl_ok'/);
    expect(sandbox.runsCreated()).toBe(1);
  });

  it('the same --idempotency-key never starts a second run', async ({ sandbox, env, expect }) => {
    const a = await runAltoHere(['wf', 'execute', 'fl_ok', '-q', '--idempotency-key', 'ci-job-77'], { env });
    const b = await runAltoHere(['wf', 'execute', 'fl_ok', '-q', '--idempotency-key', 'ci-job-77'], { env });
    expect(a.stdout).toBe(b.stdout);
    expect(sandbox.runsCreated('fl_ok')).toBe(1);
  });
});

describe.concurrent('watch: the exit code tells what happened', () => {
  it('completed → 0, every step log once, a summary, no escape codes in a pipe', async ({ env, expect }) => {
    const r = await runAltoHere(['wf', 'execute', 'fl_ok', '--watch'], { env });
    expect(r.code).toBe(0);
    for (const node of ['n1', 'n2', 'n3']) expect(r.stdout.split('\n').filter((l) => new RegExp(`\\b${node}\\b`).test(l) && /manual_trigger|webhook|delay/.test(l))).toHaveLength(1);
    expect(r.stdout).toMatch(/completed/);
    expect(r.stdout + r.stderr).not.toMatch(ANSI);
  });

  it('failed → 1 with the error message and how to look further', async ({ sandbox, env, expect }) => {
    const r = await runAltoHere(['wf', 'execute', 'fl_fail', '-w'], { env });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Webhook request failed: 503 Service Unavailable');
    const id = sandbox.runs[0]?.id as string;
    expect(r.stdout).toContain(`alto run resume ${id} --from n1`);
  });

  it('completed with a step error → 0, and 1 under --strict', async ({ env, expect }) => {
    const plain = await runAltoHere(['wf', 'execute', 'fl_step_error', '-w'], { env });
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/1 step error/);
    const strict = await runAltoHere(['wf', 'execute', 'fl_step_error', '-w', '--strict'], { env });
    expect(strict.code).toBe(1);
  });

  it('awaiting a person → 6, and alto stops polling', async ({ sandbox, env, expect }) => {
    const r = await runAltoHere(['wf', 'execute', 'fl_wait', '-w'], { env });
    expect(r.code).toBe(6);
    expect(r.stdout + r.stderr).toMatch(/dashboard/);
    const gets = sandbox.requests.filter((q) => q.method === 'GET').length;
    expect(gets).toBeLessThan(10);
  });

  it('--timeout → 124 with the re-attach hint', async ({ sandbox, env, expect }) => {
    const r = await runAltoHere(['wf', 'execute', 'fl_forever', '-w', '--timeout', '1s'], { env });
    expect(r.code).toBe(124);
    // Only the --timeout ends a watch of a run that never ends with 124 (no wall-clock bound here).
    expect(r.stdout + r.stderr).toContain(`alto run watch ${sandbox.runs[0]?.id}`);
    expect(r.stderr).toMatch(/after 1(\.0)?s \(--timeout/);
  });

  it('an unknown status with completed_at → 5 with a clear line', async ({ env, expect }) => {
    const r = await runAltoHere(['wf', 'execute', 'fl_unknown', '-w'], { env });
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/archived/);
  });

  it('--json prints one document: the final run with its logs', async ({ env, expect }) => {
    const r = await runAltoHere(['wf', 'execute', 'fl_ok', '-w', '--json'], { env });
    expect(r.code).toBe(0);
    const run = JSON.parse(r.stdout);
    expect(run.status).toBe('completed');
    expect(run.logs.map((l: { node_id: string }) => l.node_id)).toEqual(['n1', 'n2', 'n3']);
  });

  it('--output ndjson streams run and log events and a last result', async ({ env, expect }) => {
    const r = await runAltoHere(['wf', 'execute', 'fl_fail', '-w', '--output', 'ndjson'], { env });
    expect(r.code).toBe(1);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(events[0].type).toBe('run');
    expect(events.filter((e) => e.type === 'log').map((e) => e.log.node_id)).toEqual(['n1', 'n2']);
    expect(events.at(-1)).toMatchObject({ type: 'result', exit_code: 1, run: { status: 'failed' } });
  });

  it('Ctrl-C stops watching with 130 and says how to re-attach; the run keeps going', async ({ sandbox, env, expect }) => {
    const r = await runAlto(['wf', 'execute', 'fl_forever', '-w'], {
      env,
      onOutput: { text: 'Started run', then: (child) => setTimeout(() => child.kill('SIGINT'), 300) },
    });
    expect(r.code).toBe(130);
    expect(r.stdout + r.stderr).toContain(`alto run watch ${sandbox.runs[0]?.id}`);
    expect(sandbox.runs[0]?.status).toBe('running');
  });
});

describe.concurrent('errors', () => {
  it('no token → 3, nothing sent', async ({ sandbox, expect }) => {
    const r = await runAltoHere(['wf', 'list'], { env: { ALTO_API_URL: sandbox.url } });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^alto: not logged in/);
    expect(sandbox.requests).toHaveLength(0);
  });
  it('a rejected token → 3', async ({ env, expect }) => {
    const r = await runAltoHere(['wf', 'list'], { env: { ...env, ALTO_TOKEN: 'wfk_wrong_token_123456' } });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/rejected the token \(401/);
  });
  it('an unknown workflow or run → 4', async ({ env, expect }) => {
    expect((await runAltoHere(['wf', 'execute', 'fl_nope'], { env })).code).toBe(4);
    expect((await runAltoHere(['run', 'get', 'fl_run_nope'], { env })).code).toBe(4);
    expect((await runAltoHere(['run', 'watch', 'fl_run_nope'], { env })).code).toBe(4);
  });
  it('plain http to a remote host → 2, nothing sent', async ({ env, expect }) => {
    const r = await runAltoHere(['wf', 'list'], { env: { ...env, ALTO_API_URL: 'http://api.example.com' } });
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('alto: refusing to send the token over plain http to api.example.com (API URL from ALTO_API_URL)');
  });
  it('an API that cannot be reached → 5 naming the host', async ({ env, expect }) => {
    const r = await runAltoHere(['run', 'watch', 'fl_run_x', '--max-outage', '1s'], { env: { ...env, ALTO_API_URL: 'http://127.0.0.1:9' } });
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/127\.0\.0\.1:9/);
  });
});

describe.concurrent('auth', () => {
  it('login stores the token 0600 in a 0700 directory and never prints it; status masks it; logout forgets it', async ({ sandbox, expect }) => {
    const dir = join(tempConfigDir(), 'nested');
    const base = { ALTO_CONFIG_DIR: dir };
    const login = await runAltoHere(['auth', 'login', '--with-token', '--api-url', sandbox.url], { env: base, input: `${TOKEN}\n` });
    expect(login.code).toBe(0);
    expect(login.stderr).toMatch(/Logged in to 127\.0\.0\.1/);
    const cfg = join(dir, 'config.json');
    expect(statSync(cfg).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(JSON.parse(readFileSync(cfg, 'utf8')).profiles.default).toEqual({ token: TOKEN, api_url: sandbox.url });

    const status = await runAltoHere(['auth', 'status', '--json'], { env: base });
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ profile: 'default', logged_in: true, token_source: 'profile', token: 'wfk_****9a7e3b'.replace('9a7e3b', TOKEN.slice(-4)), api_url: sandbox.url });

    const list = await runAltoHere(['wf', 'list', '--json'], { env: base });
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout).map((w: { id: string }) => w.id)).toContain('fl_ok');

    const token = await runAltoHere(['auth', 'token'], { env: base });
    expect(token.stdout).toBe(`${TOKEN}\n`);

    const shadow = await runAltoHere(['auth', 'status'], { env: { ...base, ALTO_TOKEN: 'wfk_other_token_000000' } });
    expect(shadow.stderr).toMatch(/ALTO_TOKEN is set and shadows/);

    expect((await runAltoHere(['auth', 'logout'], { env: base })).code).toBe(0);
    expect((await runAltoHere(['auth', 'token'], { env: base })).code).toBe(3);
  });

  it('login into an existing shared directory leaves its mode alone; the file is still 0600', async ({ sandbox, expect }) => {
    const dir = tempConfigDir();
    const { chmodSync } = await import('node:fs');
    chmodSync(dir, 0o1777);
    const r = await runAltoHere(['auth', 'login', '--with-token', '--api-url', sandbox.url], { env: { ALTO_CONFIG_DIR: dir }, input: `${TOKEN}\n` });
    expect(r.code).toBe(0);
    expect(statSync(dir).mode & 0o7777).toBe(0o1777);
    expect(statSync(join(dir, 'config.json')).mode & 0o777).toBe(0o600);
  });

  it('a rejected token is refused with 3 and nothing is stored', async ({ sandbox, expect }) => {
    const dir = tempConfigDir();
    const r = await runAltoHere(['auth', 'login', '--with-token', '--api-url', sandbox.url], { env: { ALTO_CONFIG_DIR: dir }, input: 'wfk_bad_token_1234567890\n' });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/rejected this token .* nothing was stored/);
    expect(() => statSync(join(dir, 'config.json'))).toThrow();
  });

  it('an unreachable API still stores the token, with a warning', async ({ expect }) => {
    const dir = tempConfigDir();
    const r = await runAltoHere(['auth', 'login', '--with-token', '--api-url', 'http://127.0.0.1:9'], { env: { ALTO_CONFIG_DIR: dir }, input: `${TOKEN}\n` });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/could not check the token .* storing it anyway/);
    expect(statSync(join(dir, 'config.json')).mode & 0o777).toBe(0o600);
  });

  it('login without --with-token and without a terminal says how', async ({ expect }) => {
    const r = await runAltoHere(['auth', 'login'], { input: TOKEN });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--with-token/);
  });
});

describe.concurrent('runs', () => {
  it('run get, run logs, workflow runs, rerun and resume work against the sandbox', async ({ sandbox, env, expect }) => {
    const failed = await runAltoHere(['wf', 'execute', 'fl_fail', '-w', '-q'], { env });
    const id = failed.stdout.trim();
    expect(failed.code).toBe(1);

    const get = await runAltoHere(['run', 'get', id, '--json'], { env });
    expect(JSON.parse(get.stdout)).toMatchObject({ id, status: 'failed' });
    const text = await runAltoHere(['run', 'get', id], { env });
    expect(text.stdout).toContain(id);

    const logs = await runAltoHere(['run', 'logs', id, '--json'], { env });
    expect(JSON.parse(logs.stdout).map((l: { node_id: string }) => l.node_id)).toEqual(['n1', 'n2']);

    const rerun = await runAltoHere(['run', 'rerun', id, '-w', '--json'], { env });
    expect(rerun.code).toBe(0);
    expect(JSON.parse(rerun.stdout)).toMatchObject({ status: 'completed' });

    const resume = await runAltoHere(['run', 'resume', id, '--from', 'n1', '-w', '-q'], { env });
    expect(resume.code).toBe(0);
    expect(sandbox.runs.at(-1)).toMatchObject({ origin: 'resume', resumed_from_node: 'n1' });

    const runs = await runAltoHere(['wf', 'runs', 'fl_fail', '--json'], { env });
    expect(JSON.parse(runs.stdout)).toHaveLength(3);
    const watch = await runAltoHere(['run', 'watch', id], { env });
    expect(watch.code).toBe(1);
  });
});
