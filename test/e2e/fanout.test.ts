// Sandbox rehearsal of the fan-out: bin/alto against `startSandbox` with a 60/min rate limit.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { E2E_SCENARIOS } from '../helpers/e2e-scenarios.js';
import { runAltoHere, secret } from '../helpers/spawn-alto.js';
import { tempDir } from '../helpers/temp-dir.js';

const TOKEN = secret('wfk_e2e_fanout_token_9d2c4b1a7e');

// Each test has its own sandbox (its own 60/min budget, runs and request log), so the tests run
// concurrently: the file takes about as long as its slowest test.
const sandboxes: Sandbox[] = [];
afterAll(() => Promise.all(sandboxes.map((s) => s.close())));
async function fresh(): Promise<{ sandbox: Sandbox; env: Record<string, string> }> {
  const sandbox = await startSandbox({ token: TOKEN, scenarios: E2E_SCENARIOS, rateLimit: 60 });
  sandboxes.push(sandbox);
  return { sandbox, env: { ALTO_API_URL: sandbox.url, ALTO_TOKEN: TOKEN } };
}

const tmp = tempDir('alto-fanout-');
const file = (name: string, text: string) => {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
};
const FAILING = [7, 13, 29, 40];
const contexts = (n: number) =>
  Array.from({ length: n }, (_, i) => JSON.stringify({ site_id: `site_${i + 1}`, ...(FAILING.includes(i + 1) ? { sandbox_outcome: 'failed' } : {}) })).join('\n') + '\n';

describe.concurrent('wf execute --each against a rate-limited API', () => {
  it('40 contexts: 40 runs, each with its line\'s context, none refused, exit 1 (4 failed)', async ({ expect }) => {
    const { sandbox, env } = await fresh();
    const each = file('sites.ndjson', contexts(40));
    const r = await runAltoHere(['wf', 'execute', 'fl_ok', '--each', each, '--label', 'site_id', '-f', 'team=net', '--concurrency', '40', '--interval', '1s', '--output', 'ndjson'], { env });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const runs = sandbox.runs;
    expect(runs).toHaveLength(40);
    expect(runs.map((x) => x.context.site_id).sort()).toEqual(Array.from({ length: 40 }, (_, i) => `site_${i + 1}`).sort());
    expect(runs.every((x) => x.context.team === 'net')).toBe(true);
    expect(sandbox.requests.filter((q) => q.refused || q.status === 429)).toEqual([]);
    const events = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string; label: string; index: number; exit_code: number; failed: number });
    const failed = events.filter((e) => e.type === 'result' && e.exit_code === 1).sort((x, y) => x.index - y.index);
    expect(failed.map((x) => x.label)).toEqual(FAILING.map((n) => `site_${n}`));
    expect(events.at(-1)).toMatchObject({ type: 'summary', failed: 4, exit_code: 1 });
    expect(sandbox.requests.length / 40).toBeLessThanOrEqual(1.6);
  });

  it('the same --idempotency-key again starts nothing new; an edited line starts one', async ({ expect }) => {
    const { sandbox, env } = await fresh();
    const each = file('five.ndjson', contexts(5));
    const first = await runAltoHere(['wf', 'execute', 'fl_ok', '--each', each, '--idempotency-key', 'ci-job-41', '-q', '--interval', '1s'], { env });
    expect(first.code).toBe(0);
    const again = await runAltoHere(['wf', 'execute', 'fl_ok', '--each', each, '--idempotency-key', 'ci-job-41', '-q', '--interval', '1s'], { env });
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(first.stdout);
    expect(sandbox.runsCreated()).toBe(5);
    writeFileSync(each, contexts(5).replace('site_5', 'site_55'));
    await runAltoHere(['wf', 'execute', 'fl_ok', '--each', each, '--idempotency-key', 'ci-job-41', '-q', '--interval', '1s'], { env });
    expect(sandbox.runsCreated()).toBe(6);
  });

  it('a bad line 23: exit 2 naming line 23, nothing sent', async ({ expect }) => {
    const { sandbox, env } = await fresh();
    const lines = contexts(40).split('\n');
    lines[22] = '{"site_id": "site_23", }';
    const each = file('bad.ndjson', lines.join('\n'));
    const r = await runAltoHere(['wf', 'execute', 'fl_ok', '--each', each], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^alto: .*bad\.ndjson:23: invalid JSON at column \d+/);
    expect(sandbox.requests).toEqual([]);
  });
});

describe.concurrent('run watch a b c', () => {
  it('ends with the most severe code of the runs', async ({ expect }) => {
    const { sandbox, env } = await fresh();
    const each = file('abc.ndjson', '{"sandbox_outcome": "failed"}\n{}\n');
    const started = await runAltoHere(['wf', 'execute', 'fl_ok', '--each', each, '-q', '--interval', '1s'], { env });
    const [a, b] = started.stdout.trim().split('\n');
    const r = await runAltoHere(['run', 'watch', a!, b!, 'fl_run_missing', '--interval', '1s'], { env });
    expect(r.code, r.stderr).toBe(4);
    expect(r.stdout).toMatch(/3 runs: 1 failed, 1 completed, 1 lost contact · exit 4/);
    const r2 = await runAltoHere(['run', 'watch', a!, b!, '--workflow', 'fl_ok', '--output', 'ndjson'], { env });
    expect(r2.code).toBe(1);
    expect(r2.stdout.trimEnd().split('\n').map((l) => (JSON.parse(l) as { type: string }).type).at(-1)).toBe('summary');
  });
});
