// Issue 12.2: the hints `npm run demo -- fl_demo_failing` leaves behind can be run as printed:
// with --keep the sandbox stays up and the printed commands (npx alto ...) work; without it the
// sandbox is gone and the demo says how to get one.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '../..');

function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CI: '1', NO_COLOR: '1' };
  for (const k of Object.keys(env)) if (k.startsWith('ALTO_')) delete env[k];
  return env;
}

function demo(args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, 'scripts/demo.mjs'), ...args, '--no-build'], { cwd: root, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.resume();
    child.on('exit', (code) => resolve({ code, stdout }));
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe.concurrent('npm run demo', () => {
  it('--keep leaves the sandbox up; the commands it prints run as printed; the stop line stops it', async () => {
    const { code, stdout } = await demo(['fl_demo_failing', '--keep']);
    expect(code).toBe(1);
    const exportLine = /^ {2}export ALTO_API_URL=(\S+) ALTO_TOKEN=(\S+)$/m.exec(stdout);
    const logsLine = /^ {2}npx alto (run logs fl_run_\w+)$/m.exec(stdout);
    const stopLine = /^ {2}kill (\d+); unset ALTO_API_URL ALTO_TOKEN; rm -r (\S+)$/m.exec(stdout);
    expect(exportLine && logsLine && stopLine, stdout).toBeTruthy();
    const [, url, token] = exportLine as RegExpExecArray;
    const pid = Number((stopLine as RegExpExecArray)[1]);
    try {
      expect(alive(pid)).toBe(true);
      // As a user types it in the clone: npx finds this package's own bin (--offline: no registry).
      const env = { ...cleanEnv(), ALTO_API_URL: url, ALTO_TOKEN: token };
      const logs = spawnSync('npx', ['--offline', 'alto', ...(logsLine?.[1] ?? '').split(' ')], { cwd: root, env, encoding: 'utf8' });
      expect(logs.status, logs.stderr).toBe(0);
      expect(logs.stdout).toContain('n3 (webhook)');
      // The resume hint alto printed (npx's own part is shown above; once is enough: it is slow).
      const resume = /alto (run resume fl_run_\w+ --from \w+)/.exec(stdout);
      expect(resume, stdout).toBeTruthy();
      const resumed = spawnSync(process.execPath, [join(root, 'bin', 'alto.js'), ...(resume?.[1] ?? '').split(' '), '-q'], { cwd: root, env, encoding: 'utf8' });
      expect(resumed.status, resumed.stderr).toBe(0);
      expect(resumed.stdout).toMatch(/^fl_run_\w+\n$/);
    } finally {
      process.kill(pid, 'SIGTERM');
    }
    for (let i = 0; i < 200 && alive(pid); i++) await new Promise((r) => setTimeout(r, 25));
    expect(alive(pid)).toBe(false);
    rmSync(stopLine?.[2] ?? '', { recursive: true, force: true });
  }, 60_000);

  it('without --keep stops the sandbox and says how to try the hints', async () => {
    const { code, stdout } = await demo(['fl_demo_failing']);
    expect(code).toBe(1);
    const url = /serving the demo workflows at (\S+)/.exec(stdout)?.[1] as string;
    await expect(fetch(`${url}/__sandbox/runs`)).rejects.toThrow();
    expect(stdout).toContain('npm run demo -- fl_demo_failing --keep');
    expect(stdout).toContain('npx alto sandbox');
    expect(stdout).toMatch(/export ALTO_API_URL=http:\/\/127\.0\.0\.1:8787 ALTO_TOKEN=alto-sandbox-token/);
    const tmp = /(\/\S*alto-demo-\w+)/.exec(stdout);
    if (tmp) expect(existsSync(tmp[1] as string)).toBe(false);
  }, 60_000);
});
