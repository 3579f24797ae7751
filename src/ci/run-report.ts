// A finished run as CI log lines in any dialect: the piece the watch/execute wiring calls once a
// run has ended (CI mode prints a run's step logs after it ends, so GitLab/Buildkite know the
// outcome when they print the group header; see CiDialect).
import { MARK } from '../ui/marks.js';
import type { CiDialect, GroupOutcome } from './dialect.js';
import { endingOf, type RunEnding } from './ending.js';
import { runView, type StepView } from './run-view.js';
import { truncateChars, valueText } from './text.js';

/** How alto's watch of the run ended, when it knows better than run.status, or that its launch failed. */
export type CiRunEnding = RunEnding;

export interface CiRunInput {
  /** The run as the API sent it: any JSON value. */
  run: unknown;
  workflow?: string;
  label?: string;
  ending?: CiRunEnding;
  /** Why the launch failed (ending `launch_failed`): the error's message. */
  error?: string;
  /** Whole step outputs (up to MAX_VERBOSE_OUTPUT_CHARS) instead of the first MAX_OUTPUT_CHARS. */
  verbose?: boolean;
}

export const MAX_OUTPUT_CHARS = 2000;
export const MAX_VERBOSE_OUTPUT_CHARS = 64 * 1024;

const STEP_MARK: Record<string, string> = { success: MARK.success, error: MARK.failure, warning: MARK.warning };

function stepText(s: StepView, verbose: boolean): string {
  const name = s.component ? `${s.nodeId} (${s.component})` : s.nodeId;
  const head = `${STEP_MARK[s.status] ?? '•'} ${name} ${s.status}`;
  const output = valueText(s.output);
  if (!output) return head;
  const max = verbose ? MAX_VERBOSE_OUTPUT_CHARS : MAX_OUTPUT_CHARS;
  const body = output.length > max ? `${truncateChars(output, max)}\n[output cut to ${max} of ${output.length} characters${verbose ? '' : '; --verbose shows more'}]` : output;
  return `${head}\n${body.replace(/^/gm, '    ')}`;
}

/**
 * Lines for one finished run: a group (title "workflow [label] run-id") holding its step logs and
 * outputs as untrusted text, then annotations: an error for a run that failed, timed out or lost
 * contact; a warning for each step logged error under a completed run and for an approval wait.
 * Call `dialect.finish()` once after the last run.
 */
export function ciRunLines(dialect: CiDialect, input: CiRunInput): string[] {
  const v = runView(input.run);
  const workflow = input.workflow || v.workflowName || 'workflow';
  const ending = endingOf(v.status, input.ending);
  const launchError = input.error || 'the launch failed';
  const line = input.label ? `[${input.label}]` : '';
  const title = `${workflow}${line ? ` ${line}` : ''} ${ending === 'launch_failed' ? '(no run started)' : v.id}`;
  const outcome: GroupOutcome = ending === 'completed' ? 'success' : 'failure';
  const body = v.steps.map((s) => stepText(s, input.verbose ?? false));
  if (v.droppedSteps > 0) body.push(`[${v.droppedSteps} more steps not shown]`);
  if (ending === 'launch_failed') body.push(`could not start a run: ${launchError}`);
  else {
    if (body.length === 0) body.push('(no steps logged)');
    body.push(`run ${v.id}: ${v.status}${v.errorMessage ? `: ${v.errorMessage}` : ''}`);
  }
  const lines = [...dialect.groupStart(title, outcome), ...dialect.untrusted(body.join('\n')), ...dialect.groupEnd(outcome === 'success' ? 'success' : 'failure')];

  const failing = [...v.steps].reverse().find((s) => s.status === 'error');
  const where = failing ? `\nfailing step: ${failing.nodeId}` : '';
  switch (ending) {
    case 'completed':
      for (const s of v.steps.filter((x) => x.status === 'error')) {
        lines.push(...dialect.annotate({ kind: 'warning', title: `${workflow}: step ${s.nodeId} logged an error (the run completed)`, message: truncateChars(valueText(s.output) || 'no output', 1000) }));
      }
      break;
    case 'failed':
      lines.push(...dialect.annotate({ kind: 'error', title: `${workflow}: run ${v.id} failed`, message: `${v.errorMessage || 'the run failed'}${where}` }));
      break;
    case 'awaiting_ui_interaction':
      lines.push(...dialect.annotate({ kind: 'warning', title: `${workflow}: run ${v.id} is waiting for approval`, message: 'a person must continue it in the dashboard' }));
      break;
    case 'timeout':
      lines.push(...dialect.annotate({ kind: 'error', title: `${workflow}: run ${v.id} still ${v.status} at --timeout`, message: 'alto stopped watching; the run keeps going on the server' }));
      break;
    case 'lost_contact':
      lines.push(...dialect.annotate({ kind: 'error', title: `${workflow}: lost contact with the API`, message: `run ${v.id} may still be going` }));
      break;
    case 'interrupted':
      break;
    case 'launch_failed':
      lines.push(...dialect.annotate({ kind: 'error', title: `${workflow}: ${line ? `${line} ` : ''}could not start a run`, message: launchError }));
      break;
    case 'incomplete':
      lines.push(...dialect.annotate({ kind: 'error', title: `${workflow}: run ${v.id} still ${v.status}`, message: 'the run had not ended when alto wrote this report' }));
      break;
    default:
      lines.push(...dialect.annotate({ kind: 'error', title: `${workflow}: run ${v.id} ended as ${v.status}`, message: 'a status alto does not know' }));
  }
  return lines;
}

/**
 * Lines for several finished runs in one dialect: each run's group and annotations, then the
 * dialect's closing lines (open groups closed, annotations over the cap noted). The one call a
 * watch (one run) and a fan-out (many) make at the end.
 */
export function ciRunsLines(dialect: CiDialect, runs: readonly CiRunInput[]): string[] {
  return [...runs.flatMap((r) => ciRunLines(dialect, r)), ...dialect.finish()];
}
