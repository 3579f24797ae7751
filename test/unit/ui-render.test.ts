import { describe, expect, it } from 'vitest';
import { createPalette } from '../../src/ui/palette.js';
import { clockTime, localDateTime, oneLine, truncate, visibleWidth, zoneLabel } from '../../src/ui/format.js';
import { renderLog } from '../../src/ui/render-log.js';
import {
  renderAwaiting,
  renderFailureDigest,
  renderLostContact,
  renderReattach,
  renderStepErrorsNotice,
  renderUnknownStatus,
  resumeNode,
} from '../../src/ui/render-outcome.js';
import { renderRunDetail, renderStatusChange, renderSummary } from '../../src/ui/render-run.js';
import { renderRunsTable } from '../../src/ui/render-runs-table.js';
import { renderWorkflow, renderWorkflowList } from '../../src/ui/render-workflow.js';
import { NetworkError } from '../../src/errors.js';
import { makeLog, makeRun } from '../helpers/run-fixtures.js';
import { hasEscapes } from '../helpers/test-io.js';

const plain = createPalette(0);
const T0 = '2025-10-31T12:00:00.000000Z';
const at = (iso: string) => clockTime(Date.parse(iso));

const failedRun = makeRun({
  id: 'fl_run_9',
  status: 'failed',
  error_message: 'Webhook request failed: 503 Service Unavailable',
  started_at: T0,
  completed_at: '2025-10-31T12:00:05.000000Z',
  duration_in_seconds: 5,
  logs: [
    makeLog(1, { node_id: 'n1', component_id: 'manual_trigger', output: { trigger_type: 'manual' }, created_at: '2025-10-31T12:00:01.000000Z' }),
    makeLog(2, { node_id: 'n2', component_id: 'transform', status: 'warning', output: 'slow' }),
    makeLog(3, { node_id: 'n3', component_id: 'webhook', status: 'error', output: { status: 503 }, created_at: '2025-10-31T12:00:05.000000Z' }),
  ],
});

describe('format helpers', () => {
  it('truncates with an ellipsis and measures without escape codes', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 4)).toBe('abc');
    expect(visibleWidth(createPalette(1).failure('abc'))).toBe(3);
  });

  it('reads microsecond timestamps and tolerates junk', () => {
    expect(clockTime('2025-10-31T12:00:00.123456Z')).toMatch(/^\d\d:\d\d:\d\d$/);
    expect(clockTime('not a date')).toBe('--:--:--');
    expect(localDateTime(null)).toBe('-');
    expect(localDateTime('yesterday-ish')).toBe('yesterday-ish');
  });

  it('summarises any output on one line', () => {
    expect(oneLine({ a: 1, b: [1, 2] })).toBe('{"a":1,"b":[1,2]}');
    expect(oneLine('line one\n  line two')).toBe('line one line two');
    expect(oneLine(null)).toBe('');
  });
});

describe('step log lines', () => {
  it('shows time, symbol, node, component and a one-line output', () => {
    const log = failedRun.logs?.[0];
    expect(renderLog(log!, plain)).toEqual([`${at('2025-10-31T12:00:01Z')} ✔ n1 (manual_trigger) {"trigger_type":"manual"}`]);
    expect(renderLog(failedRun.logs![1]!, plain)[0]).toContain('! n2 (transform) slow');
    expect(renderLog(failedRun.logs![2]!, plain)[0]).toContain('✖ n3 (webhook) {"status":503}');
  });

  it('fits the summary in the terminal width', () => {
    const long = makeLog(1, { output: { text: 'x'.repeat(500) } });
    const [line] = renderLog(long, plain, { width: 80 });
    expect(visibleWidth(line!)).toBeLessThanOrEqual(80);
    expect(line!.endsWith('…')).toBe(true);
    expect(visibleWidth(renderLog(long, plain)[0]!)).toBeLessThanOrEqual(100);
  });

  it('prints the whole output as indented JSON when verbose', () => {
    const lines = renderLog(makeLog(1, { output: { a: { b: 1 } } }), plain, { verbose: true });
    expect(lines.slice(1)).toEqual(['    {', '      "a": {', '        "b": 1', '      }', '    }']);
  });

  it('never lets text from the server drive the terminal', () => {
    const hostile = makeLog(1, { node_id: 'n1\u001b]0;pwned\u0007', component_id: 'x\u009b2J', output: { text: '\u001b[31mred\u001b[0m' } });
    for (const verbose of [false, true]) {
      const text = renderLog(hostile, plain, { verbose }).join('\n');
      expect(hasEscapes(text)).toBe(false);
      expect(text).not.toMatch(/[\u0007\u009b]/);
    }
    expect(renderLog(makeLog(1, { output: '\u001b[31mred' }), plain)[0]).toContain('\ufffd[31mred');
    const run = makeRun({ status: 'failed', error_message: 'boom\u001b[2J', logs: [] });
    expect(hasEscapes(renderRunDetail(run, plain, Date.parse(T0)).join('\n'))).toBe(false);
  });

  it('has no escape codes at colour level 0, and colours at level 1', () => {
    expect(hasEscapes(renderLog(failedRun.logs![2]!, plain).join('\n'))).toBe(false);
    expect(hasEscapes(renderLog(failedRun.logs![2]!, createPalette(1)).join('\n'))).toBe(true);
  });
});

describe('zoneLabel', () => {
  it('says UTC or the offset', () => {
    const at = Date.UTC(2026, 0, 15);
    const offset = -new Date(at).getTimezoneOffset();
    expect(zoneLabel(at)).toBe(offset === 0 ? 'UTC' : expect.stringMatching(/^UTC[+-]\d\d:\d\d$/));
  });
});

describe('run renderers', () => {
  it('a status change line, at the server time (one clock with the step lines)', () => {
    expect(renderStatusChange(makeRun({ status: 'running' }), 'pending', plain)).toEqual([`${at(T0)} ● run fl_run_1 pending → running`]);
    const pending = makeRun({ status: 'pending', started_at: null, created_at: '2025-10-31T11:59:58Z' });
    expect(renderStatusChange(pending, undefined, plain)).toEqual([`${at('2025-10-31T11:59:58Z')} ● run fl_run_1 pending`]);
    // A final status comes after its steps: the latest time the run holds (here a step's).
    const done = makeRun({ status: 'completed', completed_at: '2025-10-31T12:00:04Z', logs: [{ id: 'l', node_id: 'n', status: 'success', created_at: '2025-10-31T12:00:05Z' }] });
    expect(renderStatusChange(done, 'running', plain)[0]).toMatch(new RegExp(`^${at('2025-10-31T12:00:05Z')} ✔ run fl_run_1 running → completed$`));
    // First seen: it is printed before the run's steps, so it takes the time the run began.
    expect(renderStatusChange(done, undefined, plain)[0]).toMatch(new RegExp(`^${at(T0)} `));
    expect(renderStatusChange(makeRun({ status: 'running', started_at: null }), 'pending', plain)[0]).toMatch(/^--:--:-- /);
  });

  it('the end summary: status, duration, step counts', () => {
    expect(renderSummary(failedRun, plain)).toEqual(['✖ run fl_run_9 failed in 5.0s · 3 steps: 1 succeeded, 1 warned, 1 failed']);
    const running = makeRun({ started_at: T0 });
    expect(renderSummary(running, plain, Date.parse(T0) + 65_000)[0]).toContain('running after 1m5s');
  });

  it('the failure digest: error, failing step and output, then what to run next', () => {
    const lines = renderFailureDigest(failedRun, plain);
    expect(lines[0]).toBe('  error: Webhook request failed: 503 Service Unavailable');
    expect(lines[1]).toBe(`  failing step: n3 (webhook) at ${at('2025-10-31T12:00:05Z')}`);
    expect(lines).toContain('      "status": 503');
    expect(lines.join('\n')).toContain('alto run logs fl_run_9');
    expect(lines.join('\n')).toContain('alto run rerun fl_run_9');
    expect(lines.join('\n')).toContain('alto run resume fl_run_9 --from n1');
  });

  it('resumes from the last success before the failure, and offers no resume without one', () => {
    expect(resumeNode(failedRun.logs)).toBe('n1');
    const noSuccess = makeRun({ id: 'r', status: 'failed', logs: [makeLog(1, { status: 'error' })] });
    expect(renderFailureDigest(noSuccess, plain).join('\n')).not.toContain('resume');
  });

  it('notices, hints and one-line messages', () => {
    expect(renderStepErrorsNotice(2, false, plain)).toEqual(['! completed with 2 step errors (with --strict this would exit 1)']);
    expect(renderStepErrorsNotice(1, true, plain)[0]).toContain('1 step error (--strict: exit 1)');
    expect(renderAwaiting('fl_run_1', plain)[0]).toBe(
      '⏸ run fl_run_1 is waiting for a person in the dashboard; alto cannot answer it: keep waiting with alto run watch fl_run_1 --wait-approval',
    );
    expect(renderReattach('timeout', 'fl_run_1', plain, 90_000)[0]).toBe(
      'stopped watching after 1m30s (--timeout); the run keeps going: alto run watch fl_run_1',
    );
    expect(renderReattach('interrupted', 'fl_run_1', plain)[0]).toContain('alto run watch fl_run_1');
    expect(renderLostContact('fl_run_1', plain, new NetworkError('ECONNRESET', { unsent: false }))[0]).toBe(
      'lost contact; the run may still be going: alto run watch fl_run_1 (last error: ECONNRESET)',
    );
    expect(renderUnknownStatus(makeRun({ status: 'archived' }), plain)[0]).toContain('status "archived"');
  });

  it('run get: fields then steps', () => {
    const lines = renderRunDetail(failedRun, plain, Date.parse(T0));
    expect(lines.slice(0, 7)).toEqual([
      'id         fl_run_9',
      'status     failed',
      `started    ${localDateTime(T0)}`,
      `completed  ${localDateTime('2025-10-31T12:00:05.000000Z')}`,
      'duration   5.0s',
      `zone       ${zoneLabel(Date.parse(T0))} (local time)`,
      'error      Webhook request failed: 503 Service Unavailable',
    ]);
    expect(lines).toContain('steps (3 steps: 1 succeeded, 1 warned, 1 failed)');
    expect(lines.filter((l) => l.startsWith('  '))).toHaveLength(3);
  });
});

describe('tables', () => {
  it('workflow runs: aligned id, status, started, duration', () => {
    const runs = [
      makeRun({ id: 'fl_run_long_id', status: 'completed', started_at: T0, completed_at: T0, duration_in_seconds: 75 }),
      makeRun({ id: 'fl_run_2', status: 'running', started_at: T0 }),
    ];
    const lines = renderRunsTable(runs, plain, Date.parse(T0) + 3000);
    expect(lines).toEqual([
      'ID              STATUS     STARTED              DURATION',
      `fl_run_long_id  completed  ${localDateTime(T0)}  1m15s`,
      `fl_run_2        running    ${localDateTime(T0)}  3.0s+`,
    ]);
  });

  it('columns stay aligned when cells are coloured', () => {
    const lines = renderRunsTable(
      [makeRun({ id: 'a', status: 'failed' }), makeRun({ id: 'bb', status: 'completed' })],
      createPalette(1),
      Date.parse(T0),
    );
    const plainLines = lines.map((l) => l.replace(/\u001B\[[0-9;]*m/g, ''));
    expect(plainLines[1]!.indexOf('20')).toBe(plainLines[2]!.indexOf('20'));
  });

  it('workflow list and workflow get', () => {
    const wf = {
      id: 'fl_1',
      name: 'Nightly backup',
      is_active: true,
      schedule_type: 'cron',
      schedule_value: '0 2 * * *',
      nodes: [
        { id: 'n1', type: 'trigger', data: { componentId: 'manual_trigger', label: 'Start' } },
        { id: 'n2', type: 'action', data: { componentId: 'webhook' } },
      ],
      edges: [{ id: 'e1', source: 'n1', target: 'n2', sourceHandle: null }],
    };
    expect(renderWorkflowList([wf, { id: 'fl_22', name: 'x', is_active: false }], plain)).toEqual([
      'ID     NAME            ACTIVE  SCHEDULE',
      'fl_1   Nightly backup  yes     cron 0 2 * * *',
      'fl_22  x               no      -',
    ]);
    const lines = renderWorkflow(wf, plain);
    expect(lines.slice(0, 4)).toEqual(['id        fl_1', 'name      Nightly backup', 'active    yes', 'schedule  cron 0 2 * * *']);
    expect(lines).toContain('nodes (2)');
    expect(lines).toContain('  n1  trigger  manual_trigger  Start');
    expect(lines).toContain('  n1 → n2');
  });
});
