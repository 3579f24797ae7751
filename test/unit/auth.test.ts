import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MockAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { authLogin, authLogout, authStatus, type AuthContext } from '../../src/commands/auth/auth.js';
import { promptHiddenToken } from '../../src/commands/auth/read-token.js';
import type { Deps } from '../../src/deps.js';
import { AuthError, InterruptedError, UsageError } from '../../src/errors.js';
import { createFactory } from '../../src/factory.js';
import { PLAIN_PALETTE } from '../../src/ui/color-level.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { tempConfigDir } from '../helpers/spawn-alto.js';
import { createTestIO, type TestIO } from '../helpers/test-io.js';

const NOW = Date.UTC(2026, 10, 29, 12, 0, 0);
const jwt = (expSeconds: number) =>
  `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify({ sub: 'u1', exp: expSeconds })).toString('base64url')}.c2lnbmF0dXJl`;
const agents: MockAgent[] = [];
afterEach(async () => {
  for (const a of agents.splice(0)) await a.close();
});

function setup(env: Record<string, string> = {}, stdin = '', stdinTTY = false) {
  const agent = new MockAgent();
  agent.disableNetConnect();
  agents.push(agent);
  const io = createTestIO({ stdin, stdinTTY });
  const secrets: string[] = [];
  const deps: Deps = {
    io,
    env: { ALTO_CONFIG_DIR: join(tempConfigDir(), 'cfg'), ...env },
    clock: new FakeClock(NOW),
    signal: new AbortController().signal,
    version: '1.0.0',
    dispatcher: agent,
    random: () => 0.5,
  };
  const f = createFactory(deps);
  const ctx: AuthContext = {
    deps,
    globals: { apiUrl: 'https://api.test' },
    errPalette: PLAIN_PALETTE,
    requestTimeoutMs: 5000,
    addSecret: (s) => void secrets.push(s),
    clientFor: (o) => f.clientFor(o),
    canPrompt: f.io.canPrompt(),
  };
  return { ctx, io: io as TestIO, agent, secrets, dir: deps.env.ALTO_CONFIG_DIR as string };
}

describe('auth login', () => {
  it('checks the token once, stores it 0600 in a 0700 directory, and registers it as a secret', async () => {
    const s = setup({}, 'wfk_login_token_0123456789\n');
    let auth = '';
    s.agent.get('https://api.test').intercept({ path: '/workflows', method: 'GET' }).reply(200, (o) => ((auth = String((o.headers as Record<string, string>).authorization)), []));
    expect(await authLogin(s.ctx, { withToken: true })).toBe(0);
    expect(auth).toBe('Bearer wfk_login_token_0123456789');
    expect(s.secrets).toEqual(['wfk_login_token_0123456789']);
    const file = join(s.dir, 'config.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ profiles: { default: { token: 'wfk_login_token_0123456789', api_url: 'https://api.test' } } });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(s.dir).mode & 0o777).toBe(0o700);
    expect(s.io.stderr.text()).not.toContain('wfk_login_token');
  });

  it('refuses a token the API rejects, and stores nothing', async () => {
    const s = setup({}, 'wfk_rejected_token_000000\n');
    s.agent.get('https://api.test').intercept({ path: '/workflows', method: 'GET' }).reply(401, { message: 'nope' });
    await expect(authLogin(s.ctx, { withToken: true })).rejects.toBeInstanceOf(AuthError);
    expect(() => statSync(join(s.dir, 'config.json'))).toThrow();
  });

  it('a second profile leaves the first alone', async () => {
    const s = setup({}, 'wfk_first_token_aaaaaaaa\n');
    s.agent.get('https://api.test').intercept({ path: '/workflows', method: 'GET' }).reply(200, []).times(2);
    await authLogin(s.ctx, { withToken: true });
    const t = setup({ ALTO_CONFIG_DIR: s.dir }, 'wfk_second_token_bbbbbbb\n');
    t.ctx.deps.dispatcher = s.agent;
    t.ctx.globals = { apiUrl: 'https://api.test', profile: 'ci' };
    await authLogin(t.ctx, { withToken: true });
    const profiles = JSON.parse(readFileSync(join(s.dir, 'config.json'), 'utf8')).profiles;
    expect(Object.keys(profiles)).toEqual(['default', 'ci']);
    expect(profiles.ci.token).toBe('wfk_second_token_bbbbbbb');
  });

  it('rejects an empty stdin and a token with spaces', async () => {
    await expect(authLogin(setup({}, '\n\n').ctx, { withToken: true })).rejects.toThrow('no token on stdin');
    await expect(authLogin(setup({}, 'two words\n').ctx, { withToken: true })).rejects.toBeInstanceOf(UsageError);
  });
});

describe('the hidden prompt', () => {
  it('reads a token typed on a terminal without echoing it, handling backspace', async () => {
    const io = createTestIO({ stdinTTY: true });
    const stdin = new (await import('node:stream')).PassThrough() as unknown as TestIO['stdin'] & { setRawMode: (b: boolean) => void };
    const raw: boolean[] = [];
    stdin.isTTY = true;
    stdin.setRawMode = (b) => void raw.push(b);
    const pending = promptHiddenToken(stdin, io.stderr, new AbortController().signal);
    stdin.write('wfk_typed_tokenX');
    stdin.write('\u007f_123\r');
    expect(await pending).toBe('wfk_typed_token_123');
    expect(raw).toEqual([true, false]);
    expect(io.stderr.text()).toBe('Paste your Altostrat API token (input is hidden): \n');
  });

  it('Ctrl-C at the prompt is an interrupt, and the terminal leaves raw mode', async () => {
    const io = createTestIO();
    const stdin = new (await import('node:stream')).PassThrough() as unknown as TestIO['stdin'] & { setRawMode: (b: boolean) => void };
    const raw: boolean[] = [];
    stdin.setRawMode = (b) => void raw.push(b);
    const pending = promptHiddenToken(stdin, io.stderr, new AbortController().signal);
    stdin.write('wfk\u0003');
    await expect(pending).rejects.toBeInstanceOf(InterruptedError);
    expect(raw).toEqual([true, false]);
  });
});

describe('auth status', () => {
  const status = async (env: Record<string, string>) => {
    const s = setup(env);
    const code = await authStatus(s.ctx, { json: true });
    return { code, json: JSON.parse(s.io.stdout.text()), s };
  };

  it('no token: logged_in false, exit 3', async () => {
    const { code, json } = await status({});
    expect(code).toBe(3);
    expect(json).toMatchObject({ logged_in: false, token: null, api_url: 'https://api.test', api_url_source: '--api-url' });
  });

  it('an expired JWT and one that expires within a day are warned about; a later one is not', async () => {
    expect((await status({ ALTO_TOKEN: jwt(NOW / 1000 - 60) })).json.warnings[0]).toMatch(/^the token expired at 2026-11-29T11:59:00/);
    expect((await status({ ALTO_TOKEN: jwt(NOW / 1000 + 3600) })).json.warnings[0]).toMatch(/expires within a day/);
    const later = await status({ ALTO_TOKEN: jwt(NOW / 1000 + 7 * 86_400) });
    expect(later.json.warnings).toEqual([]);
    expect(later.json.token_expires_at).toBe('2026-12-06T12:00:00.000Z');
    expect(later.json.token_source).toBe('ALTO_TOKEN');
  });

  it('the text view masks the token and never prints it', async () => {
    const s = setup({ ALTO_TOKEN: 'wfk_status_secret_token_9876' });
    await authStatus(s.ctx, { json: false });
    expect(s.io.stdout.text()).toContain('wfk_****9876 (from ALTO_TOKEN)');
    expect(s.io.stdout.text() + s.io.stderr.text()).not.toContain('wfk_status_secret_token_9876');
  });
});

describe('auth logout', () => {
  it('is not an error without a stored token, and warns while ALTO_TOKEN is still set', async () => {
    const s = setup({ ALTO_TOKEN: 'wfk_env_token_1234567' });
    expect(await authLogout(s.ctx)).toBe(0);
    expect(s.io.stderr.text()).toContain('no token stored for profile "default"');
    expect(s.io.stderr.text()).toContain('ALTO_TOKEN is still set');
  });
});
