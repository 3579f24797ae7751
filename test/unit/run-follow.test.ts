import { describe, expect, it } from 'vitest';
import type { OutputOptions } from '../../src/commands/shared/output-flags.js';
import type { WatchOptions } from '../../src/commands/shared/watch-flags.js';
import { followRun } from '../../src/commands/shared/follow.js';
import { NetworkError, NotFoundError } from '../../src/errors.js';
import type { SpinnerFactory } from '../../src/ui/spinner.js';
import { createFakeClient, makeContext, makeRun, type RunScript, scriptRun } from '../helpers/fake-client.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { createTestIO, hasEscapes } from '../helpers/test-io.js';

const watch: WatchOptions = { timeoutMs: 65 * 60_000, intervalMs: 2000, maxOutageMs: 300_000, strict: false, verbose: false };
const text: OutputOptions = { json: false, quiet: false, ndjson: false };

function setup(script: RunScript, opts: { interactive?: boolean } = {}) {
  const clock = new FakeClock();
  const io = createTestIO({ stderrTTY: opts.interactive, columns: 80 });
  const controller = new AbortController();
  const client = createFakeClient({ clock, getRun: script });
  const ctx = makeContext({ client, clock, io, interactive: opts.interactive, signal: controller.signal });
  return { clock, io, controller, client, ctx };
}

describe('followRun', () => {
  it('returns 0 for a completed run, 1 with --strict and a step error', async () => {
    const script = scriptRun({ durationMs: 3000, logs: [{ atMs: 1000, node: 'a', status: 'error' }] }, 0);
    expect(await followRun(setup(script).ctx, 'fl_run_1', undefined, watch, text)).toBe(0);
    expect(await followRun(setup(script).ctx, 'fl_run_1', undefined, { ...watch, strict: true }, text)).toBe(1);
  });

  it('returns 1 for failed and 6 for awaiting a person', async () => {
    const failed = setup(scriptRun({ durationMs: 3000, end: 'failed' }, 0));
    expect(await followRun(failed.ctx, 'fl_run_1', undefined, watch, text)).toBe(1);
    const waiting = setup(scriptRun({ durationMs: 3000, end: 'awaiting_ui_interaction' }, 0));
    expect(await followRun(waiting.ctx, 'fl_run_1', undefined, watch, text)).toBe(6);
    expect(waiting.io.stderr.text()).toContain('waiting for a person in the dashboard');
  });

  it('returns 124 at --timeout and 130 on Ctrl-C, with the re-attach hint', async () => {
    const t = setup(() => makeRun());
    expect(await followRun(t.ctx, 'fl_run_1', undefined, { ...watch, timeoutMs: 30_000 }, text)).toBe(124);
    const c = setup(() => makeRun());
    c.clock.at(c.clock.now() + 7000, () => c.controller.abort());
    expect(await followRun(c.ctx, 'fl_run_1', undefined, watch, text)).toBe(130);
    expect(c.io.stderr.text()).toBe('stopped watching (interrupted); the run keeps going: alto run watch fl_run_1\n');
  });

  it('lost contact: one line on stderr and 5, not a throw', async () => {
    const s = setup((t) => (t > 2000 ? new NetworkError('connect ECONNREFUSED', { unsent: true }) : makeRun()));
    expect(await followRun(s.ctx, 'fl_run_1', undefined, { ...watch, maxOutageMs: 60_000 }, text)).toBe(5);
    const errLines = s.io.stderr.text().trimEnd().split('\n');
    expect(errLines.at(-1)).toBe('lost contact; the run may still be going: alto run watch fl_run_1 (last error: connect ECONNREFUSED)');
  });

  it('unknown final status: one line on stderr and 5', async () => {
    const s = setup(() => makeRun({ status: 'archived', completed_at: '2025-10-31T12:00:09.000000Z' }));
    expect(await followRun(s.ctx, 'fl_run_1', undefined, watch, text)).toBe(5);
    expect(s.io.stderr.text()).toContain('ended with status "archived"');
  });

  it('does not repeat the status of a run the caller announced', async () => {
    const s = setup(scriptRun({ durationMs: 1000 }, 0));
    await followRun(s.ctx, 'fl_run_1', makeRun({ status: 'pending' }), watch, text);
    const out = s.io.stdout.text();
    expect(out).not.toMatch(/● run fl_run_1 pending\n/);
    expect(out).toMatch(/pending → running/);
    expect(hasEscapes(out)).toBe(false);
  });

  it('--json: one document on stdout', async () => {
    const s = setup(scriptRun({ durationMs: 4000, logs: [{ atMs: 1000, node: 'a' }] }, 0));
    const code = await followRun(s.ctx, 'fl_run_1', makeRun({ status: 'pending' }), watch, { ...text, json: true });
    expect(code).toBe(0);
    expect(JSON.parse(s.io.stdout.text()).logs).toHaveLength(1);
  });

  it('uses the spinner only when interactive, and stops it when an error is thrown', async () => {
    const calls: string[] = [];
    const factory: SpinnerFactory = async () => {
      calls.push('start');
      return { clear() {}, render() {}, setText() {}, stop: () => void calls.push('stop') };
    };
    const plain = setup(scriptRun({ durationMs: 1000 }, 0));
    await followRun(plain.ctx, 'fl_run_1', undefined, watch, text, factory);
    expect(calls).toEqual([]);
    const tty = setup(() => new NotFoundError('run fl_run_1 not found'), { interactive: true });
    await expect(followRun(tty.ctx, 'fl_run_1', undefined, watch, text, factory)).rejects.toBeInstanceOf(NotFoundError);
    expect(calls).toEqual(['start', 'stop']);
  });
});
