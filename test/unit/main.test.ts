import { MockAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import type { Deps } from '../../src/deps.js';
import { InterruptedError } from '../../src/errors.js';
import { main } from '../../src/main.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { createTestIO, type TestIOOptions } from '../helpers/test-io.js';
import { tempConfigDir } from '../helpers/spawn-alto.js';

const TOKEN = 'wfk_main_test_token_42';
const agents: MockAgent[] = [];

function setup(env: Record<string, string> = {}, io: TestIOOptions = {}) {
  const agent = new MockAgent();
  agent.disableNetConnect();
  agents.push(agent);
  const controller = new AbortController();
  const deps: Deps = {
    io: createTestIO(io),
    env: { ALTO_CONFIG_DIR: tempConfigDir(), ALTO_API_URL: 'https://api.test', ALTO_TOKEN: TOKEN, ...env },
    clock: new FakeClock(),
    signal: controller.signal,
    version: '9.9.9',
    dispatcher: agent,
    random: () => 0.5,
  };
  /** A catch-all that counts what reaches the API ("nothing sent" is sent() === 0); for tests with no other interceptor. */
  const countRequests = () => {
    let requests = 0;
    agent
      .get('https://api.test')
      .intercept({ path: /.*/, method: /.*/ })
      .reply(() => ((requests += 1), { statusCode: 500, data: '{}' }))
      .persist();
    return () => requests;
  };
  return { deps, agent, countRequests, controller, out: () => (deps.io.stdout as unknown as { text(): string }).text(), err: () => (deps.io.stderr as unknown as { text(): string }).text() };
}

afterEach(async () => {
  for (const a of agents.splice(0)) await a.close();
});

describe('main: one place maps errors to exit codes', () => {
  it.each([
    [['--nope'], /^alto: unknown option '--nope'/],
    [['wf', 'frobnicate'], /^alto: unknown command 'frobnicate'/],
    [['wf', 'execute'], /missing required argument 'workflowId'/],
    [['run', 'resume', 'fl_run_1'], /required option '--from <nodeId>' not specified/],
    [['wf', 'execute', 'fl_1', '-w', '--timeout', 'soon'], /^alto: invalid duration for --timeout: "soon"/],
    [['wf', 'runs', 'fl_1', '--page', '2', '--all'], /--page and --all cannot be used together/],
    [['wf', 'list', 'extra'], /too many arguments/],
    [['wf', 'execute', 'fl_1', '--timeout', 'abc'], /^alto: invalid duration for --timeout: "abc"/],
    [['wf', 'execute', 'fl_1', '--interval', '1ms'], /--interval must be at least 100ms/],
    [['run', 'watch', 'fl_run_1', '--timeout', '1000h'], /--timeout "1000h" is too long/],
    [['wf', 'list', '--request-timeout', '0'], /--request-timeout must be more than 0/],
    [['run', 'get', ''], /^alto: <runId> must not be empty/],
    [['run', 'resume', 'fl_run_1', '--from', ' '], /--from must name a node/],
  ])('%j is a usage error (2) with one line and nothing sent', async (argv, message) => {
    const t = setup();
    const sent = t.countRequests();
    expect(await main(argv, t.deps)).toBe(2);
    expect(t.err()).toMatch(message);
    expect(t.err()).not.toMatch(/\n\s+at /);
    expect(t.out()).toBe('');
    expect(sent()).toBe(0);
  });

  it('an unknown --flag=value never echoes the value (it may be a secret)', async () => {
    const t = setup();
    expect(await main(['auth', 'login', '--token=wfk_supersecret123'], t.deps)).toBe(2);
    expect(t.err()).toMatch(/^alto: unknown option '--token=…'/);
    expect(t.err()).not.toContain('supersecret');
  });

  it('a token that cannot go in a header is exit 3 at once, naming where it came from, not the token', async () => {
    const t = setup({ ALTO_TOKEN: 'abcd\u0001efgh-secret' });
    const sent = t.countRequests();
    expect(await main(['wf', 'list'], t.deps)).toBe(3);
    expect(t.err()).toMatch(/^alto: the token from ALTO_TOKEN contains spaces or characters that cannot go in an HTTP header/);
    expect(t.err()).not.toContain('efgh-secret');
    expect(sent()).toBe(0);
  });

  it('--help and --version exit 0 on stdout', async () => {
    const t = setup();
    expect(await main(['--version'], t.deps)).toBe(0);
    expect(t.out()).toBe('9.9.9\n');
    const h = setup();
    expect(await main(['wf', '--help'], h.deps)).toBe(0);
    expect(h.out()).toContain('execute');
  });

  it('a bare group prints its help and exits 2', async () => {
    const t = setup();
    expect(await main(['run'], t.deps)).toBe(2);
    expect(t.err()).toContain('Usage: alto run');
  });

  it('an unexpected exception is exit 70 with one line and no stack; --debug adds the stack', async () => {
    const t = setup();
    t.agent.get('https://api.test').intercept({ path: '/workflows', method: 'GET' }).reply(200, []);
    t.deps.io.stdout.write = () => {
      throw new TypeError('boom');
    };
    expect(await main(['wf', 'list', '--json'], t.deps)).toBe(70);
    expect(t.err()).toBe('alto: internal error: boom\n  this is a bug in alto 9.9.9; please report it at https://github.com/altostrat/alto/issues with the output of --debug\n');

    const d = setup();
    d.agent.get('https://api.test').intercept({ path: '/workflows', method: 'GET' }).reply(200, []);
    d.deps.io.stdout.write = () => {
      throw new TypeError('boom');
    };
    expect(await main(['wf', 'list', '--json', '--debug'], d.deps)).toBe(70);
    expect(d.err()).toMatch(/TypeError: boom\n\s+at /);
  });

  it('an interrupt before the answer is exit 130', async () => {
    const t = setup();
    t.agent.get('https://api.test').intercept({ path: '/workflows', method: 'GET' }).reply(200, []).delay(50);
    const pending = main(['wf', 'list'], t.deps);
    t.controller.abort(new InterruptedError('interrupted'));
    expect(await pending).toBe(130);
    expect(t.err()).toContain('interrupted');
  });

  it('never prints the token, even in --debug', async () => {
    const t = setup();
    t.agent.get('https://api.test').intercept({ path: '/workflows', method: 'GET' }).reply(401, { message: `bad token ${TOKEN}` });
    expect(await main(['wf', 'list', '--debug'], t.deps)).toBe(3);
    expect(t.err()).toContain('rejected the token');
    expect(t.err()).not.toContain(TOKEN);
  });

  it('colour follows the rules: off in a pipe, on with FORCE_COLOR, off again with NO_COLOR or --no-color', async () => {
    const run = async (env: Record<string, string>, extra: string[] = []) => {
      const t = setup({ ALTO_TOKEN: '', ...env });
      await main(['wf', 'list', ...extra], t.deps);
      return t.err();
    };
    expect(await run({})).not.toContain('\u001b[');
    expect(await run({ FORCE_COLOR: '1' })).toContain('\u001b[');
    expect(await run({ FORCE_COLOR: '1', NO_COLOR: '1' })).not.toContain('\u001b[');
    expect(await run({ FORCE_COLOR: '1' }, ['--no-color'])).not.toContain('\u001b[');
  });
});
