import { describe, expect, it } from 'vitest';
import { newRunWatchCommand, type RunWatchOptions } from '../../../src/commands/run/watch.js';
import { cleanUrl, dashboardUrl, renderApprovalWait } from '../../../src/ui/render-approval.js';
import { PLAIN_PALETTE } from '../../../src/ui/color-level.js';
import { makeRun, type RunScript, serveRun } from '../../helpers/run-fixtures.js';
import { assertNoPendingAfterEach, makeTestDeps, TEST_API } from '../../helpers/test-deps.js';
import { hasEscapes } from '../../helpers/test-io.js';

assertNoPendingAfterEach();

/** A run that waits for a person from 1 s to 10 s, then completes (or stays waiting with `forever`). */
const approval =
  (extra: Record<string, unknown> = {}, forever = false): RunScript =>
  (t) => {
    if (t < 1000) return makeRun({ status: 'running' });
    if (t < 10_000 || forever) return makeRun({ status: 'awaiting_ui_interaction', ...extra });
    return makeRun({ status: 'completed', completed_at: '2025-10-31T12:00:10.000000Z' });
  };

function watch(script: RunScript, args: string[]) {
  const t = makeTestDeps();
  const served = serveRun(t.agent, t.clock, TEST_API, script);
  return { t, served, go: () => t.run(['run', 'watch', 'fl_run_1', ...args]) };
}

describe('--wait-approval: parsing', () => {
  it('run watch takes it as a watch option', async () => {
    const t = makeTestDeps();
    let seen: RunWatchOptions | undefined;
    const cmd = newRunWatchCommand(t.f, async (_f, o) => ((seen = o), 0));
    await cmd.parseAsync(['fl_run_1', '--wait-approval'], { from: 'user' });
    expect(seen?.watch.waitApproval).toBe(true);
    await cmd.parseAsync(['fl_run_1'], { from: 'user' });
    expect(seen?.watch.waitApproval).toBeUndefined();
  });

  it.each([
    ['wf', 'execute', 'fl_1'],
    ['run', 'rerun', 'fl_run_1'],
    ['run', 'resume', 'fl_run_1', '--from', 'n1'],
  ])('without --watch it is exit 2 and nothing is sent (%s %s)', async (...words) => {
    const t = makeTestDeps();
    const r = await t.run([...words, '--wait-approval']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^alto: --wait-approval has no effect without --watch\n/);
  });
});

describe('--wait-approval: watching', () => {
  it('keeps watching through awaiting_ui_interaction until the run completes: exit 0, one waiting line with the dashboard URL', async () => {
    const s = watch(approval({ dashboard_url: 'https://app.altostrat.io/runs/fl_run_1?x=\u001b[31m\u202e' }), ['--wait-approval']);
    const r = await s.go();
    expect(r.code).toBe(0);
    const waits = r.stderr.split('\n').filter((l) => l.includes('waiting for a person'));
    expect(waits).toEqual(['⏸ run fl_run_1 is waiting for a person in the dashboard; still watching (--wait-approval) until it ends or --timeout']);
    expect(r.stderr).toContain('  approve it at: https://app.altostrat.io/runs/fl_run_1?x=%1B[31m%E2%80%AE\n');
    expect(hasEscapes(r.stderr)).toBe(false);
    expect(r.stdout).toMatch(/run fl_run_1 completed/);
    expect(s.served.times.at(-1)).toBeGreaterThanOrEqual(10_000);
  });

  it('still ends at --timeout (exit 124) when nobody answers', async () => {
    const s = watch(approval({}, true), ['--wait-approval', '--timeout', '1m']);
    const r = await s.go();
    expect(r.code).toBe(124);
    expect(r.stderr).toContain('stopped watching after 1m');
  });

  it('without it: exit 6 at the first waiting answer, with the command that keeps waiting', async () => {
    const s = watch(approval(), []);
    const r = await s.go();
    expect(r.code).toBe(6);
    expect(r.stderr).toContain('keep waiting with alto run watch fl_run_1 --wait-approval');
    expect(s.served.times.at(-1)).toBeLessThan(10_000);
  });

  it('--json: the waiting line stays off stdout, the document is the completed run', async () => {
    const s = watch(approval(), ['--wait-approval', '--json']);
    const r = await s.go();
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'completed' });
  });
});

describe('dashboard URL', () => {
  it('finds a url-ish field on the run or under links', () => {
    expect(dashboardUrl({ approval_url: 'https://a.example/x' })).toBe('https://a.example/x');
    expect(dashboardUrl({ links: { dashboard: { href: 'https://b.example/y' } } })).toBe('https://b.example/y');
    expect(dashboardUrl({ links: { html: 'https://c.example/' } })).toBe('https://c.example/');
    expect(dashboardUrl({ url: 42, links: 'nope' })).toBeUndefined();
    expect(dashboardUrl(null)).toBeUndefined();
  });

  it('keeps only http(s) links, drops credentials, and bounds the length', () => {
    expect(cleanUrl('javascript:alert(1)')).toBeUndefined();
    expect(cleanUrl('file:///etc/passwd')).toBeUndefined();
    expect(cleanUrl('https://user:secret@host.example/p')).toBe('https://host.example/p');
    expect(cleanUrl(`https://h.example/${'a'.repeat(5000)}`)).toBeUndefined();
    expect(cleanUrl('https://h.example/a b\nc')).toBe('https://h.example/a%20bc');
  });

  it('the waiting line has no URL line when there is none', () => {
    expect(renderApprovalWait(makeRun({ status: 'awaiting_ui_interaction' }), PLAIN_PALETTE)).toHaveLength(1);
  });
});

describe('--wait-approval at a terminal', () => {
  it('the spinner is cleared for the waiting line and drawn again', async () => {
    const { followRun } = await import('../../../src/commands/shared/follow.js');
    const calls: string[] = [];
    const t = makeTestDeps({ io: { stderrTTY: true, columns: 80 } });
    serveRun(t.agent, t.clock, TEST_API, approval({ links: { dashboard: 'https://app.example/r/1' } }));
    const spinner = async () => ({ clear: () => void calls.push('clear'), render: () => void calls.push('render'), setText() {}, stop: () => void calls.push('stop') });
    const code = await followRun(t.f, 'fl_run_1', undefined, { timeoutMs: 60_000, intervalMs: 2000, maxOutageMs: 60_000, strict: false, verbose: false, waitApproval: true }, { json: false, quiet: false, ndjson: false }, spinner);
    expect(code).toBe(0);
    expect(calls.slice(0, 2)).toEqual(['clear', 'render']);
    expect(t.io.stderr.text()).toContain('still watching (--wait-approval)');
    expect(t.io.stderr.text()).toContain('  approve it at: https://app.example/r/1\n');
  });
});
