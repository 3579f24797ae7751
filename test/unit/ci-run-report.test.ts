import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeGithubOutputs, writeStepSummary } from '../../src/ci/github-files.js';
import { createCiDialect, detectCiFormat } from '../../src/ci/index.js';
import { cryptoToken } from '../../src/ci/random.js';
import { ciRunLines } from '../../src/ci/run-report.js';

const failed = {
  id: 'fl_run_9',
  status: 'failed',
  error_message: 'HTTP 500 from ::error::api',
  started_at: '2026-11-30T10:00:00Z',
  completed_at: '2026-11-30T10:00:42Z',
  logs: [
    { node_id: 'fetch', component_id: 'http', status: 'success', output: '::add-mask::hunter2\n::error::fake\n##[group]x\n##vso[task.setvariable variable=A]1', created_at: '2026-11-30T10:00:10Z' },
    { node_id: 'send', component_id: 'http', status: 'error', output: { error: 'boom\r\n::warning::crlf' }, created_at: '2026-11-30T10:00:41Z' },
  ],
};
const completedWithError = { ...failed, id: 'fl_run_10', status: 'completed', error_message: null };

/** Commands GitHub's runner would run from these lines (stop-commands honoured). */
function githubCommands(lines: string[]): string[] {
  const found: string[] = [];
  let stop: string | undefined;
  for (const line of lines.flatMap((l) => l.split(/\r?\n|\r/)).map((l) => l.trim())) {
    if (stop !== undefined) {
      if (line === `::${stop}::`) stop = undefined;
      continue;
    }
    const m = /^::([a-z-]+)(?: [^:]*)?::(.*)$/.exec(line);
    if (m?.[1] === 'stop-commands') stop = m[2];
    else if (m) found.push(m[1] as string);
  }
  return found;
}

let dir = '';
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('a run in a GitHub Actions step', () => {
  it('prints a group, an error annotation for the failed run, no command from step output, and writes outputs and summary', async () => {
    dir = await mkdtemp(join(tmpdir(), 'alto-gha-'));
    const env = { GITHUB_ACTIONS: 'true', GITHUB_OUTPUT: join(dir, 'out'), GITHUB_STEP_SUMMARY: join(dir, 'summary.md') };
    const dialect = createCiDialect(detectCiFormat(env), { clock: { now: () => 0 }, randomToken: cryptoToken });
    const lines = [...ciRunLines(dialect, { run: failed, workflow: 'wf_deploy' }), ...dialect.finish()];
    expect(githubCommands(lines)).toEqual(['group', 'endgroup', 'error']);
    expect(lines.find((l) => l.startsWith('::error'))).toBe('::error title=wf_deploy%3A run fl_run_9 failed::HTTP 500 from ::error::api%0Afailing step: send');
    expect(lines.join('\n')).toContain('hunter2');

    const fsAppend = (path: string, text: string) => appendFile(path, text, 'utf8');
    await writeGithubOutputs(env, fsAppend, { runIds: ['fl_run_9'], status: 'failed', exitCode: 1 }, cryptoToken);
    await writeStepSummary(env, fsAppend, [{ run: failed, workflow: 'wf_deploy', exitCode: 1 }]);
    expect(await readFile(env.GITHUB_OUTPUT, 'utf8')).toBe('run-id=fl_run_9\nstatus=failed\nexit-code=1\nrun-ids=["fl_run_9"]\n');
    const summary = await readFile(env.GITHUB_STEP_SUMMARY, 'utf8');
    expect(summary).toContain('| 2 | send | http | ❌ error |');
  });

  it('a step error under a completed run is a warning, not an error', () => {
    const dialect = createCiDialect('github', { clock: { now: () => 0 }, randomToken: cryptoToken });
    const lines = ciRunLines(dialect, { run: completedWithError, workflow: 'wf' });
    expect(githubCommands(lines)).toEqual(['group', 'endgroup', 'warning']);
    const waiting = ciRunLines(dialect, { run: { ...failed, status: 'awaiting_ui_interaction' } });
    expect(githubCommands(waiting)).toEqual(['group', 'endgroup', 'warning']);
  });
});

describe('endings the status does not tell', () => {
  it('a fan-out line whose launch failed: an error annotation naming the line and the error, no "unknown status"', () => {
    const dialect = createCiDialect('github', { clock: { now: () => 0 }, randomToken: () => 'abcdef0123456789' });
    const lines = ciRunLines(dialect, { run: { id: '' }, workflow: 'wf', label: 'site-b', ending: 'launch_failed', error: 'the API refused the request (422): context.x is required' });
    expect(lines[0]).toBe('::group::wf [site-b] (no run started)');
    expect(lines).toContain('could not start a run: the API refused the request (422): context.x is required');
    expect(lines.at(-1)).toBe('::error title=wf%3A [site-b] could not start a run::the API refused the request (422): context.x is required');
    expect(lines.join('\n')).not.toMatch(/does not know|unknown/);
  });

  it('a run still pending or running when reported is incomplete, not a status alto does not know', () => {
    const d = createCiDialect('plain', { clock: { now: () => 0 }, randomToken: cryptoToken });
    for (const status of ['pending', 'running']) {
      const text = ciRunLines(d, { run: { id: 'fl_run_3', status }, workflow: 'wf' }).join('\n');
      expect(text).toContain(`error: wf: run fl_run_3 still ${status}: the run had not ended when alto wrote this report`);
      expect(text).not.toContain('does not know');
    }
    expect(ciRunLines(d, { run: { id: 'fl_run_4', status: 'exploded' }, workflow: 'wf' }).join('\n')).toContain('a status alto does not know');
  });
});

describe('runs in other runners', () => {
  it('GitLab sections balance over several runs; the completed one is collapsed, the failed one open', () => {
    const d = createCiDialect('gitlab', { clock: { now: () => 1_700_000_000_000 }, randomToken: cryptoToken });
    const lines = [...ciRunLines(d, { run: completedWithError }), ...ciRunLines(d, { run: failed }), ...ciRunLines(d, { run: failed, ending: 'timeout' }), ...d.finish()];
    const starts = lines.filter((l) => l.includes('section_start:'));
    const ends = lines.filter((l) => l.includes('section_end:'));
    expect(starts).toHaveLength(3);
    expect(ends).toHaveLength(3);
    expect(starts.map((l) => l.includes('[collapsed=true]'))).toEqual([true, false, false]);
    const text = lines.join('\n');
    expect(text.match(/section_(start|end):/g)).toHaveLength(6);
  });

  it('Buildkite opens a failed run with +++ and collapses a completed one with ---', () => {
    const d = createCiDialect('buildkite', { clock: { now: () => 0 }, randomToken: cryptoToken });
    expect(ciRunLines(d, { run: failed, workflow: 'wf' })[0]).toBe('+++ wf fl_run_9');
    expect(ciRunLines(d, { run: completedWithError, workflow: 'wf' })[0]).toBe('--- wf fl_run_10');
  });

  it('Azure raises one logissue error for a failed run and none from step output', () => {
    const d = createCiDialect('azure', { clock: { now: () => 0 }, randomToken: cryptoToken });
    const lines = [...ciRunLines(d, { run: failed, workflow: 'wf' }), ...d.finish()];
    const vso = lines.filter((l) => /##vso\[/i.test(l));
    expect(vso).toHaveLength(1);
    expect(vso[0]).toMatch(/^##vso\[task\.logissue type=error\]wf: run fl_run_9 failed: HTTP 500/);
  });

  it('cuts a long step output unless verbose, and never throws on nonsense', () => {
    const big = { ...failed, logs: [{ node_id: 'n', status: 'success', output: 'z'.repeat(10_000) }] };
    const d = createCiDialect('plain', { clock: { now: () => 0 }, randomToken: cryptoToken });
    expect(ciRunLines(d, { run: big }).join('\n')).toContain('[output cut to 2000 of 10000 characters; --verbose shows more]');
    expect(ciRunLines(d, { run: big, verbose: true }).join('\n')).not.toContain('output cut');
    for (const run of [null, 1, 'x', [], { logs: [null] }]) expect(() => ciRunLines(d, { run })).not.toThrow();
  });
});
