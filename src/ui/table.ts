import { stripAnsi, truncate, visibleWidth } from './format.js';
import type { Palette } from './palette.js';

/** The widest a column other than the last may be; longer cells are cut with "…". */
export const MAX_COLUMN = 60;

/**
 * Aligned columns separated by two spaces; the header dimmed and bold; the last column
 * unpadded. Cells are measured in terminal columns (wide characters count two) and cut to
 * MAX_COLUMN, so one odd value cannot push the others off the screen.
 */
export function renderTable(headers: readonly string[], rows: ReadonlyArray<readonly string[]>, palette: Palette): string[] {
  const fit = (cell: string, i: number) => {
    if (i === headers.length - 1 || visibleWidth(cell) <= MAX_COLUMN) return cell;
    // A cut cell loses its colour: the cut could land inside an escape code otherwise.
    return truncate(stripAnsi(cell), MAX_COLUMN);
  };
  const cells = rows.map((row) => headers.map((_, i) => fit(typeof row[i] === 'string' ? row[i] : '', i)));
  const widths = headers.map((h) => visibleWidth(h));
  for (const row of cells) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, visibleWidth(cell));
    });
  }
  const line = (row: readonly string[]) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat(Math.max(0, (widths[i] ?? 0) - visibleWidth(cell)))))
      .join('  ')
      .trimEnd();
  return [palette.bold(line(headers)), ...cells.map(line)];
}
