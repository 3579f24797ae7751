import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { promptHiddenToken } from '../../src/commands/auth/read-token.js';
import { InterruptedError } from '../../src/errors.js';
import { tempConfigDir } from '../helpers/spawn-alto.js';
import { assertNoPendingAfterEach, makeTestDeps, TEST_API } from '../helpers/test-deps.js';
import { createTestIO, type TestIO } from '../helpers/test-io.js';

// auth through main, the real program and the factory's client over a MockAgent: every
// interceptor a test declares must be used, and a test with none proves nothing was sent
// (net connect is off, so a request would fail the command).
assertNoPendingAfterEach();

const NOW = Date.UTC(2026, 10, 29, 12, 0, 0);
const jwt = (expSeconds: number) =>
  `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify({ sub: 'u1', exp: expSeconds })).toString('base64url')}.c2lnbmF0dXJl`;

function setup(opts: { env?: Record<string, string>; stdin?: string; stdinTTY?: boolean; dir?: string } = {}) {
  const dir = opts.dir ?? join(tempConfigDir(), 'cfg');
  const t = makeTestDeps({ now: NOW, env: { ALTO_CONFIG_DIR: dir, ...opts.env }, io: { stdin: opts.stdin ?? '', stdinTTY: opts.stdinTTY } });
  return { ...t, dir, file: join(dir, 'config.json') };
}

/** GET /workflows (the token check) answered once; returns the Authorization header seen. */
function tokenCheck(t: ReturnType<typeof setup>, status: number) {
  let auth = '';
  t.api
    .intercept({ path: '/workflows', method: 'GET' })
    .reply(status, (o) => ((auth = String((o.headers as Record<string, string>).authorization)), status === 200 ? '[]' : '{"message":"nope"}'), { headers: { 'content-type': 'application/json' } });
  return () => auth;
}

const login = (t: ReturnType<typeof setup>, ...extra: string[]) => t.run(['--api-url', TEST_API, 'auth', 'login', '--with-token', ...extra]);

describe('auth login', () => {
  it('checks the token once, stores it 0600 in a 0700 directory, and never prints it', async () => {
    const s = setup({ stdin: 'wfk_login_token_0123456789\n' });
    const seen = tokenCheck(s, 200);
    const r = await login(s);
    expect(r.code).toBe(0);
    expect(seen()).toBe('Bearer wfk_login_token_0123456789');
    expect(JSON.parse(readFileSync(s.file, 'utf8'))).toEqual({ profiles: { default: { token: 'wfk_login_token_0123456789', api_url: TEST_API } } });
    expect(statSync(s.file).mode & 0o777).toBe(0o600);
    expect(statSync(s.dir).mode & 0o777).toBe(0o700);
    expect(r.stderr).toBe(`✔ Logged in to api.test as profile "default" (${s.file})\n`);
    expect(r.stdout).toBe('');
  });

  it('a token the API rejects (401): exit 3, nothing stored', async () => {
    const s = setup({ stdin: 'wfk_rejected_token_000000\n' });
    tokenCheck(s, 401);
    const r = await login(s);
    expect(r.code).toBe(3);
    expect(r.stderr.split('\n')[0]).toBe('alto: api.test rejected this token (401); nothing was stored');
    expect(() => statSync(s.file)).toThrow();
  });

  it('an API that cannot answer: the token is stored anyway after one try, with a warning', async () => {
    const s = setup({ stdin: 'wfk_unchecked_token_00000\n' });
    // The answer echoes the token: it is a secret from the moment it is read, so it shows as ***.
    s.api.intercept({ path: '/workflows', method: 'GET' }).reply(503, { message: 'overloaded (token wfk_unchecked_token_00000)' });
    const r = await login(s);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^! could not check the token with api\.test \(HTTP 503 from api\.test: overloaded \(token \*\*\*\)\); storing it anyway\n✔ Stored the token for api\.test/);
    expect(JSON.parse(readFileSync(s.file, 'utf8')).profiles.default.token).toBe('wfk_unchecked_token_00000');
  });

  it('a second profile leaves the first alone', async () => {
    const first = setup({ stdin: 'wfk_first_token_aaaaaaaa\n' });
    tokenCheck(first, 200);
    expect((await login(first)).code).toBe(0);
    const second = setup({ stdin: 'wfk_second_token_bbbbbbb\n', dir: first.dir });
    tokenCheck(second, 200);
    expect((await login(second, '--profile', 'ci')).code).toBe(0);
    const profiles = JSON.parse(readFileSync(first.file, 'utf8')).profiles;
    expect(Object.keys(profiles)).toEqual(['default', 'ci']);
    expect(profiles.ci.token).toBe('wfk_second_token_bbbbbbb');
  });

  it.each([
    ['an empty stdin', '\n\n', 'alto: no token on stdin'],
    ['a token with spaces', 'two words\n', 'alto: the token contains spaces or characters that cannot go in an HTTP header'],
  ])('%s: exit 2, nothing sent, nothing stored', async (_name, stdin, line) => {
    const s = setup({ stdin });
    const r = await login(s);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(line);
    expect(() => statSync(s.file)).toThrow();
  });

  it('without --with-token and stdin not a terminal: exit 2, nothing sent', async () => {
    const s = setup({ stdin: 'wfk_piped_token_000000000\n' });
    const r = await s.run(['--api-url', TEST_API, 'auth', 'login']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('stdin is not a terminal');
  });
});

describe('the hidden prompt', () => {
  const terminal = () => {
    const stdin = new PassThrough() as unknown as TestIO['stdin'] & { setRawMode: (b: boolean) => void };
    const raw: boolean[] = [];
    stdin.isTTY = true;
    stdin.setRawMode = (b) => void raw.push(b);
    return { stdin, raw };
  };

  it('reads a token typed on a terminal without echoing it, handling backspace', async () => {
    const io = createTestIO({ stdinTTY: true });
    const { stdin, raw } = terminal();
    const pending = promptHiddenToken(stdin, io.stderr, new AbortController().signal);
    stdin.write('wfk_typed_tokenX');
    stdin.write('\u007f_123\r');
    expect(await pending).toBe('wfk_typed_token_123');
    expect(raw).toEqual([true, false]);
    expect(io.stderr.text()).toBe('Paste your Altostrat API token (input is hidden): \n');
  });

  it('Ctrl-C at the prompt is an interrupt, and the terminal leaves raw mode', async () => {
    const io = createTestIO();
    const { stdin, raw } = terminal();
    const pending = promptHiddenToken(stdin, io.stderr, new AbortController().signal);
    stdin.write('wfk\u0003');
    await expect(pending).rejects.toBeInstanceOf(InterruptedError);
    expect(raw).toEqual([true, false]);
  });
  it('stops past 64 KiB like --with-token: a usage error, raw mode left', async () => {
    const io = createTestIO();
    const { stdin, raw } = terminal();
    const pending = promptHiddenToken(stdin, io.stderr, new AbortController().signal);
    for (let i = 0; i < 17; i++) stdin.write('x'.repeat(4096));
    await expect(pending).rejects.toThrow(/more than 64 KiB/);
    expect(raw).toEqual([true, false]);
  });
});

describe('auth status', () => {
  const status = async (env: Record<string, string>) => {
    const s = setup({ env });
    const r = await s.run(['--api-url', TEST_API, 'auth', 'status', '--json']);
    return { code: r.code, json: JSON.parse(r.stdout), r };
  };

  it('no token: logged_in false, exit 3', async () => {
    const { code, json } = await status({});
    expect(code).toBe(3);
    expect(json).toMatchObject({ logged_in: false, token: null, api_url: TEST_API, api_url_source: '--api-url' });
  });

  it('an expired JWT and one that expires within a day are warned about; a later one is not', async () => {
    expect((await status({ ALTO_TOKEN: jwt(NOW / 1000 - 60) })).json.warnings[0]).toMatch(/^the token expired at 2026-11-29T11:59:00/);
    expect((await status({ ALTO_TOKEN: jwt(NOW / 1000 + 3600) })).json.warnings[0]).toMatch(/expires within a day/);
    const later = await status({ ALTO_TOKEN: jwt(NOW / 1000 + 7 * 86_400) });
    expect(later.code).toBe(0);
    expect(later.json.warnings).toEqual([]);
    expect(later.json.token_expires_at).toBe('2026-12-06T12:00:00.000Z');
    expect(later.json.token_source).toBe('ALTO_TOKEN');
  });

  it('an expired JWT in use: exit 3, the status still printed (json and text)', async () => {
    const expired = await status({ ALTO_TOKEN: jwt(NOW / 1000 - 60) });
    expect(expired.code).toBe(3);
    expect(expired.json).toMatchObject({ logged_in: true, token_source: 'ALTO_TOKEN', token_expires_at: '2026-11-29T11:59:00.000Z' });
    const s = setup({ env: { ALTO_TOKEN: jwt(NOW / 1000 - 60) } });
    const r = await s.run(['auth', 'status']);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('Expires:  2026-11-29T11:59:00.000Z');
    expect(r.stderr).toMatch(/the token expired at/);
    // Expiring soon is a warning, not a failure.
    expect((await status({ ALTO_TOKEN: jwt(NOW / 1000 + 3600) })).code).toBe(0);
  });

  it('a JWT whose exp is beyond the calendar (exp 9e12) has no known expiry: not exit 70', async () => {
    for (const exp of [9e12, -9e12]) {
      const r = await status({ ALTO_TOKEN: jwt(exp) });
      expect(r.code).toBe(0);
      expect(r.json).toMatchObject({ logged_in: true, token_expires_at: null, warnings: [] });
      const text = await setup({ env: { ALTO_TOKEN: jwt(exp) } }).run(['auth', 'status']);
      expect(text.code).toBe(0);
      expect(text.stdout).not.toContain('Expires');
    }
  });

  it('not logged in (text): the error line starts with alto:', async () => {
    const r = await setup({ env: {} }).run(['--api-url', TEST_API, 'auth', 'status']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^alto: not logged in/m);
  });

  it('the text view masks the token and never prints it; offline (nothing sent)', async () => {
    const s = setup({ env: { ALTO_TOKEN: 'wfk_status_secret_token_9876' } });
    const r = await s.run(['auth', 'status']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Token:    wfk_****9876 (from ALTO_TOKEN)');
    expect(r.stdout + r.stderr).not.toContain('wfk_status_secret_token_9876');
  });

  it('a stored token shadowed by ALTO_TOKEN is warned about', async () => {
    const stored = setup({ stdin: 'wfk_stored_token_7654321\n' });
    tokenCheck(stored, 200);
    expect((await login(stored)).code).toBe(0);
    const r = await setup({ env: { ALTO_TOKEN: 'wfk_env_token_1234567' }, dir: stored.dir }).run(['auth', 'status', '--json']);
    expect(JSON.parse(r.stdout).warnings).toEqual(['ALTO_TOKEN is set and shadows the token stored for profile "default"']);
  });
});

describe('auth logout', () => {
  it('forgets the stored token of the profile', async () => {
    const s = setup({ stdin: 'wfk_to_forget_0000000000\n' });
    tokenCheck(s, 200);
    await login(s);
    const r = await setup({ dir: s.dir }).run(['auth', 'logout']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('✔ Logged out of profile "default"\n');
    expect(JSON.stringify(JSON.parse(readFileSync(s.file, 'utf8')))).not.toContain('wfk_to_forget');
  });

  it('is not an error without a stored token, and warns while ALTO_TOKEN is still set', async () => {
    const s = setup({ env: { ALTO_TOKEN: 'wfk_env_token_1234567' } });
    const r = await s.run(['auth', 'logout']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('no token stored for profile "default"');
    expect(r.stderr).toContain('ALTO_TOKEN is still set');
  });
});

describe('auth token', () => {
  it('prints the token in use and nothing else, unredacted', async () => {
    const s = setup({ env: { ALTO_TOKEN: 'wfk_print_me_0123456789' } });
    const r = await s.run(['auth', 'token']);
    expect(r).toEqual({ code: 0, stdout: 'wfk_print_me_0123456789\n', stderr: '' });
  });

  it('the stored token of --profile', async () => {
    const s = setup({ stdin: 'wfk_ci_profile_token_000\n' });
    tokenCheck(s, 200);
    await login(s, '--profile', 'ci');
    expect((await setup({ dir: s.dir }).run(['--profile', 'ci', 'auth', 'token'])).stdout).toBe('wfk_ci_profile_token_000\n');
  });

  it('no token: exit 3 and nothing on stdout', async () => {
    const r = await setup().run(['auth', 'token']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
  });
});

describe('the hint of a 401', () => {
  const rejected = (t: ReturnType<typeof setup>) =>
    t.api.intercept({ path: '/workflows', method: 'GET' }).reply(401, '{"message":"token revoked"}', { headers: { 'content-type': 'application/json' } });

  it('with ALTO_TOKEN in use: fix ALTO_TOKEN, not "log in again" (a new login would stay shadowed)', async () => {
    const t = setup({ env: { ALTO_TOKEN: 'wfk_env_token_1234' } });
    rejected(t);
    const r = await t.run(['--api-url', TEST_API, 'wf', 'list']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^alto: the API rejected the token \(401: token revoked\)\n  ALTO_TOKEN is the token in use/);
    expect(r.stderr).not.toContain('log in again');
  });

  it('with the stored token in use: log in again', async () => {
    const t = setup({ stdin: 'wfk_stored_token_5678\n' });
    tokenCheck(t, 200);
    expect((await login(t)).code).toBe(0);
    rejected(t);
    const r = await t.run(['--api-url', TEST_API, 'wf', 'list']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('log in again with: alto auth login');
    expect(r.stderr).not.toContain('ALTO_TOKEN');
  });
});
