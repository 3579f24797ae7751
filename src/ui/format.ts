import type { RunStatus, WorkflowRun } from '../api/types.js';
import type { Palette } from './palette.js';

// Control sequences (colour, cursor) that take no room on the screen.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001B\[[0-9;?]*[A-Za-z]/g;

/** The text without escape codes. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** Columns the text takes on a terminal (escape codes take none). */
export function visibleWidth(text: string): number {
  return [...stripAnsi(text)].length;
}

/** Cuts a plain string to at most `width` characters, ending in "…" when cut. */
export function truncate(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  if (width <= 1) return chars.slice(0, Math.max(0, width)).join('');
  return `${chars.slice(0, width - 1).join('')}…`;
}

/** Milliseconds since the epoch of an API timestamp (microseconds allowed), or undefined. */
export function parseTime(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** Local wall-clock time HH:MM:SS of an epoch-ms value or an API timestamp. */
export function clockTime(value: number | string | null | undefined): string {
  const ms = typeof value === 'number' ? value : parseTime(value);
  if (ms === undefined) return '--:--:--';
  const d = new Date(ms);
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

/** Local date and time YYYY-MM-DD HH:MM:SS of an API timestamp; the raw text if unparseable; "-" if empty. */
export function localDateTime(value: string | null | undefined): string {
  if (!value) return '-';
  const ms = parseTime(value);
  if (ms === undefined) return value;
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${clockTime(ms)}`;
}

// C0 controls but newline and tab, DEL and C1 controls: text from the server never drives
// the terminal (colour, cursor, title) or puts escape codes in a CI log.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Server text made safe to print: every control character becomes U+FFFD. */
export function clean(text: string | null | undefined): string {
  return (text ?? '').replace(CONTROL, '\ufffd');
}

/** A one-line rendering of any JSON value (strings as they are, the rest as compact JSON), made safe to print. */
export function oneLine(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = typeof value === 'string' ? value : safeJson(value);
  return clean(text.replace(/\s*[\r\n]+\s*/g, ' ').trim());
}

/** JSON.stringify that never throws (cycles or BigInt become a placeholder), made safe to print. */
export function safeJson(value: unknown, indent?: number): string {
  try {
    return clean(JSON.stringify(value, null, indent) ?? String(value));
  } catch {
    return clean(String(value));
  }
}

/** Every line of `text` prefixed with `indent` spaces. */
export function indentLines(text: string, indent: number): string[] {
  const pad = ' '.repeat(indent);
  return text.split(/\r?\n/).map((line) => `${pad}${line}`);
}

/** How long the run took (or has taken so far, with `now`), in ms; undefined when unknown. */
export function runDurationMs(run: WorkflowRun, now?: number): number | undefined {
  if (typeof run.duration_in_seconds === 'number' && Number.isFinite(run.duration_in_seconds)) {
    return run.duration_in_seconds * 1000;
  }
  const start = parseTime(run.started_at);
  if (start === undefined) return undefined;
  const end = parseTime(run.completed_at) ?? (run.completed_at ? undefined : now);
  return end === undefined ? undefined : Math.max(0, end - start);
}

/** The run status coloured by meaning. */
export function colorStatus(status: RunStatus, palette: Palette): string {
  switch (status) {
    case 'completed':
      return palette.success(status);
    case 'failed':
      return palette.failure(status);
    case 'awaiting_ui_interaction':
      return palette.warning(status);
    case 'pending':
    case 'running':
      return palette.info(status);
    default:
      return palette.warning(clean(status));
  }
}

/** The symbol that leads a run's end summary. */
export function runSymbol(status: RunStatus, palette: Palette): string {
  switch (status) {
    case 'completed':
      return palette.success('✔');
    case 'failed':
      return palette.failure('✖');
    case 'awaiting_ui_interaction':
      return palette.warning('⏸');
    case 'pending':
    case 'running':
      return palette.info('●');
    default:
      return palette.warning('?');
  }
}
