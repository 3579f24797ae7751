// Issue 12.4: `sandbox --workflows bad.json` names line and column; a --fault rule no endpoint
// can match is refused.
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runSandboxCommand } from '../../src/commands/sandbox/sandbox-run.js';
import type { Deps } from '../../src/deps.js';
import { UsageError } from '../../src/errors.js';
import { endpointsMatching } from '../../src/sandbox/endpoints.js';
import { parseFaultRule } from '../../src/sandbox/faults.js';
import { loadScenarioFile } from '../../src/sandbox/scenario.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { tempDir } from '../helpers/temp-dir.js';

const dir = tempDir('alto-papercuts-sandbox-');
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('sandbox --workflows with bad JSON', () => {
  it.each([
    ['a trailing comma', '{\n  "workflows": [\n    {"id": "a",}\n  ]\n}\n', 3, 16],
    ['a missing quote', '{\n  "workflows": [\n  {id: 1}]}', 3, 4],
    ['an unfinished file', '{\n  "workflows": [', 2, 17],
  ])('reports the line and column of %s', async (_what, text, line, column) => {
    const path = file(`bad-${line}-${column}.json`, text);
    const err = await loadScenarioFile(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).message).toMatch(new RegExp(`^${path.replace(/[.\\/]/g, '\\$&')}: not valid JSON at line ${line}, column ${column}: `));
  });

  it('refuses a device that never ends (/dev/zero) in one line, without reading it', async () => {
    const err = await loadScenarioFile('/dev/zero').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).message).toBe('cannot read workflows file /dev/zero: not a regular file');
  });

  it('refuses a FIFO with no writer at once (a blocking open would hang start-up past SIGTERM)', async () => {
    const fifo = file('fifo-placeholder.json', '');
    rmSync(fifo);
    execFileSync('mkfifo', [fifo]);
    const err = await loadScenarioFile(fifo).catch((e: unknown) => e);
    expect((err as UsageError).message).toBe(`cannot read workflows file ${fifo}: not a regular file`);
  });

  it('refuses a file past 16 MiB in one line', async () => {
    const big = file('big.json', ' '.repeat(16 * 1024 * 1024 + 1));
    const err = await loadScenarioFile(big).catch((e: unknown) => e);
    expect((err as UsageError).message).toBe(`cannot read workflows file ${big}: larger than 16 MiB`);
  });

  it('accepts a byte-order mark', async () => {
    const path = file('bom.json', '\uFEFF{"workflows": [{"id": "fl_bom", "name": "BOM", "steps": [{"node_id": "a", "component_id": "webhook"}]}]}');
    await expect(loadScenarioFile(path)).resolves.toMatchObject({ workflows: [{ id: 'fl_bom' }] });
  });
});

describe('--fault rules must reach an endpoint', () => {
  it.each([
    'GET /workflow/runs/*=reset', // typo: workflow
    'POST /workflows/runs/fl_run_1=reset', // no POST on one run
    'DELETE /workflows=reset', // no such method
    'GET /workflows/runs/*/logs=reset', // no such endpoint
    '/runs/**=reset',
    'GET /workflows/fl_a/execute=reset', // execute is POST
  ])('refuses %j', (rule) => {
    expect(() => parseFaultRule(rule)).toThrow(UsageError);
    expect(() => parseFaultRule(rule)).toThrow('matches no endpoint of the sandbox');
  });

  it.each([
    '*=reset',
    '/**=reset',
    '/workflows/**=reset',
    'GET /workflows=reset',
    'GET /workflows/runs/*=http_error:status=503,times=3',
    'POST /workflows/*/execute=reset_after_create',
    'POST /workflows/fl_demo_failing/execute=reset',
    'POST /workflows/runs/fl_run_*/resume-from/*=reset',
    'GET /workflows/**/executions=reset',
    'GET /workflows/fl_**=reset',
  ])('accepts %j', (rule) => expect(() => parseFaultRule(rule)).not.toThrow());

  it('names the endpoints a glob reaches', () => {
    expect(endpointsMatching('POST /workflows/runs/*/*')).toEqual(['POST /workflows/runs/:runId/rerun']);
    expect(endpointsMatching('GET /workflows/*')).toEqual(['GET /workflows/:workflowId']);
  });

  it('refuses the rule from the command line and from a workflows file, before listening', async () => {
    const stdout = new PassThrough();
    let written = '';
    stdout.on('data', (c: Buffer) => (written += c.toString()));
    // The timeout only ends a sandbox that (wrongly) started listening.
    const deps: Deps = { io: { stdout, stderr: new PassThrough(), stdin: new PassThrough() }, env: {}, clock: new FakeClock(), signal: AbortSignal.timeout(3000), version: '0' };
    const base = { port: 0, host: '127.0.0.1', quiet: true };
    const flag = await runSandboxCommand({ ...base, faults: ['GET /workflow/runs/*=reset'] }, deps).catch((e: unknown) => e);
    expect(flag).toBeInstanceOf(UsageError);
    expect((flag as UsageError).exitCode).toBe(2);
    expect((flag as UsageError).message).toMatch(/^invalid --fault "GET \/workflow\/runs\/\*=reset": match "GET \/workflow\/runs\/\*" matches no endpoint/);
    const scenario = file('typo.json', JSON.stringify({ workflows: [{ id: "fl_a", name: "A", steps: [{ node_id: "a", component_id: "webhook" }] }], faults: [{ match: 'GET /workflows/run/*/x', kind: 'reset' }] }));
    await expect(runSandboxCommand({ ...base, faults: [], workflows: scenario }, deps)).rejects.toThrow(`${scenario}: faults[0].match "GET /workflows/run/*/x" matches no endpoint`);
    expect(written).toBe('');
  });
});
