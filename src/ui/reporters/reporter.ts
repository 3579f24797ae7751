import type { WorkflowRun } from '../../api/types.js';
import type { Clock, IO, OutStream } from '../../deps.js';
import type { WatchEvents, WatchResult } from '../../watch/engine.js';
import type { WatchEndOptions } from '../render-end.js';
import type { Palette } from '../palette.js';

/** Shows a watch as it happens and renders its end, in one output mode. */
export interface WatchReporter {
  /** Handlers for the engine's events. */
  readonly events: WatchEvents;
  /** Called once before the engine runs (the tty reporter loads its spinner here). */
  start(runId: string, initialRun: WorkflowRun | undefined): Promise<void>;
  /** Renders the end of the watch. */
  finish(result: WatchResult, exitCode: number): void;
  /** Stops any spinner and restores the cursor; called on every exit path, safe twice. */
  dispose(): void;
}

/** The watch settings a reporter reads (a subset of the command's WatchOptions). */
export interface ReporterWatch {
  timeoutMs: number;
  strict: boolean;
  verbose: boolean;
  /** --wait-approval: a run that starts waiting for a person gets a line, not an end. */
  waitApproval?: boolean;
}

/** The output mode a command asked for (a subset of the command's OutputOptions). */
export interface ReporterOutput {
  json: boolean;
  ndjson: boolean;
  quiet: boolean;
}

export interface ReporterContext {
  io: IO;
  clock: Clock;
  /** Colours for stdout. */
  palette: Palette;
  /** Colours for stderr. */
  errPalette: Palette;
  watch: ReporterWatch;
  /** Columns for one-line step summaries (IOStreams.terminalWidth()). */
  width: number;
}

export type ReporterKind = 'tty' | 'plain' | 'json' | 'ndjson' | 'quiet';

/** Picks the output mode: a machine format if asked, quiet, the spinner on a terminal, else plain lines. */
export function chooseReporterKind(output: ReporterOutput, interactive: boolean): ReporterKind {
  if (output.json) return 'json';
  if (output.ndjson) return 'ndjson';
  if (output.quiet) return 'quiet';
  return interactive ? 'tty' : 'plain';
}

/** Writes lines, each ending in a newline, in one write. */
export function writeLines(stream: OutStream, lines: readonly string[]): void {
  if (lines.length > 0) stream.write(`${lines.join('\n')}\n`);
}

/** The end options for a reporter's run. */
export function endOptions(ctx: ReporterContext, runId: string): WatchEndOptions {
  return { runId, strict: ctx.watch.strict, timeoutMs: ctx.watch.timeoutMs };
}

