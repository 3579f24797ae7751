// Every renderer and reporter against a hostile server: every string full of escape codes,
// OSC 8 links, OSC 52 clipboard writes, C1 CSI, bidi overrides, CR and CI commands, and every
// other field of the wrong JSON type. Nothing may throw, no raw control or bidi character may
// reach text output, and --json / ndjson must still carry exactly what the server sent.
import { describe, expect, it } from 'vitest';
import type { WatchOptions } from '../../src/commands/shared/watch-flags.js';
import type { WorkflowLog, WorkflowRun } from '../../src/api/types.js';
import { NetworkError } from '../../src/errors.js';
import type { WatchOutcome, WatchResult } from '../../src/watch/engine.js';
import { createPalette } from '../../src/ui/palette.js';
import type { Palette } from '../../src/ui/palette.js';
import { renderWatchEnd, renderWatchEndErrors } from '../../src/ui/render-end.js';
import { renderLog } from '../../src/ui/render-log.js';
import {
  renderAwaiting,
  renderFailureDigest,
  renderLostContact,
  renderReattach,
  renderUnknownStatus,
} from '../../src/ui/render-outcome.js';
import { renderRunDetail, renderStatusChange, renderSummary } from '../../src/ui/render-run.js';
import { renderRunsTable } from '../../src/ui/render-runs-table.js';
import { renderWorkflow, renderWorkflowList } from '../../src/ui/render-workflow.js';
import { clockTime, localDateTime, oneLine, parseTime, safeJson, text, timeOf } from '../../src/ui/format.js';
import { createWatchReporter } from '../../src/ui/reporters/create.js';
import type { ReporterContext, ReporterKind } from '../../src/ui/reporters/reporter.js';
import { startOraSpinner, type SpinnerFactory } from '../../src/ui/spinner.js';
import { createCiDialect } from '../../src/ci/index.js';
import { neutralize, neutralizeLine } from '../../src/ci/text.js';
import { renderJunit, xmlEscape } from '../../src/report/junit.js';
import { ciRunLines } from '../../src/ci/run-report.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { createTestIO } from '../helpers/test-io.js';

/** A string from a hostile server: every way to drive a terminal or a CI log. */
const EVIL =
  '::error::pwned\r\n' +
  '\u001b[31mred\u001b[0m \u001b]8;;https://evil.example/\u0007click\u001b]8;;\u0007 ' +
  '\u001b]52;c;ZXZpbA==\u0007 \u009b2J\u009d0;title\u009c \u202egnp.exe\u202c \u2066iso\u2069 \u200f \u061c ' +
  'bell\u0007 bs\u0008 del\u007f cr\rline\u2028 ##vso[task.setvariable]x \ud800 lone \udfff end\n--- group\n' +
  'zw\u200b\u200c\u200d \u180e \u2060\u2064 bom\ufeff tags\u{e0001}\u{e0069}\u{e0067}\u{e007f}\n';

/** Wrong JSON types, including ones that throw when made into a string. */
const ODD: unknown[] = [
  42,
  -1.5e308,
  true,
  false,
  null,
  JSON.parse('{"toString":1,"valueOf":1}'),
  JSON.parse('{"__proto__":{"x":1},"constructor":2}'),
  [1, [EVIL, { a: EVIL }]],
  { [EVIL]: EVIL },
  [],
  {},
  '',
  EVIL,
];

function hostileLog(i: number, odd: unknown): Record<string, unknown> {
  return {
    id: i % 2 ? `log_${i}` : odd,
    node_id: i % 3 ? EVIL : odd,
    component_id: i % 2 ? odd : EVIL,
    status: ['success', 'warning', 'error', EVIL, odd][i % 5],
    output: i % 4 ? { msg: EVIL, n: odd, nested: [EVIL, { deep: odd }] } : odd ?? EVIL,
    created_at: i % 2 ? odd : EVIL,
  };
}

/** Runs with every field hostile: string fields full of EVIL, the others of every wrong type. */
function hostileRuns(): unknown[] {
  const runs: unknown[] = [null, 7, 'run', [], JSON.parse('{"toString":1}')];
  ODD.forEach((odd, i) => {
    runs.push({
      id: i % 2 ? EVIL : odd,
      status: [EVIL, odd, 'failed', 'completed', 'running'][i % 5],
      error_message: i % 2 ? odd : EVIL,
      started_at: i % 3 ? odd : EVIL,
      completed_at: i % 2 ? EVIL : odd,
      created_at: odd,
      duration_in_seconds: i % 2 ? odd : EVIL,
      logs: i % 4 === 3 ? odd : [null, 3, EVIL, odd, ...[0, 1, 2, 3, 4].map((k) => hostileLog(k + i, odd))],
      workflow: odd,
    });
  });
  return runs;
}

function hostileWorkflows(): unknown[] {
  const list: unknown[] = [null, 1, EVIL, []];
  ODD.forEach((odd, i) => {
    list.push({
      id: i % 2 ? EVIL : odd,
      name: i % 2 ? odd : EVIL,
      description: i % 3 ? odd : EVIL,
      is_active: odd,
      schedule_type: EVIL,
      schedule_value: odd,
      next_run_at: EVIL,
      webhook_url: i % 2 ? EVIL : odd,
      created_at: odd,
      updated_at: EVIL,
      nodes: i % 4 === 3 ? odd : [null, odd, { id: EVIL, type: odd, data: { componentId: EVIL, label: EVIL, name: odd } }, { id: odd, type: EVIL, data: odd }],
      edges: i % 4 === 2 ? odd : [null, odd, { id: odd, source: EVIL, target: odd, sourceHandle: EVIL }],
    });
  });
  return list;
}

// Everything the terminal or a CI runner could act on, and what a reader cannot see. Colour codes of alto's own palette are
// removed first (they are the only escape codes allowed).
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u180e\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]|\udb40[\udc00-\udc7f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
// eslint-disable-next-line no-control-regex
const OWN_COLOUR = /\u001b\[[0-9;]*m/g;

function expectSafe(output: string | readonly string[], where: string): void {
  const joined = typeof output === 'string' ? output : output.join('\n');
  const plainText = joined.replace(OWN_COLOUR, '');
  const bad = UNSAFE.exec(plainText);
  if (bad) throw new Error(`${where}: raw U+${bad[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${bad.index}: ${JSON.stringify(plainText.slice(Math.max(0, bad.index - 30), bad.index + 10))}`);
  for (const line of plainText.split('\n')) {
    if (/^\s*::/.test(line) || /##vso\[/i.test(line) || /^(---|\+\+\+|~~~) /.test(line)) throw new Error(`${where}: a CI command survives: ${JSON.stringify(line.slice(0, 80))}`);
  }
}

const palettes: Array<[string, Palette]> = [
  ['plain', createPalette(0)],
  ['colour', createPalette(3)],
];
const NOW = Date.UTC(2025, 9, 31, 12);
const OUTCOMES: WatchOutcome[] = ['completed', 'failed', 'awaiting_ui_interaction', 'unknown_status', 'timeout', 'interrupted', 'lost_contact'];

describe('renderers with a hostile server', () => {
  it('the fixture really is hostile', () => {
    expect(() => expectSafe(EVIL, 'fixture')).toThrow(/raw U\+/);
    expect(() => String(JSON.parse('{"toString":1}'))).toThrow();
  });

  for (const [name, palette] of palettes) {
    it(`run renderers never throw and print no control or bidi character (${name})`, () => {
      for (const run of hostileRuns()) {
        const r = run as WorkflowRun;
        expectSafe(renderSummary(r, palette, NOW), 'summary');
        expectSafe(renderRunDetail(r, palette, NOW, 80), 'run detail');
        expectSafe(renderRunDetail(r, palette, NOW), 'run detail, no width');
        expectSafe(renderFailureDigest(r, palette), 'failure digest');
        expectSafe(renderUnknownStatus(r, palette), 'unknown status');
        for (const prev of [undefined, EVIL, ...ODD]) expectSafe(renderStatusChange(r, prev as string, palette), 'a → b line');
        expectSafe(renderAwaiting((r as { id?: string } | null)?.id ?? EVIL, palette), 'awaiting');
        expectSafe(renderReattach('timeout', EVIL, palette, 1000), 'reattach');
        expectSafe(renderLostContact(EVIL, palette, new NetworkError(EVIL, { unsent: false })), 'lost contact');
        for (const outcome of OUTCOMES) {
          const result = { outcome, run: r, error: new NetworkError(EVIL, { unsent: false }) } as WatchResult;
          const end = renderWatchEnd(result, { runId: EVIL, strict: true, timeoutMs: 5000 }, palette, palette, NOW);
          expectSafe([...end.out, ...end.err], `watch end (${outcome})`);
          expectSafe(renderWatchEndErrors(result, { runId: EVIL, strict: false, timeoutMs: 5000 }, palette, NOW, 1), `end errors (${outcome})`);
        }
      }
      expectSafe(renderRunsTable(hostileRuns() as WorkflowRun[], palette, NOW), 'runs table');
      for (const odd of ODD) expectSafe(renderRunsTable(odd as WorkflowRun[], palette, NOW), 'runs table of an odd value');
    });

    it(`log lines never throw and print no control or bidi character (${name})`, () => {
      for (const odd of [...ODD, undefined]) {
        for (let i = 0; i < 10; i += 1) {
          for (const log of [hostileLog(i, odd), odd]) {
            const l = log as WorkflowLog;
            expectSafe(renderLog(l, palette), 'log line');
            expectSafe(renderLog(l, palette, { verbose: true }), 'verbose log');
            expectSafe(renderLog(l, palette, { width: 0 }), 'log line, no room');
            expectSafe(renderLog(l, palette, { width: Number.NaN }), 'log line, NaN width');
          }
        }
      }
    });

    it(`workflow renderers never throw and print no control or bidi character (${name})`, () => {
      for (const wf of hostileWorkflows()) expectSafe(renderWorkflow(wf as never, palette), 'workflow');
      expectSafe(renderWorkflowList(hostileWorkflows() as never, palette), 'workflow list');
      for (const odd of ODD) expectSafe(renderWorkflowList(odd as never, palette), 'workflow list of an odd value');
    });
  }

  it('time and text helpers take any value', () => {
    for (const v of [...ODD, undefined, 1e300, Number.NaN, -8.64e15 - 1, '9999999-01-01', 'x'.repeat(1e6)]) {
      expect(parseTime(v) === undefined || Number.isFinite(parseTime(v))).toBe(true);
      expect(timeOf(v) === undefined || Number.isFinite(timeOf(v))).toBe(true);
      expect(clockTime(v)).toMatch(/^(\d\d:\d\d:\d\d|--:--:--)$/);
      expectSafe(localDateTime(v), 'local date');
      expect(localDateTime(v).length).toBeLessThanOrEqual(64);
      expectSafe(text(v), 'text');
      expectSafe(oneLine(v), 'oneLine');
      expectSafe(safeJson(v, 2), 'safeJson');
    }
    expect(clockTime(true)).toBe('--:--:--');
    expect(localDateTime(true)).toBe('true');
    expect(localDateTime(JSON.parse('{"toString":1}'))).toBe('{"toString":1}');
  });
});

const watch: WatchOptions = { timeoutMs: 60_000, intervalMs: 2000, maxOutageMs: 300_000, strict: true, verbose: false };

/** Drives a reporter through a whole watch of hostile runs and logs, without the engine. */
async function drive(kind: ReporterKind, run: unknown, opts: { verbose?: boolean; colour?: boolean; spinner?: SpinnerFactory } = {}) {
  const clock = new FakeClock(NOW);
  const io = createTestIO({ stdoutTTY: kind === 'tty', stderrTTY: kind === 'tty' });
  const palette = createPalette(opts.colour ? 3 : 0);
  const ctx: ReporterContext = { io, clock, palette, errPalette: palette, watch: { ...watch, verbose: opts.verbose ?? false }, width: io.stdout.columns ?? 100 };
  const reporter = createWatchReporter(kind, ctx, opts.spinner);
  const r = run as WorkflowRun;
  await reporter.start(EVIL, r);
  reporter.events.onRun?.(r, undefined);
  reporter.events.onRun?.(r, EVIL);
  const logs = Array.isArray((run as { logs?: unknown } | null)?.logs) ? ((run as { logs: unknown[] }).logs as WorkflowLog[]) : [];
  for (const log of logs) reporter.events.onLog?.(log);
  clock.time += 31_000; // past the heartbeat
  reporter.events.onPoll?.(r);
  reporter.events.onRetry?.({ attempt: 1, delayMs: 1000, error: new NetworkError(EVIL, { unsent: false }) });
  reporter.events.onPoll?.(r);
  const outcome: WatchOutcome = (run as { status?: unknown } | null)?.status === 'failed' ? 'failed' : 'completed';
  reporter.finish({ outcome, run: r }, outcome === 'failed' ? 1 : 0);
  reporter.dispose();
  return { out: io.stdout.text(), err: io.stderr.text(), logs };
}

describe('reporters with a hostile server', () => {
  it('plain and tty reporters: no control or bidi character in text output, heartbeat and retries included', async () => {
    for (const run of hostileRuns()) {
      for (const verbose of [false, true]) {
        const plain = await drive('plain', run, { verbose, colour: verbose });
        expect(plain.err).toMatch(/still /); // the heartbeat was written, and checked
        expect(plain.err).not.toMatch(/^(\x1b\[[0-9;]*m)*\d\d:\d\d:\d\d /m); // one clock: no local times on stderr
        expectSafe(plain.out + plain.err, 'plain reporter');
        const spinnerTexts: string[] = [];
        const factory: SpinnerFactory = async (o) => {
          spinnerTexts.push(o.text, o.suffix?.() ?? '');
          return { clear() {}, render() {}, stop() {}, setText: (t) => void spinnerTexts.push(t, o.suffix?.() ?? '') };
        };
        const tty = await drive('tty', run, { verbose, colour: verbose, spinner: factory });
        expectSafe(tty.out + tty.err, 'tty reporter');
        expect(spinnerTexts.length).toBeGreaterThan(2);
        expectSafe(spinnerTexts, 'spinner text');
      }
    }
  });

  it('the spinner itself cleans what it is given', async () => {
    const io = createTestIO({ stderrTTY: true, columns: 80 });
    const spinner = await startOraSpinner({ stream: io.stderr, text: EVIL, color: false, suffix: () => EVIL });
    spinner.setText(`\u001b[1mrun\u001b[22m ${EVIL} \u001b[8mhidden\u001b[2J`);
    spinner.render();
    spinner.stop();
    const out = io.stderr.text();
    expect(out).toContain('\u001b[1mrun\u001b[22m'); // alto's own colour stays
    // ora writes its own cursor codes; none of the server's may pass.
    for (const bad of ['\u001b]', '\u009b', '\u009d', '\u202e', '\u2066', '\u0007', '\u007f', '\u001b[8m', '\u001b[2J']) expect(out).not.toContain(bad);
  });

  it('--json and ndjson stay byte-exact: the server text as sent', async () => {
    for (const run of hostileRuns()) {
      if (typeof run !== 'object' || run === null || Array.isArray(run)) continue;
      const json = await drive('json', run);
      expect(json.out).toBe(`${JSON.stringify(run, null, 2)}\n`);
      const nd = await drive('ndjson', run);
      const lines = nd.out.trimEnd().split('\n');
      const { logs: _logs, ...withoutLogs } = run as Record<string, unknown>;
      expect(lines[0]).toBe(JSON.stringify({ type: 'run', run: withoutLogs }));
      nd.logs.forEach((log, i) => expect(lines[i + 2]).toBe(JSON.stringify({ type: 'log', log })));
      expect(lines.at(-1)).toBe(JSON.stringify({ type: 'result', run, exit_code: (run as { status?: unknown }).status === 'failed' ? 1 : 0 }));
      expectSafe(json.err + nd.err, 'machine stderr');
      const quiet = await drive('quiet', run);
      expect(quiet.out).toBe('');
      expectSafe(quiet.err, 'quiet stderr');
    }
  });
});

describe('CI text and JUnit with a hostile server', () => {
  // An escape sequence left open must not swallow the lines after it (each could be a step's report).
  const OPEN_OSC = 'step ok\u001b]0;x\nline 2\n::warning::hi';
  const OPEN_OSC_CR = 'a\u001b]8;;http://x\r\nline 2\rline 3';

  it('an unterminated OSC never hides the lines after it (CI dialects)', () => {
    const lines = neutralize(OPEN_OSC);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toContain('step ok');
    expect(lines[1]).toBe('line 2');
    expect(lines[2]).toBe('\u200b::warning::hi');
    expect(neutralize(OPEN_OSC_CR).slice(1)).toEqual(['line 2', 'line 3']);
    expect(neutralizeLine(OPEN_OSC)).toContain('line 2');
    for (const l of [...lines, ...neutralize(OPEN_OSC_CR)]) expect(l).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    // A whole OSC on one line is still dropped whole.
    expect(neutralize('a\u001b]8;;https://evil.example/\u0007link\u001b]8;;\u001b\\ b')).toEqual(['alink b']);
  });

  it('every dialect: no control, bidi, line-separator or lone-surrogate character from the server', () => {
    for (const format of ['github', 'gitlab', 'buildkite', 'azure', 'plain'] as const) {
      const d = createCiDialect(format, { clock: { now: () => NOW }, randomToken: () => 'abcdef0123456789' });
      const lines = [...d.groupStart(EVIL, 'failure'), ...d.untrusted(EVIL), ...d.annotate({ kind: 'error', title: EVIL, message: EVIL }), ...d.finish()];
      // alto's own marker breaks are U+200B (the server's became U+FFFD); GitLab's headers carry alto's own ESC and CR.
      const own = lines.join('\n').replace(/\u200b/g, '').replace(/\u001b\[0K|\r\u001b\[0K/g, '');
      const bad = UNSAFE.exec(own);
      expect(bad && `${format}: U+${bad[0].charCodeAt(0).toString(16)} at ${bad.index}`).toBeNull();
    }
  });

  it('a step output nested too deep for JSON.stringify is shown as JSON, not "[object Object]"', () => {
    let deep: unknown = { leaf: 'bottom' };
    for (let i = 0; i < 20_000; i += 1) deep = { d: deep };
    const run = { id: 'fl_run_1', status: 'failed', logs: [{ node_id: 'n1', status: 'error', output: deep }] };
    const d = createCiDialect('plain', { clock: { now: () => NOW }, randomToken: () => 'abcdef0123456789' });
    const ci = ciRunLines(d, { run, workflow: 'wf', verbose: true }).join('\n');
    const xml = renderJunit([{ run, workflow: 'wf' }]);
    for (const text of [ci, xml]) {
      expect(text).not.toContain('[object Object]');
      expect(text).toMatch(/\{\s*(&quot;|")d(&quot;|")\s*:\s*\{/);
    }
  });

  it('an unterminated OSC never hides the lines after it (JUnit)', () => {
    const escaped = xmlEscape(OPEN_OSC);
    expect(escaped).toContain('step ok');
    expect(escaped).toContain('line 2\n::warning::hi');
    expect(xmlEscape(OPEN_OSC_CR)).toContain('line 2\rline 3');
    expect(xmlEscape('a\u001b]0;t\u0007b')).toBe('ab');
  });
});
