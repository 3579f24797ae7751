import { visibleWidth } from './format.js';
import type { Palette } from './palette.js';

/** Aligned columns separated by two spaces; the header dimmed and bold; the last column unpadded. */
export function renderTable(headers: readonly string[], rows: ReadonlyArray<readonly string[]>, palette: Palette): string[] {
  const widths = headers.map((h, i) => Math.max(visibleWidth(h), ...rows.map((row) => visibleWidth(row[i] ?? ''))));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - visibleWidth(cell))))
      .join('  ')
      .trimEnd();
  return [palette.bold(line(headers)), ...rows.map((row) => line(headers.map((_, i) => row[i] ?? '')))];
}
