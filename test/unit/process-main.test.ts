import { MockAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import type { Deps } from '../../src/deps.js';
import { main } from '../../src/main.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { createTestIO } from '../helpers/test-io.js';
import { tempConfigDir } from '../helpers/spawn-alto.js';

// Issue 7 through main with test IO: usage errors before anything is sent, the re-attach
// notice, redaction of every output, cleaned error lines, the size in a 413.
const TOKEN = 'wfk_process_main_token_7788';
const API = 'https://api.test';
const NOW = Date.UTC(2025, 9, 31, 12, 0, 0);
const agents: MockAgent[] = [];

function setup(env: Record<string, string> = {}, stdin?: string) {
  const agent = new MockAgent();
  agent.disableNetConnect();
  agents.push(agent);
  const deps: Deps = {
    io: createTestIO({ stdin }),
    env: { ALTO_CONFIG_DIR: tempConfigDir(), ALTO_API_URL: API, ALTO_TOKEN: TOKEN, ...env },
    clock: new FakeClock(NOW),
    signal: new AbortController().signal,
    version: '9.9.9',
    dispatcher: agent,
    random: () => 0.5,
  };
  const text = (s: unknown) => (s as { text(): string }).text();
  return { deps, agent, pool: agent.get(API), out: () => text(deps.io.stdout), err: () => text(deps.io.stderr) };
}

afterEach(async () => {
  for (const a of agents.splice(0)) await a.close();
});

const run = (over: Record<string, unknown> = {}) => ({
  id: 'fl_run_1',
  status: 'pending',
  error_message: null,
  started_at: new Date(NOW).toISOString(),
  completed_at: null,
  duration_in_seconds: null,
  logs: [],
  ...over,
});

describe('watch flags without --watch (issue 7.3)', () => {
  const cases: [string[], string][] = [];
  for (const base of [['wf', 'execute', 'fl_1'], ['run', 'rerun', 'fl_run_1'], ['run', 'resume', 'fl_run_1', '--from', 'n1']]) {
    for (const flag of [['--strict'], ['--verbose'], ['--timeout', '10m'], ['--interval', '5s'], ['--max-outage', '1m'], ['--timeout', '65m']]) {
      cases.push([[...base, ...flag], flag[0] as string]);
    }
  }
  it.each(cases)('%j is exit 2 with "add --watch", nothing sent', async (argv, flag) => {
    const t = setup();
    expect(await main(argv, t.deps)).toBe(2);
    expect(t.err()).toContain(`alto: ${flag} has no effect without --watch`);
    expect(t.err()).toContain('add --watch');
    expect(t.out()).toBe('');
    t.agent.assertNoPendingInterceptors();
  });

  it('names every flag given; the defaults alone are fine, and with --watch they are used', async () => {
    const t = setup();
    expect(await main(['wf', 'execute', 'fl_1', '--strict', '--verbose'], t.deps)).toBe(2);
    expect(t.err()).toContain('--strict, --verbose have no effect without --watch');

    const ok = setup();
    ok.pool.intercept({ path: '/workflows/fl_1/execute', method: 'POST' }).reply(202, run());
    expect(await main(['wf', 'execute', 'fl_1'], ok.deps)).toBe(0);

    const w = setup();
    w.pool.intercept({ path: '/workflows/fl_1/execute', method: 'POST' }).reply(202, run());
    w.pool.intercept({ path: '/workflows/runs/fl_run_1', method: 'GET' }).reply(200, run({ status: 'completed', completed_at: new Date(NOW).toISOString() }));
    expect(await main(['wf', 'execute', 'fl_1', '--watch', '--strict', '--timeout', '10m'], w.deps)).toBe(0);
  });
});

describe('--idempotency-key (issue 7.2)', () => {
  it.each([[''], ['   '], ['\t']])('%j is exit 2, nothing sent', async (key) => {
    const t = setup();
    expect(await main(['wf', 'execute', 'fl_1', '--idempotency-key', key], t.deps)).toBe(2);
    expect(t.err()).toMatch(/^alto: --idempotency-key must not be empty or blank\n/);
    t.agent.assertNoPendingInterceptors();
  });

  it('says on stderr when the API answered with an existing run', async () => {
    const t = setup();
    t.pool
      .intercept({ path: '/workflows/fl_1/execute', method: 'POST' })
      // Date.parse skips a parenthesised comment: escape codes can ride along a valid time.
      .reply(202, run({ status: 'running', started_at: 'Oct 30 2025 08:00:00 GMT (\u001b]52;c;x\u0007)' }));
    expect(await main(['wf', 'execute', 'fl_1', '--idempotency-key', 'job-1'], t.deps)).toBe(0);
    expect(t.err()).toMatch(/^! re-attached to run fl_run_1 started at Oct 30 2025 08:00:00 GMT \(\uFFFD\]52;c;x\uFFFD\), Idempotency-Key reused\n$/);
    expect(t.out()).toContain('Started run fl_run_1 (running)');
  });

  it('with --idempotency-key an old start time is enough, even while pending', async () => {
    const t = setup();
    t.pool.intercept({ path: '/workflows/fl_1/execute', method: 'POST' }).reply(202, run({ started_at: new Date(NOW - 10 * 60_000).toISOString() }));
    await main(['wf', 'execute', 'fl_1', '--idempotency-key', 'job-1'], t.deps);
    expect(t.err()).toContain('re-attached to run fl_run_1 started at');
  });

  it('status alone never says it: a finished or running run without an old time, with or without a key', async () => {
    for (const [status, extra] of [['completed', { started_at: null }], ['running', { started_at: new Date(NOW - 30_000).toISOString() }]] as const) {
      for (const argv of [['wf', 'execute', 'fl_1'], ['wf', 'execute', 'fl_1', '--idempotency-key', 'job-1']]) {
        const t = setup();
        t.pool.intercept({ path: '/workflows/fl_1/execute', method: 'POST' }).reply(202, run({ status, ...extra }));
        expect(await main(argv, t.deps)).toBe(0);
        expect(t.err()).toBe('');
      }
    }
  });

  it('without --idempotency-key (a random key) an old start time says nothing: only alto could have replayed it', async () => {
    const t = setup();
    t.pool.intercept({ path: '/workflows/fl_1/execute', method: 'POST' }).reply(202, run({ status: 'running', started_at: new Date(NOW - 10 * 60_000).toISOString() }));
    expect(await main(['wf', 'execute', 'fl_1'], t.deps)).toBe(0);
    expect(t.err()).toBe('');
  });

  it('a new run (pending, started within the clock skew) says nothing; --json never says it', async () => {
    const t = setup();
    t.pool.intercept({ path: '/workflows/fl_1/execute', method: 'POST' }).reply(202, run({ started_at: new Date(NOW - 60_000).toISOString() }));
    expect(await main(['wf', 'execute', 'fl_1'], t.deps)).toBe(0);
    expect(t.err()).toBe('');
    const j = setup();
    j.pool.intercept({ path: '/workflows/fl_1/execute', method: 'POST' }).reply(202, run({ status: 'failed' }));
    expect(await main(['wf', 'execute', 'fl_1', '--json'], j.deps)).toBe(0);
    expect(j.err()).toBe('');
  });
});

describe('server text in the launch line and error lines is cleaned (issue 7.13)', () => {
  it('the launch line: id and status', async () => {
    const t = setup();
    t.pool.intercept({ path: '/workflows/fl_1/execute', method: 'POST' }).reply(202, run({ status: 'pending\u009b31m\u001b[2J' }));
    expect(await main(['wf', 'execute', 'fl_1'], t.deps)).toBe(0);
    expect(t.out()).not.toMatch(/[\u001b\u009b]/);
    expect(t.out()).toContain('Started run fl_run_1 (pending\uFFFD31m\uFFFD[2J)');
  });

  it('resume echoes the node id cleaned', async () => {
    const t = setup();
    t.pool.intercept({ path: '/workflows/runs/fl_run_1/resume-from/n%1B1', method: 'POST' }).reply(202, { message: 'ok', new_run: run({ id: 'fl_run_2' }) });
    t.pool.intercept({ path: '/workflows/runs/fl_run_1/resume-from/n\u001b1', method: 'POST' }).reply(202, { message: 'ok', new_run: run({ id: 'fl_run_2' }) });
    await main(['run', 'resume', 'fl_run_1', '--from', 'n\u001b1'], t.deps);
    expect(t.out() + t.err()).not.toContain('\u001b');
  });

  it('an API error message and hint on stderr', async () => {
    const t = setup();
    t.pool.intercept({ path: '/workflows/runs/fl_run_1', method: 'GET' }).reply(404, { message: 'no such run \u001b]8;;http://evil\u0007click\u001b]8;;\u0007 \u202e' });
    expect(await main(['run', 'get', 'fl_run_1'], t.deps)).toBe(4);
    expect(t.err()).not.toMatch(/[\u001b\u0007]/);
    expect(t.err()).toContain('no such run');
  });

  it('run logs: the no-logs line', async () => {
    const t = setup();
    t.pool.intercept({ path: '/workflows/runs/fl_run_1', method: 'GET' }).reply(200, run({ id: 'fl_run_1', status: 'pen\u001bding' }));
    expect(await main(['run', 'logs', 'fl_run_1'], t.deps)).toBe(0);
    expect(t.err()).toBe('run fl_run_1 has no step logs yet (status pen\uFFFDding)\n');
  });
});

describe('the token is redacted in every output (issue 7.15)', () => {
  const echoing = () =>
    run({
      status: 'completed',
      completed_at: new Date(NOW).toISOString(),
      logs: [{ id: 'fl_log_1', node_id: 'n1', component_id: 'http', status: 'success', output: { headers: { authorization: `Bearer ${TOKEN}`, again: TOKEN } }, created_at: new Date(NOW).toISOString() }],
    });
  it.each([[['run', 'logs', 'fl_run_1']], [['run', 'logs', 'fl_run_1', '--json']], [['run', 'get', 'fl_run_1', '--json']], [['run', 'watch', 'fl_run_1', '--output', 'ndjson']], [['run', 'watch', 'fl_run_1', '--verbose']]])(
    '%j shows *** instead of the token',
    async (argv) => {
      const t = setup();
      t.pool.intercept({ path: '/workflows/runs/fl_run_1', method: 'GET' }).reply(200, echoing());
      expect(await main(argv, t.deps)).toBe(0);
      expect(t.out() + t.err()).not.toContain(TOKEN);
      expect(t.out()).toContain('***');
    },
  );

  it('the stored token too, once read', async () => {
    const t = setup({ ALTO_TOKEN: '' });
    const { writeProfile } = await import('../../src/config/store.js');
    await writeProfile(t.deps.env.ALTO_CONFIG_DIR as string, 'default', { token: TOKEN, api_url: API }, t.deps.clock);
    t.pool.intercept({ path: '/workflows/runs/fl_run_1', method: 'GET' }).reply(200, echoing());
    expect(await main(['run', 'logs', 'fl_run_1', '--json'], t.deps)).toBe(0);
    expect(t.out()).not.toContain(TOKEN);
    expect(JSON.parse(t.out())[0].output.headers.again).toBe('***');
  });

  it('bytes stay bytes: `alto api` prints a binary body as sent, only the token masked', async () => {
    const t = setup();
    const chunks: Buffer[] = [];
    const write = t.deps.io.stdout.write.bind(t.deps.io.stdout);
    t.deps.io.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
      chunks.push(Buffer.from(chunk as string));
      return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof t.deps.io.stdout.write;
    const body = Buffer.concat([Buffer.from([0xff, 0xfe, 0x00, 0xc3]), Buffer.from(` ${TOKEN} `), Buffer.from([0x80, 0x81])]);
    t.pool.intercept({ path: '/blob', method: 'GET' }).reply(200, body, { headers: { 'content-type': 'application/octet-stream' } });
    expect(await main(['api', '/blob'], t.deps)).toBe(0);
    const sent = Buffer.concat(chunks);
    expect(sent.includes(Buffer.from(TOKEN))).toBe(false);
    expect(sent.equals(Buffer.concat([Buffer.from([0xff, 0xfe, 0x00, 0xc3]), Buffer.from(' *** '), Buffer.from([0x80, 0x81])]))).toBe(true);
  });

  it("'auth' and 'token' as other words of a command do not turn redaction off", async () => {
    const t = setup();
    t.pool.intercept({ path: '/workflows/auth/execute', method: 'POST' }).reply(202, run({ id: 'fl_run_1', echo: TOKEN }));
    expect(await main(['wf', 'execute', 'auth', '--idempotency-key', 'token', '--json'], t.deps)).toBe(0);
    expect(t.out() + t.err()).not.toContain(TOKEN);
    expect(JSON.parse(t.out()).echo).toBe('***');
  });

  it('auth token still prints it: that is its job', async () => {
    const t = setup();
    expect(await main(['auth', 'token'], t.deps)).toBe(0);
    expect(t.out()).toBe(`${TOKEN}\n`);
  });
});

describe('413 (issue 7.17)', () => {
  it('says how large the context was', async () => {
    const t = setup();
    t.pool.intercept({ path: '/workflows/fl_1/execute', method: 'POST' }).reply(413, { message: 'Payload Too Large' });
    const code = await main(['wf', 'execute', 'fl_1', '-f', `big=${'y'.repeat(5000)}`], t.deps);
    expect(code).not.toBe(70);
    expect(code).not.toBe(0);
    expect(t.err()).toContain('(the context was 5,022 bytes)');
  });
});

describe('other paths that were exit 70', () => {
  it('an OS error no command explained is one line, exit 2, no stack', async () => {
    const t = setup();
    t.pool.intercept({ path: '/workflows', method: 'GET' }).reply(200, []);
    t.deps.io.stdout.write = () => {
      throw Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO', syscall: 'write' });
    };
    expect(await main(['wf', 'list', '--json'], t.deps)).toBe(2);
    expect(t.err()).toBe('alto: write failed: EIO\n');
  });

  it('auth login --with-token reads at most 64 KiB of stdin', async () => {
    const t = setup({}, 'y\n'.repeat(40_000));
    expect(await main(['auth', 'login', '--with-token'], t.deps)).toBe(2);
    expect(t.err()).toMatch(/^alto: stdin holds more than 64 KiB: that is not a token\n/);
    t.agent.assertNoPendingInterceptors();
  });
});
