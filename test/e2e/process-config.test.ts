import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { ALTO, ROOT, runAlto, secret } from '../helpers/spawn-alto.js';
import { tempDir } from '../helpers/temp-dir.js';

// What only real processes show: concurrent logins, a uid without a home, an unwritable
// directory, endless stdin. The tests run concurrently (only one of them starts runs).
const TOKEN = secret('wfk_e2e_process_config_token_3b9d');
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ token: TOKEN });
});
afterAll(() => sandbox.close());

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
/** A uid with no passwd entry (as in `docker run --user 54321`). */
const NO_PASSWD_UID = 54321;
/** Root, and this Node runs for that uid (not so for a Node under /root, as CI's fetched ones are). */
const canRunAsNoPasswd = isRoot && spawnSync(process.execPath, ['-e', '0'], { uid: NO_PASSWD_UID, gid: NO_PASSWD_UID }).status === 0;

function spawnAs(args: string[], opts: { env: Record<string, string>; uid?: number; shell?: string; input?: string; node?: boolean }): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const [cmd, argv] = opts.shell ? ['bash', ['-c', opts.shell.replace('ALTO', `'${process.execPath}' '${ALTO}' ${args.map((a) => `'${a}'`).join(' ')}`)]] : [process.execPath, opts.node ? args : [ALTO, ...args]];
    const child = spawn(cmd as string, argv as string[], { env: { PATH: process.env.PATH ?? '', ...opts.env }, uid: opts.uid, gid: opts.uid, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => void (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
    const timer = setTimeout(() => (child.kill('SIGKILL'), reject(new Error(`hung: ${args.join(' ')}\n${stderr}`))), 20_000);
    child.on('close', (code) => (clearTimeout(timer), resolve({ code, stdout, stderr, ms: performance.now() - started })));
    child.stdin.end(opts.input ?? '');
  });
}

describe.concurrent('auth login under concurrency (7.12)', () => {
  it('four logins at once never lose a profile (several rounds)', async () => {
    // Four rounds, each its own directory, run at the same time (the race is within a round).
    const names = ['a', 'b', 'c', 'd'];
    const rounds = await Promise.all(
      [0, 1, 2, 3].map(async () => {
        const dir = tempDir('alto-lock-');
        const results = await Promise.all(
          names.map((p) => runAlto(['auth', 'login', '--with-token', '--profile', p, '--api-url', sandbox.url], { env: { ALTO_CONFIG_DIR: dir }, input: `${TOKEN}\n`, timeoutMs: 20_000 })),
        );
        return { dir, results };
      }),
    );
    rounds.forEach(({ dir, results }, round) => {
      for (const r of results) expect(r.code, r.stderr).toBe(0);
      const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { profiles: Record<string, { token: string }> };
      expect(Object.keys(config.profiles).sort(), `round ${round}`).toEqual(names);
    });
  }, 60_000);
});

describe('conf: only login and logout load it, and it hooks no signal', () => {
  /** Runs alto with a preload that records, at exit, whether dist/vendor-conf.cjs was loaded. */
  async function loadsConf(args: string[], env: Record<string, string>, input?: string): Promise<boolean> {
    const dir = tempDir('alto-conf-load-');
    const hook = join(dir, 'hook.cjs');
    const out = join(dir, 'loaded');
    writeFileSync(hook, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(out)}, String(Object.keys(require.cache).some((k) => k.endsWith('vendor-conf.cjs')))));`);
    const r = await runAlto(args, { env: { ...env, NODE_OPTIONS: `--require ${hook}` }, input });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(out)).toBe(true);
    return readFileSync(out, 'utf8') === 'true';
  }

  it('auth status, wf list and auth token read the config without conf; login and logout load it', async () => {
    const dir = tempDir('alto-conf-');
    const env = { ALTO_CONFIG_DIR: dir, ALTO_API_URL: sandbox.url };
    expect(await loadsConf(['auth', 'login', '--with-token'], env, TOKEN)).toBe(true);
    expect(await loadsConf(['auth', 'status'], env)).toBe(false);
    expect(await loadsConf(['wf', 'list'], env)).toBe(false);
    expect(await loadsConf(['auth', 'token'], env)).toBe(false);
    expect(await loadsConf(['auth', 'logout'], env)).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'))).toEqual({ profiles: {} });
  });

  it('loading dist/vendor-conf.cjs adds no signal or exit listener (one Ctrl-C stays one)', async () => {
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR2', 'exit'];
    const script = `const before = ${JSON.stringify(signals)}.map((s) => process.listenerCount(s)); require(${JSON.stringify(join(ROOT, 'dist', 'vendor-conf.cjs'))}); process.stdout.write(JSON.stringify([before, ${JSON.stringify(signals)}.map((s) => process.listenerCount(s))]));`;
    const r = await spawnAs(['-e', script], { env: {}, node: true });
    expect(r.code, r.stderr).toBe(0);
    const [before, after] = JSON.parse(r.stdout) as [number[], number[]];
    expect(after).toEqual(before);
  });
});

describe.concurrent('no home directory, unwritable config directory (7.11)', () => {
  it.skipIf(!canRunAsNoPasswd)('HOME unset and a uid without a passwd entry: exit 2 with a clear line; works with ALTO_CONFIG_DIR or ALTO_TOKEN', async () => {
    const none = await spawnAs(['auth', 'status'], { env: {}, uid: NO_PASSWD_UID });
    expect(none.code).toBe(2);
    expect(none.stderr).toBe('alto: cannot find a place for the config file: HOME is not set and this user has no home directory\n  set ALTO_CONFIG_DIR (or HOME) to a directory alto may write\n');
    const dir = tempDir('alto-nohome-');
    chmodSync(dir, 0o777);
    const login = await spawnAs(['auth', 'login', '--with-token', '--api-url', sandbox.url], { env: { ALTO_CONFIG_DIR: dir }, uid: NO_PASSWD_UID, input: TOKEN });
    expect(login.code, login.stderr).toBe(0);
    const list = await spawnAs(['wf', 'list'], { env: { ALTO_API_URL: sandbox.url, ALTO_TOKEN: TOKEN }, uid: NO_PASSWD_UID });
    expect(list.code, list.stderr).toBe(0);
  });

  it.skipIf(!canRunAsNoPasswd)('an unwritable config directory on login and logout: one line, exit 2', async () => {
    const parent = tempDir('alto-ro-');
    const dir = join(parent, 'cfg');
    mkdirSync(dir);
    chmodSync(parent, 0o755);
    chmodSync(dir, 0o555);
    const login = await spawnAs(['auth', 'login', '--with-token', '--api-url', sandbox.url], { env: { ALTO_CONFIG_DIR: dir }, uid: NO_PASSWD_UID, input: TOKEN });
    expect(login.code).toBe(2);
    expect(login.stderr).toMatch(/^alto: cannot lock the config file .*config\.json\.lock: permission denied\n  check its permissions/);
    const sub = await spawnAs(['auth', 'login', '--with-token', '--api-url', sandbox.url], { env: { ALTO_CONFIG_DIR: join(dir, 'sub') }, uid: NO_PASSWD_UID, input: TOKEN });
    expect(sub.code).toBe(2);
    expect(sub.stderr).toMatch(/^alto: cannot create the config directory .*sub: permission denied\n/);
    // logout of a stored profile in a directory that became read-only
    const rw = join(parent, 'rw');
    mkdirSync(rw);
    chmodSync(rw, 0o777);
    const stored = await spawnAs(['auth', 'login', '--with-token', '--api-url', sandbox.url], { env: { ALTO_CONFIG_DIR: rw }, uid: NO_PASSWD_UID, input: TOKEN });
    expect(stored.code, stored.stderr).toBe(0);
    chmodSync(rw, 0o555);
    const logout = await spawnAs(['auth', 'logout'], { env: { ALTO_CONFIG_DIR: rw }, uid: NO_PASSWD_UID });
    expect(logout.code).toBe(2);
    expect(logout.stderr).toMatch(/^alto: cannot lock the config file .*: permission denied\n/);
  });
});

describe.concurrent('endless input ends fast (7.10)', () => {
  it('`yes | alto wf execute ID --context -` stops at 10 MiB: exit 2, nothing sent', async () => {
    const before = sandbox.runs.length;
    const r = await spawnAs(['wf', 'execute', 'fl_demo_onboarding', '--context', '-'], { env: { ALTO_API_URL: sandbox.url, ALTO_TOKEN: TOKEN }, shell: 'yes | ALTO; exit ${PIPESTATUS[1]}' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^alto: the context on stdin is larger than 10 MiB \(the limit\)$/m);
    expect(sandbox.runs.length).toBe(before);
  });
});
