import { formatDuration } from '../util/duration.js';
import { clockTime, indentLines, listOf, oneLine, outputText, recordOf, text } from './format.js';
import { MARK } from './marks.js';
import type { Palette } from './palette.js';

/** The step a failed run failed at: the last log with status error, or undefined. Any value in. */
export function failingStep(logs: unknown): Record<string, unknown> | undefined {
  const list = listOf(logs);
  for (let i = list.length - 1; i >= 0; i -= 1) {
    const log = recordOf(list[i]);
    if (log.status === 'error') return log;
  }
  return undefined;
}

/** The node to resume from: the last step logged success before the failing one (or before the end). */
export function resumeNode(logs: unknown): string | undefined {
  const list = listOf(logs);
  let end = list.length;
  for (let i = list.length - 1; i >= 0; i -= 1) {
    if (recordOf(list[i]).status === 'error') {
      end = i;
      break;
    }
  }
  for (let i = end - 1; i >= 0; i -= 1) {
    const log = recordOf(list[i]);
    if (log.status === 'success') return typeof log.node_id === 'string' && log.node_id !== '' ? log.node_id : undefined;
  }
  return undefined;
}

/** A value from the server as one word of a shell command a person can copy: safe text, quoted unless plain. */
export function shellWord(value: unknown): string {
  const word = text(value, '?', 200);
  return /^[\w.:@%+=,/-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** What went wrong in a failed run and the three commands that help next. Any value in. */
export function renderFailureDigest(run: unknown, palette: Palette): string[] {
  const r = recordOf(run);
  const lines: string[] = [];
  const message = text(r.error_message, '', 4000) || 'the run failed without an error message';
  lines.push(`  ${palette.bold('error:')} ${palette.failure(message)}`);
  const failing = failingStep(r.logs);
  if (failing) {
    const componentText = text(failing.component_id, '', 200);
    const component = componentText ? ` (${componentText})` : '';
    lines.push(`  ${palette.bold('failing step:')} ${text(failing.node_id, '?', 200)}${component} at ${clockTime(failing.created_at)}`);
    if (failing.output !== undefined && failing.output !== null) lines.push(...indentLines(outputText(failing.output), 4));
  }
  const id = shellWord(r.id);
  const node = resumeNode(r.logs);
  const cmd = (s: string) => palette.info(s);
  lines.push(`  all logs:   ${cmd(`alto run logs ${id}`)}`);
  lines.push(`  run again:  ${cmd(`alto run rerun ${id}`)}`);
  if (node !== undefined) {
    const from = shellWord(node);
    lines.push(`  resume:     ${cmd(`alto run resume ${id} --from ${from}`)}  ${palette.dim(`(after ${text(node, '?', 200)}, the last step that succeeded)`)}`);
  }
  return lines;
}

/** The notice after a run that completed although some steps logged errors. */
export function renderStepErrorsNotice(errorCount: number, strict: boolean, palette: Palette): string[] {
  const n = Number.isFinite(errorCount) ? errorCount : 0;
  const what = `completed with ${n} step error${n === 1 ? '' : 's'}`;
  const tail = strict ? '--strict: exit 1' : 'with --strict this would exit 1';
  return [`${palette.warning(MARK.warning)} ${what} (${tail})`];
}

/** The run waits for a person: alto cannot answer it, only re-attach. */
export function renderAwaiting(runId: unknown, palette: Palette): string[] {
  return [
    `${palette.warning('⏸')} run ${palette.id(text(runId, '?', 200))} is waiting for a person in the dashboard; alto cannot answer it: keep waiting with ${palette.info(`alto run watch ${shellWord(runId)} --wait-approval`)}`,
  ];
}

/** After --timeout or Ctrl-C: the run keeps going, and how to follow it again. */
export function renderReattach(reason: 'timeout' | 'interrupted', runId: unknown, palette: Palette, timeoutMs?: number): string[] {
  const what =
    reason === 'timeout'
      ? `stopped watching after ${timeoutMs === undefined ? 'the timeout' : formatDuration(timeoutMs)} (--timeout)`
      : 'stopped watching (interrupted)';
  return [`${palette.warning(what)}; the run keeps going: ${palette.info(`alto run watch ${shellWord(runId)}`)}`];
}

/** The API stayed unreachable past --max-outage: one line, the last error at its end. */
export function renderLostContact(runId: unknown, palette: Palette, error?: unknown): string[] {
  const message = error === undefined ? undefined : recordOf(error).message ?? (error instanceof Error ? error.message : undefined);
  const cause = message === undefined ? '' : ` ${palette.dim(`(last error: ${oneLine(message, 500)})`)}`;
  return [`${palette.failure('lost contact')}; the run may still be going: ${palette.info(`alto run watch ${shellWord(runId)}`)}${cause}`];
}

/** A run that ended with a status alto does not know. */
export function renderUnknownStatus(run: unknown, palette: Palette): string[] {
  const r = recordOf(run);
  return [
    `${palette.warning('?')} run ${palette.id(text(r.id, '?', 200))} ended with status "${text(r.status, '?', 200)}", which this version of alto does not know; see ${palette.info(`alto run get ${shellWord(r.id)}`)}`,
  ];
}
