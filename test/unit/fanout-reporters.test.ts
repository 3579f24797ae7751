// The fan-out's text reporter: spinner counts on a terminal, a heartbeat elsewhere, the summary.
import { describe, expect, it } from 'vitest';
import type { FanoutEvent, FanoutResult } from '../../src/fanout/engine.js';
import { PLAIN_PALETTE } from '../../src/ui/color-level.js';
import { createPalette } from '../../src/ui/palette.js';
import { createFanoutTextReporter, renderCounts, type FanoutReporterContext } from '../../src/ui/reporters/fanout-reporter.js';
import type { SpinnerFactory } from '../../src/ui/spinner.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { createTestIO } from '../helpers/test-io.js';

function context(spinner?: SpinnerFactory) {
  const io = createTestIO();
  const clock = new FakeClock();
  const ctx: FanoutReporterContext = { out: io.stdout, err: io.stderr, clock, palette: PLAIN_PALETTE, errPalette: PLAIN_PALETTE, total: 40, verbose: false, width: 100, ...(spinner ? { spinner } : {}) };
  return { io, clock, ctx };
}
const progress = (done: number, failed: number, running: number, queued: number): FanoutEvent => ({ type: 'progress', done, failed, running, queued });

describe('fan-out text reporter', () => {
  it('the counts line', () => {
    expect(renderCounts({ done: 12, failed: 2, running: 8, queued: 20 }, 40)).toBe('12/40 done · 2 failed · 8 running · 20 queued');
  });

  it('on a terminal the spinner carries the counts; lines on stdout clear and redraw it', async () => {
    const texts: string[] = [];
    const calls: string[] = [];
    const spinner: SpinnerFactory = async (o) => (texts.push(o.text), { clear: () => calls.push('clear'), render: () => calls.push('render'), setText: (t) => texts.push(t), stop: () => calls.push('stop') });
    const { io, ctx } = context(spinner);
    const r = createFanoutTextReporter(ctx);
    await r.start();
    r.onEvent({ type: 'started', index: 0, label: 'site_1', runId: 'fl_run_1', run: undefined });
    r.onEvent(progress(12, 2, 8, 20));
    expect(texts).toEqual(['0/40 done · 0 failed · 0 running · 40 queued', '12/40 done · 2 failed · 8 running · 20 queued']);
    expect(calls).toEqual(['clear', 'render']);
    expect(io.stdout.text()).toBe('▶ site_1  fl_run_1  started\n');
    expect(io.stderr.text()).toBe('');
  });

  it('the spinner colours its frame only when the stderr palette has colour (NO_COLOR)', async () => {
    const colours: Array<boolean | undefined> = [];
    const spinner: SpinnerFactory = async (o) => (colours.push(o.color), { clear() {}, render() {}, setText() {}, stop() {} });
    await createFanoutTextReporter(context(spinner).ctx).start();
    await createFanoutTextReporter({ ...context(spinner).ctx, errPalette: createPalette(1) }).start();
    expect(colours).toEqual([false, true]);
  });

  it('elsewhere (CI): a heartbeat with the counts on stderr after 30 s of silence, not before', async () => {
    const { io, clock, ctx } = context();
    const r = createFanoutTextReporter(ctx);
    await r.start();
    clock.advance(29_000);
    r.onEvent(progress(1, 0, 9, 30));
    expect(io.stderr.text()).toBe('');
    clock.advance(1000);
    r.onEvent(progress(2, 0, 9, 29));
    expect(io.stderr.text()).toMatch(/^\d\d:\d\d:\d\d 2\/40 done · 0 failed · 9 running · 29 queued\n$/);
    r.onEvent(progress(3, 0, 9, 28));
    expect(io.stderr.text().split('\n')).toHaveLength(2);
  });

  it('the summary: a row per context, never-started ones included, and the counts', () => {
    const { io, ctx } = context();
    const r = createFanoutTextReporter(ctx);
    const result: FanoutResult = {
      results: [
        { index: 0, label: 'a', runId: 'r1', outcome: 'failed', exitCode: 1, durationMs: 10_000, run: { id: 'r1', status: 'failed' } },
        { index: 1, label: 'b', outcome: 'not_started', exitCode: null },
      ],
      exitCode: 1,
      counts: { done: 1, failed: 1, running: 0, queued: 1, notStarted: 1 },
      requests: 3,
    };
    r.finish(result);
    expect(io.stdout.text()).toBe('\nLABEL  RUN  OUTCOME      DURATION  EXIT\na      r1   failed       10s       1\nb      -    not started  -         -\n\n2 runs: 1 failed, 1 not started · exit 1\n');
  });

  it('runs still going (interrupted, timed out) get a re-attach line', () => {
    const { io, ctx } = context();
    createFanoutTextReporter(ctx).finish({
      results: [
        { index: 0, label: 'r1', runId: 'r1', outcome: 'interrupted', exitCode: 130 },
        { index: 1, label: 'r2', runId: 'r2', outcome: 'completed', exitCode: 0 },
        { index: 2, label: 'r3', runId: 'r3', outcome: 'timeout', exitCode: 124 },
      ],
      exitCode: 130,
      counts: { done: 3, failed: 2, running: 0, queued: 0, notStarted: 0 },
      requests: 3,
    });
    expect(io.stdout.text()).toMatch(/\nStill going; re-attach: alto run watch r1 r3\n$/);
  });
});
