import { MockAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApiClient } from '../../src/api/create-client.js';
import type { WatchOptions } from '../../src/commands/shared/watch-flags.js';
import { visibleWidth } from '../../src/ui/format.js';
import { createPalette } from '../../src/ui/palette.js';
import { createWatchReporter } from '../../src/ui/reporters/create.js';
import { chooseReporterKind, type ReporterContext, type ReporterKind } from '../../src/ui/reporters/reporter.js';
import type { Spinner, SpinnerFactory } from '../../src/ui/spinner.js';
import { startOraSpinner } from '../../src/ui/spinner.js';
import { watchRun, type WatchResult } from '../../src/watch/engine.js';
import { exitCodeForWatch } from '../../src/watch/exit-code.js';
import { makeRun, type RunScript, scriptRun, serveRun } from '../helpers/run-fixtures.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { createTestIO, hasEscapes, type TestIO } from '../helpers/test-io.js';

const watchOpts: WatchOptions = { timeoutMs: 65 * 60_000, intervalMs: 2000, maxOutageMs: 300_000, strict: false, verbose: false };

const steps = scriptRun(
  {
    durationMs: 6000,
    logs: [
      { atMs: 500, node: 'n1', output: { started: true } },
      { atMs: 3000, node: 'n2', status: 'error', output: { status: 503 } },
      { atMs: 5500, node: 'n3' },
    ],
  },
  Date.UTC(2025, 9, 31, 12),
);

const API = 'https://api.test';
const agents: MockAgent[] = [];
afterEach(async () => {
  for (const agent of agents.splice(0)) await agent.close();
});

/** Runs a whole watch through a reporter of the given kind. */
async function watchWith(kind: ReporterKind, script: RunScript, opts: { io?: TestIO; spinner?: SpinnerFactory; watch?: Partial<WatchOptions> } = {}) {
  const clock = new FakeClock();
  const io = opts.io ?? createTestIO();
  const watch = { ...watchOpts, ...opts.watch };
  const ctx: ReporterContext = { io, clock, palette: createPalette(0), errPalette: createPalette(0), watch, width: io.stdout.columns ?? 100 };
  const reporter = createWatchReporter(kind, ctx, opts.spinner);
  // The real client over a MockAgent that answers from the script by the fake clock's time.
  const agent = new MockAgent();
  agent.disableNetConnect();
  agents.push(agent);
  serveRun(agent, clock, API, script);
  const client = await buildApiClient({ baseUrl: API, token: 'wfk_test', requestTimeoutMs: 30_000 }, { io, env: {}, clock, signal: new AbortController().signal, version: '0.0.0-test', dispatcher: agent, random: () => 0.5 });
  let result: WatchResult | undefined;
  try {
    await reporter.start('fl_run_1', undefined);
    result = await watchRun(client, clock, { runId: 'fl_run_1', ...watch, signal: new AbortController().signal }, reporter.events);
    reporter.finish(result, exitCodeForWatch(result, watch));
  } finally {
    reporter.dispose();
  }
  return { io, result: result!, out: io.stdout.text(), err: io.stderr.text() };
}

function fakeSpinner() {
  const calls: string[] = [];
  const factory: SpinnerFactory = async (opts) => {
    calls.push(`start:${opts.text}`);
    const s: Spinner = {
      clear: () => void calls.push('clear'),
      render: () => void calls.push('render'),
      setText: (t) => void calls.push(`text:${t}`),
      stop: () => void calls.push('stop'),
    };
    return s;
  };
  return { calls, factory };
}

describe('choosing a reporter', () => {
  it('machine formats first, then quiet, then a spinner only when interactive', () => {
    const o = { json: false, quiet: false, ndjson: false };
    expect(chooseReporterKind({ ...o, json: true }, true)).toBe('json');
    expect(chooseReporterKind({ ...o, ndjson: true }, true)).toBe('ndjson');
    expect(chooseReporterKind({ ...o, quiet: true }, true)).toBe('quiet');
    expect(chooseReporterKind(o, true)).toBe('tty');
    expect(chooseReporterKind(o, false)).toBe('plain');
  });
});

describe('plain reporter', () => {
  it('one clock: status and step lines both carry the server time, never going back, whatever the local clock says', async () => {
    // The server's clock is 10 minutes behind this machine's: mixing the two would print
    // "12:00:00 pending → running" and then a step at "11:50:00".
    const behind = scriptRun({ durationMs: 6000, logs: [{ atMs: 500, node: 'n1' }, { atMs: 3000, node: 'n2' }] }, Date.UTC(2025, 9, 31, 11, 50));
    const { out } = await watchWith('plain', behind);
    const times = out.split('\n').map((l) => /^(\d\d:\d\d:\d\d) /.exec(l)?.[1]).filter((t): t is string => t !== undefined);
    expect(times.length).toBeGreaterThanOrEqual(4);
    expect([...times].sort()).toEqual(times);
    const local = (ms: number) => new Date(ms).toTimeString().slice(0, 8);
    expect(out).toContain(`${local(Date.UTC(2025, 9, 31, 11, 50, 0))} ● run fl_run_1 pending → running`);
    expect(out).toContain(`${local(Date.UTC(2025, 9, 31, 11, 50, 6))} ✔ run fl_run_1 running → completed`);
  });

  it('append-only lines: status changes and steps on stdout, summary at the end, no escapes', async () => {
    const { out, err } = await watchWith('plain', steps);
    expect(hasEscapes(out + err)).toBe(false);
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/● run fl_run_1 pending$/);
    expect(lines[1]).toMatch(/● run fl_run_1 pending → running$/);
    expect(lines.filter((l) => / [✔✖] n\d/.test(l))).toHaveLength(3);
    expect(lines.at(-2)).toMatch(/^✔ run fl_run_1 completed in 6\.0s · 3 steps: 2 succeeded, 0 warned, 1 failed$/);
    expect(lines.at(-1)).toBe('! completed with 1 step error (with --strict this would exit 1)');
    expect(err).toBe('');
  });

  it('writes a heartbeat to stderr after 30 s of silence, driven by polls', async () => {
    const { err } = await watchWith('plain', scriptRun({ durationMs: 95_000 }, 0));
    const beats = err.trimEnd().split('\n');
    expect(beats).toHaveLength(3);
    expect(beats[0]).toMatch(/still running: run fl_run_1, watching for 3\ds$/);
  });

  it('reports retries on stderr', async () => {
    const { err, result } = await watchWith('plain', (t) => (t > 1000 && t < 3000 ? ({ httpStatus: 503, body: { message: 'socket hang up' } }) : steps(t, 0)));
    expect(result.outcome).toBe('completed');
    expect(err).toMatch(/API error: HTTP 503 from api\.test: socket hang up; retrying in 375ms \(attempt 1\)\n.*retrying in 750ms \(attempt 2\)/);
  });

  it('prints the failure digest on stdout and re-attach hints on stderr', async () => {
    const failed = await watchWith('plain', scriptRun({ durationMs: 3000, end: 'failed', error: 'boom', logs: [{ atMs: 100, node: 'a' }, { atMs: 2900, node: 'b', status: 'error' }] }, 0));
    expect(failed.out).toContain('  error: boom');
    expect(failed.out).toContain('alto run resume fl_run_1 --from a');
    expect(failed.err).toBe('');
    const timeout = await watchWith('plain', () => makeRun(), { watch: { timeoutMs: 5000 } });
    expect(timeout.err).toBe('stopped watching after 5.0s (--timeout); the run keeps going: alto run watch fl_run_1\n');
  });
});

describe('json reporter', () => {
  it('prints nothing until the end, then exactly one document: the run with its logs', async () => {
    const { out, err } = await watchWith('json', steps);
    const doc = JSON.parse(out);
    expect(doc.status).toBe('completed');
    expect(doc.logs).toHaveLength(3);
    expect(err).toBe('');
  });

  it('keeps hints on stderr so stdout stays one document', async () => {
    const { out, err } = await watchWith('json', () => makeRun(), { watch: { timeoutMs: 5000 } });
    expect(JSON.parse(out).status).toBe('running');
    expect(err).toContain('alto run watch fl_run_1');
  });
});

describe('ndjson reporter', () => {
  it('one event per line: run changes, logs, and a last result with the exit code', async () => {
    const { out } = await watchWith('ndjson', steps, { watch: { strict: true } });
    const events = out.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(events.map((e) => e.type)).toEqual(['run', 'run', 'log', 'log', 'log', 'run', 'result']);
    expect(events[0].run.logs).toBeUndefined();
    expect(events[2].log.node_id).toBe('n1');
    const result = events.at(-1);
    expect(result.exit_code).toBe(1);
    expect(result.run.logs).toHaveLength(3);
  });

  it('ends with a result even when contact is lost', async () => {
    const { out, err } = await watchWith('ndjson', (t) => (t > 0 ? ({ httpStatus: 503, body: { message: 'down' } }) : makeRun()), {
      watch: { maxOutageMs: 10_000 },
    });
    const last = JSON.parse(out.trimEnd().split('\n').at(-1)!);
    expect(last).toMatchObject({ type: 'result', exit_code: 5 });
    expect(err).toContain('lost contact; the run may still be going: alto run watch fl_run_1 (last error: HTTP 503 from api.test: down)');
  });
});

describe('quiet reporter', () => {
  it('prints nothing for a good run', async () => {
    const { out, err } = await watchWith('quiet', scriptRun({ durationMs: 2000 }, 0));
    expect(out + err).toBe('');
  });

  it('prints only the error, on stderr, for a failed run', async () => {
    const { out, err } = await watchWith('quiet', scriptRun({ durationMs: 2000, end: 'failed', error: 'boom' }, 0));
    expect(out).toBe('');
    expect(err).toBe('✖ run fl_run_1 failed: boom\n');
  });
});

describe('tty reporter', () => {
  it('prints steps above the spinner (clear, write, render) and stops it before the summary', async () => {
    const { calls, factory } = fakeSpinner();
    const io = createTestIO({ stderrTTY: true, stdoutTTY: true });
    const { out } = await watchWith('tty', steps, { io, spinner: factory });
    expect(calls[0]).toBe('start:run fl_run_1 connecting');
    const firstLog = calls.indexOf('clear');
    expect(calls.slice(firstLog, firstLog + 2)).toEqual(['clear', 'render']);
    expect(calls.filter((c) => c === 'stop')).toHaveLength(1);
    expect(calls).toContain('text:run fl_run_1 running');
    expect(out).toContain('✔ run fl_run_1 completed');
    expect(out.split('\n').filter((l) => / n\d /.test(l) || / n\d$/.test(l))).toHaveLength(3);
  });

  it('stops the spinner when the watch throws', async () => {
    const { calls, factory } = fakeSpinner();
    const { AuthError } = await import('../../src/errors.js');
    await expect(watchWith('tty', () => ({ httpStatus: 401, body: { message: 'token revoked' } }), { spinner: factory })).rejects.toBeInstanceOf(AuthError);
    expect(calls.at(-1)).toBe('stop');
  });

  it('with ora on a terminal: hides the cursor while spinning and shows it again', async () => {
    const io = createTestIO({ stderrTTY: true, columns: 80 });
    const spinner = await startOraSpinner({ stream: io.stderr, text: 'run fl_run_1 running', color: false, suffix: () => '3s' });
    spinner.clear();
    io.stdout.write('a step\n');
    spinner.render();
    spinner.stop();
    spinner.stop();
    const err = io.stderr.text();
    expect(err).toContain('\u001B[?25l');
    expect(err).toContain('run fl_run_1 running 3s');
    expect(err.lastIndexOf('\u001B[?25h')).toBeGreaterThan(err.lastIndexOf('run fl_run_1 running'));
    expect(io.stdout.text()).toBe('a step\n');
  });

  it('a resize to a narrower terminal erases every row the last frame now takes, then draws one row', async () => {
    const io = createTestIO({ stderrTTY: true, columns: 100 });
    const spinner = await startOraSpinner({ stream: io.stderr, text: `run fl_run_${'x'.repeat(63)} running`, color: false, suffix: () => '12s · last step n1' });
    const csi = /\u001B\[[0-9;?]*[A-Za-z]/g;
    const firstFrame = io.stderr.text().replace(csi, '');
    // One row at 100 columns: the suffix is cut to fit, so the frame stays on a single row.
    expect(visibleWidth(firstFrame)).toBe(99);
    const before = io.stderr.text().length;
    io.stderr.columns = 40;
    io.stderr.emit('resize');
    const after = io.stderr.text().slice(before);
    spinner.stop();
    // The 99-column frame now spans 3 rows of 40: up 2, erase to the end of the screen.
    expect(after).toContain('\r\u001B[2A\u001B[J\r');
    const redrawn = after.slice(after.indexOf('\u001B[J') + 3).replace(csi, '').replace(/\r/g, '');
    expect(redrawn).toContain('…');
    expect(visibleWidth(redrawn)).toBeLessThanOrEqual(39);
    // stop() removed the listener: a later resize writes nothing.
    const done = io.stderr.text().length;
    io.stderr.emit('resize');
    expect(io.stderr.text().length).toBe(done);
  });

  it('stdout closing (| head) stops the spinner at once', async () => {
    const { calls, factory } = fakeSpinner();
    const io = createTestIO({ stderrTTY: true });
    const ctx: ReporterContext = { io, clock: new FakeClock(), palette: createPalette(0), errPalette: createPalette(0), watch: watchOpts, width: 80 };
    const reporter = createWatchReporter('tty', ctx, factory);
    await reporter.start('fl_run_1', undefined);
    expect(calls).not.toContain('stop');
    io.stdout.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    expect(calls.at(-1)).toBe('stop');
    reporter.dispose();
    expect(calls.filter((c) => c === 'stop')).toHaveLength(1);
  });
});
