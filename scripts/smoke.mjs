// A watched execute against the sandbox, run by an alto outside the source tree (the installed
// npm tarball, the single binary), in a bare environment: only the PATH given, a temp HOME,
// cwd a temp dir. Used by .ci/run.
//   node scripts/smoke.mjs --path DIR[:DIR] [--context FILE] -- ALTO [ARGS...]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const sep = argv.indexOf('--');
const opt = (name) => (argv.indexOf(name) >= 0 && argv.indexOf(name) < sep ? argv[argv.indexOf(name) + 1] : undefined);
const [cmd, ...pre] = argv.slice(sep + 1);
const home = mkdtempSync(join(tmpdir(), 'alto-smoke-'));
const env = { PATH: opt('--path') ?? '/nonexistent', HOME: home, ALTO_CONFIG_DIR: join(home, 'config') };
const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
let failed = 0;

function check(label, ok, detail = '') {
  process.stdout.write(`smoke: ${ok ? 'ok  ' : 'FAIL'} ${label}${ok || !detail ? '' : `\n${detail}`}\n`);
  if (!ok) failed += 1;
}
const run = (args, extra = {}) => spawnSync(cmd, [...pre, ...args], { cwd: home, env: { ...env, ...extra }, encoding: 'utf8', timeout: 60_000 });

try {
  const v = run(['--version']);
  check(`alto --version prints ${version}`, v.status === 0 && v.stdout.trim() === version, v.stderr || v.stdout || String(v.error));
  const h = run(['--help']);
  check('alto --help', h.status === 0 && h.stdout.includes('Usage: alto'), h.stderr || String(h.error));

  const sandbox = spawn(cmd, [...pre, 'sandbox', '--port', '0', '--quiet'], { cwd: home, env, stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    const url = await new Promise((resolve, reject) => {
      createInterface({ input: sandbox.stdout }).once('line', resolve);
      sandbox.once('error', reject);
      sandbox.once('exit', (code) => reject(new Error(`the sandbox exited early (${code})`)));
    });
    const api = { ALTO_API_URL: url.trim(), ALTO_TOKEN: 'alto-sandbox-token' };
    const context = opt('--context');
    const ok = run(['wf', 'execute', 'fl_demo_onboarding', '--watch', ...(context ? ['--context', context] : [])], api);
    check('wf execute fl_demo_onboarding --watch: exit 0, run completed', ok.status === 0 && /completed/.test(ok.stdout + ok.stderr), `exit ${ok.status}\n${ok.stdout}${ok.stderr}`);
    const bad = run(['wf', 'execute', 'fl_demo_failing', '--watch', '-q'], api);
    check('wf execute fl_demo_failing --watch: exit 1', bad.status === 1, `exit ${bad.status}\n${bad.stdout}${bad.stderr}`);
  } catch (err) {
    check('alto sandbox --port 0 starts', false, err.message);
  } finally {
    sandbox.kill('SIGINT');
  }
} finally {
  rmSync(home, { recursive: true, force: true });
}
process.stdout.write(`smoke: ${failed === 0 ? 'all passed' : `${failed} failed`}\n`);
process.exit(failed === 0 ? 0 : 1);
