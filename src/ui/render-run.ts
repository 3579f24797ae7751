import type { RunStatus, WorkflowLog, WorkflowRun } from '../api/types.js';
import { formatDuration } from '../util/duration.js';
import { clean, clockTime, colorStatus, localDateTime, runDurationMs, runSymbol } from './format.js';
import type { Palette } from './palette.js';
import { renderLog } from './render-log.js';

export interface StepCounts {
  total: number;
  succeeded: number;
  warned: number;
  failed: number;
}

/** Counts the run's step logs by status. */
export function countSteps(logs: readonly WorkflowLog[] | undefined): StepCounts {
  const counts: StepCounts = { total: 0, succeeded: 0, warned: 0, failed: 0 };
  for (const log of logs ?? []) {
    counts.total += 1;
    if (log.status === 'success') counts.succeeded += 1;
    else if (log.status === 'warning') counts.warned += 1;
    else if (log.status === 'error') counts.failed += 1;
  }
  return counts;
}

/** "HH:MM:SS ● run <id> pending → running" (or just the status the first time it is seen). */
export function renderStatusChange(run: WorkflowRun, prevStatus: RunStatus | undefined, palette: Palette, now: number): string[] {
  const change = prevStatus === undefined ? colorStatus(run.status, palette) : `${prevStatus} → ${colorStatus(run.status, palette)}`;
  return [`${palette.dim(clockTime(now))} ${runSymbol(run.status, palette)} run ${palette.id(run.id)} ${change}`];
}

/** "N steps: a succeeded, b warned, c failed". */
export function renderStepCounts(counts: StepCounts): string {
  const noun = counts.total === 1 ? 'step' : 'steps';
  return `${counts.total} ${noun}: ${counts.succeeded} succeeded, ${counts.warned} warned, ${counts.failed} failed`;
}

/** The end summary: "✔ run <id> completed in 5.0s · 3 steps: 2 succeeded, 1 warned, 0 failed". */
export function renderSummary(run: WorkflowRun, palette: Palette, now?: number): string[] {
  const ms = runDurationMs(run, now);
  const took = ms === undefined ? '' : ` ${run.completed_at ? 'in' : 'after'} ${formatDuration(ms)}`;
  const steps = renderStepCounts(countSteps(run.logs));
  return [`${runSymbol(run.status, palette)} run ${palette.id(run.id)} ${colorStatus(run.status, palette)}${took} · ${steps}`];
}

/** `alto run get`: the run's fields, then one line per step. */
export function renderRunDetail(run: WorkflowRun, palette: Palette, now: number, width?: number): string[] {
  const ms = runDurationMs(run, now);
  const fields: Array<[string, string]> = [
    ['id', palette.id(run.id)],
    ['status', colorStatus(run.status, palette)],
    ['started', localDateTime(run.started_at)],
    ['completed', localDateTime(run.completed_at)],
    ['duration', ms === undefined ? '-' : `${formatDuration(ms)}${run.completed_at ? '' : ' so far'}`],
  ];
  if (run.error_message) fields.push(['error', palette.failure(clean(run.error_message))]);
  const labelWidth = Math.max(...fields.map(([label]) => label.length));
  const lines = fields.map(([label, value]) => `${palette.dim(label.padEnd(labelWidth))}  ${value}`);
  const logs = run.logs ?? [];
  lines.push('', palette.bold(`steps (${renderStepCounts(countSteps(logs))})`));
  if (logs.length === 0) lines.push(palette.dim('  no step logs yet'));
  const logWidth = width === undefined ? undefined : width - 2;
  for (const log of logs) lines.push(...renderLog(log, palette, { width: logWidth }).map((l) => `  ${l}`));
  return lines;
}
