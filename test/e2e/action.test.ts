import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { E2E_SCENARIOS } from '../helpers/e2e-scenarios.js';
import { ROOT } from '../helpers/spawn-alto.js';
import { tempDir } from '../helpers/temp-dir.js';

// The Action as the runner runs it: `node action/index.cjs` (built fresh from src/ here; .ci/run
// checks the committed copy is the same) with the INPUT_* and GITHUB_* environment a step gets.
const TOKEN = 'wfk_action_e2e_7c2d9e41ab';
const tmp = tempDir('alto-action-');
const BUNDLE = join(tmp, 'index.cjs');
const sandboxes: Sandbox[] = [];

beforeAll(() => {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts/build.mjs'), '--action', `--out=${BUNDLE}`], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build --action failed: ${r.stderr}`);
});
afterAll(() => Promise.all(sandboxes.map((s) => s.close())));

async function sandbox(): Promise<Sandbox> {
  const s = await startSandbox({ token: TOKEN, scenarios: E2E_SCENARIOS });
  sandboxes.push(s);
  return s;
}

let outputs = 0;
/** Runs the entry with the runner's environment: defaults of action.yml plus `with` inputs. */
function runEntry(sb: Sandbox, withInputs: Record<string, string>, github: Record<string, string> = {}) {
  const outFile = join(tmp, `output-${outputs++}`);
  writeFileSync(outFile, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: tmp,
    ALTO_CONFIG_DIR: mkdtempSync(join(tmp, 'cfg-')),
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: outFile,
    GITHUB_REPOSITORY: 'acme/infra',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_JOB: 'deploy',
    GITHUB_ACTION: '__altostrat_alto',
    INPUT_WATCH: 'true',
    INPUT_STRICT: 'false',
    INPUT_TOKEN: TOKEN,
    'INPUT_API-URL': sb.url,
    ...github,
  };
  for (const [k, v] of Object.entries(withInputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  return new Promise<{ code: number | null; stdout: string; stderr: string; output: string }>((resolve) => {
    execFile(process.execPath, [BUNDLE], { env, timeout: 15_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      resolve({ code, stdout, stderr, output: readFileSync(outFile, 'utf8') });
    });
  });
}

const executes = (sb: Sandbox) => sb.requests.filter((r) => r.method === 'POST' && r.path.includes('/execute'));

describe.concurrent('GitHub Action entry against the sandbox', () => {
  it('masks the token first, runs the workflow with context and fields, exit 0, exit-code output', async ({ expect }) => {
    const sb = await sandbox();
    const r = await runEntry(sb, { workflow: 'fl_ok', context: '{"site":{"id":"s1"},"n":3}', fields: 'site.region=eu\nflag=true\n' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(`::add-mask::${TOKEN}`);
    // The token appears only in the mask command, nowhere else in the log.
    expect(r.stdout.split(TOKEN).length).toBe(2);
    expect(r.stdout).toMatch(/completed/);
    expect(r.output).toMatch(/^exit-code=0$/m);
    // alto's own GitHub outputs fill the action's run-id and status.
    expect(r.output).toMatch(new RegExp(`^run-id=${sb.runs[0]?.id}$`, 'm'));
    expect(r.output).toMatch(/^status=completed$/m);
    const sent = executes(sb);
    expect(sent).toHaveLength(1);
    expect(JSON.parse(sent[0]?.body ?? '')).toEqual({ context: { site: { id: 's1', region: 'eu' }, n: 3, flag: 'true' } });
    expect(sb.runs[0]?.status).toBe('completed');
  });

  it('the default Idempotency-Key: the same step again re-attaches; a new run attempt starts a new run', async ({ expect }) => {
    const sb = await sandbox();
    const first = await runEntry(sb, { workflow: 'fl_ok', watch: 'false' });
    const again = await runEntry(sb, { workflow: 'fl_ok', watch: 'false' });
    expect([first.code, again.code]).toEqual([0, 0]);
    expect(sb.runsCreated('fl_ok')).toBe(1);
    const keys = executes(sb).map((r) => r.headers['idempotency-key']);
    expect(keys[0]).toBe(keys[1]);
    expect(keys[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-/); // the derived key, as alto's name-based UUID
    const rerun = await runEntry(sb, { workflow: 'fl_ok', watch: 'false' }, { GITHUB_RUN_ATTEMPT: '2' });
    expect(rerun.code).toBe(0);
    expect(sb.runsCreated('fl_ok')).toBe(2);
    expect(executes(sb)[2]?.headers['idempotency-key']).not.toBe(keys[0]);
  });

  it('a failed run fails the step: exit 1 and exit-code=1', async ({ expect }) => {
    const sb = await sandbox();
    const r = await runEntry(sb, { workflow: 'fl_fail' });
    expect(r.code).toBe(1);
    expect(r.output).toMatch(/^exit-code=1$/m);
    expect(r.output).toMatch(/^run-id=\S+$/m);
    expect(r.output).toMatch(/^status=failed$/m);
    // The failed run is an error annotation in the log.
    expect(r.stdout).toMatch(/^::error title=.*failed::/m);
  });

  it('a bad input is exit 2 with one error line, and nothing is sent', async ({ expect }) => {
    const sb = await sandbox();
    const r = await runEntry(sb, { workflow: 'fl_ok', fields: 'no-equals-sign' });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('::error title=alto action::input `fields`, line 1: expected key=value, got "no-equals-sign"\n');
    expect(r.output).toMatch(/^exit-code=2$/m);
    expect(sb.requests).toEqual([]);
  });

  it('no token (input empty, no ALTO_TOKEN) is alto\'s exit 3, no mask line', async ({ expect }) => {
    const sb = await sandbox();
    const r = await runEntry(sb, { workflow: 'fl_ok', token: '' });
    expect(r.code).toBe(3);
    expect(r.stdout).not.toMatch(/add-mask/);
    expect(sb.runsCreated()).toBe(0);
  });
});
