import { clockTime, indentLines, oneLine, outputText, recordOf, text, truncate, visibleWidth } from './format.js';
import { DEFAULT_WIDTH } from './iostreams.js';
import { MARK } from './marks.js';
import type { Palette } from './palette.js';

export interface LogLineOptions {
  /** The whole output as indented pretty JSON instead of a one-line summary. */
  verbose?: boolean;
  /** Terminal width the one-line summary must fit in (default: IOStreams' width when not a terminal). */
  width?: number;
}

const MIN_SUMMARY = 20;

/** ✔ success, ! warning, ✖ error, • anything else; coloured by meaning. */
export function logSymbol(status: unknown, palette: Palette): string {
  if (status === 'success') return palette.success(MARK.success);
  if (status === 'warning') return palette.warning(MARK.warning);
  if (status === 'error') return palette.failure(MARK.failure);
  return palette.dim('•');
}

/**
 * One step log: "HH:MM:SS ✔ node (component) summary", or the whole output below it when
 * verbose. Takes any value (a log that is null, a number, or has fields of any type).
 */
export function renderLog(log: unknown, palette: Palette, opts: LogLineOptions = {}): string[] {
  const l = recordOf(log);
  const componentText = text(l.component_id, '', 200);
  const component = componentText ? ` ${palette.dim(`(${componentText})`)}` : '';
  const status = l.status;
  const known = status === 'success' || status === 'warning' || status === 'error';
  const unknown = known ? '' : ` ${palette.dim(`[${text(status, '?', 100)}]`)}`;
  const head = `${palette.dim(clockTime(l.created_at))} ${logSymbol(status, palette)} ${text(l.node_id, '?', 200)}${component}${unknown}`;
  if (l.output === undefined || l.output === null) return [head];
  if (opts.verbose) return [head, ...indentLines(outputText(l.output), 4)];
  const width = typeof opts.width === 'number' && Number.isFinite(opts.width) ? opts.width : DEFAULT_WIDTH;
  const room = Math.max(MIN_SUMMARY, width - visibleWidth(head) - 1);
  const summary = truncate(oneLine(l.output, Math.max(room, MIN_SUMMARY) + 1), room);
  return summary === '' ? [head] : [`${head} ${summary}`];
}
