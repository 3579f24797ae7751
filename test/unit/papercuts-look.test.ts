import { describe, expect, it } from 'vitest';
import { assertNoPendingAfterEach, makeTestDeps } from '../helpers/test-deps.js';

// Issue 12: one shape for ndjson, one look for marks, warnings and error lines.
assertNoPendingAfterEach();

const JSON_HEADERS = { headers: { 'content-type': 'application/json' } };

function started(t: ReturnType<typeof makeTestDeps>, path = '/workflows/fl_1/execute') {
  t.api.intercept({ path, method: 'POST' }).reply(202, { id: 'fl_run_9', status: 'pending' }, JSON_HEADERS);
}

describe('--output ndjson without --watch', () => {
  it('execute: a run event, then a result event with exit_code 0', async () => {
    const t = makeTestDeps();
    started(t);
    const r = await t.run(['wf', 'execute', 'fl_1', '--output', 'ndjson']);
    expect(r.code).toBe(0);
    const events = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(events).toEqual([
      { type: 'run', run: { id: 'fl_run_9', status: 'pending' } },
      { type: 'result', run: { id: 'fl_run_9', status: 'pending' }, exit_code: 0 },
    ]);
  });
});

describe('one look', () => {
  it('one success mark and one warning mark in every terminal renderer (not ✓ or ⚠)', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const files = (readdirSync('src', { recursive: true }) as string[]).filter((p) => p.endsWith('.ts'));
    // github-files.ts writes a Markdown step summary, where GitHub's emoji are the convention.
    const offenders = files.filter((p) => !p.endsWith('github-files.ts') && /[✓⚠]/.test(readFileSync(join('src', p), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('execute in text mode: the started line uses ✔', async () => {
    const t = makeTestDeps();
    started(t);
    const r = await t.run(['wf', 'execute', 'fl_1']);
    expect(r.stdout).toBe('✔ Started run fl_run_9 (pending)\n  Follow it: alto run watch fl_run_9\n');
  });
});
