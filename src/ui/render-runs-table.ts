import type { WorkflowRun } from '../api/types.js';
import { formatDuration } from '../util/duration.js';
import { colorStatus, localDateTime, runDurationMs } from './format.js';
import type { Palette } from './palette.js';
import { renderTable } from './table.js';

/** `alto workflow runs`: id, status, started, duration in aligned columns. */
export function renderRunsTable(runs: readonly WorkflowRun[], palette: Palette, now: number): string[] {
  const rows = runs.map((run) => {
    const ms = runDurationMs(run, now);
    const duration = ms === undefined ? '-' : `${formatDuration(ms)}${run.completed_at ? '' : '+'}`;
    return [run.id, colorStatus(run.status, palette), localDateTime(run.started_at ?? run.created_at), duration];
  });
  return renderTable(['ID', 'STATUS', 'STARTED', 'DURATION'], rows, palette);
}
