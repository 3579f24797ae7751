// A JUnit XML report of runs: the format every CI reads (GitLab, Jenkins, CircleCI, Azure, Buildkite).
// Written by hand: every string passes `xmlEscape`, which also drops what XML 1.0 forbids.
//
// Shape: <testsuites> holds one <testsuite> per run (name and classname: workflow, label, run id, so
// GitLab, which keeps only the first of two cases with the same classname+name, keeps them all),
// one <testcase> per step log (name "node (component)", made unique in the suite, `time` the
// seconds since the previous log or the run's start) and one "run outcome" case:
//   completed                        -> passes (fails under strict when a step logged error)
//   failed                           -> <failure> with the run's error_message
//   launch failed (fan-out)          -> <error type="launch_failed"> with the launch's error
//   awaiting approval, timeout, lost contact, interrupted, still running, unknown status
//                                    -> <error type="…">. Not <skipped>: alto exits non-zero then,
//     and a skipped case would show a green report for a red job; <error> (not <failure>) tells
//     "alto could not see the run end" apart from "the workflow failed".
// A step logged `error` is a <failure> with its output; a `warning` step passes with its output in
// <system-out>; a success step carries no output (the report stays small).
import { endingOf, type RunEnding } from '../ci/ending.js';
import { runView, str, type RunView, type StepView } from '../ci/run-view.js';
import { stripEscapes, truncateChars, valueText } from '../ci/text.js';

/** How alto's watch of a run ended, when it knows better than run.status, or that its launch failed. */
export type JunitEnding = RunEnding;

export interface JunitRun {
  /** The run as the API sent it: any JSON value. */
  run: unknown;
  /** Workflow id or name from the command line (else the run's nested workflow, if any). */
  workflow?: string;
  /** Fan-out label. */
  label?: string;
  ending?: JunitEnding;
  /** Why the launch failed (ending `launch_failed`): the error's message. */
  error?: string;
}

export interface JunitOptions {
  /** `--strict`: a completed run with a step logged error fails its outcome case. */
  strict?: boolean;
  /** Longest step output or message body kept, in characters. */
  maxOutputChars?: number;
  /** Size of the report after which no more output bodies and no more runs are written. */
  maxChars?: number;
}

export const DEFAULT_MAX_OUTPUT_CHARS = 64 * 1024;
export const DEFAULT_MAX_CHARS = 8 * 1024 * 1024;
const MAX_NAME_CHARS = 200;

// Everything XML 1.0 allows is TAB, LF, CR, U+0020-D7FF, U+E000-FFFD, U+10000-10FFFF: the rest
// (most C0 controls, lone surrogates, U+FFFE/FFFF) is dropped.
const XML_FORBIDDEN = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

/** Text safe in XML element content and in a double- or single-quoted attribute. */
export function xmlEscape(text: string): string {
  return stripEscapes(text)
    .replace(XML_FORBIDDEN, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Attribute value: also keeps TAB, LF and CR, which attribute normalisation would turn into spaces. */
function attr(text: string): string {
  return xmlEscape(text).replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

const seconds = (ms: number | undefined) => ((ms !== undefined && Number.isFinite(ms) && ms > 0 ? ms : 0) / 1000).toFixed(3);
const oneLine = (text: string, max = MAX_NAME_CHARS) => truncateChars(text.replace(/\s+/g, ' ').trim(), max);

interface Case {
  name: string;
  timeMs: number | undefined;
  failure?: { kind: 'failure' | 'error'; type: string; message: string; body: string };
  systemOut?: string;
}

interface Ending {
  kind: 'pass' | 'failure' | 'error';
  type: string;
  message: string;
}

function outcomeOf(v: RunView, r: JunitRun, strict: boolean): Ending {
  const ending = endingOf(v.status, r.ending);
  const stepErrors = v.steps.filter((s) => s.status === 'error').length;
  switch (ending) {
    case 'completed':
      if (strict && stepErrors > 0) return { kind: 'failure', type: 'step_errors', message: `completed with ${stepErrors} step(s) logged as error (--strict)` };
      return { kind: 'pass', type: '', message: '' };
    case 'failed':
      return { kind: 'failure', type: 'failed', message: v.errorMessage || 'the run failed' };
    case 'awaiting_ui_interaction':
      return { kind: 'error', type: 'awaiting_approval', message: 'the run is waiting for a person in the dashboard' };
    case 'timeout':
      return { kind: 'error', type: 'timeout', message: `alto stopped watching at --timeout while the run was ${v.status}; it keeps going on the server` };
    case 'lost_contact':
      return { kind: 'error', type: 'lost_contact', message: 'alto lost contact with the API; the run may still be going' };
    case 'interrupted':
      return { kind: 'error', type: 'interrupted', message: 'alto was interrupted; the run keeps going on the server' };
    case 'launch_failed':
      return { kind: 'error', type: 'launch_failed', message: `could not start a run: ${r.error || 'the launch failed'}` };
    case 'incomplete':
      return { kind: 'error', type: 'incomplete', message: `the run was still ${v.status} when the report was written` };
    default:
      return { kind: 'error', type: 'unknown_status', message: `the run ended with a status alto does not know: ${v.status}` };
  }
}

class Budget {
  used = 0;
  constructor(
    readonly maxChars: number,
    readonly maxOutput: number,
  ) {}
  /** The body to write for a step output: cut to the per-output cap and to what is left. */
  body(text: string): string {
    const room = Math.max(0, Math.min(this.maxOutput, this.maxChars - this.used));
    let out = text;
    if (room === 0) out = '[alto: output left out: the report reached its size limit]';
    else if (text.length > room) out = `${truncateChars(text, room)}\n[alto: output cut to ${room} of ${text.length} characters]`;
    this.used += out.length;
    return out;
  }
}

function stepCases(v: RunView, budget: Budget, used: Set<string>): Case[] {
  let previous = v.startedAtMs;
  return v.steps.map((s: StepView) => {
    const base = oneLine(s.component ? `${s.nodeId} (${s.component})` : s.nodeId) || '?';
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base} #${n}`;
    used.add(name);
    const timeMs = s.createdAtMs !== undefined && previous !== undefined ? s.createdAtMs - previous : undefined;
    if (s.createdAtMs !== undefined) previous = s.createdAtMs;
    const c: Case = { name, timeMs };
    if (s.status === 'error') {
      const out = valueText(s.output);
      c.failure = { kind: 'failure', type: 'step_error', message: oneLine(out) || `step ${s.nodeId} logged error`, body: budget.body(out) };
    } else if (s.status === 'warning') {
      c.systemOut = budget.body(valueText(s.output));
    }
    return c;
  });
}

function caseXml(c: Case, classname: string): string {
  const open = `    <testcase name="${attr(c.name)}" classname="${attr(classname)}" time="${seconds(c.timeMs)}"`;
  const inner: string[] = [];
  if (c.failure) {
    const f = c.failure;
    inner.push(`      <${f.kind} message="${attr(oneLine(f.message, 1000))}" type="${attr(f.type)}">${xmlEscape(f.body)}</${f.kind}>`);
  }
  if (c.systemOut) inner.push(`      <system-out>${xmlEscape(c.systemOut)}</system-out>`);
  return inner.length === 0 ? `${open}/>` : `${open}>\n${inner.join('\n')}\n    </testcase>`;
}

function suiteXml(r: JunitRun, strict: boolean, budget: Budget): { xml: string; tests: number; failures: number; errors: number; timeMs: number } {
  const v = runView(r.run);
  const workflow = oneLine(str(r.workflow) || v.workflowName || 'workflow');
  const label = oneLine(str(r.label));
  const name = `${workflow}${label ? ` [${label}]` : ''} ${r.ending === 'launch_failed' ? '(no run started)' : oneLine(v.id)}`;
  const used = new Set(['run outcome']);
  const cases = stepCases(v, budget, used);
  const ending = outcomeOf(v, r, strict);
  const outcome: Case = { name: 'run outcome', timeMs: v.durationMs };
  if (ending.kind !== 'pass') {
    const failing = [...v.steps].reverse().find((s) => s.status === 'error');
    const body = [ending.message, v.errorMessage && v.errorMessage !== ending.message ? `error_message: ${v.errorMessage}` : '', failing ? `failing step: ${failing.nodeId}` : '']
      .filter(Boolean)
      .join('\n');
    outcome.failure = { kind: ending.kind, type: ending.type, message: ending.message, body: budget.body(body) };
  }
  cases.push(outcome);
  const failures = cases.filter((c) => c.failure?.kind === 'failure').length;
  const errors = cases.filter((c) => c.failure?.kind === 'error').length;
  const stepMs = cases.slice(0, -1).reduce((sum, c) => sum + (c.timeMs !== undefined && c.timeMs > 0 ? c.timeMs : 0), 0);
  const timeMs = v.durationMs ?? stepMs;
  const stamp = v.startedAtMs !== undefined ? ` timestamp="${new Date(v.startedAtMs).toISOString().slice(0, 19)}"` : '';
  const props = [
    ['run_id', v.id],
    ['status', v.status],
    ...(v.droppedSteps > 0 ? [['steps_left_out', String(v.droppedSteps)]] : []),
  ]
    .map(([k, val]) => `      <property name="${attr(k as string)}" value="${attr(oneLine(val as string, 1000))}"/>`)
    .join('\n');
  const xml = [
    `  <testsuite name="${attr(name)}" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="0" time="${seconds(timeMs)}"${stamp}>`,
    `    <properties>\n${props}\n    </properties>`,
    ...cases.map((c) => caseXml(c, name)),
    '  </testsuite>',
  ].join('\n');
  return { xml, tests: cases.length, failures, errors, timeMs };
}

/** The JUnit XML report of runs; any input values, never throws, bounded by opts.maxChars (plus one run). */
export function renderJunit(runs: readonly JunitRun[], opts: JunitOptions = {}): string {
  const budget = new Budget(opts.maxChars ?? DEFAULT_MAX_CHARS, opts.maxOutputChars ?? DEFAULT_MAX_OUTPUT_CHARS);
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let errors = 0;
  let skipped = 0;
  let timeMs = 0;
  let left = 0;
  for (const r of runs) {
    if (budget.used >= budget.maxChars) {
      left++;
      continue;
    }
    const before = budget.used;
    const s = suiteXml(r, opts.strict ?? false, budget);
    suites.push(s.xml);
    // Bodies were counted as they were cut; the suite's whole text replaces that estimate.
    budget.used = before + s.xml.length;
    tests += s.tests;
    failures += s.failures;
    errors += s.errors;
    timeMs += s.timeMs;
  }
  if (left > 0) {
    tests++;
    skipped++;
    suites.push(
      [
        '  <testsuite name="alto" tests="1" failures="0" errors="0" skipped="1" time="0.000">',
        '    <testcase name="report size limit" classname="alto" time="0.000">',
        `      <skipped message="${left} more run(s) left out: the report reached its size limit"/>`,
        '    </testcase>',
        '  </testsuite>',
      ].join('\n'),
    );
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="alto" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${seconds(timeMs)}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
