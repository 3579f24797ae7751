import type { OutStream } from '../deps.js';
import { visibleWidth } from './format.js';
import { safeStyled } from './safe-text.js';

const SGR_AT = /^\u001B\[[0-9;]*m/;

/** Styled text that fits `width` columns: as is when it does, else cut with "…", its colours kept. */
export function fit(text: string, width: number): string {
  if (visibleWidth(text) <= width) return text;
  const room = Math.max(0, width - 1);
  let out = '';
  let used = 0;
  let styled = false;
  for (let i = 0; i < text.length; ) {
    const sgr = SGR_AT.exec(text.slice(i, i + 32));
    if (sgr) {
      out += sgr[0];
      styled = true;
      i += sgr[0].length;
      continue;
    }
    const ch = String.fromCodePoint(text.codePointAt(i)!);
    const w = visibleWidth(ch);
    if (used + w > room) break;
    out += ch;
    used += w;
    i += ch.length;
  }
  return `${out}${width > 0 ? '…' : ''}${styled ? '\u001B[0m' : ''}`;
}

/** The few things a watch asks of a spinner. */
export interface Spinner {
  /** Removes the spinner line so other output can be written. */
  clear(): void;
  /** Draws the spinner line again (after clear). */
  render(): void;
  /** Sets the main text. */
  setText(text: string): void;
  /** Stops, clears the line and shows the cursor again. Safe to call twice. */
  stop(): void;
}

export interface SpinnerOptions {
  stream: OutStream;
  text: string;
  /** Coloured spinner frames. */
  color: boolean;
  /** Called on every frame, so the elapsed time moves between polls. */
  suffix?: () => string;
}

export type SpinnerFactory = (opts: SpinnerOptions) => Promise<Spinner>;

/**
 * Loads ora on first use (its own bundle chunk, off the start-up path) and starts a spinner.
 * Only call it when CommandContext.interactive is true: ora 9.4.1 loops forever on a 0-column
 * terminal, and stdin is left alone (discardStdin: false).
 */
export const startOraSpinner: SpinnerFactory = async (opts) => {
  const { ora } = await import('../vendor/ora.js');
  const { stream } = opts;
  const columns = () => (stream.columns && stream.columns > 0 ? stream.columns : 80);
  let text = safeStyled(opts.text);
  let shown = fit(text, columns() - 3);
  // Columns of the last frame drawn: after a resize it tells how many rows that frame now takes.
  let drawnWidth = 0;
  // One row at any width: the spinner (2 columns), the text, the suffix, one column spare, so
  // clearing one row always clears the whole frame.
  const suffixText = (): string => {
    const room = columns() - 3 - visibleWidth(shown);
    const suffix = opts.suffix && room > 1 ? fit(safeStyled(opts.suffix()), room - 1) : '';
    drawnWidth = 2 + visibleWidth(shown) + (suffix ? 1 + visibleWidth(suffix) : 0);
    return suffix;
  };
  const spinner = ora({
    stream,
    text: shown,
    // The callers clean server text already; this makes sure no other control reaches the terminal.
    suffixText,
    color: opts.color ? 'cyan' : false,
    discardStdin: false,
    hideCursor: true,
    isEnabled: true,
  }).start();
  // A narrower terminal reflows the last frame over several rows, and ora clears only the one
  // it drew: erase every row the old frame now takes, then draw again at the new width.
  const onResize = () => {
    const rows = Math.ceil(drawnWidth / columns());
    shown = fit(text, columns() - 3);
    spinner.text = shown;
    // ora takes this for an outside write: it clears the row it knows of, writes this (up to
    // the frame's first row, erase to the end of the screen) and, as it ends a line, redraws.
    stream.write(`\r${rows > 1 ? `\u001B[${rows - 1}A` : ''}\u001B[J\r`);
  };
  stream.on('resize', onResize);
  let stopped = false;
  return {
    clear: () => void spinner.clear(),
    render: () => void (stopped || spinner.render()),
    setText: (t) => {
      text = safeStyled(t);
      shown = fit(text, columns() - 3);
      spinner.text = shown;
    },
    stop: () => {
      if (stopped) return;
      stopped = true;
      stream.off('resize', onResize);
      spinner.stop();
    },
  };
};
