import type { WorkflowLog, WorkflowRun } from '../api/types.js';
import { formatDuration } from '../util/duration.js';
import { clean, clockTime, indentLines, oneLine, safeJson } from './format.js';
import type { Palette } from './palette.js';

/** The step a failed run failed at: the last log with status error, or undefined. */
export function failingStep(logs: readonly WorkflowLog[] | undefined): WorkflowLog | undefined {
  const list = logs ?? [];
  for (let i = list.length - 1; i >= 0; i -= 1) if (list[i]?.status === 'error') return list[i];
  return undefined;
}

/** The node to resume from: the last step logged success before the failing one (or before the end). */
export function resumeNode(logs: readonly WorkflowLog[] | undefined): string | undefined {
  const list = logs ?? [];
  const failing = failingStep(list);
  const end = failing ? list.indexOf(failing) : list.length;
  for (let i = end - 1; i >= 0; i -= 1) if (list[i]?.status === 'success') return list[i]?.node_id;
  return undefined;
}

/** What went wrong in a failed run and the three commands that help next. */
export function renderFailureDigest(run: WorkflowRun, palette: Palette): string[] {
  const lines: string[] = [];
  lines.push(`  ${palette.bold('error:')} ${palette.failure(clean(run.error_message) || 'the run failed without an error message')}`);
  const failing = failingStep(run.logs);
  if (failing) {
    const component = failing.component_id ? ` (${clean(failing.component_id)})` : '';
    lines.push(`  ${palette.bold('failing step:')} ${clean(failing.node_id)}${component} at ${clockTime(failing.created_at)}`);
    if (failing.output !== undefined && failing.output !== null) {
      const text = typeof failing.output === 'string' ? failing.output : safeJson(failing.output, 2);
      lines.push(...indentLines(text, 4));
    }
  }
  const node = resumeNode(run.logs);
  const cmd = (text: string) => palette.info(text);
  lines.push(`  all logs:   ${cmd(`alto run logs ${run.id}`)}`);
  lines.push(`  run again:  ${cmd(`alto run rerun ${run.id}`)}`);
  if (node) lines.push(`  resume:     ${cmd(`alto run resume ${run.id} --from ${node}`)}  ${palette.dim(`(after ${node}, the last step that succeeded)`)}`);
  return lines;
}

/** The notice after a run that completed although some steps logged errors. */
export function renderStepErrorsNotice(errorCount: number, strict: boolean, palette: Palette): string[] {
  const what = `completed with ${errorCount} step error${errorCount === 1 ? '' : 's'}`;
  const tail = strict ? '--strict: exit 1' : 'with --strict this would exit 1';
  return [`${palette.warning('⚠')} ${what} (${tail})`];
}

/** The run waits for a person: alto cannot answer it, only re-attach. */
export function renderAwaiting(runId: string, palette: Palette): string[] {
  return [
    `${palette.warning('⏸')} run ${palette.id(runId)} is waiting for a person in the dashboard; alto cannot answer it: re-attach with ${palette.info(`alto run watch ${runId}`)}`,
  ];
}

/** After --timeout or Ctrl-C: the run keeps going, and how to follow it again. */
export function renderReattach(reason: 'timeout' | 'interrupted', runId: string, palette: Palette, timeoutMs?: number): string[] {
  const what =
    reason === 'timeout'
      ? `stopped watching after ${timeoutMs === undefined ? 'the timeout' : formatDuration(timeoutMs)} (--timeout)`
      : 'stopped watching (interrupted)';
  return [`${palette.warning(what)}; the run keeps going: ${palette.info(`alto run watch ${runId}`)}`];
}

/** The API stayed unreachable past --max-outage: one line, the last error at its end. */
export function renderLostContact(runId: string, palette: Palette, error?: Error): string[] {
  const cause = error ? ` ${palette.dim(`(last error: ${oneLine(error.message)})`)}` : '';
  return [`${palette.failure('lost contact')}; the run may still be going: ${palette.info(`alto run watch ${runId}`)}${cause}`];
}

/** A run that ended with a status alto does not know. */
export function renderUnknownStatus(run: WorkflowRun, palette: Palette): string[] {
  return [
    `${palette.warning('?')} run ${palette.id(run.id)} ended with status "${clean(run.status)}", which this version of alto does not know; see ${palette.info(`alto run get ${run.id}`)}`,
  ];
}
