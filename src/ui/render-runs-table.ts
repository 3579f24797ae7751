import { formatDuration } from '../util/duration.js';
import { colorStatus, isSet, listOf, localDateTime, recordOf, runDurationMs, text } from './format.js';
import type { Palette } from './palette.js';
import { renderTable } from './table.js';

/** `alto workflow runs`: id, status, started, duration in aligned columns. Any value in. */
export function renderRunsTable(runs: unknown, palette: Palette, now: number): string[] {
  const rows = listOf(runs).map((run) => {
    const r = recordOf(run);
    const ms = runDurationMs(r, now);
    const duration = ms === undefined ? '-' : `${formatDuration(ms)}${isSet(r.completed_at) ? '' : '+'}`;
    const started = isSet(r.started_at) ? r.started_at : r.created_at;
    return [text(r.id, '?', 200), colorStatus(r.status, palette), localDateTime(started), duration];
  });
  return renderTable(['ID', 'STATUS', 'STARTED', 'DURATION'], rows, palette);
}
