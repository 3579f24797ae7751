import { jsonText } from './json-text.js';
import type { Palette } from './palette.js';
import { safeText } from './safe-text.js';

// Total helpers: every renderer reads the server's values through them, so any JSON value in
// any field (a number for a message, an object for a date, `{"toString":1}`) gives a safe,
// bounded string and never throws.

// Colour codes alto's own palette writes (server text never carries an ESC: see safe-text.ts).
// eslint-disable-next-line no-control-regex
const ANSI = /\u001B\[[0-9;?]*[A-Za-z]/g;

/** Longest one-line rendering of a field (a name, a status, a message), in characters. */
export const MAX_FIELD = 1000;
/** Longest one-line summary of a structured value. */
export const MAX_SUMMARY = 4000;
/** Levels of a step output shown by --verbose; deeper containers are shown as […] / {…}. */
export const VERBOSE_DEPTH = 40;

/** The value as a plain object, or an empty one (arrays, null and primitives are not records). */
export function recordOf(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** The value if it is an array, else an empty one. */
export function listOf(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The text without escape codes. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

// Wide (two-column) characters: CJK, Hangul, full-width forms, most emoji. Zero-width:
// combining marks, zero-width joiners and variation selectors. Enough to align a table.
const WIDE = /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{1f300}-\u{1f64f}\u{1f900}-\u{1f9ff}\u{20000}-\u{3fffd}]/u;
const ZERO = /[\u0300-\u036f\u200b-\u200d\ufe00-\ufe0f\u20d0-\u20ff]/u;

function charWidth(ch: string): number {
  if (ZERO.test(ch)) return 0;
  return WIDE.test(ch) ? 2 : 1;
}

/** Columns the text takes on a terminal (escape codes take none, wide characters two). */
export function visibleWidth(text: string): number {
  let width = 0;
  for (const ch of stripAnsi(text)) width += charWidth(ch);
  return width;
}

/** Cuts a plain string to at most `width` columns, ending in "…" when cut. */
export function truncate(text: string, width: number): string {
  const max = Math.max(0, Math.floor(width));
  if (text.length <= max && !WIDE.test(text)) return text;
  const room = max <= 1 ? max : max - 1;
  let used = 0;
  let end = 0;
  let cut = false;
  for (const ch of text) {
    const w = charWidth(ch);
    if (used + w > room) {
      cut = true;
      break;
    }
    used += w;
    end += ch.length;
  }
  if (!cut) return text;
  // Everything fits but the ellipsis would not: check the rest is really too wide.
  if (visibleWidth(text.slice(end)) + used <= max) return text;
  return max <= 1 ? text.slice(0, end) : `${text.slice(0, end)}…`;
}

/** Cuts to `max` characters (code points) cheaply, for text of any length, ending in "…" when cut. */
function bound(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = [...text.slice(0, max * 2 + 2)];
  return head.length <= max ? head.join('') : `${head.slice(0, max - 1).join('')}…`;
}

/**
 * Any value as one safe, bounded line: a string cleaned (newlines and tabs become spaces),
 * a number or boolean as its text, null/undefined as `fallback`, anything else as compact JSON.
 */
export function text(value: unknown, fallback = '', max = MAX_FIELD): string {
  if (value === null || value === undefined) return fallback;
  if (typeof value === 'string') {
    const line = bound(value, max).replace(/[\r\n\t]+/g, ' ');
    return bound(safeText(line), max);
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return oneLine(value, max);
}

/** A one-line rendering of any JSON value (strings as they are, the rest as compact JSON), safe and bounded. */
export function oneLine(value: unknown, max = MAX_SUMMARY): string {
  if (value === undefined || value === null) return '';
  const raw = typeof value === 'string' ? bound(value, max) : jsonText(value, { maxChars: max, maxDepth: VERBOSE_DEPTH });
  return bound(safeText(raw.replace(/\s*[\r\n]+\s*/g, ' ').replace(/\t/g, ' ').trim()), max);
}

/** Pretty JSON of any value for a person: safe, depth-limited, never throws (multi-line). */
export function safeJson(value: unknown, indent?: number): string {
  return safeText(jsonText(value, { indent, maxDepth: VERBOSE_DEPTH }), { multiline: true });
}

/** A step output in whole for --verbose: a string as it is (safe), anything else as pretty JSON. */
export function outputText(value: unknown): string {
  return typeof value === 'string' ? safeText(value, { multiline: true }) : safeJson(value, 2);
}

/** Server text made safe to print on one line (an alias of safeText). */
export function clean(value: unknown): string {
  return safeText(value);
}

/** Milliseconds since the epoch of an API timestamp (microseconds allowed), or undefined for anything else. */
export function parseTime(value: unknown): number | undefined {
  if (typeof value !== 'string' || value === '' || value.length > 64) return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

/** The value as epoch ms: a finite number within Date's range as it is, a timestamp string parsed. */
export function timeOf(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && Math.abs(value) <= 8.64e15 ? value : undefined;
  return parseTime(value);
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** Local wall-clock time HH:MM:SS of an epoch-ms value or an API timestamp; "--:--:--" for anything else. */
export function clockTime(value: unknown): string {
  const ms = timeOf(value);
  if (ms === undefined) return '--:--:--';
  const d = new Date(ms);
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

/** The local zone at an instant: "UTC", or an offset like "UTC+01:00" / "UTC-05:30". */
export function zoneLabel(ms: number): string {
  const offset = -new Date(Number.isFinite(ms) ? ms : 0).getTimezoneOffset();
  if (offset === 0 || !Number.isFinite(offset)) return 'UTC';
  const abs = Math.abs(offset);
  return `UTC${offset > 0 ? '+' : '-'}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

/** Local date and time YYYY-MM-DD HH:MM:SS of an API timestamp; the value as safe text if unparseable; "-" if empty. */
export function localDateTime(value: unknown): string {
  if (value === null || value === undefined || value === '') return '-';
  const ms = parseTime(value);
  if (ms === undefined) return text(value, '-', 64);
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${clockTime(ms)}`;
}

/** Every line of `text` prefixed with `indent` spaces. */
export function indentLines(value: string, indent: number): string[] {
  const pad = ' '.repeat(indent);
  return value.split(/\r?\n/).map((line) => `${pad}${line}`);
}

/** How long the run took (or has taken so far, with `now`), in ms; undefined when unknown. */
export function runDurationMs(run: unknown, now?: number): number | undefined {
  const r = recordOf(run);
  const seconds = r.duration_in_seconds;
  if (typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const start = parseTime(r.started_at);
  if (start === undefined) return undefined;
  const end = parseTime(r.completed_at) ?? (isSet(r.completed_at) ? undefined : now);
  return end === undefined ? undefined : Math.max(0, end - start);
}

/** A field the server set to something (not null, undefined, "" or false). */
export function isSet(value: unknown): boolean {
  return value !== null && value !== undefined && value !== '' && value !== false;
}

/** The run status coloured by meaning; anything that is not a known status is shown as safe text. */
export function colorStatus(status: unknown, palette: Palette): string {
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
      return palette.warning(text(status, '?', 100));
  }
}

/** The symbol that leads a run's end summary. */
export function runSymbol(status: unknown, palette: Palette): string {
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
