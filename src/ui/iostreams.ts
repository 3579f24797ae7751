// The one answer to "where do I write, and what kind of terminal is it?". Every question about
// stdout/stderr/stdin (TTY, colour, width, prompting, spinners, CI) is asked here, and server
// text is made safe here (safe()). Built once per invocation by the Factory.
import { type CiFormat, detectCiFormat } from '../ci/detect.js';
import type { Env, IO, InStream, OutStream } from '../deps.js';
import { colorLevel, loadPalette, PLAIN_PALETTE } from './color-level.js';
import type { Palette } from './palette.js';
import { safeText, type SafeTextOptions } from './safe-text.js';

export type ColorLevel = 0 | 1 | 2 | 3;

/** Width used when stdout is not a terminal (or reports no columns). */
export const DEFAULT_WIDTH = 100;

export interface IOStreams {
  readonly out: OutStream;
  readonly err: OutStream;
  /** stdin, created on first use (creating process.stdin costs start-up time). */
  readonly in: InStream;
  isStdoutTTY(): boolean;
  isStderrTTY(): boolean;
  isStdinTTY(): boolean;
  /** --no-color: turns colour off on both streams (palettes loaded afterwards are plain). */
  disableColor(): void;
  colorLevel(stream: 'out' | 'err'): ColorLevel;
  /** Loads the palettes for the current colour levels (chalk only when there is colour). */
  loadPalettes(): Promise<void>;
  /** The palette for stdout (results); plain until loadPalettes() ran. */
  readonly palette: Palette;
  /** The palette for stderr (progress, errors); plain until loadPalettes() ran. */
  readonly errPalette: Palette;
  /** Columns of stdout when it is a terminal, else DEFAULT_WIDTH. */
  terminalWidth(): number;
  /** A hidden prompt may be shown: stdin is a terminal. */
  canPrompt(): boolean;
  /** A spinner may draw: stderr is a TTY with columns > 0 and CI is unset. */
  canSpinner(): boolean;
  /** The CI the process runs in ('none' outside CI), from the environment. */
  ciKind(): CiFormat;
  /** The CI dialect for `--ci-format` (undefined: not given), else ALTO_CI_FORMAT, else detected; a bad value is a UsageError. */
  ciFormat(flag?: string): CiFormat;
  /** Server text made safe for a terminal or CI log (see safe-text.ts). */
  safe(value: unknown, opts?: SafeTextOptions): string;
  /** Writes lines, each ending in a newline, in one write. */
  writeLines(stream: 'out' | 'err', lines: readonly string[]): void;
}

/** IOStreams over the (already redacting) IO of the process. */
export function createIOStreams(io: IO, env: Env): IOStreams {
  let noColor = false;
  let palettes: { out: Palette; err: Palette } | undefined;
  const stream = (which: 'out' | 'err') => (which === 'out' ? io.stdout : io.stderr);
  const streams: IOStreams = {
    out: io.stdout,
    err: io.stderr,
    get in() {
      return io.stdin;
    },
    isStdoutTTY: () => Boolean(io.stdout.isTTY),
    isStderrTTY: () => Boolean(io.stderr.isTTY),
    isStdinTTY: () => Boolean(io.stdin.isTTY),
    disableColor() {
      noColor = true;
      palettes = undefined;
    },
    colorLevel: (which) => colorLevel(stream(which), env, noColor),
    async loadPalettes() {
      const [out, err] = await Promise.all([loadPalette(streams.colorLevel('out')), loadPalette(streams.colorLevel('err'))]);
      palettes = { out, err };
    },
    get palette() {
      return palettes?.out ?? PLAIN_PALETTE;
    },
    get errPalette() {
      return palettes?.err ?? PLAIN_PALETTE;
    },
    terminalWidth: () => (io.stdout.isTTY && io.stdout.columns && io.stdout.columns > 0 ? io.stdout.columns : DEFAULT_WIDTH),
    canPrompt: () => Boolean(io.stdin.isTTY),
    canSpinner: () => Boolean(io.stderr.isTTY) && (io.stderr.columns ?? 0) > 0 && !env.CI,
    ciKind: () => {
      try {
        return detectCiFormat(env);
      } catch {
        // A bad ALTO_CI_FORMAT is reported by the command that uses it, not by a question.
        return 'plain';
      }
    },
    ciFormat: (flag) => detectCiFormat(env, flag),
    safe: (value, opts) => safeText(value, opts),
    writeLines(which, lines) {
      if (lines.length > 0) stream(which).write(`${lines.join('\n')}\n`);
    },
  };
  return streams;
}
