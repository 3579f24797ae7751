import type { LogStatus, WorkflowLog } from '../api/types.js';
import { clean, clockTime, indentLines, oneLine, safeJson, truncate, visibleWidth } from './format.js';
import type { Palette } from './palette.js';

export interface LogLineOptions {
  /** The whole output as indented pretty JSON instead of a one-line summary. */
  verbose?: boolean;
  /** Terminal width the one-line summary must fit in (default 100). */
  width?: number;
}

const DEFAULT_WIDTH = 100;
const MIN_SUMMARY = 20;

/** ✔ success, ⚠ warning, ✖ error, • anything else; coloured by meaning. */
export function logSymbol(status: LogStatus, palette: Palette): string {
  if (status === 'success') return palette.success('✔');
  if (status === 'warning') return palette.warning('⚠');
  if (status === 'error') return palette.failure('✖');
  return palette.dim('•');
}

/** One step log: "HH:MM:SS ✔ node (component) summary", or the whole output below it when verbose. */
export function renderLog(log: WorkflowLog, palette: Palette, opts: LogLineOptions = {}): string[] {
  const component = log.component_id ? ` ${palette.dim(`(${clean(log.component_id)})`)}` : '';
  const unknown = ['success', 'warning', 'error'].includes(log.status) ? '' : ` ${palette.dim(`[${clean(log.status)}]`)}`;
  const head = `${palette.dim(clockTime(log.created_at))} ${logSymbol(log.status, palette)} ${clean(log.node_id)}${component}${unknown}`;
  if (log.output === undefined || log.output === null) return [head];
  if (opts.verbose) {
    const text = typeof log.output === 'string' ? log.output : safeJson(log.output, 2);
    return [head, ...indentLines(text, 4)];
  }
  const room = Math.max(MIN_SUMMARY, (opts.width ?? DEFAULT_WIDTH) - visibleWidth(head) - 1);
  const summary = truncate(oneLine(log.output), room);
  return summary === '' ? [head] : [`${head} ${summary}`];
}
