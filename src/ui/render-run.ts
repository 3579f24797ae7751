import { formatDuration } from '../util/duration.js';
import { clockTime, colorStatus, isSet, listOf, localDateTime, parseTime, recordOf, runDurationMs, runSymbol, text, zoneLabel } from './format.js';
import type { Palette } from './palette.js';
import { renderLog } from './render-log.js';

export interface StepCounts {
  total: number;
  succeeded: number;
  warned: number;
  failed: number;
}

/** Counts the run's step logs by status (anything that is not an array counts as none). */
export function countSteps(logs: unknown): StepCounts {
  const counts: StepCounts = { total: 0, succeeded: 0, warned: 0, failed: 0 };
  for (const log of listOf(logs)) {
    const status = recordOf(log).status;
    counts.total += 1;
    if (status === 'success') counts.succeeded += 1;
    else if (status === 'warning') counts.warned += 1;
    else if (status === 'error') counts.failed += 1;
  }
  return counts;
}

/**
 * The server's time of a status line, so that status lines and step lines (a step's created_at)
 * come from one clock and a watch never prints a later time before an earlier one. A status that
 * is printed before its steps (pending, running, or the first time a run is seen) takes the time
 * the run began; a final status, printed after its steps, takes the latest time the run holds.
 */
export function statusTime(run: unknown, first: boolean): number | undefined {
  const r = recordOf(run);
  if (r.status === 'pending') return parseTime(r.created_at) ?? parseTime(r.started_at);
  if (first || r.status === 'running') return parseTime(r.started_at) ?? parseTime(r.created_at);
  let latest: number | undefined;
  for (const v of [r.created_at, r.started_at, r.completed_at, ...listOf(r.logs).map((l) => recordOf(l).created_at)]) {
    const t = parseTime(v);
    if (t !== undefined && (latest === undefined || t > latest)) latest = t;
  }
  return latest;
}

/** "HH:MM:SS ● run <id> pending → running" (or just the status the first time it is seen); the server's time. */
export function renderStatusChange(run: unknown, prevStatus: unknown, palette: Palette): string[] {
  const r = recordOf(run);
  const change = prevStatus === undefined ? colorStatus(r.status, palette) : `${text(prevStatus, '?', 100)} → ${colorStatus(r.status, palette)}`;
  return [`${palette.dim(clockTime(statusTime(run, prevStatus === undefined)))} ${runSymbol(r.status, palette)} run ${palette.id(text(r.id, '?', 200))} ${change}`];
}

/** "N steps: a succeeded, b warned, c failed". */
export function renderStepCounts(counts: StepCounts): string {
  const noun = counts.total === 1 ? 'step' : 'steps';
  return `${counts.total} ${noun}: ${counts.succeeded} succeeded, ${counts.warned} warned, ${counts.failed} failed`;
}

/** The end summary: "✔ run <id> completed in 5.0s · 3 steps: 2 succeeded, 1 warned, 0 failed". */
export function renderSummary(run: unknown, palette: Palette, now?: number): string[] {
  const r = recordOf(run);
  const ms = runDurationMs(r, now);
  const took = ms === undefined ? '' : ` ${isSet(r.completed_at) ? 'in' : 'after'} ${formatDuration(ms)}`;
  const steps = renderStepCounts(countSteps(r.logs));
  return [`${runSymbol(r.status, palette)} run ${palette.id(text(r.id, '?', 200))} ${colorStatus(r.status, palette)}${took} · ${steps}`];
}

/** `alto run get`: the run's fields, then one line per step. Any value in. */
export function renderRunDetail(run: unknown, palette: Palette, now: number, width?: number): string[] {
  const r = recordOf(run);
  const ms = runDurationMs(r, now);
  const fields: Array<[string, string]> = [
    ['id', palette.id(text(r.id, '?', 200))],
    ['status', colorStatus(r.status, palette)],
    ['started', localDateTime(r.started_at)],
    ['completed', localDateTime(r.completed_at)],
    ['duration', ms === undefined ? '-' : `${formatDuration(ms)}${isSet(r.completed_at) ? '' : ' so far'}`],
  ];
  // Every time shown is local: the zone is said once.
  fields.push(['zone', `${zoneLabel(parseTime(r.started_at) ?? now)} (local time)`]);
  if (isSet(r.error_message)) fields.push(['error', palette.failure(text(r.error_message, '', 4000))]);
  const labelWidth = Math.max(...fields.map(([label]) => label.length));
  const lines = fields.map(([label, value]) => `${palette.dim(label.padEnd(labelWidth))}  ${value}`);
  const logs = listOf(r.logs);
  lines.push('', palette.bold(`steps (${renderStepCounts(countSteps(logs))})`));
  if (logs.length === 0) lines.push(palette.dim('  no step logs yet'));
  const logWidth = width === undefined ? undefined : width - 2;
  for (const log of logs) lines.push(...renderLog(log, palette, { width: logWidth }).map((l) => `  ${l}`));
  return lines;
}
