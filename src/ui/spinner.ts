import type { OutStream } from '../deps.js';
import { safeStyled } from './safe-text.js';

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
  const spinner = ora({
    stream: opts.stream,
    text: safeStyled(opts.text),
    // The callers clean server text already; this makes sure no other control reaches the terminal.
    suffixText: opts.suffix ? () => safeStyled(opts.suffix?.() ?? '') : undefined,
    color: opts.color ? 'cyan' : false,
    discardStdin: false,
    hideCursor: true,
    isEnabled: true,
  }).start();
  let stopped = false;
  return {
    clear: () => void spinner.clear(),
    render: () => void (stopped || spinner.render()),
    setText: (text) => void (spinner.text = safeStyled(text)),
    stop: () => {
      if (stopped) return;
      stopped = true;
      spinner.stop();
    },
  };
};
